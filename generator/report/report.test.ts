// buildReport on result files a misbehaving tool left: one clear error naming the file and the stage, never a stack trace;
// and the host link it reports apart from the fabric's throughput.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AtomikError } from '../common/errors.js';
import { resolveDesign } from '../design/design.js';
import { buildPlan } from '../plan/plan.js';
import { lineLimit, MAX_BATCH } from '../protocol/uart.js';
import { buildReport, formatSummary, hostLinkOf, type StageResult } from './report.js';
import { parseReport } from './schema.js';

const ran = (stage: StageResult['stage']): StageResult => ({ stage, status: 'ran', seconds: 1, producedInSeconds: 1, tools: [], log: `logs/${stage}.log` });

describe('buildReport on a bad result file', () => {
  const out = mkdtempSync(join(tmpdir(), 'atomik-report-'));
  const plan = buildPlan(resolveDesign({ board: 'tang9k', banks: 2 }), out);
  mkdirSync(join(out, 'reports'), { recursive: true });

  it.each([
    ['garbage', '{ not json', /cannot read reports\/synth\.stat\.json: .*JSON/],
    ['another tool\'s JSON', '{"modules": {}}', /cannot read reports\/synth\.stat\.json: Yosys stat has no module atomik_top/],
  ])('%s from synthesis is one AtomikError naming the file and the stage', (_what, text, message) => {
    writeFileSync(join(out, 'reports', 'synth.stat.json'), text);
    let caught: unknown;
    try {
      buildReport(plan, [ran('synth')]);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AtomikError);
    expect((caught as AtomikError).oneLine()).toMatch(/^synth stage: /);
    expect((caught as AtomikError).oneLine()).toMatch(message);
  });
});

describe('the host link in the report', () => {
  it('a UART design: its line, and the line limit computed for single and full BATCH frames', () => {
    const design = resolveDesign({ board: 'tang9k', banks: 2, baud: 3_000_000 });
    const report = buildReport(buildPlan(design, mkdtempSync(join(tmpdir(), 'atomik-report-'))), []);
    expect(report.hostLink).toEqual({
      interface: 'uart',
      baud: 3_000_000,
      frameTimeoutMs: 50,
      bitErrorPct: 0,
      lineLimit: { singleDeltasPerSecond: Math.floor(lineLimit(3_000_000, 64, 'single') * 10) / 10, batchedDeltasPerSecond: Math.floor(lineLimit(3_000_000, 64, MAX_BATCH) * 10) / 10 },
      basis: 'computed',
      note: "the line's ceiling, computed, not measured: 3000000 baud 8N1 (10 bits a byte), back to back; 9-byte ACCUM frames, or 2042-byte BATCH frames of 255 deltas",
    });
    expect(report.hostLink!.lineLimit.batchedDeltasPerSecond).toBeGreaterThan(30_000);
    // the fabric's throughput is its own figure, by design
    expect(report.throughput.basis.kind).toBe('by-design');
    expect(report.notes).toContain("the throughput figure is the core's rate; the UART host feeds it far slower: at most 37 463 deltas/s in BATCH frames, 33 333 in single ACCUM frames, at 3000000 baud (the line's computed limit, hostLink)");
    expect(formatSummary(report, 'report.json')).toContain('  host link: UART 3000000 baud (0 % bit-time error), frame timeout 50 ms; line limit 37 463 deltas/s batched, 33 333 single frames [computed, not measured]');
    expect(parseReport(JSON.parse(JSON.stringify(report)), 'report.json')).toEqual(report);
  });

  it('the default line: 115200 baud, the bit-time error at 81 MHz', () => {
    const link = hostLinkOf(resolveDesign({ board: 'tang9k' }))!;
    expect(link).toMatchObject({ baud: 115200, frameTimeoutMs: 50, lineLimit: { singleDeltasPerSecond: 1280, batchedDeltasPerSecond: 1438.5 } });
    expect(link.bitErrorPct).toBeCloseTo(0.018, 3);
  });

  it('null without a UART host', () => {
    expect(hostLinkOf(resolveDesign({ board: 'tang9k', host: 'none' }))).toBeNull();
    expect(hostLinkOf(resolveDesign({ board: 'zynq7020', host: 'axi-lite' }))).toBeNull();
  });

  it('a report without hostLink (an older atomik-gen) is refused in one line, like every older report', () => {
    const report = buildReport(buildPlan(resolveDesign({ board: 'tang9k' }), mkdtempSync(join(tmpdir(), 'atomik-report-'))), []);
    const { hostLink: _dropped, ...older } = report;
    expect(() => parseReport(older, 'old/report.json')).toThrow(/not an atomik-gen build report \(missing hostLink\)/);
  });
});
