// Section 1, tool speed: the golden model (beside a plain BigInt model), the 512-bank plan, the cross-check and the
// CLI (its first run fills the cache; the second, cached one is timed).
// The machine shows CPU steal (../shared/TOOLCHAIN.md): speed figures are medians, and compared models run interleaved.
import { join } from 'node:path';
import { runBounded } from '../generator/tools/exec.js';
import { resolveDesign } from '../generator/design/design.js';
import { buildPlan } from '../generator/plan/plan.js';
import { recordLayout } from '../sim/layout.js';
import { crossCheck } from '../verify/core/crosscheck.js';
import { CoreModel } from '../verify/core/model.js';
import { errText, median, OUT, r1, r2, ROOT, say } from './common.js';

/** Times `fn` (which does `units` of work per call) until at least `minMs` have passed; returns units per second. */
function rate(fn: () => void, units: number, minMs = 250): number {
  let n = 0;
  const t = performance.now();
  let dt = 0;
  do {
    fn();
    n++;
    dt = performance.now() - t;
  } while (dt < minMs);
  return (n * units) / (dt / 1000);
}

function modelSpeed(): { core: number[]; plain: number[] } {
  const banks = 16;
  const width = 64;
  const params = { banks, width, mode: 'parallel' as const, pipeline: 0 };
  const layout = recordLayout(params);
  const cycles = 4096;
  const iw = layout.input.words;
  const input = new Int32Array(cycles * iw);
  const enOff = layout.input.accEn.offset;
  const dataOff = layout.input.accData.offset;
  let x = 0x12345678;
  const rnd = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x | 0;
  };
  for (let c = 0; c < cycles; c++) {
    input[c * iw + enOff] = (1 << banks) - 1; // every lane on, every cycle
    for (let k = 0; k < (banks * width) / 32; k++) input[c * iw + dataOff + k] = rnd();
  }
  const model = new CoreModel(params);
  const output = new Int32Array(cycles * layout.output.words);
  // the plain model: an array of bigint banks, one XOR per delta
  const deltas: bigint[] = [];
  for (let i = 0; i < cycles * banks; i++) deltas.push(BigInt.asUintN(64, (BigInt(rnd() >>> 0) << 32n) | BigInt(rnd() >>> 0)));
  const plainBanks: bigint[] = new Array<bigint>(banks).fill(0n);
  const plain = () => {
    for (let c = 0, i = 0; c < cycles; c++) for (let b = 0; b < banks; b++, i++) plainBanks[b] = plainBanks[b]! ^ deltas[i]!;
  };
  const core = () => model.run(input, 0, cycles, output, 0);
  rate(core, 1, 200); // warm up both (JIT)
  rate(plain, 1, 200);
  const res = { core: [] as number[], plain: [] as number[] };
  for (let i = 0; i < 5; i++) {
    res.core.push(rate(core, cycles * banks));
    res.plain.push(rate(plain, cycles * banks));
  }
  // keep both results live (each run XORs the same data an even number of times, so the state may well be zero)
  if (model.accumulator === 1n && plainBanks[0] === 1n) say('state check');
  return res;
}

function planSpeed(): number[] {
  const design = resolveDesign({ board: 'zynq7020', banks: 512, width: 64, arch: 'banked' });
  buildPlan(design, join(OUT, 'plan512')); // warm up (templates compiled, modules loaded)
  const ms: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    buildPlan(design, join(OUT, 'plan512'));
    ms.push(performance.now() - t);
  }
  return ms;
}

/** Targets of issue 16 for the two in-process speed rows (sections.ts judges the rows against them). */
export const MODEL_TARGET_M_DELTAS = 600;
export const CROSSCHECK_TARGET_M_CYCLES = 10;

/** Timed cross-check runs (the figure is their median; the first also warms the JIT up) and cycles per run (10 M: a run
 * of 2 M cycles spends a measurable share starting the simulator and filling the pipeline). */
export const CROSSCHECK_RUNS = 5;
export const CROSSCHECK_CYCLES = 10_000_000;

/** The cross-check's speed: cycles per second (median of the runs; null when one failed) and what the row says beside it. */
export interface CrossCheckSpeed {
  readonly rate: number | null;
  /** Cycles per second of each run, in order. */
  readonly runs: readonly number[];
  readonly note: string;
}

async function crossCheckSpeed(): Promise<CrossCheckSpeed> {
  say(`cross-check: 16 banks x 64 bits round-robin, ${CROSSCHECK_RUNS} runs of ${CROSSCHECK_CYCLES.toLocaleString('en-US')} cycles, Verilator`);
  const runs: number[] = [];
  try {
    const design = resolveDesign({ board: 'tang9k', banks: 16, width: 64, mode: 'round-robin' });
    let build = '';
    for (let i = 0; i < CROSSCHECK_RUNS; i++) {
      const res = await crossCheck({ design, outDir: join(OUT, 'crosscheck-b16'), cycles: CROSSCHECK_CYCLES, seed: 1 + i, sim: 'verilator', progress: (l) => say(l) });
      if (res.mismatch) return { rate: null, runs, note: `MISMATCH at cycle ${res.mismatch.cycle}, seed ${res.seed}: ${res.mismatch.signal}` };
      runs.push(res.cyclesPerSecond);
      if (i === 0) build = res.buildReused ? 'reused' : `${r1(res.buildSeconds)} s`;
    }
    return {
      rate: median(runs),
      runs,
      note: `median of ${runs.length} runs (seeds 1..${runs.length}), every cycle compared, all match; runs: ${runs.map((r) => r2(r / 1e6)).join(', ')} M cycles/s; Verilator build ${build} (not timed)`,
    };
  } catch (e) {
    return { rate: null, runs, note: `failed: ${errText(e)}` };
  }
}

/** The in-process speed figures (the CLI is timed apart: its first run shares the hardware pool). */
export interface Speed {
  /** Golden model and plain model, deltas per second, one entry per interleaved run. */
  readonly model: { readonly core: readonly number[]; readonly plain: readonly number[] };
  /** Medians of `model`, in M deltas per second. */
  readonly coreM: number;
  readonly plainM: number;
  /** Milliseconds per 512-bank plan, one entry per run. */
  readonly planMs: readonly number[];
  readonly crossCheck: CrossCheckSpeed;
}

export async function measureSpeed(): Promise<Speed> {
  say('golden model vs plain BigInt model (16 banks x 64 bits, parallel, all lanes on), 5 runs each, interleaved');
  const model = modelSpeed();
  const coreM = median(model.core) / 1e6;
  const plainM = median(model.plain) / 1e6;
  say(`model: CoreModel ${r1(coreM)} M deltas/s, plain BigInt ${r1(plainM)} M deltas/s`);
  const planMs = planSpeed();
  say(`plan 512 banks: median ${r1(median(planMs))} ms`);
  return { model, coreM, plainM, planMs, crossCheck: await crossCheckSpeed() };
}

/** One CLI run: whole process, Node start included. */
export interface CliRun {
  readonly seconds: number;
  readonly ok: boolean;
  /** The last three lines of its output, for a failure. */
  readonly tail: string;
}

/** Timed cached runs (the figure is their median: one run on this machine can be 2x off). */
export const CACHED_RUNS = 3;

/** The CLI run that is timed cached: the tang9k 16-bank design. */
export const CLI_ARGS = ['--board', 'tang9k', '--banks', '16', '--out', join('bench', 'out', 'cached')];

export async function cli(args: readonly string[]): Promise<CliRun> {
  const t = performance.now();
  const r = await runBounded(process.execPath, [join(ROOT, 'bin', 'atomik-gen.js'), ...args], { cwd: ROOT, timeoutMs: 4 * 60 * 60 * 1000 });
  const tail = r.all.trim().split('\n').slice(-3).join(' / ');
  return { seconds: (performance.now() - t) / 1000, ok: r.exitCode === 0, tail };
}
