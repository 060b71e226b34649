// The same design on every board, side by side: the builds of one design (banks, width, mode, arch, bench top, host)
// on two or more boards, each with its resources against its own part, its Fmax against its own design clock, and its
// throughput only where timing is met at that clock (a design that misses its clock does not run at it, and one whose
// timing was not analysed is not known to). compare.ts lays the groups out as tables and charts.
import type { ResourceUse } from '../vendors/types.js';
import { archOf, designLabel, reportRow } from './rows.js';
import type { BuildReport, ReportSource } from './schema.js';

/** One build of a cross-board group. */
export interface CrossBoardPoint {
  readonly board: string;
  readonly title: string;
  readonly part: string;
  /** The design clock, the timing target. */
  readonly clockMHz: number;
  readonly lut: ResourceUse | null;
  readonly ff: ResourceUse | null;
  /** Where the resource counts come from (synthesis or place and route). */
  readonly resourcesSource: ReportSource | null;
  /** The limiting Fmax; null when no timing analysis ran. */
  readonly fmaxMHz: number | null;
  readonly fmaxSource: ReportSource | null;
  /** Timing at the design clock: met, missed, or null when it was not analysed. */
  readonly timingMet: boolean | null;
  /** Deltas per second at the design clock, only where timing is met there; null otherwise. */
  readonly mDeltasPerSecond: number | null;
  readonly deltasPerCycle: number;
  readonly throughputClockMHz: number;
  readonly throughputSource: ReportSource;
}

/** One design on several boards. */
export interface CrossBoardGroup {
  /** The design without its board: `b16 w64 round-robin` (then the arch when not the default, `bench`, the host when not the UART). */
  readonly label: string;
  /** The label as an id: `b16-w64-round-robin`. */
  readonly id: string;
  /** One per build, by board (then clock). */
  readonly points: readonly CrossBoardPoint[];
}

/** What makes two builds the same design here: everything but the board and its clock. */
function designKey(d: BuildReport['design']): string {
  return JSON.stringify([d.banks, d.width, d.mode, archOf(d), d.bench, d.host]);
}

function groupLabel(d: BuildReport['design']): string {
  return [designLabel({ banks: d.banks, width: d.width, mode: d.mode, arch: d.arch, bench: d.bench }), d.host === 'uart' ? '' : `host ${d.host}`].filter(Boolean).join(' ');
}

function point(report: BuildReport): CrossBoardPoint {
  const r = reportRow(report);
  return {
    board: r.board,
    title: report.board.title,
    part: report.board.part,
    clockMHz: r.clockMHz,
    lut: r.lut,
    ff: r.ff,
    resourcesSource: r.resourcesSource,
    fmaxMHz: r.fmaxMHz,
    fmaxSource: r.fmaxSource,
    timingMet: r.timingMet,
    mDeltasPerSecond: r.timingMet === true ? r.mDeltasPerSecond : null,
    deltasPerCycle: r.deltasPerCycle,
    throughputClockMHz: r.throughputClockMHz,
    throughputSource: r.throughputSource,
  };
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The designs built on two boards or more, in the order of their banks, width, mode, arch, bench top and host; within
 * a group the builds by board, then clock, place and route before synthesis only, then digest (any input order gives
 * the same groups).
 */
export function crossBoardGroups(reports: readonly BuildReport[]): CrossBoardGroup[] {
  const groups = new Map<string, BuildReport[]>();
  for (const r of reports) groups.set(designKey(r.design), [...(groups.get(designKey(r.design)) ?? []), r]);
  return [...groups.values()]
    .filter((rs) => new Set(rs.map((r) => r.design.board)).size > 1)
    .map((rs) => {
      const sorted = [...rs].sort(
        (a, b) =>
          byText(a.design.board, b.design.board) ||
          a.design.clockMHz - b.design.clockMHz ||
          Number(a.resources?.source.stage === 'synth') - Number(b.resources?.source.stage === 'synth') ||
          byText(a.digest, b.digest),
      );
      const d = sorted[0]!.design;
      const label = groupLabel(d);
      return { design: d, group: { label, id: label.replace(/[^A-Za-z0-9]+/g, '-'), points: sorted.map(point) } };
    })
    .sort(
      (a, b) =>
        a.design.banks - b.design.banks ||
        a.design.width - b.design.width ||
        byText(a.design.mode, b.design.mode) ||
        byText(archOf(a.design), archOf(b.design)) ||
        Number(a.design.bench) - Number(b.design.bench) ||
        byText(a.design.host, b.design.host),
    )
    .map((g) => g.group);
}
