// Every vendor flow atomik-gen drives, by the id a board names (`board.flow`).
import type { Board, ToolFlow } from '../../boards/types.js';
import { ecp5Open } from './ecp5/index.js';
import { gowinOpen } from './gowin/index.js';
import { ice40Open } from './ice40/index.js';
import type { VendorFlow } from './types.js';
import { xilinxYosysVivado } from './xilinx/index.js';

export const FLOWS: Readonly<Record<ToolFlow, VendorFlow>> = {
  'gowin-open': gowinOpen,
  'xilinx-yosys-vivado': xilinxYosysVivado,
  'ice40-open': ice40Open,
  'ecp5-open': ecp5Open,
};

export function flowOf(board: Board): VendorFlow {
  return FLOWS[board.flow];
}
