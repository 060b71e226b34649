// The Gowin clocking kinds beside the GW1NR-9 rPLL: the GW2A rPLL and the GW1NS PLLVR (the rPLL solver with their
// limits) and the GW5A PLLA (its own solver), checked against enumerations written independently of the solvers.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../common/version.js';
import { GW5A_PLLA_LIMITS, reachablePlla, solvePlla } from './gowin-plla.js';
import { CLOCKINGS } from './index.js';
import { GOWIN_ODIV_VALUES, GOWIN_RPLL_LIMITS, GW1NS_PLLVR_LIMITS, GW2A_RPLL_LIMITS, reachableGowin, solveGowinPll, type GowinPllLimits } from './pll.js';

/** Every rPLL / PLLVR output from `inMHz` within `L`, enumerated without the solver. */
function allOutputs(inMHz: number, L: GowinPllLimits): number[] {
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

/** Every PLLA CLKOUT0 from `inMHz`, FBDIV 1..64 included, enumerated without the solver. */
function allPllaOutputs(inMHz: number, fbdivMax = 64): number[] {
  const L = GW5A_PLLA_LIMITS;
  const outs = new Set<number>();
  for (let idiv = 1; idiv <= L.idivMax; idiv++) {
    const pfd = inMHz / idiv;
    if (pfd < L.pfdMinMHz || pfd > L.pfdMaxMHz) continue;
    for (let fbdiv = 1; fbdiv <= fbdivMax; fbdiv++) {
      for (let mdiv = L.mdivMin; mdiv <= L.mdivMax; mdiv++) {
        const vco = pfd * fbdiv * mdiv;
        if (vco < L.vcoMinMHz || vco > L.vcoMaxMHz) continue;
        // rounded to a picohertz, so the same frequency from two divider sets is one entry
        for (let odiv = 1; odiv <= L.odivMax; odiv++) outs.add(Math.round((vco / odiv) * 1e9) / 1e9);
      }
    }
  }
  return [...outs].sort((a, b) => a - b);
}

function nearestError(sorted: readonly number[], target: number): number {
  return Math.min(...sorted.map((f) => Math.abs(f - target)));
}

function sweep(fromMHz: number, toMHz: number, stepMHz: number): number[] {
  const out: number[] = [];
  for (let f = fromMHz; f <= toMHz + 1e-9; f += stepMHz) out.push(Math.round(f * 1000) / 1000);
  return out;
}

describe('GW2A rPLL (Tang Nano 20K, Tang Primer 20K)', () => {
  const L = GW2A_RPLL_LIMITS;

  it('makes the boards\' 81 MHz from 27 MHz as IDIV 0, FBDIV 2, ODIV 8 (VCO 648)', () => {
    expect(solveGowinPll(27, 81, { limits: L })).toMatchObject({ idiv: 0, fbdiv: 2, odiv: 8, foutMHz: 81, vcoMHz: 648 });
    expect(reachableGowin(27, 81, undefined, { limits: L }).ok).toBe(true);
  });

  it('reaches above the GW1NR-9 maximum, up to 625 MHz', () => {
    // 27 x 23 = 621 MHz, VCO 1242 with ODIV 2: inside 500-1250, where the GW1NR-9's 600 MHz output cap refuses it
    expect(solveGowinPll(27, 1000, { limits: L })).toMatchObject({ idiv: 0, fbdiv: 22, odiv: 2 });
    expect(solveGowinPll(27, 1000, { limits: L }).foutMHz).toBeCloseTo(621, 9);
    expect(solveGowinPll(27, 1000).foutMHz).toBeCloseTo(594, 9);
  });

  it('stops at its own minimum output (VCO 500 over ODIV 128)', () => {
    // 27/6 = 4.5 MHz is the lowest output at or above 3.90625 MHz with a PFD >= 3 MHz; ODIV 112 is the lowest VCO (504)
    const s = solveGowinPll(27, 0.1, { limits: L });
    expect(s).toMatchObject({ idiv: 5, fbdiv: 0, odiv: 112 });
    expect(s.foutMHz).toBeCloseTo(4.5, 9);
  });

  it('keeps every solution of a 5-600 MHz sweep inside its limits and nearest', () => {
    const outputs = allOutputs(27, L);
    for (const target of sweep(5, 600, 0.75)) {
      const s = solveGowinPll(27, target, { limits: L });
      expect(s.vcoMHz).toBeGreaterThanOrEqual(L.vcoMinMHz - 1e-9);
      expect(s.vcoMHz).toBeLessThanOrEqual(L.vcoMaxMHz + 1e-9);
      expect(s.pfdMHz).toBeLessThanOrEqual(L.pfdMaxMHz);
      expect(s.foutMHz).toBeLessThanOrEqual(L.foutMaxMHz + 1e-9);
      expect(Math.abs(s.foutMHz - target)).toBeCloseTo(nearestError(outputs, target), 9);
    }
  });

  it('refuses an input clock above 500 MHz and names the primitive', () => {
    expect(() => solveGowinPll(510, 100, { limits: L })).toThrow('rPLL (GW2A) input clock 510 MHz is outside 3-500 MHz');
  });
});

describe('GW1NS PLLVR (Tang Nano 4K)', () => {
  const L = GW1NS_PLLVR_LIMITS;

  it('makes 81 MHz from 27 MHz at VCO 648, inside the 600-1200 the vendor tools enforce', () => {
    expect(solveGowinPll(27, 81, { limits: L })).toMatchObject({ idiv: 0, fbdiv: 2, odiv: 8, foutMHz: 81, vcoMHz: 648 });
  });

  it('takes a larger ODIV where the GW1NR-9 rPLL would run its VCO below 600 MHz', () => {
    // 54 MHz: the GW1NR-9 rPLL runs VCO 432 (ODIV 8); the PLLVR needs ODIV 16, VCO 864
    expect(solveGowinPll(27, 54)).toMatchObject({ odiv: 8, vcoMHz: 432 });
    expect(solveGowinPll(27, 54, { limits: L })).toMatchObject({ odiv: 16, vcoMHz: 864, foutMHz: 54 });
  });

  it('keeps every solution of a 5-600 MHz sweep inside its limits and nearest', () => {
    const outputs = allOutputs(27, L);
    for (const target of sweep(5, 600, 0.75)) {
      const s = solveGowinPll(27, target, { limits: L });
      expect(s.vcoMHz).toBeGreaterThanOrEqual(L.vcoMinMHz - 1e-9);
      expect(s.vcoMHz).toBeLessThanOrEqual(L.vcoMaxMHz + 1e-9);
      expect(s.foutMHz).toBeGreaterThanOrEqual(L.foutMinMHz - 1e-9);
      expect(Math.abs(s.foutMHz - target)).toBeCloseTo(nearestError(outputs, target), 9);
    }
  });

  it('leaves the GW1NR-9 rPLL defaults as they were', () => {
    expect(solveGowinPll(27, 81)).toEqual(solveGowinPll(27, 81, { limits: GOWIN_RPLL_LIMITS }));
  });
});

describe('GW5A PLLA (Tang Primer 25K)', () => {
  const L = GW5A_PLLA_LIMITS;

  it('makes the board\'s 100 MHz from 50 MHz as IDIV 1, MDIV 16, ODIV0 8: VCO 800', () => {
    expect(solvePlla(50, 100)).toEqual({ idiv: 1, fbdiv: 1, mdiv: 16, odiv: 8, foutMHz: 100, vcoMHz: 800, pfdMHz: 50 });
    expect(reachablePlla(50, 100).ok).toBe(true);
  });

  it('takes the lowest VCO among exact settings', () => {
    // 125 MHz: 875 = 125 x 7 is the lowest multiple of 125 in 800-1600 a PFD of 50 or 25 MHz reaches (25 x 35)
    expect(solvePlla(50, 125)).toMatchObject({ idiv: 2, mdiv: 35, odiv: 7, vcoMHz: 875 });
  });

  it('loses no frequency by holding FBDIV at 1 (PFD >= 19 keeps FBDIV x MDIV within MDIV\'s range)', () => {
    for (const inMHz of [50, 27, 100]) expect(allPllaOutputs(inMHz, 1)).toEqual(allPllaOutputs(inMHz));
  });

  it('keeps every solution of a 7-400 MHz sweep inside its limits and nearest', () => {
    const outputs = allPllaOutputs(50, 1);
    for (const target of sweep(7, 400, 0.5)) {
      const s = solvePlla(50, target);
      expect(s.pfdMHz).toBeGreaterThanOrEqual(L.pfdMinMHz);
      expect(s.pfdMHz).toBeLessThanOrEqual(L.pfdMaxMHz);
      expect(s.vcoMHz).toBeGreaterThanOrEqual(L.vcoMinMHz - 1e-9);
      expect(s.vcoMHz).toBeLessThanOrEqual(L.vcoMaxMHz + 1e-9);
      expect(s.idiv).toBeGreaterThanOrEqual(1);
      expect(s.mdiv).toBeGreaterThanOrEqual(L.mdivMin);
      expect(s.mdiv).toBeLessThanOrEqual(L.mdivMax);
      expect(s.odiv).toBeGreaterThanOrEqual(1);
      expect(s.odiv).toBeLessThanOrEqual(L.odivMax);
      expect(s.foutMHz).toBeCloseTo((50 / s.idiv) * s.fbdiv * s.mdiv / s.odiv, 9);
      expect(Math.abs(s.foutMHz - target)).toBeCloseTo(nearestError(outputs, target), 9);
    }
  });

  it('gives the nearest frequency where none is exact, and says so', () => {
    const r = reachablePlla(50, 81);
    expect(r.ok).toBe(false);
    expect(Math.abs(r.nearest.foutMHz - 81)).toBeCloseTo(nearestError(allPllaOutputs(50, 1), 81), 9);
  });

  it('rejects bad input clocks', () => {
    expect(() => solvePlla(0, 100)).toThrow(/positive/);
    expect(() => solvePlla(10, 100)).toThrow('PLLA input clock 10 MHz is outside 19-800 MHz');
    expect(() => solvePlla(50, Number.NaN)).toThrow(/positive/);
  });

  it('solves in well under 5 ms', () => {
    solvePlla(50, 60);
    const targets = sweep(10, 400, 13);
    const start = performance.now();
    for (const t of targets) solvePlla(50, t);
    expect((performance.now() - start) / targets.length).toBeLessThan(5);
  });
});

describe('the Gowin clocking kinds', () => {
  it.each(['gowin-rpll-gw2a', 'gowin-pllvr', 'gowin-plla'] as const)('%s has its top template and lint stand-ins', (kind) => {
    const c = CLOCKINGS[kind];
    expect(c.kind).toBe(kind);
    expect(existsSync(join(packageRoot(), 'templates', c.topTemplate))).toBe(true);
    for (const stub of c.lintStubs) expect(existsSync(join(packageRoot(), 'sim', 'stubs', stub))).toBe(true);
  });

  it('solve fills the settings its template reads', () => {
    expect(CLOCKINGS['gowin-rpll-gw2a'].solve(27, 81).gowin).toMatchObject({ odiv: 8, vcoMHz: 648 });
    expect(CLOCKINGS['gowin-pllvr'].solve(27, 54).gowin).toMatchObject({ odiv: 16 });
    expect(CLOCKINGS['gowin-plla'].solve(50, 100).plla).toMatchObject({ mdiv: 16, odiv: 8 });
    expect(CLOCKINGS['gowin-plla'].solve(50, 100).gowin).toBeUndefined();
  });

  it('reach tells exact from nearest', () => {
    expect(CLOCKINGS['gowin-rpll-gw2a'].reach(27, 81)).toEqual({ ok: true, nearestMHz: 81 });
    expect(CLOCKINGS['gowin-pllvr'].reach(27, 700).ok).toBe(false);
    expect(CLOCKINGS['gowin-plla'].reach(50, 100)).toEqual({ ok: true, nearestMHz: 100 });
  });
});
