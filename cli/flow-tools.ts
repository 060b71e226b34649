// The tools a board's main job needs: the plan of the board's default design, its stages and their tools. `doctor` and
// `setup --check` fail when one of the needed tools is missing; a tool only an optional stage uses (Vivado, whose stages
// are skipped without it) is reported but never fails them.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULTS, resolveDesign } from '../generator/design/design.js';
import { buildPlan } from '../generator/plan/plan.js';
import { toolsByNeed } from '../generator/tools/stage.js';
import type { ToolId } from '../generator/tools/tools.js';

export interface FlowTools {
  readonly board: string;
  /** Tools a stage that must run uses, in order of first use. */
  readonly needed: readonly ToolId[];
  /** Tools only optional stages use (each such stage is skipped without its tool). */
  readonly optional: readonly ToolId[];
}

/** The tools of the main job for `board`'s default design (default board when undefined). */
export function flowTools(board: string | undefined): FlowTools {
  const design = resolveDesign(board === undefined ? {} : { board });
  // the plan is only read (nothing is written), so any folder name does
  const plan = buildPlan(design, join(tmpdir(), 'atomik-gen-flow-tools'));
  return { board: board ?? DEFAULTS.board, ...toolsByNeed(plan.stages) };
}
