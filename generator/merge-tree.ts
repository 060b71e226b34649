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
 * Register stages chosen by `pipeline: 'auto'`: one after every second level. A 4-input XOR is one LUT4 (and fits a LUT6),
 * and the output stage XORs the reference in, so at most one unregistered tree level is left for it.
 */
export function autoPipelineStages(depth: number): number {
  return Math.floor(depth / 2);
}

/**
 * Which levels end in a register, for `stages` registers over `depth` levels. The reference XOR after the tree counts as
 * one more level, and the registers cut the depth + 1 levels into stages + 1 segments as evenly as rounding allows.
 */
export function registeredLevels(depth: number, stages: number): Set<number> {
  if (!Number.isInteger(stages) || stages < 0 || stages > depth) {
    throw new RangeError(`pipeline stages must be 0..${depth}, got ${stages}`);
  }
  const total = depth + 1;
  const at = new Set<number>();
  for (let i = 1; i <= stages; i++) at.add(Math.min(depth, Math.max(1, Math.round((i * total) / (stages + 1)))));
  if (at.size !== stages) throw new Error(`internal: ${stages} stages over ${depth} levels collided`);
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
