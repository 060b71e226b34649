// `atomik-gen sweep`: the main job over every combination of the listed values, each point through the same pipeline
// (verify included), written as JSON, CSV and Markdown. `--json` prints the sweep's JSON (sweep.json) on stdout, and
// everything else (progress, the table, the closing line) on stderr.
//
// Like every command that takes a design, a sweep reads the config file (`--config`, or ./atomik.config.ts when present):
// its design is the base of every point, its board, banks, width, mode, arch and clock are the axes' defaults, and its
// `tools`, `timeouts` and `launcher` apply to every point. The points run in this process, each as one process through a
// launcher prefix (`--launcher`), or as the tasks of one Slurm job array (`--executor slurm`).
import { existsSync, statSync } from 'node:fs';
import { availableParallelism, constants } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { addUserBoard } from '../boards/user-boards.js';
import { AtomikError } from '../generator/common/errors.js';
import { shownPath } from '../generator/common/shown.js';
import { RUN_STAGES, type RunStageName } from '../generator/common/stages.js';
import { GENERATOR_VERSION } from '../generator/common/version.js';
import { isBoardFilePath, readBoardFile } from '../generator/design/board-file.js';
import { DEFAULT_CONFIG_NAME, readConfigFile, type ConfigFile } from '../generator/design/config-file.js';
import { DEFAULTS, flagLocate, resolveDesign, type LooseDesignInput } from '../generator/design/design.js';
import type { Locate } from '../generator/design/shape.js';
import { STAGES, type StageName } from '../generator/plan/plan.js';
import { splitWords } from '../generator/run/executors/command.js';
import { createProgress } from '../generator/run/progress.js';
import { runSweep, sweepMarkdown, sweepMatrix, type SweepAxes, type SweepExecutorOptions } from '../generator/run/sweep.js';
import type { FindToolOptions } from '../generator/tools/tools.js';
import { PIPELINE_CHECKS } from '../verify/stage.js';
import { checkClosureUntil, type ClosureOptions } from '../generator/run/closure.js';
import { closureFromArgs, flagValue, isClockMax, namedBoardId, singleFlag, type Args, timeoutsFromArgs, TOOL_OVERRIDE_IDS, toolOverrides, withClosureFlags, withTimeoutFlag } from './design-flags.js';
import { catchInterrupt } from './interrupt.js';
import { say } from './say.js';

/** The axis flags and the design field each one sweeps. */
const AXIS_FIELDS = { board: 'board', banks: 'banks', width: 'width', mode: 'mode', arch: 'arch', 'clock-mhz': 'clockMHz' } as const;
type AxisFlag = keyof typeof AXIS_FIELDS;
const AXIS_FLAGS = Object.keys(AXIS_FIELDS) as AxisFlag[];
/** Config entries that are not the design: they say how the points run. */
const RUN_ENTRIES = ['tools', 'timeouts', 'launcher'];

/**
 * A comma-separated axis as values (numbers as numbers, `fallback` when absent), each value once in the order first
 * given: `--banks 4,4` would give two points one folder. Dropped repeats are added to `repeats` for the note.
 */
function list(argv: Args, flag: AxisFlag, fallback: readonly (string | number)[], repeats: string[]): (string | number)[] {
  const text = argv[flag];
  if (text === undefined) return [...fallback];
  const values = String(text)
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '')
    .map((x) => flagValue(x) as string | number);
  const kept: (string | number)[] = [];
  const dropped: (string | number)[] = [];
  for (const v of values) {
    if (kept.includes(v)) {
      if (!dropped.includes(v)) dropped.push(v);
    } else kept.push(v);
  }
  if (dropped.length > 0) repeats.push(`--${flag} ${dropped.join(',')}`);
  return kept;
}

/**
 * The sweep's axes from the flags; an axis without its flag takes the config's value (`defaults`), else the design
 * default. Repeated values are dropped with one note on stderr.
 */
export function sweepAxes(argv: Args, stderr: NodeJS.WritableStream = process.stderr, defaults: Partial<LooseDesignInput> = {}): SweepAxes {
  const repeats: string[] = [];
  const axes: SweepAxes = {
    boards: list(argv, 'board', [defaults.board ?? DEFAULTS.board], repeats).map(String),
    banks: list(argv, 'banks', [defaults.banks ?? DEFAULTS.banks], repeats) as number[],
    widths: list(argv, 'width', [defaults.width ?? DEFAULTS.width], repeats) as number[],
    modes: list(argv, 'mode', [defaults.mode ?? DEFAULTS.mode], repeats).map(String),
    archs: list(argv, 'arch', [defaults.arch ?? DEFAULTS.arch], repeats).map(String),
    clocks: list(argv, 'clock-mhz', defaults.clockMHz === undefined ? [] : [defaults.clockMHz], repeats) as number[],
  };
  if (repeats.length > 0) stderr.write(`sweep: note: each value runs once; dropped the repeats of ${repeats.join(' and ')}\n`);
  return axes;
}

/** What a sweep takes from the config file. */
interface SweepConfig {
  readonly file: ConfigFile | undefined;
  /** The axis fields the config gives: the axes' defaults. */
  readonly axisDefaults: Partial<LooseDesignInput>;
  /** The other design fields: beneath every point. */
  readonly base: LooseDesignInput;
  readonly tools: FindToolOptions;
  readonly timeouts: Partial<Record<RunStageName, number>>;
}

/** The config file (`--config`, or ./atomik.config.ts when present), checked as the main job checks it. */
function readSweepConfig(argv: Args): SweepConfig {
  const flag = singleFlag(argv, 'config');
  const path = resolve(flag ?? DEFAULT_CONFIG_NAME);
  if (flag === undefined && !existsSync(path)) return { file: undefined, axisDefaults: {}, base: {}, tools: {}, timeouts: {} };
  const file = readConfigFile(path, { known: { tools: { what: 'tool', keys: TOOL_OVERRIDE_IDS }, timeouts: { what: 'stage', keys: RUN_STAGES } } });
  const values = file.values;
  const tools = { overrides: toolOverrides(values.tools, file.locate) };
  // the config alone is a design, as for the main job: a mistake in it is the sweep's, at its file:line:column
  const board = namedBoardId(undefined, file);
  // (`clockMHz: 'max'` is the clock search, not a clock: sweepClosure takes it)
  const { clockMHz, ...rest } = values;
  resolveDesign({ ...(isClockMax(clockMHz) ? rest : values), ...(board === undefined ? {} : { board }) }, file.locate);
  const axisFields: readonly string[] = Object.values(AXIS_FIELDS);
  const pick = (keep: (key: string) => boolean) => Object.fromEntries(Object.entries(values).filter(([k]) => keep(k)));
  return {
    file,
    axisDefaults: pick((k) => axisFields.includes(k)),
    base: pick((k) => !axisFields.includes(k) && !RUN_ENTRIES.includes(k)),
    tools,
    timeouts: { ...(values.timeouts as Partial<Record<RunStageName, number>> | undefined) },
  };
}

/**
 * The board axis with every board file read (relative to the current folder for `--board`, to the config's folder for
 * the config's board) and made known by its id; `boardFiles` gets each one's absolute path, which a point's process is given.
 */
function boardIds(boards: readonly string[], fromFlag: boolean, config: ConfigFile | undefined, boardFiles: Map<string, string>): string[] {
  return boards.map((named) => {
    if (!isBoardFilePath(named)) return named;
    const viaConfig = !fromFlag && config !== undefined;
    const path = resolve(viaConfig ? dirname(config.path) : '.', named);
    const where = viaConfig ? config.locate(['board']) : '--board';
    const hint = viaConfig ? `a board file is named relative to the folder of ${shownPath(config.path)}` : 'check the --board path';
    if (!existsSync(path)) throw new AtomikError(`board file ${shownPath(path)} not found`, { where, hint });
    const board = readBoardFile(path, { pathHint: hint }).board;
    addUserBoard(board);
    boardFiles.set(board.id, path);
    return board.id;
  });
}

/** `--launcher`, else the config's `launcher`: the prefix as given and as words; undefined when neither. */
function launcherOf(argv: Args, config: ConfigFile | undefined): { text: string; words: string[] } | undefined {
  const flag = singleFlag(argv, 'launcher');
  const text = flag ?? (config?.values.launcher as string | undefined);
  if (text === undefined) return undefined;
  const where = flag !== undefined ? '--launcher' : config!.locate(['launcher']);
  const words = splitWords(text, where);
  if (words.length === 0) throw new AtomikError('is empty', { where, hint: "give a command prefix, e.g. --launcher 'srun --ntasks=1'" });
  return { text, words };
}

/** The Slurm flags, checked: only with `--executor slurm`. */
function slurmFlags(argv: Args, executor: string): { partition?: string; slurmOpts: string[] } {
  const partition = singleFlag(argv, 'partition');
  const opts = singleFlag(argv, 'slurm-opts');
  for (const [flag, value] of [['--partition', partition], ['--slurm-opts', opts]] as const) {
    if (value !== undefined && executor !== 'slurm') throw new AtomikError('applies only to a Slurm sweep', { where: flag, hint: 'add --executor slurm' });
  }
  if (partition !== undefined && !/^[^\s,]+(,[^\s,]+)*$/.test(partition)) {
    throw new AtomikError(`${JSON.stringify(partition)} is not a partition name`, { where: '--partition', hint: 'name one partition (or several, comma-separated); sinfo lists them' });
  }
  return { ...(partition === undefined ? {} : { partition }), slurmOpts: opts === undefined ? [] : splitWords(opts, '--slurm-opts') };
}

/** Flags whose value is itself options: `--slurm-opts "--mem=4G --account=fpga"` is read as that value, not as two flags. */
const DASH_VALUE_FLAGS = ['--slurm-opts'];

/** The arguments with each DASH_VALUE_FLAGS flag joined to its following word (`--slurm-opts=...`), for the parser. */
export function withDashValues(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return [...out, ...args.slice(i)];
    if (DASH_VALUE_FLAGS.includes(a) && i + 1 < args.length) out.push(`${a}=${args[++i]}`);
    else out.push(a);
  }
  return out;
}

/**
 * `--seeds`, `--margin` and `--clock-mhz max` over the config's `seeds`, `margin` and `clockMHz: 'max'` (every point
 * searches its clock: no other clock beside it), and the arguments without the clock when it is searched.
 */
function sweepClosure(argv: Args, config: ConfigFile | undefined): { closure: ClosureOptions; axisArgs: Args } {
  const clocks = singleFlag(argv, 'clock-mhz')?.split(',').map((c) => c.trim().toLowerCase());
  if (clocks?.includes('max') && clocks.length > 1) {
    throw new AtomikError('max searches the clock of every point, so it takes no other clock beside it', { where: '--clock-mhz', hint: 'give --clock-mhz max alone' });
  }
  const closure = closureFromArgs(argv, config);
  const { 'clock-mhz': _clock, ...axisArgs } = argv;
  return { closure, axisArgs: closure.clockMax ? axisArgs : argv };
}

async function sweep(argv: Args): Promise<void> {
  const config = readSweepConfig(argv);
  const { closure, axisArgs } = sweepClosure(argv, config.file);
  checkClosureUntil(argv.until as StageName | undefined, closure);
  const axesAsGiven = sweepAxes(axisArgs, process.stderr, closure.clockMax ? { ...config.axisDefaults, clockMHz: undefined } : config.axisDefaults);
  if (argv['emit-matrix'] === true) {
    say(JSON.stringify(sweepMatrix(axesAsGiven)));
    return;
  }
  const executor = singleFlag(argv, 'executor') ?? 'local';
  const slurm = slurmFlags(argv, executor);
  const launcher = launcherOf(argv, config.file);
  const jobsFlag = singleFlag(argv, 'jobs');
  const jobs = jobsFlag === undefined ? availableParallelism() : Number(jobsFlag);
  if (!Number.isInteger(jobs) || jobs < 1) throw new AtomikError(`must be a whole number >= 1, got ${String(jobsFlag)}`, { where: '--jobs' });
  const outDir = singleFlag(argv, 'out') ?? 'out/sweep';
  let isFile = false;
  try {
    isFile = !statSync(outDir).isDirectory();
  } catch {
    // not there yet: the sweep makes it
  }
  if (isFile) throw new AtomikError(`${outDir} is a file, not a folder`, { where: '--out', hint: 'name a new folder, or one an earlier sweep wrote' });

  const boardFiles = new Map<string, string>();
  const axes: SweepAxes = { ...axesAsGiven, boards: boardIds(axesAsGiven.boards, argv.board !== undefined, config.file, boardFiles) };
  const timeoutFlags = timeoutsFromArgs(argv);
  // a point's field is named as its process names it: an axis by its flag (every axis is one), the rest in the config
  const axisFlagOf = new Map(AXIS_FLAGS.map((f) => [AXIS_FIELDS[f] as string, `--${f}`]));
  const locate: Locate = (path) => {
    const field = String(path[0]);
    if (axisFlagOf.has(field)) return axisFlagOf.get(field)!;
    if (field === 'timeouts' && (path.length === 1 || String(path[1]) in timeoutFlags)) return '--timeout';
    return config.file ? config.file.locate(path) : flagLocate(path);
  };

  const json = argv.json === true;
  // with --json, stdout carries the sweep's JSON only
  const lines = json ? process.stderr : process.stdout;
  const interrupt = executor === 'slurm' ? catchInterrupt() : undefined;
  const run: SweepExecutorOptions | undefined =
    executor === 'slurm' || launcher
      ? {
          kind: executor === 'slurm' ? 'slurm' : 'local',
          ...(launcher ? { launcher } : {}),
          command: { ...(config.file ? { config: config.file.path } : {}), timeoutFlags, boardFiles, closure },
          ...slurm,
          ...(executor === 'slurm' && jobsFlag !== undefined ? { throttle: jobs } : {}),
          ...(interrupt ? { interrupted: interrupt.signal } : {}),
        }
      : undefined;
  let result: Awaited<ReturnType<typeof runSweep>>;
  try {
    result = await runSweep({
      axes,
      outDir,
      jobs,
      until: (argv.until as StageName | undefined) ?? 'bitstream',
      force: argv.force === true,
      generator: `atomik-gen ${GENERATOR_VERSION}`,
      checks: PIPELINE_CHECKS,
      timeouts: { ...config.timeouts, ...timeoutFlags },
      base: config.base,
      locate,
      tools: config.tools,
      progress: createProgress(lines, false),
      ...(run ? { executor: run } : {}),
      closure,
    });
  } finally {
    interrupt?.release();
  }
  const { sweep: done, files } = result;
  const failed = done.points.filter((p) => p.status === 'failed').length;
  lines.write(`${sweepMarkdown(done)}\n`);
  const wrote = `wrote ${files.map(shownPath).join(', ')}`;
  if (result.interrupted !== undefined) {
    const job = done.executor?.kind === 'slurm' ? `cancelled Slurm job ${done.executor.jobId}; ` : '';
    process.stderr.write(`atomik-gen: interrupted (${result.interrupted}): ${job}${done.points.length - failed} ok, ${failed} failed or cancelled; ${wrote}\n`);
    process.exit(128 + (constants.signals[result.interrupted] ?? 2));
  }
  lines.write(`sweep: ${done.points.length - failed} ok, ${failed} failed; ${wrote}\n`);
  if (json) process.stdout.write(JSON.stringify(done, null, 2) + '\n');
}

export const sweepCommand: CommandModule<object, Args> = {
  command: 'sweep',
  describe: 'run the flow over every combination of the listed values (comma-separated) and write JSON, CSV and Markdown',
  builder: (y: Argv<object>) =>
    withClosureFlags(withTimeoutFlag(y))
      .option('board', { type: 'string', describe: 'boards, e.g. tang9k,zynq7020' })
      .option('banks', { type: 'string', describe: 'bank counts, e.g. 1,2,4,8,16' })
      .option('width', { type: 'string', describe: 'widths' })
      .option('mode', { type: 'string', describe: 'modes' })
      .option('arch', { type: 'string', describe: 'architectures: banked, reduce' })
      .option('clock-mhz', { type: 'string', describe: 'core clocks (default: each board\'s), or max: each point\'s highest clock that meets timing' })
      .option('config', { type: 'string', describe: `design file beneath every point (default: ./${DEFAULT_CONFIG_NAME} when present)` })
      .option('jobs', { type: 'string', describe: 'points run at once (default: the number of cores; with --executor slurm: the array\'s task limit, default none)' })
      .option('executor', { choices: ['local', 'slurm'], describe: 'where the points run: here (default), or as one Slurm job array (a task per point)' })
      .option('launcher', { type: 'string', describe: 'command prefix each point\'s process runs through, e.g. "srun --ntasks=1" (config: launcher)' })
      .option('partition', { type: 'string', describe: 'Slurm partition of the job array (--executor slurm)' })
      .option('slurm-opts', { type: 'string', describe: 'more sbatch options, e.g. "--account=fpga --mem=4G --time=2:00:00" (--executor slurm)' })
      .option('until', { choices: STAGES, describe: 'stop each point after this stage' })
      .option('force', { type: 'boolean', describe: 'ignore the cache' })
      .option('emit-matrix', { type: 'boolean', describe: 'print the points as a GitHub Actions matrix (JSON) and exit' })
      .option('json', { type: 'boolean', describe: 'print the sweep as JSON (as sweep.json) on stdout; progress and the table go to stderr' })
      .option('out', { type: 'string', describe: 'sweep folder (default: out/sweep; on a path every node shares for --launcher and --executor slurm)' })
      .example('$0 sweep --board tang9k --banks 1,4,16 --until synth', 'three designs to synthesis, side by side in out/sweep/sweep.md')
      .example('$0 sweep --board tang9k,zynq7020 --banks 16 --emit-matrix', 'the points as a GitHub Actions matrix, for a CI job per point')
      .example('$0 sweep --banks 1,2,4 --width 8,16 --until pnr --executor slurm --partition fpga --out /shared/sweep', 'six points as one Slurm job array') as Argv<Args>,
  handler: sweep,
};
