// Comparing output records (expected from the model, actual from a simulator) and describing a difference in words a
// hardware engineer reads: which cycle, which signal, expected and actual, and what went into the core that cycle.
import { CONTROL, FLAGS, outputSignals, type RecordLayout } from '../../sim/layout.js';
import { wordsToBigint, wordsToHex } from '../../sim/words.js';

/** Words compared at once by Buffer.compare (native memcmp) before a word-by-word look for the difference. */
const COMPARE_SPAN = 4096;

/** Index of the first differing word from `from`, or -1 (arrays of different length differ at the shorter length). */
export function firstDifference(expected: Int32Array, actual: Int32Array, from = 0): number {
  const n = Math.min(expected.length, actual.length);
  const bytes = (a: Int32Array, at: number, end: number) => Buffer.from(a.buffer, a.byteOffset + 4 * at, 4 * (end - at));
  for (let at = from; at < n; at += COMPARE_SPAN) {
    const end = Math.min(n, at + COMPARE_SPAN);
    if (Buffer.compare(bytes(expected, at, end), bytes(actual, at, end)) === 0) continue;
    for (let i = at; i < end; i++) if (expected[i] !== actual[i]) return i;
  }
  return expected.length === actual.length ? -1 : n;
}

export interface SignalDifference {
  readonly signal: string;
  readonly expected: string;
  readonly actual: string;
}

function formatSignal(rec: ArrayLike<number>, off: number, s: ReturnType<typeof outputSignals>[number]): string {
  if (s.bit !== undefined) return String(((rec[off + s.field.offset] ?? 0) >>> s.bit) & 1);
  if (s.signal === 'cycle_count' || s.signal === 'delta_count') return wordsToBigint(rec, off + s.field.offset, s.bits).toString();
  return wordsToHex(rec, off + s.field.offset, s.bits);
}

/** Every output that differs between two records, in report order. `unknown` replaces the actual values (X from Icarus). */
export function signalDifferences(
  layout: RecordLayout,
  expected: ArrayLike<number>,
  expOff: number,
  actual: ArrayLike<number>,
  actOff: number,
  unknown?: ReadonlyMap<string, string>,
): SignalDifference[] {
  const diffs: SignalDifference[] = [];
  for (const s of outputSignals(layout)) {
    const e = formatSignal(expected, expOff, s);
    const a = unknown?.get(s.signal) ?? formatSignal(actual, actOff, s);
    if (e !== a) diffs.push({ signal: s.signal, expected: e, actual: a });
  }
  return diffs;
}

const OP_NAMES = ['none', 'LOAD', 'SWAP', 'SWAP-keep'] as const;

/** One input record as a line: control, the value when used, and the enabled lanes (at most `maxLanes`). */
export function describeInputs(layout: RecordLayout, rec: ArrayLike<number>, off: number, maxLanes = 4): string {
  const I = layout.input;
  const W = layout.params.width;
  const ctl = rec[off + I.control.offset] ?? 0;
  const op = (ctl >>> CONTROL.ctrlOp) & 3;
  const parts = [`rst=${(ctl >>> CONTROL.rst) & 1}`, `ctrl_op=${OP_NAMES[op]}`];
  if (op === 1 || op === 2) parts.push(`ctrl_value=${wordsToHex(rec, off + I.ctrlValue.offset, W)}`);
  parts.push(`read_en=${(ctl >>> CONTROL.readEn) & 1}`);
  const en = wordsToBigint(rec, off + I.accEn.offset, layout.lanes);
  const data = wordsToBigint(rec, off + I.accData.offset, layout.lanes * W);
  const lanes: string[] = [];
  for (let lane = 0; lane < layout.lanes; lane++) {
    if (((en >> BigInt(lane)) & 1n) === 0n) continue;
    if (lanes.length === maxLanes) {
      lanes.push('...');
      break;
    }
    const d = BigInt.asUintN(W, data >> BigInt(lane * W));
    lanes.push(`${layout.lanes > 1 ? `lane ${lane}: ` : ''}0x${d.toString(16)}`);
  }
  parts.push(lanes.length === 0 ? 'acc_en=0' : `accum ${lanes.join(', ')}`);
  return parts.join(' ');
}

/** What a run exercised, counted from the inputs and the model's outputs: a run that never took an operation proves little. */
export interface Coverage {
  resets: number;
  /** Operations taken (offered while ready). */
  loads: number;
  swaps: number;
  swapKeeps: number;
  reads: number;
  deltas: number;
  /** Cycles with ready low (a SWAP-keep draining). */
  busyCycles: number;
  responses: number;
  /** Responses with resp_clean = 1, and cycles with clean = 1. */
  cleanResponses: number;
  cleanCycles: number;
}

export function emptyCoverage(): Coverage {
  return { resets: 0, loads: 0, swaps: 0, swapKeeps: 0, reads: 0, deltas: 0, busyCycles: 0, responses: 0, cleanResponses: 0, cleanCycles: 0 };
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Adds `cycles` cycles of input and expected output records to `cov`. */
// The counts in locals: this runs over every compared cycle.
export function tallyCoverage(cov: Coverage, layout: RecordLayout, input: Int32Array, expected: Int32Array, cycles: number): void {
  const iw = layout.input.words;
  const ow = layout.output.words;
  const ctlAt = layout.input.control.offset;
  const enAt = layout.input.accEn.offset;
  const enWords = layout.input.accEn.words;
  const flagsAt = layout.output.flags.offset;
  let { resets, loads, swaps, swapKeeps, reads, deltas, busyCycles, responses, cleanResponses, cleanCycles } = cov;
  for (let c = 0, io = 0, oo = flagsAt; c < cycles; c++, io += iw, oo += ow) {
    const ctl = input[io + ctlAt]!;
    const flags = expected[oo]!;
    if ((flags >>> FLAGS.respValid) & 1) {
      responses++;
      cleanResponses += (flags >>> FLAGS.respClean) & 1;
    }
    cleanCycles += (flags >>> FLAGS.clean) & 1;
    if ((ctl >>> CONTROL.rst) & 1) {
      resets++;
      continue;
    }
    if (((flags >>> FLAGS.ready) & 1) === 0) {
      busyCycles++;
      continue;
    }
    const op = (ctl >>> CONTROL.ctrlOp) & 3;
    if (op === 1) loads++;
    else if (op === 2) swaps++;
    else if (op === 3) swapKeeps++;
    reads += (ctl >>> CONTROL.readEn) & 1;
    for (let w = 0; w < enWords; w++) deltas += popcount(input[io + enAt + w]!);
  }
  Object.assign(cov, { resets, loads, swaps, swapKeeps, reads, deltas, busyCycles, responses, cleanResponses, cleanCycles });
}
