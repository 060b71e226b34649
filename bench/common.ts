// What every part of the bench shares: its folders, its command-line options, its log line and its number helpers.
// Options: --quick (placement seed 1 only, a shorter fit search), --skip-hw (no hardware: sections 1 and 4), --fit-budget S (seconds
// the fit search may start new attempts for), --lane-budget S (the same for the lane search), --jobs N (flows at a time,
// default: the number of cores).
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AtomikError } from '../generator/common/errors.js';
import type { ToolId } from '../generator/tools/tools.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BENCH = join(ROOT, 'bench');
export const OUT = join(BENCH, 'out');

const argv = process.argv.slice(2);
export const QUICK = argv.includes('--quick');
export const SKIP_HW = argv.includes('--skip-hw');
const numArg = (name: string, def: number): number => {
  const i = argv.indexOf(name);
  const v = i >= 0 ? Number(argv[i + 1]) : NaN;
  return Number.isFinite(v) ? v : def;
};
export const JOBS = numArg('--jobs', Math.max(1, cpus().length));
export const FIT_BUDGET_S = numArg('--fit-budget', QUICK ? 240 : 1800);
/** Seconds the lane search may start new attempts for (after its first). */
export const LANE_BUDGET_S = numArg('--lane-budget', QUICK ? 240 : 1800);
export const SEEDS = QUICK ? [1] : [1, 2, 3];
/** When the bench started (performance.now()). */
export const T0 = performance.now();

export const say = (line: string) => process.stderr.write(`[bench ${((performance.now() - T0) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};
export const r1 = (x: number) => Math.round(x * 10) / 10;
export const r2 = (x: number) => Math.round(x * 100) / 100;
export const errText = (e: unknown) => (e instanceof AtomikError ? e.oneLine().split('\n')[0]! : e instanceof Error ? e.message.split('\n')[0]! : String(e));

/** The tools the bench probes and lists in results.md, in that order. */
export const TOOL_IDS: readonly ToolId[] = ['verilator', 'yosys', 'nextpnr-himbaechel', 'gowin_pack', 'iverilog'];
