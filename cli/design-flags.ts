// The design flags every design-taking command accepts, and how flags plus an optional config file become a Design.
// A config file (`--config`, or ./atomik.config.ts when present) gives the base; flags override it; errors point at the
// flag or at the config file's line and column.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Argv } from 'yargs';
import type { Board } from '../boards/types.js';
import { addUserBoard } from '../boards/user-boards.js';
import { isBoardFilePath, readBoardFile } from '../generator/design/board-file.js';
import { DEFAULT_CONFIG_NAME, readConfigFile, type ConfigFile } from '../generator/design/config-file.js';
import { DESIGN_FLAGS, defaultOutDir, flagLocate, resolveDesign, type BoardSource, type Design, type Locate } from '../generator/design/design.js';
import { AtomikError } from '../generator/common/errors.js';
import { shownPath } from '../generator/common/shown.js';
import { RUN_STAGES, type RunStageName } from '../generator/common/stages.js';
import { DEFAULT_MARGIN_PCT, MARGIN_RANGE, MAX_SEEDS, seedsUpTo, type ClosureOptions } from '../generator/run/closure.js';
import { TOOLS, type FindToolOptions } from '../generator/tools/tools.js';

/** Parsed command-line arguments. */
export type Args = Record<string, unknown>;

/** A whole-number flag, `fallback` when absent. */
export function wholeFlag(argv: Args, flag: string, fallback: number, min: number): number {
  if (argv[flag] === undefined) return fallback;
  const n = Number(argv[flag]);
  if (!Number.isSafeInteger(n) || n < min) throw new AtomikError(`must be a whole number >= ${min}, got ${String(argv[flag])}`, { where: `--${flag}` });
  return n;
}

/** Adds the design flags, --config and --out to a command. */
export function withDesignFlags<T>(y: Argv<T>): Argv<T> {
  let out = y;
  for (const [flag, spec] of Object.entries(DESIGN_FLAGS)) {
    out = out.option(flag, { type: flag === 'bench' ? 'boolean' : 'string', describe: spec.describe, group: 'Design:' });
  }
  return out
    .option('config', { type: 'string', describe: `design file (default: ./${DEFAULT_CONFIG_NAME} when present)`, group: 'Design:' })
    .option('out', { type: 'string', describe: 'output folder (default: out/<board>-b<banks>-w<width>)', group: 'Design:' });
}

/**
 * A flag's text as a config file would hold it: numbers (1, -3, 1.5, 1e3) become numbers, true/false booleans, the
 * rest stays text.
 */
export function flagValue(text: string): unknown {
  const t = text.trim();
  if (t === 'true' || t === 'false') return t === 'true';
  return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t) ? Number(t) : text;
}

/** Design fields whose flag text is a name, kept as text even when it looks like a number (`--reset-button 3`). */
const TEXT_FIELDS: ReadonlySet<string> = new Set(['board', 'name', 'boardOptions.resetButton']);

/** A string-valued flag given once, or undefined; a flag given twice is an error rather than a silent default. */
export function singleFlag(argv: Args, flag: string): string | undefined {
  const raw = argv[flag];
  if (raw === undefined) return undefined;
  if (Array.isArray(raw)) throw new AtomikError('given more than once', { where: `--${flag}`, hint: 'give it once' });
  return String(raw);
}

/** The tool ids a `tools` entry may name, for messages and the config reader. */
export const TOOL_OVERRIDE_IDS: readonly string[] = Object.keys(TOOLS);

/**
 * The `tools` entries as FindToolOptions.overrides: every key must be a tool id (own keys of TOOLS only, so
 * "constructor" or "__proto__" are unknown tools) and every value a string. The copy has no prototype, so a lookup
 * by tool id can only find an entry the user wrote.
 */
export function toolOverrides(tools: unknown, locate: Locate): Record<string, string> {
  const out = Object.create(null) as Record<string, string>;
  if (tools === undefined) return out;
  if (typeof tools !== 'object' || tools === null || Array.isArray(tools)) {
    throw new AtomikError(`tools must be an object of tool paths such as { yosys: '/usr/bin/yosys' }`, { where: locate(['tools']) });
  }
  for (const id of Reflect.ownKeys(tools)) {
    const name = String(id);
    if (typeof id !== 'string' || !Object.hasOwn(TOOLS, id)) {
      throw new AtomikError(`unknown tool "${name}"`, { where: locate(['tools', name]), hint: `tools: ${TOOL_OVERRIDE_IDS.join(', ')}` });
    }
    const value = (tools as Record<string, unknown>)[id];
    if (typeof value !== 'string') {
      throw new AtomikError(`a tool path must be a string, got ${typeof value === 'object' && value !== null ? 'an object' : String(value)}`, { where: locate(['tools', id]) });
    }
    out[id] = value;
  }
  return out;
}

/** Adds `--timeout` (the stages' time limits) to a command that runs stages. */
export function withTimeoutFlag<T>(y: Argv<T>): Argv<T> {
  return y.option('timeout', {
    type: 'string',
    array: true,
    describe: `time limit in seconds: N for every stage, or STAGE=N (${RUN_STAGES.join(', ')}); repeatable (default: scaled to the design)`,
  });
}

/** `--timeout 600` / `--timeout pnr=7200` (repeatable) as seconds by stage; the design check validates the values. */
function timeoutFlags(argv: Args): Record<string, unknown> | undefined {
  const raw = argv.timeout;
  if (raw === undefined) return undefined;
  const out: Record<string, unknown> = {};
  for (const item of (Array.isArray(raw) ? raw : [raw]).map(String)) {
    const m = /^(?:([a-z]+)=)?(.*)$/.exec(item.trim())!;
    const seconds = flagValue(m[2] ?? '');
    if (m[1] === undefined) for (const stage of RUN_STAGES) out[stage] = seconds;
    else out[m[1]] = seconds;
  }
  return out;
}

/** The stage time limits of `--timeout` alone (a command without a design config: sweep), validated. */
export function timeoutsFromArgs(argv: Args): Partial<Record<RunStageName, number>> {
  const timeouts = timeoutFlags(argv);
  if (!timeouts) return {};
  resolveDesign({ timeouts }, () => '--timeout');
  return timeouts as Partial<Record<RunStageName, number>>;
}

/**
 * The board file a design names (`board: './boards/myboard.ts'` in the config file, relative to its folder, or
 * `--board ./myboard.ts`, relative to the current folder), read and checked; `input.board` becomes its id. Without one,
 * the package's boards.
 */
function boardFileOf(input: Record<string, unknown>, config: ConfigFile | undefined, fromFlag: boolean, locate: Locate): BoardSource | undefined {
  const named = input.board;
  if (typeof named !== 'string' || !isBoardFilePath(named)) return undefined;
  const board = readNamedBoardFile(named, fromFlag ? undefined : config, locate);
  input.board = board.id;
  return board;
}

/** The board file a `board` value names, read and checked: relative to the config file's folder, or (a flag) to the current folder. */
function readNamedBoardFile(named: string, config: ConfigFile | undefined, locate: Locate): Board {
  const path = resolve(config === undefined ? '.' : dirname(config.path), named);
  const hint = config === undefined ? 'check the --board path' : `a board file is named relative to the folder of ${shownPath(config.path)}`;
  if (!existsSync(path)) throw new AtomikError(`board file ${shownPath(path)} not found`, { where: locate(['board']), hint });
  return readBoardFile(path, { pathHint: hint }).board;
}

/**
 * The board a command without design flags names (`doctor --board`, else the config file's `board`) as an id that
 * findBoard knows: a board file is read, checked and made known under its id. Undefined when none is named.
 */
export function namedBoardId(flag: string | undefined, config: ConfigFile | undefined): string | undefined {
  const named = flag ?? (typeof config?.values.board === 'string' ? config.values.board : undefined);
  if (named === undefined || !isBoardFilePath(named)) return named;
  const board = readNamedBoardFile(named, flag === undefined ? config : undefined, flag === undefined && config ? config.locate : () => '--board');
  addUserBoard(board);
  return board.id;
}

/** Adds `--seeds` and `--margin` (timing closure, generator/run/closure.ts) to a command that places and routes. */
export function withClosureFlags<T>(y: Argv<T>): Argv<T> {
  return y
    .option('seeds', {
      type: 'string',
      describe: `place and route N times side by side (nextpnr --seed 1..N, at most ${MAX_SEEDS}) and keep the best: timing met, then the highest Fmax`,
    })
    .option('margin', {
      type: 'string',
      describe: `with --clock-mhz max: percent taken off each Fmax reached (${MARGIN_RANGE.min}..${MARGIN_RANGE.max}, default ${DEFAULT_MARGIN_PCT}: the open timing model reads about 20 % optimistic)`,
    });
}

/** Whether a clock value (a flag's text, or the config's `clockMHz`) asks for the search. */
export function isClockMax(value: unknown): boolean {
  return typeof value === 'string' && value.trim().toLowerCase() === 'max';
}

/** What the closure options come from: the clock asked for, `seeds` and `margin`, each from a flag or the config. */
interface ClosureEntries {
  readonly clockMHz?: unknown;
  readonly seeds?: unknown;
  readonly margin?: unknown;
}

/**
 * `--seeds N` and `--margin PCT` as the entries they set (a percent sign allowed), over the config's; the design's
 * checks validate them.
 */
function closureFlagEntries(argv: Args): { seeds?: unknown; margin?: unknown } {
  const seeds = singleFlag(argv, 'seeds');
  const margin = singleFlag(argv, 'margin');
  return {
    ...(seeds === undefined ? {} : { seeds: seeds.trim() === '' ? seeds : flagValue(seeds) }),
    ...(margin === undefined ? {} : { margin: margin.trim() === '' ? margin : flagValue(margin.trim().replace(/%$/, '')) }),
  };
}

/**
 * The closure options of checked entries: seeds 1..N, the clock search with its margin (default DEFAULTS.marginPct).
 * A margin without the search is refused, where it was given.
 */
function closureOf(entries: ClosureEntries, locate: Locate): ClosureOptions {
  const clockMax = isClockMax(entries.clockMHz);
  if (entries.margin !== undefined && !clockMax) {
    throw new AtomikError('margin is for the clock search and applies only with --clock-mhz max (clockMHz: \'max\' in the config)', {
      where: locate(['margin']),
      hint: 'add --clock-mhz max, or drop the margin',
    });
  }
  return {
    ...(entries.seeds === undefined ? {} : { seeds: seedsUpTo(entries.seeds as number) }),
    ...(clockMax ? { clockMax: { marginPct: (entries.margin as number | undefined) ?? DEFAULT_MARGIN_PCT } } : {}),
  };
}

/**
 * `--seeds`, `--clock-mhz max` and `--margin` over the config's `seeds`, `clockMHz: 'max'` and `margin`, for a command
 * without a design of its own (sweep): checked as a design checks them, the errors at the flag or the config's line.
 */
export function closureFromArgs(argv: Args, config?: ConfigFile): ClosureOptions {
  const fromConfig = config?.values ?? {};
  const flags = closureFlagEntries(argv);
  const clockFlag = singleFlag(argv, 'clock-mhz');
  const entries: ClosureEntries = {
    clockMHz: clockFlag ?? fromConfig.clockMHz,
    seeds: 'seeds' in flags ? flags.seeds : fromConfig.seeds,
    margin: 'margin' in flags ? flags.margin : fromConfig.margin,
  };
  const locate: Locate = (path) => {
    const key = String(path[0]);
    if (key in flags || (key === 'clockMHz' && clockFlag !== undefined)) return key === 'clockMHz' ? '--clock-mhz' : `--${key}`;
    return config ? config.locate(path) : `--${key}`;
  };
  const checked = { ...(entries.seeds === undefined ? {} : { seeds: entries.seeds }), ...(entries.margin === undefined ? {} : { margin: entries.margin }) };
  resolveDesign(checked, locate);
  return closureOf(entries, locate);
}

/**
 * The validated design, output folder, tool overrides and stage time limits from parsed arguments. `closure` (the main
 * job): `--seeds`, `--clock-mhz max` and `--margin` over the config's `seeds`, `clockMHz: 'max'` and `margin` become
 * its closure options, and the design starts at the board's clock when the clock is searched; elsewhere `max` is
 * refused as a clock.
 */
export function designFromArgs(
  argv: Record<string, unknown>,
  opts: { closure?: boolean } = {},
): {
  design: Design;
  outDir: string;
  tools: FindToolOptions;
  timeouts: Partial<Record<RunStageName, number>>;
  closure: ClosureOptions;
} {
  const configFlag = singleFlag(argv, 'config');
  const outFlag = singleFlag(argv, 'out');
  const configPath = resolve(configFlag ?? DEFAULT_CONFIG_NAME);
  const config =
    configFlag !== undefined || existsSync(configPath) ? readConfigFile(configPath, { known: { tools: { what: 'tool', keys: TOOL_OVERRIDE_IDS }, timeouts: { what: 'stage', keys: RUN_STAGES } } }) : undefined;
  const input: Record<string, unknown> = { ...(config?.values ?? {}) };
  const fromFlags = new Map<string, string>();
  for (const [flag, spec] of Object.entries(DESIGN_FLAGS)) {
    const raw = argv[flag];
    if (raw === undefined) continue;
    if (Array.isArray(raw)) throw new AtomikError('given more than once', { where: `--${flag}`, hint: 'give it once' });
    const value = TEXT_FIELDS.has(spec.field) ? String(raw) : flagValue(String(raw));
    const [head, sub] = spec.field.split('.') as [string, string | undefined];
    if (sub) {
      const base = input[head];
      input[head] = { ...(typeof base === 'object' && base !== null ? base : {}), [sub]: value };
    } else input[head] = value;
    fromFlags.set(spec.field, `--${flag}`);
  }
  const fromTimeoutFlag = timeoutFlags(argv);
  if (fromTimeoutFlag) {
    const base = input.timeouts;
    input.timeouts = { ...(typeof base === 'object' && base !== null ? base : {}), ...fromTimeoutFlag };
  }
  const locate: Locate = (path) => {
    if (fromTimeoutFlag && path[0] === 'timeouts' && (path.length === 1 || String(path[1]) in fromTimeoutFlag)) return '--timeout';
    const flag = fromFlags.get(path.map(String).join('.')) ?? fromFlags.get(String(path[0]));
    if (flag) return flag;
    return config ? config.locate(path) : flagLocate(path);
  };
  if (opts.closure) {
    for (const [key, value] of Object.entries(closureFlagEntries(argv))) {
      input[key] = value;
      fromFlags.set(key, `--${key}`);
    }
  }
  const entries: ClosureEntries = { clockMHz: input.clockMHz, seeds: input.seeds, margin: input.margin };
  // the search sets the clock: the design starts at the board's
  if (opts.closure && isClockMax(input.clockMHz)) delete input.clockMHz;
  // the tools first: an unknown tool id is named with the list of tool ids
  const overrides = toolOverrides(input.tools, locate);
  const boards = boardFileOf(input, config, fromFlags.has('board'), locate);
  const design = resolveDesign(input, locate, boards);
  const timeouts = { ...(input.timeouts as Partial<Record<RunStageName, number>> | undefined) };
  const closure = opts.closure ? closureOf(entries, locate) : {};
  return { design, outDir: outFlag ?? defaultOutDir(design), tools: { overrides }, timeouts, closure };
}
