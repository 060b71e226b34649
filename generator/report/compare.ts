// Build reports side by side: load report.json files, folders of them and sweep files, lay them out as one table per
// design built on several boards (the cross-board view, cross-board.ts) and one table per board (rows by banks, width,
// mode), and write that as Markdown (console, CI job summary) or as one self-contained HTML page with charts. Same
// reports in, same bytes out: nothing here reads the clock or the environment.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { findBoard } from '../../boards/index.js';
import { AtomikError } from '../common/errors.js';
import { renderTemplate } from '../common/render.js';
import { GENERATOR_VERSION } from '../common/version.js';
import { MAX_BATCH } from '../protocol/uart.js';
import type { ResourceUse } from '../vendors/types.js';
import { crossBoardGroups, type CrossBoardGroup, type CrossBoardPoint } from './cross-board.js';
import { archOf, designLabel, reportRow, resourceUse, type PointDesign, type ReportRow } from './rows.js';
import { limitingFmaxMHz } from './report.js';
import { issuesText, parseReport, sourceLabel, type BuildReport } from './schema.js';

export type { PointDesign } from './rows.js';
export type { CrossBoardGroup, CrossBoardPoint } from './cross-board.js';

/** A sweep point that did not build: it still gets a row, marked failed with its reason. */
export interface FailedPoint {
  readonly design: PointDesign;
  readonly reason: string;
  /** The sweep file it came from. */
  readonly source: string;
}

export interface Comparison {
  readonly reports: readonly BuildReport[];
  readonly failed: readonly FailedPoint[];
}

const INPUT_HINT = 'give report.json files, folders holding them, or sweep JSON files';

// the design as asked for: a failed point may hold a value the design check refused (banks 0, say)
const pointDesignSchema = z.object({
  board: z.string(),
  banks: z.number(),
  width: z.number().optional(),
  mode: z.string().optional(),
  arch: z.string().optional(),
  clockMHz: z.number().optional(),
  bench: z.boolean().optional(),
});
// A point names its design as `input` (what atomik-gen sweep writes: the design as asked for) or as `design`.
const sweepSchema = z.object({
  kind: z.literal('atomik-sweep'),
  points: z.array(
    z
      .object({
        input: pointDesignSchema.optional(),
        design: pointDesignSchema.optional(),
        status: z.enum(['ok', 'failed']),
        reason: z.string().optional(),
        report: z.unknown().optional(),
      })
      .refine((p) => p.input !== undefined || p.design !== undefined, { message: 'a point needs its design ("input")', path: ['input'] }),
  ),
});

function readJsonFile(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new AtomikError(`invalid JSON: ${(err as Error).message}`, { where: file, hint: 'compare reads the report.json that atomik-gen writes, or a sweep JSON' });
  }
}

function isSweep(json: unknown): boolean {
  return typeof json === 'object' && json !== null && (json as { kind?: unknown }).kind === 'atomik-sweep';
}

/**
 * Every report.json and sweep.json under a folder, in name order; hidden folders and node_modules are not searched.
 * A sweep folder holds both (each point's report.json and the sweep.json that also lists the failed points); a report
 * reached twice counts once.
 */
function findReportFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    const entries = readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.isDirectory()) {
        if (!e.name.startsWith('.') && e.name !== 'node_modules') walk(join(d, e.name));
      } else if (e.isFile() && (e.name === 'report.json' || e.name === 'sweep.json')) {
        found.push(join(d, e.name));
      }
    }
  };
  walk(dir);
  return found;
}

function loadSweep(json: unknown, file: string, add: (r: BuildReport) => void, failed: FailedPoint[]): void {
  const checked = sweepSchema.safeParse(json);
  if (!checked.success) {
    throw new AtomikError(`not a valid sweep file (${issuesText(checked.error)})`, { where: file, hint: 'a sweep file is what atomik-gen sweep writes' });
  }
  checked.data.points.forEach((point, i) => {
    const design = (point.input ?? point.design)!;
    if (point.status === 'failed') {
      failed.push({ design, reason: point.reason ?? 'no reason given', source: file });
    } else if (point.report === undefined) {
      throw new AtomikError(`points[${i}] (${designLabel(design)}) is ok but carries no report`, { where: file, hint: 'a sweep file is what atomik-gen sweep writes' });
    } else {
      add(parseReport(point.report, file, ['points', i, 'report']));
    }
  });
}

function loadFile(file: string, add: (r: BuildReport) => void, failed: FailedPoint[]): void {
  const json = readJsonFile(file);
  if (isSweep(json)) loadSweep(json, file, add, failed);
  else add(parseReport(json, file));
}

/**
 * Loads everything a comparison shows: each path is a report.json, a folder searched (recursively) for report.json
 * files, or a sweep JSON, whose ok points give reports and whose failed points give failed rows. A report reached
 * twice (the same content) counts once.
 */
export function loadComparison(paths: readonly string[]): Comparison {
  if (paths.length === 0) throw new AtomikError('nothing to compare', { hint: INPUT_HINT });
  const reports: BuildReport[] = [];
  const failures: FailedPoint[] = [];
  const seen = new Set<string>();
  const add = (report: BuildReport) => {
    const key = JSON.stringify(report);
    if (seen.has(key)) return;
    seen.add(key);
    reports.push(report);
  };
  for (const path of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      throw new AtomikError('no such file or folder', { where: path, hint: INPUT_HINT });
    }
    if (isDir) {
      const files = findReportFiles(path);
      if (files.length === 0) throw new AtomikError('no report.json or sweep.json in this folder or below it', { where: path, hint: INPUT_HINT });
      for (const file of files) loadFile(file, add, failures);
    } else {
      loadFile(path, add, failures);
    }
  }
  // the same failed point, reached through its sweep folder and its sweep.json, counts once too
  const failed = failures.filter((f, i) => failures.findIndex((g) => JSON.stringify([g.design, g.reason]) === JSON.stringify([f.design, f.reason])) === i);
  return { reports, failed };
}

/** The build reports behind `paths` (report.json files, folders, sweep files); failed sweep points are left out. */
export function loadReports(paths: readonly string[]): BuildReport[] {
  return [...loadComparison(paths).reports];
}

// --- the table model ----------------------------------------------------------------------------------------------

export interface Column {
  readonly title: string;
  readonly align: 'left' | 'right';
}

export interface BoardTable {
  readonly board: string;
  readonly heading: string;
  readonly columns: readonly Column[];
  readonly rows: readonly (readonly string[])[];
  /** Notes the reports carry (e.g. "Fmax needs Vivado"), each once. */
  readonly notes: readonly string[];
}

interface Row {
  readonly design: PointDesign;
  readonly report: BuildReport | null;
  readonly failure: string | null;
}

const DASH = '—';

function compareOptional<T extends number | string>(a: T | undefined, b: T | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? -1 : 1;
}

/** Rows by banks, width, mode, clock; for the same design a built report before a failure, place and route first. */
function compareRows(a: Row, b: Row): number {
  return (
    a.design.banks - b.design.banks ||
    compareOptional(a.design.width, b.design.width) ||
    compareOptional(a.design.mode, b.design.mode) ||
    compareOptional(a.design.arch, b.design.arch) ||
    Number(a.design.bench ?? false) - Number(b.design.bench ?? false) ||
    compareOptional(a.design.clockMHz, b.design.clockMHz) ||
    Number(a.report === null) - Number(b.report === null) ||
    Number(a.report?.resources?.source.stage === 'synth') - Number(b.report?.resources?.source.stage === 'synth') ||
    compareOptional(a.report?.digest, b.report?.digest) ||
    compareOptional(a.failure ?? undefined, b.failure ?? undefined)
  );
}

function rowsByBoard(reports: readonly BuildReport[], failed: readonly FailedPoint[]): Map<string, Row[]> {
  const rows: Row[] = [
    ...reports.map((r) => ({ design: r.design, report: r, failure: null })),
    ...failed.map((f) => ({ design: f.design, report: null, failure: f.reason })),
  ];
  const byBoard = new Map<string, Row[]>();
  for (const row of rows) {
    const list = byBoard.get(row.design.board) ?? [];
    list.push(row);
    byBoard.set(row.design.board, list);
  }
  const sorted = new Map<string, Row[]>();
  for (const board of [...byBoard.keys()].sort()) sorted.set(board, byBoard.get(board)!.sort(compareRows));
  return sorted;
}

function num(x: number, decimals = 1): string {
  return String(Number(x.toFixed(decimals)));
}

function boardHeading(boardId: string, rows: readonly Row[]): string {
  const fromReport = rows.find((r) => r.report)?.report?.board;
  const known = findBoard(boardId);
  const title = fromReport?.title ?? known?.title;
  const part = fromReport?.part ?? known?.part;
  return title ? `${title} (${boardId}, ${part ?? 'part unknown'})` : boardId;
}

function useCell(use: ResourceUse | null): string {
  if (!use) return 'n/a';
  return use.percent === null ? String(use.used) : `${use.used} (${use.percent.toFixed(1)} %)`;
}

function resourceCell(report: BuildReport, resource: string): string {
  return useCell(resourceUse(report, resource));
}

/** The host interface: the UART with its line rate, else what it is. */
function hostLinkCell(f: ReportRow): string {
  if (f.hostLink !== null) return `UART ${f.hostLink.baud} baud`;
  return f.host === 'axi-lite' ? 'AXI4-Lite' : f.host;
}

/** One table per board, rows sorted by banks, then width, then mode. */
export function boardTables(reports: readonly BuildReport[], failed: readonly FailedPoint[] = []): BoardTable[] {
  const tables: BoardTable[] = [];
  for (const [board, rows] of rowsByBoard(reports, failed)) {
    const anyFailed = rows.some((r) => r.failure !== null);
    // BRAM and DSP only when some design on this board uses them.
    const extra = ['BRAM', 'DSP'].filter((res) => rows.some((r) => r.report && (resourceUse(r.report, res)?.used ?? 0) > 0));
    const resources = ['LUT', 'FF', ...extra];
    const columns: Column[] = [
      { title: 'design', align: 'left' },
      { title: 'clock (MHz)', align: 'right' },
      ...(anyFailed ? [{ title: 'status', align: 'left' as const }] : []),
      ...resources.map((res) => ({ title: `${res} used (%)`, align: 'right' as const })),
      { title: 'resources from', align: 'left' },
      { title: 'Fmax (MHz)', align: 'right' },
      { title: 'Fmax source', align: 'left' },
      { title: 'timing met', align: 'left' },
      { title: 'throughput (Mdeltas/s)', align: 'right' },
      { title: 'throughput basis', align: 'left' },
      { title: 'host link', align: 'left' },
      { title: 'line limit, computed (deltas/s)', align: 'right' },
    ];
    const cells = rows.map((row): string[] => {
      const d = row.design;
      const design = [designLabel(d), d.clockMHz === undefined ? DASH : num(d.clockMHz, 3)];
      const r = row.report;
      if (!r) return [...design, `failed: ${row.failure ?? ''}`, ...Array<string>(columns.length - design.length - 1).fill(DASH)];
      const f = reportRow(r);
      const fmax = f.fmaxMHz === null ? 'n/a' : `${f.fmaxMHz.toFixed(2)}${f.timedClocks > 1 ? ` (${f.fmaxClock})` : ''}`;
      return [
        ...design,
        ...(anyFailed ? ['ok'] : []),
        ...resources.map((res) => resourceCell(r, res)),
        sourceLabel(f.resourcesSource),
        fmax,
        sourceLabel(f.fmaxSource),
        f.timingMet === null ? 'n/a' : f.timingMet ? 'yes' : 'NO',
        `${num(f.mDeltasPerSecond, 3)} (${num(f.deltasPerCycle, 3)}/cycle x ${num(f.throughputClockMHz, 3)} MHz)`,
        sourceLabel(f.throughputSource),
        hostLinkCell(f),
        f.hostLink === null ? 'n/a' : `${Math.floor(f.hostLink.lineLimit.singleDeltasPerSecond)} single / ${Math.floor(f.hostLink.lineLimit.batchedDeltasPerSecond)} batched`,
      ];
    });
    const notes = [...new Set(rows.flatMap((r) => r.report?.notes ?? []))];
    tables.push({ board, heading: boardHeading(board, rows), columns, rows: cells, notes });
  }
  return tables;
}

// --- the cross-board view ---------------------------------------------------------------------------------------------

/** A design built on several boards, as a table: one row per build. */
export interface CrossBoardTable {
  readonly id: string;
  readonly heading: string;
  readonly columns: readonly Column[];
  readonly rows: readonly (readonly string[])[];
  /** Per row: the build misses timing at its clock. */
  readonly missed: readonly boolean[];
  readonly group: CrossBoardGroup;
}

const CROSS_COLUMNS: readonly Column[] = [
  { title: 'board', align: 'left' },
  { title: 'part', align: 'left' },
  { title: 'clock (MHz)', align: 'right' },
  { title: 'LUT used (% of part)', align: 'right' },
  { title: 'FF used (% of part)', align: 'right' },
  { title: 'resources from', align: 'left' },
  { title: 'Fmax (MHz)', align: 'right' },
  { title: 'Fmax source', align: 'left' },
  { title: 'timing at the clock', align: 'left' },
  { title: 'throughput (Mdeltas/s), where timing is met', align: 'right' },
];

function timingCell(p: CrossBoardPoint): string {
  if (p.timingMet === null) return 'not analysed';
  return p.timingMet ? 'met' : `MISSED (Fmax ${p.fmaxMHz === null ? 'n/a' : p.fmaxMHz.toFixed(2)} < ${num(p.clockMHz, 3)})`;
}

function crossThroughputCell(p: CrossBoardPoint): string {
  if (p.mDeltasPerSecond !== null) return `${num(p.mDeltasPerSecond, 3)} (${num(p.deltasPerCycle, 3)}/cycle x ${num(p.throughputClockMHz, 3)} MHz)`;
  return p.timingMet === false ? `${DASH} (misses its clock)` : `${DASH} (timing not analysed)`;
}

/** One table per design built on two boards or more: the boards side by side. */
export function crossBoardTables(reports: readonly BuildReport[]): CrossBoardTable[] {
  return crossBoardGroups(reports).map((group) => ({
    id: group.id,
    heading: `Across boards: ${group.label}`,
    columns: CROSS_COLUMNS,
    rows: group.points.map((p) => [
      `${p.title} (${p.board})`,
      p.part,
      num(p.clockMHz, 3),
      useCell(p.lut),
      useCell(p.ff),
      sourceLabel(p.resourcesSource),
      p.fmaxMHz === null ? 'n/a' : p.fmaxMHz.toFixed(2),
      sourceLabel(p.fmaxSource),
      timingCell(p),
      crossThroughputCell(p),
    ]),
    missed: group.points.map((p) => p.timingMet === false),
    group,
  }));
}

function summaryLine(reports: readonly BuildReport[], failed: readonly FailedPoint[], boards: number): string {
  const parts = [`${reports.length} build${reports.length === 1 ? '' : 's'} on ${boards} board${boards === 1 ? '' : 's'}`];
  if (failed.length > 0) parts.push(`${failed.length} failed point${failed.length === 1 ? '' : 's'}`);
  return `${parts.join(', ')}.`;
}

/** What the short labels mean, for the labels these reports use. */
function legend(reports: readonly BuildReport[]): string[] {
  const lines: string[] = [];
  const rows = reports.map(reportRow);
  // each tool's Fmax label with its own note (a timing model's estimate says so there too), once
  const fmax = new Map<string, string>();
  for (const { fmaxSource } of rows) if (fmaxSource && fmaxSource.kind !== 'none') fmax.set(sourceLabel(fmaxSource), fmaxSource.note);
  for (const [label, note] of [...fmax].sort(([a], [b]) => (a < b ? -1 : 1))) lines.push(`Fmax "${label}": ${note}.`);
  if (rows.some((r) => r.fmaxMHz === null)) lines.push('Fmax "n/a": no place and route ran (on Zynq it needs Vivado); resources then come from synthesis.');
  if (rows.some((r) => !r.throughputMeasured)) lines.push('Throughput "by design": deltas per cycle (round-robin 1, parallel one per bank) x the design clock, not measured.');
  if (rows.some((r) => r.throughputMeasured)) lines.push('Throughput "measured": deltas counted per cycle on a bench top x the achieved clock.');
  if (crossBoardGroups(reports).length > 0) {
    lines.push(
      'Across boards: a design built on several boards, side by side: resources as counts and % of each board\'s part, Fmax against the design clock with a miss marked, and throughput only where timing is met at that clock (a build that misses its clock does not run at it; one without timing analysis, synthesis only, is not known to).',
    );
  }
  if (rows.some((r) => r.hostLink !== null)) {
    lines.push(
      `Line limit, computed: the most deltas per second the UART host link carries back to back at its baud, from the frame sizes (single ACCUM frames / BATCH frames of ${MAX_BATCH} deltas); the host's ceiling, apart from the fabric's throughput, not a measurement (\`atomik-gen device bench\` measures the link).`,
    );
  }
  return lines;
}

const GENERATED = `generated by atomik-gen ${GENERATOR_VERSION} (compare); do not edit`;

function mdCell(text: string): string {
  return text.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function mdTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string[] {
  return [
    `| ${columns.map((c) => mdCell(c.title)).join(' | ')} |`,
    `|${columns.map((c) => (c.align === 'right' ? '---:' : '---')).join('|')}|`,
    ...rows.map((row) => `| ${row.map(mdCell).join(' | ')} |`),
  ];
}

/**
 * The comparison as Markdown: a summary, one table per design built on several boards (the boards side by side), then
 * one table per board.
 */
export function compareMarkdown(reports: readonly BuildReport[], failed: readonly FailedPoint[] = []): string {
  const tables = boardTables(reports, failed);
  const out: string[] = [`<!-- ${GENERATED} -->`, '# ATOMiK build comparison', '', summaryLine(reports, failed, tables.length)];
  const lines = legend(reports);
  if (lines.length > 0) out.push('', ...lines.map((l) => `- ${l}`));
  for (const t of crossBoardTables(reports)) out.push('', `## ${t.heading}`, '', ...mdTable(t.columns, t.rows));
  for (const t of tables) {
    out.push('', `## ${t.heading}`, '', ...mdTable(t.columns, t.rows));
    const notes = [...t.notes, ...sweepNotes(boardSeries(reports.filter((r) => r.design.board === t.board))).map((n) => n.text)];
    if (notes.length > 0) out.push('', ...notes.map((n) => `Note: ${n}`));
  }
  return out.join('\n') + '\n';
}

/** The comparison as data (`compare --json`): the figures the tables and charts are made from. */
export interface ComparisonData {
  readonly kind: 'atomik-comparison';
  readonly generator: string;
  /** One row per report, in the tables' order (by board, then banks, width, mode, arch). */
  readonly rows: readonly ReportRow[];
  /** The sweep points that did not build, with their reasons, in the same order. */
  readonly failed: readonly FailedPoint[];
  /** Each design built on two boards or more, with its builds side by side (throughput only where timing is met). */
  readonly acrossBoards: readonly CrossBoardGroup[];
}

export function comparisonData(reports: readonly BuildReport[], failed: readonly FailedPoint[] = []): ComparisonData {
  const ordered = [...rowsByBoard(reports, failed).values()].flat();
  return {
    kind: 'atomik-comparison',
    generator: `atomik-gen ${GENERATOR_VERSION}`,
    rows: ordered.flatMap((r) => (r.report ? [reportRow(r.report)] : [])),
    failed: ordered.flatMap((r) => (r.report ? [] : failed.filter((f) => f.design === r.design && f.reason === r.failure))),
    acrossBoards: crossBoardGroups(reports),
  };
}

// --- the HTML report ----------------------------------------------------------------------------------------------

/** Chart colours, in series order. */
const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2'];

interface ChartDataset {
  label: string;
  data: (number | null)[];
  borderColor: string;
  backgroundColor: string;
  borderDash?: number[];
  pointRadius?: number;
  spanGaps?: boolean;
  /** Bars: leave no empty slot for a board without a value. */
  skipNull?: boolean;
}

interface ChartSpec {
  id: string;
  title: string;
  config: object;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function chartConfig(type: 'line' | 'bar', title: string, xTitle: string, yTitle: string, labels: string[], datasets: ChartDataset[]): object {
  return {
    type,
    data: { labels, datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: { title: { display: true, text: title }, legend: { position: 'bottom' } },
      scales: {
        x: { offset: true, title: { display: true, text: xTitle } },
        y: { beginAtZero: true, title: { display: true, text: yTitle } },
      },
    },
  };
}

function dataset(label: string, data: (number | null)[], colour: string, dashed = false): ChartDataset {
  return { label, data, borderColor: colour, backgroundColor: colour, pointRadius: 4, spanGaps: true, ...(dashed ? { borderDash: [6, 4] } : {}) };
}

function barDataset(label: string, data: (number | null)[], colour: string): ChartDataset {
  return { label, data, borderColor: colour, backgroundColor: colour, skipNull: true };
}

/** A board's builds as the charts against banks see them: one series per width, mode, arch, bench top and clock. */
interface BoardSeries {
  readonly banks: readonly number[];
  readonly reports: readonly BuildReport[];
  /** Each series' builds by bank count, and its label: only what differs between the board's series. */
  readonly entries: readonly { readonly points: ReadonlyMap<number, BuildReport>; readonly label: string }[];
}

function boardSeries(reports: readonly BuildReport[]): BoardSeries {
  const sorted = [...reports].map((r) => ({ design: r.design, report: r, failure: null })).sort(compareRows).map((r) => r.report);
  const banks = [...new Set(sorted.map((r) => r.design.banks))].sort((a, b) => a - b);
  const bench = (r: BuildReport) => r.design.bench === true; // absent in reports older than the bench top
  const keyOf = (r: BuildReport) => `${r.design.width}|${r.design.mode}|${r.design.arch}|${bench(r)}|${r.design.clockMHz}`;
  const series = new Map<string, Map<number, BuildReport>>();
  for (const report of sorted) {
    const points = series.get(keyOf(report)) ?? new Map<number, BuildReport>();
    if (!points.has(report.design.banks)) points.set(report.design.banks, report); // the first in row order wins
    series.set(keyOf(report), points);
  }
  const differs = (pick: (r: BuildReport) => unknown) => new Set(sorted.map(pick)).size > 1;
  const [byWidth, byMode, byArch, byBench, byClock] = [
    differs((r) => r.design.width),
    differs((r) => r.design.mode),
    differs((r) => archOf(r.design)),
    differs(bench),
    differs((r) => r.design.clockMHz),
  ];
  const seriesLabel = (r: BuildReport) =>
    [byWidth ? `w${r.design.width}` : '', byMode ? r.design.mode : '', byArch ? archOf(r.design) : '', byBench && bench(r) ? 'bench' : '', byClock ? `${r.design.clockMHz} MHz` : ''].filter(Boolean).join(' ');
  const entries = [...series.values()].map((points) => ({ points, label: seriesLabel(points.values().next().value as BuildReport) }));
  return { banks, reports: sorted, entries };
}

type SweepMetric = 'throughput' | 'fmax' | 'resources';

/** Values within this share of each other count as the same at every bank count (placement noise, a counter's width). */
const SAME_SHARE = 0.02;

function range(values: readonly number[], decimals: number): string {
  const [lo, hi] = [Math.min(...values), Math.max(...values)];
  return lo === hi ? num(lo, decimals) : `${num(lo, decimals)}..${num(hi, decimals)}`;
}

/**
 * The metrics of a board's sweep that are the same at every bank count, each with a note saying so and why: a chart of
 * them would draw flat lines, so the page shows the note instead (the Markdown has it too). A metric counts when some
 * series has two bank counts or more and every series stays within SAME_SHARE.
 */
function sweepNotes(s: BoardSeries): { metric: SweepMetric; text: string }[] {
  const metrics: { metric: SweepMetric; title: string; parts: { name: string; unit: string; decimals: number; pick: (r: BuildReport) => number | null | undefined }[] }[] = [
    { metric: 'throughput', title: 'Throughput vs banks', parts: [{ name: '', unit: ' Mdeltas/s', decimals: 3, pick: (r) => r.throughput.mDeltasPerSecond }] },
    { metric: 'fmax', title: 'Fmax vs banks', parts: [{ name: '', unit: ' MHz', decimals: 1, pick: (r) => limitingFmaxMHz(r.clocks) }] },
    {
      metric: 'resources',
      title: 'Resources vs banks',
      parts: [
        { name: 'LUT ', unit: '', decimals: 0, pick: (r) => resourceUse(r, 'LUT')?.used },
        { name: 'FF ', unit: '', decimals: 0, pick: (r) => resourceUse(r, 'FF')?.used },
      ],
    },
  ];
  const roundRobin = s.reports.every((r) => r.design.mode === 'round-robin');
  const oneAccumulator = roundRobin && s.reports.every((r) => archOf(r.design) === 'reduce');
  const why: Readonly<Record<SweepMetric, string>> = {
    throughput: roundRobin ? 'in round-robin mode the core takes one delta per cycle whatever the banks' : 'the bank count does not change it in these builds',
    fmax: oneAccumulator ? 'in round-robin mode the reduce architecture is one accumulator whatever the banks' : 'the bank count does not change it in these builds',
    resources: oneAccumulator ? 'in round-robin mode the reduce architecture is one accumulator whatever the banks' : 'the bank count does not change it in these builds',
  };
  const notes: { metric: SweepMetric; text: string }[] = [];
  for (const m of metrics) {
    let severalBanks = false;
    let exact = true;
    const shown: string[] = [];
    const same = s.entries.every((e) =>
      m.parts.every((part) => {
        const values = [...e.points.values()].map(part.pick).filter((v): v is number => typeof v === 'number');
        if (values.length === 0) return true;
        if (values.length > 1) severalBanks = true;
        const [lo, hi] = [Math.min(...values), Math.max(...values)];
        if (hi !== lo) exact = false;
        shown.push(`${part.name}${range(values, part.decimals)}${part.unit}${s.entries.length > 1 && e.label ? ` (${e.label})` : ''}`);
        return hi - lo <= SAME_SHARE * Math.max(Math.abs(hi), Math.abs(lo));
      }),
    );
    if (!same || !severalBanks) continue;
    notes.push({
      metric: m.metric,
      text: `${m.title}: ${exact ? 'the same' : `within ${SAME_SHARE * 100} %`} at every bank count (${s.banks.join(', ')}): ${shown.join(', ')}; ${why[m.metric]}.`,
    });
  }
  return notes;
}

/**
 * Three charts per board against banks: throughput, Fmax, and LUT/FF percent. A series is one width, mode and clock;
 * its label names only what differs between the board's series. A chart with no data, one whose every series is the
 * same at every bank count (sweepNotes), and all three for a board built at one bank count only, become notes instead.
 */
function boardCharts(board: string, reports: readonly BuildReport[]): { charts: ChartSpec[]; missing: string[]; flat: string[] } {
  const s = boardSeries(reports);
  if (s.banks.length < 2) {
    const one = `${s.banks[0]} bank${s.banks[0] === 1 ? '' : 's'}`;
    return { charts: [], missing: [`No charts against banks: every build here has ${one} (a chart needs two bank counts or more); the table holds its figures.`], flat: [] };
  }
  const labels = s.banks.map(String);
  const values = (points: ReadonlyMap<number, BuildReport>, pick: (r: BuildReport) => number | null | undefined) =>
    s.banks.map((b) => {
      const r = points.get(b);
      return r === undefined ? null : pick(r) ?? null;
    });
  const named = (base: string, label: string) => (label ? `${base} (${label})` : base);
  const notes = sweepNotes(s);
  const isFlat = (metric: SweepMetric) => notes.some((n) => n.metric === metric);

  const charts: ChartSpec[] = [];
  const missing: string[] = [];

  if (!isFlat('throughput')) {
    const throughput = s.entries.map((e, i) => dataset(named('Mdeltas/s', e.label), values(e.points, (r) => r.throughput.mDeltasPerSecond), PALETTE[i % PALETTE.length]!));
    charts.push({ id: `${board}-throughput`, title: 'Throughput vs banks', config: chartConfig('line', 'Throughput vs banks', 'banks', 'Mdeltas/s', labels, throughput) });
  }

  const fmax = s.entries.map((e, i) => dataset(named('Fmax', e.label), values(e.points, (r) => limitingFmaxMHz(r.clocks)), PALETTE[i % PALETTE.length]!));
  if (!fmax.some((d) => d.data.some((v) => v !== null))) {
    missing.push('Fmax vs banks: no Fmax in these reports (no place and route ran; on Zynq it needs Vivado).');
  } else if (!isFlat('fmax')) {
    const clocks = [...new Set(s.reports.map((r) => r.design.clockMHz))];
    if (clocks.length === 1) fmax.push(dataset(`target clock (${clocks[0]} MHz)`, s.banks.map(() => clocks[0]!), '#7f7f7f', true));
    charts.push({ id: `${board}-fmax`, title: 'Fmax vs banks', config: chartConfig('line', 'Fmax vs banks', 'banks', 'MHz', labels, fmax) });
  }

  const resources = s.entries.flatMap((e, i) => [
    dataset(named('LUT %', e.label), values(e.points, (r) => resourceUse(r, 'LUT')?.percent), PALETTE[(2 * i) % PALETTE.length]!),
    dataset(named('FF %', e.label), values(e.points, (r) => resourceUse(r, 'FF')?.percent), PALETTE[(2 * i + 1) % PALETTE.length]!),
  ]);
  if (!resources.some((d) => d.data.some((v) => v !== null))) {
    missing.push('Resources vs banks: no resource counts in these reports.');
  } else if (!isFlat('resources')) {
    charts.push({ id: `${board}-resources`, title: 'Resources vs banks', config: chartConfig('line', 'Resources vs banks', 'banks', '% of the part', labels, resources) });
  }
  return { charts, missing, flat: notes.map((n) => `${n.text} Its chart would be flat lines, so the page leaves it out.`) };
}

/** The cross-board view of one design: LUT and FF percent, Fmax against the design clock, and throughput where timing is met. */
function crossCharts(group: CrossBoardGroup): { charts: ChartSpec[]; missing: string[] } {
  const points = group.points;
  const repeated = (board: string) => points.filter((p) => p.board === board).length > 1;
  const labels = points.map((p) => (repeated(p.board) ? `${p.board} @ ${num(p.clockMHz, 3)} MHz` : p.board));
  const id = `across-${group.id}`;
  const charts: ChartSpec[] = [];
  const missing: string[] = [];

  const resources = [barDataset('LUT %', points.map((p) => p.lut?.percent ?? null), PALETTE[0]!), barDataset('FF %', points.map((p) => p.ff?.percent ?? null), PALETTE[4]!)];
  if (resources.some((d) => d.data.some((v) => v !== null))) {
    charts.push({ id: `${id}-resources`, title: 'Resources by board', config: chartConfig('bar', `${group.label}: resources by board`, 'board', '% of the part', labels, resources) });
  } else {
    missing.push('Resources by board: no resource counts in these reports.');
  }

  if (points.some((p) => p.fmaxMHz !== null)) {
    const fmax = [
      barDataset('Fmax, timing met', points.map((p) => (p.timingMet === true ? p.fmaxMHz : null)), PALETTE[2]!),
      barDataset('Fmax, timing MISSED', points.map((p) => (p.timingMet === false ? p.fmaxMHz : null)), PALETTE[1]!),
      barDataset('design clock', points.map((p) => p.clockMHz), '#7f7f7f'),
    ].filter((d) => d.data.some((v) => v !== null));
    charts.push({ id: `${id}-fmax`, title: 'Fmax against the clock', config: chartConfig('bar', `${group.label}: Fmax against the design clock`, 'board', 'MHz', labels, fmax) });
  } else {
    missing.push('Fmax against the clock: no Fmax in these reports (no place and route ran).');
  }
  const noFmax = points.filter((p) => p.fmaxMHz === null).map((p) => p.board);
  if (noFmax.length > 0 && noFmax.length < points.length) missing.push(`No Fmax for ${noFmax.join(', ')}: no timing analysis ran (synthesis only), so neither Fmax nor throughput is shown.`);

  if (points.some((p) => p.mDeltasPerSecond !== null)) {
    const throughput = [barDataset('Mdeltas/s at the design clock (timing met)', points.map((p) => p.mDeltasPerSecond), PALETTE[0]!)];
    charts.push({ id: `${id}-throughput`, title: 'Throughput where timing is met', config: chartConfig('bar', `${group.label}: throughput where timing is met`, 'board', 'Mdeltas/s', labels, throughput) });
  } else {
    missing.push('Throughput where timing is met: no build here meets timing at its clock (or its timing was not analysed), so no throughput is shown.');
  }
  const misses = points.filter((p) => p.timingMet === false);
  if (misses.length > 0) missing.push(`Timing MISSED on ${misses.map((p) => `${p.board} (Fmax ${p.fmaxMHz?.toFixed(2)} MHz < ${num(p.clockMHz, 3)} MHz)`).join(', ')}: no throughput is shown for ${misses.length === 1 ? 'it' : 'them'}.`);
  return { charts, missing };
}

/** The charting library, read from node_modules and inlined so the page needs no network. */
function chartLibrary(): { source: string; version: string } {
  const require = createRequire(import.meta.url);
  const dist = dirname(require.resolve('chart.js'));
  const source = readFileSync(join(dist, 'chart.umd.min.js'), 'utf8');
  const version = /Chart\.js v([\w.-]+)/.exec(source)?.[1] ?? 'unknown';
  // A "</script" inside the library would end the inline script early.
  return { source: source.replace(/<\/script/gi, '<\\/script'), version };
}

/** JSON that is safe inside a <script> element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/**
 * The comparison as one self-contained HTML page: the same tables as the Markdown; per design built on several boards,
 * three bar charts across them (resources, Fmax against the clock, throughput where timing is met); per board, three
 * charts against banks (throughput, Fmax, LUT/FF percent). Chart.js, which draws them, is inlined.
 */
export function compareHtml(reports: readonly BuildReport[], failed: readonly FailedPoint[] = []): string {
  const tables = boardTables(reports, failed);
  const library = chartLibrary();
  const allCharts: ChartSpec[] = [];
  const table = (columns: readonly Column[], rows: readonly (readonly string[])[], mark: (row: readonly string[], i: number) => string) => ({
    columns: columns.map((c) => ({ title: escapeHtml(c.title), align: c.align })),
    rows: rows.map((row, i) => ({
      mark: mark(row, i),
      cells: row.map((cell, j) => ({ text: escapeHtml(cell), align: columns[j]?.align ?? 'left' })),
    })),
  });
  const chartRefs = (charts: readonly ChartSpec[]) => charts.map((c) => ({ id: escapeHtml(c.id), title: escapeHtml(c.title) }));
  const across = crossBoardTables(reports).map((t) => {
    const { charts, missing } = crossCharts(t.group);
    allCharts.push(...charts);
    return {
      id: escapeHtml(t.id),
      heading: escapeHtml(t.heading),
      ...table(t.columns, t.rows, (_row, i) => (t.missed[i] ? 'missed' : '')),
      charts: chartRefs(charts),
      missing: missing.map(escapeHtml),
    };
  });
  const boards = tables.map((t) => {
    const { charts, missing, flat } = boardCharts(t.board, reports.filter((r) => r.design.board === t.board));
    allCharts.push(...charts);
    return {
      id: escapeHtml(t.board),
      heading: escapeHtml(t.heading),
      ...table(t.columns, t.rows, (row) => (row.some((cell) => cell.startsWith('failed: ')) ? 'failed' : '')),
      notes: t.notes.map(escapeHtml),
      charts: chartRefs(charts),
      missing: missing.map(escapeHtml),
      flat: flat.map(escapeHtml),
    };
  });
  return renderTemplate('report/compare.html.hbs', {
    generated: escapeHtml(GENERATED),
    summary: escapeHtml(summaryLine(reports, failed, tables.length)),
    legend: legend(reports).map(escapeHtml),
    across,
    boards,
    chartJsVersion: escapeHtml(library.version),
    chartJs: library.source,
    chartsJson: scriptJson(allCharts.map((c) => ({ id: c.id, config: c.config }))),
  });
}
