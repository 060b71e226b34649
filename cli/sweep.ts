// `atomik-gen sweep`: the main job over every combination of the listed values, each point through the same pipeline
// (verify included), written as JSON, CSV and Markdown. `--json` prints the sweep's JSON (sweep.json) on stdout, and
// everything else (progress, the table, the closing line) on stderr.
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Argv, CommandModule } from 'yargs';
import { AtomikError } from '../generator/common/errors.js';
import { shownPath } from '../generator/common/shown.js';
import { GENERATOR_VERSION } from '../generator/common/version.js';
import { DEFAULTS } from '../generator/design/design.js';
import { STAGES, type StageName } from '../generator/plan/plan.js';
import { createProgress } from '../generator/run/progress.js';
import { runSweep, sweepMarkdown, sweepMatrix, type SweepAxes } from '../generator/run/sweep.js';
import { PIPELINE_CHECKS } from '../verify/stage.js';
import { flagValue, singleFlag, type Args, timeoutsFromArgs, withTimeoutFlag } from './design-flags.js';
import { say } from './say.js';

/** The axis flags and the SweepAxes list each one fills. */
const AXIS_FLAGS = ['board', 'banks', 'width', 'mode', 'arch', 'clock-mhz'] as const;
type AxisFlag = (typeof AXIS_FLAGS)[number];

/**
 * A comma-separated axis as values (numbers as numbers, `fallback` when absent), each value once in the order first
 * given: `--banks 4,4` would give two points one folder. Dropped repeats are added to `repeats` for the note.
 */
function list(argv: Args, flag: AxisFlag, fallback: readonly (string | number)[], repeats: string[]): (string | number)[] {
  const text = argv[flag];
  if (text === undefined) return [...fallback];
  const values = String(text)
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '')
    .map((x) => flagValue(x) as string | number);
  const kept: (string | number)[] = [];
  const dropped: (string | number)[] = [];
  for (const v of values) {
    if (kept.includes(v)) {
      if (!dropped.includes(v)) dropped.push(v);
    } else kept.push(v);
  }
  if (dropped.length > 0) repeats.push(`--${flag} ${dropped.join(',')}`);
  return kept;
}

/** The sweep's axes from the flags; repeated values are dropped with one note on stderr. */
export function sweepAxes(argv: Args, stderr: NodeJS.WritableStream = process.stderr): SweepAxes {
  const repeats: string[] = [];
  const axes: SweepAxes = {
    boards: list(argv, 'board', [DEFAULTS.board], repeats).map(String),
    banks: list(argv, 'banks', [DEFAULTS.banks], repeats) as number[],
    widths: list(argv, 'width', [DEFAULTS.width], repeats) as number[],
    modes: list(argv, 'mode', [DEFAULTS.mode], repeats).map(String),
    archs: list(argv, 'arch', [DEFAULTS.arch], repeats).map(String),
    clocks: list(argv, 'clock-mhz', [], repeats) as number[],
  };
  if (repeats.length > 0) stderr.write(`sweep: note: each value runs once; dropped the repeats of ${repeats.join(' and ')}\n`);
  return axes;
}

async function sweep(argv: Args): Promise<void> {
  const axes = sweepAxes(argv);
  if (argv['emit-matrix'] === true) {
    say(JSON.stringify(sweepMatrix(axes)));
    return;
  }
  const jobsFlag = singleFlag(argv, 'jobs');
  const jobs = jobsFlag === undefined ? availableParallelism() : Number(jobsFlag);
  if (!Number.isInteger(jobs) || jobs < 1) throw new AtomikError(`must be a whole number >= 1, got ${String(jobsFlag)}`, { where: '--jobs' });
  const outDir = singleFlag(argv, 'out') ?? 'out/sweep';
  let isFile = false;
  try {
    isFile = !statSync(outDir).isDirectory();
  } catch {
    // not there yet: the sweep makes it
  }
  if (isFile) throw new AtomikError(`${outDir} is a file, not a folder`, { where: '--out', hint: 'name a new folder, or one an earlier sweep wrote' });
  const json = argv.json === true;
  // with --json, stdout carries the sweep's JSON only
  const lines = json ? process.stderr : process.stdout;
  const { sweep: result, files } = await runSweep({
    axes,
    outDir,
    jobs,
    until: (argv.until as StageName | undefined) ?? 'bitstream',
    force: argv.force === true,
    generator: `atomik-gen ${GENERATOR_VERSION}`,
    checks: PIPELINE_CHECKS,
    timeouts: timeoutsFromArgs(argv),
    progress: createProgress(lines, false),
  });
  const failed = result.points.filter((p) => p.status === 'failed').length;
  lines.write(`${sweepMarkdown(result)}\n`);
  lines.write(`sweep: ${result.points.length - failed} ok, ${failed} failed; wrote ${files.map(shownPath).join(', ')}\n`);
  if (json) process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}

export const sweepCommand: CommandModule<object, Args> = {
  command: 'sweep',
  describe: 'run the flow over every combination of the listed values (comma-separated) and write JSON, CSV and Markdown',
  builder: (y: Argv<object>) =>
    withTimeoutFlag(y)
      .option('board', { type: 'string', describe: 'boards, e.g. tang9k,zynq7020' })
      .option('banks', { type: 'string', describe: 'bank counts, e.g. 1,2,4,8,16' })
      .option('width', { type: 'string', describe: 'widths' })
      .option('mode', { type: 'string', describe: 'modes' })
      .option('arch', { type: 'string', describe: 'architectures: banked, reduce' })
      .option('clock-mhz', { type: 'string', describe: 'core clocks (default: each board\'s)' })
      .option('jobs', { type: 'string', describe: 'points run at once (default: the number of cores)' })
      .option('until', { choices: STAGES, describe: 'stop each point after this stage' })
      .option('force', { type: 'boolean', describe: 'ignore the cache' })
      .option('emit-matrix', { type: 'boolean', describe: 'print the points as a GitHub Actions matrix (JSON) and exit' })
      .option('json', { type: 'boolean', describe: 'print the sweep as JSON (as sweep.json) on stdout; progress and the table go to stderr' })
      .option('out', { type: 'string', describe: 'sweep folder (default: out/sweep)' })
      .example('$0 sweep --board tang9k --banks 1,4,16 --until synth', 'three designs to synthesis, side by side in out/sweep/sweep.md')
      .example('$0 sweep --board tang9k,zynq7020 --banks 16 --emit-matrix', 'the points as a GitHub Actions matrix, for a CI job per point') as Argv<Args>,
  handler: sweep,
};
