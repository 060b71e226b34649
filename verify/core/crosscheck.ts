// The cycle-by-cycle cross-check: the generated `<name>_core` runs in a simulator on a seeded stimulus stream, and every
// output of every cycle is compared with CoreModel. The first difference stops the run and is reported with its cycle,
// signal, expected and actual values, the seed, the inputs around it, and a VCD waveform of a window around it.
//
// Verilator takes blocks of input records and the output records the model expects through a pipe, compares every
// output word of every cycle itself and answers each block (one reading of the outputs back would cost this process
// more than the model does); it runs a block while this process makes the next (stimulus + model), so the two run side
// by side. Icarus runs from files and this process compares. Cycle 0 is the power-up reset (outputs undefined until its edge)
// and is not compared; every later cycle is.
import { join } from 'node:path';
import type { Design } from '../../generator/design/design.js';
import { readLatencyOf } from '../../generator/design/merge-tree.js';
import { buildPlan, type BuildPlan } from '../../generator/plan/plan.js';
import { coreModules } from '../../generator/design/design.js';
import type { FindToolOptions } from '../../generator/tools/tools.js';
import { recordOwned } from '../../generator/run/folder.js';
import { writePlan } from '../../generator/run/write.js';
import { describeInputs, emptyCoverage, firstDifference, signalDifferences, tallyCoverage, type Coverage, type SignalDifference } from './compare.js';
import { icarusTestbench, REPLY_HEAD_WORDS, REPLY_MISMATCH, verilatorHarness, TIME_PER_CYCLE } from '../../sim/harness.js';
import { buildIcarus, runIcarus, writeStimulusHex } from '../../sim/icarus.js';
import { recordLayout, type RecordLayout } from '../../sim/layout.js';
import { CoreModel } from './model.js';
import type { SourceFile } from '../../sim/sim-files.js';
import { Stimulus } from './stimulus.js';
import { buildVerilator, VerilatorStream } from '../../sim/verilator.js';

export type Simulator = 'verilator' | 'icarus';

export interface CrossCheckOptions {
  readonly design: Design;
  /** The design's output folder; the simulation lives in `<outDir>/sim/<sim>/`. */
  readonly outDir: string;
  /** Cycles to simulate (cycle 0, the power-up reset, is not compared). */
  readonly cycles: number;
  readonly seed: number;
  readonly sim: Simulator;
  readonly progress?: (line: string) => void;
  /** The job's plan of this design, already written to outDir (the pipeline's verify stage): not written again. */
  readonly plan?: BuildPlan;
  /** Fault injection: gets each core RTL file (`<name>_core.v`, ...) and returns the text to simulate instead. */
  readonly editRtl?: (file: string, text: string) => string;
  /**
   * Simulate these sources as `<name>_core` instead of the core RTL (a synthesized netlist and its cell models:
   * verify/netlist/), in `<outDir>/sim/<simName>/`.
   */
  readonly dut?: { readonly files: readonly SourceFile[]; readonly simName: string };
  /** On a mismatch, rebuild with tracing and write a waveform around it (default true). */
  readonly waveform?: boolean;
  /** Cycles of waveform before and after the first mismatch (default 64 before, 16 after). */
  readonly window?: { readonly before: number; readonly after: number };
  readonly tools?: FindToolOptions;
  /** Verilator's runtime-object cache (verilator.ts); default in the OS temp folder. */
  readonly cacheDir?: string;
}

export interface Mismatch {
  /** The first cycle whose outputs differ. */
  readonly cycle: number;
  /** The first differing signal (in port order) and its values. */
  readonly signal: string;
  readonly expected: string;
  readonly actual: string;
  /** Every differing signal of that cycle. */
  readonly signals: readonly SignalDifference[];
  /** The inputs of the cycles leading up to it (the READ latency and two more), oldest first, "cycle: inputs". */
  readonly inputs: readonly string[];
  readonly seed: number;
  readonly sim: Simulator;
  /** VCD of cycles `window.from .. window.to`; null when it could not be written (see `waveformError`). */
  readonly waveform: string | null;
  readonly waveformError?: string;
  readonly window: { readonly from: number; readonly to: number };
  /** A multi-line report of all of the above. */
  readonly report: string;
}

export interface CrossCheckResult {
  readonly sim: Simulator;
  readonly seed: number;
  /** Cycles simulated and compared (up to and including a mismatch). */
  readonly cycles: number;
  /** Stimulus, simulation and comparison, without the build. */
  readonly seconds: number;
  readonly cyclesPerSecond: number;
  readonly buildSeconds: number;
  /** The build of an earlier run was reused. */
  readonly buildReused: boolean;
  readonly simDir: string;
  /** What the compared cycles exercised. */
  readonly coverage: Coverage;
  readonly mismatch: Mismatch | null;
}

interface Found {
  readonly cycle: number;
  readonly expected: Int32Array;
  readonly expOff: number;
  readonly actual: Int32Array;
  readonly actOff: number;
  readonly unknown?: ReadonlyMap<string, string>;
}

interface Setup {
  readonly opts: CrossCheckOptions;
  readonly layout: RecordLayout;
  readonly top: string;
  readonly simDir: string;
  readonly rtl: readonly SourceFile[];
  readonly say: (line: string) => void;
}

export async function crossCheck(opts: CrossCheckOptions): Promise<CrossCheckResult> {
  if (!Number.isInteger(opts.cycles) || opts.cycles < 2) throw new RangeError(`cycles must be a whole number >= 2, got ${opts.cycles}`);
  if (!Number.isSafeInteger(opts.seed)) throw new RangeError(`seed must be a whole number, got ${opts.seed}`);
  const { design } = opts;
  // the pipeline's verify stage passes the job's plan, already written (its flow parameters included); alone, the
  // check writes the design's plan itself
  const plan = opts.plan ?? buildPlan(design, opts.outDir);
  if (!opts.plan) writePlan(plan);
  const simName = opts.dut?.simName ?? opts.sim;
  recordOwned(opts.outDir, [`sim/${simName}/`]);
  const coreFiles = coreModules(design).map((m) => `rtl/${design.name}_${m}.v`);
  const rtl = opts.dut?.files ?? coreFiles.map((path): SourceFile => {
    const file = plan.files.find((f) => f.path === path);
    if (!file) throw new Error(`internal: the plan has no ${path}`);
    const name = path.slice('rtl/'.length);
    return { path, text: opts.editRtl ? opts.editRtl(name, file.content) : file.content };
  });
  const setup: Setup = {
    opts,
    layout: recordLayout(design),
    top: `${design.name}_core`,
    simDir: join(opts.outDir, 'sim', simName),
    rtl,
    say: opts.progress ?? (() => {}),
  };
  return opts.sim === 'verilator' ? crossCheckVerilator(setup) : crossCheckIcarus(setup);
}

/** From this many cycles on, the Verilator model is compiled with -O2 (a second more to build, twice as fast to run). */
const OPTIMIZED_BUILD_CYCLES = 1_000_000;

/** Cycles per batch: about 1 MB of input and output records, within 256 .. 65536 cycles. */
function batchCycles(layout: RecordLayout): number {
  return Math.max(256, Math.min(65536, Math.floor(2 ** 20 / (4 * (layout.input.words + layout.output.words)))));
}

function rate(cycles: number, seconds: number): string {
  const r = cycles / Math.max(seconds, 1e-9);
  return r >= 1e6 ? `${(r / 1e6).toFixed(2)} M cycles/s` : `${Math.round(r / 1000)} k cycles/s`;
}

// ---- Verilator ------------------------------------------------------------------------------------------------------

async function crossCheckVerilator(s: Setup): Promise<CrossCheckResult> {
  const { opts, layout } = s;
  const harness: SourceFile = { path: 'harness.cpp', text: verilatorHarness(opts.design, layout) };
  const optimize = opts.cycles >= OPTIMIZED_BUILD_CYCLES;
  const build = await buildVerilator({ dir: s.simDir, top: s.top, rtl: s.rtl, harness, trace: false, optimize, tools: opts.tools, cacheDir: opts.cacheDir, progress: s.say });
  s.say(`verilator: ${build.reused ? 'reusing the build in' : `built in ${build.seconds.toFixed(1)} s,`} ${s.simDir}`);

  const started = performance.now();
  const stim = new Stimulus(opts.design, opts.seed);
  const model = new CoreModel(opts.design);
  const iw = layout.input.words;
  const ow = layout.output.words;
  const batch = batchCycles(layout);
  // compare mode: each block is [n][n input records][the n output records the model expects]; the harness compares
  // every output word of every cycle and answers each block with a reply (templates/sim/verilator_harness.cpp.hbs)
  const sim = new VerilatorStream(build.binary, [], REPLY_HEAD_WORDS + ow);
  const pending: { start: number; cycles: number; block: Int32Array; input: Int32Array; expected: Int32Array }[] = [];
  // blocks whose reply came back (the harness has read them): reused rather than allocating 1 MB a block
  const free: Int32Array[] = [];
  const coverage = emptyCoverage();
  let sent = 0;
  let compared = 0;
  let found: Found | undefined;
  let lastReport = started;
  try {
    while (compared < opts.cycles) {
      // keep up to three blocks in flight: the harness works on one while this process makes the next
      while (sent < opts.cycles && pending.length < 3) {
        const n = Math.min(batch, opts.cycles - sent);
        const words = 1 + n * (iw + ow);
        const spare = free.pop();
        const block = spare && spare.length >= words ? spare.subarray(0, words) : new Int32Array(1 + batch * (iw + ow)).subarray(0, words);
        block[0] = n;
        const input = block.subarray(1, 1 + n * iw);
        const expected = block.subarray(1 + n * iw);
        stim.fill(input, 0, n);
        model.run(input, 0, n, expected, 0);
        await sim.write(block);
        pending.push({ start: sent, cycles: n, block, input, expected });
        sent += n;
      }
      const b = pending.shift()!;
      const reply = await sim.read(1);
      if (reply[0] === REPLY_MISMATCH) {
        const rec = reply[1]!;
        if (!(rec >= 0 && rec < b.cycles)) throw new Error(`internal: the harness reported cycle ${rec} of a block of ${b.cycles}`);
        found = { cycle: b.start + rec, expected: b.expected, expOff: rec * ow, actual: reply, actOff: REPLY_HEAD_WORDS };
        tallyCoverage(coverage, layout, b.input, b.expected, rec + 1);
        compared += rec + 1;
        break;
      }
      if (reply[0] !== 0) throw new Error(`internal: the harness replied ${reply[0]} to a block`);
      tallyCoverage(coverage, layout, b.input, b.expected, b.cycles);
      compared += b.cycles;
      free.push(new Int32Array(b.block.buffer));
      const now = performance.now();
      if (now - lastReport > 2000) {
        lastReport = now;
        s.say(`verilator: ${compared} of ${opts.cycles} cycles match (${rate(compared, (now - started) / 1000)})`);
      }
    }
  } finally {
    if (found || compared < opts.cycles) await sim.stop();
  }
  if (!found) await sim.finish();
  const seconds = (performance.now() - started) / 1000;
  s.say(`verilator: ${found ? `mismatch in cycle ${found.cycle}` : `all ${compared} cycles match`} (${rate(compared, seconds)})`);

  const mismatch = found
    ? await describeMismatch(s, found, async (vcd, from, to) => {
        const traced = await buildVerilator({ dir: s.simDir, top: s.top, rtl: s.rtl, harness, trace: true, tools: opts.tools, cacheDir: opts.cacheDir, progress: s.say });
        const replay = new VerilatorStream(traced.binary, ['--outputs', '--trace', vcd, '--from', String(from), '--to', String(to)], ow);
        const again = new Stimulus(opts.design, opts.seed);
        for (let done = 0; done <= to; ) {
          const n = Math.min(batch, to + 1 - done);
          const input = new Int32Array(n * iw);
          again.fill(input, 0, n);
          await replay.write(input);
          await replay.read(n);
          done += n;
        }
        await replay.finish();
      })
    : null;
  return result(s, 'verilator', { compared, seconds, build, coverage, mismatch });
}

// ---- Icarus ---------------------------------------------------------------------------------------------------------

async function crossCheckIcarus(s: Setup): Promise<CrossCheckResult> {
  const { opts, layout } = s;
  const tbTop = `${opts.design.name}_crosscheck_tb`;
  const testbench: SourceFile = { path: 'crosscheck_tb.v', text: icarusTestbench(opts.design, layout) };
  const build = await buildIcarus({ dir: s.simDir, tbTop, rtl: s.rtl, testbench, tools: opts.tools, progress: s.say });
  s.say(`icarus: ${build.reused ? 'reusing the build in' : `compiled in ${build.seconds.toFixed(1)} s,`} ${s.simDir}`);

  const started = performance.now();
  const ow = layout.output.words;
  const iw = layout.input.words;
  const stim = new Stimulus(opts.design, opts.seed);
  const model = new CoreModel(opts.design);
  const expected = new Int32Array(opts.cycles * ow);
  const inputs = new Int32Array(opts.cycles * iw);
  const batch = batchCycles(layout);
  function* batches(): Generator<Int32Array> {
    for (let done = 0; done < opts.cycles; ) {
      const n = Math.min(batch, opts.cycles - done);
      const input = inputs.subarray(done * iw, (done + n) * iw);
      stim.fill(input, 0, n);
      model.run(input, 0, n, expected, done * ow);
      done += n;
      yield input;
    }
  }
  await writeStimulusHex(join(s.simDir, 'stimulus.hex'), layout, batches());
  s.say(`icarus: running ${opts.cycles} cycles`);
  const run = await runIcarus({ dir: s.simDir, vvpFile: build.vvpFile, stimulus: 'stimulus.hex', output: 'outputs.hex', layout, tools: opts.tools });
  if (run.cycles !== opts.cycles) throw new Error(`icarus ran ${run.cycles} of ${opts.cycles} cycles (see ${join(s.simDir, 'outputs.hex')})`);

  let found: Found | undefined;
  const firstUnknown = [...run.unknown.keys()].filter((c) => c > 0).sort((a, b) => a - b)[0];
  const at = firstDifference(expected, run.records, ow);
  const diffCycle = at >= 0 ? Math.floor(at / ow) : undefined;
  const cycle = firstUnknown === undefined ? diffCycle : diffCycle === undefined ? firstUnknown : Math.min(firstUnknown, diffCycle);
  if (cycle !== undefined) {
    found = { cycle, expected, expOff: cycle * ow, actual: run.records, actOff: cycle * ow, unknown: run.unknown.get(cycle) };
  }
  const compared = found ? found.cycle + 1 : opts.cycles;
  const coverage = emptyCoverage();
  tallyCoverage(coverage, layout, inputs, expected, compared);
  const seconds = (performance.now() - started) / 1000;
  s.say(`icarus: ${found ? `mismatch in cycle ${found.cycle}` : `all ${compared} cycles match`} (${rate(compared, seconds)})`);

  const mismatch = found
    ? await describeMismatch(s, found, async (vcd, from, to) => {
        await runIcarus({ dir: s.simDir, vvpFile: build.vvpFile, stimulus: 'stimulus.hex', output: 'outputs-trace.hex', layout, vcd: { path: vcd, from, to }, tools: opts.tools });
      })
    : null;
  return result(s, 'icarus', { compared, seconds, build, coverage, mismatch });
}

function result(
  s: Setup,
  sim: Simulator,
  r: { compared: number; seconds: number; build: { seconds: number; reused: boolean }; coverage: Coverage; mismatch: Mismatch | null },
): CrossCheckResult {
  return {
    sim,
    seed: s.opts.seed,
    cycles: r.compared,
    seconds: r.seconds,
    cyclesPerSecond: r.compared / r.seconds,
    buildSeconds: r.build.seconds,
    buildReused: r.build.reused,
    simDir: s.simDir,
    coverage: r.coverage,
    mismatch: r.mismatch,
  };
}

// ---- the report -----------------------------------------------------------------------------------------------------

async function describeMismatch(
  s: Setup,
  f: Found,
  writeWaveform: (vcdPath: string, from: number, to: number) => Promise<void>,
): Promise<Mismatch> {
  const { opts, layout } = s;
  const signals = signalDifferences(layout, f.expected, f.expOff, f.actual, f.actOff, f.unknown);
  const first = signals[0] ?? { signal: '(record)', expected: '?', actual: '?' };

  // the inputs of the cycles that decide this cycle's outputs, regenerated from the seed
  const latency = readLatencyOf(opts.design.pipeline);
  const firstInput = Math.max(0, f.cycle - latency - 2);
  const iw = layout.input.words;
  const stim = new Stimulus(opts.design, opts.seed);
  const skip = new Int32Array(Math.min(65536, Math.max(1, firstInput)) * iw);
  for (let done = 0; done < firstInput; ) {
    const n = Math.min(skip.length / iw, firstInput - done);
    stim.fill(skip, 0, n);
    done += n;
  }
  const span = f.cycle - firstInput + 1;
  const recent = new Int32Array(span * iw);
  stim.fill(recent, 0, span);
  const inputs = Array.from({ length: span }, (_, i) => `${firstInput + i}: ${describeInputs(layout, recent, i * iw)}`);

  const before = opts.window?.before ?? 64;
  const after = opts.window?.after ?? 16;
  const window = { from: Math.max(0, f.cycle - before), to: Math.min(opts.cycles - 1, f.cycle + after) };
  const vcd = join(s.simDir, `mismatch-cycle${f.cycle}.vcd`);
  let waveform: string | null = null;
  let waveformError: string | undefined;
  if (opts.waveform === false) waveformError = 'not asked for (waveform: false)';
  else {
    try {
      s.say(`${opts.sim}: writing the waveform of cycles ${window.from}..${window.to}`);
      await writeWaveform(vcd, window.from, window.to);
      waveform = vcd;
    } catch (err) {
      waveformError = (err as Error).message;
    }
  }

  const d = opts.design;
  const report = [
    `${opts.sim}: ${s.top} (${d.banks} bank(s) x ${d.width} bit(s), ${d.mode}, pipeline ${d.pipeline}) differs from the model in cycle ${f.cycle}, seed ${opts.seed}`,
    ...signals.map((x) => `  ${x.signal}: expected ${x.expected}, actual ${x.actual}`),
    `  inputs (cycle: ...), READ latency ${latency}:`,
    ...inputs.map((l) => `    ${l}`),
    waveform
      ? `  waveform: ${waveform} (cycles ${window.from}..${window.to}; cycle c starts at ${TIME_PER_CYCLE}*c ns)`
      : `  waveform: not written: ${waveformError ?? 'unknown error'}`,
    `  reproduce: the same design with seed ${opts.seed} and at least ${f.cycle + 1} cycles`,
  ].join('\n');
  return {
    cycle: f.cycle,
    signal: first.signal,
    expected: first.expected,
    actual: first.actual,
    signals,
    inputs,
    seed: opts.seed,
    sim: opts.sim,
    waveform,
    ...(waveformError === undefined ? {} : { waveformError }),
    window,
    report,
  };
}
