// Timing closure without running a tool: the kept seed over real nextpnr reports (fixtures/closure/, captured from the
// runs README.md there names), the clock search's steps replayed on a captured search, the highest clock a PLL makes
// under a ceiling, and the checks that refuse a search before anything is written.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findBoard } from '../../boards/index.js';
import type { Board } from '../../boards/types.js';
import { clockingOf } from '../clocking/index.js';
import { AtomikError } from '../common/errors.js';
import { packageRoot } from '../common/version.js';
import { clockSourceOf, LIMITS, resolveDesign } from '../design/design.js';
import { buildPlan } from '../plan/plan.js';
import { uartLineProblem } from '../protocol/uart.js';
import { parseReport, type PlacementReport } from '../report/schema.js';
import type { StageResult } from '../report/report.js';
import {
  checkClosureUntil,
  derate,
  designAtMost,
  flowTakesSeed,
  highestClockAtMost,
  keptSeed,
  MAX_CLOCK_ATTEMPTS,
  nextCeiling,
  placementReport,
  probeTargetMHz,
  runClosedJob,
  type ClockAttempt,
} from './closure.js';
import { PIPELINE_CHECKS } from '../../verify/stage.js';

const FIXTURES = join(packageRoot(), 'generator', 'run', 'fixtures', 'closure');
const board = (id: string): Board => findBoard(id)!;

/** A pnr stage result as the pipeline gives it, for a seed's captured report. */
const ran = (seconds = 10): StageResult => ({ stage: 'pnr', status: 'ran', seconds, producedInSeconds: seconds, tools: [], log: 'logs/pnr.log' });

/** The captured seeds: tang9k, 1 bank x 8 bits, placed with seeds 1, 2, 3 at 81 MHz. */
function capturedSeeds(): PlacementReport[] {
  const design = resolveDesign({ board: 'tang9k', banks: 1, width: 8 });
  return [1, 2, 3].map((seed) => placementReport(buildPlan(design, join(FIXTURES, 'seeds'), { seed }), ran()));
}

describe('placement seeds', () => {
  it('reads each seed\'s own nextpnr report: Fmax, timing against the target, resources', () => {
    const seeds = capturedSeeds();
    expect(seeds.map((s) => [s.seed, s.fmaxMHz, s.met, s.result])).toEqual([
      [1, 190.73, true, 'reports/pnr.report.json'],
      [2, 157.01, true, 'reports/pnr.seed2.report.json'],
      [3, 178.28, true, 'reports/pnr.seed3.report.json'],
    ]);
    for (const s of seeds) expect(s.resources.find((r) => r.resource === 'FF')?.available).toBe(6480);
  });

  it('the open flows take a placement seed; the Vivado flow does not (so --seeds is ignored there)', () => {
    for (const id of ['tang9k', 'icebreaker', 'ulx3s']) expect(flowTakesSeed(resolveDesign({ board: id }))).toBe(true);
    expect(flowTakesSeed(resolveDesign({ board: 'zynq7020' }))).toBe(false);
  });

  it('keeps timing met first, then the highest Fmax, then the lowest seed; never a failed seed', () => {
    const seeds = capturedSeeds();
    expect(keptSeed(seeds)?.seed).toBe(1);
    // a seed that misses timing loses to one that meets it, however fast
    const missed = seeds.map((s) => (s.seed === 1 ? { ...s, met: false } : s));
    expect(keptSeed(missed)?.seed).toBe(3);
    // equal figures: the lowest seed
    const tie = seeds.map((s) => ({ ...s, fmaxMHz: 170 }));
    expect(keptSeed(tie)?.seed).toBe(1);
    const failed = seeds.map((s) => (s.seed === 1 ? { ...s, status: 'failed' as const, fmaxMHz: null, met: null, reason: 'nextpnr exited 1' } : s));
    expect(keptSeed(failed)?.seed).toBe(3);
    expect(keptSeed(seeds.map((s) => ({ ...s, status: 'failed' as const })))).toBeUndefined();
    // no timing at all (a flow that skipped place and route): the one that ran is kept
    const skipped: PlacementReport = { seed: 1, status: 'skipped', seconds: 0, fmaxMHz: null, met: null, resources: [], result: null, reason: 'needs Vivado' };
    expect(keptSeed([skipped])?.seed).toBe(1);
  });
});

describe('the clock search', () => {
  it('replays the captured tang9k 16-bank search: probe, a miss, a step down, timing met', () => {
    const report = parseReport(JSON.parse(readFileSync(join(FIXTURES, 'clock-max', 'report.json'), 'utf8')), 'fixture');
    const search = report.clockSearch!;
    const tang = board('tang9k');
    const base = resolveDesign({ board: 'tang9k', banks: 16 });
    const at = (folder: string, design = base, targetMHz?: number) =>
      placementReport(buildPlan(design, join(FIXTURES, 'clock-max', folder), targetMHz === undefined ? {} : { targetMHz }), ran());
    // the probe's own nextpnr report, at a target above any clock the rPLL makes
    expect(search.probe.targetMHz).toBe(probeTargetMHz(tang, 'uart'));
    expect(search.probe.targetMHz).toBe(LIMITS.clockMHz['gowin-rpll'].max);
    const probe = at('clock-probe', base, search.probe.targetMHz);
    expect(probe.fmaxMHz).toBe(search.probe.fmaxMHz);
    const attempts: ClockAttempt[] = [];
    let ceiling: number | undefined = derate(probe.fmaxMHz!, search.marginPct);
    // attempt 1 (its report captured from the same design run alone: attempt-1/), attempt 2 (the job's own)
    for (const folder of ['attempt-1', '.']) {
      const design = designAtMost(base, tang, ceiling!);
      const recorded = search.attempts[attempts.length]!;
      expect(Math.round(ceiling! * 100) / 100).toBe(recorded.requestedMHz);
      expect(design.clockMHz).toBe(recorded.clockMHz);
      expect(design.clockMHz).toBeLessThanOrEqual(ceiling!);
      expect(clockingOf('gowin-rpll').reach(tang.clock.mhz, design.clockMHz).ok).toBe(true);
      const placed = at(folder, design);
      expect([placed.fmaxMHz, placed.met]).toEqual([recorded.fmaxMHz, recorded.met]);
      attempts.push({ requestedMHz: recorded.requestedMHz, clockMHz: design.clockMHz, fmaxMHz: placed.fmaxMHz, met: placed.met === true, keptSeed: 1 });
      ceiling = nextCeiling(attempts, search.marginPct);
    }
    // the first missed (170.85 MHz at 178.875), the second met: the search ends there
    expect(attempts.map((a) => a.met)).toEqual([false, true]);
    expect(ceiling).toBeUndefined();
    expect(search.attempts).toHaveLength(2);
    expect(search.chosenMHz).toBe(attempts[1]!.clockMHz);
    expect(report.design.clockMHz).toBe(search.chosenMHz);
    expect(report.clocks[0]!.fmaxMHz!).toBeGreaterThanOrEqual(search.chosenMHz!);
    expect(report.timingMet).toBe(true);
  });

  it('steps down from a real timing miss (the iCEBreaker at 60 MHz reached 45.52 MHz): the Fmax less the margin, to a clock the SB_PLL40 makes', () => {
    const miss = parseReport(JSON.parse(readFileSync(join(packageRoot(), 'generator', 'report', 'fixtures', 'cross-board', 'icebreaker-b16-w64-60mhz', 'report.json'), 'utf8')), 'fixture');
    const fmax = miss.clocks[0]!.fmaxMHz!;
    expect(miss.clocks[0]!.met).toBe(false);
    const attempts: ClockAttempt[] = [{ requestedMHz: 61, clockMHz: miss.design.clockMHz, fmaxMHz: fmax, met: false, keptSeed: 1 }];
    const next = nextCeiling(attempts, 10)!;
    expect(next).toBeCloseTo(fmax * 0.9, 9);
    const ice = board('icebreaker');
    const design = designAtMost(resolveDesign({ board: 'icebreaker', banks: 16 }), ice, next);
    expect(design.clockMHz).toBeLessThanOrEqual(next);
    expect(design.clockMHz).toBeGreaterThan(next - 1);
    expect(clockingOf('ice40-sb-pll40-pad').reach(ice.clock.mhz, design.clockMHz).ok).toBe(true);
    // margin 0: still strictly below the clock that missed
    expect(nextCeiling([{ ...attempts[0]!, fmaxMHz: 59.999 }], 0)!).toBeLessThan(60);
    // no Fmax to go on, or out of attempts: the search ends
    expect(nextCeiling([{ ...attempts[0]!, fmaxMHz: null }], 10)).toBeUndefined();
    expect(nextCeiling(Array.from({ length: MAX_CLOCK_ATTEMPTS }, () => attempts[0]!), 10)).toBeUndefined();
  });

  it.each(['tang9k', 'tangnano20k', 'tangnano4k', 'tangprimer25k', 'icebreaker', 'ulx3s', 'zynq7020'])(
    '%s: the highest clock its PLL makes at or below a ceiling, and none between it and the ceiling',
    (id) => {
      const b = board(id);
      const kind = b.pll.kind;
      const reach = (mhz: number) => Math.round(clockingOf(kind).reach(b.clock.mhz, mhz).nearestMHz * 1000) / 1000;
      for (const ceiling of [47.3, 100, 151.51, 199.99]) {
        const made = highestClockAtMost(b, 'uart', ceiling)!;
        expect(made).toBeLessThanOrEqual(ceiling);
        expect(clockingOf(kind).reach(b.clock.mhz, made).ok).toBe(true);
        // every target between the two has its nearest clock at or below `made`, or above the ceiling
        for (let t = made + 0.01; t <= ceiling; t += 0.01) {
          const n = reach(t);
          expect(n <= made + 1e-9 || n > ceiling, `${t} -> ${n}`).toBe(true);
        }
      }
      const range = LIMITS.clockMHz[clockSourceOf(b, 'uart')];
      expect(highestClockAtMost(b, 'uart', range.min - 0.5)).toBeUndefined();
      expect(highestClockAtMost(b, 'uart', 1e6)).toBeLessThanOrEqual(range.max);
    },
  );

  it('passes over a clock the UART line cannot divide closely enough (3 Mbaud at 40.5 MHz is 13.5 cycles a bit)', () => {
    const base = resolveDesign({ board: 'tang9k', banks: 4, baud: 3_000_000 });
    expect(highestClockAtMost(board('tang9k'), 'uart', 40.5)).toBe(40.5);
    expect(uartLineProblem(40.5, 3_000_000)).toBeDefined();
    const design = designAtMost(base, board('tang9k'), 40.5);
    expect(design.clockMHz).toBeLessThan(40.5);
    expect(uartLineProblem(design.clockMHz, 3_000_000)).toBeUndefined();
    expect(design.baud).toBe(3_000_000);
  });

  it('says in one line when no clock the PLL makes is low enough', () => {
    expect(() => designAtMost(resolveDesign({ board: 'tang9k' }), board('tang9k'), 2)).toThrow(/no clock the Sipeed Tang Nano 9K makes at or below 2 MHz suits the design \(its lowest is 3.125 MHz\)/);
  });
});

describe('refused before anything is written', () => {
  const scratch = () => join(mkdtempSync(join(tmpdir(), 'atomik-closure-')), 'out');
  const opts = { checks: PIPELINE_CHECKS };

  it('an --until before place and route', () => {
    expect(() => checkClosureUntil('synth', { seeds: [1, 2] })).toThrow(/--seeds places and routes the design, and --until synth stops before place and route/);
    expect(() => checkClosureUntil('verify', { clockMax: { marginPct: 10 } })).toThrow(/^--clock-mhz max places and routes/);
    expect(() => checkClosureUntil('pnr', { seeds: [1] })).not.toThrow();
    expect(() => checkClosureUntil('lint', {})).not.toThrow();
  });

  it('a design without a board top (host none), and a board whose place and route cannot run here (the Zynq without Vivado)', async () => {
    const none = scratch();
    await expect(runClosedJob(resolveDesign({ board: 'tang9k', host: 'none' }), none, { ...opts, seeds: [1, 2] })).rejects.toThrow(
      /a design without a board top \(host none\) has no place and route/,
    );
    expect(existsSync(none)).toBe(false);
    const zynq = scratch();
    const err = await runClosedJob(resolveDesign({ board: 'zynq7020' }), zynq, { ...opts, clockMax: { marginPct: 10 }, tools: { overrides: { vivado: '/nonexistent/vivado' } } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AtomikError);
    expect((err as AtomikError).oneLine()).toMatch(/^--clock-mhz max: needs an Fmax from place and route, and the .*Zynq.*'s place and route cannot run here: /);
    expect((err as AtomikError).oneLine().split('\n')).toHaveLength(1);
    expect(existsSync(zynq)).toBe(false);
  });
});
