// The main job (`atomik-gen [design flags]`): generate the design and run every stage of its plan through the pipeline
// (lint, verify, measure for a bench top, synth, pnr, bitstream), then write report.json and print the summary.
import type { Argv, CommandModule } from 'yargs';
import { AtomikError } from '../generator/common/errors.js';
import { shownPath } from '../generator/common/shown.js';
import { buildPlan, STAGES, type StageName } from '../generator/plan/plan.js';
import { formatSummary } from '../generator/report/report.js';
import { runJob } from '../generator/run/pipeline.js';
import { createProgress } from '../generator/run/progress.js';
import { PIPELINE_CHECKS } from '../verify/stage.js';
import { designFromArgs, withDesignFlags, withTimeoutFlag, type Args } from './design-flags.js';
import { say } from './say.js';

async function mainJob(argv: Args): Promise<void> {
  const json = argv.json === true;
  // with --json, stdout carries the report only
  const progress = createProgress(json ? process.stderr : process.stdout);
  const until = (argv.until as StageName | undefined) ?? 'bitstream';
  const { design, outDir, tools, timeouts } = designFromArgs(argv);
  const job = await runJob(buildPlan(design, outDir), { checks: PIPELINE_CHECKS, until, force: argv.force === true, tools, timeouts, progress });
  if (!job.report || !job.reportPath) return;
  const shown = shownPath(job.reportPath);
  if (json) process.stdout.write(JSON.stringify(job.report, null, 2) + '\n');
  else say(formatSummary(job.report, shown));
  if (job.notRun.length > 0) progress.info(`stopped after ${until}; not run: ${job.notRun.join(', ')}`);
  if (argv['require-timing'] === true && job.report.timingMet !== true) {
    throw new AtomikError(
      job.report.timingMet === false ? `timing not met at ${design.clockMHz} MHz` : 'no timing analysis ran, so timing cannot be confirmed',
      { where: '--require-timing', hint: `see ${shown}` },
    );
  }
}

export const jobCommand: CommandModule<object, Args> = {
  command: '$0',
  describe: 'generate the design and run every stage: lint, verify, (measure), synth, pnr, bitstream',
  builder: (y: Argv<object>) =>
    withTimeoutFlag(withDesignFlags(y))
      .option('until', { choices: STAGES, describe: 'stop after this stage' })
      .option('force', { type: 'boolean', describe: 'rerun every stage, ignoring the cache' })
      .option('require-timing', { type: 'boolean', describe: 'fail when timing is not met at the design clock' })
      .option('json', { type: 'boolean', describe: 'print the report as JSON on stdout (progress goes to stderr)' })
      .example('$0 --board tang9k --banks 16', 'the default design to a Tang Nano 9K bitstream, with report.json')
      .example('$0 --board zynq7020 --mode parallel --until synth --json', 'a Zynq-7020 design to synthesis, the report as JSON') as Argv<Args>,
  handler: mainJob,
};
