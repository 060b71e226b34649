// The build plan as a record: what generator/run/ writes and runs, and what build.json holds.
import type { Board } from '../../boards/types.js';
import type { PlannedFile } from '../common/render.js';
import type { Design } from '../design/design.js';
import type { Stage } from '../tools/stage.js';
import type { FlowParams } from '../vendors/types.js';

/** What the pipeline needs to write and run a plan: its files and stages. A BuildPlan is one; so is a plan of other RTL. */
export interface StagePlan {
  readonly digest: string;
  readonly outDir: string;
  readonly files: readonly PlannedFile[];
  readonly stages: readonly Stage[];
}

/** The plan of an ATOMiK design. */
export interface BuildPlan extends StagePlan {
  readonly generator: string;
  readonly design: Design;
  readonly board: Board;
  readonly top: string;
  readonly params: FlowParams;
}
