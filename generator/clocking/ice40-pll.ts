// Lattice iCE40 SB_PLL40 parameter solver (FEEDBACK_PATH "SIMPLE"), ours: DIVR, DIVF, DIVQ and FILTER_RANGE for a
// target clock. It searches the whole divider space, like the Gowin and MMCM solvers in pll.ts: the exact frequency when
// one exists, else the nearest reachable one.
//
// In SIMPLE feedback: PFD = in / (DIVR + 1), VCO = PFD x (DIVF + 1), out = VCO / 2^DIVQ.
//
// Figures:
// - IceStorm's icepll (icepll/icepll.cc, YosysHQ/icestorm), the reference open implementation: input 10-133 MHz,
//   PFD 10-133 MHz, VCO 533-1066 MHz, output 16-275 MHz (its limit_in / limit_pfd / limit_vco / limit_out); DIVR 0..15,
//   DIVQ 1..6, DIVF up to 127 in SIMPLE feedback (icepll notes that the "iCE40 PLL Usage Guide" gives 63, which holds
//   only for the other feedback modes); FILTER_RANGE from the PFD: < 17 MHz 1, < 26 MHz 2, < 44 MHz 3, < 66 MHz 4,
//   < 101 MHz 5, else 6.
// - Lattice's "iCE40 sysCLOCK PLL Design and Usage Guide" (TN1251) is where those figures come from; the VCO range is
//   quoted from it by the myStorm BlackIce-II wiki (PLLs page). Not re-read from the guide's own text here.
//
// Where we differ from icepll on purpose: icepll checks only the *requested* output against 16-275 MHz, so near either
// end it can return a setting outside it (12 MHz in: 16 asked gives 15.9375 MHz, 275 asked gives 276 MHz). We keep
// every candidate inside the output range. Ties (equally near candidates) go to the lowest DIVR, then DIVF, then DIVQ, which is the
// order icepll's search keeps its first find in.

/** Two frequencies closer than this (MHz) are the same frequency. */
const SAME_MHZ = 1e-9;

/** SB_PLL40 operating limits, MHz, and the divider ranges of SIMPLE feedback (see the file's opening comment). */
export const ICE40_PLL_LIMITS = {
  clkinMinMHz: 10,
  clkinMaxMHz: 133,
  pfdMinMHz: 10,
  pfdMaxMHz: 133,
  vcoMinMHz: 533,
  vcoMaxMHz: 1066,
  foutMinMHz: 16,
  foutMaxMHz: 275,
  divrMax: 15,
  divfMax: 127,
  divqMin: 1,
  divqMax: 6,
} as const;

export interface Ice40PllSolution {
  /** DIVR: the reference divider is DIVR + 1. */
  readonly divr: number;
  /** DIVF: the feedback divider is DIVF + 1. */
  readonly divf: number;
  /** DIVQ: the VCO is divided by 2^DIVQ. */
  readonly divq: number;
  /** FILTER_RANGE of the PLL's loop filter, chosen from the PFD. */
  readonly filterRange: number;
  readonly pfdMHz: number;
  readonly vcoMHz: number;
  readonly foutMHz: number;
}

/** FILTER_RANGE for a PFD frequency (icepll's table). */
export function ice40FilterRange(pfdMHz: number): number {
  if (pfdMHz < 17) return 1;
  if (pfdMHz < 26) return 2;
  if (pfdMHz < 44) return 3;
  if (pfdMHz < 66) return 4;
  if (pfdMHz < 101) return 5;
  return 6;
}

function checkFrequency(what: string, mhz: number): void {
  if (!Number.isFinite(mhz) || mhz <= 0) {
    throw new Error(`${what} must be a positive number of MHz, got ${String(mhz)}`);
  }
}

/** Negative when a is the better candidate: the error first, then DIVR, DIVF, DIVQ (icepll's search order). */
function compareIce40(a: Ice40PllSolution, b: Ice40PllSolution, targetMHz: number): number {
  const errA = Math.abs(a.foutMHz - targetMHz);
  const errB = Math.abs(b.foutMHz - targetMHz);
  if (Math.abs(errA - errB) > SAME_MHZ) return errA - errB;
  if (a.divr !== b.divr) return a.divr - b.divr;
  if (a.divf !== b.divf) return a.divf - b.divf;
  return a.divq - b.divq;
}

/**
 * SB_PLL40 settings (SIMPLE feedback) for `targetMHz` from an `inMHz` clock. Returns the exact frequency when
 * reachable, else the nearest reachable one (check with `reachableIce40`). Throws when the input clock itself is outside
 * the PLL's range.
 */
export function solveIce40Pll(inMHz: number, targetMHz: number): Ice40PllSolution {
  checkFrequency('SB_PLL40 input clock', inMHz);
  checkFrequency('SB_PLL40 target clock', targetMHz);
  const L = ICE40_PLL_LIMITS;
  if (inMHz < L.clkinMinMHz || inMHz > L.clkinMaxMHz) {
    throw new Error(`SB_PLL40 input clock ${inMHz} MHz is outside ${L.clkinMinMHz}-${L.clkinMaxMHz} MHz`);
  }
  let best: Ice40PllSolution | undefined;
  for (let divr = 0; divr <= L.divrMax; divr++) {
    const pfdMHz = inMHz / (divr + 1);
    if (pfdMHz < L.pfdMinMHz || pfdMHz > L.pfdMaxMHz) continue;
    for (let divf = 0; divf <= L.divfMax; divf++) {
      const vcoMHz = pfdMHz * (divf + 1);
      if (vcoMHz < L.vcoMinMHz - SAME_MHZ || vcoMHz > L.vcoMaxMHz + SAME_MHZ) continue;
      for (let divq = L.divqMin; divq <= L.divqMax; divq++) {
        const foutMHz = vcoMHz / 2 ** divq;
        if (foutMHz < L.foutMinMHz - SAME_MHZ || foutMHz > L.foutMaxMHz + SAME_MHZ) continue;
        const candidate: Ice40PllSolution = { divr, divf, divq, filterRange: ice40FilterRange(pfdMHz), pfdMHz, vcoMHz, foutMHz };
        if (best === undefined || compareIce40(candidate, best, targetMHz) < 0) best = candidate;
      }
    }
  }
  if (best === undefined) throw new Error(`no SB_PLL40 setting exists for a ${inMHz} MHz input clock`);
  return best;
}

/** Whether `targetMHz` is reachable within `toleranceMHz`, with the nearest SB_PLL40 setting either way. */
export function reachableIce40(
  inMHz: number,
  targetMHz: number,
  toleranceMHz = 0.01,
): { readonly ok: boolean; readonly nearest: Ice40PllSolution } {
  const nearest = solveIce40Pll(inMHz, targetMHz);
  return { ok: Math.abs(nearest.foutMHz - targetMHz) <= toleranceMHz + SAME_MHZ, nearest };
}
