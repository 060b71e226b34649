// Sweeps: the flow over every combination of boards, bank counts, widths, modes, architectures and clocks, in parallel up to a job
// limit. A failing point is recorded with its reason and the others go on. The sweep is written as JSON, CSV and
// Markdown.
import { renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULTS, resolveDesign, type Design, type LooseDesignInput } from '../design/design.js';
import { AtomikError } from '../common/errors.js';
import { buildPlan, type StageName } from '../plan/plan.js';
import type { BuildReport } from '../report/report.js';
import { sweepCsv, sweepMarkdown } from '../report/sweep-tables.js';
import { recordOwned, withFolder } from './folder.js';
import { runJob, type CheckRunners, type JobOptions } from './pipeline.js';
import { createProgress, type Progress } from './progress.js';

/** The sweep's tables (generator/report/sweep-tables.ts), where cli/sweep.ts has always found them. */
export { sweepCsv, sweepMarkdown };

export interface SweepAxes {
  readonly boards: readonly string[];
  readonly banks: readonly number[];
  readonly widths: readonly number[];
  readonly modes: readonly string[];
  /** `banked` / `reduce`; absent in sweeps older than the choice (the default then). */
  readonly archs?: readonly string[];
  /** Empty: each board's default clock. */
  readonly clocks: readonly number[];
}

export interface SweepPoint {
  readonly label: string;
  readonly input: LooseDesignInput;
  readonly status: 'ok' | 'failed';
  readonly reason?: string;
  readonly outDir?: string;
  readonly report?: BuildReport;
}

export interface Sweep {
  readonly kind: 'atomik-sweep';
  readonly generator: string;
  readonly axes: SweepAxes;
  readonly until: StageName;
  readonly points: readonly SweepPoint[];
}

/** Every combination, in a fixed order: board, banks, width, mode, arch, clock; each once (a repeated axis value adds nothing). */
export function sweepInputs(axes: SweepAxes): LooseDesignInput[] {
  const seen = new Set<string>();
  return combinations(axes).filter((input) => {
    const label = pointLabel(input);
    if (seen.has(label)) return false;
    seen.add(label);
    return true;
  });
}

function combinations(axes: SweepAxes): LooseDesignInput[] {
  const clocks: (number | undefined)[] = axes.clocks.length > 0 ? [...axes.clocks] : [undefined];
  const archs = axes.archs ?? [DEFAULTS.arch];
  const inputs: LooseDesignInput[] = [];
  for (const board of axes.boards)
    for (const banks of axes.banks)
      for (const width of axes.widths)
        for (const mode of axes.modes)
          for (const arch of archs)
            for (const clockMHz of clocks)
              inputs.push({ board, banks, width, mode: mode as LooseDesignInput['mode'], arch: arch as LooseDesignInput['arch'], ...(clockMHz === undefined ? {} : { clockMHz }) });
  return inputs;
}

/** `tang9k-b16-w64-round-robin` (the default arch is not named), the point's folder and label. */
export function pointLabel(input: LooseDesignInput): string {
  const clock = input.clockMHz === undefined ? '' : `-${input.clockMHz}mhz`;
  const arch = input.arch === undefined || input.arch === DEFAULTS.arch ? '' : `-${input.arch}`;
  return `${input.board}-b${input.banks}-w${input.width}-${input.mode}${arch}${clock}`;
}

/** The GitHub Actions matrix of a sweep: one entry per point. */
export function sweepMatrix(axes: SweepAxes): { include: Record<string, string | number>[] } {
  return {
    include: sweepInputs(axes).map((i) => ({
      board: i.board!,
      banks: i.banks!,
      width: i.width!,
      mode: i.mode!,
      arch: i.arch!,
      ...(i.clockMHz === undefined ? {} : { clockMHz: i.clockMHz }),
    })),
  };
}

/** Runs at most `jobs` of the tasks at once, keeping their order in the result. */
async function pool<T>(jobs: number, tasks: readonly (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < tasks.length; i = next++) results[i] = await tasks[i]!();
  };
  await Promise.all(Array.from({ length: Math.min(jobs, tasks.length) }, worker));
  return results;
}

/** Prefixes every progress line with the point's label (plain lines: points run side by side). */
function labelled(progress: Progress, label: string): Progress {
  const tag = (s: string) => `[${label}] ${s}`;
  return {
    start: (stage, detail) => progress.info(tag(`${stage}: running ${detail}`)),
    output: () => {},
    done: (stage, seconds) => progress.info(tag(`${stage}: done in ${seconds.toFixed(1)} s`)),
    cached: (stage) => progress.info(tag(`${stage}: cached`)),
    skipped: (stage, reason) => progress.info(tag(`${stage}: skipped: ${reason}`)),
    failed: (stage, seconds) => progress.info(tag(`${stage}: failed after ${seconds.toFixed(1)} s`)),
    info: (line) => progress.info(tag(line)),
  };
}

interface PointRun {
  readonly root: string;
  readonly until: StageName;
  readonly force: boolean;
  readonly progress: Progress;
  readonly checks: CheckRunners;
  readonly timeouts: JobOptions['timeouts'];
}

/** One point through the same pipeline as the main job (verify included); a failure is recorded, never thrown. */
async function runPoint(input: LooseDesignInput, run: PointRun): Promise<SweepPoint> {
  const label = pointLabel(input);
  const log = labelled(run.progress, label);
  let design: Design;
  try {
    design = resolveDesign(input);
  } catch (err) {
    const reason = err instanceof AtomikError ? err.oneLine() : String(err);
    log.info(`failed: ${reason}`);
    return { label, input, status: 'failed', reason };
  }
  const outDir = join(run.root, label);
  try {
    const job = await runJob(buildPlan(design, outDir), { checks: run.checks, until: run.until, force: run.force, progress: log, timeouts: run.timeouts });
    return { label, input, status: 'ok', outDir, ...(job.report ? { report: job.report } : {}) };
  } catch (err) {
    const reason = err instanceof AtomikError ? err.oneLine().split('\n')[0]! : String(err);
    log.info(`failed: ${reason}`);
    return { label, input, status: 'failed', reason, outDir };
  }
}

export async function runSweep(opts: {
  axes: SweepAxes;
  outDir: string;
  jobs: number;
  until: StageName;
  force?: boolean;
  progress?: Progress;
  generator: string;
  /** The pipeline's check implementations (verify/'s PIPELINE_CHECKS): every point is verified like the main job. */
  checks: CheckRunners;
  /** Stage time limits over the plan's defaults (`--timeout`). */
  timeouts?: JobOptions['timeouts'];
}): Promise<{ sweep: Sweep; files: string[] }> {
  const root = resolve(opts.outDir);
  // the sweep's folder is ours and locked for the whole sweep; each point's folder is claimed and locked by its job
  return withFolder(root, () => sweepInto(root, opts));
}

async function sweepInto(root: string, opts: Parameters<typeof runSweep>[0]): Promise<{ sweep: Sweep; files: string[] }> {
  const progress = opts.progress ?? createProgress(process.stdout, false);
  const inputs = sweepInputs(opts.axes);
  progress.info(`sweep: ${inputs.length} point(s), ${opts.jobs} at a time, until ${opts.until}`);
  const points = await pool(
    opts.jobs,
    inputs.map((input) => () => runPoint(input, { root, until: opts.until, force: opts.force === true, progress, checks: opts.checks, timeouts: opts.timeouts })),
  );
  const sweep: Sweep = { kind: 'atomik-sweep', generator: opts.generator, axes: opts.axes, until: opts.until, points };
  const tables = { 'sweep.json': JSON.stringify(sweep, null, 2) + '\n', 'sweep.csv': sweepCsv(sweep), 'sweep.md': sweepMarkdown(sweep) };
  recordOwned(root, Object.keys(tables));
  const files = Object.entries(tables).map(([name, text]) => {
    writeFileSync(join(root, `${name}.tmp`), text);
    renameSync(join(root, `${name}.tmp`), join(root, name));
    return join(root, name);
  });
  return { sweep, files };
}
