// The rows of results.md's figure tables: a figure, what was measured, its target, and whether the target is met.
import { r1 } from './common.js';

export interface Row {
  readonly figure: string;
  readonly measured: string;
  readonly target: string;
  /** true / false, or null when there is no target or it could not be judged. */
  readonly met: boolean | null;
  readonly miss?: string;
  readonly note?: string;
}

/** A row with a target: `value` (null: not measured) against `target` in direction `dir`, shown to `digits` places. */
export function judge(figure: string, value: number | null, unit: string, target: number, dir: '>=' | '<=' | '<', note?: string, digits = 2): Row {
  const shown = (x: number) => `${Number(x.toFixed(digits)).toLocaleString('en-US')} ${unit}`.trim();
  const targetText = `${dir === '>=' ? '>=' : dir === '<=' ? '<=' : '<'} ${shown(target)}`;
  if (value === null) return { figure, measured: 'not measured', target: targetText, met: null, ...(note ? { note } : {}) };
  const met = dir === '>=' ? value >= target : dir === '<=' ? value <= target : value < target;
  const miss = met ? undefined : `${shown(Math.abs(value - target))} (${r1((Math.abs(value - target) / target) * 100)} %) ${dir === '>=' ? 'short' : 'over'}`;
  return { figure, measured: shown(value), target: targetText, met, ...(miss ? { miss } : {}), ...(note ? { note } : {}) };
}

/** The rows as a Markdown table. */
export function table(rows: readonly Row[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = ['| figure | measured | target | met | missed by | note |', '|---|---:|---|---|---|---|'];
  for (const r of rows) {
    const met = r.met === null ? '-' : r.met ? 'yes' : '**no**';
    lines.push(`| ${esc(r.figure)} | ${esc(r.measured)} | ${esc(r.target)} | ${met} | ${esc(r.miss ?? '')} | ${esc(r.note ?? '')} |`);
  }
  return lines.join('\n');
}
