// Timing closure: several placement seeds side by side, keeping the best (`--seeds N`), and the search for the highest
// clock the board's PLL makes that meets timing (`--clock-mhz max`). The main job, every sweep point and the bench run a
// design through runClosedJob, which is runJob itself when neither is asked for.
//
// Seeds: the stages before place and route run once; each seed's place and route (the vendor flow's pnr stage with
// that seed: its own routed design, report, log and cache stamp in the same folder) runs side by side, at most as many
// at once as there are CPUs in this process, each bounded in time like any stage. The kept seed: timing met first, then
// the highest Fmax, then the lowest seed. Its plan becomes the folder's (build.sh and build.json name its seed) and its
// routed design is packed into the one bitstream. A flow without a placement seed (Vivado) runs once.
//
// Clock search: a probe places and routes the design (synthesis and place and route only, in its own folder
// `clock-probe/` inside the output folder, so a rerun finds it cached) at a target above any clock the PLL makes; its
// Fmax less the margin is the ceiling; the design is generated at the highest clock the PLL makes at or below the
// ceiling and runs the whole job there. When timing is not met, the next ceiling is the Fmax that attempt reached less
// the margin, at most MAX_CLOCK_ATTEMPTS attempts. The attempts share the job's folder, so a missed attempt's design is
// replaced by the next: a rerun whose search key matches the last report's takes the missed attempts from that report
// instead of running them again, and the chosen attempt's job is then served from the cache.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { findBoard } from '../../boards/index.js';
import type { Board } from '../../boards/types.js';
import { clockingOf } from '../clocking/index.js';
import { AtomikError } from '../common/errors.js';
import { shownPath } from '../common/shown.js';
import { GENERATOR_VERSION } from '../common/version.js';
import { clockSourceOf, DEFAULTS, designDigest, LIMITS, resolveDesign, type Design, type DesignInput, type Host } from '../design/design.js';
import { buildPlan, DEFAULT_SEED, STAGES, type BuildPlan, type StageName } from '../plan/plan.js';
import { buildReport, limitingFmaxMHz, REPORT_FILE, writeReport, type BuildReport, type StageResult } from '../report/report.js';
import { parseReport, type ClockSearchReport, type PlacementReport, type PlacementsReport } from '../report/schema.js';
import { stageTools, type Stage } from '../tools/stage.js';
import { findTool, ToolMissingError } from '../tools/tools.js';
import { flowOf } from '../vendors/index.js';
import { fileHash } from './cache.js';
import { recordOwned, removeOwned, withFolder } from './folder.js';
import { runJob, runPlanStages, type JobOptions, type JobResult } from './pipeline.js';
import { silentProgress, type Progress } from './progress.js';
import { writePlan } from './write.js';

/** `--seeds` at most (LIMITS.seeds). */
export const MAX_SEEDS = LIMITS.seeds.max;
/** `--margin` by default, in percent (DEFAULTS.marginPct, where the reason is). */
export const DEFAULT_MARGIN_PCT = DEFAULTS.marginPct;
/** `--margin` range, percent (LIMITS.marginPct). */
export const MARGIN_RANGE = LIMITS.marginPct;
/** Attempts of the clock search, the probe aside. */
export const MAX_CLOCK_ATTEMPTS = 4;
/** The probe's folder, inside the output folder. */
export const PROBE_FOLDER = 'clock-probe';
/** How the kept seed is chosen. */
export const KEEP_RULE = 'kept: timing met first, then the highest Fmax, then the lowest seed';

export interface ClosureOptions {
  /** Placement seeds (nextpnr --seed), placed side by side; the best is kept. Default: the flow's one seed. */
  readonly seeds?: readonly number[];
  /** The clock place and route works towards (default: the design clock). Not with clockMax. */
  readonly targetMHz?: number;
  /** Search the highest clock the board's PLL makes that meets timing, each measured Fmax less `marginPct` percent. */
  readonly clockMax?: { readonly marginPct: number };
  /** Extra synthesis options (FlowParams.synthFlags: the bench's -noalu measurement). Not with clockMax. */
  readonly synthFlags?: readonly string[];
}

export type ClosedJobOptions = JobOptions & ClosureOptions;

/** Seeds 1..n. */
export function seedsUpTo(n: number): number[] {
  return Array.from({ length: n }, (_, i) => DEFAULT_SEED + i);
}

/** The stages --seeds and --clock-mhz max need: place and route. An --until before it is refused. */
export function checkClosureUntil(until: StageName | undefined, closure: ClosureOptions): void {
  if (closure.seeds === undefined && closure.clockMax === undefined) return;
  if (until === undefined || STAGES.indexOf(until) >= STAGES.indexOf('pnr')) return;
  const what = closure.clockMax ? '--clock-mhz max' : '--seeds';
  throw new AtomikError(`${what} places and routes the design, and --until ${until} stops before place and route`, {
    where: '--until',
    hint: 'use --until pnr or bitstream, or leave --until out',
  });
}

/**
 * The design through the pipeline: runJob as it is without seeds or the clock search; with them, the seeds side by
 * side and the best kept, or the clock search, the report recording every seed (`placements`) and the search
 * (`clockSearch`).
 */
export async function runClosedJob(design: Design, outDir: string, opts: ClosedJobOptions): Promise<JobResult> {
  if (opts.seeds === undefined && opts.clockMax === undefined) {
    return runJob(buildPlan(design, outDir, { ...(opts.targetMHz === undefined ? {} : { targetMHz: opts.targetMHz }), ...(opts.synthFlags ? { synthFlags: opts.synthFlags } : {}) }), opts);
  }
  checkClosureUntil(opts.until, opts);
  const board = boardOf(design);
  const pnr = pnrStage(buildPlan(design, outDir));
  if (!pnr) {
    throw new AtomikError(`a design without a board top (host ${design.host}) has no place and route, so no placement seed or Fmax`, {
      where: opts.clockMax ? '--clock-mhz max' : '--seeds',
      hint: 'use --host uart',
    });
  }
  if (opts.clockMax) await checkFmaxFlow(board, pnr, opts);
  const progress = opts.progress ?? silentProgress;
  let seeds = opts.seeds ?? [DEFAULT_SEED];
  let note: string | undefined;
  if (seeds.length > 1 && !flowTakesSeed(design, outDir)) {
    note = `the ${board.flow} flow has no placement seed: --seeds ignored, one place and route`;
    progress.info(`note: ${note}`);
    seeds = [seeds[0]!];
  }
  if (opts.clockMax) return searchClock(design, board, outDir, seeds, opts.clockMax.marginPct, note, opts);
  const targetMHz = opts.targetMHz ?? design.clockMHz;
  return withFolder(outDir, async () =>
    finish(await place({ design, outDir, seeds, targetMHz, before: 'all', opts, ...(opts.synthFlags ? { synthFlags: opts.synthFlags } : {}) }), opts, note, {}),
  );
}

function boardOf(design: Design): Board {
  const board = findBoard(design.board);
  if (!board) throw new Error(`internal: unknown board ${design.board} after validation`);
  return board;
}

function pnrStage(plan: BuildPlan): Stage | undefined {
  return plan.stages.find((s) => s.name === 'pnr');
}

/** Whether the design's flow takes a placement seed: its place and route differs between two seeds (Vivado's does not). */
export function flowTakesSeed(design: Design, outDir = '.'): boolean {
  const [a, b] = [DEFAULT_SEED, DEFAULT_SEED + 1].map((seed) => pnrStage(buildPlan(design, outDir, { seed })));
  return JSON.stringify(a?.commands) !== JSON.stringify(b?.commands);
}

/** The clock search needs an Fmax: the board's place and route must be able to run (Vivado for the Zynq). */
async function checkFmaxFlow(board: Board, pnr: Stage, opts: JobOptions): Promise<void> {
  for (const id of stageTools(pnr)) {
    try {
      await findTool(id, opts.tools);
    } catch (err) {
      if (!(err instanceof ToolMissingError)) throw err;
      throw new AtomikError(`needs an Fmax from place and route, and the ${board.title}'s place and route cannot run here: ${pnr.skipWithoutTool ?? err.message}`, {
        where: '--clock-mhz max',
        hint: `install ${id} (atomik-gen doctor), or give the clock with --clock-mhz MHZ`,
      });
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Placements

/** Placements running at once in this process, over every job (a sweep's points, the bench's flows): the CPU count. */
const slots = { free: Math.max(1, availableParallelism()), waiting: [] as (() => void)[] };

async function withSlot<T>(work: () => Promise<T>): Promise<T> {
  if (slots.free > 0) slots.free--;
  else await new Promise<void>((go) => slots.waiting.push(go));
  try {
    return await work();
  } finally {
    const next = slots.waiting.shift();
    if (next) next();
    else slots.free++;
  }
}

interface Placed {
  readonly seed: number;
  readonly plan: BuildPlan;
  /** The seed's pnr stage result; absent when it failed. */
  readonly result?: StageResult;
  readonly report: PlacementReport;
  readonly error?: unknown;
}

interface Placement {
  /** The first seed's plan: the one written before the stages the seeds share. */
  readonly first: BuildPlan;
  /** The stages before place and route. */
  readonly before: readonly StageResult[];
  readonly placed: readonly Placed[];
  readonly kept: Placed;
  readonly targetMHz: number;
}

interface PlaceRun {
  readonly design: Design;
  readonly outDir: string;
  readonly seeds: readonly number[];
  readonly targetMHz: number;
  /** The stages before place and route: every one (the job's folder), or synthesis alone (the clock-search probe). */
  readonly before: 'all' | 'synth';
  readonly opts: JobOptions;
  readonly synthFlags?: readonly string[];
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** One seed's figures, from its pnr stage's result through the vendor flow's parser. */
export function placementReport(plan: BuildPlan, result: StageResult): PlacementReport {
  const seconds = Math.round(result.seconds * 10) / 10;
  const file = pnrStage(plan)?.result?.path;
  if (result.status === 'skipped' || file === undefined) {
    return { seed: plan.params.seed, status: 'skipped', seconds, fmaxMHz: null, met: null, resources: [], result: null, ...(result.reason ? { reason: result.reason } : {}) };
  }
  const json = JSON.parse(readFileSync(join(resolve(plan.outDir), file), 'utf8')) as unknown;
  const impl = flowOf(plan.board).implementation(json, plan.board, plan.params.targetMHz);
  return {
    seed: plan.params.seed,
    status: result.status,
    seconds,
    fmaxMHz: limitingFmaxMHz(impl.clocks),
    met: impl.clocks.length === 0 ? null : impl.clocks.every((c) => c.met),
    resources: [...impl.resources],
    result: file,
  };
}

/** The seed kept: timing met first, then the highest Fmax, then the lowest seed; a failed seed never. */
export function keptSeed(placements: readonly PlacementReport[]): PlacementReport | undefined {
  const rank = (p: PlacementReport) => [p.met === true ? 1 : 0, p.fmaxMHz ?? -1, -p.seed] as const;
  const better = (a: PlacementReport, b: PlacementReport) => {
    const [x, y] = [rank(a), rank(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! > y[i]!;
    return false;
  };
  let best: PlacementReport | undefined;
  for (const p of placements) if (p.status !== 'failed' && (best === undefined || better(p, best))) best = p;
  return best;
}

/** Progress lines of one seed among several: plain lines, since the seeds run side by side. */
function seedProgress(progress: Progress, seed: number): Progress {
  const tag = `pnr seed ${seed}`;
  return {
    start: (_stage, detail) => progress.info(`${tag}: running ${detail}`),
    output: () => {},
    done: (_stage, seconds) => progress.info(`${tag}: done in ${seconds.toFixed(1)} s`),
    cached: () => progress.info(`${tag}: cached`),
    skipped: (_stage, reason) => progress.info(`${tag}: skipped: ${reason}`),
    failed: (_stage, seconds) => progress.info(`${tag}: failed after ${seconds.toFixed(1)} s`),
    info: (line) => progress.info(`${tag}: ${line}`),
  };
}

const errorLine = (err: unknown) => (err instanceof AtomikError ? err.oneLine().split('\n')[0]! : err instanceof Error ? err.message.split('\n')[0]! : String(err));

/** Writes the design, runs the stages before place and route once, then every seed's place and route side by side. */
async function place(run: PlaceRun): Promise<Placement> {
  const { design, outDir, targetMHz, opts } = run;
  const progress = opts.progress ?? silentProgress;
  const plans = run.seeds.map((seed) => buildPlan(design, outDir, { seed, targetMHz, ...(run.synthFlags ? { synthFlags: run.synthFlags } : {}) }));
  const first = plans[0]!;
  const started = performance.now();
  const out = writePlan(first);
  progress.info(`generate: ${first.files.length} files in ${shownPath(out)} (${Math.round(performance.now() - started)} ms, digest ${first.digest.slice(0, 16)})`);
  // the report of an earlier run must not outlive this one's failure
  recordOwned(out, [REPORT_FILE]);
  removeOwned(out, REPORT_FILE);
  const pnrAt = STAGES.indexOf('pnr');
  const beforeStages = first.stages.filter((s) => STAGES.indexOf(s.name) < pnrAt && (run.before === 'all' || s.name === 'synth'));
  const before = await runPlanStages(first, beforeStages, opts);
  const several = plans.length > 1;
  const placed = await Promise.all(
    plans.map((plan) =>
      withSlot(async (): Promise<Placed> => {
        const seed = plan.params.seed;
        try {
          const [result] = await runPlanStages(plan, [pnrStage(plan)!], { ...opts, progress: several ? seedProgress(progress, seed) : progress });
          return { seed, plan, result: result!, report: placementReport(plan, result!) };
        } catch (error) {
          if (!several) throw error;
          const report: PlacementReport = { seed, status: 'failed', seconds: 0, fmaxMHz: null, met: null, resources: [], result: null, reason: errorLine(error) };
          return { seed, plan, report, error };
        }
      }),
    ),
  );
  const best = keptSeed(placed.map((p) => p.report));
  if (!best) {
    throw new AtomikError(`every placement seed failed: ${placed.map((p) => `seed ${p.seed}: ${p.report.reason}`).join('; ')}`, {
      where: 'pnr stage',
      hint: 'see each seed\'s log (logs/pnr.log, logs/pnr.seedN.log)',
    });
  }
  const kept = placed.find((p) => p.seed === best.seed)!;
  if (several) {
    const each = placed.map((p) => `${p.seed}: ${p.report.status === 'failed' ? 'failed' : `${p.report.fmaxMHz ?? '-'} MHz`}`).join(', ');
    progress.info(`pnr: kept seed ${kept.seed} of ${placed.length} (${each})`);
  }
  return { first, before, placed, kept, targetMHz };
}

function placementsRecord(p: Placement, note: string | undefined): PlacementsReport {
  return { targetMHz: p.targetMHz, seeds: p.placed.map((x) => x.report), keptSeed: p.kept.seed, rule: KEEP_RULE, ...(note ? { note } : {}) };
}

/** The kept seed's plan becomes the folder's; the stages after place and route run from it; the report is written. */
async function finish(p: Placement, opts: JobOptions, note: string | undefined, extra: Partial<BuildReport>): Promise<JobResult> {
  const final = p.kept.plan;
  // build.sh and build.json name the kept seed (the design's files are the same for every seed)
  if (final !== p.first) writePlan(final);
  const last = STAGES.indexOf(opts.until ?? 'bitstream');
  const pnrAt = STAGES.indexOf('pnr');
  const after = final.stages.filter((s) => STAGES.indexOf(s.name) > pnrAt && STAGES.indexOf(s.name) <= last);
  const notRun = final.stages.filter((s) => STAGES.indexOf(s.name) > last).map((s) => s.name);
  const results = [...p.before, p.kept.result!, ...(await runPlanStages(final, after, opts))];
  const built = buildReport(final, results);
  const report: BuildReport = { ...built, ...extra, notes: [...built.notes, ...(extra.notes ?? [])], placements: placementsRecord(p, note) };
  return { plan: final, outDir: resolve(final.outDir), results, report, reportPath: writeReport(final, report), notRun };
}

// ---------------------------------------------------------------------------------------------------------------------
// The clock search

/** `fmaxMHz` less `marginPct` percent. */
export function derate(fmaxMHz: number, marginPct: number): number {
  return fmaxMHz * (1 - marginPct / 100);
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * The highest clock the design's clock source makes at or below `ceilingMHz` (rounded as the design rounds a clock),
 * or undefined below the source's range. The solvers give the nearest clock to a target: when it lies above the
 * ceiling, nothing lies closer to the target, so the next try is that far below it.
 */
export function highestClockAtMost(board: Board, host: Host, ceilingMHz: number): number | undefined {
  const source = clockSourceOf(board, host);
  const range = LIMITS.clockMHz[source];
  const x = Math.min(ceilingMHz, range.max);
  if (!(x >= range.min)) return undefined;
  if (source === 'zynq-fclk') return Math.floor(x * 1000) / 1000;
  const clocking = clockingOf(source);
  let t = x;
  for (let i = 0; i < 1000 && t >= range.min - 1e-9; i++) {
    const nearest = clocking.reach(board.clock.mhz, t).nearestMHz;
    const made = round3(nearest);
    if (made <= x + 1e-9) return made >= range.min - 1e-9 ? made : undefined;
    t = nearest <= t ? nearest - 1e-6 : 2 * t - nearest - 1e-6;
  }
  return undefined;
}

/** The design input of a resolved design at another clock. */
function inputAt(design: Design, clockMHz: number): DesignInput {
  return {
    name: design.name,
    board: design.board as DesignInput['board'],
    banks: design.banks,
    width: design.width,
    mode: design.mode,
    arch: design.arch,
    clockMHz,
    pipeline: design.pipeline,
    host: design.host,
    bench: design.bench,
    boardOptions: { resetButton: design.resetButton },
    ...(design.host === 'uart' ? { baud: design.baud, frameTimeoutMs: design.frameTimeoutMs } : {}),
  };
}

/**
 * The design at the highest clock its PLL makes at or below the ceiling that the design accepts (a UART line must
 * divide the clock closely enough: a clock it refuses is passed over for the next one down).
 */
export function designAtMost(base: Design, board: Board, ceilingMHz: number): Design {
  let x = ceilingMHz;
  let refused: AtomikError | undefined;
  for (let i = 0; i < 200; i++) {
    const clock = highestClockAtMost(board, base.host, x);
    if (clock === undefined) break;
    try {
      return resolveDesign(inputAt(base, clock));
    } catch (err) {
      if (!(err instanceof AtomikError)) throw err;
      refused = err;
      x = clock - 0.001;
    }
  }
  const range = LIMITS.clockMHz[clockSourceOf(board, base.host)];
  throw new AtomikError(
    `no clock the ${board.title} makes at or below ${round2(ceilingMHz)} MHz suits the design${refused ? ` (${refused.message})` : ` (its lowest is ${range.min} MHz)`}`,
    { where: '--clock-mhz max', hint: 'the design is too slow for this board\'s clock, or the margin too large: see --margin' },
  );
}

export type ClockAttempt = ClockSearchReport['attempts'][number];

/** The clock search of the report in the folder, when there is one that reads. */
function previousSearch(outDir: string): ClockSearchReport | undefined {
  try {
    return parseReport(JSON.parse(readFileSync(join(resolve(outDir), REPORT_FILE), 'utf8')), REPORT_FILE).clockSearch;
  } catch {
    return undefined;
  }
}

/**
 * What a search's attempts depend on: the generator, the design (its digest at the board's clock), the probe's target,
 * its placement reports and tools, the seeds and the margin. The same key gives the same attempts.
 */
function searchKey(base: Design, probe: Placement, probeTarget: number, seeds: readonly number[], marginPct: number): string {
  const out = resolve(probe.first.outDir);
  const results = probe.placed.map((p) => ({
    seed: p.seed,
    report: p.report.result === null ? null : fileHash(join(out, p.report.result)) ?? null,
    tools: (p.result?.tools ?? []).map((t) => `${t.id}@${t.version}:${t.path}`),
  }));
  const what = { generator: GENERATOR_VERSION, digest: designDigest(base), probeTarget, seeds, marginPct, results };
  return createHash('sha256').update(JSON.stringify(what)).digest('hex');
}

/**
 * After an attempt: undefined when the search ends (timing met, no Fmax to go on, or MAX_CLOCK_ATTEMPTS made), else the
 * next ceiling: the Fmax this attempt reached less the margin (below its clock, since timing was not met).
 */
export function nextCeiling(attempts: readonly ClockAttempt[], marginPct: number): number | undefined {
  const last = attempts.at(-1);
  if (!last || last.met || last.fmaxMHz === null || attempts.length >= MAX_CLOCK_ATTEMPTS) return undefined;
  return Math.min(derate(last.fmaxMHz, marginPct), last.clockMHz - 0.001);
}

/** The probe's target: the highest clock the design's clock source makes at all, above any clock it could be given. */
export function probeTargetMHz(board: Board, host: Host): number {
  return LIMITS.clockMHz[clockSourceOf(board, host)].max;
}

async function searchClock(
  base: Design,
  board: Board,
  outDir: string,
  seeds: readonly number[],
  marginPct: number,
  note: string | undefined,
  opts: JobOptions,
): Promise<JobResult> {
  const progress = opts.progress ?? silentProgress;
  const probeTarget = probeTargetMHz(board, base.host);
  const probeDir = join(resolve(outDir), PROBE_FOLDER);
  const source = clockSourceOf(board, base.host);
  return withFolder(outDir, async () => {
    // a search with the same key need not repeat the attempts that missed timing (their designs are gone)
    const previous = previousSearch(outDir);
    // the report of an earlier run must not outlive a failure of the probe
    recordOwned(outDir, [REPORT_FILE]);
    removeOwned(outDir, REPORT_FILE);
    progress.info(`clock search: probe: synthesis and place and route at ${probeTarget} MHz (the most the ${source} makes), in ${shownPath(probeDir)}`);
    const probe = await withFolder(probeDir, () => place({ design: base, outDir: probeDir, seeds, targetMHz: probeTarget, before: 'synth', opts }));
    const probeFmax = probe.kept.report.fmaxMHz;
    if (probeFmax === null) {
      throw new AtomikError(`the probe's place and route reported no Fmax (${probe.kept.report.reason ?? 'no timing analysis'})`, {
        where: '--clock-mhz max',
        hint: 'give the clock with --clock-mhz MHZ',
      });
    }
    const key = searchKey(base, probe, probeTarget, seeds, marginPct);
    const attempts: ClockAttempt[] = [];
    let ceiling: number | undefined = derate(probeFmax, marginPct);
    progress.info(`clock search: the probe reached ${probeFmax} MHz; less ${marginPct} %: at most ${round2(ceiling)} MHz`);
    if (previous?.key === key) {
      for (const a of previous.attempts.slice(0, -1).filter((x) => !x.met)) {
        attempts.push({ ...a, reused: true });
        progress.info(`clock search: attempt ${attempts.length}: ${a.clockMHz} MHz reached ${a.fmaxMHz ?? '-'} MHz, timing not met (the previous run's, same search)`);
      }
      const next = attempts.length > 0 ? nextCeiling(attempts, marginPct) : undefined;
      if (next !== undefined) ceiling = next;
      else attempts.length = 0;
    }
    let placement: Placement | undefined;
    while (ceiling !== undefined) {
      const design = designAtMost(base, board, ceiling);
      progress.info(`clock search: attempt ${attempts.length + 1}: at most ${round2(ceiling)} MHz: the ${source} makes ${design.clockMHz} MHz`);
      placement = await place({ design, outDir, seeds, targetMHz: design.clockMHz, before: 'all', opts });
      const kept = placement.kept.report;
      attempts.push({ requestedMHz: round2(ceiling), clockMHz: design.clockMHz, fmaxMHz: kept.fmaxMHz, met: kept.met === true, keptSeed: kept.seed });
      progress.info(`clock search: attempt ${attempts.length}: Fmax ${kept.fmaxMHz ?? '-'} MHz at ${design.clockMHz} MHz: ${kept.met ? 'timing met' : 'timing not met'}`);
      ceiling = nextCeiling(attempts, marginPct);
    }
    const last = attempts.at(-1)!;
    const chosen = last.met ? last.clockMHz : null;
    const search: ClockSearchReport = {
      key,
      marginPct,
      probe: {
        folder: PROBE_FOLDER,
        designClockMHz: base.clockMHz,
        targetMHz: probeTarget,
        fmaxMHz: probeFmax,
        seeds: probe.placed.map((p) => p.report),
        keptSeed: probe.kept.seed,
      },
      attempts,
      chosenMHz: chosen,
      note:
        chosen !== null
          ? `the highest clock the ${source} makes at or below the Fmax reached less ${marginPct} %, with timing met there`
          : `no attempt met timing in ${attempts.length} attempt(s): the report is the last attempt's, at ${last.clockMHz} MHz`,
    };
    const notes = chosen === null ? [`clock search: ${search.note}`] : [];
    return finish(placement!, opts, note, { clockSearch: search, notes });
  });
}
