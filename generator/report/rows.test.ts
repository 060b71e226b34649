// The report's schema, the row model and the design label, on reports captured from real runs
// (generator/report/fixtures/reports/): every fixture is a valid report as it stands, an old-format report is refused
// in one line, sources render with their kind, and the sweep tables read rows the same way compare does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AtomikError } from '../common/errors.js';
import { formatSummary, limitingFmaxMHz, type BuildReport } from './report.js';
import { designLabel, reportRow } from './rows.js';
import { parseReport, reportSchema, sourceLabel, sourceText } from './schema.js';
import { sweepCsv, sweepMarkdown, type SweepTableInput } from './sweep-tables.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'reports');
const NAMES = ['tang9k-b1-w64', 'tang9k-b4-w64', 'tang9k-b16-w64', 'zynq7020-b16-w64-synth'] as const;
const json = (name: (typeof NAMES)[number]): unknown => JSON.parse(readFileSync(join(FIXTURES, name, 'report.json'), 'utf8'));
const fixture = (name: (typeof NAMES)[number]): BuildReport => parseReport(json(name), name);

/** The one line a refused report gives. */
function parseError(value: unknown): string {
  let caught: unknown;
  try {
    parseReport(value, 'old/report.json');
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(AtomikError);
  return (caught as AtomikError).oneLine();
}

describe('the report schema', () => {
  it.each(NAMES)('takes the report of a real run (%s) whole: nothing in the file is left out of the schema', (name) => {
    expect(reportSchema.parse(json(name))).toEqual(json(name));
  });

  it('refuses a report of the old shape (sources as prose) in one line naming the file and the field', () => {
    const b16 = json('tang9k-b16-w64') as BuildReport;
    const old = { ...b16, clocks: b16.clocks.map((c) => ({ ...c, source: c.source.note })) };
    const line = parseError(old);
    expect(line).toMatch(/^old\/report\.json: not an atomik-gen build report \(clocks\[0\]\.source: Invalid input: expected object, received string\) \(/);
    expect(line).toContain('older atomik-gen');
    expect(line).not.toContain('\n');
  });

  it('refuses a figure source of an unknown kind', () => {
    const b16 = json('tang9k-b16-w64') as BuildReport;
    const basis = { ...b16.throughput.basis, kind: 'guessed' };
    expect(parseError({ ...b16, throughput: { ...b16.throughput, basis } })).toMatch(/throughput\.basis\.kind/);
  });
});

describe('figure sources', () => {
  it('carry tool, stage and kind as values; an estimate says so in prose and in a table cell', () => {
    const b16 = fixture('tang9k-b16-w64');
    expect(b16.clocks[0]!.source).toMatchObject({ tool: 'nextpnr-himbaechel', stage: 'pnr', kind: 'estimate' });
    expect(sourceText(b16.clocks[0]!.source)).toMatch(/^estimate: nextpnr-himbaechel open timing model/);
    expect(sourceLabel(b16.clocks[0]!.source)).toBe('nextpnr-himbaechel place and route (estimate)');
    expect(sourceLabel(b16.resources!.source)).toBe('nextpnr-himbaechel place and route');
    expect(sourceLabel(b16.throughput.basis)).toBe('by design');
    expect(sourceText(b16.throughput.basis)).toBe('by design: round-robin mode: 1 delta per cycle, not measured');
  });

  it('a figure that is missing is kind none, with the reason', () => {
    const zynq = fixture('zynq7020-b16-w64-synth');
    expect(zynq.clocks[0]!.source).toEqual({ tool: null, stage: 'pnr', kind: 'none', note: 'place and route did not run' });
    expect(sourceLabel(zynq.clocks[0]!.source)).toBe('n/a');
    expect(sourceLabel(zynq.resources!.source)).toBe('yosys synthesis');
  });

  it('formatSummary renders them with their kind', () => {
    const summary = formatSummary(fixture('tang9k-b16-w64'), 'out/report.json');
    expect(summary).toMatch(/Fmax clk: [\d.]+ MHz against 81 MHz: timing met \[estimate: nextpnr-himbaechel open timing model/);
    expect(summary).toContain('[by design: round-robin mode: 1 delta per cycle, not measured]');
    expect(formatSummary(fixture('zynq7020-b16-w64-synth'), 'r.json')).toContain('Fmax clk: not available (none: place and route did not run)');
  });
});

describe('designLabel and reportRow', () => {
  it('names a design one way: board, banks, width, mode, then a non-default arch and bench', () => {
    expect(designLabel({ board: 'tang9k', banks: 16, width: 64, mode: 'round-robin', arch: 'reduce', bench: false })).toBe('tang9k b16 w64 round-robin');
    expect(designLabel({ board: 'tang9k', banks: 4, width: 32, mode: 'parallel', arch: 'banked', bench: true })).toBe('tang9k b4 w32 parallel banked bench');
    expect(designLabel({ board: 'zynq7020', banks: 2 })).toBe('zynq7020 b2');
  });

  it('gives a report\'s figures as one typed row, the Fmax from limitingFmaxMHz', () => {
    const b1 = fixture('tang9k-b1-w64');
    const row = reportRow(b1);
    expect(row).toMatchObject({ label: 'tang9k b1 w64 round-robin', board: 'tang9k', banks: 1, width: 64, clockMHz: 81, timingMet: true, throughputMeasured: false });
    expect(row.fmaxMHz).toBe(limitingFmaxMHz(b1.clocks));
    expect(row.fmaxSource?.kind).toBe('estimate');
    expect(row.lut).toEqual(b1.resources!.items.find((i) => i.resource === 'LUT'));
    expect(row.verified).toBe(b1.verification?.passed ?? null);
    const zynq = reportRow(fixture('zynq7020-b16-w64-synth'));
    expect([zynq.fmaxMHz, zynq.fmaxSource?.kind, zynq.timingMet]).toEqual([null, 'none', null]);
  });

  it('takes the lowest Fmax of several clocks as the limiting one', () => {
    const b1 = fixture('tang9k-b1-w64');
    const two = { ...b1, clocks: [b1.clocks[0]!, { ...b1.clocks[0]!, clock: 'uart', fmaxMHz: 12.5 }] };
    expect(reportRow(two)).toMatchObject({ fmaxMHz: 12.5, fmaxClock: 'uart', timedClocks: 2 });
  });
});

describe('the sweep tables', () => {
  const sweep: SweepTableInput = {
    generator: 'atomik-gen 0.1.0',
    until: 'bitstream',
    points: [
      { input: { board: 'tang9k', banks: 16, width: 64, mode: 'round-robin' }, status: 'ok', report: fixture('tang9k-b16-w64') },
      { input: { board: 'tang9k', banks: 0, width: 64, mode: 'round-robin' }, status: 'failed', reason: 'banks must be a whole number >= 1' },
    ],
  };

  it('CSV: one line per point, sources as labels with the Fmax kind, the design label last', () => {
    const [head, ok, failed] = sweepCsv(sweep).trim().split('\n');
    expect(head).toBe(
      'board,banks,width,mode,arch,clock_mhz,status,lut,lut_pct,ff,ff_pct,resources_from,fmax_mhz,fmax_source,fmax_kind,timing_met,mdeltas_per_s,throughput_basis,baud,line_limit_single_per_s,line_limit_batched_per_s,verified,reason,design',
    );
    const r = reportRow(fixture('tang9k-b16-w64'));
    expect(ok).toBe(
      `tang9k,16,64,round-robin,reduce,81,ok,${r.lut!.used},${r.lut!.percent},${r.ff!.used},${r.ff!.percent},nextpnr-himbaechel place and route,${r.fmaxMHz},nextpnr-himbaechel place and route (estimate),estimate,true,81,by design,115200,1280,1438.5,${r.verified ?? ''},,tang9k b16 w64 round-robin`,
    );
    expect(failed).toBe('tang9k,0,64,round-robin,,,failed,,,,,,,,,,,,,,,,banks must be a whole number >= 1,tang9k b0 w64 round-robin');
  });

  it('Markdown: the design named by designLabel, the estimate labelled', () => {
    const md = sweepMarkdown(sweep);
    const r = reportRow(fixture('tang9k-b16-w64'));
    expect(md).toContain(
      `| tang9k b16 w64 round-robin | 81 | ok | ${r.lut!.used} | ${r.lut!.percent} | ${r.ff!.used} | ${r.ff!.percent} | ${r.fmaxMHz} | nextpnr-himbaechel place and route (estimate) | true | 81 | by design | 115200 | 1280 / 1438.5 | ${r.verified ?? ''} |`,
    );
    expect(md).toContain('| tang9k b0 w64 round-robin |  | failed: banks must be a whole number >= 1 |');
  });
});
