// The UART end-to-end stimulus without simulators: reproducible from the seed, every malformed case present, frames
// whole at item boundaries, waits where the pacing needs them.
import { describe, expect, it } from 'vitest';
import { resolveDesign } from '../../generator/design/design.js';
import { PACING_REPLY_BYTES, uartItems, uartStimulus } from './uart-stimulus.js';

const design = resolveDesign({ board: 'tang9k', banks: 16, width: 64, clockMHz: 3.375 });

describe('uartStimulus', () => {
  it('is the same for the same seed and differs for another', () => {
    expect(uartStimulus(design, 7, 100).script).toBe(uartStimulus(design, 7, 100).script);
    expect(uartStimulus(design, 8, 100).script).not.toBe(uartStimulus(design, 7, 100).script);
  });

  it('has the directed block, then the random items asked for', () => {
    const directed = uartItems(design, 1, 0).length;
    expect(uartItems(design, 1, 50)).toHaveLength(directed + 50);
    const heads = new Set(uartItems(design, 1, 0).map((i) => i.label.split(/[ :]/)[0]));
    for (const kind of ['short', 'slow', 'junk', 'broken', 'bad-stop', 'L', 'A', 'U', 'R', 'S', 'D', 'W', 'K', 'I', 'C', 'P']) expect(heads).toContain(kind);
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
