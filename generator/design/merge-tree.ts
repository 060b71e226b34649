// The XOR merge tree's shape: levels of a binary tree over the banks, and which levels end in a pipeline register.
// TypeScript decides; the template only writes out what this returns.

export interface MergeTreeLevel {
  /** 1 for the first level above the banks. */
  readonly index: number;
  /** Nodes in the level below (banks for level 1). */
  readonly inputs: number;
  readonly nodes: number;
  /** Two-input XORs in this level. */
  readonly pairs: number;
  /** The last node of the level below passes through unpaired. */
  readonly odd: boolean;
  readonly registered: boolean;
}

/** Levels of a binary XOR tree over `banks` leaves: ceil(log2(banks)), 0 for a single bank. */
export function mergeTreeDepth(banks: number): number {
  let depth = 0;
  for (let n = banks; n > 1; n = Math.ceil(n / 2)) depth++;
  return depth;
}

/**
 * Registers after the merge tree, in the core's output: stage 1 takes the state (reference ^ merged) and, per group of
 * four merged bits, whether the group is nonzero; stage 2 takes the state again and, per four of those flags, whether
 * any is set; stage 3 takes the state again and the clean flag (no flag set). Each stage is one LUT4 level at 64 bits:
 * a W-bit compare against zero in two stages (the earlier layout) set the clock of the 16-bank Tang Nano 9K design.
 */
export const OUTPUT_STAGES = 3;

/** Binary levels output stage 1 adds on top of the tree (the reference XOR and the nonzero test), for stage placement. */
const OUTPUT_STAGE1_LEVELS = 2;

/** Merged bits per nonzero flag of output stage 1. */
export const CLEAN_GROUP_BITS = 4;

/** Nonzero flags of output stage 1 for a W-bit state. */
export function cleanGroups(width: number): number {
  return Math.ceil(width / CLEAN_GROUP_BITS);
}

/**
 * Registers in front of the banks: the core registers each bank's clear / load / enable and the deltas, so an operation
 * reaches the banks one cycle after it is taken (and a READ samples them one cycle later to match).
 */
export const INPUT_STAGES = 1;

/** Lanes per group in the first stage of a parallel core's lane count (one LUT4 level per count bit). */
export const LANE_GROUP = 4;

/** Adder levels of a parallel core's lane count after its group stage, each ending in a register. */
export function laneCountLevels(lanes: number): number {
  return lanes <= LANE_GROUP ? 0 : Math.ceil(Math.log2(Math.ceil(lanes / LANE_GROUP)));
}

/**
 * Cycles from a delta taken to `delta_count` showing it: delta_count in cycle t counts the deltas taken in cycles up to
 * t - delay. One lane: 2 (the `accepted` register, then the counter). Several lanes: the lane count's register stages
 * (the group stage and its adder levels), the low piece of the split delta counter, and its carry into the upper pieces,
 * which the counter's value waits for (core.v.hbs, the counters).
 */
export function deltaCountDelay(lanes: number): number {
  return lanes <= 1 ? 2 : 1 + laneCountLevels(lanes) + 2;
}

/** Cycles from a READ taken to its answer, for a core whose merge tree has `stages` register stages. */
export function readLatencyOf(stages: number): number {
  return INPUT_STAGES + stages + OUTPUT_STAGES;
}

/**
 * Register stages chosen by `pipeline: 'auto'`. A stage should hold at most two LUT4 levels: a 16-input XOR (four binary
 * levels) between tree registers, and before the output stage at most a 4-input XOR (two binary levels), since the
 * output stage adds the reference XOR and the nonzero test of each group of four bits on top of it.
 */
export function autoPipelineStages(depth: number): number {
  return depth <= 2 ? 0 : Math.ceil((depth - 2) / 4);
}

/**
 * Which levels end in a register, for `stages` registers over `depth` levels. The output stage's reference XOR and
 * nonzero test count as two more levels, and the registers cut the depth + 2 levels into stages + 1 segments as evenly
 * as rounding allows (each register at least one level above the one before it).
 */
export function registeredLevels(depth: number, stages: number): Set<number> {
  if (!Number.isInteger(stages) || stages < 0 || stages > depth) {
    throw new RangeError(`pipeline stages must be 0..${depth}, got ${stages}`);
  }
  const total = depth + OUTPUT_STAGE1_LEVELS;
  const at = new Set<number>();
  let last = 0;
  for (let i = 1; i <= stages; i++) {
    const ideal = Math.round((i * total) / (stages + 1));
    last = Math.min(depth - (stages - i), Math.max(last + 1, ideal));
    at.add(last);
  }
  return at;
}

export function mergeTreeLevels(banks: number, stages: number): MergeTreeLevel[] {
  const depth = mergeTreeDepth(banks);
  const registered = registeredLevels(depth, stages);
  const levels: MergeTreeLevel[] = [];
  let inputs = banks;
  for (let index = 1; index <= depth; index++) {
    const nodes = Math.ceil(inputs / 2);
    levels.push({ index, inputs, nodes, pairs: Math.floor(inputs / 2), odd: inputs % 2 === 1, registered: registered.has(index) });
    inputs = nodes;
  }
  return levels;
}
