// The UART items a board-top netlist plays: every opcode of the protocol at least once, with replies that show its
// effect, in as few line cycles as possible. A gate-level simulation runs about a hundred times slower than the RTL, so
// the full directed block of the UART check (uart-stimulus.ts: about 57 M cycles at the default 115200 baud, most of
// them waiting out frame timeouts) is out of reach; this list leaves out what only waits (the timeout cases) and keeps
// the byte-level malformed input that costs a byte or two (a low stop bit, junk where an opcode is expected).
import type { Design } from '../../generator/design/design.js';
import { encodeBatch, encodeFrame, opcodeByLetter } from '../../generator/protocol/uart.js';
import { hexBytes } from '../../generator/protocol/codec.js';
import { publishedVectorAt } from '../core/stimulus.js';
import type { LineEvent } from '../uart/host-model.js';
import type { UartItem } from '../uart/uart-stimulus.js';

const bytes = (values: readonly number[]): LineEvent[] => values.map((value) => ({ kind: 'byte', value }));

export function netlistItems(design: Design): UartItem[] {
  const W = design.width;
  const ones = (1n << BigInt(W)) - 1n;
  const V = publishedVectorAt(W);
  const bit = (k: number) => 1n << BigInt(k % W);
  const items: UartItem[] = [];
  const frame = (letter: string, value = 0n) => {
    const all = encodeFrame(letter, W, value);
    items.push({ label: opcodeByLetter(letter).payload ? `${letter} ${hexBytes(all.slice(1), Infinity)}` : letter, events: bytes(all) });
  };
  const batch = (deltas: readonly bigint[]) => {
    const all = encodeBatch(W, deltas);
    items.push({ label: `B ${deltas.length}: ${hexBytes(all.slice(2), Infinity)}`, events: bytes(all) });
  };
  // the reset state; the design's description
  for (const l of ['I', 'S', 'R', 'D']) frame(l);
  // LOAD, ACCUM twice (back to the reference), all ones undone by ROLLBACK, the top bit
  frame('L', V);
  frame('A', ones);
  frame('R');
  frame('S');
  frame('U', ones);
  frame('A', bit(W - 1) | 1n);
  frame('R');
  frame('D');
  // the lanes or banks in turn (one more than there are, so a round-robin pointer wraps), then a READ right behind them
  for (let i = 0; i <= Math.min(design.banks, 4); i++) frame('A', BigInt.asUintN(W, V * BigInt(2 * i + 3)) ^ bit(i));
  frame('R');
  // SWAP with a value, SWAP-keep and a delta while it drains
  frame('W', ones ^ V);
  frame('K');
  frame('A', bit(5));
  frame('R');
  frame('D');
  // BATCH; a low stop bit on a lone opcode byte (not carried out) and junk where an opcode is expected (ignored)
  batch([bit(3), V, ones]);
  items.push({ label: 'bad-stop 52 (R): a lone byte with a low stop bit', events: [{ kind: 'bad-stop', value: 0x52 }] });
  items.push({ label: 'junk 00 ff', events: bytes([0x00, 0xff]) });
  frame('R');
  // a write fence and the counters
  frame('P');
  frame('C');
  return items;
}
