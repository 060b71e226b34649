// The measure stage of a bench design: Verilator builds the bench top's testbench (templates/sim/bench_count_tb.v.hbs,
// the board top with its vendor primitives replaced by stand-ins) into a program, which runs it and writes the core's
// own counters to the stage's result file. Icarus took 7 minutes for 1 000 cycles of 128 lanes and did not finish 256
// lanes in 18 (every lane is a part-select of one wide vector); the Verilator build and run take seconds.
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { AtomikError } from '../generator/common/errors.js';
import type { CheckRunner } from '../generator/run/pipeline.js';
import { howItEnded, runBounded } from '../generator/tools/exec.js';
import { findTool } from '../generator/tools/tools.js';

/** The program's folder in the run folder (under build/, which atomik-gen owns). */
export const BENCH_COUNT_OBJ_DIR = 'build/bench_count';

/** Longer than any stage limit: the stage's own deadline stops both runs first. */
const UNBOUNDED_MS = 24 * 3600 * 1000;

const tail = (text: string) =>
  text
    .trimEnd()
    .split('\n')
    .slice(-12)
    .map((l) => `  | ${l}`)
    .join('\n');

export const runBenchCountStage: CheckRunner = async ({ plan, stage, tools, progress }) => {
  const top = String(stage.check?.params.top);
  const verilator = await findTool('verilator', tools);
  const binary = join(BENCH_COUNT_OBJ_DIR, `V${top}`);
  const args = [
    '--binary', '--timing', '-O3', '-Wno-fatal', '-Wno-lint', '-Wno-style',
    '-j', String(Math.max(1, availableParallelism())),
    '--top-module', top,
    '--Mdir', BENCH_COUNT_OBJ_DIR,
    ...stage.inputs,
  ];
  progress.output(stage.name, `verilator: building ${top}`);
  const built = await runBounded(verilator.path, args, { cwd: plan.outDir, timeoutMs: UNBOUNDED_MS });
  if (built.exitCode !== 0) {
    throw new AtomikError(`verilator build of the bench testbench ${howItEnded(built)}\n${tail(built.all)}`, { where: `${stage.name} stage` });
  }
  const ran = await runBounded(resolve(plan.outDir, binary), [], { cwd: plan.outDir, timeoutMs: UNBOUNDED_MS });
  if (ran.exitCode !== 0) {
    throw new AtomikError(`the bench testbench (${binary}) ${howItEnded(ran)}\n${tail(ran.all)}`, { where: `${stage.name} stage` });
  }
  return { detail: `Verilator${verilator.version ? ` ${verilator.version}` : ''}: built in ${built.seconds.toFixed(1)} s, ran in ${ran.seconds.toFixed(1)} s` };
};
