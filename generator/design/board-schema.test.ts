// The board schema: every board of the package passes it; each kind of problem is one message naming its field; its
// lists of flows and clocking kinds are those of generator/vendors and generator/clocking; docs/adding-a-board.md
// lists its fields and families.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BOARDS } from '../../boards/index.js';
import type { Board } from '../../boards/types.js';
import { CLOCKINGS } from '../clocking/index.js';
import { packageRoot } from '../common/version.js';
import { FLOWS } from '../vendors/index.js';
import { ecp5SpeedGrade } from '../vendors/ecp5/index.js';
import { BOARD_FIELDS, boardProblems, boardSchema, FAMILIES, FAMILY_RULES, FLOW_FAMILIES, IO_STANDARDS, MIN_BOARD_BAUD, PLL_FAMILIES, TOP_NAMES, TOP_PREFIXES } from './board-schema.js';
import { LIMITS } from './design.js';

const tang9k = BOARDS.find((b) => b.id === 'tang9k')!;
/** A writable copy of the Tang Nano 9K, to break one field of. */
type Loose = Record<string, any>;
const copy = (b: Board = tang9k): Loose => structuredClone(b) as Loose;
const kindsOf = (family: string) => Object.entries(PLL_FAMILIES).filter(([, f]) => f === family).map(([kind]) => kind);

describe('the boards of the package', () => {
  it.each(BOARDS.map((b) => [b.id, b] as const))('%s passes the schema', (_id, board) => {
    expect(boardProblems(board)).toEqual([]);
    expect(boardSchema.parse(board)).toEqual(board);
  });

  it('cover every family there is a flow for', () => {
    const families = new Set(BOARDS.map((b) => b.family));
    for (const family of Object.values(FLOW_FAMILIES)) expect([...families], family).toContain(family);
  });
});

describe('the lists the schema checks against', () => {
  it('are the flows of generator/vendors and the clocking kinds of generator/clocking, each with its family', () => {
    expect(Object.keys(FLOW_FAMILIES).sort()).toEqual(Object.keys(FLOWS).sort());
    expect(Object.keys(PLL_FAMILIES).sort()).toEqual(Object.keys(CLOCKINGS).sort());
    for (const [flow, family] of Object.entries(FLOW_FAMILIES)) expect(Object.keys(FAMILIES), flow).toContain(family);
    for (const [kind, family] of Object.entries(PLL_FAMILIES)) expect(Object.keys(FAMILIES), kind).toContain(family);
    // every package board's flow and kind are of its family
    for (const b of BOARDS) expect([FLOW_FAMILIES[b.flow], PLL_FAMILIES[b.pll.kind]], b.id).toEqual([b.family, b.family]);
  });

  it('knows every name the board top templates declare, so a clock port cannot clash with one', () => {
    const dir = join(packageRoot(), 'templates', 'rtl');
    const files = [join(dir, 'top_common.hbs'), ...readdirSync(join(dir, 'top')).map((f) => join(dir, 'top', f))];
    const declared = new Set<string>();
    for (const file of files) {
      for (const m of readFileSync(file, 'utf8').matchAll(/^\s*(?:input|output|wire|reg)\s+(?:wire\s+|reg\s+)?(?:\[[^\]]*\]\s*)?([a-z_][a-z0-9_]*)/gm)) declared.add(m[1]!);
      for (const m of readFileSync(file, 'utf8').matchAll(/^\s*wire\s+([a-z_][a-z0-9_]*(?:\s*,\s*[a-z_][a-z0-9_]*)+)\s*;/gm)) for (const n of m[1]!.split(',')) declared.add(n.trim());
    }
    for (const keyword of ['wire', 'reg']) declared.delete(keyword); // `input wire {{board.clock.port}}` reads as one
    expect(declared.size).toBeGreaterThan(10);
    const ports = new Set(BOARDS.map((b) => b.clock.port));
    const unknown = [...declared].filter((n) => !ports.has(n) && !TOP_NAMES.includes(n) && !TOP_PREFIXES.some((p) => n.startsWith(p)));
    expect(unknown, 'names the top templates declare that TOP_NAMES lacks').toEqual([]);
  });

  it('takes the slowest baud from the design limits', () => {
    expect(MIN_BOARD_BAUD).toBe(LIMITS.baud.min);
  });

  it('reads an ECP5 speed grade from a part number as the ECP5 flow does', () => {
    const rule = FAMILY_RULES.ecp5.part;
    for (const part of ['LFE5U-85F-6BG381C', 'LFE5U-25F-8MG285C', 'LFE5UM5G-85F-8BG381I', 'LFE5U-85F', 'LFE5U-85F-6', 'LFE5U-85F-9BG381C']) {
      let flow: boolean;
      try {
        ecp5SpeedGrade({ part });
        flow = true;
      } catch {
        flow = false;
      }
      expect(rule.pattern.test(part), part).toBe(flow);
    }
  });
});

describe('a broken board record: one message per problem, naming the field', () => {
  const cases: [string, (b: Loose) => void, (string | number)[], string][] = [
    ['a missing field', (b) => delete b.uart.maxBaud, ['uart', 'maxBaud'], 'uart.maxBaud is missing'],
    ['a missing object', (b) => delete b.pll, ['pll'], 'pll is missing'],
    ['an unknown field', (b) => (b.flwo = 'gowin-open'), ['flwo'], 'unknown board field "flwo"'],
    ['an unknown field in a pin', (b) => (b.leds[1].colour = 'red'), ['leds', 1, 'colour'], 'unknown field "colour" in leds[1]'],
    ['a string for a number', (b) => (b.capacity.luts = '8640'), ['capacity', 'luts'], 'capacity.luts must be a whole number >= 1, got "8640"'],
    ['a fraction', (b) => (b.capacity.flipFlops = 6480.5), ['capacity', 'flipFlops'], 'capacity.flipFlops must be a whole number >= 1, got 6480.5'],
    ['a negative count', (b) => (b.capacity.bram = -1), ['capacity', 'bram'], 'capacity.bram must be a whole number >= 0, got -1'],
    ['a LUT size that is neither 4 nor 6', (b) => (b.lutInputs = 5), ['lutInputs'], 'lutInputs must be 4 or 6, got 5'],
    ['a number for a list', (b) => (b.leds = 6), ['leds'], 'leds must be a list of LED pins, got 6'],
    ['no LEDs', (b) => (b.leds = []), ['leds'], 'leds must list at least one LED (the top shows its heartbeat and status on them)'],
    ['an unknown IO standard', (b) => (b.leds[2].io = 'LVCMOS3'), ['leds', 2, 'io'], `leds[2].io must be an IO standard: ${Object.keys(IO_STANDARDS).join(', ')}, got "LVCMOS3"`],
    ['an unknown pull', (b) => (b.uart.rx.pull = 'high'), ['uart', 'rx', 'pull'], 'uart.rx.pull must be a pull: up, down, none, got "high"'],
    ['a pin with a space', (b) => (b.clock.pin.pin = '5 2'), ['clock', 'pin', 'pin'], 'clock.pin.pin must be a package pin without spaces or quotes, such as "52" or "H16", got "5 2"'],
    ['a title on two lines', (b) => (b.title = 'Tang\nNano'), ['title'], 'title must be text on one line, got "Tang\\nNano"'],
    ['a part with a quote', (b) => (b.part = 'GW1NR"9'), ['part'], 'part must be a part number without spaces or quotes, got "GW1NR\\"9"'],
    ['an id with capitals', (b) => (b.id = 'Tang9K'), ['id'], 'id must be a board id: lower case letters, digits, - and _, starting with a letter, at most 32 (it names folders and files), got "Tang9K"'],
    ['an unknown family', (b) => (b.family = 'altera'), ['family'], `family must be a family: ${Object.keys(FAMILIES).join(', ')}, got "altera"`],
    ['an unknown clocking kind', (b) => (b.pll.kind = 'gowin-pll'), ['pll', 'kind'], `pll.kind must be a clocking kind: ${Object.keys(CLOCKINGS).join(', ')}, got "gowin-pll"`],
    ['an unknown flow', (b) => (b.flow = 'gowin-vendor'), ['flow'], `flow must be a vendor flow: ${Object.keys(FLOWS).join(', ')}, got "gowin-vendor"`],
    ['a clock of 0 MHz', (b) => (b.clock.mhz = 0), ['clock', 'mhz'], 'clock.mhz must be a frequency in MHz above 0, got 0'],
    ['a default clock of -81 MHz', (b) => (b.pll.defaultMHz = -81), ['pll', 'defaultMHz'], 'pll.defaultMHz must be a frequency in MHz above 0, got -81'],
    ['a host link below 300 baud', (b) => (b.uart.maxBaud = 110), ['uart', 'maxBaud'], 'uart.maxBaud must be a whole number of baud >= 300, got 110'],
    ['no programmer arguments', (b) => (b.programmer.sram = []), ['programmer', 'sram'], 'programmer.sram must hold the openFPGALoader arguments (at least one)'],
    ['a reset button the board lacks', (b) => (b.defaultResetButton = 'S3'), ['defaultResetButton'], 'defaultResetButton must be one of the buttons (S1, S2), got "S3"'],
    ['an inherited name as the reset button', (b) => (b.defaultResetButton = 'constructor'), ['defaultResetButton'], 'defaultResetButton must be one of the buttons (S1, S2), got "constructor"'],
    ['no buttons', (b) => (b.buttons = {}), ['buttons'], "buttons must name at least one button (the design's reset)"],
    ['a flow of another family', (b) => (b.flow = 'xilinx-yosys-vivado'), ['flow'], 'flow must be a flow of the gowin family (gowin-open), got "xilinx-yosys-vivado", a xilinx flow'],
    [
      'a clocking kind of another family',
      (b) => (b.pll = { kind: 'xilinx-mmcme2', defaultMHz: 81 }),
      ['pll', 'kind'],
      `pll.kind must be a clocking kind of the gowin family (${kindsOf('gowin').join(', ')}), got "xilinx-mmcme2", a xilinx PLL`,
    ],
    ['an oscillator the PLL takes no input from', (b) => (b.clock.mhz = 1000), ['clock', 'mhz'], 'clock.mhz is no input the gowin-rpll takes: '],
    ['a default clock the PLL cannot make', (b) => (b.pll.defaultMHz = 80), ['pll', 'defaultMHz'], 'pll.defaultMHz must be a clock the gowin-rpll makes exactly from the 27 MHz oscillator, got 80 (nearest: 81 MHz)'],
    ['a clock port named like the core clock', (b) => (b.clock.port = 'clk'), ['clock', 'port'], 'clock.port must not be a name the top uses for something else (rst_btn, uart_rx, uart_tx, led, clk, clk_fb, ..., or u_*, unused_*), got "clk"'],
    ['a clock port named like an instance', (b) => (b.clock.port = 'u_core'), ['clock', 'port'], 'clock.port must not be a name the top uses for something else ('],
    ['LEDs of mixed polarity', (b) => (b.leds[3].activeLow = false), ['leds', 3, 'activeLow'], 'leds[3].activeLow must be true as for leds[0]: the top drives every LED with one polarity'],
    ['a pin used twice', (b) => (b.buttons.S2.pin = '10'), ['buttons', 'S2', 'pin'], 'buttons.S2.pin is also leds[0]\'s pin ("10"): every pin of the top must be its own'],
    ['a LUT size of another family', (b) => (b.lutInputs = 6), ['lutInputs'], 'lutInputs must be 4 for the gowin family, got 6'],
  ];

  it.each(cases)('%s', (_what, breakIt, path, message) => {
    const board = copy();
    breakIt(board);
    const problems = boardProblems(board);
    expect(problems).toHaveLength(1);
    expect(problems[0]!.path).toEqual(path);
    expect(problems[0]!.message.startsWith(message), problems[0]!.message).toBe(true);
    // the hint says what the field is, or which fields there are
    expect(problems[0]!.hint).toMatch(message.startsWith('unknown') ? /^(board )?fields: id|^fields: pin, io/ : new RegExp(`^${String(path[0])}: `));
  });

  it('names every problem of a record at once, field by field (the first is what a board file reports)', () => {
    const board = copy();
    delete board.uart.maxBaud;
    board.leds[2].io = 'LVCMOS3';
    board.flwo = 1;
    expect(boardProblems(board).map((p) => p.path)).toEqual([['uart', 'maxBaud'], ['leds', 2, 'io'], ['flwo']]);
  });

  it('is not a board at all', () => {
    expect(boardProblems(5)).toEqual([{ path: [], message: 'the board must be a board record, got 5' }]);
    expect(boardProblems(null)[0]!.message).toBe('the board must be a board record, got null');
  });
});

describe('what a family asks', () => {
  const ofFamily = (family: Board['family']) => BOARDS.find((b) => b.family === family);

  it.runIf(ofFamily('ice40'))('iCE40: a package, and no pull-down', () => {
    const noPackage = copy(ofFamily('ice40'));
    delete noPackage.package;
    expect(boardProblems(noPackage)).toEqual([expect.objectContaining({ path: ['package'], message: 'package is missing: the ice40-open flow gives it to place and route (--package)' })]);
    const down = copy(ofFamily('ice40'));
    down.uart.rx.pull = 'down';
    expect(boardProblems(down)).toEqual([expect.objectContaining({ path: ['uart', 'rx', 'pull'], message: 'uart.rx.pull must be up or none: Lattice iCE40 IO has no pull-down' })]);
  });

  it.runIf(ofFamily('ecp5'))('ECP5: a package, and the speed grade in the part number', () => {
    const board = copy(ofFamily('ecp5'));
    board.part = board.device;
    expect(boardProblems(board)).toEqual([
      expect.objectContaining({ path: ['part'], message: `part must be an ECP5 part number with its speed grade and package, such as LFE5U-85F-6BG381C, got "${board.device}"` }),
    ]);
  });
});

describe('docs/adding-a-board.md', () => {
  const doc = readFileSync(join(packageRoot(), 'docs', 'adding-a-board.md'), 'utf8');
  it('lists every field of the schema in its field table, and no other', () => {
    const lines = doc.split('\n');
    const head = lines.indexOf('| field | what it is | example (Tang Nano 9K) |');
    expect(head).toBeGreaterThan(0);
    const end = lines.findIndex((l, i) => i > head && !l.startsWith('|'));
    const fields = lines.slice(head + 2, end).flatMap((l) => [...l.split('|')[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
    expect([...fields].sort()).toEqual(Object.keys(boardSchema.shape).sort());
    expect(Object.keys(BOARD_FIELDS).sort()).toEqual(Object.keys(boardSchema.shape).sort());
  });

  it('names every family with its flows and clocking kinds, and every IO standard', () => {
    const rows = doc.split('\n').filter((l) => /^\| `[a-z0-9]+` \| `/.test(l));
    const byFamily = new Map(rows.map((l) => [/^\| `([^`]+)`/.exec(l)![1]!, l]));
    expect([...byFamily.keys()].sort()).toEqual(Object.keys(FAMILIES).sort());
    for (const [flow, family] of Object.entries(FLOW_FAMILIES)) expect(byFamily.get(family), flow).toContain(`\`${flow}\``);
    for (const [kind, family] of Object.entries(PLL_FAMILIES)) expect(byFamily.get(family), kind).toContain(`\`${kind}\``);
    for (const [family, rules] of Object.entries(FAMILY_RULES)) expect(byFamily.get(family)!.split('|')[4]!.trim(), family).toBe(String(rules.lutInputs));
    for (const io of Object.keys(IO_STANDARDS)) expect(doc).toContain(`\`${io}\``);
  });
});
