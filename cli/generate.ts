// `atomik-gen generate`: write the design (RTL, constraints, scripts, build.json, build.sh) and nothing else.
import type { Argv, CommandModule } from 'yargs';
import { buildPlan } from '../generator/plan/plan.js';
import { runJob } from '../generator/run/pipeline.js';
import { createProgress } from '../generator/run/progress.js';
import { PIPELINE_CHECKS } from '../verify/stage.js';
import { designFromArgs, withDesignFlags, type Args } from './design-flags.js';

export const generateCommand: CommandModule<object, Args> = {
  command: 'generate',
  describe: 'write the design (RTL, constraints, build.json, build.sh) only',
  builder: (y: Argv<object>) =>
    withDesignFlags(y)
      .example('$0 generate --board tang9k --banks 16', 'the RTL, constraints and scripts in out/tang9k-b16-w64/')
      .example('$0 generate --config hw/atomik.config.ts --out build/core', 'a design from a config file, into a folder of your choice') as Argv<Args>,
  handler: async (argv) => {
    const { design, outDir, tools } = designFromArgs(argv);
    await runJob(buildPlan(design, outDir), { checks: PIPELINE_CHECKS, until: 'generate', tools, progress: createProgress() });
  },
};
