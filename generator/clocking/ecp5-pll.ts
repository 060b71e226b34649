// PLL parameter solver for the Lattice ECP5 EHXPLLL, primary output CLKOP fed back to CLKFB (FEEDBK_PATH "CLKOP").
// Like the Gowin and MMCM solvers in pll.ts it searches the whole integer divider space: exact, deterministic, no
// floating-point tuning. Rule: the exact frequency if one exists, else the nearest reachable one.
//
// How the dividers combine (Project Trellis, libtrellis/tools/ecppll.cpp, measured against Lattice's Clarity designer
// there): PFD = CLKI / CLKI_DIV; with CLKOP as the feedback, CLKOP = PFD x CLKFB_DIV; VCO = CLKOP x CLKOP_DIV. CLKOP_DIV
// therefore does not change the output frequency: it only brings the VCO into its range.

/** Two frequencies closer than this (MHz) are the same frequency. */
const SAME_MHZ = 1e-9;

/**
 * EHXPLLL operating limits, MHz, and the divider ranges.
 * - CLKI 8-400, CLKOP 3.125-400, VCO 400-800: the sysCLOCK PLL timing table of the ECP5 and ECP5-5G Family Data Sheet
 *   (FPGA-DS-02012), as quoted by Project F ("ECP5 FPGA Clock Generation"); ecppll uses the same CLKI and VCO ranges.
 *   3.125 = the lowest VCO (400) over the largest CLKOP_DIV (128). ecppll warns below 10 MHz for the requested output.
 * - PFD 3.125-400: ecppll's PFD_MIN / PFD_MAX (libtrellis/tools/ecppll.cpp).
 * - CLKI_DIV 1-128, CLKFB_DIV 1-80, CLKOP_DIV 1-128: the ranges ecppll searches.
 * - VCO centre 600: ecppll prefers the VCO nearest 600 MHz among equally good settings; so do we.
 */
export const EHXPLLL_LIMITS = {
  clkinMinMHz: 8,
  clkinMaxMHz: 400,
  pfdMinMHz: 3.125,
  pfdMaxMHz: 400,
  vcoMinMHz: 400,
  vcoMaxMHz: 800,
  vcoCentreMHz: 600,
  foutMinMHz: 3.125,
  foutMaxMHz: 400,
  clkiDivMax: 128,
  clkfbDivMax: 80,
  clkopDivMax: 128,
} as const;

export interface Ecp5PllSolution {
  /** CLKI_DIV: PFD = CLKI / CLKI_DIV. */
  readonly clkiDiv: number;
  /** CLKFB_DIV: CLKOP = PFD x CLKFB_DIV (feedback from CLKOP). */
  readonly clkfbDiv: number;
  /** CLKOP_DIV: VCO = CLKOP x CLKOP_DIV. */
  readonly clkopDiv: number;
  /**
   * CLKOP_CPHASE: coarse phase of CLKOP in VCO cycles. ecppll shifts CLKOP by 180 degrees ("Lattice seems to do
   * this"), i.e. half of CLKOP_DIV VCO cycles; we write that number exactly, floor(CLKOP_DIV / 2). ecppll computes it
   * in single precision and truncates, so for some even dividers it writes one less (5 for CLKOP_DIV 12). With CLKOP
   * as its own feedback the phase does not change the frequency.
   */
  readonly clkopCphase: number;
  /** CLKOP_FPHASE: fine phase in eighths of a VCO cycle; 0, as ecppll writes it. */
  readonly clkopFphase: number;
  readonly foutMHz: number;
  readonly vcoMHz: number;
  readonly pfdMHz: number;
}

function checkFrequency(what: string, mhz: number): void {
  if (!Number.isFinite(mhz) || mhz <= 0) {
    throw new Error(`${what} must be a positive number of MHz, got ${String(mhz)}`);
  }
}

/**
 * Negative when a is the better candidate: the smaller error, then the VCO nearer 600 MHz, then the smaller CLKI_DIV,
 * CLKFB_DIV and CLKOP_DIV. That is ecppll's order: it takes a candidate only when it is strictly better, searching
 * CLKI_DIV, then CLKFB_DIV, then CLKOP_DIV upwards, so among equals the first (smallest dividers) stays.
 *
 * ecppll compares in single precision, where the output computed as VCO / CLKOP_DIV carries rounding noise that
 * differs between CLKOP_DIV values giving the same frequency; so where several CLKOP_DIV make the same output it can
 * keep one whose VCO is farther from 600 MHz (25 -> 108.33 MHz: VCO 541.67 rather than 650), and between two VCOs
 * equally far from 600 MHz it takes either (48 -> 240 MHz: 480; 25 -> 133.33 MHz: 666.67). We do not copy that noise.
 */
function compareEcp5(a: Ecp5PllSolution, b: Ecp5PllSolution, targetMHz: number): number {
  const errA = Math.abs(a.foutMHz - targetMHz);
  const errB = Math.abs(b.foutMHz - targetMHz);
  if (Math.abs(errA - errB) > SAME_MHZ) return errA - errB;
  const c = EHXPLLL_LIMITS.vcoCentreMHz;
  const offA = Math.abs(a.vcoMHz - c);
  const offB = Math.abs(b.vcoMHz - c);
  if (Math.abs(offA - offB) > SAME_MHZ) return offA - offB;
  if (a.clkiDiv !== b.clkiDiv) return a.clkiDiv - b.clkiDiv;
  if (a.clkfbDiv !== b.clkfbDiv) return a.clkfbDiv - b.clkfbDiv;
  return a.clkopDiv - b.clkopDiv;
}

/**
 * EHXPLLL settings for `targetMHz` from a `inMHz` clock. Returns the exact frequency when reachable, else the nearest
 * reachable one (check with `reachableEcp5`). Throws when the input clock itself is outside the PLL's range.
 */
export function solveEcp5Pll(inMHz: number, targetMHz: number): Ecp5PllSolution {
  checkFrequency('EHXPLLL input clock', inMHz);
  checkFrequency('EHXPLLL target clock', targetMHz);
  const L = EHXPLLL_LIMITS;
  if (inMHz < L.clkinMinMHz || inMHz > L.clkinMaxMHz) {
    throw new Error(`EHXPLLL input clock ${inMHz} MHz is outside ${L.clkinMinMHz}-${L.clkinMaxMHz} MHz`);
  }
  let best: Ecp5PllSolution | undefined;
  for (let clkiDiv = 1; clkiDiv <= L.clkiDivMax; clkiDiv++) {
    const pfdMHz = inMHz / clkiDiv;
    if (pfdMHz < L.pfdMinMHz - SAME_MHZ) break; // a larger divider only lowers the PFD further
    if (pfdMHz > L.pfdMaxMHz + SAME_MHZ) continue;
    for (let clkfbDiv = 1; clkfbDiv <= L.clkfbDivMax; clkfbDiv++) {
      const foutMHz = (inMHz * clkfbDiv) / clkiDiv;
      if (foutMHz < L.foutMinMHz - SAME_MHZ || foutMHz > L.foutMaxMHz + SAME_MHZ) continue;
      // CLKOP_DIV only places the VCO: take the one nearest the centre within the VCO range and the divider's range.
      const lo = Math.max(1, Math.ceil(L.vcoMinMHz / foutMHz - SAME_MHZ));
      const hi = Math.min(L.clkopDivMax, Math.floor(L.vcoMaxMHz / foutMHz + SAME_MHZ));
      if (lo > hi) continue;
      const ideal = L.vcoCentreMHz / foutMHz;
      const tried = new Set<number>();
      for (const raw of [Math.floor(ideal), Math.ceil(ideal)]) {
        const clkopDiv = Math.min(hi, Math.max(lo, raw));
        if (tried.has(clkopDiv)) continue;
        tried.add(clkopDiv);
        const candidate: Ecp5PllSolution = {
          clkiDiv,
          clkfbDiv,
          clkopDiv,
          clkopCphase: Math.floor(clkopDiv / 2),
          clkopFphase: 0,
          foutMHz,
          vcoMHz: foutMHz * clkopDiv,
          pfdMHz,
        };
        if (best === undefined || compareEcp5(candidate, best, targetMHz) < 0) best = candidate;
      }
    }
  }
  if (best === undefined) throw new Error(`no EHXPLLL setting exists for a ${inMHz} MHz input clock`);
  return best;
}

/** Whether `targetMHz` is reachable within `toleranceMHz`, with the nearest EHXPLLL setting either way. */
export function reachableEcp5(
  inMHz: number,
  targetMHz: number,
  toleranceMHz = 0.01,
): { readonly ok: boolean; readonly nearest: Ecp5PllSolution } {
  const nearest = solveEcp5Pll(inMHz, targetMHz);
  return { ok: Math.abs(nearest.foutMHz - targetMHz) <= toleranceMHz + SAME_MHZ, nearest };
}
