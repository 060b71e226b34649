// [real tools] Our SB_PLL40 solver against IceStorm's icepll (the toolchain's yowasp-icepll, found as `doctor` finds it):
// for a set of targets from the iCEBreaker's 12 MHz and from two other inputs, the same DIVR, DIVF, DIVQ, FILTER_RANGE
// and achieved frequency. Where icepll's answer leaves the PLL's own 16-275 MHz output range (it checks only the
// requested frequency: 16 MHz asked from 12 gives 15.9375, 275 gives 276), ours must stay inside it instead.
import { describe, expect, it } from 'vitest';
import { runBounded } from '../tools/exec.js';
import { findTool } from '../tools/tools.js';
import { ICE40_PLL_LIMITS, solveIce40Pll } from './ice40-pll.js';

interface IcepllAnswer {
  readonly divr: number;
  readonly divf: number;
  readonly divq: number;
  readonly filterRange: number;
  readonly foutMHz: number;
}

/** icepll's printed settings (SIMPLE feedback, the default). */
async function icepll(inMHz: number, outMHz: number): Promise<IcepllAnswer> {
  const tool = await findTool('icepll');
  const r = await runBounded(tool.path, ['-i', String(inMHz), '-o', String(outMHz)], { timeoutMs: 60_000 });
  if (r.exitCode !== 0) throw new Error(`icepll -i ${inMHz} -o ${outMHz} exited ${String(r.exitCode)}: ${r.all}`);
  const num = (re: RegExp) => {
    const m = re.exec(r.stdout);
    if (!m?.[1]) throw new Error(`icepll output lacks ${String(re)}:\n${r.stdout}`);
    return Number(m[1]);
  };
  return {
    divr: num(/^DIVR:\s*(\d+)/m),
    divf: num(/^DIVF:\s*(\d+)/m),
    divq: num(/^DIVQ:\s*(\d+)/m),
    filterRange: num(/^FILTER_RANGE:\s*(\d+)/m),
    foutMHz: num(/^F_PLLOUT:\s*([\d.]+) MHz \(achieved\)/m),
  };
}

const POINTS = [
  ...[16, 18, 20, 24, 25, 27, 30, 33, 36, 40, 42, 45, 48, 50, 54, 60, 64, 72, 75, 80, 90, 96, 100, 108, 120, 133, 150, 200, 250, 275].map(
    (out) => [12, out] as const,
  ),
  ...[25, 48, 81, 100].map((out) => [27, out] as const),
  ...[30, 50, 125, 200].map((out) => [100, out] as const),
];

describe('[real tools] SB_PLL40 solver against icepll', () => {
  it.concurrent.each(POINTS)('%s MHz in, %s MHz asked', async (inMHz, outMHz) => {
    const theirs = await icepll(inMHz, outMHz);
    const ours = solveIce40Pll(inMHz, outMHz);
    if (theirs.foutMHz > ICE40_PLL_LIMITS.foutMaxMHz || theirs.foutMHz < ICE40_PLL_LIMITS.foutMinMHz) {
      // icepll left the 16-275 MHz output range: ours stays inside it, so it can only be as near or farther
      expect(ours.foutMHz).toBeLessThanOrEqual(ICE40_PLL_LIMITS.foutMaxMHz);
      expect(ours.foutMHz).toBeGreaterThanOrEqual(ICE40_PLL_LIMITS.foutMinMHz);
      expect(Math.abs(ours.foutMHz - outMHz)).toBeGreaterThanOrEqual(Math.abs(theirs.foutMHz - outMHz));
      return;
    }
    expect({ divr: ours.divr, divf: ours.divf, divq: ours.divq, filterRange: ours.filterRange }).toEqual({
      divr: theirs.divr,
      divf: theirs.divf,
      divq: theirs.divq,
      filterRange: theirs.filterRange,
    });
    // icepll prints three decimals (99.5625 as 99.562)
    expect(Math.abs(ours.foutMHz - theirs.foutMHz)).toBeLessThanOrEqual(0.0005 + 1e-9);
  });
});
