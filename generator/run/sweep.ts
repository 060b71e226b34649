// Sweeps: the flow over every combination of boards, bank counts, widths, modes, architectures and clocks, in parallel up to a job
// limit. A failing point is recorded with its reason and the others go on. The sweep is written as JSON, CSV and
// Markdown.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULTS, resolveDesign, type Design, type DesignInput } from '../design/design.js';
import { AtomikError } from '../common/errors.js';
import { buildPlan, type StageName } from '../plan/plan.js';
import { limitingFmaxMHz, type BuildReport } from '../report/report.js';
import { runJob, type CheckRunners } from './pipeline.js';
import { createProgress, type Progress } from './progress.js';

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
  readonly input: DesignInput;
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

/** Every combination, in a fixed order: board, banks, width, mode, arch, clock. */
export function sweepInputs(axes: SweepAxes): DesignInput[] {
  const clocks: (number | undefined)[] = axes.clocks.length > 0 ? [...axes.clocks] : [undefined];
  const archs = axes.archs ?? [DEFAULTS.arch];
  const inputs: DesignInput[] = [];
  for (const board of axes.boards)
    for (const banks of axes.banks)
      for (const width of axes.widths)
        for (const mode of axes.modes)
          for (const arch of archs)
            for (const clockMHz of clocks)
              inputs.push({ board, banks, width, mode: mode as DesignInput['mode'], arch: arch as DesignInput['arch'], ...(clockMHz === undefined ? {} : { clockMHz }) });
  return inputs;
}

/** `tang9k-b16-w64-round-robin` (the default arch is not named), the point's folder and label. */
export function pointLabel(input: DesignInput): string {
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
}

/** One point through the same pipeline as the main job (verify included); a failure is recorded, never thrown. */
async function runPoint(input: DesignInput, run: PointRun): Promise<SweepPoint> {
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
    const job = await runJob(buildPlan(design, outDir), { checks: run.checks, until: run.until, force: run.force, progress: log });
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
}): Promise<{ sweep: Sweep; files: string[] }> {
  const root = resolve(opts.outDir);
  mkdirSync(root, { recursive: true });
  const progress = opts.progress ?? createProgress(process.stdout, false);
  const inputs = sweepInputs(opts.axes);
  progress.info(`sweep: ${inputs.length} point(s), ${opts.jobs} at a time, until ${opts.until}`);
  const points = await pool(
    opts.jobs,
    inputs.map((input) => () => runPoint(input, { root, until: opts.until, force: opts.force === true, progress, checks: opts.checks })),
  );
  const sweep: Sweep = { kind: 'atomik-sweep', generator: opts.generator, axes: opts.axes, until: opts.until, points };
  const files = [join(root, 'sweep.json'), join(root, 'sweep.csv'), join(root, 'sweep.md')];
  writeFileSync(files[0]!, JSON.stringify(sweep, null, 2) + '\n');
  writeFileSync(files[1]!, sweepCsv(sweep));
  writeFileSync(files[2]!, sweepMarkdown(sweep));
  return { sweep, files };
}

interface Row {
  readonly [column: string]: string | number;
}

function rows(sweep: Sweep): Row[] {
  return sweep.points.map((p) => {
    const r = p.report;
    const res = (name: string) => r?.resources?.items.find((i) => i.resource === name);
    const fmax = r ? limitingFmaxMHz(r.clocks) : null;
    const clock = r?.clocks.find((c) => c.fmaxMHz === fmax);
    return {
      board: p.input.board ?? '',
      banks: p.input.banks ?? '',
      width: p.input.width ?? '',
      mode: p.input.mode ?? '',
      arch: p.input.arch ?? '',
      clock_mhz: r?.design.clockMHz ?? p.input.clockMHz ?? '',
      status: p.status,
      lut: res('LUT')?.used ?? '',
      lut_pct: res('LUT')?.percent ?? '',
      ff: res('FF')?.used ?? '',
      ff_pct: res('FF')?.percent ?? '',
      resources_from: r?.resources?.source ?? '',
      fmax_mhz: fmax ?? '',
      fmax_source: clock?.source ?? '',
      timing_met: r?.timingMet === null || r?.timingMet === undefined ? '' : String(r.timingMet),
      mdeltas_per_s: r?.throughput.mDeltasPerSecond ?? '',
      throughput_basis: r?.throughput.basis ?? '',
      reason: p.reason ?? '',
    };
  });
}

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function sweepCsv(sweep: Sweep): string {
  const table = rows(sweep);
  const columns = Object.keys(table[0] ?? { board: '' });
  return [columns.join(','), ...table.map((r) => columns.map((c) => csvCell(r[c] ?? '')).join(','))].join('\n') + '\n';
}

export function sweepMarkdown(sweep: Sweep): string {
  const head = '| board | banks | width | mode | arch | clock MHz | status | LUT | LUT % | FF | FF % | Fmax MHz | timing met | Mdeltas/s |';
  const lines = [
    `# Sweep (${sweep.generator}, until ${sweep.until})`,
    '',
    head,
    '|---|---:|---:|---|---|---:|---|---:|---:|---:|---:|---:|---|---:|',
    ...rows(sweep).map(
      (r) =>
        `| ${r.board} | ${r.banks} | ${r.width} | ${r.mode} | ${r.arch} | ${r.clock_mhz} | ${r.status === 'ok' ? 'ok' : `failed: ${String(r.reason).replace(/\|/g, '\\|')}`} | ${r.lut} | ${r.lut_pct} | ${r.ff} | ${r.ff_pct} | ${r.fmax_mhz} | ${r.timing_met} | ${r.mdeltas_per_s} |`,
    ),
    '',
    'Fmax from nextpnr is the open timing model\'s estimate; throughput is deltas per cycle x clock, by design unless a report says it was measured.',
    '',
  ];
  return lines.join('\n');
}
