// Every board atomik-gen knows. Adding a board: write its file, list it here, add its constraint template.
import type { Board } from './types.js';
import { tang9k } from './tang9k.js';
import { zynq7020 } from './zynq7020.js';

export type { Board } from './types.js';

export const BOARDS: readonly Board[] = [tang9k, zynq7020];

export function boardIds(): string[] {
  return BOARDS.map((b) => b.id);
}

export function findBoard(id: string): Board | undefined {
  return BOARDS.find((b) => b.id === id);
}
