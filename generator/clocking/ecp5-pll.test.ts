import { describe, expect, it } from 'vitest';
import { CLOCKINGS } from './index.js';
import { EHXPLLL_LIMITS, reachableEcp5, solveEcp5Pll } from './ecp5-pll.js';

const ULX3S_OSC = 25;
const ORANGECRAB_OSC = 48;

/** Every CLKOP frequency the EHXPLLL makes from `inMHz` (some CLKOP_DIV puts the VCO in range), enumerated apart from the solver. */
function allOutputs(inMHz: number): number[] {
  const L = EHXPLLL_LIMITS;
  const outs: number[] = [];
  for (let i = 1; i <= L.clkiDivMax; i++) {
    if (inMHz / i < L.pfdMinMHz || inMHz / i > L.pfdMaxMHz) continue;
    for (let f = 1; f <= L.clkfbDivMax; f++) {
      const fout = (inMHz * f) / i;
      if (fout < L.foutMinMHz || fout > L.foutMaxMHz) continue;
      for (let o = 1; o <= L.clkopDivMax; o++) {
        if (fout * o >= L.vcoMinMHz && fout * o <= L.vcoMaxMHz) {
          outs.push(fout);
          break;
        }
      }
    }
  }
  return outs.sort((a, b) => a - b);
}

function nearestError(sorted: readonly number[], target: number): number {
  return sorted.reduce((best, f) => Math.min(best, Math.abs(f - target)), Infinity);
}

describe('solveEcp5Pll', () => {
  // ecppll's answers for these points (generator/clocking/ecp5-pll.tools.test.ts runs it)
  it.each([
    [ULX3S_OSC, 50, 1, 2, 12],
    [ULX3S_OSC, 100, 1, 4, 6],
    [ULX3S_OSC, 125, 1, 5, 5],
    [ULX3S_OSC, 200, 1, 8, 3],
    [ORANGECRAB_OSC, 96, 1, 2, 6],
    [ORANGECRAB_OSC, 100, 12, 25, 6],
    [ORANGECRAB_OSC, 120, 2, 5, 5],
  ])('%s MHz -> %s MHz is CLKI_DIV %i, CLKFB_DIV %i, CLKOP_DIV %i', (inMHz, target, clkiDiv, clkfbDiv, clkopDiv) => {
    const s = solveEcp5Pll(inMHz, target);
    expect({ clkiDiv: s.clkiDiv, clkfbDiv: s.clkfbDiv, clkopDiv: s.clkopDiv }).toEqual({ clkiDiv, clkfbDiv, clkopDiv });
    expect(s.foutMHz).toBeCloseTo(target, 12);
    expect(s.pfdMHz).toBeCloseTo(inMHz / clkiDiv, 12);
    expect(s.vcoMHz).toBeCloseTo(target * clkopDiv, 9);
    expect(s.clkopCphase).toBe(Math.floor(clkopDiv / 2));
    expect(s.clkopFphase).toBe(0);
  });

  it('takes the VCO nearest 600 MHz among exact settings, then the smallest dividers', () => {
    // 50 MHz: CLKOP_DIV 12 puts the VCO at 600 exactly; CLKI_DIV 2 / CLKFB_DIV 4 would too, but 1 / 2 comes first
    expect(solveEcp5Pll(ULX3S_OSC, 50)).toMatchObject({ clkiDiv: 1, clkfbDiv: 2, clkopDiv: 12, vcoMHz: 600 });
  });

  it('gives the nearest reachable frequency when the target is not on the grid', () => {
    // 48 MHz from 25: CLKI_DIV <= 8 (PFD >= 3.125 MHz), so 25 x 15 / 8 = 46.875 is the nearest (ecppll agrees)
    const r = reachableEcp5(ULX3S_OSC, 48);
    expect(r.ok).toBe(false);
    expect(r.nearest).toMatchObject({ clkiDiv: 8, clkfbDiv: 15, clkopDiv: 13 });
    expect(r.nearest.foutMHz).toBeCloseTo(46.875, 12);
  });

  it('stays inside the output range at its ends', () => {
    const high = reachableEcp5(ULX3S_OSC, 1000);
    expect(high.ok).toBe(false);
    expect(high.nearest.foutMHz).toBe(400);
    const low = reachableEcp5(ULX3S_OSC, 0.5);
    expect(low.ok).toBe(false);
    // the lowest output: PFD 25 / 8 = 3.125 MHz x CLKFB_DIV 1, VCO 3.125 x 128 = 400 MHz
    expect(low.nearest).toMatchObject({ clkiDiv: 8, clkfbDiv: 1, clkopDiv: 128, foutMHz: 3.125, vcoMHz: 400 });
  });

  it.each([ULX3S_OSC, ORANGECRAB_OSC])('from %s MHz: every solution of a 5-400 MHz sweep is in the limits and nearest', (inMHz) => {
    const L = EHXPLLL_LIMITS;
    const outputs = allOutputs(inMHz);
    for (let t = 5; t <= 400; t += 0.75) {
      const s = solveEcp5Pll(inMHz, t);
      expect(s.pfdMHz).toBeGreaterThanOrEqual(L.pfdMinMHz - 1e-9);
      expect(s.pfdMHz).toBeLessThanOrEqual(L.pfdMaxMHz);
      expect(s.vcoMHz).toBeGreaterThanOrEqual(L.vcoMinMHz - 1e-9);
      expect(s.vcoMHz).toBeLessThanOrEqual(L.vcoMaxMHz + 1e-9);
      expect(s.foutMHz).toBeGreaterThanOrEqual(L.foutMinMHz - 1e-9);
      expect(s.foutMHz).toBeLessThanOrEqual(L.foutMaxMHz + 1e-9);
      expect(s.clkiDiv).toBeLessThanOrEqual(L.clkiDivMax);
      expect(s.clkfbDiv).toBeLessThanOrEqual(L.clkfbDivMax);
      expect(s.clkopDiv).toBeLessThanOrEqual(L.clkopDivMax);
      expect(s.foutMHz).toBeCloseTo((inMHz * s.clkfbDiv) / s.clkiDiv, 9);
      expect(s.vcoMHz).toBeCloseTo(s.foutMHz * s.clkopDiv, 9);
      expect(Math.abs(s.foutMHz - t)).toBeCloseTo(nearestError(outputs, t), 9);
    }
  });

  it('is deterministic and fast', () => {
    expect(solveEcp5Pll(ULX3S_OSC, 133.3)).toEqual(solveEcp5Pll(ULX3S_OSC, 133.3));
    const start = performance.now();
    for (let t = 10; t <= 400; t += 13) solveEcp5Pll(ORANGECRAB_OSC, t);
    expect((performance.now() - start) / 30).toBeLessThan(5);
  });

  it('rejects bad input clocks', () => {
    expect(() => solveEcp5Pll(0, 100)).toThrow(/positive/);
    expect(() => solveEcp5Pll(4, 100)).toThrow(/outside 8-400/);
    expect(() => solveEcp5Pll(25, Number.NaN)).toThrow(/positive/);
  });
});

describe('the ecp5-ehxplll clocking', () => {
  const clocking = CLOCKINGS['ecp5-ehxplll'];

  it('reaches the boards\' default clocks exactly and solves them for the top template', () => {
    expect(clocking.reach(ULX3S_OSC, 100)).toEqual({ ok: true, nearestMHz: 100 });
    expect(clocking.reach(ORANGECRAB_OSC, 120)).toEqual({ ok: true, nearestMHz: 120 });
    expect(clocking.reach(ULX3S_OSC, 48).ok).toBe(false);
    expect(clocking.solve(ULX3S_OSC, 100).ecp5).toMatchObject({ clkiDiv: 1, clkfbDiv: 4, clkopDiv: 6, clkopCphase: 3 });
    expect(clocking.topTemplate).toBe('rtl/top/ecp5-ehxplll.v.hbs');
    expect(clocking.lintStubs).toEqual(['ecp5_ehxplll.v']);
  });
});
