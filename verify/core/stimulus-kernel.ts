// The random part of the stimulus stream (stimulus.ts) in WebAssembly, for words of whole 32-bit words (the width a
// multiple of 32: no packed lanes). It makes the same records from the same draws in the same order as
// `Stimulus.randomCycles`, the readable definition (model.test.ts checks the two streams word for word), at a fraction
// of the cost: the cross-check makes millions of cycles a second, and this loop and its xoshiro128** draws were the
// largest part of its own work. The draw buffer and the generator's state live in this kernel's memory and are shared
// with the Stimulus's BufferedPrng, so the segments, which stay in TypeScript, draw from the same stream.
import { F64, I32, instantiate, op } from './wasm.js';

/** Draws kept ahead of use (BufferedPrng). */
export const DRAW_BUFFER = 4096;
/** BufferedPrng's words at the start of the memory: the generator's state (0..3), the next unread draw (4), the buffer (8..). */
export const PRNG_WORDS = 8 + DRAW_BUFFER;
export const PRNG_POS = 4;
const BUF_AT = 4 * 8;
/** The current segment, after the generator's words (32-bit words from SEGMENT_AT / 4, then the thresholds as f64). */
const SEGMENT_AT = 4 * PRNG_WORDS;
export const SEGMENT = { left: 0, enMode: 1, poolMask: 2, rstOn: 3 } as const;
export const SEGMENT_F64 = { rst: 2, ctrl: 3, loadBelow: 4, swapBelow: 5, read: 6 } as const;
const POOL_AT = SEGMENT_AT + 64;

/** What the kernel is compiled for. */
export interface StimulusShape {
  readonly lanes: number;
  /** Words per value. */
  readonly K: number;
  /** Input record: its size and its fields (bytes); acc_en has enWords words, the last masked with enTop. */
  readonly inBytes: number;
  readonly ctlOff: number;
  readonly valueOff: number;
  readonly enOff: number;
  readonly enWords: number;
  readonly enTop: number;
  readonly dataOff: number;
  /** Pool values at most. */
  readonly poolMax: number;
  /** The most draws one cycle makes. */
  readonly maxDraws: number;
  /** Control bits and ctrl_op values. */
  readonly rstBit: number;
  readonly readBit: number;
  readonly opShift: number;
  readonly ops: { readonly load: number; readonly swap: number; readonly swapKeep: number };
  /** acc_en modes of a segment. */
  readonly en: { readonly all: number; readonly none: number; readonly half: number; readonly sparse: number };
}

const P = { n: 0 } as const;
const V = {
  done: 1, left: 2, p: 3, ctl: 4, rec: 5, mask: 6, enMode: 7, rstOn: 8, bits: 9, lane: 10, rand: 11, at: 12, end: 13,
  a: 14, b: 15, c: 16, d: 17, t: 18,
  rst: 19, ctrl: 20, loadBelow: 21, swapBelow: 22, read: 23, pick: 24,
} as const;
const LOCALS = [[18, I32], [6, F64]] as const;

/**
 * run(n) -> records made: up to `n` records of the current segment (stopping when it has none left) at the output area,
 * drawing from the shared buffer (refilled from the generator as BufferedPrng.reserve does).
 */
// Long on purpose: one cycle of Stimulus.randomCycles, instruction by instruction, read top to bottom beside it.
function kernelBody(k: StimulusShape, outAt: number): number[] {
  const { get, set, tee } = op;
  const addTo = (local: number, n: number) => [...get(local), ...op.i32Const(n), ...op.i32Add(), ...set(local)];
  const seg = (word: number) => SEGMENT_AT + 4 * word;
  const segF64 = (slot: number) => SEGMENT_AT + 8 * slot;
  // the next draw on the stack; p advances
  const draw = [...get(V.p), ...op.i32Const(2), ...op.i32Shl(), ...op.i32Load(BUF_AT), ...addTo(V.p, 1)];
  // the next draw as an unsigned number, below a threshold (f64 local)?
  const drawBelow = (threshold: number) => [...draw, ...op.f64ConvertI32U(), ...get(threshold), ...op.f64Lt()];
  // K words from the pool (byte offset in local `at`) to the record at byte `dst` (+ local `end` when given)
  const copyValue = (dst: number, plusEnd: boolean) =>
    Array.from({ length: k.K }, (_, i) => [
      ...(plusEnd ? [...get(V.rec), ...get(V.end), ...op.i32Add()] : get(V.rec)),
      ...get(V.at), ...op.i32Load(POOL_AT + 4 * i),
      ...op.i32Store(dst + 4 * i),
    ]).flat();
  const rotl = (local: number, n: number) => [...get(local), ...op.i32Const(n), ...op.i32Rotl()];
  // xoshiro128**, one output to byte `at`, as Prng.words
  const generate = [
    ...get(V.at),
    ...get(V.b), ...op.i32Const(5), ...op.i32Mul(), ...op.i32Const(7), ...op.i32Rotl(), ...op.i32Const(9), ...op.i32Mul(),
    ...op.i32Store(),
    ...get(V.b), ...op.i32Const(9), ...op.i32Shl(), ...set(V.t),
    ...get(V.c), ...get(V.a), ...op.i32Xor(), ...set(V.c),
    ...get(V.d), ...get(V.b), ...op.i32Xor(), ...set(V.d),
    ...get(V.b), ...get(V.c), ...op.i32Xor(), ...set(V.b),
    ...get(V.a), ...get(V.d), ...op.i32Xor(), ...set(V.a),
    ...get(V.c), ...get(V.t), ...op.i32Xor(), ...set(V.c),
    ...rotl(V.d, 11), ...set(V.d),
  ];
  const reserve = [
    ...get(V.p), ...op.i32Const(k.maxDraws), ...op.i32Add(), ...op.i32Const(DRAW_BUFFER), ...op.i32GtU(),
    ...op.if(),
    // keep the unread draws at the front, then fill the rest from the generator
    ...op.i32Const(BUF_AT), ...get(V.p), ...op.i32Const(2), ...op.i32Shl(), ...op.i32Const(BUF_AT), ...op.i32Add(),
    ...op.i32Const(DRAW_BUFFER), ...get(V.p), ...op.i32Sub(), ...op.i32Const(2), ...op.i32Shl(), ...op.memoryCopy(),
    ...op.i32Const(DRAW_BUFFER), ...get(V.p), ...op.i32Sub(), ...op.i32Const(2), ...op.i32Shl(), ...op.i32Const(BUF_AT), ...op.i32Add(), ...set(V.at),
    ...op.i32Const(0), ...op.i32Load(0), ...set(V.a),
    ...op.i32Const(0), ...op.i32Load(4), ...set(V.b),
    ...op.i32Const(0), ...op.i32Load(8), ...set(V.c),
    ...op.i32Const(0), ...op.i32Load(12), ...set(V.d),
    ...op.block(),
    ...get(V.at), ...op.i32Const(BUF_AT + 4 * DRAW_BUFFER), ...op.i32GeU(), ...op.brIf(0),
    ...op.loop(),
    ...generate,
    ...addTo(V.at, 4),
    ...get(V.at), ...op.i32Const(BUF_AT + 4 * DRAW_BUFFER), ...op.i32LtU(), ...op.brIf(0),
    ...op.end(),
    ...op.end(),
    ...op.i32Const(0), ...get(V.a), ...op.i32Store(0),
    ...op.i32Const(0), ...get(V.b), ...op.i32Store(4),
    ...op.i32Const(0), ...get(V.c), ...op.i32Store(8),
    ...op.i32Const(0), ...get(V.d), ...op.i32Store(12),
    ...op.i32Const(0), ...set(V.p),
    ...op.end(),
  ];
  // acc_en word w by the segment's mode
  const enWord = (w: number) => [
    ...get(V.enMode), ...op.i32Const(k.en.all), ...op.i32Eq(),
    ...op.if(), ...op.i32Const(-1), ...set(V.bits),
    ...op.else(),
    ...get(V.enMode), ...op.i32Const(k.en.none), ...op.i32Eq(),
    ...op.if(), ...op.i32Const(0), ...set(V.bits),
    ...op.else(),
    ...get(V.enMode), ...op.i32Const(k.en.half), ...op.i32Eq(),
    ...op.if(), ...draw, ...set(V.bits),
    ...op.else(),
    ...get(V.enMode), ...op.i32Const(k.en.sparse), ...op.i32Eq(),
    ...op.if(), ...draw, ...draw, ...op.i32And(), ...draw, ...op.i32And(), ...set(V.bits),
    ...op.else(), ...draw, ...draw, ...op.i32Or(), ...draw, ...op.i32Or(), ...set(V.bits),
    ...op.end(), ...op.end(), ...op.end(), ...op.end(),
    ...get(V.rec), ...get(V.bits), ...(w === k.enWords - 1 ? [...op.i32Const(k.enTop), ...op.i32And()] : []), ...op.i32Store(k.enOff + 4 * w),
  ];
  return [
    ...op.i32Const(0), ...op.i32Load(seg(SEGMENT.left)), ...set(V.left),
    ...op.i32Const(0), ...op.i32Load(seg(SEGMENT.enMode)), ...set(V.enMode),
    ...op.i32Const(0), ...op.i32Load(seg(SEGMENT.poolMask)), ...set(V.mask),
    ...op.i32Const(0), ...op.i32Load(seg(SEGMENT.rstOn)), ...set(V.rstOn),
    ...op.i32Const(0), ...op.f64Load(segF64(SEGMENT_F64.rst)), ...set(V.rst),
    ...op.i32Const(0), ...op.f64Load(segF64(SEGMENT_F64.ctrl)), ...set(V.ctrl),
    ...op.i32Const(0), ...op.f64Load(segF64(SEGMENT_F64.loadBelow)), ...set(V.loadBelow),
    ...op.i32Const(0), ...op.f64Load(segF64(SEGMENT_F64.swapBelow)), ...set(V.swapBelow),
    ...op.i32Const(0), ...op.f64Load(segF64(SEGMENT_F64.read)), ...set(V.read),
    ...op.i32Const(0), ...op.i32Load(4 * PRNG_POS), ...set(V.p),
    ...op.i32Const(outAt), ...set(V.rec),
    ...op.i32Const(0), ...set(V.done),
    ...op.block(), // $exit
    ...op.loop(), // $cycle
    ...get(V.done), ...get(P.n), ...op.i32Eq(), ...op.brIf(1),
    ...get(V.left), ...op.i32Eqz(), ...op.brIf(1),
    ...get(V.left), ...op.i32Const(1), ...op.i32Sub(), ...set(V.left),
    ...reserve,
    // control: a reset (only segments with resets draw for it), an operation and its pick, a READ
    ...op.i32Const(0), ...set(V.ctl),
    ...get(V.rstOn),
    ...op.if(),
    ...drawBelow(V.rst), ...op.if(), ...op.i32Const(k.rstBit), ...set(V.ctl), ...op.end(),
    ...op.end(),
    ...drawBelow(V.ctrl),
    ...op.if(),
    ...draw, ...op.f64ConvertI32U(), ...set(V.pick),
    // pick < loadBelow ? load : pick < swapBelow ? swap : swap-keep
    ...op.i32Const(k.ops.load),
    ...op.i32Const(k.ops.swap), ...op.i32Const(k.ops.swapKeep), ...get(V.pick), ...get(V.swapBelow), ...op.f64Lt(), ...op.select(),
    ...get(V.pick), ...get(V.loadBelow), ...op.f64Lt(), ...op.select(),
    ...op.i32Const(k.opShift), ...op.i32Shl(), ...get(V.ctl), ...op.i32Or(), ...set(V.ctl),
    ...op.end(),
    ...drawBelow(V.read),
    ...op.if(), ...get(V.ctl), ...op.i32Const(k.readBit), ...op.i32Or(), ...set(V.ctl), ...op.end(),
    ...get(V.rec), ...get(V.ctl), ...op.i32Store(k.ctlOff),
    // ctrl_value: a pool value every cycle
    ...draw, ...get(V.mask), ...op.i32And(), ...op.i32Const(4 * k.K), ...op.i32Mul(), ...set(V.at),
    ...copyValue(k.valueOff, false),
    ...Array.from({ length: k.enWords }, (_, w) => enWord(w)).flat(),
    // acc_data: a pool value on every lane, one draw per four lanes (a byte each)
    ...op.i32Const(0), ...set(V.lane),
    ...op.i32Const(k.dataOff), ...set(V.end),
    ...op.loop(), // $lane
    ...get(V.lane), ...op.i32Const(3), ...op.i32And(), ...op.i32Eqz(),
    ...op.if(), ...draw, ...set(V.rand), ...op.end(),
    ...get(V.rand), ...get(V.lane), ...op.i32Const(3), ...op.i32And(), ...op.i32Const(3), ...op.i32Shl(), ...op.i32ShrU(),
    ...get(V.mask), ...op.i32And(), ...op.i32Const(4 * k.K), ...op.i32Mul(), ...set(V.at),
    ...copyValue(0, true),
    ...addTo(V.end, 4 * k.K),
    ...get(V.lane), ...op.i32Const(1), ...op.i32Add(), ...tee(V.lane), ...op.i32Const(k.lanes), ...op.i32LtU(), ...op.brIf(0),
    ...op.end(), // $lane
    ...addTo(V.rec, k.inBytes),
    ...addTo(V.done, 1),
    ...op.br(0),
    ...op.end(), // $cycle
    ...op.end(), // $exit
    ...op.i32Const(0), ...get(V.left), ...op.i32Store(seg(SEGMENT.left)),
    ...op.i32Const(0), ...get(V.p), ...op.i32Store(4 * PRNG_POS),
    ...get(V.done),
  ];
}

type Run = (n: number) => number;

/**
 * The kernel and its memory: BufferedPrng's words, the current segment, its pool and room for `chunk` records. The
 * memory never grows, so the views stay valid.
 */
export class StimulusKernel {
  /** BufferedPrng's state, position and buffer (PRNG_WORDS words). */
  readonly prng: Int32Array;
  /** The current segment's words (SEGMENT) and thresholds (SEGMENT_F64). */
  readonly segment: Int32Array;
  readonly thresholds: Float64Array;
  /** The segment's pool (poolMax values). */
  readonly pool: Int32Array;
  /** The records `run` made, from the start. */
  readonly records: Int32Array;
  /** Records one `run` makes at most. */
  readonly chunk: number;
  private readonly fn: Run;

  constructor(shape: StimulusShape) {
    this.chunk = Math.max(16, Math.min(4096, Math.floor(2 ** 16 / shape.inBytes)));
    const outAt = Math.ceil((POOL_AT + 4 * shape.poolMax * shape.K) / 16) * 16;
    const memory = new WebAssembly.Memory({ initial: Math.ceil((outAt + this.chunk * shape.inBytes) / 65536) });
    const exports = instantiate(`stimulus ${JSON.stringify(shape)}`, () => [
      { name: 'run', params: [I32], results: [I32], locals: LOCALS, body: kernelBody(shape, outAt) },
    ], memory);
    this.fn = exports.run as Run;
    this.prng = new Int32Array(memory.buffer, 0, PRNG_WORDS);
    this.segment = new Int32Array(memory.buffer, SEGMENT_AT, 4);
    this.thresholds = new Float64Array(memory.buffer, SEGMENT_AT, 8);
    this.pool = new Int32Array(memory.buffer, POOL_AT, shape.poolMax * shape.K);
    this.records = new Int32Array(memory.buffer, outAt, (this.chunk * shape.inBytes) / 4);
  }

  /** Makes up to `n` (<= chunk) records of the current segment; returns how many (0 when the segment has none left). */
  run(n: number): number {
    return this.fn(n);
  }
}
