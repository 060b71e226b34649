import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BOARDS } from '../../boards/index.js';
import { AtomikError } from '../common/errors.js';
import { packageRoot } from '../common/version.js';
import { clockRangesText, clockSourceOf, designDigest, LIMITS, resolveDesign } from './design.js';

function errorOf(input: unknown): AtomikError {
  try {
    resolveDesign(input);
  } catch (err) {
    if (err instanceof AtomikError) return err;
    throw err;
  }
  throw new Error('expected the design to be refused');
}

describe('design validation', () => {
  it('fills in the defaults', () => {
    expect(resolveDesign({})).toEqual({
      name: 'atomik', board: 'tang9k', banks: 16, width: 64, mode: 'round-robin', arch: 'reduce', clockMHz: 81, pipeline: 0, host: 'uart', bench: false, resetButton: 'S1',
      baud: 115200, frameTimeoutMs: 50,
    });
  });

  it.each([
    [{ banks: 0 }, '--banks', /banks must be a whole number from 1/],
    [{ banks: -3 }, '--banks', /got -3/],
    [{ banks: 1.5 }, '--banks', /got 1\.5/],
    [{ banks: 'abc' }, '--banks', /got "abc"/],
    [{ width: 0 }, '--width', /width must be a whole number from 1 to 256, got 0/],
    [{ width: 257 }, '--width', /got 257/],
    [{ mode: 'serial' }, '--mode', /mode must be one of round-robin, parallel/],
    [{ host: 'pcie' }, '--host', /host must be one of uart, none, axi-lite/],
    [{ board: 'tang9k', host: 'axi-lite' }, '--host', /host axi-lite needs a Zynq board/],
    [{ board: 'zynq7020', host: 'axi-lite', bench: true }, '--bench', /a bench top needs the UART host/],
    [{ pipeline: -1 }, '--pipeline', /pipeline must be "auto" or a whole number/],
    [{ name: '9lives' }, '--name', /Verilog identifier/],
    [{ clockMHz: 0 }, '--clock-mhz', /clockMHz must be a number from 3\.125 to 600 MHz on the tang9k .*got 0$/],
    [{ baud: 0 }, '--baud', /baud must be a whole number from 300/],
    [{ baud: 6_000_000 }, '--baud', /baud 6000000 is more than the Sipeed Tang Nano 9K's host link carries \(3000000\)/],
    [{ clockMHz: 27, baud: 2_000_000 }, '--baud', /^2000000 baud is 3\.70 % off at 27 MHz \(14 cycles per bit\); the limit is 2 %$/],
    [{ clockMHz: 3.375, baud: 1_000_000 }, '--baud', /needs at least 4 core clock cycles per bit; 3\.375 MHz gives 3\.38/],
    [{ frameTimeoutMs: 0 }, '--frame-timeout-ms', /frameTimeoutMs must be a whole number from 1 to 1000, got 0/],
    [{ board: 'zynq7020', host: 'axi-lite', baud: 921600 }, '--baud', /baud is a setting of the UART host; this design's host is axi-lite/],
    [{ host: 'none', frameTimeoutMs: 20 }, '--frame-timeout-ms', /frameTimeoutMs is a setting of the UART host/],
  ])('refuses %j at %s', (input, where, message) => {
    const err = errorOf(input);
    expect(err.where).toBe(where);
    expect(err.message).toMatch(message);
  });

  it('takes a line rate the core clock divides within 2 %, and keeps no UART settings without a UART', () => {
    expect(resolveDesign({ baud: 3_000_000 })).toMatchObject({ clockMHz: 81, baud: 3_000_000, frameTimeoutMs: 50 });
    expect(resolveDesign({ clockMHz: 27, baud: 921_600, frameTimeoutMs: 5 })).toMatchObject({ baud: 921_600, frameTimeoutMs: 5 });
    expect(resolveDesign({ board: 'zynq7020', host: 'axi-lite' })).toMatchObject({ baud: 0, frameTimeoutMs: 0 });
    expect(resolveDesign({ host: 'none' })).toMatchObject({ baud: 0, frameTimeoutMs: 0 });
  });

  it('names the known boards for an unknown one', () => {
    const err = errorOf({ board: 'nope' });
    expect(err.message).toBe('unknown board "nope"');
    expect(err.hint).toMatch(/tang9k.*zynq7020/);
  });

  it('says the nearest reachable clock when the PLL cannot make the one asked for', () => {
    const err = errorOf({ board: 'tang9k', clockMHz: 100 }); // inside the rPLL range, off its grid from 27 MHz
    expect(err.message).toMatch(/not reachable.*nearest reachable: \d+(\.\d+)? MHz/);
    expect(err.hint).toMatch(/--clock-mhz \d/);
    expect(resolveDesign({ board: 'tang9k', clockMHz: 94.5 }).clockMHz).toBe(94.5);
  });

  it('refuses a design that clearly cannot fit, with the estimate and the capacity', () => {
    const err = errorOf({ board: 'tang9k', banks: 100000 });
    expect(err.message).toMatch(/banks must be a whole number/); // beyond the documented range
    const big = errorOf({ board: 'tang9k', banks: 128, arch: 'banked' });
    expect(big.message).toMatch(/does not fit the GW1NR-LV9QN88PC6\/I5.*at least \d+ flip-flops, the part has 6480/);
    expect(() => resolveDesign({ board: 'tang9k', banks: 64, arch: 'banked' })).not.toThrow(); // a lower bound: it passes
    // reduce keeps one accumulator in round-robin mode: any bank count fits; parallel lanes still cost their tree
    expect(() => resolveDesign({ board: 'tang9k', banks: 4096 })).not.toThrow();
  });

  it('takes host axi-lite on the Zynq, its clock as the AXI clock (no PLL check), and names the Zynq boards otherwise', () => {
    const d = resolveDesign({ board: 'zynq7020', host: 'axi-lite', clockMHz: 142.857 });
    expect(d.host).toBe('axi-lite');
    expect(d.clockMHz).toBe(142.857);
    expect(resolveDesign({ board: 'zynq7020', host: 'axi-lite' }).clockMHz).toBe(200);
    const err = errorOf({ host: 'axi-lite' });
    expect(err.hint).toBe('use --board zynq7020, or --host uart');
  });

  it('refuses more pipeline stages than the tree has levels', () => {
    expect(errorOf({ banks: 4, pipeline: 3, arch: 'banked' }).message).toMatch(/more stages than the 2-level XOR tree of 4 bank\(s\)/);
    // reduce over several lanes: the input stage takes one of the tree's levels
    expect(errorOf({ banks: 4, mode: 'parallel', arch: 'reduce', pipeline: 2 }).hint).toMatch(/0\.\.1/);
    expect(resolveDesign({ banks: 4, mode: 'parallel', arch: 'reduce', pipeline: 1 }).pipeline).toBe(1);
    expect(errorOf({ arch: 'wide' }).message).toMatch(/arch must be one of banked, reduce/);
  });

  it('refuses unknown fields and unknown buttons', () => {
    expect(errorOf({ bankz: 4 }).message).toBe('unknown design field "bankz"');
    expect(errorOf({ boardOptions: { resetButton: 'S9' } }).hint).toMatch(/S1/);
  });

  it('gives equal designs equal digests, whatever the spelling', () => {
    const a = resolveDesign({ banks: 16, pipeline: 'auto', arch: 'banked' });
    const b = resolveDesign({ pipeline: 1, banks: 16, board: 'tang9k', arch: 'banked' });
    expect(designDigest(a)).toBe(designDigest(b));
    expect(designDigest(a)).not.toBe(designDigest(resolveDesign({ banks: 17 })));
  });

  // Every lookup of a name the user gives is by own key: "constructor", "toString" and "__proto__" are inherited by
  // every object, so an `in` check or a plain index would take them as a button, a board or a mode.
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'])('refuses the inherited name %j as a button, board, mode, host and arch', (name) => {
    const button = errorOf({ boardOptions: { resetButton: name } });
    expect(button.message).toBe(`board tang9k has no button "${name}"`);
    expect(button.hint).toBe('buttons: S1, S2');
    expect(errorOf({ board: name }).message).toBe(`unknown board "${name}"`);
    expect(errorOf({ mode: name }).message).toMatch(/mode must be one of round-robin, parallel/);
    expect(errorOf({ host: name }).message).toMatch(/host must be one of uart, none, axi-lite/);
    expect(errorOf({ arch: name }).message).toMatch(/arch must be one of banked, reduce/);
    expect(errorOf({ board: 'zynq7020', boardOptions: { resetButton: name } }).hint).toBe('buttons: BTN0, BTN1, BTN2, BTN3');
  });

  it('refuses the reserved keys as own keys of an input object (as JSON.parse makes them), at any depth', () => {
    for (const [json, message] of [
      ['{"__proto__": {"banks": 4}}', 'unknown design field "__proto__"'],
      ['{"constructor": 1}', 'unknown design field "constructor"'],
      ['{"boardOptions": {"__proto__": {"resetButton": "S2"}}}', 'unknown board option "__proto__"'],
      ['{"tools": {"__proto__": {"yosys": "/evil"}}}', 'unknown tool "__proto__"'],
      ['{"tools": {"prototype": "x"}}', 'unknown tool "prototype"'],
    ] as const) {
      const err = errorOf(JSON.parse(json));
      expect(err.message, json).toBe(message);
    }
    expect(errorOf({ boardOptions: { bogus: 1 } }).message).toBe('unknown board option "bogus"');
    expect(errorOf({ boardOptions: { bogus: 1 } }).hint).toBe('board options: resetButton');
    expect(errorOf({ boardOptions: 'S1' }).message).toMatch(/boardOptions must be an object/);
    expect(errorOf({ boardOptions: { resetButton: 3 } }).message).toBe('resetButton must be a button name (a string), got 3');
    expect(errorOf({ tools: { yosys: 3 } }).message).toBe('a tool path must be a string, got 3');
  });

  describe('clock range per clock source', () => {
    it('takes the clock source from the host and the board', () => {
      const tang9k = BOARDS.find((b) => b.id === 'tang9k')!;
      const zynq = BOARDS.find((b) => b.id === 'zynq7020')!;
      expect(clockSourceOf(tang9k, 'uart')).toBe('gowin-rpll');
      expect(clockSourceOf(zynq, 'none')).toBe('xilinx-mmcme2');
      expect(clockSourceOf(zynq, 'axi-lite')).toBe('zynq-fclk');
      expect(LIMITS.clockMHz['xilinx-mmcme2'].min).toBe(4.6875); // VCO 600 / CLKOUT0_DIVIDE 128
    });

    it.each([
      [{ host: 'axi-lite', clockMHz: 99999 }, /from 0\.2 to 250 MHz with host axi-lite \(the FCLK range .*\), got 99999$/],
      [{ host: 'axi-lite', clockMHz: 0.0001 }, /from 0\.2 to 250 MHz .*got 0\.0001$/],
      [{ host: 'axi-lite', clockMHz: 0 }, /got 0$/],
      [{ host: 'axi-lite', clockMHz: -5 }, /got -5$/],
      [{ host: 'axi-lite', clockMHz: 250.001 }, /got 250\.001$/],
      [{ host: 'axi-lite', clockMHz: Number.POSITIVE_INFINITY }, /got Infinity$/],
      [{ host: 'axi-lite', clockMHz: Number.NaN }, /got NaN$/],
      [{ host: 'axi-lite', clockMHz: '100' }, /got "100"$/],
      [{ host: 'uart', clockMHz: 465 }, /from 4\.6875 to 464 MHz on the zynq7020 \(the MMCME2_BASE output range.*\), got 465$/],
      [{ host: 'none', clockMHz: 4 }, /from 4\.6875 to 464 MHz on the zynq7020/],
    ])('refuses %j on the zynq7020 with the allowed range', (input, message) => {
      const err = errorOf({ board: 'zynq7020', ...input });
      expect(err.where).toBe('--clock-mhz');
      expect(err.message).toMatch(message);
      expect(err.hint).toBe('leave it out for the default, 200 MHz');
    });

    it('refuses a tang9k clock outside the rPLL range, and names the nearest one inside it', () => {
      expect(errorOf({ clockMHz: 601 }).message).toMatch(/from 3\.125 to 600 MHz on the tang9k \(the rPLL output range\), got 601$/);
      expect(errorOf({ clockMHz: 0.0001 }).message).toMatch(/got 0\.0001$/);
      expect(errorOf({ clockMHz: 3.2 }).message).toMatch(/not reachable .*nearest reachable: 3\.375 MHz/);
    });

    it('takes both ends of the FCLK range and keeps the clock to the kHz', () => {
      expect(resolveDesign({ board: 'zynq7020', host: 'axi-lite', clockMHz: 0.2 }).clockMHz).toBe(0.2);
      expect(resolveDesign({ board: 'zynq7020', host: 'axi-lite', clockMHz: 250 }).clockMHz).toBe(250);
      expect(resolveDesign({ board: 'zynq7020', host: 'axi-lite', clockMHz: 100.0004 }).clockMHz).toBe(100);
    });

    it('every board default clock lies inside its own range', () => {
      for (const b of BOARDS) {
        const r = LIMITS.clockMHz[b.pll.kind];
        expect(b.pll.defaultMHz).toBeGreaterThanOrEqual(r.min);
        expect(b.pll.defaultMHz).toBeLessThanOrEqual(r.max);
      }
    });

    it('the README design-fields table states the ranges as LIMITS holds them', () => {
      const readme = readFileSync(join(packageRoot(), 'README.md'), 'utf8');
      const row = readme.split('\n').find((l) => l.startsWith('| `clockMHz` |'));
      expect(row).toContain(clockRangesText());
    });
  });
});
