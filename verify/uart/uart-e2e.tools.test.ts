// [real tools] The board top under Verilator with the UART bus-functional model: every reply byte against the host
// model, malformed input included (a short frame and the timeout, a slow frame, junk bytes, low stop bits, reads sent
// while deltas are still arriving, BATCH frames cut short). Designs run at slow Tang Nano 9K rPLL clocks that divide
// their line rate closely, so a bit takes few cycles: 115200 baud at 3.375 MHz (29 cycles per bit instead of 703 at
// 81 MHz), 921600 at 10.125 MHz (11), 3 000 000 at 12 MHz (4, the fewest the receiver takes) and at 27 MHz (9). The
// 115200 design keeps the default 50 ms frame timeout; the others shorten it, as the idle items wait about a timeout.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, resolveDesign, type Design, type DesignInput } from '../../generator/design/design.js';
import { OPCODES } from '../../generator/protocol/uart.js';
import { uartTiming } from './host-model.js';
import { applyMutant, mutantsFor } from '../mutants/mutants.js';
import { uartEndToEnd, type UartEndToEndResult } from './uart-e2e.js';

const root = mkdtempSync(join(tmpdir(), 'atomik-uart-e2e-'));

/** The malformed cases and every opcode were sent. */
function expectEverythingSent(result: UartEndToEndResult): void {
  for (const kind of ['short', 'slow', 'junk', 'broken', 'bad-stop', ...OPCODES.map((o) => o.letter)]) {
    expect(result.coverage[kind] ?? 0, kind).toBeGreaterThan(0);
  }
}

const tang9k = (input: DesignInput) => resolveDesign({ board: 'tang9k', ...input });
const designs: { label: string; design: Design; seed: number; clksPerBit: number }[] = [
  { label: '16 banks x 64 bits, round-robin, 115200 baud', design: tang9k({ banks: 16, width: 64, mode: 'round-robin', clockMHz: 3.375 }), seed: 64, clksPerBit: 29 },
  // 20 bits: payload bits above the width must be ignored, replies zero-padded
  {
    label: '8 banks x 20 bits, parallel, 3 000 000 baud at 12 MHz',
    design: tang9k({ banks: 8, width: 20, mode: 'parallel', clockMHz: 12, baud: 3_000_000, frameTimeoutMs: 2 }),
    seed: 20,
    clksPerBit: 4,
  },
  // 7 bits: one payload byte, its top bit above the width (the count byte is whole all the same)
  {
    label: '3 banks x 7 bits, round-robin, 921600 baud',
    design: tang9k({ banks: 3, width: 7, mode: 'round-robin', clockMHz: 10.125, baud: 921_600, frameTimeoutMs: 5 }),
    seed: 7,
    clksPerBit: 11,
  },
  {
    label: '4 banks x 128 bits, parallel, 3 000 000 baud at 27 MHz',
    design: tang9k({ banks: 4, width: 128, mode: 'parallel', clockMHz: 27, baud: 3_000_000, frameTimeoutMs: 1 }),
    seed: 128,
    clksPerBit: 9,
  },
];

describe('[real tools] UART end to end: the board top against the host model', () => {
  it('runs at clocks with few cycles per bit, at 115200, 921600 and 3 000 000 baud, one with the default timeout', () => {
    for (const { design, clksPerBit } of designs) expect(uartTiming(design).clksPerBit).toBe(clksPerBit);
    expect(new Set(designs.map((d) => d.design.baud))).toEqual(new Set([115200, 921_600, 3_000_000]));
    expect(designs.some((d) => d.design.frameTimeoutMs === DEFAULTS.frameTimeoutMs)).toBe(true);
  });

  it.concurrent.each(designs)('$label: every reply byte matches, malformed input included', async ({ design, seed }) => {
    const result = await uartEndToEnd({ design, outDir: join(root, `b${design.banks}-w${design.width}-${design.mode}-${design.baud}`), seed, frames: 400 });
    expect(result.mismatch?.report ?? null).toBeNull();
    expect(result.passed).toBe(true);
    expect(result.frames).toBeGreaterThan(400);
    expect(result.bytesChecked).toBeGreaterThan(400);
    expectEverythingSent(result);
    console.info(
      `uart-e2e ${design.banks} x ${design.width} ${design.mode} ${design.baud} baud: ${result.frames} frames, ${result.bytesChecked} reply bytes, ` +
        `${result.cycles} cycles in ${result.seconds.toFixed(2)} s, build ${result.buildSeconds.toFixed(1)} s`,
    );
  }, 300_000);

  it('a reply sent least significant byte first is reported with its frame, the bytes and a waveform', async () => {
    const { design } = designs[0]!;
    const mutant = mutantsFor(design).find((m) => m.name === 'reply-little-endian')!;
    const result = await uartEndToEnd({
      design,
      outDir: join(root, 'broken-byte-order'),
      seed: 5,
      frames: 20,
      editRtl: (file, text) => (file === mutant.file ? applyMutant(mutant, text) : text),
    });
    expect(result.passed).toBe(false);
    const m = result.mismatch!;
    // the first state reply is the READ right after reset (state 0, the same either way round), so a later one
    expect(['R', 'W', 'K']).toContain(m.label.split(' ')[0]);
    const expected = m.expected.split(' ');
    expect(m.actual.split(' ')).toEqual([...expected].reverse());
    expect(m.report).toContain(`at frame ${m.frame} of ${result.frames}, seed 5`);
    expect(m.report).toContain(`expected: ${m.expected}`);
    expect(m.waveform).not.toBeNull();
    expect(existsSync(m.waveform!)).toBe(true);
    expect(readFileSync(m.waveform!, 'utf8')).toContain('$enddefinitions');
  }, 300_000);
});
