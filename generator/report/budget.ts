// The regression budget: per board, bank count, width and mode, the lowest Fmax and the highest LUT and FF share a
// build may show. `atomik-gen compare --budget FILE` fails when a report breaks one, and when a budgeted design has no
// report at all, so a CI run cannot pass by silently skipping a point.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { boardIds, findBoard } from '../../boards/index.js';
import type { FailedPoint } from './compare.js';
import { ARCHS, DEFAULTS, MODES } from '../design/design.js';
import { AtomikError } from '../common/errors.js';
import { archOf, designLabel, reportRow, type PointDesign } from './rows.js';
import { issuesText, sourceLabel, sourceText, type BuildReport } from './schema.js';

const entrySchema = z.strictObject({
  board: z.string(),
  banks: z.number().int().positive(),
  width: z.number().int().positive().default(DEFAULTS.width),
  mode: z.enum(MODES).default(DEFAULTS.mode),
  arch: z.enum(ARCHS).default(DEFAULTS.arch),
  /** The bench top (an on-chip generator on every lane) is a different design from the plain one. */
  bench: z.boolean().default(DEFAULTS.bench),
  /** Lowest acceptable Fmax of the limiting clock. */
  minFmaxMHz: z.number().positive().optional(),
  maxLutPercent: z.number().min(0).max(100).optional(),
  maxFfPercent: z.number().min(0).max(100).optional(),
  /** Why the limits are what they are (the measurement behind them). */
  measured: z.string().optional(),
});

const budgetSchema = z.strictObject({
  $comment: z.string().optional(),
  entries: z.array(entrySchema),
});

export type BudgetEntry = z.infer<typeof entrySchema>;
export type Budget = z.infer<typeof budgetSchema>;

export interface BudgetResult {
  /** One line per breach: the design, the metric, the measured value and the limit. */
  readonly breaches: string[];
}

/** Checks a parsed budget file; `where` names it in errors. */
export function parseBudget(json: unknown, where: string): Budget {
  const checked = budgetSchema.safeParse(json);
  if (!checked.success) {
    throw new AtomikError(`invalid budget: ${issuesText(checked.error)}`, {
      where,
      hint: 'entries take board, banks, width, mode, arch, bench, minFmaxMHz, maxLutPercent, maxFfPercent and measured',
    });
  }
  checked.data.entries.forEach((e, i) => {
    if (!findBoard(e.board)) {
      throw new AtomikError(`invalid budget: entries[${i}].board: unknown board "${e.board}"`, { where, hint: `known boards: ${boardIds().join(', ')}` });
    }
  });
  return checked.data;
}

export function readBudget(path: string): Budget {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new AtomikError('cannot read the budget file', { where: path, hint: 'give a budget JSON such as budgets/budget.json' });
  }
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (err) {
    throw new AtomikError(`invalid JSON: ${(err as Error).message}`, { where: path });
  }
  return parseBudget(json, path);
}

function matches(entry: BudgetEntry, d: PointDesign): boolean {
  return d.board === entry.board && d.banks === entry.banks && d.width === entry.width && d.mode === entry.mode && archOf(d) === entry.arch && (d.bench ?? false) === entry.bench;
}

function checkReport(entry: BudgetEntry, report: BuildReport, label: string): string[] {
  const breaches: string[] = [];
  const row = reportRow(report);
  if (entry.minFmaxMHz !== undefined) {
    if (row.fmaxMHz === null) {
      const why = row.fmaxSource ? sourceText(row.fmaxSource) : 'no clock in the report';
      breaches.push(`${label}: Fmax not measured (${why}); the budget asks for at least ${entry.minFmaxMHz} MHz`);
    } else if (row.fmaxMHz < entry.minFmaxMHz) {
      breaches.push(`${label}: Fmax ${row.fmaxMHz} MHz is below the budget's minimum of ${entry.minFmaxMHz} MHz (${sourceLabel(row.fmaxSource)})`);
    }
  }
  const limits = [
    ['LUT', entry.maxLutPercent, row.lut],
    ['FF', entry.maxFfPercent, row.ff],
  ] as const;
  for (const [resource, max, use] of limits) {
    if (max === undefined) continue;
    const percent = use?.percent;
    if (percent === undefined || percent === null) {
      breaches.push(`${label}: ${resource} share not measured (no ${resource} count against the part in the report); the budget allows at most ${max} %`);
    } else if (percent > max) {
      breaches.push(`${label}: ${resource} ${percent} % is above the budget's maximum of ${max} % (${sourceLabel(row.resourcesSource)})`);
    }
  }
  return breaches;
}

/**
 * Every breach of the budget by the reports: a metric over its limit, a metric the report lacks, or a budgeted design
 * with no report ("not measured"; a failed sweep point says why). Every report of a budgeted design is checked.
 */
export function checkBudget(reports: readonly BuildReport[], budget: Budget, failed: readonly FailedPoint[] = []): BudgetResult {
  const breaches: string[] = [];
  for (const entry of budget.entries) {
    const label = designLabel(entry);
    const found = reports.filter((r) => matches(entry, r.design));
    for (const report of found) breaches.push(...checkReport(entry, report, label));
    if (found.length > 0) continue;
    const failures = failed.filter((f) => matches(entry, f.design));
    if (failures.length > 0) for (const f of failures) breaches.push(`${label}: not measured: the build failed (${f.reason})`);
    else breaches.push(`${label}: not measured: no report for this budgeted design`);
  }
  return { breaches };
}

/** The budget check as a Markdown section, for compare.md and the CI job summary. */
export function budgetMarkdown(result: BudgetResult, budget: Budget, file: string): string {
  const lines = ['', `## Budget (${file})`, ''];
  if (result.breaches.length === 0) lines.push(`All ${budget.entries.length} budgeted design(s) are within budget.`);
  else lines.push(`${result.breaches.length} breach(es):`, '', ...result.breaches.map((b) => `- ${b}`));
  return lines.join('\n') + '\n';
}
