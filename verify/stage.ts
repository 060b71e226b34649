// The verify stage of the pipeline: a Verilator cross-check of the generated core against the golden model, run
// in-process. The pipeline (generator/run/pipeline.ts) caches it like a tool stage: its inputs are the core RTL, its
// parameters (cycles, stimulus seed) come from the plan.
import { AtomikError } from '../generator/common/errors.js';
import type { CheckRunner, CheckRunners } from '../generator/run/pipeline.js';
import { runBenchCountStage } from '../sim/bench-count.js';
import { crossCheck } from './core/crosscheck.js';

const runCrossCheckStage: CheckRunner = async ({ plan, stage, tools }) => {
  const cycles = Number(stage.check?.params.cycles);
  const seed = Number(stage.check?.params.seed);
  const check = await crossCheck({ design: plan.design, outDir: plan.outDir, plan, cycles, seed, sim: 'verilator', tools });
  if (check.mismatch) {
    throw new AtomikError(`the RTL disagrees with the golden model\n${check.mismatch.report}`, {
      where: 'verify stage',
      hint: `reproduce with: atomik-gen verify --seed ${seed} --cycles ${cycles}`,
    });
  }
  return {
    verification: { simulator: 'verilator', cycles: check.cycles, seed, passed: true, cyclesPerSecond: Math.round(check.cyclesPerSecond) },
    detail: `${check.cycles} cycles compared, ${(check.cyclesPerSecond / 1e6).toFixed(2)} M cycles/s`,
  };
};

/** Every check stage a plan can hold, for the pipeline's `checks`. */
export const PIPELINE_CHECKS: CheckRunners = { crosscheck: runCrossCheckStage, benchcount: runBenchCountStage };
