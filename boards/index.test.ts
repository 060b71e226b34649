// BoardId, the union of the known ids, follows the boards list: a misspelt board in DesignInput is a type error, while
// resolveDesign still takes any string (command-line input) and refuses an unknown one with its one line.
import { describe, expect, it } from 'vitest';
import { defineDesign, resolveDesign, type DesignInput } from '../generator/design/design.js';
import { BOARDS, boardIds, findBoard, type BoardId } from './index.js';

// Compile-time checks (npm test runs tsc over the tests): BoardId is a union of literals, not `string` (a board file
// typed `Board` instead of `Board<'<id>'>` would widen it), and it is exactly the ids in BOARDS.
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const notWidened: string extends BoardId ? false : true = true;
const fromTheList: Equal<BoardId, (typeof BOARDS)[number]['id']> = true;
// @ts-expect-error a misspelt board id is a type error in a config file
defineDesign({ board: 'tang9kk' });
// @ts-expect-error so is any string that is not a known id
const fromString: DesignInput = { board: String('tang9k') };

describe('BoardId', () => {
  it('is checked at compile time (the assertions above compile)', () => {
    expect([notWidened, fromTheList]).toEqual([true, true]);
    expect(fromString.board).toBe('tang9k');
  });

  it('has each board typed by its own id, the runtime ids in order', () => {
    const ids: BoardId[] = boardIds();
    expect(ids).toEqual(BOARDS.map((b) => b.id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(findBoard(id)?.id).toBe(id);
    const known: DesignInput[] = ids.map((board) => defineDesign({ board }));
    for (const input of known) expect(resolveDesign(input).board).toBe(input.board);
  });

  it('leaves resolveDesign open to any string at run time, with its one-line error', () => {
    const fromCli: unknown = { board: 'tang9kk' };
    expect(() => resolveDesign(fromCli)).toThrow('unknown board "tang9kk"');
    expect(findBoard('tang9kk')).toBeUndefined();
  });
});
