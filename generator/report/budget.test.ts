// The regression budget, on reports captured from real runs (generator/report/fixtures/reports/): breaches are found and
// named, a design without a report is a breach, the committed budget holds for today's flow, bad files are refused.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBudget, parseBudget, readBudget } from './budget.js';
import { loadComparison } from './compare.js';
import { DEFAULTS } from '../design/design.js';
import { boardIds } from '../../boards/index.js';
import { AtomikError } from '../common/errors.js';
import { packageRoot } from '../common/version.js';

const { reports } = loadComparison([join(import.meta.dirname, 'fixtures', 'reports')]);
const budget = (entries: object[]) => parseBudget({ entries }, 'test budget');

describe('checkBudget', () => {
  it('passes when every budgeted design is within its limits', () => {
    const result = checkBudget(
      reports,
      budget([
        { board: 'tang9k', banks: 16, width: 64, minFmaxMHz: 140, maxLutPercent: 15, maxFfPercent: 20 },
        { board: 'zynq7020', banks: 16, maxLutPercent: 10 },
      ]),
    );
    expect(result.breaches).toEqual([]);
  });

  it('names the design, the metric, the measured value and the limit of each breach', () => {
    const result = checkBudget(reports, budget([{ board: 'tang9k', banks: 16, width: 64, minFmaxMHz: 170, maxLutPercent: 10, maxFfPercent: 15 }]));
    expect(result.breaches).toEqual([
      "tang9k b16 w64 round-robin: Fmax 168.35 MHz is below the budget's minimum of 170 MHz (nextpnr-himbaechel place and route (estimate))",
      "tang9k b16 w64 round-robin: LUT 12.1 % is above the budget's maximum of 10 % (nextpnr-himbaechel place and route)",
      "tang9k b16 w64 round-robin: FF 15.7 % is above the budget's maximum of 15 % (nextpnr-himbaechel place and route)",
    ]);
  });

  it('counts a budgeted design without a report as a breach: not measured', () => {
    const result = checkBudget(reports, budget([{ board: 'tang9k', banks: 8, minFmaxMHz: 90 }, { board: 'tang9k', banks: 16, mode: 'parallel' }]));
    expect(result.breaches).toEqual([
      'tang9k b8 w64 round-robin: not measured: no report for this budgeted design',
      'tang9k b16 w64 parallel: not measured: no report for this budgeted design',
    ]);
  });

  it('keeps the bench top apart from the plain design of the same size', () => {
    const plain = reports.find((r) => r.design.board === 'tang9k' && r.design.banks === 16)!;
    const bench = { ...plain, design: { ...plain.design, bench: true } };
    const limits = { board: 'tang9k', banks: 16, width: 64, maxLutPercent: 10 };
    expect(checkBudget([bench], budget([{ ...limits, bench: true }])).breaches).toEqual([
      "tang9k b16 w64 round-robin bench: LUT 12.1 % is above the budget's maximum of 10 % (nextpnr-himbaechel place and route)",
    ]);
    expect(checkBudget([bench], budget([limits])).breaches).toEqual(['tang9k b16 w64 round-robin: not measured: no report for this budgeted design']);
  });

  it('says why when the budgeted design failed in the sweep', () => {
    const result = checkBudget(reports, budget([{ board: 'tang9k', banks: 32 }]), [
      { design: { board: 'tang9k', banks: 32, width: 64, mode: 'round-robin' }, reason: 'nextpnr-himbaechel exited with code 1', source: 'sweep.json' },
    ]);
    expect(result.breaches).toEqual(['tang9k b32 w64 round-robin: not measured: the build failed (nextpnr-himbaechel exited with code 1)']);
  });

  it('counts a limit the report cannot show as a breach (an Fmax asked of a synthesis-only report)', () => {
    const result = checkBudget(reports, budget([{ board: 'zynq7020', banks: 16, minFmaxMHz: 150 }]));
    expect(result.breaches).toEqual([
      'zynq7020 b16 w64 round-robin: Fmax not measured (none: place and route did not run); the budget asks for at least 150 MHz',
    ]);
  });

  it('holds for the committed budgets/budget.json against the reports of today\'s flow', () => {
    const committed = readBudget(join(packageRoot(), 'budgets', 'budget.json'));
    expect(committed.entries.map((e) => `${e.board} b${e.banks} w${e.width} ${e.mode}`)).toEqual([
      'tang9k b1 w64 round-robin',
      'tang9k b4 w64 round-robin',
      'tang9k b16 w64 round-robin',
      'zynq7020 b16 w64 round-robin',
    ]);
    expect(checkBudget(reports, committed).breaches).toEqual([]);
  });
});

describe('budget files', () => {
  function budgetError(json: unknown): string {
    try {
      parseBudget(json, 'budgets/x.json');
    } catch (err) {
      if (err instanceof AtomikError) return err.oneLine();
      throw err;
    }
    throw new Error('expected an AtomikError');
  }

  it.each([
    [{ entries: [{ board: 'tang9k', banks: 16, minFmaxMhz: 90 }] }, /^budgets\/x\.json: invalid budget: entries\[0\]: Unrecognized key: "minFmaxMhz"/],
    [{ entries: [{ board: 'tang9', banks: 16 }] }, new RegExp(`^budgets/x\\.json: invalid budget: entries\\[0\\]\\.board: unknown board "tang9" \\(known boards: ${boardIds().join(', ')}\\)`)],
    [{ entries: [{ board: 'tang9k', banks: 16, mode: 'serial' }] }, /^budgets\/x\.json: invalid budget: entries\[0\]\.mode: /],
    [{ entries: [{ board: 'tang9k', banks: 16, maxLutPercent: 140 }] }, /^budgets\/x\.json: invalid budget: entries\[0\]\.maxLutPercent: /],
    [{ budgets: [] }, /^budgets\/x\.json: invalid budget: missing entries; \(top level\): Unrecognized key: "budgets"/],
  ])('refuses %j with a message naming the field', (json, message) => {
    expect(budgetError(json)).toMatch(message);
  });

  it('names the file for a missing file and for invalid JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomik-budget-'));
    writeFileSync(join(dir, 'budget.json'), '{ "entries": [ ');
    expect(() => readBudget(join(dir, 'nope.json'))).toThrow(AtomikError);
    expect(() => readBudget(join(dir, 'nope.json'))).toThrow(/cannot read the budget file/);
    expect(() => readBudget(join(dir, 'budget.json'))).toThrow(/invalid JSON/);
    try {
      readBudget(join(dir, 'budget.json'));
    } catch (err) {
      expect((err as AtomikError).where).toBe(join(dir, 'budget.json'));
    }
  });

  it('fills width, mode, arch and bench from the design defaults', () => {
    expect(budget([{ board: 'tang9k', banks: 4 }]).entries[0]).toEqual({
      board: 'tang9k',
      banks: 4,
      width: 64,
      mode: 'round-robin',
      arch: DEFAULTS.arch,
      bench: false,
    });
  });

  it('the committed file is plain JSON with its measurements beside each limit', () => {
    const json = JSON.parse(readFileSync(join(packageRoot(), 'budgets', 'budget.json'), 'utf8')) as { entries: { measured?: string }[] };
    for (const e of json.entries) expect(e.measured).toMatch(/LUT \d+ \/ \d+ \([\d.]+ %\), FF \d+ \/ \d+/);
  });
});
