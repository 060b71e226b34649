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
