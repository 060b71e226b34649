// CoreModel's fast path for 64-bit words, in WebAssembly. A stretch of cycles without a reset does the same as
// `stepRecord` cycle by cycle, in either mode: the outputs from the registers, the output register from the end of the
// delay line, LOAD / SWAP / SWAP-keep and the busy cycles after one, the banks (cleared by an operation), every enabled
// lane into its bank and into the merged accumulator, the READ pipe and the two counters. In wasm a 64-bit word is one
// value and two lanes move as one SIMD word, with the offsets compiled in and no bounds check per word: several times
// faster than the same work on Int32Array (16 lanes: 32 words per cycle). A reset cycle goes through `stepRecord` in
// model.ts, the readable definition of every cycle; model.test.ts checks that both give the same outputs, registers and
// banks on random streams.
//
// The module is assembled at run time for one design shape (wasm.ts), so there is no build step and no dependency.

import { I32, I64, instantiate, op, V128 } from './wasm.js';

// ---- the kernel -------------------------------------------------------------------------------------------------------

/**
 * The registers between stretches, as 32-bit words at the start of the kernel's memory (64-bit values low word first,
 * as in the records): the model writes them before a stretch and reads them after.
 */
export const STATE = {
  ref: 0, acc: 2, outState: 4, cleanFlags: 6, readPipe: 7, countHead: 8, ringHead: 9, busy: 10, ptr: 11, cycleCount: 12, deltaCount: 14,
} as const;
const STATE_BYTES = 64;

/** What the kernel is compiled for: the core's shape, byte offsets in the records, the control and flag bits. */
export interface KernelShape {
  readonly banks: number;
  /** Lanes of acc_en / acc_data: the banks in parallel mode, 1 in round-robin mode. */
  readonly lanes: number;
  /** Input record: its size, acc_en (enWords words), ctrl_value, acc_data (lane i at 8*i); the control word is at 0. */
  readonly inBytes: number;
  readonly enOff: number;
  readonly enWords: number;
  readonly valueOff: number;
  readonly dataOff: number;
  /** Output record: its size and its fields. */
  readonly outBytes: number;
  readonly flagsOff: number;
  readonly stateOff: number;
  readonly refOff: number;
  readonly cyclesOff: number;
  readonly deltasOff: number;
  /** Entries of the (reference, merged) delay line; 0 = none. */
  readonly stages: number;
  /** Lane counts on their way to delta_count (deltaCountDelay - 1, at least 1). */
  readonly countStages: number;
  /** READ latency: the busy cycles after a SWAP-keep; the READ pipe's length. */
  readonly readLatency: number;
  /** The READ pipe's bits, as an int32. */
  readonly readPipeMask: number;
  /** Control word bits and the ctrl_op values. */
  readonly ctrlOpBit: number;
  readonly readEnBit: number;
  readonly ops: { readonly load: number; readonly swap: number; readonly swapKeep: number };
  /** Flag bits: ready's and resp_valid's bit numbers, resp_clean | clean. */
  readonly readyBit: number;
  readonly validBit: number;
  readonly cleanFlags: number;
  readonly counterWidth: number;
}

/** Where things live in the kernel's memory (bytes). */
function memoryMap(k: KernelShape, chunk: number) {
  const ringAt = STATE_BYTES;
  const countsAt = ringAt + k.stages * 16;
  const bankAt = countsAt + Math.ceil((k.countStages * 4) / 16) * 16;
  const inAt = bankAt + Math.ceil((k.banks * 8) / 16) * 16;
  const outAt = inAt + chunk * k.inBytes;
  return { ringAt, countsAt, bankAt, inAt, outAt, bytes: outAt + chunk * k.outBytes };
}

// Parameters, then locals, by index.
const P = { rec: 0, cycles: 1, out: 2, stopMask: 3 } as const;
const V = {
  bits: 4, taken: 5, at: 6, ctl: 7, done: 8, cleanFlags: 9, readPipe: 10, countHead: 11, head: 12, busy: 13, ptr: 14, ready: 15, op: 16, ptrEff: 17,
  ref: 18, acc: 19, state: 20, cycles: 21, deltas: 22, merged: 23, next: 24, x: 25, d: 26,
  xv: 27, dv: 28,
} as const;
const LOCALS = [[14, I32], [9, I64], [2, V128]] as const;

/**
 * run(rec, cycles, out, stopMask) -> cycles done. From the input record at byte `rec` on, up to `cycles` of them and up to
 * the first whose control word has a bit of `stopMask`: writes the cycle's output record at `out` (advancing) and steps
 * the registers (in STATE, loaded at the start and stored at the end).
 */
// Long on purpose: the kernel's instructions in execution order, one cycle of the core, read top to bottom as stepRecord.
function kernelBody(k: KernelShape, ringAt: number, countsAt: number, bankAt: number): number[] {
  const { get, set, tee } = op;
  const addTo = (local: number, n: number) => [...get(local), ...op.i32Const(n), ...op.i32Add(), ...set(local)];
  const xorInto = (local: number, other: number, xor: number[]) => [...get(local), ...get(other), ...xor, ...set(local)];
  const counterMask = (1n << BigInt(k.counterWidth)) - 1n;
  const state = (word: number) => 4 * word;
  const load32 = (word: number, local: number) => [...op.i32Const(0), ...op.i32Load(state(word)), ...set(local)];
  const load64 = (word: number, local: number) => [...op.i32Const(0), ...op.i64Load(state(word)), ...set(local)];
  const store32 = (word: number, local: number) => [...op.i32Const(0), ...get(local), ...op.i32Store(state(word))];
  const store64 = (word: number, local: number) => [...op.i32Const(0), ...get(local), ...op.i64Store(state(word))];

  // parallel mode: the lanes of acc_en word w into their banks; x (i64) and xv (two i64) take their XOR, taken their count
  const word = (w: number): number[] => {
    const lanes = Math.min(32, k.lanes - 32 * w);
    const mask = (2 ** lanes - 1) | 0; // as an int32: -1 for 32 lanes
    const data = k.dataOff + 256 * w;
    const bank = bankAt + 256 * w;
    const code: number[] = [
      ...get(P.rec), ...op.i32Load(k.enOff + 4 * w), ...op.i32Const(mask), ...op.i32And(), ...tee(V.bits),
      ...op.i32Popcnt(), ...get(V.taken), ...op.i32Add(), ...set(V.taken),
      ...get(V.bits), ...op.i32Const(mask), ...op.i32Eq(),
      ...op.if(), // every lane of the word: two lanes at a time (SIMD), then an odd one
    ];
    for (let j = 0; j + 1 < lanes; j += 2) {
      code.push(
        ...get(P.rec), ...op.v128Load(data + 8 * j), ...set(V.dv),
        ...op.i32Const(0), ...op.i32Const(0), ...op.v128Load(bank + 8 * j), ...get(V.dv), ...op.v128Xor(), ...op.v128Store(bank + 8 * j),
        ...xorInto(V.xv, V.dv, op.v128Xor()),
      );
    }
    if (lanes % 2 === 1) {
      const last = 8 * (lanes - 1);
      code.push(
        ...get(P.rec), ...op.i64Load(data + last), ...set(V.d),
        ...op.i32Const(0), ...op.i32Const(0), ...op.i64Load(bank + last), ...get(V.d), ...op.i64Xor(), ...op.i64Store(bank + last),
        ...xorInto(V.x, V.d, op.i64Xor()),
      );
    }
    code.push(
      ...op.else(), // some lanes: one set bit at a time
      ...op.block(), // $bitsDone
      ...op.loop(), // $bit
      ...get(V.bits), ...op.i32Eqz(), ...op.brIf(1),
      ...get(V.bits), ...op.i32Ctz(), ...op.i32Const(3), ...op.i32Shl(), ...set(V.at), // the lane's byte offset
      ...get(P.rec), ...get(V.at), ...op.i32Add(), ...op.i64Load(data), ...set(V.d),
      ...get(V.at), ...get(V.at), ...op.i64Load(bank), ...get(V.d), ...op.i64Xor(), ...op.i64Store(bank),
      ...xorInto(V.x, V.d, op.i64Xor()),
      ...get(V.bits), ...get(V.bits), ...op.i32Const(1), ...op.i32Sub(), ...op.i32And(), ...set(V.bits),
      ...op.br(0),
      ...op.end(), // $bit
      ...op.end(), // $bitsDone
      ...op.end(), // if
    );
    return code;
  };
  const parallelLanes = [
    ...op.i64Const(0), ...set(V.x),
    ...op.v128Zero(), ...set(V.xv),
    ...Array.from({ length: k.enWords }, (_, w) => word(w)).flat(),
    ...get(V.acc), ...get(V.x), ...op.i64Xor(), ...get(V.xv), ...op.i64x2ExtractLane(0), ...op.i64Xor(), ...get(V.xv), ...op.i64x2ExtractLane(1), ...op.i64Xor(), ...set(V.acc),
  ];
  // one lane: into the bank the pointer names (in parallel mode there is one bank and the pointer stays 0)
  const oneLane = [
    ...get(P.rec), ...op.i32Load(k.enOff), ...op.i32Const(1), ...op.i32And(),
    ...op.if(),
    ...get(P.rec), ...op.i64Load(k.dataOff), ...set(V.d),
    ...get(V.ptrEff), ...op.i32Const(3), ...op.i32Shl(), ...set(V.at),
    ...get(V.at), ...get(V.at), ...op.i64Load(bankAt), ...get(V.d), ...op.i64Xor(), ...op.i64Store(bankAt),
    ...xorInto(V.acc, V.d, op.i64Xor()),
    ...op.i32Const(1), ...set(V.taken),
    // ptr = ptrEff == banks - 1 ? 0 : ptrEff + 1
    ...op.i32Const(0), ...get(V.ptrEff), ...op.i32Const(1), ...op.i32Add(), ...get(V.ptrEff), ...op.i32Const(k.banks - 1), ...op.i32Eq(), ...op.select(), ...set(V.ptr),
    ...op.else(),
    ...get(V.ptrEff), ...set(V.ptr),
    ...op.end(),
  ];
  // merged (the merge tree's output) and the reference beside it, from the end of the delay line (or directly):
  // next = reference ^ merged, the output register's next value
  const mergedAndNext = k.stages === 0
    ? [...get(V.acc), ...set(V.merged), ...get(V.ref), ...get(V.acc), ...op.i64Xor(), ...set(V.next)]
    : [
        ...get(V.head), ...op.i32Const(4), ...op.i32Shl(), ...set(V.at),
        ...get(V.at), ...op.i64Load(ringAt + 8), ...set(V.merged),
        ...get(V.at), ...op.i64Load(ringAt), ...get(V.merged), ...op.i64Xor(), ...set(V.next),
        ...get(V.at), ...get(V.ref), ...op.i64Store(ringAt),
        ...get(V.at), ...get(V.acc), ...op.i64Store(ringAt + 8),
        // head = head + 1 == stages ? 0 : head + 1
        ...op.i32Const(0), ...get(V.head), ...op.i32Const(1), ...op.i32Add(), ...tee(V.head), ...get(V.head), ...op.i32Const(k.stages), ...op.i32Eq(), ...op.select(), ...set(V.head),
      ];
  return [
    // the registers into locals
    ...load64(STATE.ref, V.ref), ...load64(STATE.acc, V.acc), ...load64(STATE.outState, V.state),
    ...load32(STATE.cleanFlags, V.cleanFlags), ...load32(STATE.readPipe, V.readPipe), ...load32(STATE.countHead, V.countHead),
    ...load32(STATE.ringHead, V.head), ...load32(STATE.busy, V.busy), ...load32(STATE.ptr, V.ptr),
    ...load64(STATE.cycleCount, V.cycles), ...load64(STATE.deltaCount, V.deltas),
    ...op.i32Const(0), ...set(V.done),
    ...op.block(), // $done
    ...get(P.cycles), ...op.i32Eqz(), ...op.brIf(0),
    ...op.loop(), // $cycle
    ...get(P.rec), ...op.i32Load(), ...tee(V.ctl), ...get(P.stopMask), ...op.i32And(), ...op.brIf(1),
    ...get(V.busy), ...op.i32Eqz(), ...set(V.ready),
    // the outputs during this cycle: the registers as the last edge left them
    ...get(P.out),
    ...get(V.ready), ...op.i32Const(k.readyBit), ...op.i32Shl(),
    ...get(V.readPipe), ...op.i32Const(k.readLatency - 1), ...op.i32ShrU(), ...op.i32Const(1), ...op.i32And(), ...op.i32Const(k.validBit), ...op.i32Shl(), ...op.i32Or(),
    ...get(V.cleanFlags), ...op.i32Or(), ...op.i32Store(k.flagsOff),
    ...get(P.out), ...get(V.state), ...op.i64Store(k.stateOff),
    ...get(P.out), ...get(V.ref), ...op.i64Store(k.refOff),
    ...get(P.out), ...get(V.cycles), ...op.i64Store(k.cyclesOff),
    ...get(P.out), ...get(V.deltas), ...op.i64Store(k.deltasOff),
    // op = ready ? ctrl_op : none
    ...get(V.ctl), ...op.i32Const(k.ctrlOpBit), ...op.i32ShrU(), ...op.i32Const(3), ...op.i32And(), ...op.i32Const(0), ...get(V.ready), ...op.select(), ...set(V.op),
    ...mergedAndNext,
    // reference: a SWAP-keep's sampled state leaves the pipeline into it, else LOAD / SWAP(value) set it
    ...get(V.busy), ...op.i32Const(1), ...op.i32Eq(),
    ...op.if(),
    ...get(V.state), ...set(V.ref),
    ...op.else(),
    ...get(V.op), ...op.i32Const(k.ops.load), ...op.i32Eq(), ...get(V.op), ...op.i32Const(k.ops.swap), ...op.i32Eq(), ...op.i32Or(),
    ...op.if(),
    ...get(P.rec), ...op.i64Load(k.valueOff), ...set(V.ref),
    ...op.end(),
    ...op.end(),
    // output register <= next; clean when merged is zero
    ...get(V.next), ...set(V.state),
    ...op.i32Const(k.cleanFlags), ...op.i32Const(0), ...get(V.merged), ...op.i64Eqz(), ...op.select(), ...set(V.cleanFlags),
    // banks: an operation clears them first (and the pointer), then the cycle's deltas land
    ...get(V.ptr), ...set(V.ptrEff),
    ...get(V.op),
    ...op.if(),
    ...op.i64Const(0), ...set(V.acc),
    ...op.i32Const(bankAt), ...op.i32Const(0), ...op.i32Const(k.banks * 8), ...op.memoryFill(),
    ...op.i32Const(0), ...set(V.ptrEff),
    ...op.end(),
    ...op.i32Const(0), ...set(V.taken),
    ...get(V.ready),
    ...op.if(),
    ...(k.lanes === 1 ? oneLane : parallelLanes),
    ...op.end(),
    // READ pipe: a READ taken, or a SWAP's response
    ...get(V.readPipe), ...op.i32Const(1), ...op.i32Shl(),
    ...get(V.ctl), ...op.i32Const(k.readEnBit), ...op.i32ShrU(), ...get(V.ready), ...op.i32And(), ...op.i32Const(1), ...op.i32And(), ...op.i32Or(),
    ...get(V.op), ...op.i32Const(k.ops.swap), ...op.i32GeU(), ...op.i32Or(),
    ...op.i32Const(k.readPipeMask), ...op.i32And(), ...set(V.readPipe),
    // busy: a SWAP-keep starts the count, a busy cycle counts down
    ...get(V.op), ...op.i32Const(k.ops.swapKeep), ...op.i32Eq(),
    ...op.if(),
    ...op.i32Const(k.readLatency), ...set(V.busy),
    ...op.else(),
    ...get(V.busy), ...get(V.busy), ...op.i32Const(1), ...op.i32Sub(), ...get(V.ready), ...op.select(), ...set(V.busy),
    ...op.end(),
    // delta_count takes the oldest lane count on its way (deltaCountDelay - 1 cycles), this cycle's count goes in;
    // cycle_count counts
    ...get(V.countHead), ...op.i32Const(2), ...op.i32Shl(), ...set(V.at),
    ...get(V.deltas), ...get(V.at), ...op.i32Load(countsAt), ...op.i64ExtendI32U(), ...op.i64Add(), ...op.i64Const(counterMask), ...op.i64And(), ...set(V.deltas),
    ...get(V.at), ...get(V.taken), ...op.i32Store(countsAt),
    ...op.i32Const(0), ...get(V.countHead), ...op.i32Const(1), ...op.i32Add(), ...tee(V.countHead), ...get(V.countHead), ...op.i32Const(k.countStages), ...op.i32Eq(), ...op.select(), ...set(V.countHead),
    ...get(V.cycles), ...op.i64Const(1), ...op.i64Add(), ...op.i64Const(counterMask), ...op.i64And(), ...set(V.cycles),
    ...addTo(P.out, k.outBytes),
    ...addTo(P.rec, k.inBytes),
    ...addTo(V.done, 1),
    ...get(P.cycles), ...op.i32Const(1), ...op.i32Sub(), ...tee(P.cycles), ...op.brIf(0),
    ...op.end(), // $cycle
    ...op.end(), // $done
    // the registers back
    ...store64(STATE.ref, V.ref), ...store64(STATE.acc, V.acc), ...store64(STATE.outState, V.state),
    ...store32(STATE.cleanFlags, V.cleanFlags), ...store32(STATE.readPipe, V.readPipe), ...store32(STATE.countHead, V.countHead),
    ...store32(STATE.ringHead, V.head), ...store32(STATE.busy, V.busy), ...store32(STATE.ptr, V.ptr),
    ...store64(STATE.cycleCount, V.cycles), ...store64(STATE.deltaCount, V.deltas),
    ...get(V.done),
  ];
}

type Run = (rec: number, cycles: number, out: number, stopMask: number) => number;

/**
 * A compiled kernel and its memory: the registers (STATE), the delay line, the banks, room for `chunk` input records and
 * their output records. The memory never grows, so the views stay valid.
 */
export class ModelKernel {
  /** The registers between stretches (STATE). */
  readonly state: Int32Array;
  /** The delay line: per stage the reference, then merged (two words each); the model keeps its ring here. */
  readonly ring: Int32Array;
  /** The lane counts on their way to delta_count (countStages): the model keeps them here. */
  readonly counts: Int32Array;
  /** The bank words, bank i at 2i, 2i+1: the model keeps its banks here. */
  readonly banks: Int32Array;
  /** Output records of the chunk, by record index. */
  readonly outputs: Int32Array;
  /** Records `load` takes at most. */
  readonly chunk: number;
  private readonly inputs: Int32Array;
  private readonly fn: Run;
  private readonly inWords: number;
  private readonly outWords: number;
  private readonly inAt: number;
  private readonly outAt: number;

  constructor(shape: KernelShape) {
    this.inWords = shape.inBytes / 4;
    this.outWords = shape.outBytes / 4;
    // about 64 KB of input records per chunk (it stays in cache), 16 .. 4096 cycles
    this.chunk = Math.max(16, Math.min(4096, Math.floor(2 ** 16 / shape.inBytes)));
    const map = memoryMap(shape, this.chunk);
    this.inAt = map.inAt;
    this.outAt = map.outAt;
    const memory = new WebAssembly.Memory({ initial: Math.ceil(map.bytes / 65536) });
    const exports = instantiate(`model ${JSON.stringify(shape)}`, () => [
      { name: 'run', params: [I32, I32, I32, I32], results: [I32], locals: LOCALS, body: kernelBody(shape, map.ringAt, map.countsAt, map.bankAt) },
    ], memory);
    this.fn = exports.run as Run;
    const words = (at: number, n: number) => new Int32Array(memory.buffer, at, n);
    this.state = words(0, STATE_BYTES / 4);
    this.ring = words(map.ringAt, shape.stages * 4);
    this.counts = words(map.countsAt, shape.countStages);
    this.banks = words(map.bankAt, shape.banks * 2);
    this.inputs = words(map.inAt, this.chunk * this.inWords);
    this.outputs = words(map.outAt, this.chunk * this.outWords);
  }

  /** Copies `cycles` (<= chunk) input records from `input[inOff ..]` into the kernel's memory: the chunk `run` reads. */
  load(input: Int32Array, inOff: number, cycles: number): void {
    this.inputs.set(input.subarray(inOff, inOff + cycles * this.inWords));
  }

  /**
   * Runs the chunk's records from index `from` on, at most `cycles` of them, up to the first whose control word has a bit
   * of `stopMask`; returns how many it ran. Their output records are in `outputs` at the same indices.
   */
  run(from: number, cycles: number, stopMask: number): number {
    return this.fn(this.inAt + from * this.inWords * 4, cycles, this.outAt + from * this.outWords * 4, stopMask);
  }
}
