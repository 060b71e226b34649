// `sweep --launcher "<prefix>"`: every point as one `atomik-gen` process (the main job for that point, the same
// pipeline as a point run in-process) started through a command prefix (`srun -N1 -n1`, `ssh build1`, a site's LSF
// wrapper), at most `--jobs` at a time. Each command line is printed as it runs and runs as printed; the point's report
// is read back from its output folder, which must be on a path the machines running the points share with this one.
import { basename } from 'node:path';
import { howItEnded, runBounded } from '../../tools/exec.js';
import type { Progress } from '../progress.js';
import { atomikGenCommand, errorLineOf, pointArgs, pointLimitSeconds, readPointReport, shellLine, tailLines, type PointCommandOptions } from './command.js';
import { pool, type PointJob, type SweepPoint } from './types.js';
import { AtomikError } from '../../common/errors.js';

export interface LaunchOptions {
  /** The prefix, as words (splitWords). */
  readonly prefix: readonly string[];
  /** Points run at once. */
  readonly jobs: number;
  readonly command: PointCommandOptions;
  readonly progress: Progress;
  /** Stage time limits over the plan's defaults (flags and config), for the bound of each point's process. */
  readonly timeouts: PointCommandOptions['timeoutFlags'];
}

export function runLaunched(points: readonly PointJob[], opts: LaunchOptions): Promise<SweepPoint[]> {
  return pool(
    opts.jobs,
    points.map((p) => () => launchPoint(p, opts)),
  );
}

async function launchPoint(point: PointJob, opts: LaunchOptions): Promise<SweepPoint> {
  const tag = (s: string) => opts.progress.info(`[${point.label}] ${s}`);
  // --json: the process's progress lines on stderr, its report on stdout (not relayed: it is read from the folder)
  const words = [...opts.prefix, ...atomikGenCommand(), ...pointArgs(point.input, point.outDir, { ...opts.command, json: true })];
  const command = shellLine(words);
  tag(`$ ${command}`);
  let reportStarted = false;
  const r = await runBounded(words[0]!, words.slice(1), {
    timeoutMs: pointLimitSeconds(point.input, opts.command.until, opts.timeouts, opts.command.closure) * 1000,
    onLine: (line) => {
      if (line === '{') reportStarted = true;
      // the process's closing error line is the point's reason, shown once below
      if (!reportStarted && line.trim() !== '' && !line.startsWith('atomik-gen: error: ')) tag(line);
    },
  });
  const base = { label: point.label, input: point.input, outDir: point.outDir, command };
  const failed = (reason: string): SweepPoint => {
    tag(`failed: ${reason}`);
    return { ...base, status: 'failed', reason };
  };
  if (r.exitCode !== 0) {
    const line = r.exitCode === undefined ? undefined : errorLineOf(r.all);
    if (line !== undefined) return failed(line);
    const tail = tailLines(r.all, 1)[0];
    return failed(`${basename(words[0]!)} ${howItEnded(r)}${tail === undefined ? '' : `: ${tail}`}`);
  }
  if (opts.command.until === 'generate') return { ...base, status: 'ok' };
  try {
    return { ...base, status: 'ok', report: readPointReport(point.outDir) };
  } catch (err) {
    if (err instanceof AtomikError) return failed(err.oneLine());
    throw err;
  }
}
