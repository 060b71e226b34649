// Clocking kinds: how a board's oscillator becomes the core clock. One entry per PLL kind holds everything that differs
// between them: which frequencies are reachable, the solved settings the top template prints, the top template itself
// and the lint stand-ins of its vendor primitives. A board names its kind (`board.pll.kind`); nothing else branches on it.
import type { PllKind } from '../../boards/types.js';
import { reachableEcp5, solveEcp5Pll, type Ecp5PllSolution } from './ecp5-pll.js';
import { reachableIce40, solveIce40Pll, type Ice40PllSolution } from './ice40-pll.js';
import { reachablePlla, solvePlla, type GowinPllaSolution } from './gowin-plla.js';
import {
  GW1NS_PLLVR_LIMITS,
  GW2A_RPLL_LIMITS,
  reachableGowin,
  reachableMmcm,
  solveGowinPll,
  solveMmcm,
  type GowinPllSolution,
  type MmcmSolution,
} from './pll.js';

/** The solved settings of a clock, as the top templates read them (`clock.gowin.*` or `clock.mmcm.*`). */
export interface ClockSettings {
  readonly gowin: GowinPllSolution | undefined;
  readonly mmcm: MmcmSolution | undefined;
  readonly ice40?: Ice40PllSolution | undefined;
  readonly ecp5?: Ecp5PllSolution | undefined;
  /** The GW5A PLLA (`clock.plla.*`). */
  readonly plla?: GowinPllaSolution | undefined;
}

export interface Clocking {
  readonly kind: PllKind;
  /** The nearest core clock the PLL makes from `inMHz` for `targetMHz`, and whether it is the target. */
  reach(inMHz: number, targetMHz: number): { readonly ok: boolean; readonly nearestMHz: number };
  solve(inMHz: number, coreMHz: number): ClockSettings;
  /** The board top's template, under templates/. */
  readonly topTemplate: string;
  /** Lint stand-ins of the vendor primitives the top instantiates, under sim/stubs/. */
  readonly lintStubs: readonly string[];
}

export const CLOCKINGS: Readonly<Record<PllKind, Clocking>> = {
  'gowin-rpll': {
    kind: 'gowin-rpll',
    reach: (inMHz, targetMHz) => {
      const r = reachableGowin(inMHz, targetMHz);
      return { ok: r.ok, nearestMHz: r.nearest.foutMHz };
    },
    solve: (inMHz, coreMHz) => ({ gowin: solveGowinPll(inMHz, coreMHz), mmcm: undefined }),
    topTemplate: 'rtl/top/gowin-rpll.v.hbs',
    lintStubs: ['gowin_rpll.v'],
  },
  // GW2A / GW2AR: the same rPLL primitive and template, with the GW2A's wider PFD / VCO / output ranges
  'gowin-rpll-gw2a': {
    kind: 'gowin-rpll-gw2a',
    reach: (inMHz, targetMHz) => {
      const r = reachableGowin(inMHz, targetMHz, undefined, { limits: GW2A_RPLL_LIMITS });
      return { ok: r.ok, nearestMHz: r.nearest.foutMHz };
    },
    solve: (inMHz, coreMHz) => ({ gowin: solveGowinPll(inMHz, coreMHz, { limits: GW2A_RPLL_LIMITS }), mmcm: undefined }),
    topTemplate: 'rtl/top/gowin-rpll.v.hbs',
    lintStubs: ['gowin_rpll.v'],
  },
  // GW1NS / GW1NSR: the PLLVR, the rPLL's dividers with a regulator enable (VREN), its own VCO range
  'gowin-pllvr': {
    kind: 'gowin-pllvr',
    reach: (inMHz, targetMHz) => {
      const r = reachableGowin(inMHz, targetMHz, undefined, { limits: GW1NS_PLLVR_LIMITS });
      return { ok: r.ok, nearestMHz: r.nearest.foutMHz };
    },
    solve: (inMHz, coreMHz) => ({ gowin: solveGowinPll(inMHz, coreMHz, { limits: GW1NS_PLLVR_LIMITS }), mmcm: undefined }),
    topTemplate: 'rtl/top/gowin-pllvr.v.hbs',
    lintStubs: ['gowin_pllvr.v'],
  },
  // GW5A-25: the PLLA (IDIV x MDIV / ODIV, seven outputs; CLKOUT0 is the core clock)
  'gowin-plla': {
    kind: 'gowin-plla',
    reach: (inMHz, targetMHz) => {
      const r = reachablePlla(inMHz, targetMHz);
      return { ok: r.ok, nearestMHz: r.nearest.foutMHz };
    },
    solve: (inMHz, coreMHz) => ({ gowin: undefined, mmcm: undefined, plla: solvePlla(inMHz, coreMHz) }),
    topTemplate: 'rtl/top/gowin-plla.v.hbs',
    lintStubs: ['gowin_plla.v'],
  },
  'xilinx-mmcme2': {
    kind: 'xilinx-mmcme2',
    reach: (inMHz, targetMHz) => {
      const r = reachableMmcm(inMHz, targetMHz);
      return { ok: r.ok, nearestMHz: r.nearest.foutMHz };
    },
    solve: (inMHz, coreMHz) => ({ gowin: undefined, mmcm: solveMmcm(inMHz, coreMHz) }),
    topTemplate: 'rtl/top/xilinx-mmcme2.v.hbs',
    lintStubs: ['xilinx_mmcme2_base.v', 'xilinx_bufg.v'],
  },
  'ecp5-ehxplll': {
    kind: 'ecp5-ehxplll',
    reach: (inMHz, targetMHz) => {
      const r = reachableEcp5(inMHz, targetMHz);
      return { ok: r.ok, nearestMHz: r.nearest.foutMHz };
    },
    solve: (inMHz, coreMHz) => ({ gowin: undefined, mmcm: undefined, ecp5: solveEcp5Pll(inMHz, coreMHz) }),
    topTemplate: 'rtl/top/ecp5-ehxplll.v.hbs',
    lintStubs: ['ecp5_ehxplll.v'],
  },
  'ice40-sb-pll40-pad': {
    kind: 'ice40-sb-pll40-pad',
    reach: (inMHz, targetMHz) => {
      const r = reachableIce40(inMHz, targetMHz);
      return { ok: r.ok, nearestMHz: r.nearest.foutMHz };
    },
    solve: (inMHz, coreMHz) => ({ gowin: undefined, mmcm: undefined, ice40: solveIce40Pll(inMHz, coreMHz) }),
    topTemplate: 'rtl/top/ice40-sb-pll40-pad.v.hbs',
    lintStubs: ['ice40_sb_pll40_pad.v'],
  },
};

/** The clocking of a PLL kind; own keys only, so a kind such as "constructor" is never an inherited property. */
export function clockingOf(kind: PllKind): Clocking {
  if (!Object.hasOwn(CLOCKINGS, kind)) throw new Error(`unknown clocking kind "${String(kind)}"; known: ${Object.keys(CLOCKINGS).join(', ')}`);
  return CLOCKINGS[kind];
}
