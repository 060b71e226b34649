// What a build stage is, as every layer above sees it: the tool commands it runs (argument arrays, relative to the output
// folder), or the check it runs in-process (the cross-check), with the files it reads and writes for the cache.
import type { ToolId } from './tools.js';

import type { RunStageName } from '../common/stages.js';

export { STAGES, type RunStageName, type StageName } from '../common/stages.js';

export interface ToolCommand {
  readonly tool: ToolId;
  /** Arguments, relative to the output folder (the working directory of every command). */
  readonly args: readonly string[];
}

/** A machine-readable result a stage leaves for the report. */
export interface StageResultFile {
  readonly kind: 'yosys-stat' | 'nextpnr-report' | 'vivado-result' | 'bitstream' | 'bench-count';
  readonly path: string;
}

/** A check that runs in-process rather than as a tool command line (the pipeline is given its implementation). */
export interface StageCheck {
  readonly id: 'crosscheck' | 'benchcount';
  /** Tools the check runs itself (found and version-checked up front like a command's). */
  readonly tools: readonly ToolId[];
  /** What the check is asked to do; part of the cache key. */
  readonly params: Readonly<Record<string, number | string>>;
}

export interface Stage {
  readonly name: RunStageName;
  readonly description: string;
  /** Tool command lines, run in order; empty for a check stage. */
  readonly commands: readonly ToolCommand[];
  readonly check?: StageCheck;
  /** When set, a missing tool skips the stage (with this reason in the report) instead of failing the run. */
  readonly skipWithoutTool?: string;
  readonly result?: StageResultFile;
  /** Files the stage reads and writes, inside the output folder. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** Time limit for the whole stage; the plan scales it with the design (DEFAULT_STAGE_TIMEOUT_SECONDS when absent). */
  readonly timeoutSeconds?: number;
  /**
   * Another run of the same stage in the same folder (a placement seed other than the first: `seed2`): its log and
   * cache stamp are named apart (`logs/pnr.seed2.log`), so several runs share the folder and the stages before them.
   */
  readonly variant?: string;
}

/** The name a stage's log and cache stamp go by: its name, and its variant when it has one (`pnr.seed2`). */
export function stageFileName(stage: Pick<Stage, 'name' | 'variant'>): string {
  return stage.variant === undefined ? stage.name : `${stage.name}.${stage.variant}`;
}

/** The time limit of a stage whose plan sets none (a plan of other RTL). */
export const DEFAULT_STAGE_TIMEOUT_SECONDS = 3600;

/**
 * The tools of a set of stages: `needed` by a stage that must run, `optional` when only stages that are skipped
 * without their tool use them (Vivado). In order of first use.
 */
export function toolsByNeed(stages: readonly Stage[]): { needed: ToolId[]; optional: ToolId[] } {
  const needed = [...new Set(stages.filter((s) => !s.skipWithoutTool).flatMap(stageTools))];
  const optional = [...new Set(stages.filter((s) => s.skipWithoutTool).flatMap(stageTools))].filter((id) => !needed.includes(id));
  return { needed, optional };
}

/** The tools a stage needs, commands and check together, in order of first use. */
export function stageTools(stage: Stage): ToolId[] {
  return [...new Set([...stage.commands.map((c) => c.tool), ...(stage.check?.tools ?? [])])];
}
