// One clock cycle of the core as a fixed-size record of 32-bit words: the inputs applied in the cycle and the outputs seen
// during it. The stimulus generator, the model, the Verilator harness and the Icarus testbench all read this one layout.
import { wordsFor } from './words.js';

export type CoreMode = 'round-robin' | 'parallel';

/** What decides the core's cycle behaviour (a resolved Design has all of these). */
export interface CoreParams {
  readonly banks: number;
  readonly width: number;
  readonly mode: CoreMode;
  /** Merge-tree register stages; READ latency is pipeline + 1. */
  readonly pipeline: number;
}

/** Bits of the first input word. */
export const CONTROL = { rst: 0, ctrlOp: 1, readEn: 3 } as const;
/** Bits of the first output word. */
export const FLAGS = { ready: 0, respValid: 1, respClean: 2, clean: 3 } as const;
/** Bit width of cycle_count and delta_count. */
export const COUNTER_WIDTH = 48;

export interface Field {
  readonly name: string;
  /** First word in the record. */
  readonly offset: number;
  readonly words: number;
  readonly bits: number;
}

export interface RecordLayout {
  readonly params: CoreParams;
  readonly lanes: number;
  /** Words of a W-bit value. */
  readonly valueWords: number;
  readonly input: {
    readonly words: number;
    readonly control: Field;
    /** acc_en, lane i at bit i. */
    readonly accEn: Field;
    readonly ctrlValue: Field;
    /** acc_data, lane i at bits [i*W +: W], packed as the port is. */
    readonly accData: Field;
  };
  readonly output: {
    readonly words: number;
    readonly flags: Field;
    readonly respState: Field;
    readonly refValue: Field;
    readonly cycleCount: Field;
    readonly deltaCount: Field;
  };
}

function fields<const T extends readonly { name: string; bits: number }[]>(specs: T): { words: number; list: Field[] } {
  let offset = 0;
  const list: Field[] = [];
  for (const s of specs) {
    const words = wordsFor(s.bits);
    list.push({ name: s.name, offset, words, bits: s.bits });
    offset += words;
  }
  return { words: offset, list };
}

export function laneCountOf(params: CoreParams): number {
  return params.mode === 'parallel' ? params.banks : 1;
}

export function recordLayout(params: CoreParams): RecordLayout {
  const W = params.width;
  const lanes = laneCountOf(params);
  const inp = fields([
    { name: 'control', bits: 4 },
    { name: 'acc_en', bits: lanes },
    { name: 'ctrl_value', bits: W },
    { name: 'acc_data', bits: lanes * W },
  ]);
  const out = fields([
    { name: 'flags', bits: 4 },
    { name: 'resp_state', bits: W },
    { name: 'ref_value', bits: W },
    { name: 'cycle_count', bits: COUNTER_WIDTH },
    { name: 'delta_count', bits: COUNTER_WIDTH },
  ]);
  const [control, accEn, ctrlValue, accData] = inp.list as [Field, Field, Field, Field];
  const [flags, respState, refValue, cycleCount, deltaCount] = out.list as [Field, Field, Field, Field, Field];
  return {
    params: { banks: params.banks, width: W, mode: params.mode, pipeline: params.pipeline },
    lanes,
    valueWords: wordsFor(W),
    input: { words: inp.words, control, accEn, ctrlValue, accData },
    output: { words: out.words, flags, respState, refValue, cycleCount, deltaCount },
  };
}

/** The output signals in the order a mismatch report names them, with where each lives in the output record. */
export function outputSignals(layout: RecordLayout): readonly { signal: string; field: Field; bit?: number; bits: number }[] {
  const o = layout.output;
  return [
    { signal: 'ready', field: o.flags, bit: FLAGS.ready, bits: 1 },
    { signal: 'resp_valid', field: o.flags, bit: FLAGS.respValid, bits: 1 },
    { signal: 'resp_state', field: o.respState, bits: layout.params.width },
    { signal: 'resp_clean', field: o.flags, bit: FLAGS.respClean, bits: 1 },
    { signal: 'clean', field: o.flags, bit: FLAGS.clean, bits: 1 },
    { signal: 'ref_value', field: o.refValue, bits: layout.params.width },
    { signal: 'cycle_count', field: o.cycleCount, bits: COUNTER_WIDTH },
    { signal: 'delta_count', field: o.deltaCount, bits: COUNTER_WIDTH },
  ];
}
