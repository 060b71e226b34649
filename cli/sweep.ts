// `atomik-gen sweep`: the main job over every combination of the listed values, each point through the same pipeline
// (verify included), written as JSON, CSV and Markdown.
import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { AtomikError } from '../generator/common/errors.js';
import { GENERATOR_VERSION } from '../generator/common/version.js';
import { DEFAULTS } from '../generator/design/design.js';
import { STAGES, type StageName } from '../generator/plan/plan.js';
import { runSweep, sweepMarkdown, sweepMatrix, type SweepAxes } from '../generator/run/sweep.js';
import { PIPELINE_CHECKS } from '../verify/stage.js';
import { flagValue, type Args } from './design-flags.js';
import { say } from './say.js';

function list(text: unknown, fallback: readonly (string | number)[]): (string | number)[] {
  if (text === undefined) return [...fallback];
  return String(text)
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '')
    .map((x) => flagValue(x) as string | number);
}

function sweepAxes(argv: Args): SweepAxes {
  return {
    boards: list(argv.board, [DEFAULTS.board]).map(String),
    banks: list(argv.banks, [DEFAULTS.banks]) as number[],
    widths: list(argv.width, [DEFAULTS.width]) as number[],
    modes: list(argv.mode, [DEFAULTS.mode]).map(String),
    archs: list(argv.arch, [DEFAULTS.arch]).map(String),
    clocks: list(argv['clock-mhz'], []) as number[],
  };
}

async function sweep(argv: Args): Promise<void> {
  const axes = sweepAxes(argv);
  if (argv['emit-matrix'] === true) {
    say(JSON.stringify(sweepMatrix(axes)));
    return;
  }
  const jobs = argv.jobs === undefined ? availableParallelism() : Number(argv.jobs);
  if (!Number.isInteger(jobs) || jobs < 1) throw new AtomikError(`must be a whole number >= 1, got ${String(argv.jobs)}`, { where: '--jobs' });
  const { sweep: result, files } = await runSweep({
    axes,
    outDir: typeof argv.out === 'string' ? argv.out : 'out/sweep',
    jobs,
    until: (argv.until as StageName | undefined) ?? 'bitstream',
    force: argv.force === true,
    generator: `atomik-gen ${GENERATOR_VERSION}`,
    checks: PIPELINE_CHECKS,
  });
  const failed = result.points.filter((p) => p.status === 'failed').length;
  say(sweepMarkdown(result));
  say(`sweep: ${result.points.length - failed} ok, ${failed} failed; wrote ${files.map((f) => relative(process.cwd(), f)).join(', ')}`);
}

export const sweepCommand: CommandModule<object, Args> = {
  command: 'sweep',
  describe: 'run the flow over every combination of the listed values (comma-separated) and write JSON, CSV and Markdown',
  builder: (y: Argv<object>) =>
    y
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
      .option('out', { type: 'string', describe: 'sweep folder (default: out/sweep)' }) as Argv<Args>,
  handler: sweep,
};
