// The toggling estimate: the model worked by hand for a few designs, what feeds the core (bench top, UART, AXI4-Lite,
// the core alone), and the warning on the Gowin boards only, above the documented share of the part.
import { describe, expect, it } from 'vitest';
import { findBoard } from '../../boards/index.js';
import { resolveDesign } from '../design/design.js';
import { OUTPUT_STAGES } from '../design/merge-tree.js';
import { deltasPerCycle, TOGGLE_WARN_PART_PCT, togglesPerCycle, togglingOf, togglingWarning } from './toggling.js';

const ff = (used: number, available: number | null = 6480) => [{ resource: 'FF', used, available, percent: null }];

describe('flip-flops toggling per cycle (estimate)', () => {
  it('bench top, 16 lanes, banked: every lane, every accumulator, the registered tree nodes, the output stages, the LFSR', () => {
    const d = resolveDesign({ board: 'tang9k', banks: 16, width: 64, mode: 'parallel', arch: 'banked', bench: true });
    expect(deltasPerCycle(d)).toBe(16);
    // 16 leaves, 4 levels, pipeline auto = 1, plus the input stage in the tree: levels 2 (4 nodes) and 4 (1 node)
    // registered; 16 accumulators; the output stages; the 64-bit LFSR: half of (16 + 5 + stages + 1) x 64, plus 2 x 2 counters
    expect(togglesPerCycle(d)).toBe(0.5 * (16 + 5 + OUTPUT_STAGES + 1) * 64 + 4);
  });

  it('bench top, 16 lanes, reduce: one accumulator behind the tree', () => {
    const d = resolveDesign({ board: 'tang9k', banks: 16, width: 64, mode: 'parallel', arch: 'reduce', bench: true });
    expect(togglesPerCycle(d)).toBe(0.5 * (1 + 5 + OUTPUT_STAGES + 1) * 64 + 4);
  });

  it('bench top, round-robin, 16 banks banked: one delta a cycle reaches one bank and one node per registered level', () => {
    const d = resolveDesign({ board: 'tang9k', banks: 16, width: 32, mode: 'round-robin', arch: 'banked', bench: true });
    expect(d.pipeline).toBe(1);
    // the input register, the bank, one node of the one registered level, the output stages; the LFSR
    expect(togglesPerCycle(d)).toBe(0.5 * (1 + 1 + 1 + OUTPUT_STAGES + 1) * 32 + 4);
  });

  it('a UART design is fed at the line\'s pace: next to nothing but the cycle counter', () => {
    const d = resolveDesign({ board: 'tang9k', banks: 16, width: 64 });
    expect(deltasPerCycle(d)).toBeLessThan(1e-4);
    expect(togglesPerCycle(d)).toBeGreaterThan(2);
    expect(togglesPerCycle(d)).toBeLessThan(2.1);
  });

  it('the AXI4-Lite host: at most one delta per (DATA words + 1) writes of 2 cycles; the core alone: every lane', () => {
    const axil = resolveDesign({ board: 'zynq7020', banks: 4, width: 64, host: 'axi-lite' });
    expect(deltasPerCycle(axil)).toBe(1 / (2 * (2 + 1)));
    const core = resolveDesign({ board: 'tang9k', banks: 4, width: 8, mode: 'parallel', host: 'none' });
    expect(deltasPerCycle(core)).toBe(4);
  });
});

describe('the report\'s toggling figure and warning', () => {
  const tang = findBoard('tang9k')!;

  it('warns on a Tang Nano 9K bench top that switches more than 5 % of the part each cycle, and says it is an estimate', () => {
    const d = resolveDesign({ board: 'tang9k', banks: 16, width: 64, mode: 'parallel', arch: 'banked', bench: true });
    const t = togglingOf(d, tang, ff(2600))!;
    const toggles = 0.5 * (16 + 5 + OUTPUT_STAGES + 1) * 64 + 4;
    expect(t.togglesPerCycle).toBe(toggles);
    expect(t.designSharePct).toBe(Math.round((toggles / 2600) * 1000) / 10);
    expect(t.partSharePct).toBe(Math.round((toggles / 6480) * 1000) / 10);
    expect(t.warnAbovePartSharePct).toBe(TOGGLE_WARN_PART_PCT);
    expect(t.warning).toBe(true);
    expect(t.basis.kind).toBe('estimate');
    expect(t.basis.note).toMatch(/not measured: the bench top feeds every lane every cycle/);
    expect(togglingWarning(t, tang)).toBe(
      `about ${toggles} flip-flops toggle each cycle (${t.designSharePct} % of the design's, ${t.partSharePct} % of the GW1NR-LV9QN88PC6/I5's; estimate), ` +
        'above 5 % of the part: Sipeed Gowin boards are reported to misbehave when this many flip-flops switch on one edge although timing is met ' +
        '(juj/gowin_flipflop_drainer, apicula#169); on the board, fewer lanes toggle fewer',
    );
  });

  it('no warning below the threshold, nor on a family without such reports; nothing before synthesis counted the flip-flops', () => {
    const small = resolveDesign({ board: 'tang9k', banks: 4, width: 16, mode: 'parallel', arch: 'banked', bench: true });
    const t = togglingOf(small, tang, ff(700))!;
    expect(t.partSharePct).toBeLessThan(TOGGLE_WARN_PART_PCT);
    expect(t.warning).toBe(false);
    expect(togglingWarning(t, tang)).toBeUndefined();
    const ulx3s = findBoard('ulx3s')!;
    const big = resolveDesign({ board: 'ulx3s', banks: 16, width: 64, mode: 'parallel', arch: 'banked', bench: true });
    const e = togglingOf(big, ulx3s, ff(2600, 83640))!;
    expect(e.warnAbovePartSharePct).toBeNull();
    expect(e.warning).toBe(false);
    expect(togglingOf(small, tang, undefined)).toBeUndefined();
    expect(togglingOf(small, tang, [])).toBeUndefined();
  });
});
