// The design description: what a user writes (DesignInput), how it is checked, and the resolved Design every later
// step reads. Validation happens here, before anything is written.
import { MAX_STAGE_TIMEOUT_SECONDS, RUN_STAGES, type RunStageName } from '../common/stages.js';
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { BOARDS, findBoard, boardIds, type BoardId } from '../../boards/index.js';
import type { Board, PllKind } from '../../boards/types.js';
import { GOWIN_RPLL_LIMITS, GW1NS_PLLVR_LIMITS, GW2A_RPLL_LIMITS, MMCME2_LIMITS } from '../clocking/pll.js';
import { GW5A_PLLA_LIMITS } from '../clocking/gowin-plla.js';
import { ICE40_PLL_LIMITS } from '../clocking/ice40-pll.js';
import { EHXPLLL_LIMITS } from '../clocking/ecp5-pll.js';
import { AtomikError } from '../common/errors.js';
import { addUserBoard } from '../../boards/user-boards.js';
import { boardProblems, isBoardFilePath, type BoardFilePath } from './board-schema.js';
import { autoPipelineStages, mergeTreeDepth } from './merge-tree.js';
import { ARCHS, HOSTS, MODES, inputStageInTree, treeLeaves, type Arch, type Design, type Host, type Locate, type Mode } from './shape.js';

export * from './shape.js';
import { clockingOf } from '../clocking/index.js';
import { checkFit } from './resources.js';
import { UART_BAUD, UART_TIMEOUT_MS, uartLineProblem } from '../protocol/uart.js';

/** Where the core clock comes from: the board's PLL kind, or (host axi-lite) the Zynq processing system's FCLK. */
export type ClockSource = PllKind | 'zynq-fclk';

/** The range of core clocks a clock source can make, in MHz, and what the range is (for messages and the README). */
export interface ClockRange {
  readonly min: number;
  readonly max: number;
  readonly what: string;
}

/** Documented limits of the design fields. */
export const LIMITS = {
  width: { min: 1, max: 256 },
  banks: { min: 1, max: 65535 }, // INFO carries the bank count in 16 bits
  nameMaxLength: 32,
  /** Placement seeds placed side by side (`seeds`, `--seeds`): more is a typo, not a search. */
  seeds: { min: 1, max: 32 },
  /** The clock search's margin in percent (`margin`, `--margin`). */
  marginPct: { min: 0, max: 50 },
  /** UART line rate; the most a board's host link carries is its `uart.maxBaud`. */
  baud: { min: 300 },
  /** UART frame timeout in ms (INFO carries it in 16 bits; a second is far beyond any host's pause inside a frame). */
  frameTimeoutMs: { min: 1, max: 1000 },
  /**
   * The core clock, per clock source. A clock inside its range is then checked against what the source can really
   * make (a PLL's divider grid from the board's oscillator, see `resolveClock`); outside it, it is refused at once.
   */
  clockMHz: {
    // generator/clocking/pll.ts GOWIN_RPLL_LIMITS: CLKOUT 3.125-600 MHz (3.125 = the lowest VCO, 400, over ODIV 128)
    'gowin-rpll': { min: GOWIN_RPLL_LIMITS.foutMinMHz, max: GOWIN_RPLL_LIMITS.foutMaxMHz, what: 'the rPLL output range' },
    // generator/clocking/pll.ts GW2A_RPLL_LIMITS: CLKOUT 3.90625-625 MHz (GW2A-18 C8/I7; 3.90625 = VCO 500 / ODIV 128)
    'gowin-rpll-gw2a': { min: GW2A_RPLL_LIMITS.foutMinMHz, max: GW2A_RPLL_LIMITS.foutMaxMHz, what: 'the GW2A rPLL output range' },
    // generator/clocking/pll.ts GW1NS_PLLVR_LIMITS: CLKOUT 4.6875-600 MHz (GW1NSR-4C C7/I6; 4.6875 = VCO 600 / ODIV 128)
    'gowin-pllvr': { min: GW1NS_PLLVR_LIMITS.foutMinMHz, max: GW1NS_PLLVR_LIMITS.foutMaxMHz, what: 'the PLLVR output range' },
    // generator/clocking/gowin-plla.ts GW5A_PLLA_LIMITS: CLKOUT0 6.25-1600 MHz (VCO 800-1600 over ODIV 128..1)
    'gowin-plla': { min: GW5A_PLLA_LIMITS.foutMinMHz, max: GW5A_PLLA_LIMITS.foutMaxMHz, what: 'the PLLA output range' },
    // generator/clocking/pll.ts MMCME2_LIMITS, speed grade -1: the lowest VCO (600) over the largest CLKOUT0 divider
    // (128) = 4.6875 MHz, up to the BUFG maximum (464 MHz) every core clock goes through
    'xilinx-mmcme2': {
      min: MMCME2_LIMITS.vcoMinMHz / MMCME2_LIMITS.outDivMax,
      max: MMCME2_LIMITS.foutMaxMHz,
      what: 'the MMCME2_BASE output range, speed grade -1, through a BUFG',
    },
    // generator/clocking/ecp5-pll.ts EHXPLLL_LIMITS: CLKOP 3.125-400 MHz (ECP5 data sheet; 3.125 = VCO 400 / CLKOP_DIV 128)
    'ecp5-ehxplll': { min: EHXPLLL_LIMITS.foutMinMHz, max: EHXPLLL_LIMITS.foutMaxMHz, what: 'the EHXPLLL output range' },
    // generator/clocking/ice40-pll.ts ICE40_PLL_LIMITS: SB_PLL40 output 16-275 MHz (icepll / Lattice TN1251)
    'ice40-sb-pll40-pad': { min: ICE40_PLL_LIMITS.foutMinMHz, max: ICE40_PLL_LIMITS.foutMaxMHz, what: 'the SB_PLL40 output range' },
    // host axi-lite: the AXI clock is a PL fabric clock (FCLK_CLK0..3) of the Zynq-7000 processing system, no PLL of
    // the design's. UG585 ("PL Clocks", FPGAn_CLK_CTRL): a PS PLL (ARM, DDR or IO) divided by two cascaded 6-bit
    // divisors, 1..63 each. Maximum 250 MHz: the limit Vivado's Zynq PS configuration sets for the PL fabric clocks.
    // Minimum: the slowest PS PLL output, 780 MHz (the DS187 figure as secondary sources quote it; not re-confirmed
    // from the data sheet here), over 63 x 63 = 0.197 MHz, rounded up to 0.2.
    'zynq-fclk': { min: 0.2, max: 250, what: 'the FCLK range of the Zynq processing system, which supplies the AXI clock' },
  } satisfies Readonly<Record<ClockSource, ClockRange>>,
} as const;

/** The clock source of a design: the processing system's FCLK for host axi-lite, else the board's PLL. */
export function clockSourceOf(board: Board, host: Host): ClockSource {
  return host === 'axi-lite' ? 'zynq-fclk' : board.pll.kind;
}

/** The README's words for the clock ranges (design.test.ts checks the design-fields table holds them). */
export function clockRangesText(): string {
  const names: Readonly<Record<ClockSource, string>> = { 'gowin-rpll': 'rPLL', 'gowin-rpll-gw2a': 'rPLL (GW2A)', 'gowin-pllvr': 'PLLVR', 'gowin-plla': 'PLLA', 'xilinx-mmcme2': 'MMCME2_BASE', 'zynq-fclk': 'Zynq FCLK with `host: \'axi-lite\'`', 'ecp5-ehxplll': 'EHXPLLL', 'ice40-sb-pll40-pad': 'SB_PLL40' };
  return (Object.keys(LIMITS.clockMHz) as ClockSource[]).map((k) => `${names[k]} ${LIMITS.clockMHz[k].min}..${LIMITS.clockMHz[k].max}`).join(', ');
}

export const DEFAULTS = {
  board: 'tang9k' as BoardId,
  banks: 16,
  width: 64,
  mode: 'round-robin' as Mode,
  arch: 'reduce' as Arch,
  pipeline: 'auto' as const,
  host: 'uart' as Host,
  bench: false,
  name: 'atomik',
  baud: UART_BAUD,
  frameTimeoutMs: UART_TIMEOUT_MS,
  /**
   * The clock search's margin, percent: the open timing model (nextpnr) reads about 20 % above the vendor tools on
   * Gowin parts, so a clock at its Fmax is one the vendor's analysis would likely fail; 10 % off takes half of that
   * optimism off. 0 trusts the open model as it is.
   */
  marginPct: 10,
};

/** What a user writes in `atomik.config.ts` or passes as flags. Every field is optional; defaults fill the rest. */
export interface DesignInput {
  /**
   * Board id (`atomik-gen boards`), one of the known boards (a misspelt id is a type error), or the path of a board file
   * of your project (`'./boards/myboard.ts'`, relative to the config file; docs/adding-a-board.md). Default `tang9k`.
   */
  board?: BoardId | BoardFilePath;
  /** Accumulator banks, a whole number >= 1 (any count). Default 16. */
  banks?: number;
  /** Word width in bits, 1..256. Default 64. */
  width?: number;
  /** `round-robin`: one delta per cycle; `parallel`: one lane per bank, N deltas per cycle. Default `round-robin`. */
  mode?: Mode;
  /**
   * `banked`: one accumulator per bank, merged by the XOR tree on READ (as published); `reduce`: the lanes' deltas are
   * XOR-reduced by the pipelined tree first and feed a single accumulator (same READ by the algebra, one W-bit register
   * in all; in round-robin mode that is the whole core). Default `reduce`, from the measurements (bench/results.md,
   * "Architectures"): the same results from a fraction of the flip-flops and LUTs, at least as fast.
   */
  arch?: Arch;
  /**
   * Target core clock in MHz, within its clock source's range (LIMITS.clockMHz); a PLL clock must also be reachable
   * from the board's oscillator. Default per board. With `host: 'axi-lite'` it is the AXI clock the processing system
   * supplies (FCLK, 0.2..250 MHz), the timing target; no PLL makes it. `'max'` (the main job and sweep): the highest
   * clock the board's PLL makes that meets timing, found by placing and routing (README, "Timing closure").
   */
  clockMHz?: number | 'max';
  /** Merge-tree register stages: `auto` or a number 0..ceil(log2(tree leaves)) (banks; lanes for `reduce`). Default `auto`. */
  pipeline?: 'auto' | number;
  /**
   * Host interface: `uart` (the ATOMiK serial protocol), `none` (the core alone) or `axi-lite` (an AXI4-Lite slave top
   * for a Zynq block design, clocked by the AXI clock; Xilinx boards only). Default `uart`.
   */
  host?: Host;
  /**
   * Bench top: an on-chip generator (an LFSR, a distinct constant per lane) feeds every lane every cycle, so a
   * simulation can count the deltas taken per cycle. Needs `host: 'uart'` (the host still loads, reads and reads the
   * counters). Default false.
   */
  bench?: boolean;
  /** Design name, a Verilog identifier; prefixes every module. Default `atomik`. */
  name?: string;
  /**
   * UART line rate (8N1), host `uart` only: at least 300, at most the board's host link (`uart.maxBaud`: 3 000 000 on
   * the Tang Nano 9K), and within 2 % of a whole number (>= 4) of core clock cycles per bit. Default 115200, the
   * published rate.
   */
  baud?: number;
  /**
   * UART frame timeout in ms, host `uart` only, 1..1000: a partial frame with no new byte for this long is dropped.
   * Default 50, so host tools that send a frame byte by byte with 10 ms sleeps keep their frames.
   */
  frameTimeoutMs?: number;
  /** Board-specific options. */
  boardOptions?: { resetButton?: string };
  /** Tool paths for this project, by tool id (e.g. `{ yosys: '/opt/oss-cad-suite/bin/yosys' }`); not part of the design. */
  tools?: Record<string, string>;
  /** Time limits in seconds by stage (e.g. `{ pnr: 7200 }`) over the defaults, which scale with the design; not part of the design. */
  timeouts?: Partial<Record<RunStageName, number>>;
  /** Placement seeds the main job and sweep place and route side by side, keeping the best (`--seeds`); not part of the design. */
  seeds?: number;
  /** With `clockMHz: 'max'`: percent taken off each Fmax reached (`--margin`, default 10); not part of the design. */
  margin?: number;
  /**
   * A command prefix `atomik-gen sweep` runs each point's process through (e.g. `'srun --ntasks=1'`, `'ssh build1'`),
   * split into words as a shell would, run without a shell; the `--launcher` flag overrides it; not part of the design.
   */
  launcher?: string;
}

/**
 * A DesignInput as the command line or a file gives it: the board may be any string (resolveDesign refuses an unknown
 * one with its one-line error); in TypeScript, DesignInput's `board` takes the known ids only. The clock is a number:
 * `'max'` is the main job's and sweep's search, taken out before a design is resolved.
 */
export type LooseDesignInput = Omit<DesignInput, 'board' | 'clockMHz'> & { board?: string; clockMHz?: number };

/** Identity function that types a config file: `export default defineDesign({ ... })`. */
export function defineDesign(input: DesignInput): DesignInput {
  return input;
}

/** Design flags and the DesignInput field each one sets. */
export const DESIGN_FLAGS = {
  board: { field: 'board', describe: 'board id (see `atomik-gen boards`)' },
  banks: { field: 'banks', describe: 'accumulator banks, a whole number >= 1' },
  width: { field: 'width', describe: 'word width in bits, 1..256' },
  mode: { field: 'mode', describe: 'round-robin (1 delta/cycle) or parallel (N deltas/cycle)' },
  arch: { field: 'arch', describe: 'banked (an accumulator per bank) or reduce (lanes XOR-reduced into one accumulator)' },
  'clock-mhz': { field: 'clockMHz', describe: 'core clock in MHz (default: the board\'s); the main job and sweep also take max: the highest the PLL makes that meets timing' },
  pipeline: { field: 'pipeline', describe: 'merge-tree register stages: auto or a number' },
  host: { field: 'host', describe: 'host interface: uart, none or axi-lite (Zynq: an AXI4-Lite slave for a block design)' },
  bench: { field: 'bench', describe: 'bench top: an on-chip generator feeds every lane every cycle (true/false)' },
  name: { field: 'name', describe: 'design name (module prefix)' },
  baud: { field: 'baud', describe: 'UART line rate (host uart), up to the board\'s host link' },
  'frame-timeout-ms': { field: 'frameTimeoutMs', describe: 'UART frame timeout in ms: a partial frame idle this long is dropped' },
  'reset-button': { field: 'boardOptions.resetButton', describe: 'board button used as reset' },
} as const;

/** Locates a field path as the flag that sets it. */
export const flagLocate: Locate = (path) => {
  const key = path.map(String).join('.');
  const hit = Object.entries(DESIGN_FLAGS).find(([, s]) => s.field === key) ?? Object.entries(DESIGN_FLAGS).find(([, s]) => s.field === String(path[0]));
  return hit ? `--${hit[0]}` : key;
};

function wholeNumber(field: string, min: number, max: number) {
  return z.any().superRefine((v, ctx) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      ctx.addIssue({ code: 'custom', message: `${field} must be a whole number from ${min} to ${max}, got ${show(v)}` });
    }
  });
}

function oneOf<T extends readonly [string, ...string[]]>(field: string, values: T) {
  return z.enum(values, { error: (iss) => `${field} must be one of ${values.join(', ')}, got ${show(iss.input)}` });
}

function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

const inputSchema = z.strictObject({
  board: z.string({ error: (iss) => `board must be a string, got ${show(iss.input)}` }).optional(),
  banks: wholeNumber('banks', LIMITS.banks.min, LIMITS.banks.max).optional(),
  width: wholeNumber('width', LIMITS.width.min, LIMITS.width.max).optional(),
  mode: oneOf('mode', MODES).optional(),
  arch: oneOf('arch', ARCHS).optional(),
  // checked in resolveClock, where the clock source (board, host) and so the allowed range are known
  clockMHz: z.any().optional(),
  pipeline: z
    .any()
    .superRefine((v, ctx) => {
      if (v !== 'auto' && (typeof v !== 'number' || !Number.isInteger(v) || v < 0)) {
        ctx.addIssue({ code: 'custom', message: `pipeline must be "auto" or a whole number >= 0, got ${show(v)}` });
      }
    })
    .optional(),
  host: oneOf('host', HOSTS).optional(),
  // the upper limit is the board's: checked in resolveLine
  baud: wholeNumber('baud', LIMITS.baud.min, Number.MAX_SAFE_INTEGER).optional(),
  frameTimeoutMs: wholeNumber('frameTimeoutMs', LIMITS.frameTimeoutMs.min, LIMITS.frameTimeoutMs.max).optional(),
  bench: z.boolean({ error: (iss) => `bench must be true or false, got ${show(iss.input)}` }).optional(),
  name: z
    .any()
    .superRefine((v, ctx) => {
      if (typeof v !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*$/.test(v) || v.length > LIMITS.nameMaxLength) {
        ctx.addIssue({
          code: 'custom',
          message: `name must be a Verilog identifier (a letter, then letters, digits or _; at most ${LIMITS.nameMaxLength}), got ${show(v)}`,
        });
      }
    })
    .optional(),
  boardOptions: z
    .strictObject(
      { resetButton: z.string({ error: (iss) => `resetButton must be a button name (a string), got ${show(iss.input)}` }).optional() },
      { error: (iss) => (iss.code === 'invalid_type' ? `boardOptions must be an object such as { resetButton: 'S1' }, got ${show(iss.input)}` : undefined) },
    )
    .optional(),
  tools: z
    .record(z.string(), z.string({ error: (iss) => `a tool path must be a string, got ${show(iss.input)}` }), {
      error: (iss) => (iss.code === 'invalid_type' ? `tools must be an object of tool paths such as { yosys: '/usr/bin/yosys' }, got ${show(iss.input)}` : undefined),
    })
    .optional(),
  seeds: wholeNumber('seeds', LIMITS.seeds.min, LIMITS.seeds.max).optional(),
  margin: z
    .any()
    .superRefine((v, ctx) => {
      if (typeof v !== 'number' || !Number.isFinite(v) || v < LIMITS.marginPct.min || v > LIMITS.marginPct.max) {
        ctx.addIssue({ code: 'custom', message: `margin must be a percentage from ${LIMITS.marginPct.min} to ${LIMITS.marginPct.max}, got ${show(v)}` });
      }
    })
    .optional(),
  launcher: z
    .string({ error: (iss) => `launcher must be a command prefix (a string) such as 'srun --ntasks=1', got ${show(iss.input)}` })
    .refine((v) => v.trim() !== '', { message: 'launcher is empty: give a command prefix such as \'srun --ntasks=1\', or leave it out' })
    .optional(),
  timeouts: z
    .any()
    .superRefine((v, ctx) => {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) {
        ctx.addIssue({ code: 'custom', message: `timeouts must be an object of seconds by stage such as { pnr: 7200 }, got ${show(v)}` });
        return;
      }
      for (const [stage, seconds] of Object.entries(v as Record<string, unknown>)) {
        if (!(RUN_STAGES as readonly string[]).includes(stage)) {
          ctx.addIssue({ code: 'custom', path: [stage], message: `unknown stage "${stage}" (stages: ${RUN_STAGES.join(', ')})` });
        } else if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 1 || seconds > MAX_STAGE_TIMEOUT_SECONDS) {
          ctx.addIssue({ code: 'custom', path: [stage], message: `a time limit must be seconds from 1 to ${MAX_STAGE_TIMEOUT_SECONDS}, got ${show(seconds)}` });
        }
      }
    })
    .optional(),
});

/** The design fields a config file or an input object may hold. */
export const DESIGN_FIELDS: readonly string[] = Object.keys(inputSchema.shape);
/** The board options (`boardOptions.*`). */
export const BOARD_OPTIONS: readonly string[] = Object.keys(inputSchema.shape.boardOptions.unwrap().shape);

/** Names that reach an object's prototype machinery in JavaScript: never a field, option, button or tool here. */
export const RESERVED_KEYS: readonly string[] = ['__proto__', 'constructor', 'prototype'];

/** The path of the first reserved key (own keys only) anywhere in a plain input value, or undefined. */
export function reservedKeyPath(value: unknown, path: readonly PropertyKey[] = []): PropertyKey[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const key of Reflect.ownKeys(value)) {
    if (typeof key === 'string' && RESERVED_KEYS.includes(key)) return [...path, key];
    const inner = reservedKeyPath((value as Record<PropertyKey, unknown>)[key], [...path, key]);
    if (inner) return inner;
  }
  return undefined;
}

/**
 * Where resolveDesign finds the design's board: a lookup by id (default `findBoard`: the package's boards), or the
 * board itself (a board of your project, from `defineBoard` or a board file), which the design is then for.
 */
export type BoardSource = Board | ((id: string) => Board | undefined);

/**
 * The design's board. A board that is not the package's is checked against the board schema and made known to
 * findBoard (boards/user-boards.ts), so the plan and the checks find it by the design's board id.
 */
function resolveBoard(asked: string | undefined, source: BoardSource, locate: Locate): Board {
  let board: Board | undefined;
  if (typeof source === 'function') {
    const id = asked ?? DEFAULTS.board;
    board = source(id);
    if (!board) {
      const file = isBoardFilePath(id) || /\.[cm]?[jt]s$/.test(id);
      throw new AtomikError(`unknown board "${id}"`, {
        where: locate(['board']),
        hint: file
          ? `a board file is read by the command line (its path starting with ./, ../ or /); from code, give resolveDesign the Board (known boards: ${boardIds().join(', ')})`
          : `known boards: ${boardIds().join(', ')}`,
      });
    }
  } else {
    board = source;
    const id = (source as { id?: unknown } | null)?.id;
    if (asked !== undefined && asked !== id) {
      throw new AtomikError(`board "${asked}" is not the board given (${String(id)})`, { where: locate(['board']), hint: 'leave board out, or name the board given' });
    }
  }
  if (BOARDS.some((b) => b === board)) return board;
  const [problem] = boardProblems(board);
  const name = typeof (board as { id?: unknown } | null)?.id === 'string' ? `board ${board.id}` : 'the board given';
  if (problem) throw new AtomikError(problem.message, { where: name, ...(problem.hint === undefined ? {} : { hint: problem.hint }) });
  if (BOARDS.some((b) => b.id === board.id)) {
    throw new AtomikError(`id "${board.id}" is a board of the package`, { where: name, hint: 'give your board an id of its own' });
  }
  addUserBoard(board);
  return board;
}

/**
 * Checks a design description and fills in the defaults. Throws an AtomikError naming the first problem and where it is
 * (`locate` turns a field path into a flag or a file position). `boards`: where the board comes from (a lookup by id,
 * default the package's boards, or the board itself).
 */
export function resolveDesign(input: unknown, locate: Locate = flagLocate, boards: BoardSource = findBoard): Design {
  // an input object from JSON.parse may hold "__proto__" as an own key: refuse it before anything copies it
  const reserved = reservedKeyPath(input);
  if (reserved) {
    const key = String(reserved.at(-1));
    const [what, known] =
      reserved.length === 1 ? ['design field', `known fields: ${DESIGN_FIELDS.join(', ')}`]
      : reserved.length === 2 && reserved[0] === 'boardOptions' ? ['board option', `board options: ${BOARD_OPTIONS.join(', ')}`]
      : reserved.length === 2 && reserved[0] === 'tools' ? ['tool', 'tools: see atomik-gen doctor']
      : ['field', `"${key}" is a built-in JavaScript name, never a field here`];
    throw new AtomikError(`unknown ${what} "${key}"`, { where: locate(reserved), hint: known });
  }
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0]!;
      const inOptions = issue.path.length === 1 && issue.path[0] === 'boardOptions';
      throw new AtomikError(`unknown ${inOptions ? 'board option' : 'design field'} "${key}"`, {
        where: locate([...issue.path, key]),
        hint: inOptions ? `board options: ${BOARD_OPTIONS.join(', ')}` : `known fields: ${DESIGN_FIELDS.join(', ')}`,
      });
    }
    throw new AtomikError(issue.message, { where: locate(issue.path) });
  }
  const d = parsed.data as DesignInput;

  const board = resolveBoard(d.board, boards, locate);

  const banks = d.banks ?? DEFAULTS.banks;
  const width = d.width ?? DEFAULTS.width;
  const mode = d.mode ?? DEFAULTS.mode;
  const arch = d.arch ?? DEFAULTS.arch;
  const leaves = treeLeaves(arch, mode, banks);
  const depth = mergeTreeDepth(leaves);
  const pipelineSetting = d.pipeline ?? DEFAULTS.pipeline;
  const pipeline = pipelineSetting === 'auto' ? autoPipelineStages(depth) : pipelineSetting;
  // with several lanes the input stage is itself one of the tree's registers, so one level fewer is left
  const maxStages = inputStageInTree(arch, mode, leaves) ? depth - 1 : depth;
  if (pipeline > maxStages) {
    throw new AtomikError(`pipeline ${pipeline} is more stages than the ${depth}-level XOR tree of ${leaves} ${arch === 'reduce' ? 'lane' : 'bank'}(s) has room for`, {
      where: locate(['pipeline']),
      hint: `use 0..${maxStages} or "auto"`,
    });
  }

  const host = d.host ?? DEFAULTS.host;
  if (host === 'axi-lite' && board.family !== 'xilinx') {
    const zynq = BOARDS.filter((b) => b.family === 'xilinx').map((b) => b.id);
    throw new AtomikError(`host axi-lite needs a Zynq board (the AXI4-Lite master is its processing system); ${board.id} is a ${board.title}`, {
      where: locate(['host']),
      hint: `use --board ${zynq.join(' or --board ')}, or --host uart`,
    });
  }

  const resetButton = d.boardOptions?.resetButton ?? board.defaultResetButton;
  // own keys only: "constructor" or "toString" must not pass as a button because every object inherits them
  if (!Object.hasOwn(board.buttons, resetButton)) {
    throw new AtomikError(`board ${board.id} has no button "${resetButton}"`, {
      where: locate(['boardOptions', 'resetButton']),
      hint: `buttons: ${Object.keys(board.buttons).join(', ')}`,
    });
  }

  const clockMHz = resolveClock(board, host, d.clockMHz, locate);
  const line = resolveLine(board, host, clockMHz, d, locate);
  const design: Design = {
    name: d.name ?? DEFAULTS.name,
    board: board.id,
    banks,
    width,
    mode,
    arch,
    clockMHz,
    pipeline,
    host,
    bench: d.bench ?? DEFAULTS.bench,
    resetButton,
    ...line,
  };
  if (design.bench && design.host !== 'uart') {
    throw new AtomikError('a bench top needs the UART host (it reads the counters and the state)', {
      where: locate(['bench']),
      hint: 'use --host uart, or drop --bench',
    });
  }
  checkFit(design, board, locate);
  return design;
}

/**
 * The core clock: the board's default when none is asked for; else a finite number inside the clock source's range
 * (LIMITS.clockMHz), and for a PLL one it can make from the board's oscillator (else the nearest one is named). With
 * host axi-lite the processing system supplies the clock (FCLK): it is only the timing target, no PLL is solved.
 */
function resolveClock(board: Board, host: Host, asked: unknown, locate: Locate): number {
  const source = clockSourceOf(board, host);
  const range: ClockRange = LIMITS.clockMHz[source];
  if (typeof asked === 'string' && asked.trim().toLowerCase() === 'max') {
    throw new AtomikError('max is a search the main job and sweep run (they place and route to find the clock); this needs a clock in MHz', {
      where: locate(['clockMHz']),
      hint: `give a clock in MHz, or leave it out for the default, ${board.pll.defaultMHz} MHz`,
    });
  }
  if (asked !== undefined && (typeof asked !== 'number' || !Number.isFinite(asked) || asked < range.min || asked > range.max)) {
    const on = source === 'zynq-fclk' ? `with host ${host}` : `on the ${board.id}`;
    throw new AtomikError(`clockMHz must be a number from ${range.min} to ${range.max} MHz ${on} (${range.what}), got ${show(asked)}`, {
      where: locate(['clockMHz']),
      hint: `leave it out for the default, ${board.pll.defaultMHz} MHz`,
    });
  }
  const target = (asked as number | undefined) ?? board.pll.defaultMHz;
  if (source === 'zynq-fclk') return round3(target);
  const { ok, nearestMHz } = clockingOf(source).reach(board.clock.mhz, target);
  if (!ok) {
    const near = round3(nearestMHz);
    throw new AtomikError(
      `${target} MHz is not reachable by the ${board.title} ${source} from its ${board.clock.mhz} MHz clock; nearest reachable: ${near} MHz`,
      { where: locate(['clockMHz']), hint: `use --clock-mhz ${near}` },
    );
  }
  return round3(nearestMHz);
}

/**
 * The UART line: the default rate and timeout, or the asked ones; a rate above the board's host link, or one the core
 * clock cannot divide within UART_MAX_BIT_ERROR_PCT, is refused. Without a UART both are 0, and setting them is an error.
 */
function resolveLine(board: Board, host: Host, clockMHz: number, d: DesignInput, locate: Locate): { baud: number; frameTimeoutMs: number } {
  if (host !== 'uart') {
    const set = (['baud', 'frameTimeoutMs'] as const).find((k) => d[k] !== undefined);
    if (set !== undefined) {
      throw new AtomikError(`${set} is a setting of the UART host; this design's host is ${host}`, { where: locate([set]), hint: `drop it, or use --host uart` });
    }
    return { baud: 0, frameTimeoutMs: 0 };
  }
  const baud = d.baud ?? DEFAULTS.baud;
  if (baud > board.uart.maxBaud) {
    throw new AtomikError(`baud ${baud} is more than the ${board.title}'s host link carries (${board.uart.maxBaud})`, {
      where: locate(['baud']),
      hint: `use at most ${board.uart.maxBaud}`,
    });
  }
  const problem = uartLineProblem(clockMHz, baud);
  if (problem !== undefined) {
    throw new AtomikError(problem, {
      where: locate([d.baud === undefined ? 'clockMHz' : 'baud']),
      hint: 'pick a line rate that divides the core clock more closely, or another --clock-mhz',
    });
  }
  return { baud, frameTimeoutMs: d.frameTimeoutMs ?? DEFAULTS.frameTimeoutMs };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Canonical JSON of the design: fixed key order, so equal designs give equal text. */
export function canonicalDesign(design: Design): string {
  const keys: (keyof Design)[] = ['name', 'board', 'banks', 'width', 'mode', 'arch', 'clockMHz', 'pipeline', 'host', 'bench', 'resetButton', 'baud', 'frameTimeoutMs'];
  return JSON.stringify(Object.fromEntries(keys.map((k) => [k, design[k]])));
}

/** sha256 of the canonical design: the design's identity in headers, build plans and caches. */
export function designDigest(design: Design): string {
  return createHash('sha256').update(canonicalDesign(design)).digest('hex');
}

/** Default output folder: out/<board>-b<banks>-w<width>. */
export function defaultOutDir(design: Design): string {
  return `out/${design.board}-b${design.banks}-w${design.width}`;
}
