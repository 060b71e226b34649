// [real tools] The board top under Verilator with the UART bus-functional model: every reply byte against the host
// model, malformed input included (a short frame and the timeout, a slow frame, junk bytes, low stop bits, reads sent
// while deltas are still arriving). Designs run at 3.375 MHz, the slowest clock the Tang Nano 9K's rPLL reaches
// exactly: 29 cycles per UART bit instead of 703 at 81 MHz.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDesign, type Design } from '../../generator/design/design.js';
import { uartTiming } from './host-model.js';
import { applyMutant, mutantsFor } from '../mutants/mutants.js';
import { uartEndToEnd, type UartEndToEndResult } from './uart-e2e.js';

const root = mkdtempSync(join(tmpdir(), 'atomik-uart-e2e-'));
const CLOCK_MHZ = 3.375;

/** The malformed cases and every opcode were sent. */
function expectEverythingSent(result: UartEndToEndResult): void {
  for (const kind of ['short', 'slow', 'junk', 'broken', 'bad-stop', 'L', 'A', 'U', 'R', 'S', 'D', 'W', 'K', 'I', 'C', 'P']) {
    expect(result.coverage[kind] ?? 0, kind).toBeGreaterThan(0);
  }
}

const designs: { label: string; design: Design; seed: number }[] = [
  { label: '16 banks x 64 bits, round-robin', design: resolveDesign({ board: 'tang9k', banks: 16, width: 64, mode: 'round-robin', clockMHz: CLOCK_MHZ }), seed: 64 },
  // 20 bits: payload bits above the width must be ignored, replies zero-padded
  { label: '8 banks x 20 bits, parallel', design: resolveDesign({ board: 'tang9k', banks: 8, width: 20, mode: 'parallel', clockMHz: CLOCK_MHZ }), seed: 20 },
];

describe('[real tools] UART end to end: the board top against the host model', () => {
  it('runs at a clock with few cycles per bit', () => {
    for (const { design } of designs) expect(uartTiming(design).clksPerBit).toBe(29);
  });

  it.concurrent.each(designs)('$label: every reply byte matches, malformed input included', async ({ design, seed }) => {
    const result = await uartEndToEnd({ design, outDir: join(root, `b${design.banks}-w${design.width}-${design.mode}`), seed, frames: 400 });
    expect(result.mismatch?.report ?? null).toBeNull();
    expect(result.passed).toBe(true);
    expect(result.frames).toBeGreaterThan(400);
    expect(result.bytesChecked).toBeGreaterThan(400);
    expectEverythingSent(result);
    console.info(
      `uart-e2e ${design.banks} x ${design.width} ${design.mode}: ${result.frames} frames, ${result.bytesChecked} reply bytes, ` +
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
