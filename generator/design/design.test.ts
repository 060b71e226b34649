import { describe, expect, it } from 'vitest';
import { AtomikError } from '../common/errors.js';
import { designDigest, resolveDesign } from './design.js';

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
    [{ clockMHz: 0 }, '--clock-mhz', /positive number/],
  ])('refuses %j at %s', (input, where, message) => {
    const err = errorOf(input);
    expect(err.where).toBe(where);
    expect(err.message).toMatch(message);
  });

  it('names the known boards for an unknown one', () => {
    const err = errorOf({ board: 'nope' });
    expect(err.message).toBe('unknown board "nope"');
    expect(err.hint).toMatch(/tang9k.*zynq7020/);
  });

  it('says the nearest reachable clock when the PLL cannot make the one asked for', () => {
    const err = errorOf({ board: 'tang9k', clockMHz: 1000 });
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
});
