// Gowin PLLA solver (GW5A-25, the Tang Primer 25K's part). The PLLA divides differently from the rPLL:
//   PFD = CLKIN / IDIV_SEL, VCO = PFD x FBDIV_SEL x MDIV_SEL, CLKOUT0 = VCO / ODIV0_SEL
// (the divider values themselves, not value - 1: UG306 as LiteX's GW5APLL documents its parameters, and gowin_pack's
// PLLA attributes, which compute the VCO as CLKIN / IDIV x FBDIV x MDIV for the charge pump). The search covers the whole
// integer space, so it is exact and deterministic; fractional MDIV / ODIV0 settings are not used.

/** Two frequencies closer than this (MHz) are the same frequency. */
const SAME_MHZ = 1e-9;

/**
 * GW5A-25 PLLA limits, MHz, and divider ranges.
 * - VCO 800-1600: Apicula's gowin_pll ("GW5A-25 ES", from the GW5A-25 data sheet DS1103) and gowin_pack's permitted
 *   VCO range for GW5A-25A; LiteX's GW5APLL allows up to 2000 ("datasheet values"). The narrower range is taken.
 * - PFD 19-400: Apicula's table gives 19-800, LiteX 10-400; both bounds are taken from the narrower side.
 * - CLKIN 19-800: gowin_pack refuses an FCLKIN above 800 (and the PFD floor rules out less than 19 with IDIV 1).
 * - CLKOUT 6.25-1600: 6.25 = the lowest VCO over the largest ODIV (800 / 128), as Apicula's table has it; 1600 = the
 *   highest VCO over ODIV 1. The PLL's own output range, far above what the fabric runs at.
 * - IDIV_SEL 1-64, MDIV_SEL 2-128, ODIV0_SEL 1-128, FBDIV_SEL 1-64 (UG306, as LiteX's GW5APLL comments them).
 * FBDIV_SEL stays 1: the frequencies depend only on FBDIV x MDIV, and with PFD >= 19 and VCO <= 1600 that product is at
 * most 1600 / 19 < 85, which MDIV alone reaches; so FBDIV > 1 would make no frequency that FBDIV 1 does not.
 */
export const GW5A_PLLA_LIMITS = {
  clkinMinMHz: 19,
  clkinMaxMHz: 800,
  pfdMinMHz: 19,
  pfdMaxMHz: 400,
  vcoMinMHz: 800,
  vcoMaxMHz: 1600,
  foutMinMHz: 6.25,
  foutMaxMHz: 1600,
  idivMax: 64,
  mdivMin: 2,
  mdivMax: 128,
  odivMax: 128,
} as const;

export interface GowinPllaSolution {
  /** IDIV_SEL: the input divider. */
  readonly idiv: number;
  /** FBDIV_SEL: the feedback divider (always 1 here, see GW5A_PLLA_LIMITS). */
  readonly fbdiv: number;
  /** MDIV_SEL: the VCO multiplier. */
  readonly mdiv: number;
  /** ODIV0_SEL: the output divider of CLKOUT0. */
  readonly odiv: number;
  readonly foutMHz: number;
  readonly vcoMHz: number;
  readonly pfdMHz: number;
}

function checkFrequency(what: string, mhz: number): void {
  if (!Number.isFinite(mhz) || mhz <= 0) throw new Error(`${what} must be a positive number of MHz, got ${String(mhz)}`);
}

/**
 * Negative when a is the better candidate. Error first, then the lowest VCO (the rule of the rPLL solver's default,
 * generator/clocking/pll.ts), then the smallest IDIV (the highest PFD), then the smallest ODIV.
 */
function compare(a: GowinPllaSolution, b: GowinPllaSolution, targetMHz: number): number {
  const errA = Math.abs(a.foutMHz - targetMHz);
  const errB = Math.abs(b.foutMHz - targetMHz);
  if (Math.abs(errA - errB) > SAME_MHZ) return errA - errB;
  if (Math.abs(a.vcoMHz - b.vcoMHz) > SAME_MHZ) return a.vcoMHz - b.vcoMHz;
  if (a.idiv !== b.idiv) return a.idiv - b.idiv;
  return a.odiv - b.odiv;
}

/**
 * PLLA settings for `targetMHz` from a `inMHz` clock. Returns the exact frequency when reachable, else the nearest
 * reachable one (check with `reachablePlla`). Throws when the input clock itself is outside the PLLA's range.
 */
export function solvePlla(inMHz: number, targetMHz: number): GowinPllaSolution {
  checkFrequency('PLLA input clock', inMHz);
  checkFrequency('PLLA target clock', targetMHz);
  const L = GW5A_PLLA_LIMITS;
  if (inMHz < L.clkinMinMHz || inMHz > L.clkinMaxMHz) {
    throw new Error(`PLLA input clock ${inMHz} MHz is outside ${L.clkinMinMHz}-${L.clkinMaxMHz} MHz`);
  }
  let best: GowinPllaSolution | undefined;
  for (let idiv = 1; idiv <= L.idivMax; idiv++) {
    const pfdMHz = inMHz / idiv;
    if (pfdMHz < L.pfdMinMHz - SAME_MHZ) break; // a larger IDIV only lowers the PFD further
    if (pfdMHz > L.pfdMaxMHz + SAME_MHZ) continue;
    for (let mdiv = L.mdivMin; mdiv <= L.mdivMax; mdiv++) {
      const vcoMHz = pfdMHz * mdiv;
      if (vcoMHz < L.vcoMinMHz - SAME_MHZ) continue;
      if (vcoMHz > L.vcoMaxMHz + SAME_MHZ) break;
      // for one VCO the nearest output is at ODIV = floor or ceil of VCO / target, kept within 1..128
      const ideal = vcoMHz / targetMHz;
      const tried = new Set<number>();
      for (const raw of [Math.floor(ideal), Math.ceil(ideal)]) {
        const odiv = Math.min(L.odivMax, Math.max(1, raw));
        if (tried.has(odiv)) continue;
        tried.add(odiv);
        const candidate: GowinPllaSolution = { idiv, fbdiv: 1, mdiv, odiv, foutMHz: vcoMHz / odiv, vcoMHz, pfdMHz };
        if (best === undefined || compare(candidate, best, targetMHz) < 0) best = candidate;
      }
    }
  }
  if (best === undefined) throw new Error(`no PLLA setting exists for a ${inMHz} MHz input clock`);
  return best;
}

/** Whether `targetMHz` is reachable within `toleranceMHz`, with the nearest PLLA setting either way. */
export function reachablePlla(inMHz: number, targetMHz: number, toleranceMHz = 0.01): { readonly ok: boolean; readonly nearest: GowinPllaSolution } {
  const nearest = solvePlla(inMHz, targetMHz);
  return { ok: Math.abs(nearest.foutMHz - targetMHz) <= toleranceMHz + SAME_MHZ, nearest };
}
