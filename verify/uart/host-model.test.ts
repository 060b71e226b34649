// The host-protocol model on its own: framing, replies, malformed input, against hand-written expectations.
import { describe, expect, it } from 'vitest';
import { resolveDesign } from '../../generator/design/design.js';
import { toBigEndian as bigEndian } from '../../generator/protocol/codec.js';
import {
  COUNTERS_BYTES,
  decodeInfo,
  encodeBatch,
  MAX_BATCH,
  OPCODES,
  isOpcodeByte as isOpcode,
  PROTOCOL_VERSION,
  STATUS_CLEAN,
  SYNC_REPLY,
} from '../../generator/protocol/uart.js';
import { GENERATOR_VERSION } from '../../generator/common/version.js';
import { encodeFrame, HostModel, parseCounters, uartTiming, type ExpectedReply, type LineEvent } from './host-model.js';

const d64 = resolveDesign({ board: 'tang9k', banks: 4, width: 64, clockMHz: 3.375 });
const d20 = resolveDesign({ board: 'tang9k', banks: 4, width: 20, mode: 'parallel', clockMHz: 3.375 });

/** Feeds good bytes; returns every reply. */
function feed(model: HostModel, events: readonly (number | LineEvent)[]): ExpectedReply[] {
  const out: ExpectedReply[] = [];
  for (const e of events) {
    const r = model.receive(typeof e === 'number' ? { kind: 'byte', value: e } : e);
    if (r) out.push(r);
  }
  return out;
}
const frame = (letter: string, width: number, value?: bigint) => encodeFrame(letter, width, value);

describe('HostModel', () => {
  it('derives the UART timing from the design clock', () => {
    expect(uartTiming(d64)).toEqual({ clksPerBit: 29, byteCycles: 290, timeoutClks: 168750 });
    const fast = resolveDesign({ board: 'tang9k', banks: 4, width: 64, clockMHz: 12, baud: 3_000_000, frameTimeoutMs: 2 });
    expect(uartTiming(fast)).toEqual({ clksPerBit: 4, byteCycles: 40, timeoutClks: 24000 });
  });

  it('LOAD, ACCUM, READ, STATUS, REFERENCE: big-endian replies', () => {
    const m = new HostModel(d64);
    const r = feed(m, [
      ...frame('S', 64),
      ...frame('L', 64, 0xf1d3b597795b3d1fn),
      ...frame('A', 64, 0xffn),
      ...frame('R', 64),
      ...frame('S', 64),
      ...frame('D', 64),
    ]);
    expect(r.map((x) => x.bytes)).toEqual([
      [STATUS_CLEAN],
      [0xf1, 0xd3, 0xb5, 0x97, 0x79, 0x5b, 0x3d, 0xe0],
      [0x00],
      [0xf1, 0xd3, 0xb5, 0x97, 0x79, 0x5b, 0x3d, 0x1f],
    ]);
    expect(m.deltaCount).toBe(1n);
  });

  it('payload bits above the width are ignored; replies are right-aligned in whole bytes', () => {
    const m = new HostModel(d20);
    const r = feed(m, [...frame('L', 20, 0xfedcban), ...frame('D', 20), ...frame('A', 20, 0xf00001n), ...frame('R', 20)]);
    expect(r.map((x) => x.bytes)).toEqual([
      [0x0e, 0xdc, 0xba],
      [0x0e, 0xdc, 0xbb],
    ]);
  });

  it('ROLLBACK undoes a delta; SWAP and SWAP-keep reply the old state', () => {
    const m = new HostModel(d64);
    const r = feed(m, [
      ...frame('L', 64, 5n),
      ...frame('A', 64, 3n),
      ...frame('U', 64, 3n),
      ...frame('S', 64),
      ...frame('A', 64, 1n),
      ...frame('W', 64, 100n),
      ...frame('D', 64),
      ...frame('A', 64, 2n),
      ...frame('K', 64),
      ...frame('D', 64),
      ...frame('S', 64),
    ]);
    expect(r.map((x) => x.bytes)).toEqual([[STATUS_CLEAN], bigEndian(4n, 8), bigEndian(100n, 8), bigEndian(102n, 8), bigEndian(102n, 8), [STATUS_CLEAN]]);
    expect(m.deltaCount).toBe(4n);
  });

  it('INFO, SYNC and COUNTERS', () => {
    const m = new HostModel(d64);
    const r = feed(m, [...frame('A', 64, 1n), ...frame('I', 64), ...frame('P', 64), ...frame('C', 64)]);
    expect(decodeInfo(r[0]!.bytes!)).toEqual({
      protocol: PROTOCOL_VERSION,
      version: GENERATOR_VERSION,
      width: 64,
      banks: 4,
      mode: 'round-robin',
      pipeline: d64.pipeline,
      frameTimeoutMs: 50,
      baud: 115200,
    });
    expect(r[1]!.bytes).toEqual([SYNC_REPLY]);
    expect(r[2]).toMatchObject({ bytes: null, length: COUNTERS_BYTES, counters: { deltaCount: 1n } });
    expect(parseCounters([0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 3])).toEqual({ cycleCount: 0x102n, deltaCount: 3n });
  });

  it('ignores bytes that are not opcodes where an opcode is expected, and takes them as payload inside a frame', () => {
    const m = new HostModel(d64);
    const junk = [0x00, 0xff, 0x3f, 0x72].filter((b) => !isOpcode(b));
    expect(junk).toHaveLength(4);
    expect(feed(m, [...junk, ...frame('S', 64)]).map((x) => x.bytes)).toEqual([[STATUS_CLEAN]]);
    // 'R' inside a LOAD's payload is data
    expect(feed(m, [...frame('L', 64, 0x5252525252525252n), ...frame('R', 64)]).map((x) => x.bytes)).toEqual([bigEndian(0x5252525252525252n, 8)]);
  });

  it('drops a partial frame on the timeout, keeps one that is only slow, and refuses to guess near the boundary', () => {
    const m = new HostModel(d64);
    const { timeoutClks } = m.timing;
    const a = frame('A', 64, 0xffn);
    expect(feed(m, [...a.slice(0, 4), { kind: 'idle', cycles: timeoutClks }, ...frame('S', 64)]).map((x) => x.bytes)).toEqual([[STATUS_CLEAN]]);
    expect(m.errorEvents).toBe(1);
    feed(m, [...a.slice(0, 4), { kind: 'idle', cycles: timeoutClks / 2 }, ...a.slice(4)]);
    expect(m.context.accumulator).toBe(0xffn);
    expect(() => feed(m, [...a.slice(0, 2), { kind: 'idle', cycles: timeoutClks - 10 }])).toThrow(/too close/);
    // idle time between frames is harmless
    const n = new HostModel(d64);
    feed(n, [{ kind: 'idle', cycles: 10 * timeoutClks }]);
    expect(n.errorEvents).toBe(0);
  });

  it('drops a byte with a low stop bit and the partial frame with it', () => {
    const m = new HostModel(d64);
    const r = feed(m, [
      ...frame('A', 64, 0xffn).slice(0, 5),
      { kind: 'bad-stop', value: 0x52 },
      ...frame('R', 64),
      { kind: 'bad-stop', value: 0x52 },
      ...frame('S', 64),
    ]);
    expect(r.map((x) => [x.opcode.letter, x.bytes])).toEqual([
      ['R', bigEndian(0n, 8)],
      ['S', [STATUS_CLEAN]],
    ]);
    expect(m.errorEvents).toBe(2);
  });

  it('BATCH: each value is carried out as it completes, in order, and counted; a count of 0 is a whole frame', () => {
    const m = new HostModel(d20);
    const deltas = [0x1n, 0xf00002n, 0x4n];
    expect(encodeBatch(20, deltas)).toEqual([0x42, 3, 0x00, 0x00, 0x01, 0xf0, 0x00, 0x02, 0x00, 0x00, 0x04]);
    const r = feed(m, [...frame('L', 20, 0x10n), ...encodeBatch(20, []), ...frame('R', 20)]);
    expect(r.map((x) => x.bytes)).toEqual([[0x00, 0x00, 0x10]]);
    const b = encodeBatch(20, deltas);
    // each value lands once its last byte arrives, not at the end of the frame
    expect(feed(m, b.slice(0, 5))).toEqual([]);
    expect(m.context.accumulator).toBe(0x1n);
    expect(m.midFrame).toBe(true);
    feed(m, b.slice(5));
    expect(m.midFrame).toBe(false);
    expect(m.context.accumulator).toBe(0x7n); // 1 ^ 2 ^ 4: bits above the width dropped
    expect(m.deltaCount).toBe(3n);
    // the bytes after the count are data, whatever they look like
    expect(feed(m, [...encodeBatch(20, [0x525252n, 0x424242n]), ...frame('S', 20)]).map((x) => x.bytes)).toEqual([[0x00]]);
    expect(m.context.accumulator).toBe(0x7n ^ ((0x525252n ^ 0x424242n) & 0xfffffn));
    // the most values a frame carries; the count is a byte
    const n = new HostModel(d64);
    feed(n, encodeBatch(64, Array.from({ length: MAX_BATCH }, (_, i) => 1n << BigInt(i % 64))));
    expect(n.deltaCount).toBe(BigInt(MAX_BATCH));
    expect(n.midFrame).toBe(false);
    expect(() => encodeBatch(64, new Array<bigint>(MAX_BATCH + 1).fill(0n))).toThrow(/at most 255/);
  });

  it('a BATCH cut short keeps the values it completed: timeout between and inside values, low stop bit, count only', () => {
    const m = new HostModel(d64);
    const { timeoutClks } = m.timing;
    const b = encodeBatch(64, [0x1n, 0x2n, 0x4n, 0x8n]);
    // two whole values and half of the third, then the timeout
    expect(feed(m, [...b.slice(0, 2 + 8 * 2 + 4), { kind: 'idle', cycles: timeoutClks }, ...frame('R', 64)]).map((x) => x.bytes)).toEqual([bigEndian(0x3n, 8)]);
    expect(m.deltaCount).toBe(2n);
    // one whole value, then the timeout between values
    feed(m, [...b.slice(0, 2 + 8), { kind: 'idle', cycles: timeoutClks }]);
    expect(m.context.accumulator).toBe(0x2n);
    // the count only, then a low stop bit inside the first value
    feed(m, [...b.slice(0, 2), { kind: 'idle', cycles: timeoutClks }, ...b.slice(0, 5), { kind: 'bad-stop', value: 0x42 }]);
    expect(m.context.accumulator).toBe(0x2n);
    expect(m.deltaCount).toBe(3n);
    expect(m.errorEvents).toBe(4);
    // slow, inside the timeout: kept
    feed(m, [...b.slice(0, 2 + 8 + 3), { kind: 'idle', cycles: timeoutClks / 2 }, ...b.slice(2 + 8 + 3)]);
    expect(m.context.accumulator).toBe(0x2n ^ 0xfn);
    expect(m.midFrame).toBe(false);
  });

  it('knows every opcode of the table', () => {
    for (const op of OPCODES) expect(isOpcode(op.byte)).toBe(true);
  });
});
