// PLL parameter solvers: the Gowin rPLL / PLLVR (one divider structure, limits per family) and the Xilinx 7-series
// MMCME2_BASE (speed grade -1). Both search the whole integer divider space, so they are exact, deterministic and need no
// floating-point tuning. Rule: the exact frequency if one exists, else the nearest reachable one; ties broken as
// documented per solver.

/** Two frequencies closer than this (MHz) are the same frequency. */
const SAME_MHZ = 1e-9;

// ---------------------------------------------------------------------------------------------------------------
// Gowin rPLL and PLLVR (GW1N, GW1NS, GW2A): CLKOUT = CLKIN x (FBDIV_SEL+1) / (IDIV_SEL+1), VCO = CLKOUT x ODIV_SEL
// ---------------------------------------------------------------------------------------------------------------

/** ODIV_SEL values the rPLL and PLLVR accept (Yosys techlibs/gowin/cells_sim.v rPLL and PLLVR; LiteX GW1NPLL). */
export const GOWIN_ODIV_VALUES = [2, 4, 8, 16, 32, 48, 64, 80, 96, 112, 128] as const;

/** Operating limits of one family's rPLL / PLLVR, MHz, and the primitive's name for messages. */
export interface GowinPllLimits {
  readonly primitive: string;
  readonly clkinMinMHz: number;
  readonly clkinMaxMHz: number;
  readonly pfdMinMHz: number;
  readonly pfdMaxMHz: number;
  readonly vcoMinMHz: number;
  readonly vcoMaxMHz: number;
  readonly foutMinMHz: number;
  readonly foutMaxMHz: number;
}

/**
 * GW1NR-9 (C6/I5) rPLL operating limits, MHz.
 * - VCO 400-1200 and PFD >= 3: the figures atomik-gen was given from DS117. Not re-confirmed from the datasheet text
 *   here; note that LiteX (soc/cores/clock/gowin_gw1n.py) uses a narrower VCO 400-900 for GW1N-/GW1NR- parts.
 *   The default tie-break (lowest VCO, below) keeps every solution inside 400-900 whenever the narrower range allows one.
 * - PFD <= 400 and CLKIN 3-400: LiteX's figures, which it marks "not verified: not found in the datasheet".
 * - CLKOUT 3.125-600: given figures, not re-confirmed. 3.125 = 400 / 128, the lowest VCO over the largest ODIV.
 */
export const GOWIN_RPLL_LIMITS = {
  primitive: 'rPLL',
  clkinMinMHz: 3,
  clkinMaxMHz: 400,
  pfdMinMHz: 3,
  pfdMaxMHz: 400,
  vcoMinMHz: 400,
  vcoMaxMHz: 1200,
  foutMinMHz: 3.125,
  foutMaxMHz: 600,
} as const satisfies GowinPllLimits;

/**
 * GW2A-18 / GW2AR-18 (C8/I7) rPLL operating limits, MHz: the Tang Nano 20K and Tang Primer 20K parts.
 * - PFD 3-500 and VCO 500-1250: the GW2A data sheet figures as LiteX (soc/cores/clock/gowin_gw2a.py, "datasheet
 *   values") and Apicula's gowin_pll (limits table "GW2A-18 C8/I7" and "GW2AR-18 C8/I7") both carry them.
 * - CLKOUT 3.90625-625: Apicula's gowin_pll table and gowin_pack's permitted range for GW2A-18 / GW2A-18C;
 *   3.90625 = 500 / 128, the lowest VCO over the largest ODIV. CLKIN 3-500: gowin_pack's permitted input range.
 */
export const GW2A_RPLL_LIMITS = {
  primitive: 'rPLL (GW2A)',
  clkinMinMHz: 3,
  clkinMaxMHz: 500,
  pfdMinMHz: 3,
  pfdMaxMHz: 500,
  vcoMinMHz: 500,
  vcoMaxMHz: 1250,
  foutMinMHz: 3.90625,
  foutMaxMHz: 625,
} as const satisfies GowinPllLimits;

/**
 * GW1NSR-4C (C7/I6) PLLVR operating limits, MHz: the Tang Nano 4K part. The PLLVR divides as the rPLL does.
 * - VCO 600-1200: LiteX (soc/cores/clock/gowin_gw1n.py) for GW1NS C7/I6 and C6/I5: "datasheet says (400, 1200) but
 *   compiler enforces (600, 1200)"; Apicula's gowin_pll table carries the data sheet's 400-1200. The narrower range
 *   is taken, so the vendor tools would accept every setting made here.
 * - PFD 3-400, CLKIN 3-400: LiteX and Apicula agree. CLKOUT up to 600: Apicula's table and gowin_pack; the lowest
 *   output is the lowest VCO over the largest ODIV, 600 / 128 = 4.6875 (gowin_pack's permitted minimum for GW1NS-4).
 */
export const GW1NS_PLLVR_LIMITS = {
  primitive: 'PLLVR',
  clkinMinMHz: 3,
  clkinMaxMHz: 400,
  pfdMinMHz: 3,
  pfdMaxMHz: 400,
  vcoMinMHz: 600,
  vcoMaxMHz: 1200,
  foutMinMHz: 4.6875,
  foutMaxMHz: 600,
} as const satisfies GowinPllLimits;

export interface GowinPllSolution {
  /** IDIV_SEL: input divider is IDIV_SEL + 1. */
  readonly idiv: number;
  /** FBDIV_SEL: feedback divider is FBDIV_SEL + 1. */
  readonly fbdiv: number;
  /** ODIV_SEL: VCO = CLKOUT x ODIV_SEL. */
  readonly odiv: number;
  readonly foutMHz: number;
  readonly vcoMHz: number;
  readonly pfdMHz: number;
}

export interface GowinPllOptions {
  /**
   * Which VCO to take when several exact (or equally near) solutions exist.
   * 'low' (default): the smallest ODIV_SEL that brings the VCO into range. It reproduces the published ATOMiK
   * settings (108 MHz = ODIV 4, 54 MHz = ODIV 8, both VCO 432 MHz, which the vendor flow accepted) and stays clear of
   * the disputed VCO maximum (900 vs 1200 MHz).
   * 'high': the largest ODIV_SEL in range (lower jitter in principle, but nearest the disputed maximum).
   */
  readonly vco?: 'low' | 'high';
  /** The family's limits; default the GW1NR-9 rPLL's (GOWIN_RPLL_LIMITS). */
  readonly limits?: GowinPllLimits;
}

function checkFrequency(what: string, mhz: number): void {
  if (!Number.isFinite(mhz) || mhz <= 0) {
    throw new Error(`${what} must be a positive number of MHz, got ${String(mhz)}`);
  }
}

/** Negative when a is the better candidate. Error first, then the VCO preference, then IDIV, then FBDIV. */
function compareGowin(
  a: GowinPllSolution,
  b: GowinPllSolution,
  targetMHz: number,
  vco: 'low' | 'high',
): number {
  const errA = Math.abs(a.foutMHz - targetMHz);
  const errB = Math.abs(b.foutMHz - targetMHz);
  if (Math.abs(errA - errB) > SAME_MHZ) return errA - errB;
  if (Math.abs(a.vcoMHz - b.vcoMHz) > SAME_MHZ) return vco === 'low' ? a.vcoMHz - b.vcoMHz : b.vcoMHz - a.vcoMHz;
  if (a.idiv !== b.idiv) return a.idiv - b.idiv;
  return a.fbdiv - b.fbdiv;
}

/**
 * rPLL / PLLVR settings for `targetMHz` from a `inMHz` clock: CLKOUT = in x (FBDIV_SEL+1) / (IDIV_SEL+1), VCO = CLKOUT x
 * ODIV_SEL, within `options.limits` (default the GW1NR-9 rPLL's). Returns the exact frequency when reachable, else the
 * nearest reachable one (check with `reachableGowin`). Throws when the input clock itself is outside the PLL's range.
 */
export function solveGowinPll(inMHz: number, targetMHz: number, options: GowinPllOptions = {}): GowinPllSolution {
  const L = options.limits ?? GOWIN_RPLL_LIMITS;
  checkFrequency(`${L.primitive} input clock`, inMHz);
  checkFrequency(`${L.primitive} target clock`, targetMHz);
  if (inMHz < L.clkinMinMHz || inMHz > L.clkinMaxMHz) {
    throw new Error(`${L.primitive} input clock ${inMHz} MHz is outside ${L.clkinMinMHz}-${L.clkinMaxMHz} MHz`);
  }
  const vco = options.vco ?? 'low';
  let best: GowinPllSolution | undefined;
  for (let idiv = 0; idiv <= 63; idiv++) {
    const pfdMHz = inMHz / (idiv + 1);
    if (pfdMHz < L.pfdMinMHz || pfdMHz > L.pfdMaxMHz) continue;
    for (let fbdiv = 0; fbdiv <= 63; fbdiv++) {
      const foutMHz = (inMHz * (fbdiv + 1)) / (idiv + 1);
      if (foutMHz < L.foutMinMHz - SAME_MHZ || foutMHz > L.foutMaxMHz + SAME_MHZ) continue;
      for (const odiv of GOWIN_ODIV_VALUES) {
        const vcoMHz = foutMHz * odiv;
        if (vcoMHz < L.vcoMinMHz - SAME_MHZ || vcoMHz > L.vcoMaxMHz + SAME_MHZ) continue;
        const candidate: GowinPllSolution = { idiv, fbdiv, odiv, foutMHz, vcoMHz, pfdMHz };
        if (best === undefined || compareGowin(candidate, best, targetMHz, vco) < 0) best = candidate;
      }
    }
  }
  if (best === undefined) throw new Error(`no ${L.primitive} setting exists for a ${inMHz} MHz input clock`);
  return best;
}

export interface Reachability<S> {
  /** The nearest solution lies within the tolerance of the target. */
  readonly ok: boolean;
  readonly nearest: S;
}

/** Whether `targetMHz` is reachable within `toleranceMHz`, with the nearest rPLL setting either way. */
export function reachableGowin(
  inMHz: number,
  targetMHz: number,
  toleranceMHz = 0.01,
  options: GowinPllOptions = {},
): Reachability<GowinPllSolution> {
  const nearest = solveGowinPll(inMHz, targetMHz, options);
  return { ok: Math.abs(nearest.foutMHz - targetMHz) <= toleranceMHz + SAME_MHZ, nearest };
}

// ---------------------------------------------------------------------------------------------------------------
// Xilinx 7-series MMCME2_BASE, speed grade -1, integer dividers only
// ---------------------------------------------------------------------------------------------------------------

/**
 * MMCME2 limits for speed grade -1, MHz.
 * - CLKIN 10-800 and VCO 600-1200: as LiteX's S7MMCM (soc/cores/clock/xilinx_s7.py) uses for -1; DS187 figures.
 * - PFD 10-450: the DS187 -1 figures atomik-gen was given; not re-confirmed here (LiteX does not check the PFD).
 * - Output 464: BUFG maximum for -1 (FMAX_BUFG, as in DS189 for the same 28 nm family); the MMCM output itself can go
 *   higher, but every core clock here goes through a BUFG.
 * - DIVCLK_DIVIDE 1-106 (LiteX divclk_divide_range), CLKFBOUT_MULT_F 2-64, CLKOUT0_DIVIDE_F 1-128 (UG953), integers.
 */
export const MMCME2_LIMITS = {
  clkinMinMHz: 10,
  clkinMaxMHz: 800,
  pfdMinMHz: 10,
  pfdMaxMHz: 450,
  vcoMinMHz: 600,
  vcoMaxMHz: 1200,
  foutMaxMHz: 464,
  divclkMax: 106,
  multMin: 2,
  multMax: 64,
  outDivMax: 128,
} as const;

export interface MmcmSolution {
  /** DIVCLK_DIVIDE (D). */
  readonly divclk: number;
  /** CLKFBOUT_MULT_F (M), an integer here. */
  readonly mult: number;
  /** CLKOUT0_DIVIDE_F (O), an integer here. */
  readonly outDiv: number;
  readonly vcoMHz: number;
  readonly foutMHz: number;
  readonly pfdMHz: number;
}

/**
 * Negative when a is the better candidate. Error first, then the smallest D (highest PFD), then the highest VCO:
 * the order of UG472's MMCM attribute procedure (D from its minimum, M towards the VCO maximum). Then M, then O.
 */
function compareMmcm(a: MmcmSolution, b: MmcmSolution, targetMHz: number): number {
  const errA = Math.abs(a.foutMHz - targetMHz);
  const errB = Math.abs(b.foutMHz - targetMHz);
  if (Math.abs(errA - errB) > SAME_MHZ) return errA - errB;
  if (a.divclk !== b.divclk) return a.divclk - b.divclk;
  if (Math.abs(a.vcoMHz - b.vcoMHz) > SAME_MHZ) return b.vcoMHz - a.vcoMHz;
  if (a.mult !== b.mult) return a.mult - b.mult;
  return a.outDiv - b.outDiv;
}

/**
 * MMCME2_BASE settings for `targetMHz` from a `inMHz` clock: VCO = in x M / D, CLKOUT0 = VCO / O.
 * Returns the exact frequency when reachable, else the nearest reachable one (check with `reachableMmcm`).
 */
export function solveMmcm(inMHz: number, targetMHz: number): MmcmSolution {
  checkFrequency('MMCM input clock', inMHz);
  checkFrequency('MMCM target clock', targetMHz);
  const L = MMCME2_LIMITS;
  if (inMHz < L.clkinMinMHz || inMHz > L.clkinMaxMHz) {
    throw new Error(`MMCM input clock ${inMHz} MHz is outside ${L.clkinMinMHz}-${L.clkinMaxMHz} MHz (speed grade -1)`);
  }
  let best: MmcmSolution | undefined;
  for (let divclk = 1; divclk <= L.divclkMax; divclk++) {
    const pfdMHz = inMHz / divclk;
    if (pfdMHz < L.pfdMinMHz) break; // larger D only lowers the PFD further
    if (pfdMHz > L.pfdMaxMHz) continue;
    for (let mult = L.multMin; mult <= L.multMax; mult++) {
      const vcoMHz = pfdMHz * mult;
      if (vcoMHz < L.vcoMinMHz - SAME_MHZ || vcoMHz > L.vcoMaxMHz + SAME_MHZ) continue;
      // For one VCO the nearest output is at O = floor or ceil of VCO / target, kept within O's range and the BUFG limit.
      const minOutDiv = Math.max(1, Math.ceil(vcoMHz / L.foutMaxMHz - SAME_MHZ));
      const ideal = vcoMHz / targetMHz;
      const tried = new Set<number>();
      for (const raw of [Math.floor(ideal), Math.ceil(ideal)]) {
        const outDiv = Math.min(L.outDivMax, Math.max(minOutDiv, raw));
        if (tried.has(outDiv)) continue;
        tried.add(outDiv);
        const candidate: MmcmSolution = { divclk, mult, outDiv, vcoMHz, foutMHz: vcoMHz / outDiv, pfdMHz };
        if (best === undefined || compareMmcm(candidate, best, targetMHz) < 0) best = candidate;
      }
    }
  }
  if (best === undefined) throw new Error(`no MMCM setting exists for a ${inMHz} MHz input clock`);
  return best;
}

/** Whether `targetMHz` is reachable within `toleranceMHz`, with the nearest MMCM setting either way. */
export function reachableMmcm(inMHz: number, targetMHz: number, toleranceMHz = 0.01): Reachability<MmcmSolution> {
  const nearest = solveMmcm(inMHz, targetMHz);
  return { ok: Math.abs(nearest.foutMHz - targetMHz) <= toleranceMHz + SAME_MHZ, nearest };
}
