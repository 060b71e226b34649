// The schema of a board record: every board in boards/ (board-schema.test.ts) and every board file of a user's project
// (board-file.ts) is checked against it, field by field and then as a whole (the reset button exists, the flow and the
// PLL kind belong to the board's family, the PLL makes the default clock, no pin is used twice), with one message per
// problem naming the field. `defineBoard` types a board file.
import { z } from 'zod';
import type { Board, Family, IoStandard, Pin, PllKind, ToolFlow } from '../../boards/types.js';
import { CLOCKINGS, clockingOf } from '../clocking/index.js';
import { AtomikError } from '../common/errors.js';
import type { Locate } from './shape.js';

/** Identity function that types a board file of your project: `export default defineBoard({ ... })`. */
export function defineBoard<Id extends string>(board: Board<Id>): Board<Id> {
  return board;
}

/** The FPGA families, with what each one is (for messages and docs/adding-a-board.md). */
export const FAMILIES = {
  gowin: 'Gowin (GW1N, GW1NS, GW2A, GW5A)',
  xilinx: 'Xilinx 7-series',
  ice40: 'Lattice iCE40',
  ecp5: 'Lattice ECP5',
} as const satisfies Readonly<Record<Family, string>>;

/**
 * The family each vendor flow builds for: a board's `flow` must be one of these, of its own family. The keys are the
 * flows of generator/vendors (FLOWS), which sits above this folder; board-schema.test.ts holds the two equal.
 */
export const FLOW_FAMILIES = {
  'gowin-open': 'gowin',
  'xilinx-yosys-vivado': 'xilinx',
  'ice40-open': 'ice40',
  'ecp5-open': 'ecp5',
} as const satisfies Readonly<Record<ToolFlow, Family>>;

/** The family whose primitive each clocking kind (generator/clocking CLOCKINGS) instantiates. */
export const PLL_FAMILIES = {
  'gowin-rpll': 'gowin',
  'gowin-rpll-gw2a': 'gowin',
  'gowin-pllvr': 'gowin',
  'gowin-plla': 'gowin',
  'xilinx-mmcme2': 'xilinx',
  'ice40-sb-pll40-pad': 'ice40',
  'ecp5-ehxplll': 'ecp5',
} as const satisfies Readonly<Record<PllKind, Family>>;

/** The IO standards a pin may name (boards/types.ts IoStandard). */
export const IO_STANDARDS = {
  LVCMOS33: '3.3 V LVCMOS',
  LVCMOS25: '2.5 V LVCMOS',
  LVCMOS18: '1.8 V LVCMOS',
  LVCMOS15: '1.5 V LVCMOS',
  SSTL135_I: '1.35 V SSTL, class I',
} as const satisfies Readonly<Record<IoStandard, string>>;

/** Pull resistors. */
export const PULLS = ['up', 'down', 'none'] as const satisfies readonly NonNullable<Pin['pull']>[];

/**
 * What a family asks of a board beyond the common fields, because its flow reads it: the LUT size, the package
 * (nextpnr-ice40 / nextpnr-ecp5 --package), the speed grade in an ECP5 part number (generator/vendors/ecp5
 * ecp5SpeedGrade reads it the same way), and iCE40 IO, which has no pull-down.
 */
export const FAMILY_RULES = {
  gowin: { lutInputs: 4, needsPackage: false, pullDown: true, part: undefined },
  xilinx: { lutInputs: 6, needsPackage: false, pullDown: true, part: undefined },
  ice40: { lutInputs: 4, needsPackage: true, pullDown: false, part: undefined },
  ecp5: { lutInputs: 4, needsPackage: true, pullDown: true, part: { pattern: /-[678][A-Z]{2}\d+[A-Z]*$/, rule: 'an ECP5 part number with its speed grade and package, such as LFE5U-85F-6BG381C' } },
} as const satisfies Readonly<Record<Family, { lutInputs: 4 | 6; needsPackage: boolean; pullDown: boolean; part: { pattern: RegExp; rule: string } | undefined }>>;

/** The slowest line rate a design may use (LIMITS.baud.min in design.ts, which imports this file; the test holds them equal). */
export const MIN_BOARD_BAUD = 300;

/**
 * Names the board top uses besides the clock port: its other ports and the signals its templates declare
 * (board-schema.test.ts reads them from templates/rtl/top*), and the prefixes of its instances and unused-signal sinks.
 * The oscillator's port must be none of them.
 */
export const TOP_NAMES: readonly string[] = [
  'rst_btn', 'uart_rx', 'uart_tx', 'led',
  'clk', 'clk_fb', 'clk_mmcm', 'pll_lock', 'rst', 'rst_request', 'rst_sync', 'blink', 'heartbeat',
  'core_ready', 'core_clean', 'ctrl_op', 'ctrl_value', 'acc_en', 'acc_data', 'read_en', 'resp_valid', 'resp_state', 'resp_clean',
  'ref_value', 'cycle_count', 'delta_count', 'error_seen', 'host_rx_busy', 'host_tx_busy', 'host_acc_en', 'host_acc_data',
];
export const TOP_PREFIXES: readonly string[] = ['u_', 'unused_'];

/** What each field of a board is: for the message when one is missing, and the field table of docs/adding-a-board.md. */
export const BOARD_FIELDS = {
  id: 'the `--board` value: lower case letters, digits, - and _, starting with a letter',
  title: 'the board\'s name, shown in reports and in the top\'s header comment',
  vendor: 'who makes the board',
  family: `the FPGA family: ${Object.keys(FAMILIES).join(', ')}`,
  part: 'the full part number (nextpnr --device, Vivado -part)',
  device: 'the vendor IDE\'s device string (the Gowin rPLL\'s DEVICE)',
  packFamily: 'the chip database / packer family (nextpnr --vopt family=, gowin_pack -d; ECP5: the size, 85k)',
  package: 'the package as nextpnr-ice40 / nextpnr-ecp5 --package names it (iCE40, ECP5)',
  lutInputs: 'LUT inputs: 4 or 6',
  capacity: 'the part\'s LUT, FF, BRAM and DSP counts: the fit check and the percentages in reports',
  clock: 'the oscillator: its port name in the top, its pin and its frequency in MHz',
  uart: 'the FPGA\'s RX and TX pins of the host UART, a note, and the fastest baud the host link carries (maxBaud)',
  leds: 'LED pins in order, led[0] first, at least one, all of one polarity',
  buttons: 'button pins by name, at least one (the reset)',
  defaultResetButton: 'the button used as reset unless the design names another',
  pll: 'the clocking kind and the default core clock, which that PLL must make exactly from the oscillator',
  flow: `the vendor flow: ${Object.keys(FLOW_FAMILIES).join(', ')}`,
  programmer: 'openFPGALoader arguments for SRAM and flash (the bitstream is appended), and a note',
  notes: 'board facts worth showing a user: where a pin fact came from, where sources disagree',
} as const satisfies Readonly<Record<keyof Board, string>>;

// --- the schema ---------------------------------------------------------------------------------------------------

const MISSING = 'is missing';

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object' && v !== null) return 'an object';
  return String(v);
}

/** The message of a wrong value: `must be <rule>, got <value>` (`is missing` when there is none). */
function must(rule: string) {
  return (iss: { readonly input?: unknown }) => (iss.input === undefined ? MISSING : `must be ${rule}, got ${show(iss.input)}`);
}

const CONTROL = /[\u0000-\u001f\u007f]/;

/** Text shown to people and printed into comments of generated files: not empty, one line. */
function text(rule = 'text on one line') {
  return z.string({ error: must(rule) }).refine((s) => s.trim() !== '' && !CONTROL.test(s), { error: must(rule) });
}

/** A name printed into generated files and tool arguments: no spaces, quotes or other characters that would need escaping. */
function token(rule: string) {
  return z.string({ error: must(rule) }).regex(/^[A-Za-z0-9][A-Za-z0-9_./+-]*$/, { error: must(rule) });
}

function whole(min: number, rule = `a whole number >= ${min}`) {
  return z.number({ error: must(rule) }).refine((n) => Number.isSafeInteger(n) && n >= min, { error: must(rule) });
}

function positive(rule: string) {
  return z.number({ error: must(rule) }).refine((n) => n > 0, { error: must(rule) });
}

function oneOf<T extends string>(values: readonly T[], what: string) {
  return z.enum(values as [T, ...T[]], { error: must(`${what}: ${values.join(', ')}`) });
}

function object<S extends z.core.$ZodLooseShape>(shape: S, rule: string) {
  return z.strictObject(shape, { error: must(rule) });
}

const PIN = 'a pin such as { pin: \'52\', io: \'LVCMOS33\' }';

export const pinSchema = object(
  {
    pin: token('a package pin without spaces or quotes, such as "52" or "H16"'),
    io: oneOf(Object.keys(IO_STANDARDS) as IoStandard[], 'an IO standard'),
    pull: oneOf(PULLS, 'a pull').optional(),
    activeLow: z.boolean({ error: must('true or false') }).optional(),
    note: text().optional(),
  },
  PIN,
);

const args = (what: string) =>
  z
    .array(text('an argument (a string on one line)'), { error: must(`a list of ${what}, such as ['-b', 'tangnano9k']`) })
    .min(1, { error: `must hold the ${what} (at least one)` })
    .readonly();

const fieldsSchema = object(
  {
    id: z.string({ error: must('a board id') }).regex(/^[a-z][a-z0-9_-]{0,31}$/, {
      error: must('a board id: lower case letters, digits, - and _, starting with a letter, at most 32 (it names folders and files)'),
    }),
    title: text(),
    vendor: text(),
    family: oneOf(Object.keys(FAMILIES) as Family[], 'a family'),
    part: token('a part number without spaces or quotes'),
    device: token('a device name without spaces or quotes'),
    packFamily: token('a packer family without spaces or quotes'),
    package: token('a package name without spaces or quotes').optional(),
    lutInputs: z.literal([4, 6], { error: must('4 or 6') }),
    capacity: object(
      {
        luts: whole(1),
        flipFlops: whole(1),
        bram: whole(0),
        dsp: whole(0),
      },
      'the part\'s counts, such as { luts: 8640, flipFlops: 6480, bram: 26, dsp: 20 }',
    ),
    clock: object(
      {
        port: z.string({ error: must('a Verilog identifier') }).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: must('a Verilog identifier (the top\'s clock port)') }),
        pin: pinSchema,
        mhz: positive('a frequency in MHz above 0'),
      },
      'the oscillator, such as { port: \'clk_27m\', pin: { pin: \'52\', io: \'LVCMOS33\' }, mhz: 27 }',
    ),
    uart: object(
      {
        rx: pinSchema,
        tx: pinSchema,
        note: text(),
        maxBaud: whole(MIN_BOARD_BAUD, `a whole number of baud >= ${MIN_BOARD_BAUD}`),
      },
      'the host UART, such as { rx: { ... }, tx: { ... }, note: \'...\', maxBaud: 3000000 }',
    ),
    leds: z
      .array(pinSchema, { error: must('a list of LED pins') })
      .min(1, { error: 'must list at least one LED (the top shows its heartbeat and status on them)' })
      .readonly(),
    buttons: z.record(z.string(), pinSchema, { error: must('button pins by name, such as { S1: { pin: \'4\', io: \'LVCMOS18\' } }') }).readonly(),
    defaultResetButton: z.string({ error: must('a button name') }),
    pll: object(
      {
        kind: oneOf(Object.keys(CLOCKINGS) as PllKind[], 'a clocking kind'),
        defaultMHz: positive('a frequency in MHz above 0'),
      },
      'the PLL, such as { kind: \'gowin-rpll\', defaultMHz: 81 }',
    ),
    flow: oneOf(Object.keys(FLOW_FAMILIES) as ToolFlow[], 'a vendor flow'),
    programmer: object(
      {
        sram: args('openFPGALoader arguments'),
        flash: args('openFPGALoader arguments'),
        note: text().optional(),
      },
      'openFPGALoader arguments, such as { sram: [\'-b\', \'tangnano9k\'], flash: [\'-b\', \'tangnano9k\', \'-f\'] }',
    ),
    notes: z.array(text(), { error: must('a list of notes (strings)') }).readonly().optional(),
  },
  'a board record',
);

type Issue = { readonly path: readonly PropertyKey[]; readonly message: string };

/** Every pin of a board with its path, in the order a reader meets them. */
function pinsOf(b: z.output<typeof fieldsSchema>): { path: PropertyKey[]; pin: Pin }[] {
  return [
    { path: ['clock', 'pin'], pin: b.clock.pin },
    { path: ['uart', 'rx'], pin: b.uart.rx },
    { path: ['uart', 'tx'], pin: b.uart.tx },
    ...b.leds.map((pin, i) => ({ path: ['leds', i], pin })),
    ...Object.entries(b.buttons).map(([name, pin]) => ({ path: ['buttons', name], pin })),
  ];
}

/** The default core clock against what the board's PLL makes from its oscillator. */
function reachable(b: z.output<typeof fieldsSchema>): Issue[] {
  let reach: { readonly ok: boolean; readonly nearestMHz: number };
  try {
    reach = clockingOf(b.pll.kind).reach(b.clock.mhz, b.pll.defaultMHz);
  } catch (err) {
    // the solver refuses an oscillator outside the PLL's input range
    return [{ path: ['clock', 'mhz'], message: `is no input the ${b.pll.kind} takes: ${(err as Error).message}` }];
  }
  if (reach.ok) return [];
  const nearest = Math.round(reach.nearestMHz * 1000) / 1000;
  return [{ path: ['pll', 'defaultMHz'], message: `must be a clock the ${b.pll.kind} makes exactly from the ${b.clock.mhz} MHz oscillator, got ${b.pll.defaultMHz} (nearest: ${nearest} MHz)` }];
}

/** The checks across fields, on a record whose fields have the right types. */
function acrossFields(b: z.output<typeof fieldsSchema>): Issue[] {
  const issues: Issue[] = [];
  const names = Object.keys(b.buttons);
  if (names.length === 0) issues.push({ path: ['buttons'], message: 'must name at least one button (the design\'s reset)' });
  for (const name of names) {
    if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(name)) issues.push({ path: ['buttons', name], message: `must be named with letters, digits, - and _ (it is the --reset-button value), got ${show(name)}` });
  }
  // own keys only: "constructor" or "toString" must not pass as a button because every object inherits them
  if (names.length > 0 && !Object.hasOwn(b.buttons, b.defaultResetButton)) {
    issues.push({ path: ['defaultResetButton'], message: `must be one of the buttons (${names.join(', ')}), got ${show(b.defaultResetButton)}` });
  }
  if (FLOW_FAMILIES[b.flow] !== b.family) {
    const flows = Object.entries(FLOW_FAMILIES).filter(([, f]) => f === b.family).map(([flow]) => flow);
    issues.push({ path: ['flow'], message: `must be a flow of the ${b.family} family (${flows.join(', ') || 'none yet'}), got "${b.flow}", a ${FLOW_FAMILIES[b.flow]} flow` });
  }
  if (PLL_FAMILIES[b.pll.kind] !== b.family) {
    const kinds = Object.entries(PLL_FAMILIES).filter(([, f]) => f === b.family).map(([kind]) => kind);
    issues.push({ path: ['pll', 'kind'], message: `must be a clocking kind of the ${b.family} family (${kinds.join(', ') || 'none yet'}), got "${b.pll.kind}", a ${PLL_FAMILIES[b.pll.kind]} PLL` });
  } else if (b.clock.mhz > 0 && b.pll.defaultMHz > 0) {
    issues.push(...reachable(b));
  }
  if (TOP_NAMES.includes(b.clock.port) || TOP_PREFIXES.some((p) => b.clock.port.startsWith(p))) {
    issues.push({
      path: ['clock', 'port'],
      message: `must not be a name the top uses for something else (${TOP_NAMES.slice(0, 6).join(', ')}, ..., or ${TOP_PREFIXES.map((p) => `${p}*`).join(', ')}), got "${b.clock.port}"`,
    });
  }
  const rules = FAMILY_RULES[b.family];
  if (b.lutInputs !== rules.lutInputs) issues.push({ path: ['lutInputs'], message: `must be ${rules.lutInputs} for the ${b.family} family, got ${b.lutInputs}` });
  if (rules.needsPackage && b.package === undefined) issues.push({ path: ['package'], message: `is missing: the ${b.flow} flow gives it to place and route (--package)` });
  if (rules.part && !rules.part.pattern.test(b.part)) issues.push({ path: ['part'], message: `must be ${rules.part.rule}, got ${show(b.part)}` });
  if (!rules.pullDown) {
    for (const { path, pin } of pinsOf(b)) {
      if (pin.pull === 'down') issues.push({ path: [...path, 'pull'], message: `must be up or none: ${FAMILIES[b.family]} IO has no pull-down` });
    }
  }
  const polarity = b.leds[0]?.activeLow === true;
  b.leds.forEach((led, i) => {
    if ((led.activeLow === true) !== polarity) {
      issues.push({ path: ['leds', i, 'activeLow'], message: `must be ${String(polarity)} as for leds[0]: the top drives every LED with one polarity` });
    }
  });
  const seen = new Map<string, string>();
  for (const { path, pin } of pinsOf(b)) {
    const first = seen.get(pin.pin);
    if (first !== undefined) issues.push({ path: [...path, 'pin'], message: `is also ${first}'s pin ("${pin.pin}"): every pin of the top must be its own` });
    else seen.set(pin.pin, pathText(path));
  }
  return issues;
}

/** The whole board record: every field, then the checks across fields. Its output type is `Board` (checked below). */
export const boardSchema = fieldsSchema.superRefine((b, ctx) => {
  for (const issue of acrossFields(b)) ctx.addIssue({ code: 'custom', path: [...issue.path], message: issue.message });
});

// The schema's output is `Board` and `Board` is the schema's output (both ways), with the same keys at every level: a
// field added to one and not the other fails to compile here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type SameKeys<A, B> = Same<keyof A, keyof B>;
type Output = z.output<typeof boardSchema>;
const _boardFits: [
  Same<Output, Board>,
  SameKeys<Output, Board>,
  SameKeys<Output['capacity'], Board['capacity']>,
  SameKeys<Output['clock'], Board['clock']>,
  SameKeys<Output['clock']['pin'], Pin>,
  SameKeys<Output['uart'], Board['uart']>,
  SameKeys<Output['pll'], Board['pll']>,
  SameKeys<Output['programmer'], Board['programmer']>,
] = [true, true, true, true, true, true, true, true];
void _boardFits;

// --- problems as messages -----------------------------------------------------------------------------------------

/** One problem of a board record: where (a field path) and what, in one line, and what the field is. */
export interface BoardProblem {
  readonly path: readonly (string | number)[];
  readonly message: string;
  readonly hint?: string;
}

/** `uart.rx.pin`, `leds[2].io`, `buttons.S1`. */
export function pathText(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

/** The keys the object at `path` of a board may hold (for the hint of an unknown key), or undefined. */
function unwrapKeys(start: z.ZodType, path: readonly PropertyKey[]): readonly string[] | undefined {
  type Def = { type: string; shape?: Record<string, z.ZodType>; element?: z.ZodType; valueType?: z.ZodType; innerType?: z.ZodType };
  const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;
  const unwrap = (s: z.ZodType): z.ZodType => {
    let d = defOf(s);
    while ((d.type === 'optional' || d.type === 'readonly') && d.innerType) {
      s = d.innerType;
      d = defOf(s);
    }
    return s;
  };
  let schema = unwrap(start);
  for (const key of path) {
    const d = defOf(schema);
    const next = d.type === 'object' ? d.shape?.[String(key)] : d.type === 'array' ? d.element : d.type === 'record' ? d.valueType : undefined;
    if (next === undefined) return undefined;
    schema = unwrap(next);
  }
  const d = defOf(schema);
  return d.type === 'object' && d.shape ? Object.keys(d.shape) : undefined;
}

/** The problems of a board record, field by field (every missing, wrong and unknown field), then across fields. */
export function boardProblems(value: unknown): BoardProblem[] {
  const parsed = boardSchema.safeParse(value);
  if (parsed.success) return [];
  return parsed.error.issues.flatMap((issue): BoardProblem[] => {
    const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
    if (issue.code === 'unrecognized_keys') {
      const known = unwrapKeys(fieldsSchema, path) ?? [];
      return issue.keys.map((key) => ({
        path: [...path, key],
        message: path.length === 0 ? `unknown board field "${key}"` : `unknown field "${key}" in ${pathText(path)}`,
        hint: `${path.length === 0 ? 'board fields' : 'fields'}: ${known.join(', ')}`,
      }));
    }
    const top = String(path[0] ?? '');
    const doc = Object.hasOwn(BOARD_FIELDS, top) ? BOARD_FIELDS[top as keyof typeof BOARD_FIELDS] : undefined;
    const where = path.length === 0 ? 'the board' : pathText(path);
    return [{ path, message: `${where} ${issue.message}`, ...(doc === undefined ? {} : { hint: `${top}: ${doc}` }) }];
  });
}

/**
 * The board record checked against the schema: the Board, or an AtomikError naming the first problem where `locate`
 * puts its field (a board file's line and column).
 */
export function checkBoard(value: unknown, locate: Locate): Board {
  const [first] = boardProblems(value);
  if (first !== undefined) throw new AtomikError(first.message, { where: locate(first.path), ...(first.hint === undefined ? {} : { hint: first.hint }) });
  return value as Board;
}

// --- naming a board file ------------------------------------------------------------------------------------------

/**
 * A board file of the user's project as `board` names it: a relative (`./`, `../`) or absolute path, as an import
 * names a file. A package board is named by its id, which never starts so.
 */
export type BoardFilePath = `./${string}` | `../${string}` | `/${string}`;

/** Whether a `board` value names a board file rather than a package board. */
export function isBoardFilePath(value: string): value is BoardFilePath {
  return /^(\.{1,2}\/|\/)/.test(value);
}
