// Sweeps: the flow over every combination of boards, bank counts, widths, modes, architectures and clocks. A failing
// point is recorded with its reason and the others go on. The sweep is written as JSON, CSV and Markdown.
//
// How the points run (the executor): in this process, up to a job limit (the default); each as one `atomik-gen` process
// through a launcher prefix (`--launcher`, executors/launcher.ts); or as the tasks of one Slurm job array
// (`--executor slurm`, executors/slurm.ts). Every way runs the main job's pipeline for the point, from the same point
// list (sweepInputs), which is also the GitHub Actions matrix (sweepMatrix).
import { renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULTS, resolveDesign, type Design, type LooseDesignInput } from '../design/design.js';
import type { Locate } from '../design/shape.js';
import { AtomikError } from '../common/errors.js';
import type { RunStageName } from '../common/stages.js';
import type { StageName } from '../plan/plan.js';
import { sweepCsv, sweepMarkdown } from '../report/sweep-tables.js';
import type { FindToolOptions } from '../tools/tools.js';
import { shellLine, type PointCommandOptions } from './executors/command.js';
import { runLaunched } from './executors/launcher.js';
import { findSlurmCommands, runSlurm, type SlurmCommands } from './executors/slurm.js';
import { pool, type PointJob, type SweepPoint } from './executors/types.js';
import { runClosedJob, type ClosureOptions } from './closure.js';
import { recordOwned, withFolder } from './folder.js';
import { type CheckRunners, type JobOptions } from './pipeline.js';
import { createProgress, type Progress } from './progress.js';

/** The sweep's tables (generator/report/sweep-tables.ts), where cli/sweep.ts has always found them. */
export { sweepCsv, sweepMarkdown };
export type { SlurmTaskRecord, SweepPoint } from './executors/types.js';

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

/** How a sweep's points ran, when not in the sweep's own process. */
export type SweepExecutorRecord =
  | { readonly kind: 'launcher'; readonly launcher: string }
  | {
      readonly kind: 'slurm';
      readonly jobId: string;
      /** The sbatch command line, as run. */
      readonly submit: string;
      /** The array script, relative to the sweep's folder. */
      readonly script: string;
      readonly launcher?: string;
    };

export interface Sweep {
  readonly kind: 'atomik-sweep';
  readonly generator: string;
  readonly axes: SweepAxes;
  readonly until: StageName;
  /** Absent: every point ran in the sweep's process. */
  readonly executor?: SweepExecutorRecord;
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
  readonly tools: FindToolOptions | undefined;
  readonly locate: Locate | undefined;
  readonly closure: ClosureOptions;
}

/** One point through the same pipeline as the main job (verify included), in this process; a failure is recorded, never thrown. */
async function runPoint(input: LooseDesignInput, run: PointRun): Promise<SweepPoint> {
  const label = pointLabel(input);
  const log = labelled(run.progress, label);
  let design: Design;
  try {
    design = resolveDesign(input, run.locate);
  } catch (err) {
    const reason = err instanceof AtomikError ? err.oneLine() : String(err);
    log.info(`failed: ${reason}`);
    return { label, input, status: 'failed', reason };
  }
  const outDir = join(run.root, label);
  try {
    const job = await runClosedJob(design, outDir, {
      ...run.closure,
      checks: run.checks,
      until: run.until,
      force: run.force,
      progress: log,
      timeouts: run.timeouts,
      ...(run.tools ? { tools: run.tools } : {}),
    });
    return { label, input, status: 'ok', outDir, ...(job.report ? { report: job.report } : {}) };
  } catch (err) {
    const reason = err instanceof AtomikError ? err.oneLine().split('\n')[0]! : String(err);
    log.info(`failed: ${reason}`);
    return { label, input, status: 'failed', reason, outDir };
  }
}

/**
 * How the points run when not in this process: each as one `atomik-gen` process (the main job for the point), through
 * a launcher prefix (`kind: 'local'`, `--jobs` at a time) or as the tasks of one Slurm job array (`kind: 'slurm'`).
 */
export interface SweepExecutorOptions {
  readonly kind: 'local' | 'slurm';
  /** A command prefix for each point's process: as given, and as words. Needed for `local`. */
  readonly launcher?: { readonly text: string; readonly words: readonly string[] };
  /** What each point's process is given besides its design: the config file, the `--timeout` flags, board files. */
  readonly command: Omit<PointCommandOptions, 'until' | 'force' | 'json'>;
  /** Slurm: the folder the tasks start in (default: the current folder). */
  readonly cwd?: string;
  readonly partition?: string;
  /** More sbatch options, as words. */
  readonly slurmOpts?: readonly string[];
  /** Slurm: at most this many tasks at once (undefined: as many as the cluster gives). */
  readonly throttle?: number;
  /** Resolves on Ctrl-C: a Slurm array is cancelled and the points that did not finish are recorded so. */
  readonly interrupted?: Promise<NodeJS.Signals>;
  readonly pollSeconds?: { readonly first: number; readonly max: number };
}

export interface SweepOptions {
  readonly axes: SweepAxes;
  readonly outDir: string;
  /** Points run at once in this process or through a launcher. */
  readonly jobs: number;
  readonly until: StageName;
  readonly force?: boolean;
  readonly progress?: Progress;
  readonly generator: string;
  /** The pipeline's check implementations (verify/'s PIPELINE_CHECKS): every point is verified like the main job. */
  readonly checks: CheckRunners;
  /** Stage time limits over the plan's defaults (the config's `timeouts` and `--timeout`). */
  readonly timeouts?: Readonly<Partial<Record<RunStageName, number>>>;
  /** Design fields beneath every point's axes (the config file's), and where a field is written, for messages. */
  readonly base?: LooseDesignInput;
  readonly locate?: Locate;
  /** Tool overrides (the config's `tools`). */
  readonly tools?: FindToolOptions;
  /** Default: every point in this process. */
  readonly executor?: SweepExecutorOptions;
  /** Placement seeds and the clock search (`--seeds`, `--clock-mhz max`) for every point (generator/run/closure.ts). */
  readonly closure?: ClosureOptions;
}

export interface SweepResult {
  readonly sweep: Sweep;
  readonly files: string[];
  /** The signal that stopped a Slurm sweep (its array cancelled; its tables written with the points that finished). */
  readonly interrupted?: NodeJS.Signals;
}

export async function runSweep(opts: SweepOptions): Promise<SweepResult> {
  const root = resolve(opts.outDir);
  // before the folder is made: a Slurm sweep where Slurm's commands are missing is refused at once
  const slurm = opts.executor?.kind === 'slurm' ? await findSlurmCommands() : undefined;
  // the sweep's folder is ours and locked for the whole sweep; each point's folder is claimed and locked by its job
  return withFolder(root, () => sweepInto(root, opts, slurm));
}

/** The sweep's points: each combination of the axes over the base, with its folder. */
export function sweepJobs(axes: SweepAxes, root: string, base: LooseDesignInput = {}): PointJob[] {
  return sweepInputs(axes).map((axis) => {
    const input = { ...base, ...axis };
    const label = pointLabel(input);
    return { label, input, outDir: join(root, label) };
  });
}

async function sweepInto(root: string, opts: SweepOptions, slurm: SlurmCommands | undefined): Promise<SweepResult> {
  const progress = opts.progress ?? createProgress(process.stdout, false);
  const jobs = sweepJobs(opts.axes, root, opts.base);
  const ex = opts.executor;
  const timeouts = opts.timeouts ?? {};
  let points: SweepPoint[];
  let executor: SweepExecutorRecord | undefined;
  let interrupted: NodeJS.Signals | undefined;
  if (ex?.kind === 'slurm' && slurm) {
    const throttle = ex.throttle === undefined ? 'as many at a time as the cluster gives' : `at most ${ex.throttle} at a time`;
    progress.info(`sweep: ${jobs.length} point(s) as a Slurm job array, ${throttle}, until ${opts.until}`);
    const run = await runSlurm(jobs, {
      root,
      cwd: ex.cwd ?? process.cwd(),
      ...(ex.throttle === undefined ? {} : { jobs: ex.throttle }),
      ...(ex.partition === undefined ? {} : { partition: ex.partition }),
      slurmOpts: ex.slurmOpts ?? [],
      prefix: ex.launcher?.words ?? [],
      command: { ...ex.command, until: opts.until, force: opts.force === true },
      timeouts,
      progress,
      ...(ex.interrupted ? { interrupted: ex.interrupted } : {}),
      ...(ex.pollSeconds ? { pollSeconds: ex.pollSeconds } : {}),
    }, slurm);
    points = run.points;
    interrupted = run.interrupted;
    executor = { kind: 'slurm', jobId: run.jobId, submit: run.submit, script: run.script, ...(ex.launcher ? { launcher: ex.launcher.text } : {}) };
  } else if (ex?.launcher) {
    progress.info(`sweep: ${jobs.length} point(s), ${opts.jobs} at a time, each through ${shellLine(ex.launcher.words)}, until ${opts.until}`);
    points = await runLaunched(jobs, {
      prefix: ex.launcher.words,
      jobs: opts.jobs,
      command: { ...ex.command, until: opts.until, force: opts.force === true },
      timeouts,
      progress,
    });
    executor = { kind: 'launcher', launcher: ex.launcher.text };
  } else {
    progress.info(`sweep: ${jobs.length} point(s), ${opts.jobs} at a time, until ${opts.until}`);
    const run: PointRun = { root, until: opts.until, force: opts.force === true, progress, checks: opts.checks, timeouts, tools: opts.tools, locate: opts.locate, closure: opts.closure ?? {} };
    points = await pool(
      opts.jobs,
      jobs.map((job) => () => runPoint(job.input, run)),
    );
  }
  const sweep: Sweep = { kind: 'atomik-sweep', generator: opts.generator, axes: opts.axes, until: opts.until, ...(executor ? { executor } : {}), points };
  const tables = { 'sweep.json': JSON.stringify(sweep, null, 2) + '\n', 'sweep.csv': sweepCsv(sweep), 'sweep.md': sweepMarkdown(sweep) };
  recordOwned(root, Object.keys(tables));
  const files = Object.entries(tables).map(([name, text]) => {
    writeFileSync(join(root, `${name}.tmp`), text);
    renameSync(join(root, `${name}.tmp`), join(root, name));
    return join(root, name);
  });
  return { sweep, files, ...(interrupted === undefined ? {} : { interrupted }) };
}
