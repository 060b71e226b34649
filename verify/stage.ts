// The verify stage of the main job: a short Verilator cross-check of the generated core against the golden model
// (verify/). Served from the cache like the tool stages when the core RTL, the seed, the cycle count and Verilator are
// unchanged.
import { resolve } from 'node:path';
import { crossCheck, type CrossCheckResult } from './core/crosscheck.js';
import { isCached, stageKey, writeStamp } from '../generator/run/cache.js';
import { AtomikError } from '../generator/common/errors.js';
import type { BuildPlan, Stage } from '../generator/plan/plan.js';
import { silentProgress, type Progress } from '../generator/run/progress.js';
import type { StageResult } from '../generator/run/stages.js';
import { findTool, type FindToolOptions } from '../generator/tools/tools.js';

/** Cycles the main job's cross-check runs (`atomik-gen verify` runs as many as asked). */
export const MAIN_JOB_VERIFY_CYCLES = 20_000;
export const DEFAULT_SEED = 1;

export interface VerificationSummary {
  readonly simulator: string;
  readonly cycles: number;
  readonly seed: number;
  readonly passed: boolean;
  readonly cyclesPerSecond: number | null;
}

export async function runVerifyStage(
  plan: BuildPlan,
  opts: { progress?: Progress; force?: boolean; tools?: FindToolOptions; cycles?: number; seed?: number } = {},
): Promise<{ result: StageResult; verification: VerificationSummary }> {
  const progress = opts.progress ?? silentProgress;
  const out = resolve(plan.outDir);
  const cycles = opts.cycles ?? MAIN_JOB_VERIFY_CYCLES;
  const seed = opts.seed ?? DEFAULT_SEED;
  const core = plan.files.filter((f) => f.role === 'rtl' && /_(bank|merge_tree|core)\.v$/.test(f.path)).map((f) => f.path);
  // the stage as the cache sees it: its inputs are the core RTL, its "command" the run's parameters
  const stage: Stage = {
    name: 'verify',
    description: `Verilator cross-check against the golden model, ${cycles} cycles, seed ${seed}`,
    commands: [{ tool: 'verilator', args: ['crosscheck', `--cycles=${cycles}`, `--seed=${seed}`] }],
    inputs: core,
    outputs: [],
  };
  const verilator = await findTool('verilator', opts.tools);
  const describe = `verilator ${verilator.version ?? ''}, ${cycles} cycles, seed ${seed}`;
  const key = stageKey(out, plan.digest, stage, [verilator]);
  const stamp = opts.force ? undefined : isCached(out, stage, key);
  const log = 'sim/verilator';
  if (stamp) {
    progress.cached('verify', describe);
    return {
      result: { stage: 'verify', status: 'cached', seconds: 0, producedInSeconds: stamp.seconds, tools: [verilator], log },
      verification: { simulator: 'verilator', cycles, seed, passed: true, cyclesPerSecond: null },
    };
  }
  progress.start('verify', describe);
  const started = performance.now();
  let check: CrossCheckResult;
  try {
    check = await crossCheck({ design: plan.design, outDir: plan.outDir, cycles, seed, sim: 'verilator', ...(opts.tools ? { tools: opts.tools } : {}) });
  } catch (err) {
    progress.failed('verify', (performance.now() - started) / 1000);
    throw err;
  }
  const seconds = (performance.now() - started) / 1000;
  if (check.mismatch) {
    progress.failed('verify', seconds);
    throw new AtomikError(`the RTL disagrees with the golden model\n${check.mismatch.report}`, {
      where: 'verify stage',
      hint: `reproduce with: atomik-gen verify --seed ${seed} --cycles ${cycles}`,
    });
  }
  writeStamp(out, stage, { key, seconds });
  progress.done('verify', seconds, `${check.cycles} cycles compared, ${(check.cyclesPerSecond / 1e6).toFixed(2)} M cycles/s`);
  return {
    result: { stage: 'verify', status: 'ran', seconds, producedInSeconds: seconds, tools: [verilator], log },
    verification: { simulator: 'verilator', cycles: check.cycles, seed, passed: true, cyclesPerSecond: Math.round(check.cyclesPerSecond) },
  };
}
