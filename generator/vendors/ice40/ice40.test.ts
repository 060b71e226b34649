// The iCE40 flow: its plan for the iCEBreaker, and its parsers on results captured from a real run
// (generator/vendors/fixtures/icebreaker-b16-w64.*: atomik-gen 0.1.0, the default design at 30 MHz, YoWASP Yosys 0.70
// and nextpnr-ice40 0.11.1; the report's long clock-to-clock critical path is left out of the fixture, the rest is as
// written).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { icebreaker } from '../../../boards/icebreaker.js';
import { resolveDesign } from '../../design/design.js';
import { buildPlan } from '../../plan/plan.js';
import { FLOWS, flowOf } from '../index.js';
import { ice40Open, parseIce40Report, yosysIce40Device } from './index.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8'));

describe('the ice40-open flow', () => {
  it('is the iCEBreaker\'s flow', () => {
    expect(FLOWS['ice40-open']).toBe(ice40Open);
    expect(flowOf(icebreaker)).toBe(ice40Open);
  });

  const plan = buildPlan(resolveDesign({ board: 'icebreaker' }), 'out/ice40-test/icebreaker');

  it('plans synth_ice40, nextpnr-ice40 with the device, package, PCF and clock, and icepack', () => {
    const script = plan.files.find((f) => f.path === 'scripts/synth.ys')!.content;
    expect(script).toContain('synth_ice40 -device u -top atomik_top -json build/atomik_top.json');
    expect(script).toContain('tee -q -o reports/synth.stat.json stat -json');
    const pnr = plan.stages.find((s) => s.name === 'pnr')!;
    expect(pnr.commands[0]!.tool).toBe('nextpnr-ice40');
    expect(pnr.commands[0]!.args).toEqual([
      '--up5k', '--package', 'sg48', '--pcf', 'constraints/icebreaker.pcf', '--json', 'build/atomik_top.json',
      '--asc', 'build/atomik_top.asc', '--report', 'reports/pnr.report.json', '--freq', '30', '--seed', '1',
      '--timing-allow-fail',
    ]);
    const bit = plan.stages.find((s) => s.name === 'bitstream')!;
    expect(bit.commands).toEqual([{ tool: 'icepack', args: ['build/atomik_top.asc', 'build/atomik_top.bin'] }]);
    expect(bit.result).toEqual({ kind: 'bitstream', path: 'build/atomik_top.bin' });
  });

  it('names another seed\'s files apart', () => {
    const seeded = buildPlan(resolveDesign({ board: 'icebreaker' }), 'out/ice40-test/seed', { seed: 3, targetMHz: 40 });
    const pnr = seeded.stages.find((s) => s.name === 'pnr')!;
    expect(pnr.outputs).toEqual(['build/atomik_top.seed3.asc', 'reports/pnr.seed3.report.json']);
    expect(pnr.commands[0]!.args).toEqual(expect.arrayContaining(['--freq', '40', '--seed', '3']));
  });

  it('writes a PCF with every port, the pull-ups as -pullup yes', () => {
    const pcf = plan.files.find((f) => f.role === 'constraints')!;
    expect(pcf.path).toBe('constraints/icebreaker.pcf');
    const lines = pcf.content.split('\n').filter((l) => l.startsWith('set_io'));
    expect(lines).toEqual([
      'set_io -nowarn clk_12m 35',
      'set_io -nowarn -pullup yes rst_btn 10',
      'set_io -nowarn -pullup yes uart_rx 6',
      'set_io -nowarn uart_tx 9',
      'set_io -nowarn led[0] 11',
      'set_io -nowarn led[1] 37',
    ]);
  });

  it('instantiates SB_PLL40_PAD on the oscillator pin with the solved dividers, and lints with its stand-in', () => {
    const top = plan.files.find((f) => f.path === 'rtl/atomik_top.v')!.content;
    expect(top).toMatch(/SB_PLL40_PAD #\(/);
    expect(top).toContain(".DIVF(7'd79)");
    expect(top).toContain(".DIVQ(3'd5)");
    expect(top).toContain('.PACKAGEPIN(clk_12m)');
    expect(plan.files.some((f) => f.path === 'stubs/ice40_sb_pll40_pad.v')).toBe(true);
  });

  it('refuses a board pin with a pull-down, which iCE40 IO lacks', () => {
    const bad = { ...icebreaker, uart: { ...icebreaker.uart, rx: { ...icebreaker.uart.rx, pull: 'down' as const } } };
    expect(() =>
      ice40Open.plan({ board: bad, top: 't', rtlFiles: [], constraints: 'c.pcf', blockDesign: false, header: [], params: { seed: 1, targetMHz: 30 } }),
    ).toThrow(/pull-down/);
  });

  it('maps nextpnr device options to synth_ice40 -device', () => {
    expect(['up5k', 'u4k', 'hx8k', 'hx1k', 'lp1k', 'lp384'].map(yosysIce40Device)).toEqual(['u', 'u', 'hx', 'hx', 'lp', 'lp']);
    expect(() => yosysIce40Device('lfe5u')).toThrow(/unknown iCE40 device/);
  });
});

describe('parseIce40Report', () => {
  const { resources, clocks } = parseIce40Report(fixture('icebreaker-b16-w64.pnr.report.json'));

  it('reads the routed Fmax of each clock against its constraint', () => {
    expect(clocks).toEqual([{ clock: 'clk', constraintMHz: 30, fmaxMHz: 46.68, met: true }]);
  });

  it('reads logic cells as LUT, and the block RAM, IO, global buffers and PLL', () => {
    expect(resources.find((r) => r.resource === 'LUT')).toEqual({ resource: 'LUT', used: 1258, available: 5280, percent: 23.8 });
    expect(resources.find((r) => r.resource === 'BRAM')).toEqual({ resource: 'BRAM', used: 1, available: 30, percent: 3.3 });
    expect(resources.find((r) => r.resource === 'IO')).toMatchObject({ used: 6, available: 39 });
    expect(resources.find((r) => r.resource === 'PLL')).toMatchObject({ used: 1, available: 1 });
    expect(resources.find((r) => r.resource === 'DSP')).toMatchObject({ used: 0, available: 8 });
    // the report has no flip-flop count: none is made up
    expect(resources.find((r) => r.resource === 'FF')).toBeUndefined();
  });

  it('says where the figures come from', () => {
    const impl = ice40Open.implementation(fixture('icebreaker-b16-w64.pnr.report.json'), icebreaker, 30);
    expect(impl.fmaxSource).toMatchObject({ tool: 'nextpnr-ice40', stage: 'pnr', kind: 'estimate' });
    expect(impl.resourceSource.note).toMatch(/logic cells/);
  });

  it('refuses something that is not an iCE40 report', () => {
    expect(() => parseIce40Report({ critical_paths: [] })).toThrow(/not a nextpnr --report/);
    expect(() => parseIce40Report(fixture('tang9k-b16-w64.pnr.report.json'))).toThrow(/not a report of this nextpnr architecture \(no ICESTORM_LC utilization\)/);
    expect(() => ice40Open.implementation(null, icebreaker, 30)).toThrow(/not a nextpnr --report/);
  });
});

describe('the iCE40 Yosys cell groups', () => {
  const { resources } = ice40Open.synthesis(fixture('icebreaker-b16-w64.synth.stat.json'), 'atomik_top', icebreaker);
  const r = (name: string) => resources.find((x) => x.resource === name)!;

  it('count SB_LUT4, every SB_DFF* kind, SB_CARRY, SB_RAM40_4K and the PLL', () => {
    expect(r('LUT')).toEqual({ resource: 'LUT', used: 870, available: 5280, percent: 16.5 });
    expect(r('FF').used).toBe(150 + 252 + 147 + 16 + 451 + 16);
    expect(r('FF').available).toBe(5280);
    expect(r('CARRY').used).toBe(183);
    expect(r('BRAM')).toMatchObject({ used: 1, available: 30 });
    expect(r('DSP')).toMatchObject({ used: 0, available: 8 });
    expect(r('PLL').used).toBe(1);
  });

  it('names a missing top module', () => {
    expect(() => ice40Open.synthesis({ modules: {} }, 'atomik_top', icebreaker)).toThrow(/no module atomik_top/);
  });
});
