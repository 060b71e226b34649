// The golden model: the algebra's laws on AtomikContext (fast-check), the cycle model's documented timing
// (docs/ARCHITECTURE.md) on directed cases, and CoreModel against an independent reading of the contract built on
// AtomikContext for random operation streams.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deltaCountDelay, mergeTreeDepth, readLatencyOf } from '../../generator/design/merge-tree.js';
import { laneCountOf, recordLayout, type CoreParams } from '../../sim/layout.js';
import { AtomikContext, CoreModel, CTRL_OP, decodeOutputs, encodeInputs, type CoreInputs, type CoreOutputs, type CtrlOp } from './model.js';
import { directedCycles, PUBLISHED_VECTOR, publishedVectorAt, Stimulus } from './stimulus.js';
import { extractBits, hexToWords, insertBits, wordsToBigint, bigintToWords, wordsFor, wordsToPlainHex } from '../../sim/words.js';

const WIDTHS = [1, 5, 8, 31, 32, 33, 64, 65, 128, 256] as const;
const mask = (w: number) => (1n << BigInt(w)) - 1n;

/** A width and values of that width (some wider than it: they must be masked). */
const widthAnd = <T>(f: (w: number) => fc.Arbitrary<T>) => fc.constantFrom(...WIDTHS).chain((w) => f(w).map((v) => [w, v] as const));
const value = (w: number) => fc.bigInt({ min: 0n, max: mask(w + 3) });

function fed(width: number, deltas: readonly bigint[], initial = 0n): AtomikContext {
  const c = new AtomikContext(width, initial);
  for (const d of deltas) c.accum(d);
  return c;
}

describe('AtomikContext: the algebra (SDK semantics)', () => {
  it('LOAD, ACCUM, READ: state = reference XOR accumulator, masked to the width', () => {
    fc.assert(
      fc.property(widthAnd((w) => fc.tuple(value(w), fc.array(value(w), { maxLength: 8 }))), ([w, [ref, deltas]]) => {
        const c = new AtomikContext(w);
        c.load(ref);
        deltas.forEach((d) => c.accum(d));
        const acc = deltas.reduce((a, d) => a ^ d, 0n) & mask(w);
        expect(c.reference).toBe(ref & mask(w));
        expect(c.accumulator).toBe(acc);
        expect(c.read()).toBe((ref ^ acc) & mask(w));
        expect(c.deltaCount).toBe(deltas.length);
        expect(c.isClean()).toBe(acc === 0n);
      }),
    );
  });

  it('commutativity: any order of the same deltas gives the same state', () => {
    fc.assert(
      fc.property(
        widthAnd((w) => fc.array(value(w), { maxLength: 16 }).chain((ds) => fc.tuple(fc.constant(ds), fc.shuffledSubarray(ds, { minLength: ds.length })))),
        ([w, [deltas, shuffled]]) => {
          expect(fed(w, shuffled).read()).toBe(fed(w, deltas).read());
        },
      ),
    );
  });

  it('associativity: (a ^ b) ^ c and a ^ (b ^ c) as deltas, and as merged contexts', () => {
    fc.assert(
      fc.property(widthAnd((w) => fc.tuple(value(w), value(w), value(w), value(w))), ([w, [r, a, b, c]]) => {
        expect(fed(w, [a ^ b, c], r).read()).toBe(fed(w, [a, b ^ c], r).read());
        const left = fed(w, [a], r);
        const bc = fed(w, [b]);
        bc.merge(fed(w, [c]));
        left.merge(bc);
        const right = fed(w, [a], r);
        right.merge(fed(w, [b]));
        right.merge(fed(w, [c]));
        expect(left.read()).toBe(right.read());
        expect(left.deltaCount).toBe(3);
      }),
    );
  });

  it('identity: a zero delta changes nothing but the delta count', () => {
    fc.assert(
      fc.property(widthAnd((w) => fc.tuple(value(w), fc.array(value(w), { maxLength: 6 }))), ([w, [r, ds]]) => {
        const c = fed(w, ds, r);
        const before = c.read();
        const clean = c.isClean();
        c.accum(0n);
        expect(c.read()).toBe(before);
        expect(c.isClean()).toBe(clean);
        expect(c.deltaCount).toBe(ds.length + 1);
      }),
    );
  });

  it('self-inverse: a delta twice (or a rollback) is no delta; a delta applied twice over a clean state leaves it clean', () => {
    fc.assert(
      fc.property(widthAnd((w) => fc.tuple(value(w), fc.array(value(w), { maxLength: 6 }), value(w))), ([w, [r, ds, d]]) => {
        const c = fed(w, ds, r);
        const before = c.read();
        c.accum(d);
        c.rollback(d);
        expect(c.read()).toBe(before);
        const fresh = new AtomikContext(w, r);
        fresh.accum(d);
        fresh.accum(d);
        expect(fresh.isClean()).toBe(true);
        expect(fresh.read()).toBe(r & mask(w));
      }),
    );
  });

  it('any distribution of deltas over banks, merged in any order, gives the state of one accumulator', () => {
    fc.assert(
      fc.property(
        widthAnd((w) =>
          fc.tuple(value(w), fc.integer({ min: 1, max: 9 }), fc.array(fc.tuple(value(w), fc.nat()), { maxLength: 40 }), fc.nat()),
        ),
        ([w, [r, banks, deltas, rotate]]) => {
          const bank = Array.from({ length: banks }, () => new AtomikContext(w));
          deltas.forEach(([d, b]) => bank[b % banks]!.accum(d));
          const merged = new AtomikContext(w, r);
          for (let i = 0; i < banks; i++) merged.merge(bank[(i + rotate) % banks]!);
          const single = fed(w, deltas.map(([d]) => d), r);
          expect(merged.read()).toBe(single.read());
          expect(merged.isClean()).toBe(single.isClean());
          expect(merged.deltaCount).toBe(deltas.length);
        },
      ),
    );
  });

  it('merge: XORs the accumulators, adds the counts; merging a clean context is the identity, merging a copy cancels', () => {
    fc.assert(
      fc.property(widthAnd((w) => fc.tuple(value(w), fc.array(value(w), { maxLength: 6 }), value(w))), ([w, [r, ds, other]]) => {
        const a = fed(w, ds, r);
        const before = a.read();
        a.merge(new AtomikContext(w, other));
        expect(a.read()).toBe(before);
        const b = fed(w, ds, r);
        b.merge(b.clone());
        expect(b.isClean()).toBe(true);
        expect(b.read()).toBe(r & mask(w));
        expect(b.deltaCount).toBe(2 * ds.length);
      }),
    );
    expect(() => new AtomikContext(8).merge(new AtomikContext(16))).toThrow(/merge/);
  });

  it('swap: returns the state, then reference = value (or the state), accumulator 0, count 0', () => {
    fc.assert(
      fc.property(widthAnd((w) => fc.tuple(value(w), fc.array(value(w), { maxLength: 6 }), fc.option(value(w), { nil: undefined }))), ([w, [r, ds, v]]) => {
        const c = fed(w, ds, r);
        const state = c.read();
        expect(c.swap(v)).toBe(state);
        expect(c.reference).toBe(v === undefined ? state : v & mask(w));
        expect(c.read()).toBe(c.reference);
        expect(c.isClean()).toBe(true);
        expect(c.deltaCount).toBe(0);
      }),
    );
  });

  it('the published vector: load it, XOR it in, the state is 0', () => {
    const c = new AtomikContext(64);
    c.load(PUBLISHED_VECTOR);
    c.accum(PUBLISHED_VECTOR);
    expect(c.read()).toBe(0n);
    expect(c.isClean()).toBe(false);
    expect(publishedVectorAt(8)).toBe(0x1fn);
    expect(publishedVectorAt(128)).toBe((PUBLISHED_VECTOR << 64n) | PUBLISHED_VECTOR);
  });
});

// ---------------------------------------------------------------------------------------------------------------------

const rr = (banks: number, width: number, pipeline: number): CoreParams => ({ banks, width, mode: 'round-robin', pipeline });
const par = (banks: number, width: number, pipeline: number): CoreParams => ({ banks, width, mode: 'parallel', pipeline });
const one = (d: bigint): CoreInputs => ({ accEn: [true], accData: [d] });

function stepAll(m: CoreModel, cycles: readonly CoreInputs[]): CoreOutputs[] {
  return cycles.map((c) => m.step(c));
}

describe('CoreModel: the documented cycle behaviour', () => {
  it.each([0, 1, 2, 3])('READ latency is 1 + P + 2 (P = %i), with the state from before the cycle of the request', (P) => {
    const L = readLatencyOf(P);
    const m = new CoreModel(rr(16, 64, P));
    m.step({ rst: true });
    m.step({ ctrlOp: CTRL_OP.load, ctrlValue: 0x1234n });
    const outs = stepAll(m, [{ ...one(0xffn), readEn: true }, ...Array.from({ length: L + 2 }, () => ({}))]);
    const valid = outs.map((o, t) => (o.respValid ? t : -1)).filter((t) => t >= 0);
    expect(valid).toEqual([L]);
    expect(outs[L]!.respState).toBe(0x1234n);
    expect(outs[L]!.respClean).toBe(true);
    // the delta shows one cycle later in the continuous outputs
    expect(outs[L + 1]!.respState).toBe(0x1234n ^ 0xffn);
    expect(outs[L + 1]!.clean).toBe(false);
  });

  it('LOAD and ACCUM in one cycle: reference = value, accumulator = the delta, counted', () => {
    const m = new CoreModel(rr(4, 16, 0));
    m.step({ rst: true });
    m.step(one(0x00f0n));
    m.step({ ctrlOp: CTRL_OP.load, ctrlValue: 0xabcdn, ...one(0x0001n) });
    expect(m.reference).toBe(0xabcdn);
    expect(m.accumulator).toBe(1n);
    expect(m.pointer).toBe(1);
    expect(m.bank(0)).toBe(1n);
    expect(m.bank(1)).toBe(0n);
    m.step({});
    expect(m.peek().deltaCount).toBe(2);
  });

  it('round-robin: the pointer wraps at the bank count, for any count', () => {
    for (const banks of [1, 2, 3, 5, 16]) {
      const m = new CoreModel(rr(banks, 8, 0));
      m.step({ rst: true });
      for (let i = 0; i < 2 * banks + 1; i++) m.step(one(BigInt(1 << (i % 8))));
      expect(m.pointer).toBe((2 * banks + 1) % banks);
    }
    const m = new CoreModel(rr(3, 8, 0));
    m.step({ rst: true });
    [1n, 2n, 4n, 8n].forEach((d) => m.step(one(d)));
    expect([m.bank(0), m.bank(1), m.bank(2)]).toEqual([1n ^ 8n, 2n, 4n]);
  });

  it('parallel: lane i goes to bank i, every enabled lane counts', () => {
    const m = new CoreModel(par(4, 8, 1));
    m.step({ rst: true });
    m.step({ accEn: [true, false, true, true], accData: [1n, 2n, 4n, 8n] });
    expect([0, 1, 2, 3].map((b) => m.bank(b))).toEqual([1n, 0n, 4n, 8n]);
    // delta_count shows the three deltaCountDelay(4) cycles after the cycle that took them
    for (let t = 1; t < deltaCountDelay(4); t++) {
      expect(m.peek().deltaCount).toBe(0);
      m.step({});
    }
    expect(m.peek().deltaCount).toBe(3);
  });

  it('delta_count lags the acceptance by one cycle; cycle_count counts from the cycle after reset', () => {
    const m = new CoreModel(rr(2, 8, 0));
    const outs = stepAll(m, [{ rst: true }, one(1n), one(2n), {}, {}]);
    expect(outs.map((o) => o.cycleCount)).toEqual([0, 0, 1, 2, 3]);
    expect(outs.map((o) => o.deltaCount)).toEqual([0, 0, 0, 1, 2]);
  });

  it('the counters wrap at 48 bits', () => {
    const m = new CoreModel(par(3, 8, 0));
    m.step({ rst: true });
    m.setCounters(2 ** 48 - 2, 2 ** 48 - 2);
    const outs = stepAll(m, [{ accEn: [true, true, true], accData: [1n, 2n, 3n] }, {}, {}, {}, {}]);
    expect(outs.map((o) => o.cycleCount)).toEqual([2 ** 48 - 2, 2 ** 48 - 1, 0, 1, 2]);
    // the three deltas of cycle 0 show in cycle deltaCountDelay(3)
    const D = deltaCountDelay(3);
    expect(outs.map((o) => o.deltaCount)).toEqual(outs.map((_, t) => (t < D ? 2 ** 48 - 2 : 1)));
  });

  it.each([0, 1, 3])('SWAP-keep (P = %i): ready low for the read latency L, response at t + L, new reference after it', (P) => {
    const L = readLatencyOf(P);
    const m = new CoreModel(rr(8, 32, P));
    m.step({ rst: true });
    m.step({ ctrlOp: CTRL_OP.load, ctrlValue: 0x100n });
    m.step(one(0x23n));
    // t: SWAP-keep with a delta in the same cycle; then everything offered while busy must be ignored
    const busy = Array.from({ length: L }, () => ({ ctrlOp: CTRL_OP.load, ctrlValue: 0xdeadn, readEn: true, ...one(0xffn) }));
    const outs = stepAll(m, [{ ctrlOp: CTRL_OP.swapKeep, ...one(0x4n) }, ...busy, {}, {}, {}]);
    expect(outs.map((o) => o.ready)).toEqual([true, ...busy.map(() => false), true, true, true]);
    expect(outs[L]!.respValid).toBe(true);
    expect(outs[L]!.respState).toBe(0x123n);
    expect(outs[L]!.refValue).toBe(0x100n);
    expect(outs[L + 1]!.refValue).toBe(0x123n);
    expect(m.state).toBe(0x123n ^ 0x4n);
    expect(outs.filter((o) => o.respValid)).toHaveLength(1);
  });

  it('a reset drops the READs in flight and clears everything', () => {
    const m = new CoreModel(rr(4, 8, 2));
    m.step({ rst: true });
    m.step({ ctrlOp: CTRL_OP.load, ctrlValue: 7n, readEn: true });
    const outs = stepAll(m, [{ readEn: true }, { rst: true, ctrlOp: CTRL_OP.load, ctrlValue: 9n, readEn: true, ...one(1n) }, {}, {}, {}, {}]);
    expect(outs.some((o) => o.respValid)).toBe(false);
    expect(m.reference).toBe(0n);
    expect(m.accumulator).toBe(0n);
    expect(outs[2]!.cycleCount).toBe(0);
    expect(outs[2]!.clean).toBe(true);
  });

  it('records: encodeInputs / decodeOutputs round-trip through stepRecord, any width', () => {
    for (const w of [1, 7, 32, 33, 64, 100, 128]) {
      const p = par(3, w, 1);
      const layout = recordLayout(p);
      const rec = new Int32Array(layout.input.words);
      encodeInputs(layout, { accEn: [true, false, true], accData: [mask(w), 1n, mask(w) >> 1n] }, rec);
      expect(wordsToBigint(rec, layout.input.accData.offset, 3 * w)).toBe(mask(w) | ((mask(w) >> 1n) << BigInt(2 * w)) | (1n << BigInt(w)));
      const m = new CoreModel(p);
      const out = new Int32Array(layout.output.words);
      m.step({ rst: true });
      m.stepRecord(rec, 0, out, 0);
      expect(decodeOutputs(layout, out).ready).toBe(true);
      expect(m.accumulator).toBe(mask(w) ^ (mask(w) >> 1n));
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// CoreModel against AtomikContext: an independent reading of docs/ARCHITECTURE.md. The context is the state; the
// checker adds only the timing the contract states: READ at t answers at t+L (L = 1 + P + 2) with the state from before
// t's operations, `clean` shows isClean() from L cycles back, SWAP-keep makes the core busy for L cycles, a reset drops everything,
// delta_count shows a delta deltaCountDelay(lanes) cycles after it is taken (2 for one lane).

interface Expectation {
  readonly ready: boolean;
  readonly respValid: boolean;
  readonly respState?: bigint;
  readonly respClean?: boolean;
  readonly clean: boolean;
  readonly refValue: bigint;
  readonly cycleCount: number;
  readonly deltaCount: number;
}

function contractOutputs(p: CoreParams, cycles: readonly CoreInputs[]): Expectation[] {
  const L = readLatencyOf(p.pipeline);
  const D = deltaCountDelay(laneCountOf(p));
  const W = p.width;
  let ctx = new AtomikContext(W);
  let lastReset = -1;
  let busyUntil = -1;
  let shownRef = 0n; // what ref_value shows while a SWAP-keep is in flight
  const history: { state: bigint; clean: boolean }[] = []; // at the start of each cycle
  const reads = new Map<number, { state: bigint; clean: boolean }>(); // answer cycle -> response
  const accepted: number[] = [];
  const expectations: Expectation[] = [];
  for (let t = 0; t < cycles.length; t++) {
    const c = cycles[t]!;
    history[t] = { state: ctx.read(), clean: ctx.isClean() };
    const src = t - L;
    const shown = src > lastReset ? history[src]! : { state: 0n, clean: true };
    const response = reads.get(t);
    const ready = t > busyUntil;
    let deltas = 0;
    for (let u = lastReset + 1; u <= t - D; u++) deltas += accepted[u] ?? 0;
    expectations.push({
      ready,
      respValid: response !== undefined,
      ...(response ? { respState: response.state, respClean: response.clean } : {}),
      clean: shown.clean,
      refValue: ready ? ctx.reference : shownRef,
      cycleCount: t - lastReset - 1,
      deltaCount: deltas,
    });
    accepted[t] = 0;
    if (c.rst) {
      ctx = new AtomikContext(W);
      lastReset = t;
      busyUntil = -1;
      reads.clear();
      continue;
    }
    if (!ready) continue;
    const op = c.ctrlOp ?? CTRL_OP.none;
    if (c.readEn || op === CTRL_OP.swap || op === CTRL_OP.swapKeep) reads.set(t + L, history[t]!);
    if (op === CTRL_OP.load) ctx.load(c.ctrlValue ?? 0n);
    if (op === CTRL_OP.swap) ctx.swap(c.ctrlValue ?? 0n);
    if (op === CTRL_OP.swapKeep) {
      shownRef = ctx.reference;
      ctx.swap();
      busyUntil = t + L;
    }
    (c.accEn ?? []).forEach((on, lane) => {
      if (on) {
        ctx.accum(c.accData?.[lane] ?? 0n);
        accepted[t]!++;
      }
    });
  }
  return expectations;
}

const coreParams = fc
  .record({
    banks: fc.integer({ min: 1, max: 20 }),
    width: fc.constantFrom(...WIDTHS),
    mode: fc.constantFrom('round-robin' as const, 'parallel' as const),
    stagesPick: fc.nat(),
  })
  .map(({ stagesPick, ...p }): CoreParams => ({ ...p, pipeline: stagesPick % (mergeTreeDepth(p.banks) + 1) }));

function cycleArb(p: CoreParams, pool: readonly bigint[]): fc.Arbitrary<CoreInputs> {
  const lanes = laneCountOf(p);
  const val = fc.oneof(fc.constantFrom(...pool), fc.bigInt({ min: 0n, max: mask(p.width) }));
  return fc.record({
    rst: fc.integer({ min: 0, max: 39 }).map((x) => x === 0),
    ctrlOp: fc.constantFrom<CtrlOp>(0, 0, 0, 0, 0, 1, 2, 3),
    ctrlValue: val,
    accEn: fc.array(fc.boolean(), { minLength: lanes, maxLength: lanes }),
    accData: fc.array(val, { minLength: lanes, maxLength: lanes }),
    readEn: fc.boolean(),
  });
}

describe('CoreModel against AtomikContext (random operation streams)', () => {
  it('every output of every cycle follows the contract', () => {
    fc.assert(
      fc.property(
        coreParams.chain((p) =>
          fc
            .array(fc.bigInt({ min: 0n, max: mask(p.width) }), { minLength: 1, maxLength: 3 })
            .chain((pool) => fc.tuple(fc.constant(p), fc.array(cycleArb(p, pool), { minLength: 1, maxLength: 120 }))),
        ),
        ([p, body]) => {
          const cycles: CoreInputs[] = [{ rst: true }, ...body];
          const m = new CoreModel(p);
          const want = contractOutputs(p, cycles);
          cycles.forEach((c, t) => {
            const got = m.step(c);
            const w = want[t]!;
            const where = `cycle ${t}`;
            expect({ where, ready: got.ready, respValid: got.respValid }).toEqual({ where, ready: w.ready, respValid: w.respValid });
            if (w.respValid) expect({ where, s: got.respState, c: got.respClean }).toEqual({ where, s: w.respState, c: w.respClean });
            expect({ where, clean: got.clean, ref: got.refValue }).toEqual({ where, clean: w.clean, ref: w.refValue });
            expect({ where, cc: got.cycleCount, dc: got.deltaCount }).toEqual({ where, cc: w.cycleCount, dc: w.deltaCount });
          });
        },
      ),
      { numRuns: 300 },
    );
  });

  it('any bank count and mode, any spread of the same deltas: the same state as one accumulator', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...WIDTHS).chain((w) =>
          fc.tuple(
            fc.constant(w),
            fc.bigInt({ min: 0n, max: mask(w) }),
            fc.array(fc.bigInt({ min: 0n, max: mask(w) }), { maxLength: 60 }),
            fc.integer({ min: 1, max: 12 }),
            fc.nat(),
          ),
        ),
        ([w, ref, deltas, banks, seed]) => {
          const single = fed(w, deltas, ref);
          for (const mode of ['round-robin', 'parallel'] as const) {
            const p = { banks, width: w, mode, pipeline: mergeTreeDepth(banks) };
            const m = new CoreModel(p);
            m.step({ rst: true });
            m.step({ ctrlOp: CTRL_OP.load, ctrlValue: ref });
            const lanes = laneCountOf(p);
            let lane = seed;
            for (const d of deltas) {
              lane = (lane * 1103515245 + 12345) >>> 0;
              const at = lane % lanes;
              m.step({ accEn: Array.from({ length: lanes }, (_, i) => i === at), accData: Array.from({ length: lanes }, (_, i) => (i === at ? d : 0n)) });
            }
            expect(m.state).toBe(single.read());
            const outs = stepAll(m, Array.from({ length: readLatencyOf(p.pipeline) + 1 }, () => ({})));
            expect(outs.at(-1)!.clean).toBe(single.isClean());
          }
        },
      ),
    );
  });
});

describe('CoreModel.run: the fast path against stepRecord', () => {
  // run() takes the wasm kernel (model-kernel.ts) for 64-bit words, in either mode (every cycle but a reset);
  // stepping the same records one by one through stepRecord must give the same outputs and the same state.
  const ctlWord = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(0, 1 << 3) }, // no op, with or without a READ
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 15 }) }, // any reset / ctrl_op / READ mix
    { weight: 1, arbitrary: fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }) }, // bits above the control field too
  );
  const enWord = fc.oneof(fc.constant(-1), fc.constant(0), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }));
  const word = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });

  it('same outputs every cycle and the same registers and banks after, for any bank count, pipeline and batching', () => {
    fc.assert(
      fc.property(
        fc
          .record({ banks: fc.integer({ min: 1, max: 40 }), parallel: fc.boolean(), stagesPick: fc.nat(), cycles: fc.integer({ min: 1, max: 150 }), nearWrap: fc.boolean() })
          .chain(({ banks, parallel, stagesPick, cycles, nearWrap }) => {
            const p = (parallel ? par : rr)(banks, 64, stagesPick % (mergeTreeDepth(banks) + 1));
            const layout = recordLayout(p);
            const row = fc.tuple(ctlWord, fc.array(enWord, { minLength: layout.input.accEn.words, maxLength: layout.input.accEn.words }), fc.array(word, { minLength: layout.input.words, maxLength: layout.input.words }));
            return fc.tuple(fc.constant(p), fc.constant(nearWrap), fc.array(row, { minLength: cycles, maxLength: cycles }), fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 6 }));
          }),
        ([p, nearWrap, rows, cuts]) => {
          const layout = recordLayout(p);
          const iw = layout.input.words;
          const ow = layout.output.words;
          const n = rows.length;
          const input = new Int32Array(n * iw);
          rows.forEach(([ctl, en, rest], c) => {
            input.set(rest, c * iw);
            input[c * iw + layout.input.control.offset] = ctl;
            input.set(en, c * iw + layout.input.accEn.offset);
          });
          const fast = new CoreModel(p);
          const slow = new CoreModel(p);
          if (nearWrap) for (const m of [fast, slow]) m.setCounters(2 ** 48 - 5, 2 ** 48 - 40);
          const got = new Int32Array(n * ow);
          const want = new Int32Array(n * ow);
          for (let c = 0, k = 0; c < n; k++) {
            const len = Math.min(n - c, cuts[k] ?? n);
            fast.run(input, c * iw, len, got, c * ow);
            c += len;
          }
          for (let c = 0; c < n; c++) slow.stepRecord(input, c * iw, want, c * ow);
          const first = got.findIndex((v, i) => v !== want[i]);
          expect(first < 0 ? 'same' : `cycle ${Math.floor(first / ow)} word ${first % ow}: ${got[first]} vs ${want[first]}`).toBe('same');
          const inspect = (m: CoreModel) => ({
            reference: m.reference,
            accumulator: m.accumulator,
            pointer: m.pointer,
            busy: m.busyCycles,
            banks: Array.from({ length: p.banks }, (_, b) => m.bank(b)),
            next: m.peek(),
          });
          expect(inspect(fast)).toEqual(inspect(slow));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the same on long seeded streams (every operation, busy cycles, resets) across the kernel\'s chunks', () => {
    for (const p of [rr(16, 64, 2), par(16, 64, 0), par(37, 64, 3), rr(1, 64, 0)]) {
      const layout = recordLayout(p);
      const iw = layout.input.words;
      const ow = layout.output.words;
      const n = 12_000;
      const input = new Int32Array(n * iw);
      new Stimulus(p, 3).fill(input, 0, n);
      const fast = new CoreModel(p);
      const slow = new CoreModel(p);
      const got = new Int32Array(n * ow);
      const want = new Int32Array(n * ow);
      for (let c = 0, k = 0; c < n; k++) {
        const len = Math.min(n - c, 1 + ((k * 7919) % 5000));
        fast.run(input, c * iw, len, got, c * ow);
        c += len;
      }
      for (let c = 0; c < n; c++) slow.stepRecord(input, c * iw, want, c * ow);
      const first = got.findIndex((v, i) => v !== want[i]);
      expect(first < 0 ? 'same' : `${p.mode} ${p.banks}: cycle ${Math.floor(first / ow)} word ${first % ow}: ${got[first]} vs ${want[first]}`).toBe('same');
      expect(Array.from({ length: p.banks }, (_, b) => fast.bank(b))).toEqual(Array.from({ length: p.banks }, (_, b) => slow.bank(b)));
      expect([fast.reference, fast.accumulator, fast.pointer, fast.busyCycles]).toEqual([slow.reference, slow.accumulator, slow.pointer, slow.busyCycles]);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------------

describe('stimulus stream', () => {
  it('depends on the seed only, not on how it is cut into batches', () => {
    const p = par(5, 33, 1);
    const layout = recordLayout(p);
    const iw = layout.input.words;
    const n = 20_000;
    const whole = new Int32Array(n * iw);
    new Stimulus(p, 99).fill(whole, 0, n);
    const cut = new Int32Array(n * iw);
    const s = new Stimulus(p, 99);
    for (let at = 0; at < n; ) {
      const k = Math.min(n - at, 1 + ((at * 7919) % 3001));
      s.fill(cut, at * iw, k);
      at += k;
    }
    expect(cut).toEqual(whole);
    const other = new Int32Array(n * iw);
    new Stimulus(p, 100).fill(other, 0, n);
    expect(other).not.toEqual(whole);
  });

  it('the wasm kernel makes the same stream as the TypeScript random cycles (whole-word widths)', () => {
    for (const [p, seed] of [[rr(16, 64, 2), 1], [par(16, 64, 0), 2], [par(37, 64, 3), 3], [rr(3, 32, 1), 4], [par(5, 128, 1), 5], [par(40, 96, 0), 6]] as const) {
      const iw = recordLayout(p).input.words;
      const n = 30_000;
      const js = new Int32Array(n * iw);
      new Stimulus(p, seed, { kernel: false }).fill(js, 0, n);
      const wasm = new Int32Array(n * iw);
      const s = new Stimulus(p, seed);
      for (let at = 0, k = 0; at < n; k++) {
        const len = Math.min(n - at, 1 + ((k * 7919) % 6000));
        s.fill(wasm, at * iw, len);
        at += len;
      }
      const first = wasm.findIndex((v, i) => v !== js[i]);
      expect(first < 0 ? 'same' : `${p.mode} ${p.banks} x ${p.width}: cycle ${Math.floor(first / iw)} word ${first % iw}`).toBe('same');
    }
  });

  it('starts with a reset, keeps every field inside its port width, and mixes every operation', () => {
    for (const p of [rr(3, 1, 1), par(3, 7, 0), par(64, 128, 3), rr(16, 64, 2), par(2, 200, 1)]) {
      const layout = recordLayout(p);
      const iw = layout.input.words;
      const n = 50_000;
      const recs = new Int32Array(n * iw);
      new Stimulus(p, 5).fill(recs, 0, n);
      expect(recs[0]! & 1).toBe(1);
      const ops = new Set<number>();
      let resets = 0;
      for (let c = 0; c < n; c++) {
        const at = c * iw;
        ops.add((recs[at]! >>> 1) & 3);
        resets += recs[at]! & 1;
        for (const f of [layout.input.accEn, layout.input.ctrlValue, layout.input.accData]) {
          const top = recs[at + f.offset + f.words - 1]!;
          if (f.bits % 32 !== 0) expect(top >>> (f.bits % 32)).toBe(0);
        }
      }
      expect([...ops].sort()).toEqual([0, 1, 2, 3]);
      expect(resets).toBeGreaterThan(2);
    }
  });

  it('the directed block covers the published vector, all-ones, every single bit and a full pointer wrap', () => {
    const p = rr(5, 64, 1);
    const cycles = directedCycles(p);
    const deltas = cycles.flatMap((c) => (c.accEn?.[0] ? [c.accData![0]!] : []));
    expect(deltas).toContain(PUBLISHED_VECTOR);
    expect(deltas).toContain(mask(64));
    for (let k = 0; k < 64; k++) expect(deltas).toContain(1n << BigInt(k));
    expect(cycles.some((c) => c.ctrlOp === CTRL_OP.load && c.accEn?.[0])).toBe(true);
    expect(cycles.some((c) => c.ctrlOp === CTRL_OP.swapKeep)).toBe(true);
    expect(cycles.filter((c) => c.rst).length).toBeGreaterThanOrEqual(4);
  });
});

describe('word helpers', () => {
  it('extractBits / insertBits round-trip any field', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 130 }), fc.integer({ min: 0, max: 100 }), fc.bigInt({ min: 0n, max: mask(130) }), (width, pos, v) => {
        const words = wordsFor(pos + width) + 1;
        const dst = new Int32Array(words);
        const src = new Int32Array(wordsFor(width));
        bigintToWords(v, width, src, 0);
        insertBits(dst, 0, pos, width, src, 0);
        expect(wordsToBigint(dst, 0, 32 * words)).toBe(BigInt.asUintN(width, v) << BigInt(pos));
        const back = new Int32Array(wordsFor(width));
        extractBits(dst, 0, pos, width, back, 0);
        expect(wordsToBigint(back, 0, width)).toBe(BigInt.asUintN(width, v));
      }),
    );
  });

  it('hex round-trip; X and Z are refused', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.bigInt({ min: 0n, max: mask(200) }), (width, v) => {
        const src = new Int32Array(wordsFor(width));
        bigintToWords(v, width, src, 0);
        const hex = wordsToPlainHex(src, 0, width);
        expect(hex).toHaveLength(Math.ceil(width / 4));
        const back = new Int32Array(wordsFor(width));
        expect(hexToWords(hex, back, 0, back.length)).toBe(true);
        expect(back).toEqual(src);
      }),
    );
    expect(hexToWords('1x', new Int32Array(1), 0, 1)).toBe(false);
    expect(hexToWords('z0000000f', new Int32Array(1), 0, 1)).toBe(false);
  });
});
