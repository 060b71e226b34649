// The ECP5 flow: its stages as planned, and its result parsers on results captured from real runs
// (generator/vendors/fixtures/ulx3s-b16-w64.* and orangecrab-b16-w64.*: the boards' default designs, written by
// atomik-gen 0.1.0 with YoWASP Yosys 0.70 and nextpnr-ecp5 0.11.1).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { orangecrab } from '../../../boards/orangecrab.js';
import { ulx3s } from '../../../boards/ulx3s.js';
import { resolveDesign } from '../../design/design.js';
import { buildPlan } from '../../plan/plan.js';
import { FLOWS } from '../index.js';
import { ecp5SpeedGrade, parseNextpnrEcp5Report } from './index.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8'));
const flow = FLOWS['ecp5-open'];

describe('parseNextpnrEcp5Report', () => {
  it('reads the ULX3S (85k) run: TRELLIS_COMB as LUT, TRELLIS_FF as FF, the PLL, the routed Fmax', () => {
    const { resources, clocks } = parseNextpnrEcp5Report(fixture('ulx3s-b16-w64.pnr.report.json'));
    // the net is "$glbnet$clk" in the report: the global-network name of clk
    expect(clocks).toEqual([{ clock: 'clk', constraintMHz: 100, fmaxMHz: 180.96, met: true }]);
    expect(resources.find((r) => r.resource === 'LUT')).toEqual({ resource: 'LUT', used: 971, available: 83640, percent: 1.2 });
    expect(resources.find((r) => r.resource === 'FF')).toEqual({ resource: 'FF', used: 1021, available: 83640, percent: 1.2 });
    expect(resources.find((r) => r.resource === 'PLL')).toMatchObject({ used: 1, available: 4 });
    expect(resources.find((r) => r.resource === 'IO')).toMatchObject({ used: 12, available: 365 });
    expect(resources.find((r) => r.resource === 'BRAM')).toMatchObject({ used: 0, available: 208 });
    expect(resources.find((r) => r.resource === 'DSP')).toMatchObject({ used: 0, available: 156 });
  });

  it('reads the OrangeCrab (25k) run, whose capacity matches the board file', () => {
    const { resources, clocks } = parseNextpnrEcp5Report(fixture('orangecrab-b16-w64.pnr.report.json'));
    expect(clocks).toEqual([{ clock: 'clk', constraintMHz: 120, fmaxMHz: 233.97, met: true }]);
    const avail = (name: string) => resources.find((r) => r.resource === name)?.available;
    expect({ luts: avail('LUT'), flipFlops: avail('FF'), bram: avail('BRAM'), dsp: avail('DSP') }).toEqual(orangecrab.capacity);
    expect(avail('PLL')).toBe(2);
  });

  it('agrees with the ULX3S board file on the 85k capacity', () => {
    const { resources } = parseNextpnrEcp5Report(fixture('ulx3s-b16-w64.pnr.report.json'));
    const avail = (name: string) => resources.find((r) => r.resource === name)?.available;
    expect({ luts: avail('LUT'), flipFlops: avail('FF'), bram: avail('BRAM'), dsp: avail('DSP') }).toEqual(ulx3s.capacity);
  });

  it('refuses something that is not a report', () => {
    expect(() => parseNextpnrEcp5Report({ critical_paths: [] })).toThrow(/not a nextpnr --report/);
    expect(() => flow.implementation(null, ulx3s, 100)).toThrow(/not a nextpnr --report/);
  });
});

describe('ECP5 synthesis counts', () => {
  it('groups Yosys\'s ECP5 cells', () => {
    const { resources, source } = flow.synthesis(fixture('ulx3s-b16-w64.synth.stat.json'), 'atomik_top', ulx3s);
    const by = (name: string) => resources.find((r) => r.resource === name);
    expect(by('LUT')).toEqual({ resource: 'LUT', used: 673, available: 83640, percent: 0.8 });
    expect(by('FF')?.used).toBe(1021);
    expect(by('CARRY')?.used).toBe(106);
    expect(by('LUTRAM')?.used).toBe(6);
    expect(by('BRAM')).toMatchObject({ used: 0, available: 208 });
    expect(by('DSP')).toMatchObject({ used: 0, available: 156 });
    expect(source.tool).toBe('yosys');
  });
});

describe('ECP5 stages', () => {
  it('plans synth_ecp5, nextpnr-ecp5 with the size, package and speed grade, and ecppack', () => {
    const plan = buildPlan(resolveDesign({ board: 'ulx3s', banks: 4, width: 32 }), 'out/ecp5-test/ulx3s');
    const script = plan.files.find((f) => f.path === 'scripts/synth.ys')!.content;
    expect(script).toContain('synth_ecp5 -top atomik_top -json build/atomik_top.json');
    expect(script).toContain('tee -q -o reports/synth.stat.json stat -json');
    const pnr = plan.stages.find((s) => s.name === 'pnr')!;
    expect(pnr.commands[0]?.tool).toBe('nextpnr-ecp5');
    const args = pnr.commands[0]!.args.join(' ');
    expect(args).toContain('--85k --package CABGA381 --speed 6 --lpf constraints/ulx3s.lpf');
    expect(args).toContain('--textcfg build/atomik_top.config --report reports/pnr.report.json --freq 100 --seed 1 --timing-allow-fail');
    const bit = plan.stages.find((s) => s.name === 'bitstream')!;
    expect(bit.commands[0]).toEqual({ tool: 'ecppack', args: ['--compress', '--input', 'build/atomik_top.config', '--bit', 'build/atomik_top.bit'] });
  });

  it('names another seed\'s files, log and stamp apart, follows the target clock, and packs the seed into the one bitstream', () => {
    const plan = buildPlan(resolveDesign({ board: 'orangecrab' }), 'out/ecp5-test/oc', { seed: 3, targetMHz: 150 });
    const pnr = plan.stages.find((s) => s.name === 'pnr')!;
    const args = pnr.commands[0]!.args.join(' ');
    expect(args).toContain('--25k --package CSFBGA285 --speed 8');
    expect(args).toContain('--textcfg build/atomik_top.seed3.config --report reports/pnr.seed3.report.json --freq 150 --seed 3');
    expect(pnr.variant).toBe('seed3');
    const bit = plan.stages.find((s) => s.name === 'bitstream')!;
    expect(bit.variant).toBeUndefined();
    expect(bit.inputs).toEqual(['build/atomik_top.seed3.config']);
    expect(bit.outputs).toEqual(['build/atomik_top.bit']);
  });

  it('writes an LPF with a LOCATE and an IOBUF for every pin', () => {
    const plan = buildPlan(resolveDesign({ board: 'orangecrab' }), 'out/ecp5-test/oc');
    const lpf = plan.files.find((f) => f.role === 'constraints')!;
    expect(lpf.path).toBe('constraints/orangecrab.lpf');
    expect(lpf.content).toContain('LOCATE COMP "clk_48m" SITE "A9";');
    expect(lpf.content).toContain('IOBUF PORT "rst_btn" IO_TYPE=SSTL135_I PULLMODE=NONE;');
    expect(lpf.content).toContain('IOBUF PORT "uart_rx" IO_TYPE=LVCMOS33 PULLMODE=UP;');
    expect(lpf.content).toContain('LOCATE COMP "led[2]" SITE "J3";');
    expect(lpf.content).not.toMatch(/^FREQUENCY/m); // --freq is the timing target
  });

  it('reads the speed grade from the part number', () => {
    expect(ecp5SpeedGrade(ulx3s)).toBe(6);
    expect(ecp5SpeedGrade(orangecrab)).toBe(8);
    expect(() => ecp5SpeedGrade({ part: 'LFE5U-85F' })).toThrow(/speed grade/);
  });
});
