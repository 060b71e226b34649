// The shape of report.json, as one zod schema: report.ts builds values of the type inferred from it, and everything
// that reads a report.json back (compare, the budget check) checks the file against it. A figure's source is a typed
// value ({ tool, stage, kind, note }); prose is made from it only where it is shown.
import { z } from 'zod';
import { AtomikError } from '../common/errors.js';
import { ARCHS, HOSTS, MODES, type Design } from '../design/design.js';
import { STAGES } from '../tools/stage.js';
import type { FigureSource } from '../vendors/types.js';

/** `entries[2].minFmaxMHz`: a zod issue path as it is written in the file. */
export function pathText(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('') || '(top level)';
}

/** What is wrong with a file, shortly: the missing fields together, then the first other problems. */
export function issuesText(error: z.ZodError, prefix: readonly PropertyKey[] = []): string {
  const missing: string[] = [];
  const wrong: string[] = [];
  for (const issue of error.issues) {
    const path = pathText([...prefix, ...issue.path]);
    if (issue.code === 'invalid_type' && /received undefined$/.test(issue.message)) missing.push(path);
    else wrong.push(`${path}: ${issue.message}`);
  }
  const parts: string[] = [];
  if (missing.length > 0) parts.push(`missing ${missing.slice(0, 6).join(', ')}${missing.length > 6 ? ', ...' : ''}`);
  parts.push(...wrong.slice(0, 3));
  if (wrong.length > 3) parts.push(`and ${wrong.length - 3} more`);
  return parts.join('; ');
}

/**
 * Where a figure came from: a vendor flow's FigureSource, or `none` (the figure is missing; `note` says why) or
 * `by-design` (derived from the design, not from any tool). `tool` and `stage` are null when no tool gave the figure.
 */
export const figureSourceSchema = z.object({
  tool: z.string().nullable(),
  stage: z.enum(['synth', 'pnr', 'measure']).nullable(),
  kind: z.enum(['estimate', 'measured', 'reported', 'none', 'by-design']),
  note: z.string(),
});
export type ReportSource = z.infer<typeof figureSourceSchema>;

// a vendor flow's source is a report source as it is
const _vendorSourceFits: ReportSource = {} as FigureSource;
void _vendorSourceFits;

const KIND_WORDS: Readonly<Record<ReportSource['kind'], string>> = {
  estimate: 'estimate',
  measured: 'measured',
  reported: 'reported',
  none: 'none',
  'by-design': 'by design',
};
const STAGE_WORDS: Readonly<Record<NonNullable<ReportSource['stage']>, string>> = { synth: 'synthesis', pnr: 'place and route', measure: 'simulation' };

/** A source as one line for people: its kind, then its note (a tool's report needs no kind word). */
export function sourceText(source: ReportSource): string {
  return source.kind === 'reported' ? source.note : `${KIND_WORDS[source.kind]}: ${source.note}`;
}

/**
 * A source as a table cell: `n/a` for a missing figure, `by design` / `measured`, else the tool and stage
 * (`yosys synthesis`), with `(estimate)` after a timing model's prediction.
 */
export function sourceLabel(source: ReportSource | null): string {
  if (source === null || source.kind === 'none') return 'n/a';
  if (source.kind === 'by-design' || source.kind === 'measured') return KIND_WORDS[source.kind];
  const name = [source.tool, source.stage === null ? null : STAGE_WORDS[source.stage]].filter((p) => p !== null).join(' ');
  return source.kind === 'estimate' ? `${name} (estimate)` : name;
}

export const resourceUseSchema = z.object({
  resource: z.string(),
  used: z.number(),
  available: z.number().nullable(),
  percent: z.number().nullable(),
});

export const designSchema = z.object({
  name: z.string(),
  board: z.string(),
  banks: z.number().int().positive(),
  width: z.number().int().positive(),
  mode: z.enum(MODES),
  arch: z.enum(ARCHS),
  clockMHz: z.number().positive(),
  pipeline: z.number().int().min(0),
  host: z.enum(HOSTS),
  bench: z.boolean(),
  resetButton: z.string(),
  baud: z.number().int().min(0),
  frameTimeoutMs: z.number().int().min(0),
});
// the report's design is the resolved Design, field for field
const _designFits: [Design, z.infer<typeof designSchema>] = [{} as z.infer<typeof designSchema>, {} as Design];
void _designFits;

/** The cross-check against the golden model, as the verify stage reports it. */
export const verificationSchema = z.object({
  simulator: z.string(),
  cycles: z.number(),
  seed: z.number(),
  passed: z.boolean(),
  /** Null when the result was served from the cache (no run timed). */
  cyclesPerSecond: z.number().nullable(),
});
export type VerificationSummary = z.infer<typeof verificationSchema>;

/** How deep the verification goes: the RTL, the synthesized netlist, the routed netlist, the bitstream unpacked. */
export const VERIFY_LEVELS = ['rtl', 'synth', 'pnr', 'bitstream'] as const;
export type VerifyLevel = (typeof VERIFY_LEVELS)[number];

/** One verification level as it ran: its checks (the core against the golden model, the board top over the UART). */
export const verifiedLevelSchema = z.object({
  level: z.enum(VERIFY_LEVELS),
  passed: z.boolean(),
  checks: z.array(
    z.object({
      dut: z.enum(['core', 'top']),
      /** False when the check could not run for this design (see `reason`). */
      ran: z.boolean(),
      reason: z.string().optional(),
      simulator: z.string(),
      /** Core: cycles compared with the golden model. Top: core clock cycles simulated. */
      cycles: z.number(),
      /** Top: UART frames whose replies were compared with the host model. */
      frames: z.number(),
      /** The netlist simulated, relative to the output folder (null for the RTL). */
      netlist: z.string().nullable(),
      /** What the check did to the netlist to simulate it (an unpacker's gaps filled in). */
      notes: z.array(z.string()),
    }),
  ),
});
export type VerifiedLevel = z.infer<typeof verifiedLevelSchema>;

const RUN_STAGES = STAGES.filter((s): s is Exclude<typeof s, 'generate'> => s !== 'generate');

/** One stage as the report shows it (the pipeline's StageResult without its tools, which the report lists once). */
export const stageReportSchema = z.object({
  stage: z.enum(RUN_STAGES as [(typeof RUN_STAGES)[number], ...(typeof RUN_STAGES)[number][]]),
  status: z.enum(['ran', 'cached', 'skipped']),
  /** Seconds this run spent (0 when cached or skipped). */
  seconds: z.number(),
  /** Seconds of the run that produced the outputs (the cached run's, when cached). */
  producedInSeconds: z.number(),
  /** Log path relative to the output folder. */
  log: z.string(),
  reason: z.string().optional(),
});
export type StageReport = z.infer<typeof stageReportSchema>;

export const clockReportSchema = z.object({
  clock: z.string(),
  constraintMHz: z.number(),
  fmaxMHz: z.number().nullable(),
  met: z.boolean().nullable(),
  source: figureSourceSchema,
});
export type ClockReport = z.infer<typeof clockReportSchema>;

export const throughputSchema = z.object({
  deltasPerCycle: z.number(),
  clockMHz: z.number(),
  mDeltasPerSecond: z.number(),
  /** `measured` when a simulation counted the deltas per cycle (the bench top), else `by-design`. */
  basis: figureSourceSchema,
  counted: z.object({ simulator: z.string(), cycles: z.number(), deltas: z.number() }).optional(),
});
export type Throughput = z.infer<typeof throughputSchema>;

/**
 * The host link (the UART): what the design's line carries into the core, apart from the fabric's throughput. The line
 * limit is the line's ceiling computed from the frame sizes (deltas per second, back to back), never a measurement:
 * `device bench` measures it on a board or the virtual board.
 */
export const hostLinkSchema = z.object({
  interface: z.literal('uart'),
  baud: z.number().int().positive(),
  frameTimeoutMs: z.number().int().positive(),
  /** |bit time the core clock's divisor makes - the line's bit time| / the line's bit time, in percent. */
  bitErrorPct: z.number().min(0),
  lineLimit: z.object({
    /** One ACCUM frame per delta. */
    singleDeltasPerSecond: z.number().positive(),
    /** BATCH frames of 255 deltas (MAX_BATCH). */
    batchedDeltasPerSecond: z.number().positive(),
  }),
  basis: z.literal('computed'),
  /** What the figures are, for people. */
  note: z.string(),
});
export type HostLink = z.infer<typeof hostLinkSchema>;

export const bitstreamSchema = z.object({ path: z.string(), sha256: z.string(), bytes: z.number() });
export type BitstreamReport = z.infer<typeof bitstreamSchema>;

/** One placement seed's place and route (`--seeds N`): its figures, or why it has none. */
export const placementSchema = z.object({
  seed: z.number().int(),
  /** `failed`: the tool failed or was stopped (see `reason`); `skipped`: the flow's place and route did not run. */
  status: z.enum(['ran', 'cached', 'failed', 'skipped']),
  seconds: z.number(),
  /** The design's Fmax (its slowest clock's), an estimate of the flow's timing model; null without timing. */
  fmaxMHz: z.number().nullable(),
  met: z.boolean().nullable(),
  resources: z.array(resourceUseSchema),
  /** The seed's nextpnr report, relative to the output folder. */
  result: z.string().nullable(),
  reason: z.string().optional(),
});
export type PlacementReport = z.infer<typeof placementSchema>;

/** The placement seeds of a job, side by side, and the one kept: its place and route is the report's, and its bitstream. */
export const placementsSchema = z.object({
  /** The clock place and route worked towards (nextpnr --freq), MHz. */
  targetMHz: z.number(),
  seeds: z.array(placementSchema),
  keptSeed: z.number().int().nullable(),
  /** How the kept seed was chosen. */
  rule: z.string(),
  note: z.string().optional(),
});
export type PlacementsReport = z.infer<typeof placementsSchema>;

/** One attempt of the clock search: the clock asked for, the clock the PLL makes at or below it, and what it reached. */
export const clockAttemptSchema = z.object({
  /** The ceiling: the last measured Fmax derated by the margin, MHz. */
  requestedMHz: z.number(),
  /** The highest clock the board's PLL makes at or below the ceiling (the design's clock for the attempt), MHz. */
  clockMHz: z.number(),
  fmaxMHz: z.number().nullable(),
  met: z.boolean(),
  keptSeed: z.number().int().nullable(),
  /**
   * Taken from the previous run's report, not run again: an attempt that missed timing, by a search with the same key
   * (the attempt's design is not in the folder any more, so it would run again only to miss again).
   */
  reused: z.boolean().optional(),
});

/** `--clock-mhz max`: the search for the highest clock the PLL makes that meets timing. */
export const clockSearchSchema = z.object({
  /** What the search's outcome depends on (the design, the probe's results and tools, the seeds, the margin), as sha256. */
  key: z.string(),
  marginPct: z.number(),
  /** The first place and route, at a target above any clock the PLL makes, in its own folder. */
  probe: z.object({
    folder: z.string(),
    designClockMHz: z.number(),
    targetMHz: z.number(),
    fmaxMHz: z.number(),
    seeds: z.array(placementSchema),
    keptSeed: z.number().int().nullable(),
  }),
  attempts: z.array(clockAttemptSchema),
  /** The clock of the attempt that met timing; null when none did within the attempts allowed (the report is the last one's). */
  chosenMHz: z.number().nullable(),
  note: z.string(),
});
export type ClockSearchReport = z.infer<typeof clockSearchSchema>;

/** How many of the design's flip-flops toggle in a cycle: an estimate from the design's structure, not a measurement. */
export const togglingSchema = z.object({
  /** Flip-flops of the design (the report's resources: after place and route, else synthesis). */
  flipFlops: z.number(),
  /** Flip-flops expected to toggle in one cycle (estimate). */
  togglesPerCycle: z.number(),
  /** togglesPerCycle / flipFlops. */
  designSharePct: z.number(),
  /** togglesPerCycle / the part's flip-flops; null when the part's count is unknown. */
  partSharePct: z.number().nullable(),
  /** The part share above which the report warns, on boards of a family with reports of trouble; null elsewhere. */
  warnAbovePartSharePct: z.number().nullable(),
  warning: z.boolean(),
  basis: figureSourceSchema,
});
export type TogglingReport = z.infer<typeof togglingSchema>;

export const reportSchema = z.object({
  generator: z.string(),
  digest: z.string(),
  design: designSchema,
  board: z.object({ id: z.string(), title: z.string(), part: z.string() }),
  top: z.string(),
  stages: z.array(stageReportSchema),
  tools: z.array(z.object({ id: z.string(), version: z.string().nullable(), path: z.string(), source: z.string() })),
  /** Resources after place and route when it ran, else after synthesis. */
  resources: z.object({ source: figureSourceSchema, items: z.array(resourceUseSchema) }).nullable(),
  synthesis: z.array(resourceUseSchema).nullable(),
  clocks: z.array(clockReportSchema),
  /** Timing met against the constrained clock; null when no timing analysis ran. */
  timingMet: z.boolean().nullable(),
  /** The fabric's rate: deltas the core takes per second. */
  throughput: throughputSchema,
  /** The host link's line limit (computed); null when the host interface is not the UART. */
  hostLink: hostLinkSchema.nullable(),
  bitstream: bitstreamSchema.nullable(),
  /** The cross-check against the golden model, when it ran this time. */
  verification: verificationSchema.nullable(),
  notes: z.array(z.string()),
  /** The verification levels that ran and passed (`--verify-level`, `verify --level`); absent when only the RTL ran. */
  verifiedLevels: z.array(verifiedLevelSchema).optional(),
  /** `--seeds N`: every placement seed and the one kept. */
  placements: placementsSchema.optional(),
  /** `--clock-mhz max`: the clock search. */
  clockSearch: clockSearchSchema.optional(),
  /** Flip-flops toggling per cycle (an estimate); absent before synthesis counted the flip-flops. */
  toggling: togglingSchema.optional(),
});
export type BuildReport = z.infer<typeof reportSchema>;

/**
 * A report.json's content checked against the schema; anything else (another file, a report of an older atomik-gen)
 * is one AtomikError naming the file and what is wrong. `prefix` places a report inside a bigger file (a sweep's point).
 */
export function parseReport(json: unknown, where: string, prefix: readonly PropertyKey[] = []): BuildReport {
  const checked = reportSchema.safeParse(json);
  if (!checked.success) {
    throw new AtomikError(`not an atomik-gen build report (${issuesText(checked.error, prefix)})`, {
      where,
      hint: 'give the report.json that atomik-gen writes into its --out folder; one written by an older atomik-gen needs a new build',
    });
  }
  return checked.data;
}
