// Every board atomik-gen knows. Adding a board: write its file, list it here, add its constraint template.
import type { Board } from './types.js';
import { tang9k } from './tang9k.js';
import { zynq7020 } from './zynq7020.js';

export type { Board } from './types.js';

/** The boards, in the order `atomik-gen boards` lists them. Each is a `Board<'<its id>'>`, so `BoardId` follows this list. */
export const BOARDS = [tang9k, zynq7020] as const satisfies readonly Board[];

/** The id of a known board, as a literal union (`'tang9k' | 'zynq7020'`): what `board` takes in `atomik.config.ts`. */
export type BoardId = (typeof BOARDS)[number]['id'];

export function boardIds(): BoardId[] {
  return BOARDS.map((b) => b.id);
}

/** The board with this id; any string is accepted (command-line input), an unknown one gives undefined. */
export function findBoard(id: string): Board | undefined {
  return BOARDS.find((b) => b.id === id);
}
