// Section 2, hardware: designs through the project's one pipeline (runClosedJob, the main job's placement seeds and
// clock search; runPlan for other RTL) and the vendor flow module, at most --jobs at a time: Tang Nano 9K Fmax for
// 1/4/16/64 banks (nextpnr open timing model, per placement seed), the highest clock the Tang Nano 9K's PLL makes that
// meets timing for 16 banks (--clock-mhz max), the Zynq-7020 Yosys counts for 256 and 512 banks, the `banked` against
// `reduce` comparison, the one-LUT ceiling reference, and afterwards the search for the largest bank count that fits
// the Tang Nano 9K.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tang9k } from '../boards/tang9k.js';
import type { BoardId } from '../boards/index.js';
import { resolveDesign, type Design, type DesignInput } from '../generator/design/design.js';
import { DEFAULT_SEED } from '../generator/plan/plan.js';
import { limitingFmaxMHz, type BuildReport } from '../generator/report/report.js';
import { DEFAULT_MARGIN_PCT, runClosedJob, type ClosureOptions } from '../generator/run/closure.js';
import { runPlan } from '../generator/run/pipeline.js';
import { silentProgress } from '../generator/run/progress.js';
import { GENERATOR_VERSION } from '../generator/common/version.js';
import { flowOf } from '../generator/vendors/index.js';
import { PIPELINE_CHECKS } from '../verify/stage.js';
import { BENCH, errText, FIT_BUDGET_S, JOBS, LANE_BUDGET_S, OUT, say, SEEDS, SKIP_HW } from './common.js';

export interface Flow {
  readonly label: string;
  readonly ok: boolean;
  readonly reason?: string;
  readonly seconds: number;
  readonly report?: BuildReport;
  /** Core-clock Fmax per placement seed (nextpnr), in seed order. */
  readonly fmax: readonly { seed: number; mhz: number | null }[];
}

/**
 * One design through the pipeline (lint, verify, synth, and place and route per placement seed: the main job's
 * mechanism, the seeds side by side in the one folder after one synthesis, every seed in the report and the best
 * kept). `closure`: a place-and-route target other than the design clock, or the clock search.
 */
export async function flow(
  label: string,
  input: DesignInput,
  until: 'synth' | 'pnr',
  seeds: readonly number[] = [DEFAULT_SEED],
  closure: Omit<ClosureOptions, 'seeds'> = {},
): Promise<Flow> {
  const t = performance.now();
  const secs = () => (performance.now() - t) / 1000;
  say(`${label}: start (until ${until}${until === 'pnr' ? `, seeds ${seeds.join(',')}` : ''})`);
  let design: Design;
  try {
    design = resolveDesign(input);
  } catch (e) {
    say(`${label}: rejected: ${errText(e)}`);
    return { label, ok: false, reason: `rejected by the generator: ${errText(e)}`, seconds: secs(), fmax: [] };
  }
  const outDir = join(OUT, label);
  try {
    const job = await runClosedJob(design, outDir, { checks: PIPELINE_CHECKS, until, progress: silentProgress, ...(until === 'pnr' ? { seeds, ...closure } : {}) });
    const report = job.report;
    const fmax = (report?.placements?.seeds ?? []).map((p) => ({ seed: p.seed, mhz: p.fmaxMHz }));
    for (const p of report?.placements?.seeds ?? []) say(`${label}: seed ${p.seed}: ${p.status === 'failed' ? `failed: ${p.reason}` : `Fmax ${p.fmaxMHz ?? '-'} MHz`}`);
    const search = report?.clockSearch;
    if (search) say(`${label}: clock search: ${search.attempts.map((a) => `${a.clockMHz} MHz ${a.met ? 'met' : 'not met'}`).join(', ')}; chosen ${search.chosenMHz ?? 'none'}`);
    say(`${label}: done in ${secs().toFixed(0)} s`);
    return { label, ok: true, seconds: secs(), ...(report ? { report } : {}), fmax };
  } catch (e) {
    const reason = `${errText(e)}${pnrDiagnosis(outDir)}`;
    say(`${label}: failed: ${reason}`);
    return { label, ok: false, reason, seconds: secs(), fmax: [] };
  }
}

/** The first ERROR line of a failed nextpnr run and its DFF / LUT4 utilisation, from its log. */
function pnrDiagnosis(outDir: string): string {
  const log = join(outDir, 'logs', 'pnr.log');
  if (!existsSync(log)) return '';
  const text = readFileSync(log, 'utf8');
  const err = /^ERROR: (.*)$/m.exec(text)?.[1];
  const util = ['LUT4', 'DFF'].map((bel) => new RegExp(`^Info:\\s+${bel}:\\s+(\\d+)/\\s*(\\d+)`, 'm').exec(text)).filter((m): m is RegExpExecArray => m !== null);
  const used = util.map((m) => `${m[0].includes('DFF') ? 'DFF' : 'LUT4'} ${m[1]}/${m[2]}`).join(', ');
  return err ? ` (${used ? `${used}; ` : ''}${err.slice(0, 110)}${err.length > 110 ? '...' : ''})` : '';
}

export interface Ceiling {
  readonly fmax: number | null;
  readonly seconds: number;
  readonly reason?: string;
}

/** The ceiling reference (bench/ceiling/: one LUT level between registers) through the Tang Nano 9K's vendor flow. */
async function ceilingFlow(): Promise<Ceiling> {
  const t = performance.now();
  say('ceiling: start');
  try {
    const source = (name: string) => readFileSync(join(BENCH, 'ceiling', name), 'utf8');
    const rtl = { path: 'rtl/ceiling.v', role: 'rtl' as const, content: source('ceiling.v') };
    const cst = { path: 'constraints/ceiling.cst', role: 'constraints' as const, content: source('ceiling.cst') };
    const digest = createHash('sha256').update(rtl.content).update(cst.content).digest('hex');
    const header = ['Bench ceiling reference (bench/ceiling/), run by npm run bench.', `Sources sha256:${digest}`];
    const params = { seed: DEFAULT_SEED, targetMHz: CEILING_TARGET_MHZ };
    const vendor = flowOf(tang9k);
    const flowed = vendor.plan({ board: tang9k, top: 'ceiling', rtlFiles: [rtl.path], constraints: cst.path, blockDesign: false, header, params });
    // build.json marks the folder as atomik-gen's (the pipeline writes only into folders it owns)
    const planJson = { path: 'build.json', role: 'plan' as const, content: `${JSON.stringify({ generator: `atomik-gen ${GENERATOR_VERSION}`, digest }, null, 2)}\n` };
    const plan = { digest, outDir: join(OUT, 'ceiling'), files: [rtl, cst, ...flowed.files, planJson], stages: flowed.stages };
    const run = await runPlan(plan, { checks: PIPELINE_CHECKS, until: 'pnr', progress: silentProgress });
    const pnr = plan.stages.find((s) => s.name === 'pnr')!;
    const fmax = limitingFmaxMHz(vendor.implementation(JSON.parse(readFileSync(join(run.outDir, pnr.result!.path), 'utf8')), tang9k, CEILING_TARGET_MHZ).clocks);
    say(`ceiling: Fmax ${fmax} MHz`);
    return { fmax, seconds: (performance.now() - t) / 1000 };
  } catch (e) {
    return { fmax: null, seconds: (performance.now() - t) / 1000, reason: errText(e) };
  }
}

/** The ceiling's place-and-route target: far above what it reaches, so the placer works for it. */
const CEILING_TARGET_MHZ = 500;

/** Runs at most `jobs` tasks at once. */
async function pool(jobs: number, tasks: readonly (() => Promise<void>)[]): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < tasks.length; i = next++) await tasks[i]!();
  };
  await Promise.all(Array.from({ length: Math.min(jobs, tasks.length) }, worker));
}

export const resource = (r: BuildReport | undefined, name: string, from: 'synthesis' | 'resources' = 'resources') =>
  (from === 'synthesis' ? r?.synthesis : r?.resources?.items)?.find((i) => i.resource === name)?.used ?? null;

/** The Fmax of each placement seed that placed and routed, in seed order. */
export const seedFmax = (f: Flow | undefined): number[] => f?.fmax.map((x) => x.mhz).filter((m): m is number => m !== null) ?? [];

/** What the hardware pool measured; empty maps (and a ceiling not run) under --skip-hw. */
export interface Hardware {
  /** Tang Nano 9K, banked, by bank count (placed and routed per seed). */
  readonly tang: Map<number, Flow>;
  /** Zynq-7020, banked, by bank count (synthesis only). */
  readonly zynq: Map<number, Flow>;
  /** The architecture comparison (issue 6): the same sizes as `banked` (the maps above) and as `reduce`, by label. */
  readonly archFlows: Map<string, Flow>;
  /** Tang Nano 9K, 16 banks (the default design), --clock-mhz max over the placement seeds: the report's clockSearch. */
  clockMax?: Flow;
  /** Tang Nano 9K, 16 banks banked, synthesized with synth_gowin -noalu (placement seed 1): against seed 1 of `tang`. */
  noalu?: Flow;
  ceiling: Ceiling;
  /** The pool's wall time. */
  seconds: number;
}

/**
 * Runs the hardware flows, at most --jobs at a time, with `cliTask` (the first, uncached CLI run, which shares the
 * pool) between the long flows that start first and the shorter ones after.
 */
export async function runHardware(cliTask: () => Promise<void>): Promise<Hardware> {
  const hw: Hardware = { tang: new Map(), zynq: new Map(), archFlows: new Map(), ceiling: { fmax: null, seconds: 0, reason: 'not run (--skip-hw)' }, seconds: 0 };
  const start = performance.now();
  const tasks = SKIP_HW ? [cliTask] : [...longTasks(hw), cliTask, ...shortTasks(hw)];
  await pool(JOBS, tasks);
  hw.seconds = (performance.now() - start) / 1000;
  return hw;
}

const banked = (board: BoardId, banks: number): DesignInput => ({ board, banks, width: 64, arch: 'banked' });

/**
 * The place-and-route target of the Tang Nano 9K Fmax points (nextpnr --freq): above the Fmax they reach, so the placer
 * works for it (at the design's 81 MHz it stops once that is met). The design clock stays the board's.
 */
export const TANG_TARGET_MHZ = 300;
const aim = { targetMHz: TANG_TARGET_MHZ };

/** The flows that take longest: started first. */
function longTasks(hw: Hardware): (() => Promise<void>)[] {
  return [
    async () => void hw.zynq.set(512, await flow('zynq7020-b512', banked('zynq7020', 512), 'synth')),
    async () => void hw.tang.set(64, await flow('tang9k-b64', banked('tang9k', 64), 'pnr', SEEDS, aim)),
    async () => void hw.zynq.set(256, await flow('zynq7020-b256', banked('zynq7020', 256), 'synth')),
    async () => void hw.tang.set(16, await flow('tang9k-b16', banked('tang9k', 16), 'pnr', SEEDS, aim)),
  ];
}

/** The rest of the Tang Nano 9K points, the ceiling and the architecture comparison. */
function shortTasks(hw: Hardware): (() => Promise<void>)[] {
  const arch = (label: string, input: DesignInput, until: 'synth' | 'pnr', seeds?: readonly number[]) => async () =>
    void hw.archFlows.set(label, await flow(label, input, until, seeds, until === 'pnr' ? aim : {}));
  return [
    async () => void hw.tang.set(4, await flow('tang9k-b4', banked('tang9k', 4), 'pnr', SEEDS, aim)),
    async () => void hw.tang.set(1, await flow('tang9k-b1', banked('tang9k', 1), 'pnr', SEEDS, aim)),
    async () => void (hw.noalu = await flow('tang9k-b16-noalu', banked('tang9k', 16), 'pnr', [DEFAULT_SEED], { ...aim, synthFlags: ['-noalu'] })),
    async () => void (hw.clockMax = await flow('tang9k-b16-clock-max', { board: 'tang9k', banks: 16, width: 64 }, 'pnr', SEEDS, { clockMax: { marginPct: DEFAULT_MARGIN_PCT } })),
    async () => void (hw.ceiling = await ceilingFlow()),
    arch('zynq7020-b512-reduce', { board: 'zynq7020', banks: 512, width: 64, arch: 'reduce' }, 'synth'),
    arch('zynq7020-b512-parallel-reduce', { board: 'zynq7020', banks: 512, width: 64, mode: 'parallel', arch: 'reduce' }, 'synth'),
    arch('tang9k-b64-reduce', { board: 'tang9k', banks: 64, width: 64, arch: 'reduce' }, 'pnr', SEEDS),
    arch('tang9k-b16-parallel-banked', { board: 'tang9k', banks: 16, width: 64, mode: 'parallel', arch: 'banked' }, 'pnr', SEEDS),
    arch('tang9k-b16-parallel-reduce', { board: 'tang9k', banks: 16, width: 64, mode: 'parallel', arch: 'reduce' }, 'pnr', SEEDS),
  ];
}

/** One bank count tried by the fit search (placement seed 1). */
export interface FitPoint {
  readonly banks: number;
  readonly ok: boolean;
  readonly reason?: string;
  readonly lut?: number | null;
  readonly ff?: number | null;
  readonly fmax?: number | null;
}

export interface Fit {
  readonly points: readonly FitPoint[];
  /** Why the search stopped early, or ''. */
  readonly note: string;
}

const fitPoint = (banks: number, ok: boolean, f: Flow): FitPoint => ({
  banks,
  ok,
  ...(f.reason ? { reason: f.reason } : {}),
  lut: resource(f.report, 'LUT'),
  ff: resource(f.report, 'FF'),
  fmax: f.fmax[0]?.mhz ?? null,
});

/**
 * The largest bank count that fits at 64 bits, from the 64-bank flow: 64 fits: 72, 80, ... up to the first failure;
 * 64 does not: 56, 48, ... down to the first that fits; either until the time budget (--fit-budget). Not run under
 * --skip-hw.
 */
export async function fitSearch(t64: Flow | undefined): Promise<Fit> {
  const points: FitPoint[] = [];
  if (SKIP_HW) return { points, note: '' };
  const up = t64?.ok === true && t64.fmax[0]?.mhz != null;
  if (t64) points.push(fitPoint(64, up, t64));
  const fitStart = performance.now();
  for (let banks = up ? 72 : 56; t64 && banks >= 1; banks += up ? 8 : -8) {
    if ((performance.now() - fitStart) / 1000 > FIT_BUDGET_S) {
      return { points, note: `search stopped by the time budget (${FIT_BUDGET_S} s, --fit-budget): ${banks} and ${up ? 'above' : 'below'} not run` };
    }
    const f = await flow(`tang9k-b${banks}`, banked('tang9k', banks), 'pnr', [1]);
    const ok = f.ok && f.fmax[0]?.mhz !== null && f.fmax[0] !== undefined;
    points.push(fitPoint(banks, ok, f));
    if (ok !== up) break;
  }
  return { points, note: '' };
}

/** One lane count tried by the lane search: parallel `reduce` with the bench top (placement seed 1). */
export interface LanePoint {
  readonly lanes: number;
  readonly flow: Flow;
  /** Fmax of seed 1, or null when it did not place and route. */
  readonly fmax: number | null;
  /** Deltas per cycle the bench top's simulation counted (the measure stage), or null. */
  readonly counted: number | null;
}

/** The Fmax the lane search asks of a lane count: the largest that fits at this or more is reported (issue 16). */
export const LANE_FMAX_FLOOR_MHZ = 150;

/**
 * The largest lane count of a parallel `reduce` core (64 bits, bench top: every lane fed every cycle) that fits the
 * Tang Nano 9K at >= LANE_FMAX_FLOOR_MHZ: 16, 32, 64, ... until one does not place or misses the floor, or the time
 * budget (--lane-budget) is spent. Placement seed 1, the Fmax points' target. Not run under --skip-hw.
 */
export async function laneSearch(): Promise<LanePoint[]> {
  const points: LanePoint[] = [];
  if (SKIP_HW) return points;
  const start = performance.now();
  for (let lanes = 16; lanes <= 512; lanes *= 2) {
    if (points.length && (performance.now() - start) / 1000 > LANE_BUDGET_S) break;
    const f = await flow(`tang9k-p${lanes}-bench`, { board: 'tang9k', banks: lanes, width: 64, mode: 'parallel', arch: 'reduce', bench: true }, 'pnr', [DEFAULT_SEED], aim);
    const fmax = f.ok ? (f.fmax[0]?.mhz ?? null) : null;
    const t = f.report?.throughput;
    const counted = t?.counted ? t.counted.deltas / t.counted.cycles : null;
    points.push({ lanes, flow: f, fmax, counted });
    if (fmax === null || fmax < LANE_FMAX_FLOOR_MHZ) break;
  }
  return points;
}

/** The limiting path of a flow's kept placement, from its nextpnr report: where it starts and ends, its logic cells, routing. */
export function criticalPath(f: Flow | undefined): string | null {
  const report = f?.report;
  if (!report) return null;
  const kept = report.placements?.keptSeed ?? DEFAULT_SEED;
  const dir = join(OUT, f.label, 'reports');
  const file = [join(dir, kept === DEFAULT_SEED ? 'pnr.report.json' : `pnr.seed${kept}.report.json`)].find((x) => existsSync(x));
  if (!file) return null;
  try {
    const json = JSON.parse(readFileSync(file, 'utf8')) as { critical_paths?: { path: { type: string; delay: number; from: { cell: string }; to: { cell: string } }[] }[] };
    const path = json.critical_paths?.[0]?.path;
    if (!path?.length) return null;
    const total = path.reduce((sum, p) => sum + p.delay, 0);
    const routing = path.filter((p) => p.type === 'routing').reduce((sum, p) => sum + p.delay, 0);
    // LUTs and carry-chain entries take 0.5 ns or more in the Gowin timing model; steps along a chain 0.06 ns
    const cells = path.filter((p) => p.type === 'logic' && p.delay >= 0.3).length;
    const cell = (c: string) => c.replace(/_(DFF\w*|LUT\d|ALU|MUX2)\w*$/, '');
    return `${cell(path[0]!.from.cell)} -> ${cell(path[path.length - 1]!.to.cell)}, ${total.toFixed(2)} ns of which routing ${routing.toFixed(2)} ns, ${cells} logic cell(s) (LUT or carry-chain entry)`;
  } catch {
    return null;
  }
}
