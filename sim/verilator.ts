// Verilator side of the cross-check: build the core with the C++ harness (templates/sim/verilator_harness.cpp.hbs) and
// stream stimulus records through it over pipes.
//
// Build time dominates short runs (a test grid builds dozens of designs), and most of it is Verilator's own run-time
// library (verilated.cpp alone is about 3 s of g++). The runtime objects do not depend on the design, so the first build
// keeps them in a cache folder and later builds link those instead of compiling them again (2 s instead of 8 s).
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { execa, type ResultPromise } from 'execa';
import { howItEnded, runBounded, trackProcess } from '../generator/tools/exec.js';
import { AtomikError } from '../generator/common/errors.js';
import { findTool, type FindToolOptions, type FoundTool } from '../generator/tools/tools.js';
import { readStamp, stampOf, writeIfChanged, type SourceFile } from './sim-files.js';

/** A Verilator build (C++ compile included) of the largest design takes minutes; one that takes this long is stuck. */
const VERILATOR_BUILD_TIMEOUT_MS = 60 * 60 * 1000;

export interface VerilatorBuildOptions {
  /** The simulation folder, `<out>/sim/verilator`. */
  readonly dir: string;
  readonly top: string;
  /** Verilog sources, written under `dir`. */
  readonly rtl: readonly SourceFile[];
  readonly harness: SourceFile;
  /** Build with --trace (VCD), into a separate object folder. */
  readonly trace: boolean;
  /**
   * Compile the model and the harness with -O2 instead of Verilator's default -Os: about a second more of g++ for a
   * model that runs about twice as fast. Worth it for long runs (millions of cycles), not for a short one. Without it,
   * an -O2 build of the same sources already in `dir` is reused.
   */
  readonly optimize?: boolean;
  /** Values for parameters of the top module (Verilator's -G), instead of the ones the RTL was rendered with. */
  readonly parameters?: Readonly<Record<string, number>>;
  readonly tools?: FindToolOptions;
  /** Where Verilator's runtime objects are kept between builds; default: a folder in the OS temp dir. */
  readonly cacheDir?: string;
  readonly progress?: (line: string) => void;
}

export interface VerilatorBuild {
  readonly binary: string;
  readonly seconds: number;
  /** The binary of an earlier run was reused (same sources, flags and Verilator). */
  readonly reused: boolean;
  readonly log: string;
  readonly tool: FoundTool;
}

/** Verilator flags of every build; `-O3` is Verilator's own optimizer. */
const VERILATOR_FLAGS = ['--cc', '--exe', '--build', '-O3', '--x-assign', 'fast', '--x-initial', 'fast', '-Wno-fatal'] as const;
/** The -O2 build (`optimize`): the model and the harness, not the cached runtime (make's OPT_FAST; the default is -Os). */
const OPTIMIZE_FLAGS = ['-MAKEFLAGS', 'OPT_FAST=-O2'] as const;
/** Runtime-library objects Verilator compiles into every model (VM_GLOBAL_FAST), with and without tracing. */
const RUNTIME_OBJECTS = ['verilated', 'verilated_threads'] as const;
const TRACE_RUNTIME_OBJECTS = ['verilated_vcd_c'] as const;

export function defaultCacheDir(): string {
  return join(tmpdir(), 'atomik-gen-cache');
}

export async function buildVerilator(opts: VerilatorBuildOptions): Promise<VerilatorBuild> {
  const started = performance.now();
  const tool = await findTool('verilator', opts.tools);
  const objDir = opts.trace ? 'obj-trace' : 'obj';
  const binary = join(opts.dir, objDir, `V${opts.top}`);
  const log = join(opts.dir, opts.trace ? 'build-trace.log' : 'build.log');
  for (const f of [...opts.rtl, opts.harness]) writeIfChanged(join(opts.dir, f.path), f.text);

  const jobs = String(Math.max(1, availableParallelism()));
  const argsFor = (optimize: boolean) => [
    ...VERILATOR_FLAGS,
    '-j', jobs,
    ...(opts.trace ? ['--trace'] : []),
    ...(optimize ? OPTIMIZE_FLAGS : []),
    '--top-module', opts.top,
    ...Object.entries(opts.parameters ?? {}).map(([name, value]) => `-G${name}=${value}`),
    '--Mdir', objDir,
    ...opts.rtl.map((f) => f.path),
    opts.harness.path,
  ];
  const stampFor = (args: readonly string[]) => stampOf([tool.path, tool.version ?? '', ...args, ...opts.rtl.map((f) => f.text), opts.harness.text]);
  const base = argsFor(opts.optimize === true);
  const stampPath = join(opts.dir, objDir, 'atomik-build.stamp');
  const stamp = stampFor(base);
  const existing = existsSync(binary) ? readStamp(stampPath) : undefined;
  // an -O2 build of the same sources runs the same model, only faster: it does for a run that did not ask for one
  if (existing === stamp || (opts.optimize !== true && existing === stampFor(argsFor(true)))) {
    return { binary, seconds: (performance.now() - started) / 1000, reused: true, log, tool };
  }

  const runtime = [...RUNTIME_OBJECTS, ...(opts.trace ? TRACE_RUNTIME_OBJECTS : [])];
  const cache = join(opts.cacheDir ?? defaultCacheDir(), `verilator-${stampOf([tool.path, tool.version ?? '', String(opts.trace), process.env.CXX ?? '']).slice(0, 16)}`);
  const cached = runtime.map((o) => join(cache, `${o}.o`));
  const haveCache = cached.every((p) => existsSync(p));
  // with cached runtime objects: link them, and tell make not to build its own
  const linkCached = haveCache
    ? [...cached.flatMap((p) => ['-LDFLAGS', p]), '-MAKEFLAGS', 'VM_GLOBAL_FAST=', '-MAKEFLAGS', 'VM_GLOBAL_SLOW=']
    : [];

  const run = async (args: string[]) => {
    rmSync(join(opts.dir, objDir), { recursive: true, force: true });
    return runBounded(tool.path, args, { cwd: opts.dir, timeoutMs: VERILATOR_BUILD_TIMEOUT_MS });
  };
  opts.progress?.(`verilator: building ${opts.top}${opts.trace ? ' with --trace' : ''} in ${opts.dir}${haveCache ? ' (cached runtime)' : ''}`);
  let result = await run([...base, ...linkCached]);
  let fullBuild = !haveCache;
  let text = `$ ${tool.path} ${[...base, ...linkCached].join(' ')}\n${result.all}\n`;
  if (result.exitCode !== 0 && haveCache) {
    fullBuild = true;
    // a stale cache (another compiler, say): build everything and refresh it
    result = await run(base);
    text += `-- the cached runtime did not link; full build:\n$ ${tool.path} ${base.join(' ')}\n${result.all}\n`;
  }
  writeFileSync(log, text);
  if (result.exitCode !== 0 || !existsSync(binary)) {
    const tail = result.all.trimEnd().split('\n').slice(-15).map((l) => `  | ${l}`).join('\n');
    throw new AtomikError(`verilator build of ${opts.top} failed: verilator ${howItEnded(result)}\n${tail}\n  full log: ${log}`, {
      where: opts.dir,
    });
  }
  if (fullBuild) saveRuntime(join(opts.dir, objDir), runtime, cache);
  writeFileSync(stampPath, `${stamp}\n`);
  return { binary, seconds: (performance.now() - started) / 1000, reused: false, log, tool };
}

/** Keeps the runtime objects of a full build for later builds (written under a temporary name, then renamed). */
function saveRuntime(objDir: string, objects: readonly string[], cache: string): void {
  try {
    mkdirSync(cache, { recursive: true });
    for (const o of objects) {
      const from = join(objDir, `${o}.o`);
      const to = join(cache, `${o}.o`);
      if (!existsSync(from) || existsSync(to)) continue;
      const temp = `${to}.${process.pid}.${Date.now()}`;
      copyFileSync(from, temp);
      renameSync(temp, to);
    }
  } catch {
    // the cache only saves time
  }
}

// ---------------------------------------------------------------------------------------------------------------------

/** Collects a stream's bytes and hands them out in exact amounts. */
class ExactReader {
  private readonly chunks: Buffer[] = [];
  private have = 0;
  private ended = false;
  private failure: Error | undefined;
  private waiter: { bytes: number; resolve: (b: Uint8Array) => void; reject: (e: Error) => void; target: Uint8Array } | undefined;

  constructor(stream: Readable, private readonly why: () => string) {
    stream.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.have += chunk.length;
      this.pump();
    });
    stream.on('end', () => {
      this.ended = true;
      this.pump();
    });
    stream.on('error', (err: Error) => {
      this.failure = err;
      this.pump();
    });
  }

  /** The next `bytes` bytes, into `target`. */
  read(target: Uint8Array): Promise<Uint8Array> {
    if (this.waiter) throw new Error('internal: one read at a time');
    return new Promise((resolve, reject) => {
      this.waiter = { bytes: target.length, resolve, reject, target };
      this.pump();
    });
  }

  private pump(): void {
    const w = this.waiter;
    if (!w) return;
    if (this.have >= w.bytes) {
      let at = 0;
      while (at < w.bytes) {
        const chunk = this.chunks[0]!;
        const take = Math.min(chunk.length, w.bytes - at);
        w.target.set(chunk.subarray(0, take), at);
        at += take;
        if (take === chunk.length) this.chunks.shift();
        else this.chunks[0] = chunk.subarray(take);
      }
      this.have -= w.bytes;
      this.waiter = undefined;
      w.resolve(w.target);
    } else if (this.ended || this.failure) {
      this.waiter = undefined;
      w.reject(new Error(`${this.failure ? this.failure.message : 'the simulation ended early'}${this.why()}`));
    }
  }
}

const STREAM_OPTIONS = {
  stdin: 'pipe',
  stdout: 'pipe',
  stderr: 'pipe',
  buffer: { stdout: false, stderr: false },
  reject: false,
  // a process group of its own, stopped with everything else atomik-gen started on interrupt or exit
  detached: true,
  cleanup: false,
} as const;

/** A running harness: input records in, output records out, in the same order. */
export class VerilatorStream {
  private readonly child: ResultPromise<typeof STREAM_OPTIONS>;
  private readonly reader: ExactReader;
  private readonly stdin: Writable;
  private stderrText = '';
  private exited = false;
  /** Writes waiting for the pipe to drain, woken when the harness exits. */
  private readonly onExit = new Set<() => void>();

  constructor(binary: string, args: readonly string[], private readonly outWords: number) {
    this.child = execa(binary, args, STREAM_OPTIONS);
    trackProcess(this.child);
    this.child.stderr.on('data', (c: Buffer) => {
      if (this.stderrText.length < 4000) this.stderrText += c.toString();
    });
    void this.child.then(() => {
      this.exited = true;
      for (const wake of [...this.onExit]) wake();
    });
    this.stdin = this.child.stdin;
    this.stdin.on('error', () => {
      // EPIPE after the harness died: the read side reports it with the harness's stderr
    });
    this.reader = new ExactReader(this.child.stdout, () => (this.stderrText ? `: ${this.stderrText.trim()}` : ''));
  }

  /**
   * Sends whole records; resolves once the pipe can take more, or at once when the harness has stopped reading (it
   * exits after a mismatch, say: what it did not read no longer matters, and the next read reports how it ended).
   */
  async write(records: Int32Array): Promise<void> {
    const stdin = this.stdin;
    if (this.exited || stdin.destroyed) return;
    const ok = stdin.write(Buffer.from(records.buffer, records.byteOffset, records.byteLength));
    if (ok || stdin.destroyed) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        stdin.off('drain', done);
        stdin.off('close', done);
        this.onExit.delete(done);
        resolve();
      };
      stdin.on('drain', done);
      stdin.on('close', done);
      // the harness exiting closes the pipe only once something more is written into it: its exit ends the wait too
      this.onExit.add(done);
      if (stdin.destroyed || this.exited) done();
    });
  }

  /** The output records of the next `cycles` cycles. */
  async read(cycles: number): Promise<Int32Array> {
    const out = new Int32Array(cycles * this.outWords);
    await this.reader.read(new Uint8Array(out.buffer));
    return out;
  }

  /** No more input: waits for the harness to finish and checks its exit. */
  async finish(): Promise<void> {
    this.stdin.end();
    const result = await this.child;
    if (result.exitCode !== 0) {
      throw new Error(`the Verilator harness exited with ${result.exitCode ?? result.signal}: ${this.stderrText.trim()}`);
    }
  }

  /** Stops the harness (this process only). */
  async stop(): Promise<void> {
    this.stdin.destroy();
    this.child.kill();
    await this.child;
  }
}
