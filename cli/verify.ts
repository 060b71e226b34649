// `atomik-gen verify`: the generated core against the golden model cycle by cycle (Verilator or Icarus), or the board
// top through a UART or AXI4-Lite bus-functional model, the formal proof, or the mutants. `--level synth|pnr|bitstream`
// runs the flow to that stage through the pipeline and simulates what it made (verify/levels.ts); report.json records
// the levels that passed.
import type { Argv, CommandModule } from 'yargs';
import { AtomikError } from '../generator/common/errors.js';
import type { Design } from '../generator/design/design.js';
import { withFolder } from '../generator/run/folder.js';
import { buildPlan, MAIN_JOB_VERIFY } from '../generator/plan/plan.js';
import { formatSummary, VERIFY_LEVELS, writeReport, type BuildReport, type VerifyLevel } from '../generator/report/report.js';
import { runJob, type JobResult } from '../generator/run/pipeline.js';
import { createProgress } from '../generator/run/progress.js';
import { shownPath } from '../generator/common/shown.js';
import type { FindToolOptions } from '../generator/tools/tools.js';
import { checkReachable, NETLIST_CYCLES, stageFor, verifyLevels } from '../verify/levels.js';
import { NETLIST_MUTANT_CYCLES, runNetlistMutants } from '../verify/netlist/netlist-mutants.js';
import { PIPELINE_CHECKS } from '../verify/stage.js';
import { crossCheck, type Simulator } from '../verify/core/crosscheck.js';
import { axilEndToEnd } from '../verify/axil/axil-e2e.js';
import { proveEquivalence } from '../verify/formal/formal.js';
import { proveUartParser } from '../verify/formal/uart-formal.js';
import { MUTANT_DESIGN, runMutants } from '../verify/mutants/mutants.js';
import { uartEndToEnd } from '../verify/uart/uart-e2e.js';
import { designFromArgs, singleFlag, wholeFlag, withDesignFlags, type Args } from './design-flags.js';
import { say } from './say.js';

const DEFAULT_SEED = MAIN_JOB_VERIFY.seed;

async function verifyMutants(argv: Args): Promise<void> {
  const outDir = singleFlag(argv, 'out') ?? 'out/mutants';
  await withFolder(outDir, () => mutants(outDir));
}

async function mutants(outDir: string): Promise<void> {
  const d = MUTANT_DESIGN;
  say(`mutants: ${d.banks} bank(s) x ${d.width} bit(s), ${d.mode}, ${d.arch}, pipeline ${d.pipeline}, ${d.clockMHz} MHz (a design every mutant applies to)`);
  const r = await runMutants({ design: d, outDir, progress: say });
  for (const m of r.results) say(`  ${m.killedBy ? 'killed' : 'SURVIVED'}  ${m.name.padEnd(28)} ${m.killedBy ? `by ${m.killedBy}` : ''}`);
  if (r.killed !== r.total) throw new AtomikError(`${r.total - r.killed} mutant(s) survived: the checks missed a fault`, { where: 'verify --mutants' });
}

/** The verification level a flag asks for (default rtl). */
export function levelFlag(argv: Args, flag: string): VerifyLevel {
  const v = singleFlag(argv, flag) ?? 'rtl';
  if (!(VERIFY_LEVELS as readonly string[]).includes(v)) throw new AtomikError(`unknown level "${v}"`, { where: `--${flag}`, hint: `levels: ${VERIFY_LEVELS.join(', ')}` });
  return v as VerifyLevel;
}

/**
 * The levels below the RTL of a job whose stages have run to `level`'s: the netlists simulated, the report written
 * again with the levels that passed. Throws (report.json keeps the RTL level only) on the first failure.
 */
export async function verifyDeeperLevels(
  job: JobResult,
  level: VerifyLevel,
  opts: { readonly cycles?: number; readonly seed: number; readonly tools: FindToolOptions },
): Promise<BuildReport> {
  const base = job.report;
  if (!base) throw new Error('internal: the job wrote no report');
  return withFolder(job.outDir, async () => {
    const levels = await verifyLevels({ plan: job.plan, report: base, level, cycles: opts.cycles, seed: opts.seed, tools: opts.tools, progress: say });
    const report: BuildReport = { ...base, verifiedLevels: levels };
    writeReport(job.plan, report);
    return report;
  });
}

async function verifyDeep(argv: Args, level: VerifyLevel): Promise<void> {
  for (const other of ['uart', 'axil', 'formal']) {
    if (argv[other] === true) throw new AtomikError(`--level ${level} simulates the flow's netlists; --${other} is a check of its own`, { where: '--level' });
  }
  const { design, outDir, tools, timeouts } = designFromArgs(argv);
  const plan = buildPlan(design, outDir);
  checkReachable(plan, level, '--level');
  const seed = wholeFlag(argv, 'seed', DEFAULT_SEED, 0);
  if (argv.mutants === true) {
    const cycles = wholeFlag(argv, 'cycles', NETLIST_MUTANT_CYCLES, 2);
    if (level !== 'synth') throw new AtomikError('the netlist mutants are injected into the synthesized netlist', { where: '--mutants', hint: 'use --level synth' });
    await withFolder(outDir, async () => {
      say(`verify --mutants --level synth: faults injected into the ${design.name}_core netlist the ${plan.board.flow} synthesis maps; ${cycles} cycles each`);
      const r = await runNetlistMutants({ plan, cycles, seed, tools, progress: say });
      if (!r.baselinePassed) throw new AtomikError('the unmutated netlist already disagrees with the golden model', { where: 'verify --mutants --level synth' });
      if (r.killed !== r.total) throw new AtomikError(`${r.total - r.killed} netlist mutant(s) survived: the netlist check missed a fault`, { where: 'verify --mutants --level synth' });
    });
    return;
  }
  const cycles = wholeFlag(argv, 'cycles', NETLIST_CYCLES, 2);
  say(`verify --level ${level}: the flow to the ${stageFor(level)} stage, then its netlists against the golden and host models`);
  const job = await runJob(plan, { checks: PIPELINE_CHECKS, until: stageFor(level), tools, timeouts, progress: createProgress(process.stdout) });
  const report = await verifyDeeperLevels(job, level, { cycles, seed, tools });
  say(formatSummary(report, shownPath(job.reportPath!)));
}

async function verify(argv: Args): Promise<void> {
  const level = levelFlag(argv, 'level');
  if (level !== 'rtl') return verifyDeep(argv, level);
  if (argv.mutants === true) return verifyMutants(argv);
  const { design, outDir } = designFromArgs(argv);
  // the whole check holds the folder's lock: no other run writes it meanwhile
  await withFolder(outDir, () => verifyDesign(argv, design, outDir));
}

async function verifyDesign(argv: Args, design: Design, outDir: string): Promise<void> {
  if (argv.formal === true) {
    say(`verify --formal: ${design.banks} bank(s) x ${design.width} bit(s), ${design.mode}, ${design.arch}, pipeline ${design.pipeline}: the banks against one accumulator`);
    const f = await proveEquivalence({ design, outDir, progress: say });
    say(`verify --formal: ${f.method} (${f.seconds.toFixed(1)} s)`);
    if (!f.proven) throw new AtomikError('not proven', { where: 'verify --formal', hint: `see ${f.log}` });
    if (design.host === 'uart') {
      say('verify --formal: the UART host: every complete frame carried out once, abandoned frames and bad stop bits never taken');
      const u = await proveUartParser({ design, outDir, progress: say });
      say(`verify --formal: ${u.method} (${u.seconds.toFixed(1)} s)`);
      if (!u.proven) throw new AtomikError('the UART host is not proven', { where: 'verify --formal', hint: `see ${u.log}` });
    }
    return;
  }
  if (argv.uart === true) {
    if (design.host !== 'uart') throw new AtomikError('the UART check needs a design with host uart', { where: '--uart' });
    const seed = wholeFlag(argv, 'seed', DEFAULT_SEED, 0);
    say(`verify --uart: the ${design.board} board top through a UART bus-functional model, seed ${seed}`);
    const u = await uartEndToEnd({ design, outDir, seed, progress: say });
    if (u.mismatch) {
      say(u.mismatch.report);
      throw new AtomikError(`reply mismatch at frame ${u.mismatch.frame}`, { where: 'verify --uart', hint: `reproduce with --seed ${seed}` });
    }
    say(`verify --uart: ${u.frames} frames, ${u.bytesChecked} reply bytes checked, no mismatch`);
    return;
  }
  if (argv.axil === true) {
    if (design.host !== 'axi-lite') throw new AtomikError('the AXI4-Lite check needs a design with host axi-lite', { where: '--axil' });
    const seed = wholeFlag(argv, 'seed', DEFAULT_SEED, 0);
    say(`verify --axil: the AXI4-Lite top through an AXI4-Lite master bus-functional model, seed ${seed}`);
    const a = await axilEndToEnd({ design, outDir, seed, progress: say });
    if (a.mismatch) {
      say(a.mismatch.report);
      throw new AtomikError(`mismatch at transaction ${a.mismatch.item}`, { where: 'verify --axil', hint: `reproduce with --seed ${seed}` });
    }
    say(`verify --axil: ${a.transactions} transactions, ${a.readsChecked} reads checked against the register model, no mismatch`);
    return;
  }
  const cycles = wholeFlag(argv, 'cycles', 100_000, 1);
  const seed = wholeFlag(argv, 'seed', DEFAULT_SEED, 0);
  const sim = (argv.sim as Simulator | undefined) ?? 'verilator';
  say(`verify: ${design.banks} bank(s) x ${design.width} bit(s), ${design.mode}, ${design.arch}, pipeline ${design.pipeline}: ${cycles} cycles, seed ${seed}, ${sim}`);
  const r = await crossCheck({ design, outDir, cycles, seed, sim, progress: say });
  if (r.mismatch) {
    say(r.mismatch.report);
    throw new AtomikError(`mismatch at cycle ${r.mismatch.cycle} on ${r.mismatch.signal}`, {
      where: 'verify',
      hint: `waveform: ${r.mismatch.waveform ?? 'not written'}; reproduce with --seed ${seed}`,
    });
  }
  say(`verify: ${r.cycles} cycles compared on every output, no mismatch (${(r.cyclesPerSecond / 1e6).toFixed(2)} M cycles/s, build ${r.buildSeconds.toFixed(1)} s${r.buildReused ? ', reused' : ''})`);
}


export const verifyCommand: CommandModule<object, Args> = {
  command: 'verify',
  describe: 'cross-check the generated core cycle by cycle against the golden model in Verilator or Icarus',
  builder: (y: Argv<object>) =>
    withDesignFlags(y)
      .option('level', { type: 'string', describe: `how deep: ${VERIFY_LEVELS.join(', ')} (default rtl); a deeper level runs the flow to that stage and simulates its netlists` })
      .option('cycles', { type: 'string', describe: `cycles to simulate and compare (default 100000; ${NETLIST_CYCLES} for a netlist, ${NETLIST_MUTANT_CYCLES} per netlist mutant)` })
      .option('seed', { type: 'string', describe: `stimulus seed (default ${DEFAULT_SEED})` })
      .option('sim', { choices: ['verilator', 'icarus'], describe: 'simulator (default verilator)' })
      .option('uart', { type: 'boolean', describe: 'check the board top end to end through a UART bus-functional model instead' })
      .option('axil', { type: 'boolean', describe: 'check the AXI4-Lite top (host axi-lite) through an AXI4-Lite master bus-functional model instead' })
      .option('mutants', { type: 'boolean', describe: 'inject faults into the RTL (with --level synth: into the mapped netlist) and show that the checks catch every one' })
      .option('formal', { type: 'boolean', describe: 'prove with Yosys (SAT, induction) that the core always equals one accumulator, and the UART host\'s receive side' })
      .example('$0 verify --banks 16 --mode parallel', '100 000 cycles of the core against the golden model, in Verilator')
      .example('$0 verify --sim icarus --cycles 20000 --seed 7', 'the same check in Icarus Verilog, another seed')
      .example('$0 verify --level bitstream', 'the default design to a bitstream; its netlists and the unpacked bitstream against the models') as Argv<Args>,
  handler: verify,
};
