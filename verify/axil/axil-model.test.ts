// The AXI4-Lite register model (axil-model.ts) against the ATOMiK algebra and the register map's rules.
import { describe, expect, it } from 'vitest';
import { AXI_RESP, AXIL_COMMANDS, statusBit } from '../../generator/protocol/axil-map.js';
import { resolveDesign } from '../../generator/design/design.js';
import { AxilModel, strobeMask } from './axil-model.js';
import { AtomikContext } from '../core/model.js';
import { Prng } from '../core/stimulus.js';

const code = (name: string) => AXIL_COMMANDS.find((c) => c.name === name)!.code;
const design = resolveDesign({ board: 'zynq7020', host: 'axi-lite', banks: 4, width: 40, mode: 'parallel' });

function fresh(): AxilModel {
  const m = new AxilModel(design, 2);
  m.reset();
  return m;
}

function setData(m: AxilModel, v: bigint): void {
  m.write(0x40, Number(v & 0xffffffffn), 0xf);
  m.write(0x44, Number((v >> 32n) & 0xffffffffn), 0xf);
}

function result(m: AxilModel): bigint {
  return BigInt(m.read(0x60).data!) | (BigInt(m.read(0x64).data!) << 32n);
}

describe('the AXI4-Lite register model', () => {
  it('replaces only the strobed bytes and keeps only the bits of the width', () => {
    expect(strobeMask(0b0101)).toBe(0x00ff00ff);
    const m = fresh();
    m.write(0x40, 0xffffffff, 0xf);
    m.write(0x40, 0x12345678, 0b0110);
    expect(m.read(0x40).data).toBe(0xff3456ff);
    m.write(0x44, 0xffffffff, 0xf);
    expect(m.read(0x44).data).toBe(0xff); // 40 bits: 8 in the top word
  });

  it('follows the ATOMiK algebra through the commands', () => {
    const rng = new Prng(9);
    const m = fresh();
    const ctx = new AtomikContext(40);
    for (let i = 0; i < 400; i++) {
      const v = rng.bigint(40);
      const name = rng.pick(['LOAD', 'ACCUM', 'ROLLBACK', 'READ', 'SWAP', 'SWAP_KEEP']);
      setData(m, v);
      expect(m.write(0x10, code(name), 0xf)).toBe(AXI_RESP.okay);
      if (name === 'LOAD') ctx.load(v);
      else if (name === 'ACCUM' || name === 'ROLLBACK') ctx.accum(v);
      else if (name === 'SWAP') expect(result(m)).toBe(ctx.swap(v));
      else if (name === 'SWAP_KEEP') expect(result(m)).toBe(ctx.swap());
      else expect(result(m)).toBe(ctx.read());
      expect(m.state).toBe(ctx.read());
    }
  });

  it('answers SLVERR for holes, read-only registers and unknown commands, with sticky W1C error bits', () => {
    const m = fresh();
    const status = () => m.read(0x14).data!;
    expect(m.read(0x1c).resp).toBe(AXI_RESP.slverr);
    expect(m.write(0x00, 1, 0xf)).toBe(AXI_RESP.slverr);
    expect(m.write(0x10, 0x49, 0xf)).toBe(AXI_RESP.slverr); // INFO: a register here, not a command
    expect(m.write(0x10, 0x52, 0b1110)).toBe(AXI_RESP.okay); // no byte 0: nothing happens
    expect(status() & (1 << statusBit('ERR_ADDR'))).not.toBe(0);
    expect(status() & (1 << statusBit('ERR_CMD'))).not.toBe(0);
    m.write(0x14, 0xffffffff, 0b0001); // byte 0 only: the ERR bits are in byte 1
    expect(status() & (1 << statusBit('ERR_ADDR'))).not.toBe(0);
    m.write(0x14, 1 << statusBit('ERR_CMD'), 0xf);
    expect(status() & (1 << statusBit('ERR_CMD'))).toBe(0);
    expect(status() & (1 << statusBit('ERR_ADDR'))).not.toBe(0);
  });

  it('spreads ACCUMs over the lanes and latches the delta counter on a CYCLE_LO read', () => {
    const m = fresh();
    setData(m, 1n);
    m.write(0x18, 3, 0xf);
    m.write(0x10, code('ACCUM'), 0xf);
    expect(m.read(0x18).data).toBe(0); // 4 lanes: 3 -> 0
    m.write(0x18, 9, 0xf);
    expect(m.read(0x18).data).toBe(1); // LANE is 2 bits wide: 9 -> 1
    expect(m.read(0x20).data).toBeNull();
    m.write(0x10, code('ACCUM'), 0xf);
    expect(m.read(0x28).data).toBe(1); // still the latched count
    m.read(0x20);
    expect(m.read(0x28).data).toBe(2);
  });
});
