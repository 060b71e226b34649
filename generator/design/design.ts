// The design description: what a user writes (DesignInput), how it is checked, and the resolved Design every later
// step reads. Validation happens here, before anything is written.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { BOARDS, findBoard, boardIds } from '../../boards/index.js';
import type { Board } from '../../boards/types.js';
import { AtomikError } from '../common/errors.js';
import { autoPipelineStages, mergeTreeDepth } from './merge-tree.js';
import { ARCHS, HOSTS, MODES, inputStageInTree, treeLeaves, type Arch, type Design, type Host, type Locate, type Mode } from './shape.js';

export * from './shape.js';
import { clockingOf } from '../clocking/index.js';
import { checkFit } from './resources.js';

/** Documented limits of the design fields. */
export const LIMITS = {
  width: { min: 1, max: 256 },
  banks: { min: 1, max: 65535 }, // INFO carries the bank count in 16 bits
  nameMaxLength: 32,
} as const;

export const DEFAULTS = {
  board: 'tang9k',
  banks: 16,
  width: 64,
  mode: 'round-robin' as Mode,
  arch: 'reduce' as Arch,
  pipeline: 'auto' as const,
  host: 'uart' as Host,
  bench: false,
  name: 'atomik',
};

/** What a user writes in `atomik.config.ts` or passes as flags. Every field is optional; defaults fill the rest. */
export interface DesignInput {
  /** Board id (`atomik-gen boards`). Default `tang9k`. */
  board?: string;
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
   * Target core clock in MHz; must be reachable by the board's PLL. Default per board. With `host: 'axi-lite'` it is the
   * AXI clock the processing system supplies (FCLK), the timing target; no PLL makes it.
   */
  clockMHz?: number;
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
  /** Board-specific options. */
  boardOptions?: { resetButton?: string };
  /** Tool paths for this project, by tool id (e.g. `{ yosys: '/opt/oss-cad-suite/bin/yosys' }`); not part of the design. */
  tools?: Record<string, string>;
}

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
  'clock-mhz': { field: 'clockMHz', describe: 'core clock in MHz (default: the board\'s)' },
  pipeline: { field: 'pipeline', describe: 'merge-tree register stages: auto or a number' },
  host: { field: 'host', describe: 'host interface: uart, none or axi-lite (Zynq: an AXI4-Lite slave for a block design)' },
  bench: { field: 'bench', describe: 'bench top: an on-chip generator feeds every lane every cycle (true/false)' },
  name: { field: 'name', describe: 'design name (module prefix)' },
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
  clockMHz: z
    .any()
    .superRefine((v, ctx) => {
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
        ctx.addIssue({ code: 'custom', message: `clockMHz must be a positive number of MHz, got ${show(v)}` });
      }
    })
    .optional(),
  pipeline: z
    .any()
    .superRefine((v, ctx) => {
      if (v !== 'auto' && (typeof v !== 'number' || !Number.isInteger(v) || v < 0)) {
        ctx.addIssue({ code: 'custom', message: `pipeline must be "auto" or a whole number >= 0, got ${show(v)}` });
      }
    })
    .optional(),
  host: oneOf('host', HOSTS).optional(),
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
  boardOptions: z.strictObject({ resetButton: z.string().optional() }).optional(),
  tools: z.record(z.string(), z.string({ error: 'a tool path must be a string' })).optional(),
});

/**
 * Checks a design description and fills in the defaults. Throws an AtomikError naming the first problem and where it is
 * (`locate` turns a field path into a flag or a file position).
 */
export function resolveDesign(input: unknown, locate: Locate = flagLocate): Design {
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') {
      const key = issue.keys[0]!;
      const known = Object.keys(inputSchema.shape);
      throw new AtomikError(`unknown design field "${key}"`, {
        where: locate([...issue.path, key]),
        hint: `known fields: ${known.join(', ')}`,
      });
    }
    throw new AtomikError(issue.message, { where: locate(issue.path) });
  }
  const d = parsed.data as DesignInput;

  const boardId = d.board ?? DEFAULTS.board;
  const board = findBoard(boardId);
  if (!board) {
    throw new AtomikError(`unknown board "${boardId}"`, { where: locate(['board']), hint: `known boards: ${boardIds().join(', ')}` });
  }

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
  if (!(resetButton in board.buttons)) {
    throw new AtomikError(`board ${board.id} has no button "${resetButton}"`, {
      where: locate(['boardOptions', 'resetButton']),
      hint: `buttons: ${Object.keys(board.buttons).join(', ')}`,
    });
  }

  const design: Design = {
    name: d.name ?? DEFAULTS.name,
    board: board.id,
    banks,
    width,
    mode,
    arch,
    clockMHz: host === 'axi-lite' ? axiClock(board, d.clockMHz) : resolveClock(board, d.clockMHz, locate),
    pipeline,
    host,
    bench: d.bench ?? DEFAULTS.bench,
    resetButton,
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

function resolveClock(board: Board, asked: number | undefined, locate: Locate): number {
  const target = asked ?? board.pll.defaultMHz;
  const { ok, nearestMHz } = clockingOf(board.pll.kind).reach(board.clock.mhz, target);
  if (!ok) {
    const near = round3(nearestMHz);
    throw new AtomikError(
      `${target} MHz is not reachable by the ${board.title} ${board.pll.kind} from its ${board.clock.mhz} MHz clock; nearest reachable: ${near} MHz`,
      { where: locate(['clockMHz']), hint: `use --clock-mhz ${near}` },
    );
  }
  return round3(nearestMHz);
}

/** The AXI clock comes from the processing system (FCLK), not from a PLL in the design: it is only the timing target. */
function axiClock(board: Board, asked: number | undefined): number {
  return round3(asked ?? board.pll.defaultMHz);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Canonical JSON of the design: fixed key order, so equal designs give equal text. */
export function canonicalDesign(design: Design): string {
  const keys: (keyof Design)[] = ['name', 'board', 'banks', 'width', 'mode', 'arch', 'clockMHz', 'pipeline', 'host', 'bench', 'resetButton'];
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
