// A board file of the user's project: the example of docs/adding-a-board.md is read without running it, builds a plan
// whose constraints hold its pins, and every broken variant is one line at the board file's line and column.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BOARDS, findBoard } from '../../boards/index.js';
import type { Board } from '../../boards/types.js';
import { AtomikError } from '../common/errors.js';
import { packageRoot } from '../common/version.js';
import { buildPlan } from '../plan/plan.js';
import { defineBoard, readBoardFile } from './board-file.js';
import { resolveDesign } from './design.js';

/** The example board file of docs/adding-a-board.md ("A board in your own project"). */
function docExample(): string {
  const doc = readFileSync(join(packageRoot(), 'docs', 'adding-a-board.md'), 'utf8');
  const section = doc.split(/^## /m).find((s) => s.startsWith('A board in your own project\n'))!;
  return /```ts\n([\s\S]*?)```/.exec(section)![1]!;
}

const EXAMPLE = docExample();

function boardFile(text: string, name = 'myboard.ts'): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'atomik-board-file-')), 'boards');
  mkdirSync(dir);
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

function failure(fn: () => unknown): AtomikError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AtomikError) return err;
    throw err;
  }
  throw new Error('expected an AtomikError');
}

/** `line:column` (1-based) of the first occurrence of `needle` in `text`, `offset` characters into it. */
function position(text: string, needle: string, offset = 0): string {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`no ${needle} in the text`);
  const before = text.slice(0, at + offset).split('\n');
  return `${before.length}:${before.at(-1)!.length + 1}`;
}

/** The example with one piece of text replaced (the piece must be there). */
function edited(from: string, to: string): string {
  expect(EXAMPLE).toContain(from);
  return EXAMPLE.replace(from, to);
}

describe('the example board file of docs/adding-a-board.md', () => {
  it('is read without running it: literal values, numeric separators, strings joined with +', () => {
    const { board } = readBoardFile(boardFile(EXAMPLE));
    expect(board).toMatchObject({ id: 'tang9k-carrier', family: 'gowin', flow: 'gowin-open', pll: { kind: 'gowin-rpll', defaultMHz: 81 } });
    expect(board.uart.maxBaud).toBe(3_000_000);
    expect(board.leds.map((l) => l.pin)).toEqual(['10', '11']);
    expect(board.notes).toEqual(['The adapter must drive 3.3 V: header pins 25 and 26 are in a 3.3 V bank.']);
  });

  it('builds a plan whose constraints hold its pins, found by its id', () => {
    const { board } = readBoardFile(boardFile(EXAMPLE));
    const design = resolveDesign({ banks: 4, width: 32 }, undefined, board);
    expect(design.board).toBe('tang9k-carrier');
    expect(findBoard('tang9k-carrier')).toBe(board);
    const plan = buildPlan(design, join(tmpdir(), 'atomik-board-file-plan'));
    expect(plan.board).toBe(board);
    const cst = plan.files.find((f) => f.path === 'constraints/tang9k-carrier.cst')?.content;
    expect(cst, plan.files.map((f) => f.path).join(', ')).toBeDefined();
    for (const [port, pin] of [['clk_27m', '52'], ['rst_btn', '4'], ['uart_rx', '25'], ['uart_tx', '26'], ['led[0]', '10'], ['led[1]', '11']]) {
      expect(cst).toContain(`IO_LOC "${port}" ${pin};`);
    }
    expect(cst).toContain('IO_PORT "uart_rx" IO_TYPE=LVCMOS33 PULL_MODE=UP;');
    expect(cst).not.toContain('led[2]');
  });

  it('is typed by defineBoard, which returns the board as given', () => {
    const board: Board<'mine'> = defineBoard({ ...BOARDS[0], id: 'mine' });
    expect(board.id).toBe('mine');
  });
});

describe('a broken board file is one line at its file:line:column', () => {
  it.each([
    ['a value of the wrong type', () => edited('maxBaud: 3_000_000', "maxBaud: 'fast'"), "'fast'", /^uart\.maxBaud must be a whole number of baud >= 300, got "fast" \(uart: /],
    ['an unknown clocking kind', () => edited("kind: 'gowin-rpll'", "kind: 'gowin-pll'"), "'gowin-pll'", /^pll\.kind must be a clocking kind: gowin-rpll, .*got "gowin-pll" \(pll: /],
    ['an unknown field (at its value)', () => edited('  lutInputs: 4,', '  lutInputs: 4,\n  lutInput: 4,'), 'lutInput: 4', /^unknown board field "lutInput" \(board fields: id, title, /, 'lutInput: '.length],
    ['a check across fields', () => edited("{ pin: '10', io: 'LVCMOS18', activeLow: true }", "{ pin: '10', io: 'LVCMOS18', activeLow: false }"), "{ pin: '11', io: 'LVCMOS18', activeLow: true }", /^leds\[1\]\.activeLow must be false as for leds\[0\]: the top drives every LED with one polarity \(leds: /, "{ pin: '11', io: 'LVCMOS18', activeLow: ".length],
    ['a value it would have to run', () => edited("pin: '25'", "pin: String(25)"), 'String(25)', /^uart\.rx\.pin must be a literal value \(a number, a string, true\/false, \[ \.\.\. \] or \{ \.\.\. \}\), got `String\(25\)` \(the board file is read, not run\)$/],
    ['a syntax error', () => edited("  family: 'gowin',\n", "  family: 'gowin'\n"), "part: 'GW1NR", /^syntax error: ',' expected\. \(fix the board file\)$/],
  ] as [string, () => string, string, RegExp, number?][])('%s', (_what, text, at, message, offset = 0) => {
    const source = text();
    const path = boardFile(source);
    const err = failure(() => readBoardFile(path));
    const line = err.oneLine();
    expect(line).not.toContain('\n');
    expect(err.where!.endsWith(`myboard.ts:${position(source, at, offset)}`), `${err.where} at ${at}`).toBe(true);
    expect(line.slice(err.where!.length + 2)).toMatch(message);
  });

  it('a missing field: at the object that lacks it, saying what the field is', () => {
    const source = edited("  flow: 'gowin-open',\n", '');
    const err = failure(() => readBoardFile(boardFile(source)));
    expect(err.where).toMatch(new RegExp(`myboard\\.ts:${position(source, 'defineBoard({', 'defineBoard('.length)}$`));
    expect(err.oneLine()).toMatch(/: flow is missing \(flow: the vendor flow: gowin-open, /);
  });

  it('a missing field of a nested object: at that object', () => {
    const source = edited('    maxBaud: 3_000_000,\n', '');
    const err = failure(() => readBoardFile(boardFile(source)));
    expect(err.where).toMatch(new RegExp(`myboard\\.ts:${position(source, 'uart: {', 'uart: '.length)}$`));
    expect(err.message).toBe('uart.maxBaud is missing');
  });

  it("the id of a package board", () => {
    const source = edited("id: 'tang9k-carrier'", "id: 'tang9k'");
    const err = failure(() => readBoardFile(boardFile(source)));
    expect(err.where).toMatch(new RegExp(`myboard\\.ts:${position(source, "'tang9k'")}$`));
    expect(err.oneLine()).toMatch(/: id "tang9k" is a board of the package \(give your board an id of its own \(package boards: tang9k, /);
  });

  it('a path that does not exist, and a file without a default export', () => {
    const missing = failure(() => readBoardFile('/nonexistent/boards/myboard.ts', { pathHint: 'check the --board path' }));
    expect(missing.oneLine()).toMatch(/^[./]*\/?nonexistent\/boards\/myboard\.ts: board file not found \(check the --board path\)$/);
    const none = failure(() => readBoardFile(boardFile('export const board = {};\n')));
    expect(none.oneLine()).toMatch(/myboard\.ts:1:1: no default export \(write `export default defineBoard\(\{ id: 'myboard', /);
  });
});

describe('a Board given to resolveDesign', () => {
  const mine = (): Record<string, unknown> => ({ ...structuredClone(readBoardFile(boardFile(EXAMPLE)).board), id: 'mine2' });

  it('is checked with the board schema, named by its id', () => {
    const broken = { ...mine(), flow: 'xilinx-yosys-vivado' };
    const err = failure(() => resolveDesign({}, undefined, broken as unknown as Board));
    expect(err.oneLine()).toMatch(/^board mine2: flow must be a flow of the gowin family \(gowin-open\), got "xilinx-yosys-vivado", a xilinx flow/);
  });

  it('must not take a package board id, nor be named otherwise by the input', () => {
    const clash = { ...mine(), id: 'zynq7020' } as unknown as Board;
    expect(failure(() => resolveDesign({}, undefined, clash)).oneLine()).toBe('board zynq7020: id "zynq7020" is a board of the package (give your board an id of its own)');
    expect(failure(() => resolveDesign({ board: 'tang9k' }, undefined, mine() as unknown as Board)).oneLine()).toBe(
      '--board: board "tang9k" is not the board given (mine2) (leave board out, or name the board given)',
    );
  });

  it('may be a package board itself, which stays the package one', () => {
    const tang = BOARDS.find((b) => b.id === 'tang9k')!;
    expect(resolveDesign({ banks: 4 }, undefined, tang).board).toBe('tang9k');
    expect(findBoard('tang9k')).toBe(tang);
  });

  it('an unknown board that looks like a file names how a board file is given', () => {
    expect(failure(() => resolveDesign({ board: 'myboard.ts' })).oneLine()).toMatch(/^--board: unknown board "myboard\.ts" \(a board file is read by the command line \(its path starting with \.\/, \.\.\/ or \/\); from code, give resolveDesign the Board/);
  });
});
