// The main job (`atomik-gen [design flags]`): generate the design and run every stage of its plan through the pipeline
// (lint, verify, measure for a bench top, synth, pnr, bitstream), then write report.json and print the summary.
import type { Argv, CommandModule } from 'yargs';
import { AtomikError } from '../generator/common/errors.js';
import { shownPath } from '../generator/common/shown.js';
import { buildPlan, MAIN_JOB_VERIFY, STAGES, type BuildPlan, type StageName } from '../generator/plan/plan.js';
import { formatSummary, VERIFY_LEVELS, type VerifyLevel } from '../generator/report/report.js';
import { checkReachable, stageFor } from '../verify/levels.js';
import { levelFlag, verifyDeeperLevels } from './verify.js';
import { checkClosureUntil, runClosedJob } from '../generator/run/closure.js';
import { createProgress } from '../generator/run/progress.js';
import { PIPELINE_CHECKS } from '../verify/stage.js';
import { designFromArgs, withClosureFlags, withDesignFlags, withTimeoutFlag, type Args } from './design-flags.js';
import { say } from './say.js';

async function mainJob(argv: Args): Promise<void> {
  const json = argv.json === true;
  // with --json, stdout carries the report only
  const progress = createProgress(json ? process.stderr : process.stdout);
  const until = (argv.until as StageName | undefined) ?? 'bitstream';
  const { design, outDir, tools, timeouts, closure } = designFromArgs(argv, { closure: true });
  checkClosureUntil(argv.until as StageName | undefined, closure);
  const verifyLevel = levelFlag(argv, 'verify-level');
  if (verifyLevel !== 'rtl') checkVerifyLevel(buildPlan(design, outDir), verifyLevel, until);
  const job = await runClosedJob(design, outDir, { checks: PIPELINE_CHECKS, until, force: argv.force === true, tools, timeouts, progress, ...closure });
  if (!job.report || !job.reportPath) return;
  const shown = shownPath(job.reportPath);
  const report = verifyLevel === 'rtl' ? job.report : await verifyDeeperLevels(job, verifyLevel, { seed: MAIN_JOB_VERIFY.seed, tools });
  if (json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else say(formatSummary(report, shown));
  if (job.notRun.length > 0) progress.info(`stopped after ${until}; not run: ${job.notRun.join(', ')}`);
  if (argv['require-timing'] === true && job.report.timingMet !== true) {
    throw new AtomikError(
      job.report.timingMet === false ? `timing not met at ${job.report.design.clockMHz} MHz` : 'no timing analysis ran, so timing cannot be confirmed',
      { where: '--require-timing', hint: `see ${shown}` },
    );
  }
}

/** A deeper verification level needs its stage to run and the board's flow to reach it: one line before anything runs. */
function checkVerifyLevel(plan: BuildPlan, level: VerifyLevel, until: StageName): void {
  checkReachable(plan, level, '--verify-level');
  const stage = stageFor(level);
  if (STAGES.indexOf(until) < STAGES.indexOf(stage)) {
    throw new AtomikError(`--verify-level ${level} simulates what the ${stage} stage makes, and the job stops after ${until}`, { where: '--verify-level', hint: `drop --until or use --until ${stage} or later` });
  }
}

export const jobCommand: CommandModule<object, Args> = {
  command: '$0',
  describe: 'generate the design and run every stage: lint, verify, (measure), synth, pnr, bitstream',
  builder: (y: Argv<object>) =>
    withClosureFlags(withTimeoutFlag(withDesignFlags(y)))
      .option('until', { choices: STAGES, describe: 'stop after this stage' })
      .option('verify-level', { choices: VERIFY_LEVELS, describe: 'also simulate the synthesized, routed or unpacked netlist against the models (default rtl)' })
      .option('force', { type: 'boolean', describe: 'rerun every stage, ignoring the cache' })
      .option('require-timing', { type: 'boolean', describe: 'fail when timing is not met at the design clock (the chosen one, with --clock-mhz max)' })
      .option('json', { type: 'boolean', describe: 'print the report as JSON on stdout (progress goes to stderr)' })
      .example('$0 --board tang9k --banks 16', 'the default design to a Tang Nano 9K bitstream, with report.json')
      .example('$0 --board zynq7020 --mode parallel --until synth --json', 'a Zynq-7020 design to synthesis, the report as JSON')
      .example('$0 --board tang9k --banks 16 --clock-mhz max --seeds 3', 'the highest clock the PLL makes that meets timing, best of three placements each time') as Argv<Args>,
  handler: mainJob,
};
