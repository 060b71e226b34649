import { describe, expect, it } from 'vitest';
import { ICE40_PLL_LIMITS, ice40FilterRange, reachableIce40, solveIce40Pll } from './ice40-pll.js';
import { CLOCKINGS } from './index.js';

const OSC = 12; // the iCEBreaker's oscillator

/** Every SB_PLL40 output (SIMPLE feedback) from `inMHz`, enumerated independently of the solver. */
function allOutputs(inMHz: number): number[] {
  const L = ICE40_PLL_LIMITS;
  const outs: number[] = [];
  for (let r = 1; r <= 16; r++) {
    const pfd = inMHz / r;
    if (pfd < L.pfdMinMHz || pfd > L.pfdMaxMHz) continue;
    for (let f = 1; f <= 128; f++) {
      const vco = pfd * f;
      if (vco < L.vcoMinMHz || vco > L.vcoMaxMHz) continue;
      for (let q = 1; q <= 6; q++) if (vco / 2 ** q >= L.foutMinMHz && vco / 2 ** q <= L.foutMaxMHz) outs.push(vco / 2 ** q);
    }
  }
  return outs.sort((a, b) => a - b);
}

function nearestError(sorted: readonly number[], target: number): number {
  return Math.min(...sorted.map((x) => Math.abs(x - target)));
}

describe('solveIce40Pll', () => {
  // 12 MHz in: the PFD must be >= 10 MHz, so DIVR is 0 and the VCO is 12 x (DIVF + 1)
  it.each([
    [30, 0, 79, 5], // the iCEBreaker's default core clock: VCO 960 / 32
    [48, 0, 63, 4],
    [24, 0, 63, 5],
    [36, 0, 47, 4],
    [96, 0, 63, 3],
  ])('%s MHz from 12 MHz is DIVR %i, DIVF %i, DIVQ %i', (target, divr, divf, divq) => {
    const s = solveIce40Pll(OSC, target);
    expect({ divr: s.divr, divf: s.divf, divq: s.divq, filterRange: s.filterRange }).toEqual({ divr, divf, divq, filterRange: 1 });
    expect(s.foutMHz).toBe(target);
    expect(s.vcoMHz).toBeCloseTo((OSC / (divr + 1)) * (divf + 1), 9);
    expect(s.pfdMHz).toBe(OSC / (divr + 1));
  });

  it('stays inside the output range where icepll would not: 275 MHz asked from 12 MHz gives 270, not 276', () => {
    const r = reachableIce40(OSC, 275);
    expect(r.ok).toBe(false);
    expect(r.nearest).toMatchObject({ divr: 0, divf: 44, divq: 1, foutMHz: 270 });
  });

  it('stays inside the output range at its low end too: 16 MHz asked gives 16.125, not icepll\'s 15.9375', () => {
    expect(solveIce40Pll(OSC, 16)).toMatchObject({ divf: 85, divq: 6, foutMHz: 16.125 });
  });

  it('gives the nearest reachable frequency outside the range', () => {
    // lowest: DIVQ 6 with the smallest VCO that keeps the output >= 16 MHz: 12 x 86 = 1032 MHz / 64 = 16.125 MHz
    expect(solveIce40Pll(OSC, 1)).toMatchObject({ divf: 85, divq: 6, foutMHz: 16.125 });
    expect(solveIce40Pll(OSC, 1000).foutMHz).toBe(270);
  });

  it('reports exact points as reachable and inexact ones with their error', () => {
    expect(reachableIce40(OSC, 30).ok).toBe(true);
    const r = reachableIce40(OSC, 100);
    expect(r.ok).toBe(false); // 12 x 67 / 8 = 100.5 and 12 x 66 / 8 = 99 are the neighbours
    expect(r.nearest).toMatchObject({ divf: 66, divq: 3, foutMHz: 100.5 });
    expect(reachableIce40(OSC, 100, 1).ok).toBe(true);
  });

  it('keeps every solution of a 16-275 MHz sweep inside the limits and as near as the divider grid allows', () => {
    const L = ICE40_PLL_LIMITS;
    const outs = allOutputs(OSC);
    for (let t = 16; t <= 275; t += 0.25) {
      const s = solveIce40Pll(OSC, t);
      expect(s.vcoMHz).toBeGreaterThanOrEqual(L.vcoMinMHz);
      expect(s.vcoMHz).toBeLessThanOrEqual(L.vcoMaxMHz);
      expect(s.pfdMHz).toBeGreaterThanOrEqual(L.pfdMinMHz);
      expect(s.foutMHz).toBeGreaterThanOrEqual(L.foutMinMHz);
      expect(s.foutMHz).toBeLessThanOrEqual(L.foutMaxMHz);
      expect(s.divq).toBeGreaterThanOrEqual(1);
      expect(s.divq).toBeLessThanOrEqual(6);
      expect(Math.abs(s.foutMHz - t)).toBeCloseTo(nearestError(outs, t), 9);
      expect(s.filterRange).toBe(ice40FilterRange(s.pfdMHz));
    }
  });

  it('uses a PFD divider when the input allows it (a 100 MHz input)', () => {
    const s = solveIce40Pll(100, 50);
    expect(s.foutMHz).toBe(50);
    expect(s.pfdMHz).toBeGreaterThanOrEqual(10);
    // ties go to the lowest DIVR: 100 / 1 x 8 = 800 / 16 = 50
    expect(s).toMatchObject({ divr: 0, divf: 7, divq: 4, filterRange: 5 });
  });

  it('chooses FILTER_RANGE from the PFD as icepll does', () => {
    expect([10, 16.99, 17, 25.9, 26, 43.9, 44, 65.9, 66, 100.9, 101, 133].map(ice40FilterRange)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6]);
  });

  it('refuses an input clock outside 10-133 MHz and a bad target', () => {
    expect(() => solveIce40Pll(8, 48)).toThrow(/outside 10-133 MHz/);
    expect(() => solveIce40Pll(12, Number.NaN)).toThrow(/positive number/);
  });
});

describe("the 'ice40-sb-pll40-pad' clocking", () => {
  it('reaches exact points and names the nearest otherwise', () => {
    const c = CLOCKINGS['ice40-sb-pll40-pad'];
    expect(c.reach(OSC, 30)).toEqual({ ok: true, nearestMHz: 30 });
    expect(c.reach(OSC, 100)).toEqual({ ok: false, nearestMHz: 100.5 });
    expect(c.solve(OSC, 30).ice40).toMatchObject({ divr: 0, divf: 79, divq: 5 });
    expect(c.lintStubs).toEqual(['ice40_sb_pll40_pad.v']);
  });
});
