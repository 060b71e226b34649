// Yosys, shared by every flow: the `stat -json` result, counted per resource by the flow's own cell groups.
import type { Board } from '../../boards/types.js';
import type { Stage } from '../tools/stage.js';
import { use, type FigureSource, type ResourceUse, type VendorFlow } from './types.js';

/** Cells counted as one of our resources; `capacity` names the board figure it is measured against. */
export interface CellGroup {
  readonly resource: string;
  readonly cells: RegExp;
  readonly capacity?: keyof Board['capacity'];
  /** Cells that count as half a unit (a BRAM18 is half a BRAM36 block). */
  readonly halfCells?: RegExp;
}

const YOSYS_SOURCE: FigureSource = {
  tool: 'yosys',
  stage: 'synth',
  kind: 'reported',
  note: 'Yosys synthesis (before place and route)',
};

interface YosysStat {
  modules?: Record<string, { num_cells_by_type?: Record<string, number> }>;
}

/** Resource counts of the top module from Yosys `stat -json`, against the board's capacity. */
export function parseYosysStat(json: unknown, top: string, board: Board, groups: readonly CellGroup[]): ResourceUse[] {
  const stat = json as YosysStat | null;
  const module = stat?.modules?.[`\\${top}`] ?? stat?.modules?.[top];
  const cells = module?.num_cells_by_type;
  if (!cells) throw new Error(`Yosys stat has no module ${top}`);
  const count = (re: RegExp) =>
    Object.entries(cells)
      .filter(([type]) => re.test(type))
      .reduce((sum, [, n]) => sum + n, 0);
  return groups.map((g) => {
    const available = g.capacity ? board.capacity[g.capacity] || null : null;
    return use(g.resource, count(g.cells) - (g.halfCells ? count(g.halfCells) / 2 : 0), available);
  });
}

/** Where every flow's synthesis script writes Yosys's `stat -json`. */
export const SYNTH_STAT_JSON = 'reports/synth.stat.json';
export const SYNTH_SCRIPT = 'scripts/synth.ys';

/** The synth stage of a flow: Yosys runs the flow's script; `outputs` beyond the stat JSON are the flow's (a netlist). */
export function synthStage(board: Board, rtlFiles: readonly string[], netlist?: string): Stage {
  return {
    name: 'synth',
    description: `Yosys synthesis for ${board.part}`,
    commands: [{ tool: 'yosys', args: ['-s', SYNTH_SCRIPT] }],
    inputs: [SYNTH_SCRIPT, ...rtlFiles],
    outputs: netlist ? [netlist, SYNTH_STAT_JSON] : [SYNTH_STAT_JSON],
    result: { kind: 'yosys-stat', path: SYNTH_STAT_JSON },
  };
}

/** A flow's `synthesis` reader over its own cell groups. */
export function yosysSynthesis(groups: readonly CellGroup[]): VendorFlow['synthesis'] {
  return (json, top, board) => ({ resources: parseYosysStat(json, top, board, groups), source: YOSYS_SOURCE });
}
