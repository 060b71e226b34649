// What the AXI4-Lite end-to-end check plays: a seeded list of bus transactions (and resets and idle time), each with
// the response and read data the register model (axil-model.ts) predicts, and the BFM script that plays them
// (templates/sim/axil_bfm_harness.cpp.hbs).
//
// A directed block comes first: ID and INFO, every WSTRB pattern on a DATA word, AW before W, W before AW and both
// together, LOAD / ACCUM / READ / ROLLBACK / SWAP / SWAP-KEEP with the published vector, every lane, back-pressure on B
// and R (the read of the live cycle counter is held for many cycles), a second write and a second read presented
// while the first one's response is held back, holes and read-only registers, unknown command codes, the W1C error
// bits, the counter latch, unaligned addresses and a reset in the middle. Random transactions follow, each with
// random channel timing. The list depends only on the design and the seed.
import { AXIL_COMMANDS, AXIL_DEFAULT_ADDR_WIDTH, AXIL_REGISTERS, VALUE_SLOTS, axilWords, valueWord, valueWords, type AxilWord } from '../../generator/protocol/axil-map.js';
import type { Design } from '../../generator/design/design.js';
import { AxilModel, settles } from './axil-model.js';
import { Prng, publishedVectorAt } from '../core/stimulus.js';

export interface AxilTiming {
  /** 0: AWVALID and WVALID together; 1: AWVALID first; 2: WVALID first. */
  readonly order: 0 | 1 | 2;
  /** Orders 1 and 2: the other VALID comes 1 + gap cycles later. */
  readonly gap: number;
  /** Cycles BREADY / RREADY stay low after VALID. */
  readonly stall: number;
  /** Cycles before ARVALID. */
  readonly delay: number;
  /** The next transaction starts together with this one. */
  readonly overlap: boolean;
}

export type AxilItem =
  | { readonly kind: 'reset'; readonly label: string; readonly cycles: number }
  | { readonly kind: 'idle'; readonly label: string; readonly cycles: number }
  | {
      readonly kind: 'write';
      readonly label: string;
      readonly address: number;
      readonly data: number;
      readonly strb: number;
      readonly timing: AxilTiming;
      readonly resp: number;
    }
  | {
      readonly kind: 'read';
      readonly label: string;
      readonly address: number;
      readonly timing: AxilTiming;
      readonly resp: number;
      /** null: the live cycle counter (CYCLE_LO), checked against the read's timing. */
      readonly data: number | null;
    };

export interface AxilStimulus {
  readonly items: readonly AxilItem[];
  readonly script: string;
}

const PLAIN: AxilTiming = { order: 0, gap: 0, stall: 0, delay: 0, overlap: false };
export const RESET_CYCLES = 8;

const hex = (v: number) => (v >>> 0).toString(16);

class Builder {
  readonly items: AxilItem[] = [];
  private idleSinceCommand = Infinity;

  constructor(readonly model: AxilModel, readonly rng: Prng) {}

  word(name: string): AxilWord {
    const w = axilWords(this.model.design.width).find((x) => x.name === name);
    if (!w) throw new Error(`internal: no register ${name}`);
    return w;
  }

  at(name: string): number {
    return this.word(name).offset;
  }

  reset(): void {
    this.items.push({ kind: 'reset', label: 'reset', cycles: RESET_CYCLES });
    this.model.reset();
    this.idleSinceCommand = Infinity;
  }

  idle(cycles: number): void {
    this.items.push({ kind: 'idle', label: `idle ${cycles}`, cycles });
    this.idleSinceCommand += cycles;
  }

  write(label: string, address: number, data: number, strb = 0xf, timing: Partial<AxilTiming> = {}): void {
    const word = this.model.wordAt(address);
    const resp = this.model.write(address, data >>> 0, strb);
    if (word?.name === 'CMD') this.idleSinceCommand = 0;
    this.items.push({ kind: 'write', label, address, data: data >>> 0, strb, timing: { ...PLAIN, ...timing }, resp });
  }

  read(label: string, address: number, timing: Partial<AxilTiming> = {}): void {
    const word = this.model.wordAt(address);
    if (settles(word) && this.idleSinceCommand < this.model.settleCycles) this.idle(this.model.settleCycles);
    const { resp, data } = this.model.read(address);
    this.items.push({ kind: 'read', label, address, timing: { ...PLAIN, ...timing }, resp, data });
  }

  /** DATA = value, word by word. */
  setData(value: bigint, label = 'DATA'): void {
    for (let k = 0; k < valueWords(this.model.design.width); k++) {
      this.write(`${label} word ${k}`, this.at(`DATA${k}`), valueWord(value, k), 0xf, this.randomTiming());
    }
  }

  command(name: string, timing: Partial<AxilTiming> = {}): void {
    const cmd = AXIL_COMMANDS.find((c) => c.name === name);
    if (!cmd) throw new Error(`internal: no command ${name}`);
    this.write(name, this.at('CMD'), cmd.code, 0xf, timing);
  }

  /** RESULT or REF or DATA, every word. */
  readValue(block: 'RESULT' | 'REF' | 'DATA'): void {
    for (let k = 0; k < valueWords(this.model.design.width); k++) this.read(`${block}${k}`, this.at(`${block}${k}`), this.randomTiming());
  }

  randomTiming(): AxilTiming {
    const r = this.rng;
    return {
      order: r.pick([0, 1, 2] as const),
      gap: r.below(4),
      stall: r.below(10) < 7 ? 0 : 1 + r.below(6),
      delay: r.below(3),
      overlap: false,
    };
  }
}

/** Every word of the map's address space that has no register (below 2^addrWidth, word-aligned). */
function holes(width: number, addrWidth: number, rng: Prng, count: number): number[] {
  const mapped = new Set(axilWords(width).map((w) => w.offset));
  const inMap: number[] = [];
  for (let a = 0; a < 256; a += 4) if (!mapped.has(a)) inMap.push(a);
  const out = [...inMap];
  for (let i = 0; i < count; i++) out.push(256 + 4 * rng.below((2 ** addrWidth - 256) / 4));
  out.push(2 ** addrWidth - 4);
  return out;
}

// Long on purpose: the directed transactions are a flat list of cases, read best in one place, in the order they run.
export function axilItems(design: Design, readLatency: number, seed: number, randomCount: number): AxilItem[] {
  const rng = new Prng(seed);
  const model = new AxilModel(design, readLatency);
  const b = new Builder(model, rng);
  const W = design.width;
  const K = valueWords(W);
  const lanes = model.lanes;
  const mask = (1n << BigInt(W)) - 1n;
  const addrWidth = AXIL_DEFAULT_ADDR_WIDTH;

  // ---- identity and the reset state
  b.reset();
  b.read('ID', b.at('ID'));
  for (const w of axilWords(W).filter((x) => x.name.startsWith('INFO'))) b.read(w.name, w.offset);
  b.read('STATUS after reset', b.at('STATUS'));
  b.readValue('REF');
  b.readValue('RESULT');
  b.read('CYCLE_LO after reset', b.at('CYCLE_LO'));
  b.read('DELTA_LO after reset', b.at('DELTA_LO'));

  // ---- WSTRB: every pattern on every DATA word, each over all-ones
  for (let k = 0; k < K; k++) {
    for (let strb = 0; strb < 16; strb++) {
      b.write(`strobe fill DATA${k}`, b.at(`DATA${k}`), 0xffffffff);
      b.write(`strobe ${strb.toString(2).padStart(4, '0')} DATA${k}`, b.at(`DATA${k}`), rng.u32() & 0x5a5a5a5a, strb, b.randomTiming());
      b.read(`strobe read DATA${k}`, b.at(`DATA${k}`));
    }
  }

  // ---- channel order: AW first, W first, together, with gaps
  for (const order of [0, 1, 2] as const) {
    for (const gap of [0, 1, 3, 7]) {
      b.write(`order ${order} gap ${gap}`, b.at('DATA0'), rng.u32(), 0xf, { order, gap });
      b.read(`order read`, b.at('DATA0'), { delay: gap });
    }
  }

  // ---- the commands with the published vector
  const v = publishedVectorAt(W);
  const d = rng.bigint(W) | 1n;
  b.setData(v, 'LOAD value');
  b.command('LOAD');
  b.command('READ');
  b.readValue('RESULT');
  b.readValue('REF');
  b.read('STATUS clean after LOAD', b.at('STATUS'));
  b.setData(d, 'ACCUM delta');
  b.command('ACCUM');
  b.command('READ');
  b.readValue('RESULT');
  b.read('STATUS dirty after ACCUM', b.at('STATUS'));
  b.command('ROLLBACK');
  b.command('READ');
  b.readValue('RESULT');
  b.read('STATUS clean after ROLLBACK', b.at('STATUS'));
  b.setData(mask, 'ACCUM all-ones');
  b.command('ACCUM');
  b.setData(rng.bigint(W), 'SWAP value');
  b.command('SWAP');
  b.readValue('RESULT');
  b.readValue('REF');
  b.setData(d, 'ACCUM delta');
  b.command('ACCUM');
  b.command('SWAP_KEEP');
  b.readValue('RESULT');
  b.readValue('REF');
  b.read('STATUS after SWAP_KEEP', b.at('STATUS'));
  b.command('SWAP_KEEP', { stall: 4 });
  b.command('READ', { order: 2, gap: 2 });
  b.readValue('RESULT');
  for (let i = 0; i < W && i < 64; i += Math.max(1, Math.floor(W / 8))) {
    b.setData(1n << BigInt(i), `ACCUM bit ${i}`);
    b.command('ACCUM');
  }
  b.command('READ');
  b.readValue('RESULT');

  // ---- lanes
  if (lanes > 1) {
    for (let lane = 0; lane < Math.min(lanes, 8); lane++) {
      b.write(`LANE ${lane}`, b.at('LANE'), lane);
      b.setData(rng.bigint(W), `ACCUM lane ${lane}`);
      b.command('ACCUM');
      b.read('LANE after ACCUM', b.at('LANE'));
    }
    b.write('LANE last', b.at('LANE'), lanes - 1);
    b.command('ACCUM');
    b.read('LANE wrapped', b.at('LANE'));
    b.write('LANE out of range', b.at('LANE'), lanes);
    b.read('LANE out of range read', b.at('LANE'));
    b.write('LANE all ones', b.at('LANE'), 0xffffffff);
    b.read('LANE all ones read', b.at('LANE'));
    b.write('LANE byte 1 only', b.at('LANE'), 0xffffffff, 0b0010);
    b.read('LANE byte 1 only read', b.at('LANE'));
  } else {
    b.write('LANE (one lane)', b.at('LANE'), 0xffffffff);
    b.read('LANE (one lane) read', b.at('LANE'));
  }
  b.command('READ');
  b.readValue('RESULT');

  // ---- back-pressure on B and R
  b.write('bstall DATA0', b.at('DATA0'), rng.u32(), 0xf, { stall: 5 });
  b.command('ACCUM', { stall: 7 });
  b.read('rstall CYCLE_LO', b.at('CYCLE_LO'), { stall: 9 });
  b.read('rstall STATUS', b.at('STATUS'), { stall: 3 });
  b.command('READ', { stall: 2 });
  b.read('rstall RESULT0', b.at('RESULT0'), { stall: 6 });

  // ---- a second transaction presented while the first one's response is held back
  b.write('overlap first write', b.at('DATA0'), rng.u32(), 0xf, { stall: 6, overlap: true });
  b.write('overlap second write', b.at('DATA0'), rng.u32(), 0xf, { order: 0 });
  b.read('overlap DATA0', b.at('DATA0'));
  b.write('overlap first write (W first)', b.at('DATA0'), rng.u32(), 0xf, { order: 2, gap: 1, stall: 4, overlap: true });
  b.write('overlap second write (AW first)', b.at(K > 1 ? 'DATA1' : 'DATA0'), rng.u32(), 0xf, { order: 1, gap: 0 });
  b.readValue('DATA');
  b.command('READ', { stall: 3, overlap: true });
  b.write('overlap write after a command', b.at('DATA0'), rng.u32(), 0xf);
  b.readValue('RESULT');
  b.read('overlap first read', b.at('ID'), { stall: 6, overlap: true });
  b.read('overlap second read', b.at('INFO0'));
  b.read('overlap first read', b.at('DATA0'), { stall: 2, delay: 1, overlap: true });
  b.read('overlap second read', b.at('REF0'), { stall: 1, overlap: true });
  b.read('overlap third read', b.at('RESULT0'));

  // ---- holes, read-only registers, unknown commands, the error bits
  for (const a of holes(W, addrWidth, rng, 4)) b.read(`hole read 0x${hex(a)}`, a, b.randomTiming());
  b.read('STATUS with ERR_ADDR', b.at('STATUS'));
  b.write('STATUS W1C byte 0 only (no clear)', b.at('STATUS'), 0xffffffff, 0b0001);
  b.read('STATUS still ERR_ADDR', b.at('STATUS'));
  b.write('STATUS W1C ERR_ADDR', b.at('STATUS'), 0xffffffff, 0b0010);
  b.read('STATUS cleared', b.at('STATUS'));
  for (const r of AXIL_REGISTERS.filter((x) => x.access === 'RO')) {
    const name = r.block ? `${r.name}0` : r.name;
    b.write(`read-only write ${name}`, b.at(name), rng.u32(), 0xf, b.randomTiming());
    b.read(`read-only read ${name}`, b.at(name));
  }
  if (K < VALUE_SLOTS) b.write('hole write DATA slot', b.at('DATA0') + 4 * K, rng.u32());
  b.write('hole write 0x1C', 0x1c, rng.u32());
  b.write('hole write high', 2 ** addrWidth - 4, rng.u32());
  for (const code of [0x00, 0x49, 0x53, 0xff]) b.write(`unknown CMD 0x${hex(code)}`, b.at('CMD'), code);
  b.read('CMD last taken', b.at('CMD'));
  b.write('CMD without byte 0', b.at('CMD'), 0x52, 0b1110);
  b.read('STATUS with both errors', b.at('STATUS'));
  b.write('STATUS W1C both', b.at('STATUS'), 0x300, 0b0010);
  b.read('STATUS errors cleared', b.at('STATUS'));

  // ---- the counter latch: DELTA_* hold what the last CYCLE_LO read latched
  b.read('snapshot CYCLE_LO', b.at('CYCLE_LO'));
  b.read('snapshot DELTA_LO', b.at('DELTA_LO'));
  for (let i = 0; i < 3; i++) {
    b.setData(rng.bigint(W), 'snapshot ACCUM');
    b.command('ACCUM');
  }
  b.read('snapshot DELTA_LO (still latched)', b.at('DELTA_LO'));
  b.read('snapshot DELTA_HI', b.at('DELTA_HI'));
  b.read('snapshot CYCLE_HI', b.at('CYCLE_HI'));
  b.read('snapshot CYCLE_LO again', b.at('CYCLE_LO'));
  b.read('snapshot DELTA_LO (new)', b.at('DELTA_LO'));

  // ---- unaligned addresses: bits 1:0 are ignored
  b.write('unaligned DATA0+2', b.at('DATA0') + 2, rng.u32(), 0b1100);
  b.read('unaligned DATA0+1', b.at('DATA0') + 1);
  b.read('unaligned ID+3', b.at('ID') + 3);

  // ---- reset in the middle
  b.reset();
  b.read('ID after reset', b.at('ID'));
  b.read('STATUS after reset', b.at('STATUS'));
  b.readValue('REF');
  b.readValue('DATA');
  b.read('CYCLE_LO after reset', b.at('CYCLE_LO'));
  b.read('DELTA_LO after reset', b.at('DELTA_LO'));

  // ---- random transactions
  const words = axilWords(W);
  const deltas: bigint[] = [];
  for (let n = 0; n < randomCount; n++) {
    const t = b.randomTiming();
    const roll = rng.below(100);
    if (roll < 22) {
      const k = rng.below(K);
      const strb = rng.below(10) < 7 ? 0xf : rng.below(16);
      b.write(`random DATA${k}`, b.at(`DATA${k}`), rng.u32(), strb, t);
    } else if (roll < 46) {
      const cmd = rng.pick(AXIL_COMMANDS);
      if ((cmd.name === 'ACCUM' || cmd.name === 'ROLLBACK') && deltas.length > 0 && rng.below(3) === 0) {
        // undo an earlier delta: ROLLBACK of the same value
        const delta = rng.pick(deltas);
        b.setData(delta, 'rollback value');
        b.command('ROLLBACK', t);
      } else {
        if (cmd.name === 'ACCUM') deltas.push(model.operand);
        b.command(cmd.name, t);
      }
      if (rng.below(3) === 0) b.readValue('RESULT');
    } else if (roll < 80) {
      const w = rng.pick(words);
      b.read(`random ${w.name}`, w.offset + (rng.below(8) === 0 ? rng.below(4) : 0), t);
    } else if (roll < 84) {
      b.read('random hole', rng.pick(holes(W, addrWidth, rng, 1)), t);
    } else if (roll < 86) {
      b.write('random hole write', rng.pick(holes(W, addrWidth, rng, 1)), rng.u32(), rng.below(16), t);
    } else if (roll < 89) {
      b.write('random STATUS W1C', b.at('STATUS'), rng.u32(), rng.below(16), t);
    } else if (roll < 92) {
      b.write('random LANE', b.at('LANE'), rng.below(10) < 7 ? rng.below(Math.max(1, lanes)) : rng.u32(), rng.below(16), t);
    } else if (roll < 94) {
      b.write('random CMD code', b.at('CMD'), rng.u32(), rng.below(16), t);
    } else if (roll < 98) {
      // a pair: the second presented while the first's response is held back
      const first = rng.pick(words.filter((w) => w.register.name === 'DATA'));
      b.write('random overlap write', first.offset, rng.u32(), 0xf, { ...t, stall: 1 + rng.below(5), overlap: true });
      b.write('random overlap write', first.offset, rng.u32(), rng.below(16), b.randomTiming());
    } else if (roll < 99) {
      b.idle(1 + rng.below(20));
    } else {
      b.reset();
    }
  }
  b.command('READ');
  b.readValue('RESULT');
  b.read('final STATUS', b.at('STATUS'));
  b.read('final CYCLE_LO', b.at('CYCLE_LO'));
  b.read('final DELTA_LO', b.at('DELTA_LO'));
  return b.items;
}

/** The BFM script of a list of items; a transaction's ID is its index in the list. */
export function axilScript(items: readonly AxilItem[]): string {
  const lines = items.map((item, id) => {
    switch (item.kind) {
      case 'reset':
        return `p ${item.cycles}`;
      case 'idle':
        return `i ${item.cycles}`;
      case 'write': {
        const t = item.timing;
        return `w ${id} ${hex(item.address)} ${hex(item.data)} ${hex(item.strb)} ${t.order} ${t.gap} ${t.stall} ${t.overlap ? 1 : 0}`;
      }
      case 'read': {
        const t = item.timing;
        return `r ${id} ${hex(item.address)} ${t.delay} ${t.stall} ${t.overlap ? 1 : 0}`;
      }
    }
  });
  return `${lines.join('\n')}\n`;
}

export function axilStimulus(design: Design, readLatency: number, seed: number, randomCount: number): AxilStimulus {
  const items = axilItems(design, readLatency, seed, randomCount);
  return { items, script: axilScript(items) };
}
