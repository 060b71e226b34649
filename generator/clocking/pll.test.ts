import { describe, it, expect } from 'vitest';
import {
  GOWIN_ODIV_VALUES,
  GOWIN_RPLL_LIMITS,
  MMCME2_LIMITS,
  reachableGowin,
  reachableMmcm,
  solveGowinPll,
  solveMmcm,
} from './pll.js';

const TANG_OSC = 27;
const PYNQ_OSC = 125;

/** Every output frequency the rPLL can make from `inMHz`, enumerated independently of the solver. */
function allGowinOutputs(inMHz: number): number[] {
  const L = GOWIN_RPLL_LIMITS;
  const outs: number[] = [];
  for (let i = 1; i <= 64; i++) {
    if (inMHz / i < L.pfdMinMHz || inMHz / i > L.pfdMaxMHz) continue;
    for (let f = 1; f <= 64; f++) {
      const fout = (inMHz * f) / i;
      if (fout < L.foutMinMHz || fout > L.foutMaxMHz) continue;
      if (GOWIN_ODIV_VALUES.some((o) => fout * o >= L.vcoMinMHz && fout * o <= L.vcoMaxMHz)) outs.push(fout);
    }
  }
  return outs.sort((a, b) => a - b);
}

/** Every MMCM output frequency (integer M and O) from `inMHz`, enumerated independently of the solver. */
function allMmcmOutputs(inMHz: number): number[] {
  const L = MMCME2_LIMITS;
  const outs: number[] = [];
  for (let d = 1; d <= L.divclkMax; d++) {
    if (inMHz / d < L.pfdMinMHz || inMHz / d > L.pfdMaxMHz) continue;
    for (let m = L.multMin; m <= L.multMax; m++) {
      const vco = (inMHz * m) / d;
      if (vco < L.vcoMinMHz || vco > L.vcoMaxMHz) continue;
      for (let o = 1; o <= L.outDivMax; o++) if (vco / o <= L.foutMaxMHz) outs.push(vco / o);
    }
  }
  return outs.sort((a, b) => a - b);
}

/** Distance from `target` to the closest of `sorted` (ascending). */
function nearestError(sorted: readonly number[], target: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] ?? 0) < target) lo = mid;
    else hi = mid;
  }
  return Math.min(Math.abs((sorted[lo] ?? Infinity) - target), Math.abs((sorted[hi] ?? Infinity) - target));
}

function sweep(fromMHz: number, toMHz: number, stepMHz: number): number[] {
  const out: number[] = [];
  for (let f = fromMHz; f <= toMHz + 1e-9; f += stepMHz) out.push(Math.round(f * 1000) / 1000);
  return out;
}

describe('solveGowinPll', () => {
  // The settings of the published ATOMiK tops (ATOMIK.md section 4).
  it.each([
    [94.5, 1, 6, 8],
    [81, 0, 2, 8],
    [108, 0, 3, 4],
    [54, 0, 1, 8],
  ])('%s MHz from 27 MHz is IDIV %i, FBDIV %i, ODIV %i', (target, idiv, fbdiv, odiv) => {
    const s = solveGowinPll(TANG_OSC, target);
    expect({ idiv: s.idiv, fbdiv: s.fbdiv, odiv: s.odiv }).toEqual({ idiv, fbdiv, odiv });
    expect(s.foutMHz).toBe(target);
    expect(s.foutMHz).toBeCloseTo((TANG_OSC * (fbdiv + 1)) / (idiv + 1), 12);
    expect(s.vcoMHz).toBeCloseTo(target * odiv, 9);
    expect(s.pfdMHz).toBeCloseTo(TANG_OSC / (idiv + 1), 12);
  });

  it("with vco 'high' picks the largest in-range ODIV for the same exact frequency", () => {
    const s = solveGowinPll(TANG_OSC, 108, { vco: 'high' });
    expect(s).toMatchObject({ idiv: 0, fbdiv: 3, odiv: 8, foutMHz: 108, vcoMHz: 864 });
    expect(solveGowinPll(TANG_OSC, 54, { vco: 'high' })).toMatchObject({ foutMHz: 54, odiv: 16, vcoMHz: 864 });
  });

  it('gives the nearest reachable frequency above the output maximum', () => {
    const r = reachableGowin(TANG_OSC, 1000);
    expect(r.ok).toBe(false);
    // 27 x 22 = 594 MHz is the highest output <= 600 MHz; FBDIV+1 <= 64 rules out anything closer.
    expect(r.nearest.foutMHz).toBeCloseTo(594, 9);
    expect(r.nearest).toMatchObject({ idiv: 0, fbdiv: 21, odiv: 2 });
  });

  it('gives the nearest reachable frequency below the output minimum', () => {
    const r = reachableGowin(TANG_OSC, 0.1);
    expect(r.ok).toBe(false);
    // PFD >= 3 MHz caps IDIV+1 at 9; 27/9 = 3 MHz is under 3.125, so 27/8 = 3.375 MHz is the lowest output.
    expect(r.nearest.foutMHz).toBeCloseTo(3.375, 9);
    expect(r.nearest).toMatchObject({ idiv: 7, fbdiv: 0, odiv: 128 });
  });

  it('reports exact points as reachable and inexact ones with their error', () => {
    expect(reachableGowin(TANG_OSC, 81).ok).toBe(true);
    const r = reachableGowin(TANG_OSC, 100);
    expect(r.ok).toBe(Math.abs(r.nearest.foutMHz - 100) <= 0.01);
    expect(Math.abs(r.nearest.foutMHz - 100)).toBeLessThan(0.5);
    expect(reachableGowin(TANG_OSC, 100, 1).ok).toBe(true);
  });

  it('keeps every solution of a 10-300 MHz sweep inside the rPLL limits', () => {
    const L = GOWIN_RPLL_LIMITS;
    const outputs = allGowinOutputs(TANG_OSC);
    for (const target of sweep(10, 300, 0.25)) {
      const s = solveGowinPll(TANG_OSC, target);
      expect(s.vcoMHz, `VCO for ${target} MHz`).toBeGreaterThanOrEqual(L.vcoMinMHz - 1e-9);
      expect(s.vcoMHz, `VCO for ${target} MHz`).toBeLessThanOrEqual(L.vcoMaxMHz + 1e-9);
      expect(s.pfdMHz).toBeGreaterThanOrEqual(L.pfdMinMHz);
      expect(s.foutMHz).toBeGreaterThanOrEqual(L.foutMinMHz);
      expect(s.foutMHz).toBeLessThanOrEqual(L.foutMaxMHz);
      expect(s.idiv).toBeGreaterThanOrEqual(0);
      expect(s.idiv).toBeLessThanOrEqual(63);
      expect(s.fbdiv).toBeGreaterThanOrEqual(0);
      expect(s.fbdiv).toBeLessThanOrEqual(63);
      expect(GOWIN_ODIV_VALUES).toContain(s.odiv);
      expect(s.foutMHz).toBeCloseTo((TANG_OSC * (s.fbdiv + 1)) / (s.idiv + 1), 9);
      expect(s.vcoMHz).toBeCloseTo(s.foutMHz * s.odiv, 9);
      // Nearest: no reachable output is closer to the target.
      expect(Math.abs(s.foutMHz - target)).toBeCloseTo(nearestError(outputs, target), 9);
    }
  });

  it('is deterministic', () => {
    for (const target of [33.3, 94.5, 125, 200]) {
      expect(solveGowinPll(TANG_OSC, target)).toEqual(solveGowinPll(TANG_OSC, target));
    }
  });

  it('solves in well under 5 ms', () => {
    solveGowinPll(TANG_OSC, 50); // warm-up
    const targets = sweep(10, 300, 14.5);
    const start = performance.now();
    for (const t of targets) solveGowinPll(TANG_OSC, t);
    const perSolveMs = (performance.now() - start) / targets.length;
    expect(perSolveMs).toBeLessThan(5);
  });

  it('rejects bad input clocks', () => {
    expect(() => solveGowinPll(0, 81)).toThrow(/positive/);
    expect(() => solveGowinPll(1000, 81)).toThrow(/outside/);
    expect(() => solveGowinPll(27, Number.NaN)).toThrow(/positive/);
  });
});

describe('solveMmcm', () => {
  it.each([
    [200, 1, 8, 5],
    [250, 1, 8, 4],
    [100, 1, 8, 10],
    [150, 1, 6, 5],
  ])('125 MHz -> %s MHz is D %i, M %i, O %i', (target, divclk, mult, outDiv) => {
    const s = solveMmcm(PYNQ_OSC, target);
    expect({ divclk: s.divclk, mult: s.mult, outDiv: s.outDiv }).toEqual({ divclk, mult, outDiv });
    expect(s.foutMHz).toBeCloseTo(target, 12);
    expect(s.vcoMHz).toBeCloseTo((PYNQ_OSC * mult) / divclk, 12);
    expect(s.pfdMHz).toBeCloseTo(PYNQ_OSC / divclk, 12);
    expect(reachableMmcm(PYNQ_OSC, target).ok).toBe(true);
  });

  it('caps the output at the -1 BUFG maximum and says it is unreachable', () => {
    const r = reachableMmcm(PYNQ_OSC, 600);
    expect(r.ok).toBe(false);
    expect(r.nearest.foutMHz).toBeLessThanOrEqual(MMCME2_LIMITS.foutMaxMHz);
    expect(r.nearest.foutMHz).toBeGreaterThan(440);
  });

  it('keeps every solution of a 10-464 MHz sweep inside the MMCM limits', () => {
    const L = MMCME2_LIMITS;
    const outputs = allMmcmOutputs(PYNQ_OSC);
    for (const target of sweep(10, 464, 0.5)) {
      const s = solveMmcm(PYNQ_OSC, target);
      expect(s.vcoMHz).toBeGreaterThanOrEqual(L.vcoMinMHz - 1e-9);
      expect(s.vcoMHz).toBeLessThanOrEqual(L.vcoMaxMHz + 1e-9);
      expect(s.pfdMHz).toBeGreaterThanOrEqual(L.pfdMinMHz);
      expect(s.pfdMHz).toBeLessThanOrEqual(L.pfdMaxMHz);
      expect(s.foutMHz).toBeLessThanOrEqual(L.foutMaxMHz + 1e-9);
      expect(s.mult).toBeGreaterThanOrEqual(L.multMin);
      expect(s.mult).toBeLessThanOrEqual(L.multMax);
      expect(s.outDiv).toBeGreaterThanOrEqual(1);
      expect(s.outDiv).toBeLessThanOrEqual(L.outDivMax);
      expect(Math.abs(s.foutMHz - target)).toBeCloseTo(nearestError(outputs, target), 9);
    }
  });

  it('solves in well under 5 ms', () => {
    solveMmcm(PYNQ_OSC, 50); // warm-up
    const targets = sweep(10, 460, 30);
    const start = performance.now();
    for (const t of targets) solveMmcm(PYNQ_OSC, t);
    expect((performance.now() - start) / targets.length).toBeLessThan(5);
  });

  it('rejects input clocks outside 10-800 MHz', () => {
    expect(() => solveMmcm(5, 100)).toThrow(/outside/);
    expect(() => solveMmcm(900, 100)).toThrow(/outside/);
  });
});
