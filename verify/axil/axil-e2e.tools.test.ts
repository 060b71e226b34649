// [real tools] The AXI4-Lite top under Verilator with an AXI4-Lite master bus-functional model: every response and
// read value against the register model over the golden core model, with random channel timing, back-pressure on B
// and R, every WSTRB pattern, overlapped transactions, holes and resets. And two broken slaves, to show the check
// catches them with a report and a waveform.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDesign, type Design } from '../../generator/design/design.js';
import { axilEndToEnd, type AxilEndToEndResult } from './axil-e2e.js';

const root = mkdtempSync(join(tmpdir(), 'atomik-axil-e2e-'));

function expectEverythingPlayed(result: AxilEndToEndResult, design: Design): void {
  const kinds = [
    'LOAD', 'ACCUM', 'ROLLBACK', 'READ', 'SWAP', 'SWAP_KEEP', 'strobe', 'hole', 'read-only', 'unknown', 'snapshot', 'unaligned', 'reset',
    'write-order-0', 'write-order-1', 'write-order-2', 'b-stall', 'r-stall', 'write-overlap', 'read-overlap', 'partial-strobe',
    'write-slverr', 'read-slverr',
  ];
  if (design.mode === 'parallel') kinds.push('LANE');
  for (const kind of kinds) expect(result.coverage[kind] ?? 0, kind).toBeGreaterThan(0);
}

const designs: { label: string; design: Design; seed: number }[] = [
  { label: '16 banks x 64 bits, round-robin', design: resolveDesign({ board: 'zynq7020', host: 'axi-lite', banks: 16, width: 64, clockMHz: 100 }), seed: 64 },
  // 40 bits: two words, the top one 8 bits wide; 8 lanes through LANE
  { label: '8 banks x 40 bits, parallel', design: resolveDesign({ board: 'zynq7020', host: 'axi-lite', banks: 8, width: 40, mode: 'parallel', clockMHz: 100 }), seed: 40 },
];

/** Replaces one line of the slave's RTL (the test fails when the line is not there). */
function breakSlave(from: string, to: string) {
  let applied = false;
  return {
    edit: (file: string, text: string) => {
      if (!file.endsWith('_host_axil.v')) return text;
      if (text.includes(from)) applied = true;
      return text.replace(from, to);
    },
    applied: () => applied,
  };
}

describe('[real tools] AXI4-Lite end to end: the top against the register model', () => {
  it.concurrent.each(designs)('$label: every response and read value matches', async ({ design, seed }) => {
    const result = await axilEndToEnd({ design, outDir: join(root, `b${design.banks}-w${design.width}-${design.mode}`), seed, transactions: 2000 });
    expect(result.mismatch?.report ?? null).toBeNull();
    expect(result.passed).toBe(true);
    expect(result.transactions).toBeGreaterThan(2000);
    expect(result.readsChecked).toBeGreaterThan(800);
    expect(result.responsesChecked).toBe(result.transactions);
    expectEverythingPlayed(result, design);
    console.info(
      `axil-e2e ${design.banks} x ${design.width} ${design.mode}: ${result.transactions} transactions, ${result.readsChecked} reads, ` +
        `${result.cycles} cycles in ${result.seconds.toFixed(2)} s, build ${result.buildSeconds.toFixed(1)} s`,
    );
  }, 300_000);

  it('a slave that ignores WSTRB is reported at the strobe read, with the values and a waveform', async () => {
    const { design } = designs[1]!;
    const broken = breakSlave(
      "wire [31:0]                  w_mask    = { {8{w_strb[3]}}, {8{w_strb[2]}}, {8{w_strb[1]}}, {8{w_strb[0]}} };",
      "wire [31:0]                  w_mask    = 32'hFFFFFFFF;",
    );
    const result = await axilEndToEnd({ design, outDir: join(root, 'broken-wstrb'), seed: 5, transactions: 50, editRtl: broken.edit });
    expect(broken.applied()).toBe(true);
    expect(result.passed).toBe(false);
    const m = result.mismatch!;
    expect(m.label).toMatch(/^strobe read DATA0/);
    expect(m.report).toContain('the read data differs');
    expect(m.report).toContain(`expected: ${m.expected}`);
    expect(m.report).toContain('seed 5');
    expect(m.waveform).not.toBeNull();
    expect(existsSync(m.waveform!)).toBe(true);
    expect(readFileSync(m.waveform!, 'utf8')).toContain('$enddefinitions');
  }, 300_000);

  it('a slave that drops BVALID before BREADY, or takes a write while BVALID is pending, is caught', async () => {
    const { design } = designs[0]!;
    const dropsB = breakSlave('if (b_valid & bready) begin', 'if (b_valid) begin');
    const r1 = await axilEndToEnd({ design, outDir: join(root, 'broken-b'), seed: 6, transactions: 50, editRtl: dropsB.edit, waveform: false });
    expect(dropsB.applied()).toBe(true);
    expect(r1.passed).toBe(false);
    expect(r1.mismatch!.report).toContain('BVALID or BRESP changed before BREADY');

    // AWREADY / WREADY high again as soon as the write is carried out, before its response is taken
    const early = breakSlave('            if (wr_now) begin\n                wr_done <= 1\'b1;', '            if (wr_now) begin\n                wr_done <= 1\'b1; aw_have <= 1\'b0; w_have <= 1\'b0;');
    const r2 = await axilEndToEnd({ design, outDir: join(root, 'broken-overlap'), seed: 6, transactions: 50, editRtl: early.edit, waveform: false });
    expect(early.applied()).toBe(true);
    expect(r2.passed).toBe(false);
    expect(r2.mismatch!.report).toContain('a write was accepted while the previous write response was pending');
  }, 300_000);
});
