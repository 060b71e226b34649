// The tables of a sweep (sweep.csv and sweep.md): one row per point, from reportRow for a point that built, named by
// designLabel. A sweep is read structurally here (atomik-gen's Sweep, generator/run/sweep.ts, is one).
import { designLabel, reportRow, type PointDesign } from './rows.js';
import { sourceLabel, type BuildReport } from './schema.js';

/** What the tables read of a sweep. */
export interface SweepTableInput {
  readonly generator: string;
  readonly until: string;
  readonly points: readonly {
    readonly input: Partial<PointDesign>;
    readonly status: 'ok' | 'failed';
    readonly reason?: string;
    readonly report?: BuildReport;
  }[];
}

interface Row {
  readonly [column: string]: string | number;
}

const cell = <T>(value: T | null | undefined, shown: (v: T) => string | number = String): string | number =>
  value === null || value === undefined ? '' : shown(value);

function rows(sweep: SweepTableInput): Row[] {
  return sweep.points.map((p) => {
    const r = p.report ? reportRow(p.report) : null;
    const i = p.input;
    return {
      board: r?.board ?? i.board ?? '',
      banks: r?.banks ?? i.banks ?? '',
      width: r?.width ?? i.width ?? '',
      mode: r?.mode ?? i.mode ?? '',
      arch: r?.arch ?? i.arch ?? '',
      clock_mhz: r?.clockMHz ?? i.clockMHz ?? '',
      status: p.status,
      lut: cell(r?.lut?.used),
      lut_pct: cell(r?.lut?.percent),
      ff: cell(r?.ff?.used),
      ff_pct: cell(r?.ff?.percent),
      resources_from: r ? sourceLabel(r.resourcesSource) : '',
      fmax_mhz: cell(r?.fmaxMHz),
      fmax_source: r ? sourceLabel(r.fmaxSource) : '',
      fmax_kind: cell(r?.fmaxSource?.kind),
      timing_met: cell(r?.timingMet),
      mdeltas_per_s: cell(r?.mDeltasPerSecond),
      throughput_basis: r ? sourceLabel(r.throughputSource) : '',
      // the host link apart from the fabric: the UART's line rate and its computed ceiling (not a measurement)
      baud: cell(r?.hostLink?.baud),
      line_limit_single_per_s: cell(r?.hostLink?.lineLimit.singleDeltasPerSecond),
      line_limit_batched_per_s: cell(r?.hostLink?.lineLimit.batchedDeltasPerSecond),
      verified: cell(r?.verified),
      reason: p.reason ?? '',
      design: r?.label ?? designLabel(i),
    };
  });
}

function csvCell(v: string | number): string {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function sweepCsv(sweep: SweepTableInput): string {
  const table = rows(sweep);
  const columns = Object.keys(table[0] ?? { board: '' });
  return [columns.join(','), ...table.map((r) => columns.map((c) => csvCell(r[c] ?? '')).join(','))].join('\n') + '\n';
}

export function sweepMarkdown(sweep: SweepTableInput): string {
  const head =
    '| design | clock MHz | status | LUT | LUT % | FF | FF % | Fmax MHz | Fmax source | timing met | Mdeltas/s | throughput | host link baud | line limit, computed (deltas/s, single / batched) | verified |';
  const lines = [
    `# Sweep (${sweep.generator}, until ${sweep.until})`,
    '',
    head,
    '|---|---:|---|---:|---:|---:|---:|---:|---|---|---:|---|---:|---|---|',
    ...rows(sweep).map(
      (r) =>
        `| ${r.design} | ${r.clock_mhz} | ${r.status === 'ok' ? 'ok' : `failed: ${String(r.reason).replace(/\|/g, '\\|')}`} | ${r.lut} | ${r.lut_pct} | ${r.ff} | ${r.ff_pct} | ${r.fmax_mhz} | ${r.fmax_source} | ${r.timing_met} | ${r.mdeltas_per_s} | ${r.throughput_basis} | ${r.baud} | ${r.baud === '' ? '' : `${r.line_limit_single_per_s} / ${r.line_limit_batched_per_s}`} | ${r.verified} |`,
    ),
    '',
    'An Fmax marked (estimate) is a timing model\'s prediction; throughput is the fabric\'s deltas per cycle x clock, "measured" only where a simulation counted the deltas, else "by design". ' +
      'The host link is apart: the UART\'s line rate and the most deltas per second it carries back to back (single ACCUM frames / BATCH frames of 255), computed from the frame sizes, not measured.',
    '',
  ];
  return lines.join('\n');
}
