// Every vendor flow atomik-gen drives, by the id a board names (`board.flow`).
import type { Board, ToolFlow } from '../../boards/types.js';
import { gowinOpen } from './gowin/index.js';
import type { VendorFlow } from './types.js';
import { xilinxYosysVivado } from './xilinx/index.js';

export const FLOWS: Readonly<Record<ToolFlow, VendorFlow>> = {
  'gowin-open': gowinOpen,
  'xilinx-yosys-vivado': xilinxYosysVivado,
};

export function flowOf(board: Board): VendorFlow {
  return FLOWS[board.flow];
}
