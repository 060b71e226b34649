// The UART end-to-end stimulus without simulators: reproducible from the seed, every malformed case present, frames
// whole at item boundaries, waits where the pacing needs them.
import { describe, expect, it } from 'vitest';
import { resolveDesign } from '../../generator/design/design.js';
import { MAX_BATCH, OPCODES } from '../../generator/protocol/uart.js';
import { PACING_REPLY_BYTES, uartItems, uartStimulus } from './uart-stimulus.js';

const design = resolveDesign({ board: 'tang9k', banks: 16, width: 64, clockMHz: 3.375 });
// one payload byte: a value is never cut inside
const narrow = resolveDesign({ board: 'tang9k', banks: 3, width: 7, clockMHz: 10.125, baud: 921_600, frameTimeoutMs: 5 });

describe('uartStimulus', () => {
  it('is the same for the same seed and differs for another', () => {
    expect(uartStimulus(design, 7, 100).script).toBe(uartStimulus(design, 7, 100).script);
    expect(uartStimulus(design, 8, 100).script).not.toBe(uartStimulus(design, 7, 100).script);
  });

  it('has the directed block, then the random items asked for', () => {
    const directed = uartItems(design, 1, 0).length;
    expect(uartItems(design, 1, 50)).toHaveLength(directed + 50);
    const heads = new Set(uartItems(design, 1, 0).map((i) => i.label.split(/[ :]/)[0]));
    for (const kind of ['short', 'slow', 'junk', 'broken', 'bad-stop', ...OPCODES.map((o) => o.letter)]) expect(heads).toContain(kind);
  });

  it('sends BATCH frames of 0, 1 and 255 values, back to back, and cuts them short between values and inside one', () => {
    for (const d of [design, narrow]) {
      const labels = uartItems(d, 1, 0).map((i) => i.label);
      expect(labels).toContain('B 0');
      expect(labels.some((l) => l.startsWith('B 1: '))).toBe(true);
      expect(labels.some((l) => l.startsWith(`B ${MAX_BATCH}: `))).toBe(true);
      expect(labels.some((l, i) => l.startsWith('B ') && labels[i + 1]?.startsWith('B '))).toBe(true);
      const cut = labels.filter((l) => /^(short|broken|slow) B/.test(l));
      expect(cut.some((l) => /^short B: the opcode, the count \(\d+\) and 2 whole value\(s\), then/.test(l))).toBe(true);
      expect(cut.some((l) => l.startsWith('short B: the opcode, then'))).toBe(true);
      expect(cut.some((l) => l.startsWith('broken B: the opcode, then'))).toBe(true);
      expect(cut.some((l) => l.startsWith('slow B'))).toBe(true);
      if (d === design) expect(cut.some((l) => /^short B: .* of 8 byte\(s\) of the next/.test(l))).toBe(true);
    }
    // random items: batches of many sizes
    const sizes = uartItems(design, 2, 600).flatMap((i) => (/^B \d+/.test(i.label) ? [Number(i.label.split(/[ :]/)[1])] : []));
    expect(sizes).toContain(0);
    expect(Math.max(...sizes)).toBeGreaterThan(16);
  });

  it('sends a READ while deltas are still arriving: no wait between them', () => {
    const s = uartStimulus(design, 1, 0);
    const lines = s.script.split('\n');
    // some READ opcode (0x52) directly follows an ACCUM frame's last byte, without a wait
    const readAfterAccum = lines.some((l, i) => l === 'b 52' && lines[i - 1]?.startsWith('m ') && lines[i - 2]?.startsWith('b ') && lines.slice(i - 12, i).includes('b 41'));
    expect(readAfterAccum).toBe(true);
  });

  it('waits before a reply would take the bytes on their way above the pacing limit', () => {
    const s = uartStimulus(design, 3, 300);
    let promised = 0;
    let waited = 0;
    const replyBytesOf = new Map<number, number>();
    for (const r of s.replies) replyBytesOf.set(r.item, (replyBytesOf.get(r.item) ?? 0) + r.reply.length);
    for (const line of s.script.split('\n')) {
      const [op, a] = line.split(' ');
      if (op === 'w') waited = Number(a);
      if (op === 'm' && Number(a) < s.items.length) {
        const adds = replyBytesOf.get(Number(a)) ?? 0;
        if (adds > 0 && promised > waited) expect(promised - waited + adds).toBeLessThanOrEqual(PACING_REPLY_BYTES);
        promised += adds;
      }
    }
    expect(s.script.trimEnd().split('\n').at(-2)).toBe(`w ${promised} ${s.script.trimEnd().split('\n').at(-2)!.split(' ')[2]}`);
  });

  it('marks the first item that must light the error LED', () => {
    const s = uartStimulus(design, 1, 0);
    expect(s.items[s.firstErrorItem!]!.label).toMatch(/^short /);
  });
});
