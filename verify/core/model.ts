// The golden model. Two views of the same algebra (docs/ARCHITECTURE.md, ../shared/ATOMIK.md section 1):
// - AtomikContext: the ATOMiK SDK API (atomik-core 0.4) on W-bit words, values as bigint. Simple on purpose: it is the
//   oracle the property tests and the cycle model are checked against.
// - CoreModel: the generated `<name>_core`, cycle by cycle, every output as the RTL shows it during a cycle. Built for
//   speed: state in Int32Array words, no BigInt on the hot path (`stepRecord`); `step` is the friendly bigint wrapper;
//   for 64-bit words `run` steps its cycles in a WebAssembly kernel (model-kernel.ts) that model.test.ts holds to
//   `stepRecord` cycle by cycle.
import { CONTROL, COUNTER_WIDTH, FLAGS, laneCountOf, recordLayout, type CoreMode, type CoreParams, type RecordLayout } from '../../sim/layout.js';
import { bigintToWords, extractBits, onesMask, topWordMask, wordsToBigint } from '../../sim/words.js';
import { deltaCountDelay, readLatencyOf } from '../../generator/design/merge-tree.js';
import { ModelKernel, STATE, type KernelShape } from './model-kernel.js';

export type { CoreMode, CoreParams } from '../../sim/layout.js';

function checkWidth(width: number): void {
  if (!Number.isInteger(width) || width < 1) throw new RangeError(`width must be a whole number >= 1, got ${width}`);
}

/**
 * The ATOMiK algebra with the SDK's semantics: state = reference XOR accumulator, every value masked to `width` bits.
 * `deltaCount` counts deltas since the last load or swap, as the SDK does.
 */
export class AtomikContext {
  readonly width: number;
  private readonly mask: bigint;
  private ref = 0n;
  private acc = 0n;
  private count = 0;

  constructor(width = 64, initial = 0n) {
    checkWidth(width);
    this.width = width;
    this.mask = onesMask(width);
    this.ref = initial & this.mask;
  }

  /** reference = value, accumulator = 0, deltaCount = 0. */
  load(value: bigint): void {
    this.ref = value & this.mask;
    this.acc = 0n;
    this.count = 0;
  }

  /** accumulator ^= delta. */
  accum(delta: bigint): void {
    this.acc ^= delta & this.mask;
    this.count++;
  }

  /** Undo a delta: XOR is its own inverse, so this is accum (as in the SDK, it counts as a delta). */
  rollback(delta: bigint): void {
    this.accum(delta);
  }

  /** reference XOR accumulator. */
  read(): bigint {
    return this.ref ^ this.acc;
  }

  /** Returns the state, then reference = value (or the state when none is given), accumulator = 0, deltaCount = 0. */
  swap(value?: bigint): bigint {
    const state = this.read();
    this.ref = value === undefined ? state : value & this.mask;
    this.acc = 0n;
    this.count = 0;
    return state;
  }

  /** accumulator ^= other's accumulator; deltaCount += other's deltaCount. */
  merge(other: AtomikContext): void {
    if (other.width !== this.width) throw new RangeError(`cannot merge a ${other.width}-bit context into a ${this.width}-bit one`);
    this.acc ^= other.acc;
    this.count += other.count;
  }

  /** The accumulator is zero: state == reference. */
  isClean(): boolean {
    return this.acc === 0n;
  }

  get reference(): bigint {
    return this.ref;
  }

  get accumulator(): bigint {
    return this.acc;
  }

  get deltaCount(): number {
    return this.count;
  }

  clone(): AtomikContext {
    const copy = new AtomikContext(this.width, this.ref);
    copy.acc = this.acc;
    copy.count = this.count;
    return copy;
  }
}

// ---------------------------------------------------------------------------------------------------------------------

/** `ctrl_op` values. */
export const CTRL_OP = { none: 0, load: 1, swap: 2, swapKeep: 3 } as const;
export type CtrlOp = (typeof CTRL_OP)[keyof typeof CTRL_OP];

/** One cycle's inputs. Missing fields are 0; `accEn` / `accData` are per lane (one lane in round-robin mode). */
export interface CoreInputs {
  readonly rst?: boolean;
  readonly ctrlOp?: CtrlOp;
  readonly ctrlValue?: bigint;
  readonly accEn?: readonly boolean[];
  readonly accData?: readonly bigint[];
  readonly readEn?: boolean;
}

/** The outputs during one cycle: every one is a register, so they show the state left by the previous clock edge. */
export interface CoreOutputs {
  readonly ready: boolean;
  readonly respValid: boolean;
  readonly respState: bigint;
  readonly respClean: boolean;
  readonly clean: boolean;
  readonly refValue: bigint;
  readonly cycleCount: number;
  readonly deltaCount: number;
}

const COUNTER_MOD = 2 ** COUNTER_WIDTH;
// How a lane sits in acc_data: whole words (1, 2 or more), a field inside one or two words (W < 32), or anything else.
const LANE_ONE_WORD = 0;
const LANE_TWO_WORDS = 1;
const LANE_WORDS = 2;
const LANE_NARROW = 3;
const LANE_GENERAL = 4;
const TWO32 = 2 ** 32;
/** resp_clean and clean, set together. */
const CLEAN_FLAGS = (1 << FLAGS.respClean) | (1 << FLAGS.clean);

/** Writes one cycle's inputs as an input record at `rec[off ..]`. */
export function encodeInputs(layout: RecordLayout, inputs: CoreInputs, rec: Int32Array, off = 0): void {
  const { width } = layout.params;
  const i = layout.input;
  rec.fill(0, off, off + i.words);
  const op = inputs.ctrlOp ?? 0;
  rec[off + i.control.offset] =
    (inputs.rst === true ? 1 << CONTROL.rst : 0) | ((op & 3) << CONTROL.ctrlOp) | (inputs.readEn === true ? 1 << CONTROL.readEn : 0);
  if (inputs.ctrlValue !== undefined) bigintToWords(inputs.ctrlValue, width, rec, off + i.ctrlValue.offset);
  const en = inputs.accEn ?? [];
  const data = inputs.accData ?? [];
  if (en.length > layout.lanes || data.length > layout.lanes) {
    throw new RangeError(`the core has ${layout.lanes} lane(s), got ${Math.max(en.length, data.length)}`);
  }
  en.forEach((on, lane) => {
    if (on) rec[off + i.accEn.offset + (lane >>> 5)]! |= 1 << (lane & 31);
  });
  const packed = BigInt.asUintN(layout.lanes * width, data.reduce((acc, d, lane) => acc | (BigInt.asUintN(width, d) << BigInt(lane * width)), 0n));
  bigintToWords(packed, layout.lanes * width, rec, off + i.accData.offset);
}

/** Reads the output record at `rec[off ..]`. */
export function decodeOutputs(layout: RecordLayout, rec: ArrayLike<number>, off = 0): CoreOutputs {
  const o = layout.output;
  const flags = rec[off + o.flags.offset] ?? 0;
  const counter = (f: typeof o.cycleCount) => ((rec[off + f.offset] ?? 0) >>> 0) + ((rec[off + f.offset + 1] ?? 0) >>> 0) * TWO32;
  return {
    ready: ((flags >>> FLAGS.ready) & 1) === 1,
    respValid: ((flags >>> FLAGS.respValid) & 1) === 1,
    respState: wordsToBigint(rec, off + o.respState.offset, layout.params.width),
    respClean: ((flags >>> FLAGS.respClean) & 1) === 1,
    clean: ((flags >>> FLAGS.clean) & 1) === 1,
    refValue: wordsToBigint(rec, off + o.refValue.offset, layout.params.width),
    cycleCount: counter(o.cycleCount),
    deltaCount: counter(o.deltaCount),
  };
}

/**
 * Cycle-accurate model of `<name>_core`. Its registers, as the RTL has them:
 * - `ref` (ref_q), the banks (with `acc`, their running XOR, standing for the merge tree's input), `ptr`, `busy`;
 * - the merge tree's P register stages together with the reference's P-register delay line: only their latency shows,
 *   so they are one delay line of (reference, merged accumulator) pairs;
 * - the output register (`out_state` = reference ^ merged, `out_clean` = merged == 0), the read pipe (P + 1 bits),
 *   the lane counts on their way to delta_count (deltaCountDelay - 1 of them) and the two 48-bit counters.
 * Outputs depend on registers only, so the outputs of cycle t are those registers as the edge ending cycle t-1 left them:
 * `respState`/`clean` in cycle t describe the state during cycle t-P-1.
 *
 * Before the first reset the hardware's registers are undefined (X in Icarus); the model starts in the reset state.
 */
export class CoreModel {
  readonly banks: number;
  readonly width: number;
  readonly mode: CoreMode;
  readonly pipeline: number;
  readonly lanes: number;
  /** Cycles from a READ request to its response. */
  readonly readLatency: number;
  readonly layout: RecordLayout;

  private readonly K: number;
  private readonly topMask: number;
  private readonly laneShape: number;
  // record offsets (layout.ts), cached for the hot path
  private readonly iCtl: number;
  private readonly iEn: number;
  private readonly iEnWords: number;
  private readonly iValue: number;
  private readonly iData: number;
  private readonly oFlags: number;
  private readonly oState: number;
  private readonly oRef: number;
  private readonly oCycles: number;
  private readonly oDeltas: number;
  private readonly ref: Int32Array;
  private readonly acc: Int32Array;
  private readonly bankWords: Int32Array;
  private readonly kernel: ModelKernel | undefined;
  /** A bank whose epoch is not the current one holds zero: a LOAD clears every bank in O(1). */
  private readonly bankEpoch: Uint32Array;
  private epoch = 1;
  /** Every bank's epoch is the current one (no bank needs clearing before a delta lands in it). */
  private banksFresh = false;
  private ptr = 0;
  private busy = 0;
  /** Stages of the (reference, merged) delay line: the ring's entry count; 0 = no delay line. */
  private readonly ringStages: number;
  /** `ringStages` entries of [reference (K words), merged (K words)], oldest at `ringHead`. */
  private readonly ring: Int32Array;
  private ringHead = 0;
  private outState: Int32Array;
  private outNext: Int32Array;
  private outClean = 1;
  private readPipe = 0;
  private readonly readPipeMask: number;
  /** Lane counts on their way to delta_count, oldest at `countHead` (it shows a delta deltaCountDelay cycles after it is taken). */
  private readonly countStages: number;
  private readonly counts: Int32Array;
  private countHead = 0;
  private cycleCount = 0;
  private deltaCount = 0;
  private readonly scratch: Int32Array;
  private readonly inRec: Int32Array;
  private readonly outRec: Int32Array;

  constructor(params: CoreParams) {
    checkWidth(params.width);
    if (!Number.isInteger(params.banks) || params.banks < 1) throw new RangeError(`banks must be a whole number >= 1, got ${params.banks}`);
    if (!Number.isInteger(params.pipeline) || params.pipeline < 0 || params.pipeline > 30) {
      throw new RangeError(`pipeline must be a whole number 0..30, got ${params.pipeline}`);
    }
    this.banks = params.banks;
    this.width = params.width;
    this.mode = params.mode;
    this.pipeline = params.pipeline;
    this.lanes = laneCountOf(params);
    this.readLatency = readLatencyOf(params.pipeline);
    this.layout = recordLayout(params);
    const K = (this.K = this.layout.valueWords);
    this.topMask = topWordMask(params.width);
    const W = params.width;
    this.laneShape =
      W === 32 ? LANE_ONE_WORD : W === 64 ? LANE_TWO_WORDS : W % 32 === 0 ? LANE_WORDS : W < 32 ? LANE_NARROW : LANE_GENERAL;
    const { input: I, output: O } = this.layout;
    this.iCtl = I.control.offset;
    this.iEn = I.accEn.offset;
    this.iEnWords = I.accEn.words;
    this.iValue = I.ctrlValue.offset;
    this.iData = I.accData.offset;
    this.oFlags = O.flags.offset;
    this.oState = O.respState.offset;
    this.oRef = O.refValue.offset;
    this.oCycles = O.cycleCount.offset;
    this.oDeltas = O.deltaCount.offset;
    this.ringStages = this.readLatency - 1; // the tree stages and output stage 1 (stage 2 is outState)
    this.countStages = deltaCountDelay(this.lanes) - 1;
    this.readPipeMask = 2 ** this.readLatency - 1;
    // 64-bit words: run() takes the wasm kernel, and the registers it steps live in its memory
    this.kernel = this.laneShape === LANE_TWO_WORDS ? new ModelKernel(this.kernelShape()) : undefined;
    const kernel = this.kernel;
    this.ref = kernel ? kernel.state.subarray(STATE.ref, STATE.ref + 2) : new Int32Array(K);
    this.acc = kernel ? kernel.state.subarray(STATE.acc, STATE.acc + 2) : new Int32Array(K);
    this.ring = kernel ? kernel.ring : new Int32Array(this.ringStages * 2 * K);
    this.counts = kernel ? kernel.counts : new Int32Array(this.countStages);
    this.bankWords = kernel ? kernel.banks : new Int32Array(this.banks * K);
    this.bankEpoch = new Uint32Array(this.banks);
    this.outState = new Int32Array(K);
    this.outNext = new Int32Array(K);
    this.scratch = new Int32Array(K);
    this.inRec = new Int32Array(this.layout.input.words);
    this.outRec = new Int32Array(this.layout.output.words);
    this.resetState();
  }

  /** Applies one cycle's inputs; returns the outputs seen during that cycle (before its clock edge). */
  step(inputs: CoreInputs): CoreOutputs {
    encodeInputs(this.layout, inputs, this.inRec, 0);
    this.stepRecord(this.inRec, 0, this.outRec, 0);
    return decodeOutputs(this.layout, this.outRec, 0);
  }

  /** The outputs the core shows now (during the next cycle), without a clock edge. */
  peek(): CoreOutputs {
    this.writeOutputs(this.outRec, 0);
    return decodeOutputs(this.layout, this.outRec, 0);
  }

  /** Runs `cycles` input records from `input[inOff ..]`, writing one output record per cycle to `output[outOff ..]`. */
  run(input: Int32Array, inOff: number, cycles: number, output: Int32Array, outOff: number): void {
    if (this.kernel !== undefined) {
      this.runKernel(input, inOff, cycles, output, outOff);
      return;
    }
    const iw = this.layout.input.words;
    const ow = this.layout.output.words;
    for (let c = 0; c < cycles; c++) this.stepRecord(input, inOff + c * iw, output, outOff + c * ow);
  }

  /** What the wasm kernel is compiled for: this core's shape, record layout, delay line, control and flag bits. */
  private kernelShape(): KernelShape {
    const { input: I, output: O } = this.layout;
    return {
      banks: this.banks,
      lanes: this.lanes,
      inBytes: 4 * I.words,
      enOff: 4 * I.accEn.offset,
      enWords: I.accEn.words,
      valueOff: 4 * I.ctrlValue.offset,
      dataOff: 4 * I.accData.offset,
      outBytes: 4 * O.words,
      flagsOff: 4 * O.flags.offset,
      stateOff: 4 * O.respState.offset,
      refOff: 4 * O.refValue.offset,
      cyclesOff: 4 * O.cycleCount.offset,
      deltasOff: 4 * O.deltaCount.offset,
      stages: this.ringStages,
      countStages: this.countStages,
      readLatency: this.readLatency,
      readPipeMask: this.readPipeMask | 0,
      ctrlOpBit: CONTROL.ctrlOp,
      readEnBit: CONTROL.readEn,
      ops: { load: CTRL_OP.load, swap: CTRL_OP.swap, swapKeep: CTRL_OP.swapKeep },
      readyBit: FLAGS.ready,
      validBit: FLAGS.respValid,
      cleanFlags: CLEAN_FLAGS,
      counterWidth: COUNTER_WIDTH,
    };
  }

  /**
   * `run` for 64-bit words: the same cycles as `stepRecord`. Stretches of cycles without a reset run in the wasm kernel
   * (model-kernel.ts), a reset cycle through `stepRecord`. The kernel keeps ref, acc, the delay line and the banks in
   * its memory (the model's views of them) and takes the other registers from its state block around each stretch.
   */
  private runKernel(inp: Int32Array, inOff: number, cycles: number, out: Int32Array, outOff: number): void {
    const kernel = this.kernel!;
    const st = kernel.state;
    const iw = this.layout.input.words;
    const ow = this.layout.output.words;
    const stop = 1 << CONTROL.rst;
    for (let base = 0; base < cycles; base += kernel.chunk) {
      const len = Math.min(kernel.chunk, cycles - base);
      kernel.load(inp, inOff + base * iw, len);
      for (let c = 0; c < len; ) {
        if (!this.banksFresh) this.freshenBanks();
        st[STATE.outState] = this.outState[0]!;
        st[STATE.outState + 1] = this.outState[1]!;
        st[STATE.cleanFlags] = this.outClean === 1 ? CLEAN_FLAGS : 0;
        st[STATE.readPipe] = this.readPipe;
        st[STATE.countHead] = this.countHead;
        st[STATE.ringHead] = this.ringHead;
        st[STATE.busy] = this.busy;
        st[STATE.ptr] = this.ptr;
        st[STATE.cycleCount] = this.cycleCount | 0;
        st[STATE.cycleCount + 1] = (this.cycleCount / TWO32) | 0;
        st[STATE.deltaCount] = this.deltaCount | 0;
        st[STATE.deltaCount + 1] = (this.deltaCount / TWO32) | 0;
        const n = kernel.run(c, len - c, stop);
        if (n === 0) {
          this.stepRecord(inp, inOff + (base + c) * iw, out, outOff + (base + c) * ow);
          c++;
          continue;
        }
        this.outState[0] = st[STATE.outState]!;
        this.outState[1] = st[STATE.outState + 1]!;
        this.outClean = st[STATE.cleanFlags] === 0 ? 0 : 1;
        this.readPipe = st[STATE.readPipe]!;
        this.countHead = st[STATE.countHead]!;
        this.ringHead = st[STATE.ringHead]!;
        this.busy = st[STATE.busy]!;
        this.ptr = st[STATE.ptr]!;
        this.cycleCount = st[STATE.cycleCount + 1]! * TWO32 + (st[STATE.cycleCount]! >>> 0);
        this.deltaCount = st[STATE.deltaCount + 1]! * TWO32 + (st[STATE.deltaCount]! >>> 0);
        out.set(kernel.outputs.subarray(c * ow, (c + n) * ow), outOff + (base + c) * ow);
        c += n;
      }
    }
  }

  /** The hot path: one input record in, one output record out (layout.ts). */
  // Long on purpose: the per-cycle hot path, kept in one function for speed (npm run bench times CoreModel.run).
  stepRecord(inp: Int32Array, io: number, out: Int32Array, oo: number): void {
    this.writeOutputs(out, oo);
    const ctl = inp[io + this.iCtl]!;
    if ((ctl >>> CONTROL.rst) & 1) {
      this.resetState();
      return;
    }
    const K = this.K;
    const P = this.ringStages;
    const ready = this.busy === 0;
    const op = ready ? (ctl >>> CONTROL.ctrlOp) & 3 : 0;
    const takeRead = ready && ((ctl >>> CONTROL.readEn) & 1) === 1;

    // output register <= reference ^ merged, from the end of the delay line (or directly with P = 0)
    const ref = this.ref;
    const acc = this.acc;
    const next = this.outNext;
    let nonzero = 0;
    if (P === 0) {
      for (let k = 0; k < K; k++) {
        const m = acc[k]!;
        nonzero |= m;
        next[k] = ref[k]! ^ m;
      }
    } else {
      const ring = this.ring;
      const base = this.ringHead * 2 * K;
      for (let k = 0; k < K; k++) {
        const m = ring[base + K + k]!;
        nonzero |= m;
        next[k] = ring[base + k]! ^ m;
        ring[base + k] = ref[k]!;
        ring[base + K + k] = acc[k]!;
      }
      this.ringHead = this.ringHead + 1 === P ? 0 : this.ringHead + 1;
    }

    // reference: a SWAP-keep's sampled state leaves the pipeline into it, else LOAD / SWAP(value) set it
    if (this.busy === 1) {
      const old = this.outState;
      for (let k = 0; k < K; k++) ref[k] = old[k]!;
    } else if (op === CTRL_OP.load || op === CTRL_OP.swap) {
      const vo = io + this.iValue;
      for (let k = 0; k < K; k++) ref[k] = inp[vo + k]!;
      ref[K - 1]! &= this.topMask;
    }
    this.outNext = this.outState;
    this.outState = next;
    this.outClean = nonzero === 0 ? 1 : 0;

    // banks: a LOAD or SWAP clears them first, then the cycle's deltas land
    let ptrEff = this.ptr;
    if (op !== CTRL_OP.none) {
      this.clearBanks();
      ptrEff = 0;
    }
    let taken = 0;
    if (ready) {
      const enOff = io + this.iEn;
      const dataOff = io + this.iData;
      if (this.lanes === 1) {
        if (inp[enOff]! & 1) {
          this.accumLane(inp, dataOff, 0, this.mode === 'parallel' ? 0 : ptrEff);
          taken = 1;
          this.ptr = ptrEff === this.banks - 1 ? 0 : ptrEff + 1;
        } else {
          this.ptr = ptrEff;
        }
      } else {
        for (let w = 0; w < this.iEnWords; w++) {
          let bits = inp[enOff + w]!;
          while (bits !== 0) {
            const low = bits & -bits;
            const lane = 32 * w + 31 - Math.clz32(low);
            bits ^= low;
            if (lane >= this.lanes) break;
            this.accumLane(inp, dataOff, lane, lane);
            taken++;
          }
        }
      }
    }

    this.readPipe = ((this.readPipe * 2) | (takeRead || op >= CTRL_OP.swap ? 1 : 0)) & this.readPipeMask;
    if (op === CTRL_OP.swapKeep) this.busy = this.readLatency;
    else if (!ready) this.busy--;
    // delta_count takes the oldest lane count on its way; this cycle's count goes in
    const head = this.countHead;
    let dc = this.deltaCount + this.counts[head]!;
    if (dc >= COUNTER_MOD) dc -= COUNTER_MOD;
    this.deltaCount = dc;
    this.counts[head] = taken;
    this.countHead = head + 1 === this.countStages ? 0 : head + 1;
    this.cycleCount = this.cycleCount + 1 === COUNTER_MOD ? 0 : this.cycleCount + 1;
  }

  private writeOutputs(out: Int32Array, oo: number): void {
    const K = this.K;
    const valid = (this.readPipe >>> (this.readLatency - 1)) & 1;
    out[oo + this.oFlags] =
      ((this.busy === 0 ? 1 : 0) << FLAGS.ready) | (valid << FLAGS.respValid) | (this.outClean << FLAGS.respClean) | (this.outClean << FLAGS.clean);
    const so = oo + this.oState;
    const ro = oo + this.oRef;
    const state = this.outState;
    const ref = this.ref;
    for (let k = 0; k < K; k++) {
      out[so + k] = state[k]!;
      out[ro + k] = ref[k]!;
    }
    const cc = this.cycleCount;
    out[oo + this.oCycles] = cc | 0;
    out[oo + this.oCycles + 1] = (cc / TWO32) | 0;
    const dc = this.deltaCount;
    out[oo + this.oDeltas] = dc | 0;
    out[oo + this.oDeltas + 1] = (dc / TWO32) | 0;
  }

  /** bank[bank] ^= lane `lane` of acc_data, and the running XOR with it. */
  private accumLane(inp: Int32Array, dataOff: number, lane: number, bank: number): void {
    const K = this.K;
    const banks = this.bankWords;
    const acc = this.acc;
    const bo = bank * K;
    if (this.bankEpoch[bank] !== this.epoch) {
      this.bankEpoch[bank] = this.epoch;
      for (let k = 0; k < K; k++) banks[bo + k] = 0;
    }
    switch (this.laneShape) {
      case LANE_ONE_WORD: {
        const d = inp[dataOff + lane]!;
        banks[bo] = banks[bo]! ^ d;
        acc[0] = acc[0]! ^ d;
        return;
      }
      case LANE_TWO_WORDS: {
        const at = dataOff + 2 * lane;
        const d0 = inp[at]!;
        const d1 = inp[at + 1]!;
        banks[bo] = banks[bo]! ^ d0;
        banks[bo + 1] = banks[bo + 1]! ^ d1;
        acc[0] = acc[0]! ^ d0;
        acc[1] = acc[1]! ^ d1;
        return;
      }
      case LANE_WORDS: {
        const at = dataOff + lane * K;
        for (let k = 0; k < K; k++) {
          const d = inp[at + k]!;
          banks[bo + k] = banks[bo + k]! ^ d;
          acc[k] = acc[k]! ^ d;
        }
        return;
      }
      case LANE_NARROW: {
        const W = this.width;
        const pos = lane * W;
        const word = dataOff + (pos >>> 5);
        const shift = pos & 31;
        let d = inp[word]! >>> shift;
        if (shift + W > 32) d |= inp[word + 1]! << (32 - shift);
        d &= this.topMask;
        banks[bo] = banks[bo]! ^ d;
        acc[0] = acc[0]! ^ d;
        return;
      }
      default: {
        const s = this.scratch;
        extractBits(inp, dataOff, lane * this.width, this.width, s, 0);
        for (let k = 0; k < K; k++) {
          banks[bo + k] = banks[bo + k]! ^ s[k]!;
          acc[k] = acc[k]! ^ s[k]!;
        }
      }
    }
  }

  private clearBanks(): void {
    this.acc.fill(0);
    this.banksFresh = false;
    if (this.epoch === 0xffffffff) {
      this.bankEpoch.fill(0);
      this.epoch = 1;
    } else {
      this.epoch++;
    }
  }

  /** Brings every bank to the current epoch (a stale bank holds zero), so a delta can land without the epoch check. */
  private freshenBanks(): void {
    const K = this.K;
    for (let b = 0; b < this.banks; b++) {
      if (this.bankEpoch[b] !== this.epoch) {
        this.bankEpoch[b] = this.epoch;
        this.bankWords.fill(0, b * K, (b + 1) * K);
      }
    }
    this.banksFresh = true;
  }

  /** The state after a synchronous reset (also the model's power-up state). */
  private resetState(): void {
    this.ref.fill(0);
    this.clearBanks();
    this.ptr = 0;
    this.busy = 0;
    this.ring.fill(0);
    this.ringHead = 0;
    this.outState.fill(0);
    this.outClean = 1;
    this.readPipe = 0;
    this.counts.fill(0);
    this.countHead = 0;
    this.cycleCount = 0;
    this.deltaCount = 0;
  }

  // ---- inspection (not on the hot path) -----------------------------------------------------------------------------

  /** The reference register. */
  get reference(): bigint {
    return wordsToBigint(this.ref, 0, this.width);
  }

  /** The merged accumulator (XOR of every bank) as the banks hold it now. */
  get accumulator(): bigint {
    return wordsToBigint(this.acc, 0, this.width);
  }

  /** reference ^ merged accumulator now: what a READ taken in the next cycle answers. */
  get state(): bigint {
    return this.reference ^ this.accumulator;
  }

  /** One bank's accumulator. */
  bank(index: number): bigint {
    if (!Number.isInteger(index) || index < 0 || index >= this.banks) throw new RangeError(`bank ${index} of ${this.banks}`);
    if (this.bankEpoch[index] !== this.epoch) return 0n;
    return wordsToBigint(this.bankWords, index * this.K, this.width);
  }

  /** The round-robin bank pointer (always 0 in parallel mode). */
  get pointer(): number {
    return this.ptr;
  }

  /**
   * Presets the two counters as they will show in the next cycle. The hardware has no such input: this exists so that
   * tests can reach the 48-bit wrap without 2^48 cycles.
   */
  setCounters(cycleCount: number, deltaCount: number): void {
    for (const v of [cycleCount, deltaCount]) {
      if (!Number.isInteger(v) || v < 0 || v >= COUNTER_MOD) throw new RangeError(`a counter holds 0..2^48-1, got ${v}`);
    }
    this.cycleCount = cycleCount;
    this.deltaCount = deltaCount;
  }

  /** Cycles left until a SWAP-keep has its state back (0 = ready). */
  get busyCycles(): number {
    return this.busy;
  }
}
