// The seeded stimulus stream for the cross-check: a directed block first (the published vector, all-ones, single bits,
// LOAD and ACCUM in one cycle, the bank-pointer wrap, rollback, both SWAPs, operations while busy, resets), then random
// segments, each with its own mix of operations and data. The stream depends only on the core parameters and the seed,
// never on how it is cut into batches, so any cycle can be reproduced from the seed.
import { CONTROL, laneCountOf, recordLayout, type CoreParams, type RecordLayout } from '../../sim/layout.js';
import { CTRL_OP, encodeInputs, type CoreInputs, type CtrlOp } from './model.js';
import { bigintToWords, insertBits, onesMask, topWordMask } from '../../sim/words.js';
import { DRAW_BUFFER, PRNG_POS, PRNG_WORDS, SEGMENT, SEGMENT_F64, StimulusKernel, type StimulusShape } from './stimulus-kernel.js';

/** The test vector of the published ATOMiK testbenches. */
export const PUBLISHED_VECTOR = 0xf1d3b597795b3d1fn;

/** xoshiro128**: small, fast, good enough for stimulus; all 32-bit integer arithmetic. */
export class Prng {
  /** a, b, c, d: in an Int32Array, so that updating them stores raw words (number fields would box most values). */
  private readonly s: Int32Array;
  private readonly one = new Int32Array(1);

  /** `state`: where the four state words live (a view into a kernel's memory, say); a new array by default. */
  constructor(seed: number, state: Int32Array = new Int32Array(4)) {
    this.s = state;
    // splitmix32 over both halves of the seed fills the state
    let x = (seed >>> 0) ^ Math.imul(Math.floor(seed / 2 ** 32) | 0, 0x9e3779b9);
    const mix = () => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    for (let i = 0; i < 4; i++) this.s[i] = mix();
    if ((this.s[0]! | this.s[1]! | this.s[2]! | this.s[3]!) === 0) this.s[0] = 1;
  }

  /** 32 random bits as an int32. */
  next(): number {
    this.words(this.one, 0, 1);
    return this.one[0]!;
  }

  /** The next `to - from` outputs of next(), into `dst[from .. to)`. */
  words(dst: Int32Array, from: number, to: number): void {
    const s = this.s;
    let a = s[0]!;
    let b = s[1]!;
    let c = s[2]!;
    let d = s[3]!;
    for (let i = from; i < to; i++) {
      const r = Math.imul(b, 5);
      dst[i] = Math.imul((r << 7) | (r >>> 25), 9);
      const t = b << 9;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = (d << 11) | (d >>> 21);
    }
    s[0] = a;
    s[1] = b;
    s[2] = c;
    s[3] = d;
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

/**
 * The same stream as Prng, made ahead into a buffer: the stimulus's hot loop reads the buffer directly (a call per
 * number that does not inline costs more than the number itself), everything else calls the Prng methods as before.
 * Its words (state, position, buffer: PRNG_WORDS) may live in the stimulus kernel's memory, which draws from them too.
 */
class BufferedPrng extends Prng {
  readonly buf: Int32Array;
  private readonly words32: Int32Array;

  constructor(seed: number, words: Int32Array = new Int32Array(PRNG_WORDS)) {
    super(seed, words.subarray(0, 4));
    this.words32 = words;
    this.buf = words.subarray(PRNG_WORDS - DRAW_BUFFER);
    this.pos = DRAW_BUFFER;
  }

  /** The next unread output in `buf`. */
  get pos(): number {
    return this.words32[PRNG_POS]!;
  }

  set pos(at: number) {
    this.words32[PRNG_POS] = at;
  }

  override next(): number {
    if (this.pos === DRAW_BUFFER) this.reserve(1);
    const at = this.pos;
    this.pos = at + 1;
    return this.buf[at]!;
  }

  /** The next `dst.length` outputs into `dst` (as that many next() calls would give them). */
  take(dst: Int32Array): void {
    for (let at = 0; at < dst.length; ) {
      const n = Math.min(DRAW_BUFFER, dst.length - at);
      this.reserve(n);
      dst.set(this.buf.subarray(this.pos, this.pos + n), at);
      this.pos += n;
      at += n;
    }
  }

  /** Makes at least `n` (<= DRAW_BUFFER) outputs readable from `buf[pos]` on. */
  reserve(n: number): void {
    if (this.pos + n <= DRAW_BUFFER) return;
    const keep = DRAW_BUFFER - this.pos;
    this.buf.copyWithin(0, this.pos);
    this.words(this.buf, keep, DRAW_BUFFER);
    this.pos = 0;
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
/** Values in a segment's pool at most. */
const POOL_MAX = 256;

/** The most draws one random cycle makes: reset, ctrl_op and its pick, read, value, three per acc_en word, one per 4 lanes. */
function maxDrawsOf(layout: RecordLayout): number {
  return 5 + 3 * layout.input.accEn.words + Math.ceil(layout.lanes / 4);
}

/** The stimulus stream: call `fill` for the next cycles. */
export class Stimulus {
  readonly layout: RecordLayout;
  readonly seed: number;
  private readonly rng: BufferedPrng;
  private readonly directed: Int32Array;
  private readonly directedCount: number;
  private issued = 0;
  private segment: Segment | undefined;
  private readonly K: number;
  private readonly width: number;
  private readonly lanes: number;
  private readonly enTop: number;
  private readonly valueTop: number;
  /** The pool of a segment of special values: 0, all ones, the published vector and its complement, single bits. */
  private readonly special: Int32Array;
  private readonly kernel: StimulusKernel | undefined;
  /** The current segment's pool of values (POOL_MAX values at most), and scratch for the single-bit pool's draws. */
  private readonly pool: Int32Array;
  private readonly poolBits: Int32Array;

  /**
   * `options.kernel: false` makes every random cycle in TypeScript (`randomCycles`) even where the wasm kernel could:
   * the tests compare the two streams.
   */
  constructor(params: CoreParams, seed: number, options: { readonly kernel?: boolean } = {}) {
    this.layout = recordLayout(params);
    this.seed = seed;
    this.K = this.layout.valueWords;
    this.width = params.width;
    this.lanes = this.layout.lanes;
    this.enTop = topWordMask(this.layout.lanes);
    this.valueTop = topWordMask(params.width);
    const ones = onesMask(params.width);
    const special = [0n, ones, publishedVectorAt(params.width), ones ^ publishedVectorAt(params.width), 1n, 1n << BigInt(params.width - 1), ones >> 1n, 0n];
    this.special = new Int32Array(special.length * this.K);
    // whole 32-bit words (no packed lanes): the random cycles run in the wasm kernel, which shares the draws and the pool
    this.kernel = params.width % 32 === 0 && options.kernel !== false ? new StimulusKernel(this.kernelShape()) : undefined;
    this.rng = new BufferedPrng(seed, this.kernel?.prng);
    this.pool = this.kernel?.pool ?? new Int32Array(POOL_MAX * this.K);
    this.poolBits = new Int32Array(POOL_MAX);
    special.forEach((v, i) => bigintToWords(v, params.width, this.special, i * this.K));
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
    const directed = Math.max(0, Math.min(cycles, this.directedCount - this.issued));
    if (directed > 0) {
      buf.set(this.directed.subarray(this.issued * iw, (this.issued + directed) * iw), off);
      this.issued += directed;
    }
    if (cycles > directed) {
      if (this.kernel) this.kernelCycles(buf, off + directed * iw, cycles - directed);
      else this.randomCycles(buf, off + directed * iw, cycles - directed);
      this.issued += cycles - directed;
    }
  }

  /** What the stimulus kernel is compiled for: this stream's record layout, lanes, pool and draws. */
  private kernelShape(): StimulusShape {
    const I = this.layout.input;
    return {
      lanes: this.lanes,
      K: this.K,
      inBytes: 4 * I.words,
      ctlOff: 4 * I.control.offset,
      valueOff: 4 * I.ctrlValue.offset,
      enOff: 4 * I.accEn.offset,
      enWords: I.accEn.words,
      enTop: this.enTop,
      dataOff: 4 * I.accData.offset,
      poolMax: POOL_MAX,
      maxDraws: maxDrawsOf(this.layout),
      rstBit: 1 << CONTROL.rst,
      readBit: 1 << CONTROL.readEn,
      opShift: CONTROL.ctrlOp,
      ops: { load: CTRL_OP.load, swap: CTRL_OP.swap, swapKeep: CTRL_OP.swapKeep },
      en: { all: EN_ALL, none: EN_NONE, half: EN_HALF, sparse: EN_SPARSE },
    };
  }

  /** `randomCycles` in the wasm kernel: segments start here, their cycles are made there, chunk by chunk. */
  private kernelCycles(buf: Int32Array, at: number, cycles: number): void {
    const k = this.kernel!;
    const iw = this.layout.input.words;
    for (let done = 0; done < cycles; ) {
      if (k.segment[SEGMENT.left] === 0) {
        const s = this.newSegment();
        k.segment[SEGMENT.left] = s.left;
        k.segment[SEGMENT.enMode] = s.enMode;
        k.segment[SEGMENT.poolMask] = s.poolMask;
        k.segment[SEGMENT.rstOn] = s.rst !== 0 ? 1 : 0;
        k.thresholds[SEGMENT_F64.rst] = s.rst;
        k.thresholds[SEGMENT_F64.ctrl] = s.ctrl;
        k.thresholds[SEGMENT_F64.loadBelow] = s.loadBelow;
        k.thresholds[SEGMENT_F64.swapBelow] = s.swapBelow;
        k.thresholds[SEGMENT_F64.read] = s.read;
      }
      const n = k.run(Math.min(k.chunk, cycles - done));
      buf.set(k.records.subarray(0, n * iw), at + done * iw);
      done += n;
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
    const size = kind === 'random' ? POOL_MAX : kind === 'few' ? 1 << (1 + r.below(2)) : kind === 'bits' ? POOL_MAX : 8;
    // one pool array for every segment (only the current segment reads it): allocating one each time costs more than
    // filling it
    const pool = this.pool;
    if (kind === 'random' || kind === 'few') {
      r.take(pool.subarray(0, size * K));
      for (let i = 0; i < size; i++) pool[i * K + K - 1]! &= this.valueTop;
    } else if (kind === 'bits') {
      pool.fill(0);
      const bits = this.poolBits;
      r.take(bits);
      for (let i = 0; i < size; i++) {
        const b = Math.floor(((bits[i]! >>> 0) / P32) * W); // r.below(W) on the same draw
        pool[i * K + (b >>> 5)] = 1 << (b & 31);
      }
    } else {
      pool.set(this.special);
    }
    return { left, rst, ctrl, loadBelow, swapBelow, read, enMode, pool, poolMask: size - 1 };
  }

  /** The random part of the stream: `cycles` records from `buf[at ..]`, segment after segment. */
  // Long on purpose: the stimulus's hot loop, one function with the segment and the draws in locals (it feeds the
  // cross-check at millions of cycles per second). Every draw happens in the order Prng would make it.
  private randomCycles(buf: Int32Array, at: number, cycles: number): void {
    const r = this.rng;
    const rb = r.buf;
    const I = this.layout.input;
    const iw = I.words;
    const K = this.K;
    const W = this.width;
    const lanes = this.lanes;
    const ctlAt = I.control.offset;
    const valueAt = I.ctrlValue.offset;
    const enAt = I.accEn.offset;
    const enWords = I.accEn.words;
    const enTop = this.enTop;
    const dataAt = I.accData.offset;
    const dataWords = I.accData.words;
    const packed = (W & 31) !== 0;
    const rstBit = 1 << CONTROL.rst;
    const readBit = 1 << CONTROL.readEn;
    const opShift = CONTROL.ctrlOp;
    const maxDraws = maxDrawsOf(this.layout);
    let s = this.segment;
    for (let c = 0; c < cycles; c++, at += iw) {
      if (s === undefined || s.left === 0) s = this.segment = this.newSegment();
      s.left--;
      const pool = s.pool;
      const mask = s.poolMask;
      r.reserve(maxDraws);
      let p = r.pos;

      let ctl = 0;
      if (s.rst !== 0 && rb[p++]! >>> 0 < s.rst) ctl |= rstBit;
      if (rb[p++]! >>> 0 < s.ctrl) {
        const pick = rb[p++]! >>> 0;
        const op = pick < s.loadBelow ? CTRL_OP.load : pick < s.swapBelow ? CTRL_OP.swap : CTRL_OP.swapKeep;
        ctl |= op << opShift;
      }
      if (rb[p++]! >>> 0 < s.read) ctl |= readBit;
      buf[at + ctlAt] = ctl;

      // ctrl_value carries a pool value every cycle; it must be ignored unless a LOAD or SWAP is taken
      const vi = (rb[p++]! & mask) * K;
      for (let k = 0; k < K; k++) buf[at + valueAt + k] = pool[vi + k]!;

      for (let w = 0; w < enWords; w++) {
        let bits: number;
        switch (s.enMode) {
          case EN_ALL:
            bits = -1;
            break;
          case EN_NONE:
            bits = 0;
            break;
          case EN_HALF:
            bits = rb[p++]!;
            break;
          case EN_SPARSE:
            bits = rb[p]! & rb[p + 1]! & rb[p + 2]!;
            p += 3;
            break;
          default:
            bits = rb[p]! | rb[p + 1]! | rb[p + 2]!;
            p += 3;
        }
        buf[at + enAt + w] = w === enWords - 1 ? bits & enTop : bits;
      }

      // acc_data: a pool value on every lane (disabled lanes too: they must be ignored)
      const dataOff = at + dataAt;
      if (packed) buf.fill(0, dataOff, dataOff + dataWords);
      let rand = 0;
      for (let lane = 0; lane < lanes; lane++) {
        if ((lane & 3) === 0) rand = rb[p++]!;
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
      r.pos = p;
    }
  }
}
