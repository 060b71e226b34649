// The atomik-gen command line. Every command that takes a design accepts the same design flags; a config file
// (`--config`, or ./atomik.config.ts when present) gives the base and flags override it.
import { availableParallelism } from 'node:os';
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { DEFAULT_CONFIG_NAME, readConfigFile } from '../generator/design/config-file.js';
import yargs, { type Argv } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { BOARDS } from '../boards/index.js';
import { DEFAULTS } from '../generator/design/design.js';
import { designFromArgs, flagValue, withDesignFlags } from './design-flags.js';
import { extraCommands } from './commands.js';
import { AtomikError } from '../generator/common/errors.js';
import { buildPlan, STAGES, type BuildPlan, type StageName } from '../generator/plan/plan.js';
import { createProgress, type Progress } from '../generator/run/progress.js';
import { buildReport, formatSummary, writeReport } from '../generator/report/report.js';
import { runStages } from '../generator/run/stages.js';
import { DEFAULT_SEED, runVerifyStage, type VerificationSummary } from '../verify/stage.js';
import { crossCheck, type Simulator } from '../verify/core/crosscheck.js';
import { proveEquivalence } from '../verify/formal/formal.js';
import { MUTANT_DESIGN, runMutants } from '../verify/mutants/mutants.js';
import { uartEndToEnd } from '../verify/uart/uart-e2e.js';
import { axilEndToEnd } from '../verify/axil/axil-e2e.js';
import { runSweep, sweepMarkdown, sweepMatrix, type SweepAxes } from '../generator/run/sweep.js';
import { probeTools, TOOL_IDS, ToolMissingError, type FindToolOptions } from '../generator/tools/tools.js';
import { GENERATOR_VERSION } from '../generator/common/version.js';
import { writePlan } from '../generator/run/write.js';


type Args = Record<string, unknown>;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function generate(argv: Args, progress: Progress = createProgress()): { plan: BuildPlan; tools: FindToolOptions } {
  const { design, outDir, tools } = designFromArgs(argv);
  const started = performance.now();
  const plan = buildPlan(design, outDir);
  const written = writePlan(plan);
  const ms = Math.round(performance.now() - started);
  progress.info(`generate: ${plan.files.length} files in ${relative(process.cwd(), written) || written} (${ms} ms, digest ${plan.digest.slice(0, 16)})`);
  return { plan, tools };
}

async function mainJob(argv: Args): Promise<void> {
  const json = argv.json === true;
  // with --json, stdout carries the report only
  const progress = createProgress(json ? process.stderr : process.stdout);
  const until = (argv.until as StageName | undefined) ?? 'bitstream';
  const { plan, tools } = generate(argv, progress);
  if (until === 'generate') return;
  const last = STAGES.indexOf(until);
  const upTo = (from: number, to: number) => plan.stages.filter((s) => STAGES.indexOf(s.name) > from && STAGES.indexOf(s.name) <= to);
  const force = argv.force === true;
  const verifyAt = STAGES.indexOf('verify');
  // lint, then the cross-check against the golden model, then the rest
  const results = await runStages(plan, upTo(-1, Math.min(last, verifyAt)), { progress, force, tools });
  let verification: VerificationSummary | undefined;
  if (last >= verifyAt) {
    const v = await runVerifyStage(plan, { progress, force, tools });
    results.push(v.result);
    verification = v.verification;
  }
  results.push(...(await runStages(plan, upTo(verifyAt, last), { progress, force, tools })));
  const report = buildReport(plan, results, verification);
  const path = writeReport(plan, report);
  const shown = relative(process.cwd(), path) || path;
  if (json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  else say(formatSummary(report, shown));
  const notRun = STAGES.filter((s, i) => i > last && (s === 'verify' || plan.stages.some((p) => p.name === s)));
  if (notRun.length > 0) progress.info(`stopped after ${until}; not run: ${notRun.join(', ')}`);
  if (argv['require-timing'] === true && report.timingMet !== true) {
    throw new AtomikError(
      report.timingMet === false ? `timing not met at ${plan.design.clockMHz} MHz` : 'no timing analysis ran, so timing cannot be confirmed',
      { where: '--require-timing', hint: `see ${shown}` },
    );
  }
}

async function verifyMutants(argv: Args): Promise<void> {
  const outDir = typeof argv.out === 'string' ? argv.out : 'out/mutants';
  const d = MUTANT_DESIGN;
  say(`mutants: ${d.banks} bank(s) x ${d.width} bit(s), ${d.mode}, ${d.arch}, pipeline ${d.pipeline}, ${d.clockMHz} MHz (a design every mutant applies to)`);
  const r = await runMutants({ design: d, outDir, progress: say });
  for (const m of r.results) say(`  ${m.killedBy ? 'killed' : 'SURVIVED'}  ${m.name.padEnd(28)} ${m.killedBy ? `by ${m.killedBy}` : ''}`);
  if (r.killed !== r.total) throw new AtomikError(`${r.total - r.killed} mutant(s) survived: the checks missed a fault`, { where: 'verify --mutants' });
}

async function verify(argv: Args): Promise<void> {
  if (argv.mutants === true) return verifyMutants(argv);
  const { design, outDir } = designFromArgs(argv);
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

function wholeFlag(argv: Args, flag: string, fallback: number, min: number): number {
  if (argv[flag] === undefined) return fallback;
  const n = Number(argv[flag]);
  if (!Number.isSafeInteger(n) || n < min) throw new AtomikError(`must be a whole number >= ${min}, got ${String(argv[flag])}`, { where: `--${flag}` });
  return n;
}

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
  });
  const failed = result.points.filter((p) => p.status === 'failed').length;
  say(sweepMarkdown(result));
  say(`sweep: ${result.points.length - failed} ok, ${failed} failed; wrote ${files.map((f) => relative(process.cwd(), f)).join(', ')}`);
}

function listBoards(): void {
  for (const b of BOARDS) {
    say(`${b.id.padEnd(10)} ${b.title}`);
    say(`${''.padEnd(10)} part ${b.part} (device ${b.device}, family ${b.packFamily}), ${b.capacity.luts} LUT${b.lutInputs}, ${b.capacity.flipFlops} FF`);
    say(`${''.padEnd(10)} clock ${b.clock.mhz} MHz on ${b.clock.pin.pin}, default core clock ${b.pll.defaultMHz} MHz (${b.pll.kind}), flow ${b.flow}`);
    say(`${''.padEnd(10)} reset button ${b.defaultResetButton} (buttons: ${Object.keys(b.buttons).join(', ')})`);
  }
}

async function doctor(argv: Args): Promise<void> {
  // a config file's `tools` entries count, as they do for the main job
  const configPath = resolve(typeof argv.config === 'string' ? argv.config : DEFAULT_CONFIG_NAME);
  const config = typeof argv.config === 'string' || existsSync(configPath) ? readConfigFile(configPath) : undefined;
  const overrides = (config?.values.tools ?? {}) as Record<string, string>;
  const records = await probeTools(TOOL_IDS, { overrides });
  let missing = 0;
  for (const r of records) {
    if ('error' in r) {
      missing++;
      say(`${r.id.padEnd(20)} missing   ${r.error.looked.join('; ')}; ${r.error.hint}`);
    } else {
      say(`${r.tool.id.padEnd(20)} ${(r.tool.version ?? '?').padEnd(9)} ${r.tool.source.padEnd(8)} ${r.tool.path}${r.tool.note ? `  (${r.tool.note})` : ''}`);
    }
  }
  say(missing === 0 ? 'all tools found' : `${missing} tool(s) missing; the optional ones (openFPGALoader, vivado) are only needed to program a board or implement on Zynq`);
}

export async function main(args: string[] = hideBin(process.argv)): Promise<number> {
  const parser = yargs(args)
    .scriptName('atomik-gen')
    .version(GENERATOR_VERSION)
    .strict()
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .command(
      '$0',
      'generate the design and run every stage: lint, verify, (measure), synth, pnr, bitstream',
      (y: Argv) =>
        withDesignFlags(y)
          .option('until', { choices: STAGES, describe: 'stop after this stage' })
          .option('force', { type: 'boolean', describe: 'rerun every stage, ignoring the cache' })
          .option('require-timing', { type: 'boolean', describe: 'fail when timing is not met at the design clock' })
          .option('json', { type: 'boolean', describe: 'print the report as JSON on stdout (progress goes to stderr)' }),
      mainJob,
    )
    .command('generate', 'write the design (RTL, constraints, build.json, build.sh) only', (y: Argv) => withDesignFlags(y), (argv) => void generate(argv))
    .command(
      'verify',
      'cross-check the generated core cycle by cycle against the golden model in Verilator or Icarus',
      (y: Argv) =>
        withDesignFlags(y)
          .option('cycles', { type: 'string', describe: 'cycles to simulate and compare (default 100000)' })
          .option('seed', { type: 'string', describe: `stimulus seed (default ${DEFAULT_SEED})` })
          .option('sim', { choices: ['verilator', 'icarus'], describe: 'simulator (default verilator)' })
          .option('uart', { type: 'boolean', describe: 'check the board top end to end through a UART bus-functional model instead' })
          .option('axil', { type: 'boolean', describe: 'check the AXI4-Lite top (host axi-lite) through an AXI4-Lite master bus-functional model instead' })
          .option('mutants', { type: 'boolean', describe: 'inject faults into the RTL and show that the checks catch every one' })
          .option('formal', { type: 'boolean', describe: 'prove with Yosys (SAT, induction) that the N banks always equal one accumulator' }),
      verify,
    )
    .command(
      'sweep',
      'run the flow over every combination of the listed values (comma-separated) and write JSON, CSV and Markdown',
      (y: Argv) =>
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
          .option('out', { type: 'string', describe: 'sweep folder (default: out/sweep)' }),
      sweep,
    )
    .command('boards', 'list the known boards', {}, listBoards)
    .command(extraCommands)
    .command(
      'doctor',
      'show every tool, where it was found and its version',
      (y: Argv) => y.option('config', { type: 'string', describe: `config file whose tools entries apply (default: ./${DEFAULT_CONFIG_NAME} when present)` }),
      doctor,
    )
    .fail((msg, err) => {
      throw err ?? new AtomikError(msg, { hint: 'see atomik-gen --help' });
    })
    .help();
  try {
    await parser.parseAsync();
    return 0;
  } catch (err) {
    if (err instanceof AtomikError) {
      process.stderr.write(`atomik-gen: error: ${err.oneLine()}\n`);
      return 1;
    }
    if (err instanceof ToolMissingError) {
      process.stderr.write(`atomik-gen: error: ${err.message}\n`);
      return 1;
    }
    process.stderr.write(`atomik-gen: internal error: ${(err as Error).stack ?? String(err)}\n`);
    return 2;
  }
}
