// [real tools] Timing closure through the built CLI, as a user runs it: `--clock-mhz max` on the default 16-bank Tang
// Nano 9K design ends with timing met at a clock the rPLL makes, the search in report.json; `--seeds 3` places a small
// design three times side by side, keeps the best and packs its bitstream; reruns are served from the cache, and a
// different seed count reports its own seeds.
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { clockingOf } from '../clocking/index.js';
import { packageRoot } from '../common/version.js';
import { parseReport, type BuildReport } from '../report/schema.js';
import { derate, keptSeed, PROBE_FOLDER } from './closure.js';

const BIN = join(packageRoot(), 'bin', 'atomik-gen.js');
const root = mkdtempSync(join(tmpdir(), 'atomik-closure-'));

async function job(args: string[]): Promise<BuildReport> {
  const r = await execa('node', [BIN, ...args, '--json'], { cwd: root, reject: false, env: { ...process.env, CI: 'true' } });
  expect(r.stderr).not.toMatch(/error/);
  expect(r.exitCode).toBe(0);
  return parseReport(JSON.parse(r.stdout), 'stdout');
}

describe('[real tools] timing closure', () => {
  it('--board tang9k --banks 16 --clock-mhz max: timing met at the highest clock the rPLL makes under the probe\'s Fmax less 10 %; a rerun is cached', async () => {
    const report = await job(['--board', 'tang9k', '--banks', '16', '--clock-mhz', 'max', '--out', 'max']);
    const search = report.clockSearch!;
    expect(search.marginPct).toBe(10);
    expect(search.probe.targetMHz).toBe(600);
    expect(search.probe.fmaxMHz).toBeGreaterThan(0);
    expect(search.attempts.length).toBeGreaterThanOrEqual(1);
    expect(search.attempts[0]!.requestedMHz).toBeCloseTo(derate(search.probe.fmaxMHz, 10), 1);
    for (const a of search.attempts) expect(a.clockMHz).toBeLessThanOrEqual(a.requestedMHz + 0.005);
    const chosen = search.chosenMHz!;
    expect(chosen).toBe(search.attempts.at(-1)!.clockMHz);
    // the chosen clock is one the board's rPLL makes from its 27 MHz oscillator, and the design runs at it
    expect(clockingOf('gowin-rpll').reach(27, chosen).ok).toBe(true);
    expect(report.design.clockMHz).toBe(chosen);
    expect(report.clocks[0]!.constraintMHz).toBe(chosen);
    expect(report.clocks[0]!.fmaxMHz!).toBeGreaterThanOrEqual(chosen);
    expect(report.timingMet).toBe(true);
    expect(report.verification?.passed).toBe(true);
    expect(report.bitstream?.path).toBe('build/atomik_top.fs');
    // the probe placed and routed in its own folder, at a target above any clock the rPLL makes
    const probe = JSON.parse(readFileSync(join(root, 'max', PROBE_FOLDER, 'reports', 'pnr.report.json'), 'utf8')) as { fmax: Record<string, { constraint: number }> };
    expect(Object.values(probe.fmax)[0]!.constraint).toBe(600);

    const again = await job(['--board', 'tang9k', '--banks', '16', '--clock-mhz', 'max', '--out', 'max']);
    // an attempt that missed is the previous run's (its design is gone from the folder); the chosen one is cached
    expect(again.clockSearch!.attempts.map(({ reused: _reused, ...a }) => a)).toEqual(search.attempts);
    expect(again.clockSearch!.attempts.map((a) => a.reused === true)).toEqual(search.attempts.map((a) => !a.met));
    expect(again.clockSearch!.chosenMHz).toBe(chosen);
    expect(again.clockSearch!.probe.fmaxMHz).toBe(search.probe.fmaxMHz);
    expect(again.clockSearch!.probe.seeds.map((s) => s.status)).toEqual(['cached']);
    expect(again.stages.map((s) => s.status)).toEqual(report.stages.map(() => 'cached'));
  }, 900_000);

  it('--seeds 3: three placements side by side, every one in the report, the best kept and packed; a rerun is cached; --seeds 2 reports two', async () => {
    const args = ['--board', 'tang9k', '--banks', '1', '--width', '8', '--out', 'seeds'];
    const report = await job([...args, '--seeds', '3']);
    const p = report.placements!;
    expect(p.seeds.map((s) => [s.seed, s.status])).toEqual([[1, 'ran'], [2, 'ran'], [3, 'ran']]);
    for (const s of p.seeds) {
      expect(s.fmaxMHz).toBeGreaterThan(0);
      expect(s.met).toBe(true);
      expect(s.resources.find((r) => r.resource === 'LUT')!.used).toBeGreaterThan(0);
      expect(existsSync(join(root, 'seeds', s.result!))).toBe(true);
    }
    expect(new Set(p.seeds.map((s) => s.result)).size).toBe(3);
    const kept = keptSeed(p.seeds)!;
    expect(p.keptSeed).toBe(kept.seed);
    // the report's place and route is the kept seed's, and so is the bitstream (packed from its routed design)
    expect(report.clocks[0]!.fmaxMHz).toBe(kept.fmaxMHz);
    const routed = kept.seed === 1 ? 'build/atomik_top.pnr.json' : `build/atomik_top.seed${kept.seed}.pnr.json`;
    expect(readFileSync(join(root, 'seeds', 'logs', 'bitstream.log'), 'utf8')).toContain(routed);
    expect(report.bitstream?.path).toBe('build/atomik_top.fs');
    const plan = JSON.parse(readFileSync(join(root, 'seeds', 'build.json'), 'utf8')) as { params: { seed: number } };
    expect(plan.params.seed).toBe(kept.seed);
    expect(report.stages.find((s) => s.stage === 'pnr')!.log).toBe(kept.seed === 1 ? 'logs/pnr.log' : `logs/pnr.seed${kept.seed}.log`);

    const again = await job([...args, '--seeds', '3']);
    expect(again.stages.every((s) => s.status === 'cached')).toBe(true);
    expect(again.placements!.seeds.map((s) => [s.seed, s.status, s.fmaxMHz])).toEqual(p.seeds.map((s) => [s.seed, 'cached', s.fmaxMHz]));
    expect(again.placements!.keptSeed).toBe(p.keptSeed);

    const two = await job([...args, '--seeds', '2']);
    expect(two.placements!.seeds.map((s) => [s.seed, s.status, s.fmaxMHz])).toEqual(p.seeds.slice(0, 2).map((s) => [s.seed, 'cached', s.fmaxMHz]));
    expect(two.placements!.keptSeed).toBe(keptSeed(p.seeds.slice(0, 2))!.seed);
  }, 600_000);
});
