// A board of the user's project: a board file named from atomik.config.ts (`board: './boards/myboard.ts'`) or on the
// command line (`--board ./myboard.ts`). It is read as the config file is, without running it (readLiteralFile:
// literal values only, here with lists), checked against the board schema, and every error points at its
// file:line:column.
import { BOARDS } from '../../boards/index.js';
import type { Board } from '../../boards/types.js';
import { AtomikError } from '../common/errors.js';
import { BOARD_FIELDS, checkBoard } from './board-schema.js';
import { readLiteralFile } from './config-file.js';
import type { Locate } from './shape.js';

export { defineBoard, isBoardFilePath, type BoardFilePath } from './board-schema.js';

export interface BoardFile {
  readonly path: string;
  readonly board: Board;
  /** file:line:column of a field path of the board. */
  readonly locate: Locate;
}

export interface ReadBoardOptions {
  /** What to do about a path that names no readable board file (default: check the path). */
  readonly pathHint?: string;
}

/** How a board file is written, for the message of a file without a default export. */
const EXAMPLE = "export default defineBoard({ id: 'myboard', title: 'My board', ... })";

/**
 * Reads and checks a board file: the Board, or an AtomikError at the file's line and column naming the first problem
 * (a syntax error, a value that is not a literal, a missing, wrong or unknown field, the checks across fields, an id
 * that a package board has).
 */
export function readBoardFile(path: string, options: ReadBoardOptions = {}): BoardFile {
  const pathHint = options.pathHint ?? 'check the path of the board file';
  const file = readLiteralFile(path, {
    what: 'board file',
    define: 'defineBoard',
    example: EXAMPLE,
    pathHint,
    folderHint: 'name a board file such as ./boards/myboard.ts',
    known: { '': { what: 'board field', keys: Object.keys(BOARD_FIELDS) } },
    arrays: true,
  });
  const board = checkBoard(file.values, file.locate);
  if (BOARDS.some((b) => b.id === board.id)) {
    throw new AtomikError(`id "${board.id}" is a board of the package`, {
      where: file.locate(['id']),
      hint: `give your board an id of its own (package boards: ${BOARDS.map((b) => b.id).join(', ')})`,
    });
  }
  return { path, board, locate: file.locate };
}
