// The boards of a user's project that this process has resolved a design for: a board file named from
// atomik.config.ts or `--board ./myboard.ts`, or a Board given to resolveDesign. findBoard finds them after the
// package's own, so every step that looks a design's board up by its id (the plan, the checks, the simulations) finds
// the user's board as well. They are never part of BOARDS, BoardId or `atomik-gen boards`' package list.
import type { Board } from './types.js';

const userBoards = new Map<string, Board>();

/** Makes a user's board known under its id, in place of one known before under the same id. */
export function addUserBoard(board: Board): void {
  userBoards.set(board.id, board);
}

/** The user's board with this id, or undefined. */
export function userBoard(id: string): Board | undefined {
  return userBoards.get(id);
}
