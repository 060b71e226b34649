// Clocking kinds: how a board's oscillator becomes the core clock. One entry per PLL kind holds everything that differs
// between them: which frequencies are reachable, the solved settings the top template prints, the top template itself
// and the lint stand-ins of its vendor primitives. A board names its kind (`board.pll.kind`); nothing else branches on it.
import type { PllKind } from '../../boards/types.js';
import { reachableGowin, reachableMmcm, solveGowinPll, solveMmcm, type GowinPllSolution, type MmcmSolution } from './pll.js';

/** The solved settings of a clock, as the top templates read them (`clock.gowin.*` or `clock.mmcm.*`). */
export interface ClockSettings {
  readonly gowin: GowinPllSolution | undefined;
  readonly mmcm: MmcmSolution | undefined;
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
};

/** The clocking of a PLL kind; own keys only, so a kind such as "constructor" is never an inherited property. */
export function clockingOf(kind: PllKind): Clocking {
  if (!Object.hasOwn(CLOCKINGS, kind)) throw new Error(`unknown clocking kind "${String(kind)}"; known: ${Object.keys(CLOCKINGS).join(', ')}`);
  return CLOCKINGS[kind];
}
