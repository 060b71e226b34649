// `atomik-gen verify`: the generated core against the golden model cycle by cycle (Verilator or Icarus), or the board
// top through a UART or AXI4-Lite bus-functional model, the formal proof, or the mutants.
import type { Argv, CommandModule } from 'yargs';
import { AtomikError } from '../generator/common/errors.js';
import type { Design } from '../generator/design/design.js';
import { withFolder } from '../generator/run/folder.js';
import { MAIN_JOB_VERIFY } from '../generator/plan/plan.js';
import { crossCheck, type Simulator } from '../verify/core/crosscheck.js';
import { axilEndToEnd } from '../verify/axil/axil-e2e.js';
import { proveEquivalence } from '../verify/formal/formal.js';
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

async function verify(argv: Args): Promise<void> {
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
      .option('cycles', { type: 'string', describe: 'cycles to simulate and compare (default 100000)' })
      .option('seed', { type: 'string', describe: `stimulus seed (default ${DEFAULT_SEED})` })
      .option('sim', { choices: ['verilator', 'icarus'], describe: 'simulator (default verilator)' })
      .option('uart', { type: 'boolean', describe: 'check the board top end to end through a UART bus-functional model instead' })
      .option('axil', { type: 'boolean', describe: 'check the AXI4-Lite top (host axi-lite) through an AXI4-Lite master bus-functional model instead' })
      .option('mutants', { type: 'boolean', describe: 'inject faults into the RTL and show that the checks catch every one' })
      .option('formal', { type: 'boolean', describe: 'prove with Yosys (SAT, induction) that the N banks always equal one accumulator' })
      .example('$0 verify --banks 16 --mode parallel', '100 000 cycles of the core against the golden model, in Verilator')
      .example('$0 verify --sim icarus --cycles 20000 --seed 7', 'the same check in Icarus Verilog, another seed') as Argv<Args>,
  handler: verify,
};
