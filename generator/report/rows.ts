// One row per build report, and one name per design: the comparison tables, the sweep tables and the budget check all
// read a report through reportRow and name a design with designLabel, so a figure, its source and a design's name read
// the same wherever they are shown.
import { DEFAULTS } from '../design/design.js';
import type { Arch, Mode } from '../design/design.js';
import type { ResourceUse } from '../vendors/types.js';
import { limitingFmaxMHz, type BuildReport, type ClockReport, type HostLink, type ReportSource } from './report.js';

/** The design fields a table shows. A failed sweep point may carry only some of them. */
export interface PointDesign {
  readonly board: string;
  readonly banks: number;
  readonly width?: number;
  readonly mode?: string;
  /** `banked` or `reduce`; absent in a point that did not say (the default). */
  readonly arch?: string;
  readonly clockMHz?: number;
  /** The bench top (an on-chip generator on every lane). */
  readonly bench?: boolean;
}

/** A point's architecture; one without it counts as the default. */
export function archOf(d: Pick<PointDesign, 'arch'>): string {
  return d.arch ?? DEFAULTS.arch;
}

/** The architecture, named only when it is not the default. */
export function archMark(arch: string | undefined): string | null {
  return arch === undefined || arch === DEFAULTS.arch ? null : arch;
}

/** `tang9k b16 w64 round-robin` (then the architecture when not the default, and `bench`): how a design is named in tables and messages. */
export function designLabel(d: Partial<PointDesign>): string {
  return [
    d.board ?? null,
    d.banks === undefined ? null : `b${d.banks}`,
    d.width === undefined ? null : `w${d.width}`,
    d.mode ?? null,
    archMark(d.arch),
    d.bench ? 'bench' : null,
  ]
    .filter((p) => p !== null)
    .join(' ');
}

/** The clock whose Fmax limits the design (limitingFmaxMHz), or the first clock when none has an Fmax. */
export function limitingClock(report: BuildReport): ClockReport | null {
  const fmax = limitingFmaxMHz(report.clocks);
  return report.clocks.find((c) => c.fmaxMHz === fmax) ?? null;
}

/** One resource (LUT, FF, BRAM, ...) of the report's final counts. */
export function resourceUse(report: BuildReport, resource: string): ResourceUse | null {
  return report.resources?.items.find((i) => i.resource === resource) ?? null;
}

/** What a table shows of one build. */
export interface ReportRow {
  /** designLabel of the report's design. */
  readonly label: string;
  readonly board: string;
  readonly banks: number;
  readonly width: number;
  readonly mode: Mode;
  readonly arch: Arch;
  readonly bench: boolean;
  readonly clockMHz: number;
  readonly lut: ResourceUse | null;
  readonly ff: ResourceUse | null;
  /** Where the resource counts come from (synthesis or place and route); null when there are none. */
  readonly resourcesSource: ReportSource | null;
  /** The design's limiting Fmax (limitingFmaxMHz); null when no timing analysis ran. */
  readonly fmaxMHz: number | null;
  /** The clock it belongs to, and how many clocks have an Fmax. */
  readonly fmaxClock: string | null;
  readonly timedClocks: number;
  /** The limiting clock's source (`none` with the reason when no timing analysis ran). */
  readonly fmaxSource: ReportSource | null;
  readonly timingMet: boolean | null;
  readonly mDeltasPerSecond: number;
  readonly deltasPerCycle: number;
  readonly throughputClockMHz: number;
  /** True only when a simulation counted the deltas per cycle (the bench top). */
  readonly throughputMeasured: boolean;
  readonly throughputSource: ReportSource;
  /** The host interface (uart, axi-lite, none). */
  readonly host: BuildReport['design']['host'];
  /** The UART host link and its line limit (computed, not measured); null when the host is not the UART. */
  readonly hostLink: HostLink | null;
  /** The golden-model cross-check of this run; null when it did not run this time. */
  readonly verified: boolean | null;
}

export function reportRow(report: BuildReport): ReportRow {
  const d = report.design;
  const limiting = limitingClock(report);
  const t = report.throughput;
  return {
    label: designLabel(d),
    board: d.board,
    banks: d.banks,
    width: d.width,
    mode: d.mode,
    arch: d.arch,
    bench: d.bench,
    clockMHz: d.clockMHz,
    lut: resourceUse(report, 'LUT'),
    ff: resourceUse(report, 'FF'),
    resourcesSource: report.resources?.source ?? null,
    fmaxMHz: limiting?.fmaxMHz ?? null,
    fmaxClock: limiting?.fmaxMHz == null ? null : limiting.clock,
    timedClocks: report.clocks.filter((c) => c.fmaxMHz !== null).length,
    fmaxSource: limiting?.source ?? null,
    timingMet: report.timingMet,
    mDeltasPerSecond: t.mDeltasPerSecond,
    deltasPerCycle: t.deltasPerCycle,
    throughputClockMHz: t.clockMHz,
    throughputMeasured: t.basis.kind === 'measured',
    throughputSource: t.basis,
    host: d.host,
    hostLink: report.hostLink,
    verified: report.verification?.passed ?? null,
  };
}
