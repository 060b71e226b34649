// The Gowin flow across its families: the synthesis options and dual-purpose pin releases each board gets in its
// planned commands, and the result parsers on results captured from real runs (generator/vendors/fixtures/
// tangprimer25k-b4-w32.* and tangnano4k-b4-w32.*: 4 banks x 32 bits at the boards' default clocks, written by
// atomik-gen 0.1.0 with YoWASP Yosys 0.70, nextpnr-himbaechel 0.11.1 and Apycula 0.32).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tang9k } from '../../../boards/tang9k.js';
import { tangnano20k } from '../../../boards/tangnano20k.js';
import { tangnano4k } from '../../../boards/tangnano4k.js';
import { tangprimer20k } from '../../../boards/tangprimer20k.js';
import { tangprimer25k } from '../../../boards/tangprimer25k.js';
import type { BoardId } from '../../../boards/index.js';
import type { Board } from '../../../boards/types.js';
import { resolveDesign } from '../../design/design.js';
import { buildPlan } from '../../plan/plan.js';
import { FLOWS } from '../index.js';
import { configPinGroups, parseNextpnrReport, synthOptions } from './index.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', name), 'utf8'));
const flow = FLOWS['gowin-open'];

function planned(board: Board) {
  const plan = buildPlan(resolveDesign({ board: board.id as BoardId, banks: 4, width: 32 }), `out/gowin-test/${board.id}`);
  const args = (stage: string) => plan.stages.find((s) => s.name === stage)!.commands[0]!.args;
  const script = plan.files.find((f) => f.path === 'scripts/synth.ys')!.content;
  return { pnr: args('pnr'), pack: args('bitstream'), script };
}

describe('synth_gowin options per chip database family', () => {
  it.each([
    // LUT4s only everywhere (no wide-LUT mux trees: they took the merge tree's XORs)
    ['GW1N-9C', ['-family', 'gw1n', '-nowidelut']],
    ['GW2A-18C', ['-family', 'gw2a', '-nowidelut']],
    ['GW2A-18', ['-family', 'gw2a', '-nowidelut']],
    // no distributed RAM in these databases: memories go to block RAM or flip-flops
    ['GW1NS-4', ['-family', 'gw1n', '-nowidelut', '-nolutram']],
    ['GW5A-25A', ['-family', 'gw5a', '-nowidelut', '-nolutram']],
  ])('%s: %j', (family, options) => {
    expect(synthOptions(family)).toEqual(options);
  });

  it('writes them into each board\'s synthesis script', () => {
    expect(planned(tang9k).script).toContain('synth_gowin -family gw1n -nowidelut -top atomik_top');
    expect(planned(tangnano20k).script).toContain('synth_gowin -family gw2a -nowidelut -top atomik_top');
    expect(planned(tangprimer25k).script).toContain('synth_gowin -family gw5a -nowidelut -nolutram -top atomik_top');
    expect(planned(tangnano4k).script).toContain('synth_gowin -family gw1n -nowidelut -nolutram -top atomik_top');
  });
});

describe('dual-purpose configuration pins', () => {
  it.each([
    [tang9k, []],
    [tangnano20k, []],
    [tangnano4k, []],
    // LEDs on READY (A13) and DONE (C13), BTN0 on SSPI SI (T10)
    [tangprimer20k, ['sspi', 'ready', 'done']],
    // the GW5A-25 always releases SSPI; E2 (the clock) is SSPI_WPN and CPU D07; the LEDs are on READY and DONE
    [tangprimer25k, ['sspi', 'ready', 'done', 'cpu']],
  ] as const)('%s releases %j', (board, groups) => {
    expect(configPinGroups(board)).toEqual(groups);
  });

  it('tells nextpnr the SSPI / I2C releases and gowin_pack every release, so the two agree', () => {
    const p20 = planned(tangprimer20k);
    expect(p20.pnr.join(' ')).toContain('--vopt sspi_as_gpio');
    expect(p20.pack).toEqual(['-d', 'GW2A-18', '--sspi_as_gpio', '--ready_as_gpio', '--done_as_gpio', '-o', 'build/atomik_top.fs', 'build/atomik_top.pnr.json']);
    const p25 = planned(tangprimer25k);
    expect(p25.pnr.filter((a) => a.endsWith('_as_gpio'))).toEqual(['sspi_as_gpio']);
    expect(p25.pack.filter((a) => a.endsWith('_as_gpio'))).toEqual(['--sspi_as_gpio', '--ready_as_gpio', '--done_as_gpio', '--cpu_as_gpio']);
  });

  it('leaves the Tang Nano 9K\'s commands as they were', () => {
    const p = planned(tang9k);
    expect(p.pnr.some((a) => a.endsWith('_as_gpio'))).toBe(false);
    expect(p.pack).toEqual(['-d', 'GW1N-9C', '-o', 'build/atomik_top.fs', 'build/atomik_top.pnr.json']);
  });

  it('passes each board\'s part and chip database family', () => {
    for (const b of [tangnano20k, tangprimer20k, tangprimer25k, tangnano4k]) {
      const p = planned(b);
      expect(p.pnr.slice(0, 4)).toEqual(['--device', b.part, '--vopt', `family=${b.packFamily}`]);
      expect(p.pack.slice(0, 2)).toEqual(['-d', b.packFamily]);
    }
  });
});

describe('parseNextpnrReport across the families', () => {
  it('reads the Tang Primer 25K run: the PLLA, the GW5A multipliers as DSP, the capacity of the board file', () => {
    const { resources, clocks } = parseNextpnrReport(fixture('tangprimer25k-b4-w32.pnr.report.json'));
    expect(clocks).toEqual([{ clock: 'clk', constraintMHz: 100, fmaxMHz: 269.54, met: true }]);
    const by = (name: string) => resources.find((r) => r.resource === name);
    expect(by('PLL')).toMatchObject({ used: 1, available: 6 });
    expect(by('LUTRAM')).toBeUndefined();
    const avail = (name: string) => by(name)?.available;
    expect({ luts: avail('LUT'), flipFlops: avail('FF'), bram: avail('BRAM'), dsp: avail('DSP') }).toEqual(tangprimer25k.capacity);
  });

  it('reads the Tang Nano 4K run: the PLLVR, and the capacity of the board file', () => {
    const { resources, clocks } = parseNextpnrReport(fixture('tangnano4k-b4-w32.pnr.report.json'));
    expect(clocks).toEqual([{ clock: 'clk', constraintMHz: 81, fmaxMHz: 215.29, met: true }]);
    const by = (name: string) => resources.find((r) => r.resource === name);
    expect(by('PLL')).toMatchObject({ used: 1, available: 2 });
    expect(by('IO')).toMatchObject({ used: 5 });
    const avail = (name: string) => by(name)?.available;
    expect({ luts: avail('LUT'), flipFlops: avail('FF'), bram: avail('BRAM'), dsp: avail('DSP') }).toEqual(tangnano4k.capacity);
  });

  it('counts the GW5A\'s block RAM (DPX9B) and flip-flops from Yosys', () => {
    const { resources } = flow.synthesis(fixture('tangprimer25k-b4-w32.synth.stat.json'), 'atomik_top', tangprimer25k);
    const by = (name: string) => resources.find((r) => r.resource === name);
    expect(by('BRAM')).toMatchObject({ used: 1, available: 56 });
    expect(by('LUTRAM')?.used).toBe(0);
    expect(by('FF')?.used).toBe(148 + 618 + 39);
  });
});
