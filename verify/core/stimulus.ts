// The seeded stimulus stream for the cross-check: a directed block first (the published vector, all-ones, single bits,
// LOAD and ACCUM in one cycle, the bank-pointer wrap, rollback, both SWAPs, operations while busy, resets), then random
// segments, each with its own mix of operations and data. The stream depends only on the core parameters and the seed,
// never on how it is cut into batches, so any cycle can be reproduced from the seed.
import { CONTROL, laneCountOf, recordLayout, type CoreParams, type RecordLayout } from '../../sim/layout.js';
import { CTRL_OP, encodeInputs, type CoreInputs, type CtrlOp } from './model.js';
import { bigintToWords, insertBits, onesMask, topWordMask } from '../../sim/words.js';

/** The test vector of the published ATOMiK testbenches. */
export const PUBLISHED_VECTOR = 0xf1d3b597795b3d1fn;

/** xoshiro128**: small, fast, good enough for stimulus; all 32-bit integer arithmetic. */
export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    // splitmix32 over both halves of the seed fills the state
    let x = (seed >>> 0) ^ Math.imul(Math.floor(seed / 2 ** 32) | 0, 0x9e3779b9);
    const mix = () => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** 32 random bits as an int32. */
  next(): number {
    const b = this.b;
    const r = Math.imul(b, 5);
    const rot = (r << 7) | (r >>> 25);
    const result = Math.imul(rot, 9);
    const t = b << 9;
    this.c ^= this.a;
    this.d ^= b;
    this.b ^= this.c;
    this.a ^= this.d;
    this.c ^= t;
    this.d = (this.d << 11) | (this.d >>> 21);
    return result;
  }

  /** 32 random bits as an unsigned number. */
  u32(): number {
    return this.next() >>> 0;
  }

  /** A whole number in [0, n). */
  below(n: number): number {
    return Math.floor((this.u32() / 2 ** 32) * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }

  /** A random `width`-bit value. */
  bigint(width: number): bigint {
    let v = 0n;
    for (let bits = 0; bits < width; bits += 32) v = (v << 32n) | BigInt(this.u32());
    return BigInt.asUintN(width, v);
  }
}

/** The published 64-bit vector at any width: cut for narrow words, repeated for wide ones. */
export function publishedVectorAt(width: number): bigint {
  let v = 0n;
  for (let bits = 0; bits < width; bits += 64) v = (v << 64n) | PUBLISHED_VECTOR;
  return BigInt.asUintN(width, v);
}

/** The directed block, as one CoreInputs per cycle. Starts with a reset; every response is drained at the end of a case. */
// Long on purpose: the directed cases are a flat list, read best in one place and in the order they run.
export function directedCycles(params: CoreParams): CoreInputs[] {
  const W = params.width;
  const N = params.banks;
  const L = laneCountOf(params);
  const P = params.pipeline;
  const ones = onesMask(W);
  const V = publishedVectorAt(W);
  const bit = (k: number) => 1n << BigInt(k % W);
  // distinct, mostly nonzero deltas, so a lost or doubled delta shows in the state
  const pattern = (i: number) => BigInt.asUintN(W, (V * BigInt(2 * i + 3)) ^ (ones >> BigInt(i % W)));
  const LOAD = CTRL_OP.load;
  const SWAP = CTRL_OP.swap;
  const KEEP = CTRL_OP.swapKeep;

  const cycles: CoreInputs[] = [];
  const cyc = (c: CoreInputs = {}) => void cycles.push(c);
  const idle = (n: number) => {
    for (let i = 0; i < n; i++) cyc();
  };
  const drain = () => idle(P + 2);
  let turn = 0;
  /** One delta on the next lane in turn (parallel mode spreads single deltas over every lane). */
  const one = (d: bigint): CoreInputs => {
    const lane = turn++ % L;
    return { accEn: Array.from({ length: L }, (_, i) => i === lane), accData: Array.from({ length: L }, (_, i) => (i === lane ? d : 0n)) };
  };
  const every = (f: (lane: number) => bigint): CoreInputs => ({
    accEn: Array.from({ length: L }, () => true),
    accData: Array.from({ length: L }, (_, i) => f(i)),
  });

  // reset, then a read of the cleared state
  cyc({ rst: true });
  cyc({ rst: true });
  cyc({ readEn: true });
  drain();

  // the published vector: load it, XOR it in (state 0), XOR it in again
  cyc({ ctrlOp: LOAD, ctrlValue: V });
  cyc({ readEn: true });
  cyc(one(V));
  cyc({ readEn: true });
  cyc({ ...one(V), readEn: true });
  cyc({ readEn: true });
  drain();

  // all ones
  cyc({ ctrlOp: LOAD, ctrlValue: ones, readEn: true });
  cyc({ ...one(ones), readEn: true });
  cyc({ readEn: true });
  cyc(one(ones));
  cyc(one(ones));
  cyc({ ...one(ones), readEn: true });
  cyc({ readEn: true });
  drain();

  // single bits: each bit in (reading every cycle), then each bit out again: back to the reference, clean
  cyc({ ctrlOp: LOAD, ctrlValue: V });
  for (let k = 0; k < W; k++) cyc({ ...one(bit(k)), readEn: true });
  cyc({ readEn: true });
  for (let k = 0; k < W; k++) cyc({ ...one(bit(k)), readEn: k % 3 === 0 });
  cyc({ readEn: true });
  drain();

  if (L > 1) {
    // every lane in one cycle
    cyc({ ...every((i) => bit(i)), readEn: true });
    cyc({ ...every((i) => pattern(i)), readEn: true });
    cyc({ readEn: true });
    drain();
  }

  // LOAD and ACCUM in the same cycle: the deltas land after the clear and are counted
  cyc({ ctrlOp: LOAD, ctrlValue: V, ...every((i) => ones ^ bit(i)) });
  cyc({ readEn: true });
  cyc({ ctrlOp: LOAD, ctrlValue: 0n, ...one(V), readEn: true });
  cyc({ readEn: true });
  drain();

  // bank-pointer wrap: 2N + 1 distinct deltas reading every cycle, then a LOAD in the middle of a round
  cyc({ ctrlOp: LOAD, ctrlValue: 0n });
  for (let i = 0; i < 2 * N + 1; i++) cyc({ ...one(pattern(i)), readEn: true });
  cyc({ readEn: true });
  const half = Math.floor(N / 2);
  for (let i = 0; i < N + 2; i++) cyc({ ...one(pattern(i + 7)), ...(i === half ? { ctrlOp: LOAD, ctrlValue: V } : {}), readEn: i % 2 === 0 });
  cyc({ readEn: true });
  drain();
  // the same delta N times, then N times more: every bank holds it twice, the merged accumulator is zero
  for (let i = 0; i < 2 * N; i++) cyc({ ...one(V), readEn: i === N - 1 });
  cyc({ readEn: true });
  drain();

  // rollback = accum
  const d1 = pattern(11);
  const d2 = pattern(12);
  cyc({ ctrlOp: LOAD, ctrlValue: V });
  cyc(one(d1));
  cyc(one(d2));
  cyc({ readEn: true });
  cyc(one(d2));
  cyc(one(d1));
  cyc({ readEn: true });
  drain();

  // SWAP with a value; then a SWAP with a same-cycle delta (the delta lands after the swap)
  cyc({ ctrlOp: LOAD, ctrlValue: d1 });
  cyc(one(d2));
  cyc({ ctrlOp: SWAP, ctrlValue: V, readEn: true });
  cyc({ readEn: true });
  cyc({ ctrlOp: SWAP, ctrlValue: d1, ...one(d2) });
  cyc({ readEn: true });
  drain();

  // SWAP-keep with a same-cycle delta, then every operation while busy (ignored) until ready returns
  cyc({ ctrlOp: LOAD, ctrlValue: d1 });
  cyc(one(d2));
  cyc({ ctrlOp: KEEP, ...one(V), readEn: true });
  for (let i = 0; i < P + 2; i++) cyc({ ctrlOp: ((i % 3) + 1) as CtrlOp, ctrlValue: ones, readEn: true, ...every(() => ones) });
  cyc({ readEn: true });
  drain();
  // SWAP-keep held for several rounds: taken again each time ready returns
  for (let i = 0; i < 3 * (P + 2); i++) cyc({ ctrlOp: KEEP, ...one(pattern(i)), readEn: i % 2 === 0 });
  drain();

  // resets: while busy, together with every operation, between a read and its response
  cyc({ ctrlOp: LOAD, ctrlValue: V });
  cyc(one(d1));
  cyc({ ctrlOp: KEEP });
  cyc({ rst: true });
  cyc({ readEn: true });
  drain();
  cyc({ ctrlOp: LOAD, ctrlValue: V });
  cyc({ rst: true, ctrlOp: LOAD, ctrlValue: ones, readEn: true, ...every(() => ones) });
  cyc({ readEn: true });
  drain();
  cyc({ ctrlOp: LOAD, ctrlValue: V });
  cyc({ readEn: true });
  cyc({ rst: true });
  drain();

  // deltas on every lane while reading every cycle
  for (let i = 0; i < 2 * (P + 2); i++) cyc({ ...every((lane) => pattern(i * L + lane)), readEn: true });
  drain();
  return cycles;
}

// ---- random segments ------------------------------------------------------------------------------------------------

const EN_ALL = 0;
const EN_NONE = 1;
const EN_HALF = 2;
const EN_SPARSE = 3;
const EN_DENSE = 4;

interface Segment {
  left: number;
  /** Probabilities as thresholds on a uniform 32-bit number. */
  rst: number;
  ctrl: number;
  loadBelow: number;
  swapBelow: number;
  read: number;
  enMode: number;
  /** Pool of W-bit values (valueWords each); indices are masked with poolMask. */
  pool: Int32Array;
  poolMask: number;
}

const P32 = 2 ** 32;

/** The stimulus stream: call `fill` for the next cycles. */
export class Stimulus {
  readonly layout: RecordLayout;
  readonly seed: number;
  private readonly rng: Prng;
  private readonly directed: Int32Array;
  private readonly directedCount: number;
  private issued = 0;
  private segment: Segment | undefined;
  private readonly K: number;
  private readonly width: number;
  private readonly lanes: number;
  private readonly enTop: number;
  private readonly valueTop: number;

  constructor(params: CoreParams, seed: number) {
    this.layout = recordLayout(params);
    this.seed = seed;
    this.rng = new Prng(seed);
    this.K = this.layout.valueWords;
    this.width = params.width;
    this.lanes = this.layout.lanes;
    this.enTop = topWordMask(this.layout.lanes);
    this.valueTop = topWordMask(params.width);
    const cycles = directedCycles(params);
    this.directedCount = cycles.length;
    const iw = this.layout.input.words;
    this.directed = new Int32Array(cycles.length * iw);
    cycles.forEach((c, i) => encodeInputs(this.layout, c, this.directed, i * iw));
  }

  /** Cycles of the directed block at the start of the stream. */
  get directedLength(): number {
    return this.directedCount;
  }

  /** Cycles produced so far. */
  get position(): number {
    return this.issued;
  }

  /** Writes the next `cycles` input records to `buf[off ..]`. */
  fill(buf: Int32Array, off: number, cycles: number): void {
    const iw = this.layout.input.words;
    for (let c = 0; c < cycles; c++) {
      const at = off + c * iw;
      if (this.issued < this.directedCount) {
        buf.set(this.directed.subarray(this.issued * iw, (this.issued + 1) * iw), at);
      } else {
        this.randomCycle(buf, at);
      }
      this.issued++;
    }
  }

  private newSegment(): Segment {
    const r = this.rng;
    const W = this.width;
    const K = this.K;
    const left = (16 << r.below(9)) + r.below(64);
    const rst = r.below(8) === 0 ? P32 / 1000 : 0;
    const ctrl = P32 * r.pick([0, 1 / 1024, 1 / 128, 1 / 16, 1 / 4, 3 / 4]);
    const wl = 1 + r.below(4);
    const ws = r.below(4);
    const wk = r.below(3);
    const loadBelow = (P32 * wl) / (wl + ws + wk);
    const swapBelow = (P32 * (wl + ws)) / (wl + ws + wk);
    const read = P32 * r.pick([0, 1 / 32, 1 / 4, 1 / 2, 1]);
    const enMode = r.pick([EN_ALL, EN_ALL, EN_NONE, EN_HALF, EN_HALF, EN_SPARSE, EN_DENSE]);

    // values: fresh random words, or a few repeated ones so that deltas cancel and `clean` rises, or special values
    const kind = r.pick(['random', 'random', 'few', 'few', 'bits', 'special'] as const);
    const size = kind === 'random' ? 256 : kind === 'few' ? 1 << (1 + r.below(2)) : kind === 'bits' ? 256 : 8;
    const pool = new Int32Array(size * K);
    if (kind === 'random' || kind === 'few') {
      for (let i = 0; i < size * K; i++) pool[i] = r.next();
      for (let i = 0; i < size; i++) pool[i * K + K - 1]! &= this.valueTop;
    } else if (kind === 'bits') {
      for (let i = 0; i < size; i++) {
        const b = r.below(W);
        pool[i * K + (b >>> 5)] = 1 << (b & 31);
      }
    } else {
      const ones = onesMask(W);
      const special = [0n, ones, publishedVectorAt(W), ones ^ publishedVectorAt(W), 1n, 1n << BigInt(W - 1), ones >> 1n, 0n];
      special.forEach((v, i) => bigintToWords(v, W, pool, i * K));
    }
    return { left, rst, ctrl, loadBelow, swapBelow, read, enMode, pool, poolMask: size - 1 };
  }

  private randomCycle(buf: Int32Array, at: number): void {
    let s = this.segment;
    if (s === undefined || s.left === 0) s = this.segment = this.newSegment();
    s.left--;
    const r = this.rng;
    const I = this.layout.input;
    const K = this.K;
    const W = this.width;
    const lanes = this.lanes;
    const pool = s.pool;
    const mask = s.poolMask;

    let ctl = 0;
    if (s.rst !== 0 && r.u32() < s.rst) ctl |= 1 << CONTROL.rst;
    if (r.u32() < s.ctrl) {
      const pick = r.u32();
      const op = pick < s.loadBelow ? CTRL_OP.load : pick < s.swapBelow ? CTRL_OP.swap : CTRL_OP.swapKeep;
      ctl |= op << CONTROL.ctrlOp;
    }
    if (r.u32() < s.read) ctl |= 1 << CONTROL.readEn;
    buf[at + I.control.offset] = ctl;

    // ctrl_value carries a pool value every cycle; it must be ignored unless a LOAD or SWAP is taken
    const vo = at + I.ctrlValue.offset;
    const vi = (r.next() & mask) * K;
    for (let k = 0; k < K; k++) buf[vo + k] = pool[vi + k]!;

    const eo = at + I.accEn.offset;
    for (let w = 0; w < I.accEn.words; w++) {
      let bits: number;
      switch (s.enMode) {
        case EN_ALL:
          bits = -1;
          break;
        case EN_NONE:
          bits = 0;
          break;
        case EN_HALF:
          bits = r.next();
          break;
        case EN_SPARSE:
          bits = r.next() & r.next() & r.next();
          break;
        default:
          bits = r.next() | r.next() | r.next();
      }
      buf[eo + w] = w === I.accEn.words - 1 ? bits & this.enTop : bits;
    }

    // acc_data: a pool value on every lane (disabled lanes too: they must be ignored)
    const dataOff = at + I.accData.offset;
    const packed = (W & 31) !== 0;
    if (packed) for (let k = 0; k < I.accData.words; k++) buf[dataOff + k] = 0;
    let rand = 0;
    for (let lane = 0; lane < lanes; lane++) {
      if ((lane & 3) === 0) rand = r.next();
      const pi = ((rand >>> ((lane & 3) * 8)) & mask) * K;
      if (K === 2 && !packed) {
        buf[dataOff + 2 * lane] = pool[pi]!;
        buf[dataOff + 2 * lane + 1] = pool[pi + 1]!;
      } else if (!packed) {
        const o = dataOff + lane * K;
        for (let k = 0; k < K; k++) buf[o + k] = pool[pi + k]!;
      } else if (W < 32) {
        const pos = lane * W;
        const word = dataOff + (pos >>> 5);
        const shift = pos & 31;
        const v = pool[pi]!;
        buf[word]! |= v << shift;
        if (shift + W > 32) buf[word + 1]! |= v >>> (32 - shift);
      } else {
        insertBits(buf, dataOff, lane * W, W, pool, pi);
      }
    }
  }
}
