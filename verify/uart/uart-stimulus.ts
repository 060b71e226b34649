// What the UART end-to-end check sends: a seeded list of items (a frame, or a piece of malformed input), the replies
// the host model predicts for them, and the BFM script that plays them on uart_rx (templates/sim/uart_bfm_harness.cpp.hbs).
//
// A directed block comes first: the reset state, the published vector, all-ones, single bits, the bank-pointer wrap,
// ROLLBACK, both SWAPs, SYNC, INFO and COUNTERS, reads sent while deltas are still arriving, BATCH frames (no values,
// one, a round of the banks and more, the most a frame carries, back to back), and the malformed cases (a short frame
// and the inter-byte timeout, a frame slow but inside the timeout, junk bytes, low stop bits; for BATCH, each of these
// between values and inside one). Random items follow. The list depends only on the design and the seed.
//
// Pacing: frames go back to back, except that before a frame with a reply, when the replies still on their way and
// this one would add up to more than PACING_REPLY_BYTES, the script waits for them. Frames queue in the board's byte
// FIFO only behind a reply that waits for the transmitter, so this keeps the FIFO's fill well below its depth: a FIFO
// overflow (bytes lost by design) is a different case, not exercised here.
import type { Design } from '../../generator/design/design.js';
import { hexBytes as hex } from '../../generator/protocol/codec.js';
import { MAX_BATCH, UART_FIFO_DEPTH, encodeBatch, encodeFrame, isOpcodeByte, opcodeByByte, opcodeByLetter, payloadBytes } from '../../generator/protocol/uart.js';
import { GENERATOR_VERSION } from '../../generator/common/version.js';
import { HostModel, type ExpectedReply, type LineEvent } from './host-model.js';
import { Prng, publishedVectorAt } from '../core/stimulus.js';

/** One thing the host does on the line: a frame, or malformed input. */
export interface UartItem {
  readonly label: string;
  readonly events: readonly LineEvent[];
}

export interface ExpectedAt {
  /** Index of the item whose frame this replies to. */
  readonly item: number;
  readonly reply: ExpectedReply;
}

export interface UartStimulus {
  readonly items: readonly UartItem[];
  /** Every reply, in the order the board must send them. */
  readonly replies: readonly ExpectedAt[];
  /** The first item that sets the board's error flag (framing error, timeout drop), or null. */
  readonly firstErrorItem: number | null;
  /** The BFM script. */
  readonly script: string;
  /** Cycles the reset button is held at the start. */
  readonly resetCycles: number;
}

/** The reply bytes that may be on their way before the script waits for them (see the file comment). */
export const PACING_REPLY_BYTES = 16;
const RESET_CYCLES = 16;
// While the replies on their way leave, about as many bytes arrive; a few more for the frame being parsed.
if (PACING_REPLY_BYTES + 4 > UART_FIFO_DEPTH) throw new Error('internal: the pacing could overflow the byte FIFO');

/** The items of a run: the directed block, then `randomFrames` random items. */
// Long on purpose: the directed frames are a flat list of cases, read best in one place, in the order they run.
export function uartItems(design: Design, seed: number, randomFrames: number): UartItem[] {
  const W = design.width;
  const P = payloadBytes(W);
  const model = new HostModel(design);
  const { timeoutClks, byteCycles } = model.timing;
  const rng = new Prng(seed);
  const items: UartItem[] = [];
  const ones = (1n << BigInt(W)) - 1n;
  const V = publishedVectorAt(W);
  const bit = (k: number) => 1n << BigInt(k % W);

  const frameOf = (letter: string, value: bigint) => encodeFrame(letter, W, value);
  const bytes = (values: readonly number[]): LineEvent[] => values.map((value) => ({ kind: 'byte', value }));
  const frame = (letter: string, value?: bigint) => {
    const all = frameOf(letter, value ?? 0n);
    items.push({ label: opcodeByLetter(letter).payload ? `${letter} ${hex(all.slice(1))}` : letter, events: bytes(all) });
  };
  const batch = (deltas: readonly bigint[]) => {
    const all = encodeBatch(W, deltas);
    items.push({ label: `B ${deltas.length}${deltas.length > 0 ? `: ${hex(all.slice(2))}` : ''}`, events: bytes(all) });
  };
  const randomDeltas = (n: number) => Array.from({ length: n }, () => rng.bigint(8 * P));
  /** Idle time that surely drops a partial frame, and one that surely does not. */
  const dropIdle = timeoutClks + 3 * byteCycles;
  const keepIdle = Math.floor(timeoutClks / 2);
  const junkBytes = (n: number) => {
    const out: number[] = [];
    while (out.length < n) {
      const b = rng.below(256);
      if (!isOpcodeByte(b)) out.push(b);
    }
    return out;
  };
  // Malformed and slow frames take a whole frame's bytes (`frameOf`, `encodeBatch`) and the bytes after its opcode
  // sent before the gap or the bad byte; `partOf` names that part.
  const partOf = (all: readonly number[], sent: number): string => {
    if (!opcodeByByte(all[0]!).counted) return `the opcode and ${sent} of ${P} payload byte(s)`;
    if (sent === 0) return 'the opcode';
    const whole = Math.floor((sent - 1) / P);
    const rest = (sent - 1) % P;
    return `the opcode, the count (${all[1]}) and ${whole} whole value(s)${rest > 0 ? ` and ${rest} of ${P} byte(s) of the next` : ''}`;
  };
  const letterOf = (all: readonly number[]) => opcodeByByte(all[0]!).letter;
  const shortFrame = (all: readonly number[], sent: number) => {
    items.push({
      label: `short ${letterOf(all)}: ${partOf(all, sent)}, then ${dropIdle} idle cycles (timeout ${timeoutClks})`,
      events: [...bytes(all.slice(0, 1 + sent)), { kind: 'idle', cycles: dropIdle }],
    });
  };
  const slowFrame = (all: readonly number[], before: number) => {
    items.push({
      label: `slow ${letterOf(all)} ${hex(all.slice(1))}: ${keepIdle} idle cycles after ${partOf(all, before)} (inside the timeout)`,
      events: [...bytes(all.slice(0, 1 + before)), { kind: 'idle', cycles: keepIdle }, ...bytes(all.slice(1 + before))],
    });
  };
  const badStopInFrame = (all: readonly number[], sent: number, bad: number) => {
    items.push({
      label: `broken ${letterOf(all)}: ${partOf(all, sent)}, then ${hex([bad])} with a low stop bit`,
      events: [...bytes(all.slice(0, 1 + sent)), { kind: 'bad-stop', value: bad }],
    });
  };
  const badStopAlone = (bad: number) => items.push({ label: `bad-stop ${hex([bad])}: a lone byte with a low stop bit`, events: [{ kind: 'bad-stop', value: bad }] });
  const junk = (values: readonly number[]) => items.push({ label: `junk ${hex(values)}`, events: bytes(values) });

  // ---- directed block ----------------------------------------------------------------------------------------------
  // the state after reset
  for (const l of ['I', 'S', 'R', 'D', 'C', 'P']) frame(l);
  // the published vector: load, XOR in (state 0), XOR in again (state V)
  frame('L', V);
  for (const l of ['D', 'R', 'S']) frame(l);
  frame('A', V);
  frame('R');
  frame('S');
  frame('A', V);
  frame('S');
  frame('R');
  // all ones, undone by ROLLBACK
  frame('L', ones);
  frame('A', ones);
  frame('R');
  frame('U', ones);
  frame('R');
  // single bits
  for (const k of new Set([0, 1, Math.floor(W / 2), W - 1])) {
    frame('A', bit(k));
    frame('R');
  }
  // bank-pointer wrap: banks + 2 distinct deltas back to back, then a read; and again after a LOAD mid-round
  frame('L', 0n);
  for (let i = 0; i < design.banks + 2; i++) frame('A', BigInt.asUintN(W, V * BigInt(2 * i + 3)) ^ bit(i));
  frame('R');
  for (let i = 0; i < Math.ceil(design.banks / 2); i++) frame('A', bit(3 * i + 1));
  frame('L', V);
  for (let i = 0; i < design.banks + 1; i++) frame('A', bit(i));
  frame('R');
  // READs while deltas are still arriving: nothing waits between these frames
  for (const l of ['A', 'A', 'A', 'R', 'A', 'A', 'R', 'A', 'R', 'S', 'A', 'D']) frame(l, l === 'D' || l === 'R' || l === 'S' ? 0n : rng.bigint(8 * P));
  // SWAP with a value, SWAP-keep, and deltas right after a SWAP-keep (the core is busy while it drains)
  frame('W', V);
  frame('D');
  frame('A', bit(5));
  frame('K');
  frame('A', ones);
  frame('A', bit(7));
  frame('R');
  frame('D');
  frame('S');
  frame('K');
  frame('S');
  frame('P');
  frame('C');
  // BATCH: no values (nothing happens), one value, more values than banks, batches back to back and a READ right
  // behind one, deltas undone by ROLLBACK; a count that reads as an opcode (0x42, BATCH itself) is a count; the most
  // values a frame carries
  frame('L', V);
  batch([]);
  frame('R');
  batch([bit(3)]);
  frame('R');
  batch(Array.from({ length: design.banks + 2 }, (_, i) => BigInt.asUintN(W, V * BigInt(2 * i + 5)) ^ bit(2 * i)));
  frame('R');
  batch([ones]);
  batch([]);
  batch([bit(1), ones, bit(2)]);
  frame('S');
  frame('R');
  frame('U', bit(1));
  frame('U', bit(2));
  frame('S');
  batch(randomDeltas(0x42));
  frame('R');
  batch(randomDeltas(MAX_BATCH));
  frame('C');
  frame('R');
  // malformed: a short frame and the timeout (the partial frame is dropped), then good frames
  shortFrame(frameOf('A', ones), Math.floor(P / 2));
  frame('R');
  shortFrame(frameOf('L', rng.bigint(8 * P)), 0);
  frame('D');
  // a frame slow but inside the timeout is kept
  slowFrame(frameOf('A', V), Math.min(1, P - 1));
  frame('R');
  // junk where an opcode is expected is ignored
  junk(junkBytes(4));
  frame('R');
  junk(junkBytes(1));
  frame('S');
  // a low stop bit drops the byte and the partial frame; an opcode with a low stop bit is not carried out
  badStopInFrame(frameOf('A', ones), P - 1, 0x55);
  frame('R');
  badStopAlone(0x52); // 'R'
  frame('S');
  badStopInFrame(frameOf('W', V), 0, 0x41); // 'A'
  frame('D');
  // a low stop bit on an opcode: its payload bytes then arrive where an opcode is expected
  items.push({
    label: `bad-stop 41 (A) with a low stop bit, then its payload ${P > 2 ? '52 53 ...' : P > 1 ? '52 53' : '52'} where an opcode is expected`,
    events: [{ kind: 'bad-stop', value: 0x41 }, ...bytes([0x52, 0x53, ...junkBytes(Math.max(0, P - 2))].slice(0, P))],
  });
  frame('R');
  frame('C');
  // a BATCH cut short keeps the values it completed and drops the rest: the timeout between values, inside a value
  // (between values when a value is one byte), after the count and after the opcode; a low stop bit inside a value
  // and on the count. Slow ones, between values and inside one, are kept.
  shortFrame(encodeBatch(W, randomDeltas(4)), 1 + 2 * P);
  frame('R');
  shortFrame(encodeBatch(W, randomDeltas(5)), 1 + 2 * P + Math.floor(P / 2));
  frame('R');
  shortFrame(encodeBatch(W, randomDeltas(3)), 1);
  frame('S');
  shortFrame(encodeBatch(W, randomDeltas(3)), 0);
  frame('R');
  slowFrame(encodeBatch(W, randomDeltas(3)), 1 + P);
  slowFrame(encodeBatch(W, randomDeltas(2)), 1 + P + Math.floor(P / 2));
  frame('R');
  badStopInFrame(encodeBatch(W, randomDeltas(4)), 1 + P + Math.floor(P / 2), 0x42);
  frame('R');
  badStopInFrame(encodeBatch(W, randomDeltas(3)), 0, 0x03);
  frame('R');
  frame('C');

  // ---- random items --------------------------------------------------------------------------------------------------
  const recent: bigint[] = [];
  const delta = (): bigint => {
    switch (rng.below(4)) {
      case 0:
        return bit(rng.below(W));
      case 1:
        return rng.bigint(8 * P) & rng.bigint(8 * P) & rng.bigint(8 * P); // sparse
      default:
        return rng.bigint(8 * P); // every payload bit, above W too
    }
  };
  const remember = (d: bigint) => {
    recent.push(d);
    if (recent.length > 8) recent.shift();
  };
  // mostly a few values, sometimes none, now and then up to the most a frame carries
  const batchSize = (): number => {
    const r = rng.below(16);
    return r === 0 ? 0 : r < 11 ? 1 + rng.below(4) : r < 15 ? 5 + rng.below(12) : 17 + rng.below(MAX_BATCH - 16);
  };
  const randomBatch = () => {
    const deltas = Array.from({ length: batchSize() }, delta);
    deltas.forEach(remember);
    batch(deltas);
  };
  /** A random frame with a payload, for the malformed and slow items. */
  const payloadFrame = (letters: readonly string[]): number[] => {
    const letter = rng.pick(letters);
    return letter === 'B' ? encodeBatch(W, randomDeltas(1 + rng.below(4))) : frameOf(letter, rng.bigint(8 * P));
  };
  const target = items.length + randomFrames;
  while (items.length < target) {
    const r = rng.below(100);
    if (r < 22) {
      const d = delta();
      remember(d);
      frame('A', d);
    } else if (r < 28) randomBatch();
    else if (r < 34) {
      frame('U', recent.length > 0 ? recent[rng.below(recent.length)]! : delta());
    } else if (r < 48) frame('R');
    else if (r < 54) frame('S');
    else if (r < 58) frame('D');
    else if (r < 63) frame('L', rng.below(4) === 0 ? V : rng.bigint(8 * P));
    else if (r < 67) frame('W', rng.bigint(8 * P));
    else if (r < 71) frame('K');
    else if (r < 74) frame('C');
    else if (r < 76) frame('I');
    else if (r < 79) frame('P');
    else if (r < 85) {
      // a burst: deltas (single and batched) and a read, back to back
      const n = 2 + rng.below(5);
      for (let i = 0; i < n; i++) {
        if (rng.below(3) === 0) randomBatch();
        else frame('A', delta());
      }
      frame('R');
    } else if (r < 89) junk(junkBytes(1 + rng.below(4)));
    else if (r < 91) {
      const all = payloadFrame(['A', 'L', 'U', 'W', 'B']);
      shortFrame(all, rng.below(all.length - 1));
    } else if (r < 93) {
      const all = payloadFrame(['A', 'L', 'W', 'B']);
      slowFrame(all, rng.below(all.length - 1));
    } else if (r < 96) {
      const all = payloadFrame(['A', 'L', 'W', 'B']);
      badStopInFrame(all, rng.below(all.length - 1), rng.below(256));
    }    else if (r < 98) badStopAlone(rng.pick([0x52, 0x53, 0x44, 0x43, rng.below(256)]));
    else frame('R');
  }
  return items.slice(0, target);
}

/** Runs the items through the host model and writes the BFM script with its waits. */
export function uartStimulus(design: Design, seed: number, randomFrames: number): UartStimulus {
  if (!Number.isInteger(randomFrames) || randomFrames < 0) throw new RangeError(`frames must be a whole number >= 0, got ${randomFrames}`);
  return uartStimulusOf(design, seed, uartItems(design, seed, randomFrames));
}

/** Runs a list of items (uartItems', or a shorter one of one's own: verify/netlist/) through the host model, with the script. */
export function uartStimulusOf(design: Design, seed: number, items: readonly UartItem[]): UartStimulus {
  const model = new HostModel(design);
  const { byteCycles } = model.timing;
  const replies: ExpectedAt[] = [];
  const lines: string[] = [
    `# Generated by atomik-gen ${GENERATOR_VERSION}: UART end-to-end BFM script (templates/sim/uart_bfm_harness.cpp.hbs).`,
    `# ${design.name}: ${design.banks} bank(s) x ${design.width} bit(s), ${design.mode}, pipeline ${design.pipeline}, seed ${seed}, ${items.length} items`,
    `p ${RESET_CYCLES}`,
    // the board holds its reset a few cycles past the button (its synchronizer): a byte sent at once could be cut
    `i ${byteCycles}`,
  ];
  let firstErrorItem: number | null = null;
  let promised = 0; // reply bytes of every frame sent so far
  let waitedFor = 0; // reply bytes the script has waited for
  items.forEach((item, index) => {
    const errorsBefore = model.errorEvents;
    const itemReplies: ExpectedReply[] = [];
    for (const e of item.events) {
      const reply = model.receive(e);
      if (reply) itemReplies.push(reply);
    }
    if (model.midFrame) throw new Error(`internal: item ${index} (${item.label}) leaves a partial frame`);
    if (firstErrorItem === null && model.errorEvents > errorsBefore) firstErrorItem = index;
    const adds = itemReplies.reduce((n, r) => n + r.length, 0);
    const onTheWay = promised - waitedFor;
    if (adds > 0 && onTheWay > 0 && onTheWay + adds > PACING_REPLY_BYTES) {
      lines.push(`w ${promised} ${(onTheWay + 4) * (byteCycles + 8) + 1024}`);
      waitedFor = promised;
    }
    lines.push(`m ${index}`);
    for (const e of item.events) {
      if (e.kind === 'byte') lines.push(`b ${e.value.toString(16)}`);
      else if (e.kind === 'bad-stop') lines.push(`f ${e.value.toString(16)}`);
      else lines.push(`i ${e.cycles}`);
    }
    for (const reply of itemReplies) replies.push({ item: index, reply });
    promised += adds;
  });
  // the last replies, then quiet time in which nothing more may arrive
  lines.push(`m ${items.length}`);
  lines.push(`w ${promised} ${(promised - waitedFor + 4) * (byteCycles + 8) + 1024}`);
  lines.push(`i ${4 * byteCycles}`);
  return { items, replies, firstErrorItem, script: `${lines.join('\n')}\n`, resetCycles: RESET_CYCLES };
}
