// The comparison tables, on reports captured from real runs (generator/report/fixtures/reports/): loading files, folders and
// sweeps, the per-board tables in Markdown and HTML, failed sweep points, and the errors for bad inputs.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareHtml, compareMarkdown, comparisonData, crossBoardTables, loadComparison, loadReports } from './compare.js';
import { AtomikError } from '../common/errors.js';
import type { BuildReport } from './report.js';
import type { Sweep } from '../run/sweep.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'reports');
const NAMES = ['tang9k-b1-w64', 'tang9k-b4-w64', 'tang9k-b16-w64', 'zynq7020-b16-w64-synth'] as const;
const fixturePath = (name: (typeof NAMES)[number]) => join(FIXTURES, name, 'report.json');
const fixture = (name: (typeof NAMES)[number]): BuildReport => JSON.parse(readFileSync(fixturePath(name), 'utf8')) as BuildReport;

/**
 * Test data, not a real run: the Tang Nano 9K's 16-bank report as if built for an iCE40 board at 30 MHz, where it
 * misses its clock (no report of such a board exists yet). Only the board, clock, counts and timing are changed.
 */
function missedOnIce40(): BuildReport {
  const b16 = fixture('tang9k-b16-w64');
  const source = b16.clocks[0]!.source;
  return {
    ...b16,
    digest: 'test-data-ice40',
    design: { ...b16.design, board: 'ice40-test', clockMHz: 30 },
    board: { id: 'ice40-test', title: 'An iCE40 board (test data)', part: 'iCE40UP5K-SG48' },
    resources: { source: b16.resources!.source, items: [{ resource: 'LUT', used: 1320, available: 5280, percent: 25 }, { resource: 'FF', used: 1019, available: 5280, percent: 19.3 }] },
    clocks: [{ clock: 'clk', constraintMHz: 30, fmaxMHz: 24.5, met: false, source }],
    timingMet: false,
    throughput: { ...b16.throughput, clockMHz: 30, mDeltasPerSecond: 30 },
  };
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'atomik-compare-'));
}

/** The Markdown table rows of one board's section. */
function sectionRows(markdown: string, boardId: string): string[] {
  const section = markdown.split('\n## ').find((s) => s.includes(`(${boardId}, `));
  if (!section) throw new Error(`no section for ${boardId}`);
  return section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| design |'));
}

function sweepFile(dir: string, points: unknown[]): string {
  const path = join(dir, 'sweep.json');
  writeFileSync(path, JSON.stringify({ kind: 'atomik-sweep', points }));
  return path;
}

function loadError(paths: string[]): AtomikError {
  try {
    loadComparison(paths);
  } catch (err) {
    if (err instanceof AtomikError) return err;
    throw err;
  }
  throw new Error('expected an AtomikError');
}

describe('loading reports', () => {
  it('finds every report.json under a folder, in a stable order', () => {
    const reports = loadReports([FIXTURES]);
    expect(reports.map((r) => `${r.design.board}-b${r.design.banks}`).sort()).toEqual(['tang9k-b1', 'tang9k-b16', 'tang9k-b4', 'zynq7020-b16']);
  });

  it('counts a report reached twice (its folder and the file itself) once', () => {
    expect(loadReports([FIXTURES, fixturePath('tang9k-b4-w64')])).toHaveLength(4);
  });

  it('takes the ok points of a sweep file as reports and its failed points with their reasons', () => {
    const dir = scratch();
    const path = join(dir, 'sweep.json');
    const failedInput = { board: 'tang9k' as const, banks: 64, width: 64, mode: 'round-robin' as const };
    // the shape atomik-gen sweep writes (typed by its Sweep)
    const sweep: Sweep = {
      kind: 'atomik-sweep',
      generator: 'atomik-gen 0.1.0',
      axes: { boards: ['tang9k'], banks: [1, 64], widths: [64], modes: ['round-robin'], clocks: [] },
      until: 'bitstream',
      points: [
        { label: 'tang9k-b1-w64-round-robin', input: { board: 'tang9k', banks: 1, width: 64, mode: 'round-robin' }, status: 'ok', outDir: 'x', report: fixture('tang9k-b1-w64') },
        { label: 'tang9k-b64-w64-round-robin', input: failedInput, status: 'failed', reason: 'nextpnr-himbaechel exited with code 1' },
      ],
    };
    writeFileSync(path, JSON.stringify(sweep));
    const { reports, failed } = loadComparison([path]);
    expect(reports.map((r) => r.design.banks)).toEqual([1]);
    expect(failed).toEqual([{ design: failedInput, reason: 'nextpnr-himbaechel exited with code 1', source: path }]);
  });

  it('also reads sweep points that name their design as `design`', () => {
    const path = sweepFile(scratch(), [{ design: { board: 'zynq7020', banks: 2 }, status: 'failed', reason: 'r' }]);
    expect(loadComparison([path]).failed.map((f) => f.design)).toEqual([{ board: 'zynq7020', banks: 2 }]);
  });

  it('finds the sweep.json of a sweep folder beside its reports, each report and each failure once', () => {
    const dir = scratch();
    mkdirSync(join(dir, 'tang9k-b4-w64-round-robin'));
    writeFileSync(join(dir, 'tang9k-b4-w64-round-robin', 'report.json'), JSON.stringify(fixture('tang9k-b4-w64'), null, 2));
    const sweep = sweepFile(dir, [
      { input: fixture('tang9k-b4-w64').design, status: 'ok', report: fixture('tang9k-b4-w64') },
      { input: { board: 'tang9k', banks: 64, width: 64, mode: 'round-robin' }, status: 'failed', reason: 'does not fit' },
    ]);
    const { reports, failed } = loadComparison([dir, sweep]);
    expect(reports).toHaveLength(1);
    expect(failed.map((f) => f.reason)).toEqual(['does not fit']);
  });

  it.each([
    ['a missing path', () => ['/nonexistent/atomik/report.json'], /^\/nonexistent\/atomik\/report\.json: no such file or folder/],
    [
      'invalid JSON',
      (dir: string) => {
        writeFileSync(join(dir, 'report.json'), '{ "design": ');
        return [join(dir, 'report.json')];
      },
      /report\.json: invalid JSON: /,
    ],
    [
      'a JSON file that is not a report',
      (dir: string) => {
        writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'x', version: '1.0.0' }));
        return [join(dir, 'package.json')];
      },
      /package\.json: not an atomik-gen build report \(missing generator, digest, design, board, top, stages, \.\.\.\)/,
    ],
    [
      'a report with a wrong field, found in a folder',
      (dir: string) => {
        mkdirSync(join(dir, 'a'));
        writeFileSync(join(dir, 'a', 'report.json'), JSON.stringify({ ...fixture('tang9k-b4-w64'), design: { ...fixture('tang9k-b4-w64').design, banks: 'four' } }));
        return [dir];
      },
      /a\/report\.json: not an atomik-gen build report \(design\.banks: Invalid input: expected number, received string\)/,
    ],
    [
      'a report.json of the old shape (figure sources as prose)',
      () => [join(import.meta.dirname, 'fixtures', 'old-report.json')],
      /old-report\.json: not an atomik-gen build report \(missing design\.baud, design\.frameTimeoutMs, hostLink; resources\.source: Invalid input: expected object, received string; clocks\[0\]\.source: Invalid input: expected object, received string; throughput\.basis: Invalid input: expected object, received string\) \(.*older atomik-gen needs a new build\)$/,
    ],
    ['a folder without reports', (dir: string) => [dir], /: no report\.json or sweep\.json in this folder or below it/],
    [
      'a sweep point without its design',
      (dir: string) => [sweepFile(dir, [{ status: 'failed', reason: 'r' }])],
      /sweep\.json: not a valid sweep file \(points\[0\]\.input: a point needs its design \("input"\)\)/,
    ],
    [
      'a sweep whose ok point has a broken report',
      (dir: string) => [sweepFile(dir, [{ input: { board: 'tang9k', banks: 2 }, status: 'ok', report: { generator: 'x' } }])],
      /sweep\.json: not an atomik-gen build report \(missing points\[0\]\.report\.digest, points\[0\]\.report\.design, /,
    ],
    [
      'a sweep whose ok point has no report',
      (dir: string) => [sweepFile(dir, [{ input: { board: 'tang9k', banks: 2, width: 64 }, status: 'ok' }])],
      /sweep\.json: points\[0\] \(tang9k b2 w64\) is ok but carries no report/,
    ],
    ['no paths at all', () => [], /^nothing to compare/],
  ])('%s is a clear error naming the file', (_what, paths, message) => {
    const err = loadError(paths(scratch()));
    expect(err.oneLine()).toMatch(message);
  });
});

describe('compareMarkdown', () => {
  const reports = NAMES.map(fixture);

  it('has one table per board, rows by banks, with resources, Fmax and its source, timing and throughput', () => {
    const md = compareMarkdown(reports);
    expect(md.split('\n')[0]).toMatch(/^<!-- generated by atomik-gen \d+\.\d+\.\d+ \(compare\); do not edit -->$/);
    expect(md).toContain('4 builds on 2 boards.');
    const headings = md.split('\n').filter((l) => l.startsWith('## '));
    expect(headings).toEqual([
      '## Across boards: b16 w64 round-robin',
      '## Sipeed Tang Nano 9K (tang9k, GW1NR-LV9QN88PC6/I5)',
      '## Zynq-7020 PL on a PYNQ-Z2-style carrier (zynq7020, xc7z020clg400-1)',
    ]);
    expect(md).toContain('| design | clock (MHz) | LUT used (%) | FF used (%) | resources from | Fmax (MHz) | Fmax source | timing met | throughput (Mdeltas/s) | throughput basis | host link | line limit, computed (deltas/s) |');

    const tang = sectionRows(md, 'tang9k');
    expect(tang.map((l) => l.split('|')[1]!.trim())).toEqual(['tang9k b1 w64 round-robin', 'tang9k b4 w64 round-robin', 'tang9k b16 w64 round-robin']);
    for (const [row, name] of [[tang[0], 'tang9k-b1-w64'], [tang[1], 'tang9k-b4-w64'], [tang[2], 'tang9k-b16-w64']] as const) {
      const r = fixture(name);
      const lut = r.resources!.items.find((i) => i.resource === 'LUT')!;
      const ff = r.resources!.items.find((i) => i.resource === 'FF')!;
      expect(row).toBe(
        `| tang9k b${r.design.banks} w64 round-robin | 81 | ${lut.used} (${lut.percent!.toFixed(1)} %) | ${ff.used} (${ff.percent!.toFixed(1)} %) | nextpnr-himbaechel place and route | ${r.clocks[0]!.fmaxMHz!.toFixed(2)} | nextpnr-himbaechel place and route (estimate) | yes | 81 (1/cycle x 81 MHz) | by design | UART 115200 baud | 1280 single / 1438 batched |`,
      );
    }
    expect(tang[0]).toContain('| 1059 (12.3 %) | 1020 (15.7 %) |');
    expect(tang[0]).toContain('| 150.13 | nextpnr-himbaechel place and route (estimate) |');

    expect(sectionRows(md, 'zynq7020')).toEqual(['| zynq7020 b16 w64 round-robin | 200 | 588 (1.1 %) | 1023 (1.0 %) | yosys synthesis | n/a | n/a | n/a | 200 (1/cycle x 200 MHz) | by design | UART 115200 baud | 1280 single / 1438 batched |']);
    expect(md).toContain('Note: the throughput figure is the core\'s rate; the UART host feeds it far slower');
    expect(md).toContain('- Fmax "nextpnr-himbaechel place and route (estimate)": nextpnr-himbaechel open timing model (an estimate; ');
    expect(md).toContain('- Fmax "n/a": no place and route ran');
    expect(md).toContain('- Throughput "by design": ');
    expect(md).not.toContain('Throughput "measured"');
    expect(md).toContain('- Line limit, computed: the most deltas per second the UART host link carries back to back at its baud, from the frame sizes (single ACCUM frames / BATCH frames of 255 deltas); the host\'s ceiling, apart from the fabric\'s throughput, not a measurement');
  });

  it('shows the host link apart from the fabric throughput: the line rate and its computed limit, n/a without a UART', () => {
    const b4 = fixture('tang9k-b4-w64');
    const fast: BuildReport = {
      ...b4,
      digest: 'fast',
      design: { ...b4.design, width: 32, baud: 3_000_000 },
      hostLink: { ...b4.hostLink!, baud: 3_000_000, lineLimit: { singleDeltasPerSecond: 60000, batchedDeltasPerSecond: 74738.8 } },
    };
    const z = fixture('zynq7020-b16-w64-synth');
    const axil: BuildReport = { ...z, digest: 'axil', design: { ...z.design, host: 'axi-lite', baud: 0, frameTimeoutMs: 0 }, hostLink: null };
    const md = compareMarkdown([fast, axil, ...reports]);
    const cells = (row: string) => row.split('|').slice(-3, -1).map((c) => c.trim());
    expect(cells(sectionRows(md, 'tang9k').find((r) => r.includes('b4 w32'))!)).toEqual(['UART 3000000 baud', '60000 single / 74738 batched']);
    expect(sectionRows(md, 'zynq7020').map(cells)).toEqual([
      ['UART 115200 baud', '1280 single / 1438 batched'],
      ['AXI4-Lite', 'n/a'],
    ]);
    // the fabric's throughput stays in its own column
    expect(sectionRows(md, 'tang9k').find((r) => r.includes('b4 w32'))).toContain('| 81 (1/cycle x 81 MHz) | by design | UART 3000000 baud |');
  });

  it('sorts rows by banks, then width, then mode, whatever the input order', () => {
    const b4 = fixture('tang9k-b4-w64');
    const variants: BuildReport[] = [
      { ...b4, digest: 'p', design: { ...b4.design, mode: 'parallel' } },
      { ...b4, digest: 'w', design: { ...b4.design, width: 32 } },
      ...reports,
    ];
    const md = compareMarkdown(variants);
    expect(compareMarkdown([...variants].reverse())).toBe(md);
    const keys = sectionRows(md, 'tang9k').map((l) => l.split('|')[1]!.trim());
    expect(keys).toEqual(['tang9k b1 w64 round-robin', 'tang9k b4 w32 round-robin', 'tang9k b4 w64 parallel', 'tang9k b4 w64 round-robin', 'tang9k b16 w64 round-robin']);
  });

  it('shows failed sweep points as failed rows with their reason', () => {
    const md = compareMarkdown(reports, [
      { design: { board: 'tang9k', banks: 32, width: 64, mode: 'round-robin' }, reason: 'place and route failed | see logs/pnr.log', source: 'sweep.json' },
    ]);
    expect(md).toContain('4 builds on 2 boards, 1 failed point.');
    const tang = sectionRows(md, 'tang9k');
    expect(tang[0]).toContain('| tang9k b1 w64 round-robin | 81 | ok | 1059 (12.3 %) |');
    expect(tang[3]).toBe('| tang9k b32 w64 round-robin | — | failed: place and route failed \\| see logs/pnr.log | — | — | — | — | — | — | — | — | — | — |');
    // the Zynq table has no failed point, so no status column
    expect(sectionRows(md, 'zynq7020')[0]).toMatch(/^\| zynq7020 b16 w64 round-robin \| 200 \| 588/);
  });

  it('names a bench top in its design label, after the plain design of the same size', () => {
    const b16 = fixture('tang9k-b16-w64');
    const bench = { ...b16, digest: 'bench', design: { ...b16.design, bench: true } };
    const rows = sectionRows(compareMarkdown([bench, b16]), 'tang9k');
    expect(rows.map((l) => l.split('|')[1]!.trim())).toEqual(['tang9k b16 w64 round-robin', 'tang9k b16 w64 round-robin bench']);
  });

  it('labels a counted throughput as measured, and only that one', () => {
    const b16 = fixture('tang9k-b16-w64');
    const basis = { tool: 'icarus', stage: 'measure' as const, kind: 'measured' as const, note: '20000 deltas in 20000 cycles counted by the core\'s counters in simulation (icarus)' };
    const counted: BuildReport = { ...b16, digest: 'counted', design: { ...b16.design, bench: true }, throughput: { ...b16.throughput, basis } };
    const md = compareMarkdown([counted, b16]);
    expect(sectionRows(md, 'tang9k').map((l) => l.split('|').at(-4)!.trim())).toEqual(['by design', 'measured']);
    expect(md).toContain('- Throughput "measured": ');
  });
});

describe('compareHtml', () => {
  const reports = NAMES.map(fixture);

  it('is one self-contained page: the library inlined, no external resources', () => {
    const html = compareHtml(reports);
    expect(html.startsWith('<!doctype html>\n<!-- generated by atomik-gen')).toBe(true);
    expect(html).toMatch(/Chart\.js v4\.\d+\.\d+/);
    // outside the inlined library, the page names no URL at all (the browser test checks the requests it makes)
    const page = html.replace(/<script>\n\/\* Chart\.js v[\s\S]*?<\/script>/, '');
    expect(page.length).toBeLessThan(html.length / 4);
    expect(/<script[^>]+src=|<link[^>]+href=|https?:\/\//.exec(page)?.[0] ?? null).toBeNull();
  });

  it('is deterministic: the same reports in any order give the same bytes', () => {
    expect(compareHtml([...reports].reverse())).toBe(compareHtml(reports));
  });

  it('has the tables and three charts per board; a chart with no data becomes a note', () => {
    const b4 = fixture('zynq7020-b16-w64-synth');
    // test data: a Zynq build at 4 banks and 32 bits with other counts (a second bank count there, a design no other board has)
    const zynq4: BuildReport = {
      ...b4,
      digest: 'zynq-b4',
      design: { ...b4.design, banks: 4, width: 32 },
      resources: { source: b4.resources!.source, items: [{ resource: 'LUT', used: 300, available: 53200, percent: 0.6 }, { resource: 'FF', used: 500, available: 106400, percent: 0.5 }] },
    };
    const html = compareHtml([...reports, zynq4], [{ design: { board: 'tang9k', banks: 32 }, reason: '<script>alert(1)</script>', source: 's' }]);
    expect([...html.matchAll(/<canvas id="chart-([\w-]+)"/g)].map((m) => m[1])).toEqual([
      'across-b16-w64-round-robin-resources',
      'across-b16-w64-round-robin-fmax',
      'across-b16-w64-round-robin-throughput',
      // the Tang Nano 9K's throughput and resources are the same at every bank count: notes instead of flat charts
      'tang9k-fmax',
      'zynq7020-throughput',
      'zynq7020-resources',
    ]);
    expect(compareHtml(reports)).toContain('<p class="missing">No charts against banks: every build here has 16 banks (a chart needs two bank counts or more); the table holds its figures.</p>');
    expect(html).toContain('<p class="flat">Throughput vs banks: the same at every bank count (1, 4, 16): 81 Mdeltas/s; in round-robin mode the core takes one delta per cycle whatever the banks.');
    expect(html).toContain('Fmax vs banks: no Fmax in these reports');
    expect(html).toContain('<td class="right">1059 (12.3 %)</td>');
    expect(html).toContain('<tr class="failed">');
    expect(html).toContain('<th class="left">host link</th><th class="right">line limit, computed (deltas/s)</th>');
    expect(html).toContain('<td class="left">UART 115200 baud</td><td class="right">1280 single / 1438 batched</td>');
    expect(html).toContain('failed: &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)');
  });
});

describe('the cross-board view', () => {
  const reports = [...NAMES.map(fixture), missedOnIce40()];

  it('puts the same design on every board side by side: counts and % of each part, Fmax against the clock, throughput only where timing is met', () => {
    const md = compareMarkdown(reports);
    const section = md.split('\n## ').find((s) => s.startsWith('Across boards: b16 w64 round-robin\n'))!;
    const rows = section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| board |'));
    expect(section).toContain('| board | part | clock (MHz) | LUT used (% of part) | FF used (% of part) | resources from | Fmax (MHz) | Fmax source | timing at the clock | throughput (Mdeltas/s), where timing is met |');
    expect(rows).toEqual([
      '| An iCE40 board (test data) (ice40-test) | iCE40UP5K-SG48 | 30 | 1320 (25.0 %) | 1019 (19.3 %) | nextpnr-himbaechel place and route | 24.50 | nextpnr-himbaechel place and route (estimate) | MISSED (Fmax 24.50 < 30) | — (misses its clock) |',
      `| Sipeed Tang Nano 9K (tang9k) | GW1NR-LV9QN88PC6/I5 | 81 | 1047 (12.1 %) | 1020 (15.7 %) | nextpnr-himbaechel place and route | ${fixture('tang9k-b16-w64').clocks[0]!.fmaxMHz!.toFixed(2)} | nextpnr-himbaechel place and route (estimate) | met | 81 (1/cycle x 81 MHz) |`,
      '| Zynq-7020 PL on a PYNQ-Z2-style carrier (zynq7020) | xc7z020clg400-1 | 200 | 588 (1.1 %) | 1023 (1.0 %) | yosys synthesis | n/a | n/a | not analysed | — (timing not analysed) |',
    ]);
    expect(md).toContain('- Across boards: a design built on several boards, side by side: ');
    // the cross-board section comes first, before the boards' own tables
    expect(md.indexOf('## Across boards')).toBeLessThan(md.indexOf('## An iCE40 board'));
  });

  it('groups only the same banks, width, mode, arch, bench top and host, built on two boards or more', () => {
    const b4 = fixture('tang9k-b4-w64');
    const banked: BuildReport = { ...fixture('zynq7020-b16-w64-synth'), digest: 'banked', design: { ...fixture('zynq7020-b16-w64-synth').design, arch: 'banked' } };
    const tables = crossBoardTables([...reports, banked, { ...b4, digest: 'b4-clock', design: { ...b4.design, clockMHz: 27 } }]);
    // b1 and b4 were built on the Tang Nano 9K only (at two clocks for b4: still one board), banked on the Zynq only
    expect(tables.map((t) => t.heading)).toEqual(['Across boards: b16 w64 round-robin']);
    expect(tables[0]!.rows.map((r) => r[0])).toEqual(['An iCE40 board (test data) (ice40-test)', 'Sipeed Tang Nano 9K (tang9k)', 'Zynq-7020 PL on a PYNQ-Z2-style carrier (zynq7020)']);
    expect(tables[0]!.missed).toEqual([true, false, false]);
    expect(crossBoardTables([banked, { ...banked, digest: 'banked-t', design: { ...banked.design, board: 'tang9k' } }]).map((t) => t.heading)).toEqual(['Across boards: b16 w64 round-robin banked']);
  });

  it('draws the view as bars per board, marking the miss, and leaves out the throughput it cannot vouch for', () => {
    const html = compareHtml(reports);
    const section = html.slice(html.indexOf('<section class="across" id="across-b16-w64-round-robin">'), html.indexOf('<section class="board"'));
    expect(section).toContain('<h2>Across boards: b16 w64 round-robin</h2>');
    expect(section).toContain('<tr class="missed">');
    expect(section).toContain('Timing MISSED on ice40-test (Fmax 24.50 MHz &lt; 30 MHz): no throughput is shown for it.');
    expect(section).toContain('No Fmax for zynq7020: no timing analysis ran (synthesis only), so neither Fmax nor throughput is shown.');
    const specs = JSON.parse(/<script type="application\/json" id="atomik-charts">(.*)<\/script>/.exec(html)![1]!) as { id: string; config: { type: string; data: { labels: string[]; datasets: { label: string; data: (number | null)[] }[] } } }[];
    const chart = (id: string) => specs.find((c) => c.id === id)!.config;
    expect(chart('across-b16-w64-round-robin-fmax').type).toBe('bar');
    expect(chart('across-b16-w64-round-robin-fmax').data.labels).toEqual(['ice40-test', 'tang9k', 'zynq7020']);
    expect(chart('across-b16-w64-round-robin-fmax').data.datasets.map((d) => [d.label, d.data])).toEqual([
      ['Fmax, timing met', [null, fixture('tang9k-b16-w64').clocks[0]!.fmaxMHz, null]],
      ['Fmax, timing MISSED', [24.5, null, null]],
      ['design clock', [30, 81, 200]],
    ]);
    expect(chart('across-b16-w64-round-robin-throughput').data.datasets.map((d) => d.data)).toEqual([[null, 81, null]]);
    expect(chart('across-b16-w64-round-robin-resources').data.datasets.map((d) => [d.label, d.data])).toEqual([
      ['LUT %', [25, 12.1, 1.1]],
      ['FF %', [19.3, 15.7, 1]],
    ]);
  });

  it('is in compare --json: each design on several boards with its points', () => {
    const data = comparisonData(reports);
    expect(data.acrossBoards.map((g) => [g.label, g.points.map((p) => [p.board, p.timingMet, p.mDeltasPerSecond])])).toEqual([
      ['b16 w64 round-robin', [['ice40-test', false, null], ['tang9k', true, 81], ['zynq7020', null, null]]],
    ]);
  });
});

describe('a sweep whose every point is the same', () => {
  it('gets a note saying so and why instead of a flat chart, in the page and in the Markdown', () => {
    const md = compareMarkdown(NAMES.map(fixture));
    expect(md).toContain('Note: Throughput vs banks: the same at every bank count (1, 4, 16): 81 Mdeltas/s; in round-robin mode the core takes one delta per cycle whatever the banks.');
    expect(md).toMatch(/Note: Resources vs banks: within 2 % at every bank count \(1, 4, 16\): LUT 1047\.\.1059, FF 1020; in round-robin mode the reduce architecture is one accumulator whatever the banks\./);
    const html = compareHtml(NAMES.map(fixture));
    expect(html).toContain('Its chart would be flat lines, so the page leaves it out.');
  });

  it('still draws a chart that changes with the banks (parallel mode: one delta per bank per cycle)', () => {
    const parallel = ['tang9k-b1-w64', 'tang9k-b4-w64', 'tang9k-b16-w64'].map((name) => {
      const r = fixture(name as (typeof NAMES)[number]);
      const banks = r.design.banks;
      return { ...r, digest: `parallel-${banks}`, design: { ...r.design, mode: 'parallel' as const }, throughput: { ...r.throughput, deltasPerCycle: banks, mDeltasPerSecond: 81 * banks } };
    });
    const html = compareHtml(parallel);
    expect([...html.matchAll(/<canvas id="chart-([\w-]+)"/g)].map((m) => m[1])).toEqual(['tang9k-throughput', 'tang9k-fmax']);
    expect(html).not.toContain('Throughput vs banks: the same');
    // resources: the fixtures' counts, the same at every bank count here too, with the generic reason
    expect(html).toContain('Resources vs banks: within 2 % at every bank count (1, 4, 16): LUT 1047..1059, FF 1020; the bank count does not change it in these builds.');
  });
});
