import { describe, expect, it } from 'vitest';
import { autoPipelineStages, mergeTreeDepth, mergeTreeLevels, registeredLevels } from './merge-tree.js';

describe('merge tree shape', () => {
  it('has ceil(log2 N) levels for any bank count', () => {
    expect([1, 2, 3, 4, 5, 16, 17, 64, 100, 512].map(mergeTreeDepth)).toEqual([0, 1, 2, 2, 3, 4, 5, 6, 7, 9]);
  });

  it('folds every bank: each level halves the nodes, an odd one passes through', () => {
    for (const banks of [1, 2, 3, 5, 7, 16, 33, 512]) {
      const levels = mergeTreeLevels(banks, 0);
      let nodes = banks;
      for (const level of levels) {
        expect(level.inputs).toBe(nodes);
        expect(level.pairs * 2 + (level.odd ? 1 : 0)).toBe(nodes);
        nodes = level.nodes;
      }
      expect(nodes).toBe(1);
    }
  });

  it('auto pipelining leaves at most four XOR levels (two LUT4 levels) between tree registers, two before the output', () => {
    for (const banks of [1, 2, 3, 4, 8, 16, 32, 64, 128, 256, 512, 1000]) {
      const depth = mergeTreeDepth(banks);
      const at = [...registeredLevels(depth, autoPipelineStages(depth))].sort((a, b) => a - b);
      const cuts = [0, ...at];
      for (let i = 1; i < cuts.length; i++) expect(cuts[i]! - cuts[i - 1]!).toBeLessThanOrEqual(4);
      expect(depth - cuts[cuts.length - 1]!).toBeLessThanOrEqual(2);
    }
    expect([16, 64, 512].map((n) => [...registeredLevels(mergeTreeDepth(n), autoPipelineStages(mergeTreeDepth(n)))])).toEqual([
      [3],
      [4],
      [4, 7],
    ]);
  });

  it('places an explicit stage count evenly and refuses more stages than levels', () => {
    expect([...registeredLevels(9, 4)]).toEqual([2, 4, 7, 9]);
    expect([...registeredLevels(6, 6)]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...registeredLevels(4, 4)]).toEqual([1, 2, 3, 4]);
    expect(registeredLevels(6, 0).size).toBe(0);
    expect(() => registeredLevels(2, 3)).toThrow(/0\.\.2/);
  });

  it('gives every stage count a distinct level for every depth', () => {
    for (let depth = 0; depth <= 10; depth++) {
      for (let stages = 0; stages <= depth; stages++) {
        const at = [...registeredLevels(depth, stages)];
        expect(at.length).toBe(stages);
        expect(at.every((l) => l >= 1 && l <= depth)).toBe(true);
      }
    }
  });
});
