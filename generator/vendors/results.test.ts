// The vendor flows' result parsers, on results captured from real runs (generator/vendors/fixtures/, written by atomik-gen 0.1.0 with YoWASP Yosys 0.70
// and nextpnr-himbaechel 0.11.1).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tang9k } from '../../boards/tang9k.js';
import type { Board } from '../../boards/types.js';
import { zynq7020 } from '../../boards/zynq7020.js';
import { FLOWS } from './index.js';
import { parseNextpnrReport } from './gowin/index.js';

const parseYosysStat = (json: unknown, top: string, board: Board) => FLOWS[board.flow].synthesis(json, top, board).resources;

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8'));

describe('parseNextpnrReport', () => {
  const { resources, clocks } = parseNextpnrReport(fixture('tang9k-b16-w64.pnr.report.json'));

  it('reads the routed Fmax of each clock against its constraint', () => {
    expect(clocks).toEqual([{ clock: 'clk', constraintMHz: 81, fmaxMHz: 97.54, met: true }]);
  });

  it('reads utilization as used / available / percent', () => {
    expect(resources.find((r) => r.resource === 'LUT')).toEqual({ resource: 'LUT', used: 2370, available: 8640, percent: 27.4 });
    expect(resources.find((r) => r.resource === 'FF')).toEqual({ resource: 'FF', used: 2268, available: 6480, percent: 35 });
    expect(resources.find((r) => r.resource === 'PLL')?.used).toBe(1);
  });

  it('refuses something that is not a report', () => {
    expect(() => parseNextpnrReport({ critical_paths: [] })).toThrow(/not a nextpnr --report/);
  });
});

describe('parseYosysStat', () => {
  it('groups Gowin cells', () => {
    const r = parseYosysStat(fixture('tang9k-b16-w64.synth.stat.json'), 'atomik_top', tang9k);
    const lut = r.find((x) => x.resource === 'LUT')!;
    expect(lut.used).toBe(32 + 240 + 1233 + 557);
    expect(lut.available).toBe(8640);
    expect(r.find((x) => x.resource === 'FF')!.used).toBe(124 + 244 + 692 + 1171 + 25 + 12);
    expect(r.find((x) => x.resource === 'LUTRAM')!.used).toBe(6);
  });

  it('groups 7-series cells against the Zynq-7020', () => {
    const r = parseYosysStat(fixture('zynq7020-b16-w64.synth.stat.json'), 'atomik_top', zynq7020);
    const ff = r.find((x) => x.resource === 'FF')!;
    expect(ff.used).toBeGreaterThan(16 * 64);
    expect(ff.available).toBe(106400);
    expect(r.find((x) => x.resource === 'LUT')!.percent).toBeGreaterThan(0);
  });

  it('names a missing top module', () => {
    expect(() => parseYosysStat({ modules: {} }, 'atomik_top', tang9k)).toThrow(/no module atomik_top/);
  });
});

describe('every flow', () => {
  it('refuses a result that is not its tool\'s', () => {
    expect(() => FLOWS['gowin-open'].implementation({ nonsense: 1 }, tang9k, 81)).toThrow(/not a nextpnr --report/);
    expect(() => FLOWS['xilinx-yosys-vivado'].implementation(null, zynq7020, 200)).toThrow(/not a Vivado result/);
  });
});
