// Icarus Verilog side of the cross-check: compile the testbench (templates/sim/icarus_tb.v.hbs) with the core, write the
// stimulus as hex lines, run vvp and read its output lines back into records. Icarus is the second, independent
// simulator: slower, so it runs fewer cycles, from files rather than pipes.
import { createWriteStream, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { howItEnded, runBounded } from '../generator/tools/exec.js';
import { AtomikError } from '../generator/common/errors.js';
import { findTool, type FindToolOptions } from '../generator/tools/tools.js';
import { outputSignals, type RecordLayout } from './layout.js';
import { readStamp, stampOf, writeIfChanged, type SourceFile } from './sim-files.js';
import { hexToWords, wordsToPlainHex } from './words.js';


/** Limit of one Icarus compile or simulation run (a long cross-check runs minutes). */
const ICARUS_TIMEOUT_MS = 2 * 60 * 60 * 1000;
export interface IcarusBuildOptions {
  /** The simulation folder, `<out>/sim/icarus`. */
  readonly dir: string;
  readonly tbTop: string;
  readonly rtl: readonly SourceFile[];
  readonly testbench: SourceFile;
  readonly tools?: FindToolOptions;
  readonly progress?: (line: string) => void;
}

export interface IcarusBuild {
  readonly vvpFile: string;
  readonly seconds: number;
  readonly reused: boolean;
}

export async function buildIcarus(opts: IcarusBuildOptions): Promise<IcarusBuild> {
  const started = performance.now();
  const iverilog = await findTool('iverilog', opts.tools);
  for (const f of [...opts.rtl, opts.testbench]) writeIfChanged(join(opts.dir, f.path), f.text);
  const vvpFile = 'crosscheck.vvp';
  const args = ['-g2005', '-o', vvpFile, '-s', opts.tbTop, opts.testbench.path, ...opts.rtl.map((f) => f.path)];
  const stampPath = join(opts.dir, 'atomik-build.stamp');
  const stamp = stampOf([iverilog.path, iverilog.version ?? '', ...args, ...opts.rtl.map((f) => f.text), opts.testbench.text]);
  if (readStamp(stampPath) === stamp && existsSync(join(opts.dir, vvpFile))) {
    return { vvpFile: join(opts.dir, vvpFile), seconds: (performance.now() - started) / 1000, reused: true };
  }
  opts.progress?.(`icarus: compiling ${opts.tbTop} in ${opts.dir}`);
  const result = await runBounded(iverilog.path, args, { cwd: opts.dir, timeoutMs: ICARUS_TIMEOUT_MS });
  const log = join(opts.dir, 'build.log');
  writeFileSync(log, `$ ${iverilog.path} ${args.join(' ')}\n${result.all}\n`);
  if (result.exitCode !== 0) {
    const tail = result.all.trimEnd().split('\n').slice(-15).map((l) => `  | ${l}`).join('\n');
    throw new AtomikError(`iverilog failed: it ${howItEnded(result)}\n${tail}\n  full log: ${log}`, { where: opts.dir });
  }
  writeFileSync(stampPath, `${stamp}\n`);
  return { vvpFile: join(opts.dir, vvpFile), seconds: (performance.now() - started) / 1000, reused: false };
}

/** Writes input records as the testbench's stimulus lines ("control acc_en ctrl_value acc_data", hex). */
export async function writeStimulusHex(path: string, layout: RecordLayout, batches: AsyncIterable<Int32Array> | Iterable<Int32Array>): Promise<void> {
  const I = layout.input;
  const W = layout.params.width;
  const out = createWriteStream(path);
  const done = new Promise<void>((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
  });
  for await (const recs of batches) {
    const lines: string[] = [];
    for (let at = 0; at < recs.length; at += I.words) {
      lines.push(
        `${wordsToPlainHex(recs, at + I.control.offset, 4)} ${wordsToPlainHex(recs, at + I.accEn.offset, layout.lanes)} ` +
          `${wordsToPlainHex(recs, at + I.ctrlValue.offset, W)} ${wordsToPlainHex(recs, at + I.accData.offset, layout.lanes * W)}\n`,
      );
    }
    if (!out.write(lines.join(''))) await new Promise((resolve) => out.once('drain', resolve));
  }
  out.end();
  await done;
}

export interface IcarusRun {
  /** Output records, one per cycle the testbench ran. */
  readonly records: Int32Array;
  readonly cycles: number;
  /** Cycles whose line held X or Z, with the raw text of each unreadable signal. */
  readonly unknown: ReadonlyMap<number, ReadonlyMap<string, string>>;
}

export async function runIcarus(opts: {
  readonly dir: string;
  readonly vvpFile: string;
  readonly stimulus: string;
  readonly output: string;
  readonly layout: RecordLayout;
  readonly vcd?: { readonly path: string; readonly from: number; readonly to: number };
  readonly tools?: FindToolOptions;
}): Promise<IcarusRun> {
  const vvp = await findTool('vvp', opts.tools);
  const args = ['-n', opts.vvpFile, `+stim=${opts.stimulus}`, `+out=${opts.output}`];
  if (opts.vcd) args.push(`+vcd=${opts.vcd.path}`, `+from=${opts.vcd.from}`, `+to=${opts.vcd.to}`);
  const result = await runBounded(vvp.path, args, { cwd: opts.dir, timeoutMs: ICARUS_TIMEOUT_MS });
  if (result.exitCode !== 0 || /^tb: /m.test(result.all)) {
    throw new AtomikError(`vvp failed: it ${howItEnded(result)}: ${result.all.trim().slice(-2000)}`, { where: opts.dir });
  }
  return parseOutputHex(readFileSync(join(opts.dir, opts.output), 'utf8'), opts.layout);
}

/** Reads the testbench's output lines ("flags resp_state ref_value cycle_count delta_count", hex) into records. */
export function parseOutputHex(text: string, layout: RecordLayout): IcarusRun {
  const O = layout.output;
  const lines = text.split('\n').filter((l) => l !== '');
  const records = new Int32Array(lines.length * O.words);
  const unknown = new Map<number, Map<string, string>>();
  const fields = [O.flags, O.respState, O.refValue, O.cycleCount, O.deltaCount];
  const signals = outputSignals(layout);
  lines.forEach((line, cycle) => {
    const parts = line.trim().split(/\s+/);
    fields.forEach((f, i) => {
      const part = parts[i] ?? '?';
      if (!hexToWords(part, records, cycle * O.words + f.offset, f.words)) {
        const bad = unknown.get(cycle) ?? new Map<string, string>();
        for (const s of signals.filter((s) => s.field === f)) bad.set(s.signal, part);
        unknown.set(cycle, bad);
      }
    });
  });
  return { records, cycles: lines.length, unknown };
}
