// [real tools] Our EHXPLLL solver against Project Trellis's ecppll (the toolchain's yowasp-ecppll, found as `doctor`
// finds it): for a set of targets from the ULX3S's 25 MHz and the OrangeCrab's 48 MHz, the same CLKI_DIV and CLKFB_DIV,
// so the same achieved frequency, and the same CLKOP_DIV and VCO except where ecppll's single-precision rounding keeps
// a CLKOP_DIV whose VCO is farther from 600 MHz, or as far (see compareEcp5 in ecp5-pll.ts): there ours must be at
// least as near.
// ecppll also truncates CLKOP_CPHASE in single precision, so its phase may be one below ours (floor(CLKOP_DIV / 2)).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBounded } from '../tools/exec.js';
import { findTool } from '../tools/tools.js';
import { solveEcp5Pll } from './ecp5-pll.js';

interface EcppllAnswer {
  readonly clkiDiv: number;
  readonly clkfbDiv: number;
  readonly clkopDiv: number;
  readonly clkopCphase: number;
  readonly foutMHz: number;
  readonly vcoMHz: number;
}

/** ecppll's printed dividers and frequencies, and the CLKOP_CPHASE of the module it writes (-f). */
async function ecppll(inMHz: number, outMHz: number): Promise<EcppllAnswer> {
  const tool = await findTool('ecppll');
  // the WebAssembly build sees the working folder, so the module is written there
  const cwd = mkdtempSync(join(tmpdir(), 'atomik-ecppll-'));
  const r = await runBounded(tool.path, ['-i', String(inMHz), '-o', String(outMHz), '-f', 'pll.v'], { cwd, timeoutMs: 60_000 });
  if (r.exitCode !== 0) throw new Error(`ecppll -i ${inMHz} -o ${outMHz} exited ${String(r.exitCode)}: ${r.all}`);
  const num = (text: string, re: RegExp) => {
    const m = re.exec(text);
    if (!m?.[1]) throw new Error(`ecppll output lacks ${String(re)}:\n${text}`);
    return Number(m[1]);
  };
  const module = readFileSync(join(cwd, 'pll.v'), 'utf8');
  return {
    clkiDiv: num(r.stdout, /^Refclk divisor:\s*(\d+)/m),
    clkfbDiv: num(r.stdout, /^Feedback divisor:\s*(\d+)/m),
    clkopDiv: num(r.stdout, /^clkout0 divisor:\s*(\d+)/m),
    clkopCphase: num(module, /\.CLKOP_CPHASE\((\d+)\)/),
    foutMHz: num(r.stdout, /^clkout0 frequency:\s*([\d.]+) MHz/m),
    vcoMHz: num(r.stdout, /^VCO frequency:\s*([\d.]+)/m),
  };
}

const POINTS = [
  ...[12, 24, 25, 40, 48, 50, 62.5, 65, 75, 80, 100, 108, 120, 125, 133, 150, 175, 200, 250, 400].map((out) => [25, out] as const),
  ...[12, 24, 48, 60, 72, 96, 100, 120, 144, 150, 192, 200, 240].map((out) => [48, out] as const),
];

const divergent: string[] = [];
afterAll(() => {
  if (divergent.length > 0) console.log(`EHXPLLL solver vs ecppll, CLKOP_DIV chosen apart:\n  ${divergent.join('\n  ')}`);
});

describe('[real tools] EHXPLLL solver against ecppll', () => {
  it.concurrent.each(POINTS)('%s MHz in, %s MHz asked', async (inMHz, outMHz) => {
    const theirs = await ecppll(inMHz, outMHz);
    const ours = solveEcp5Pll(inMHz, outMHz);
    expect({ clkiDiv: ours.clkiDiv, clkfbDiv: ours.clkfbDiv }).toEqual({ clkiDiv: theirs.clkiDiv, clkfbDiv: theirs.clkfbDiv });
    // ecppll prints six significant digits (46.875, 95.8333)
    expect(Math.abs(ours.foutMHz - theirs.foutMHz)).toBeLessThanOrEqual(ours.foutMHz * 1e-5);
    if (ours.clkopDiv === theirs.clkopDiv) {
      expect(Math.abs(ours.vcoMHz - theirs.vcoMHz)).toBeLessThanOrEqual(ours.vcoMHz * 1e-5);
      expect(ours.clkopCphase - theirs.clkopCphase).toBeGreaterThanOrEqual(0);
      expect(ours.clkopCphase - theirs.clkopCphase).toBeLessThanOrEqual(1);
    } else {
      // the same output through another CLKOP_DIV: ecppll's rounding noise; ours has the VCO nearer 600 MHz, or as near
      expect(Math.abs(ours.vcoMHz - 600)).toBeLessThanOrEqual(Math.abs(theirs.vcoMHz - 600) + 1e-3);
      divergent.push(`${inMHz} -> ${outMHz} MHz: CLKOP_DIV ${ours.clkopDiv} (VCO ${ours.vcoMHz.toFixed(2)}) against ecppll's ${theirs.clkopDiv} (VCO ${theirs.vcoMHz})`);
    }
  });
});
