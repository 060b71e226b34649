// Every board atomik-gen knows. Adding a board: write its file, list it here, add its constraint template.
import type { Board } from './types.js';
import { userBoard } from './user-boards.js';
import { tang9k } from './tang9k.js';
import { tangnano20k } from './tangnano20k.js';
import { tangprimer20k } from './tangprimer20k.js';
import { tangprimer25k } from './tangprimer25k.js';
import { tangnano4k } from './tangnano4k.js';
import { icebreaker } from './icebreaker.js';
import { zynq7020 } from './zynq7020.js';
import { orangecrab } from './orangecrab.js';
import { ulx3s } from './ulx3s.js';

export type { Board } from './types.js';

/** The boards, in the order `atomik-gen boards` lists them. Each is a `Board<'<its id>'>`, so `BoardId` follows this list. */
export const BOARDS = [tang9k, tangnano20k, tangprimer20k, tangprimer25k, tangnano4k, zynq7020, ulx3s, orangecrab, icebreaker] as const satisfies readonly Board[];

/** The id of a known board, as a literal union (`'tang9k' | 'zynq7020'`): what `board` takes in `atomik.config.ts`. */
export type BoardId = (typeof BOARDS)[number]['id'];

export function boardIds(): BoardId[] {
  return BOARDS.map((b) => b.id);
}

/**
 * The board with this id: a package board, else a board of the user's project that a design was resolved for
 * (user-boards.ts). Any string is accepted (command-line input); an unknown one gives undefined.
 */
export function findBoard(id: string): Board | undefined {
  return BOARDS.find((b) => b.id === id) ?? userBoard(id);
}
