// [real tools] Sweeps on a real one-node Slurm cluster (test/slurm-cluster.ts): one job array, a task per point, gives
// the figures of the same sweep run in this process (same placement seed: same placements), a failing point recorded
// with Slurm's state and its log and not stopping the others; a task Slurm stops at its time limit; Ctrl-C cancelling
// the array. The cluster needs root and Debian's slurm-wlm and munge: in CI (root) a cluster that cannot start fails
// the test with the reason; elsewhere the tests are skipped with it.
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../common/version.js';
import { limitingFmaxMHz } from '../report/report.js';
import type { BuildReport } from '../report/schema.js';
import { clusterProblem, startCluster, type SlurmCluster } from '../../test/slurm-cluster.js';
import { sweepMatrix, type Sweep } from './sweep.js';

const BIN = join(packageRoot(), 'bin', 'atomik-gen.js');
const root = mkdtempSync(join(tmpdir(), 'atomik-slurm-sweep-'));
const problem = clusterProblem();
const skip = problem !== undefined && process.env.CI !== 'true';
const title = (name: string) => (skip ? `${name} (skipped: ${problem})` : name);

let cluster: SlurmCluster | undefined;

function cli(args: string[], env: Record<string, string> = {}) {
  return execa('node', [BIN, ...args], { cwd: root, reject: false, env: { ...process.env, CI: 'true', ...cluster?.env, ...env } });
}

/** The figures a point's placement gives: Fmax of the limiting clock, LUT and FF counts. */
function figures(report: BuildReport | undefined): { fmax: number | null; lut: number | undefined; ff: number | undefined } {
  const used = (r: string) => report?.resources?.items.find((i) => i.resource === r)?.used;
  return { fmax: report ? limitingFmaxMHz(report.clocks) : null, lut: used('LUT'), ff: used('FF') };
}

const readSweep = (dir: string) => JSON.parse(readFileSync(join(root, dir, 'sweep.json'), 'utf8')) as Sweep;

// six designs that place and route in seconds, and a point that fails (no bank is not a design)
const AXES = ['--board', 'tang9k', '--banks', '1,2,4,0', '--width', '8,16', '--until', 'pnr'];

describe.skipIf(skip)('[real tools] sweep --executor slurm on a one-node cluster', () => {
  beforeAll(async () => {
    cluster = await startCluster();
  }, 120_000);
  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  it(title('a job array of 8 points gives the figures of the same sweep run here; the failing point is recorded with its task'), async () => {
    // a hung tool in a task of its own, stopped by Slurm at the array's time limit, while the local sweep runs
    const hang = join(root, 'hung-verilator');
    writeFileSync(hang, '#!/bin/sh\ncase "$1" in --version) echo "Verilator 5.006 2022-12-11";; *) sleep 600;; esac\n');
    chmodSync(hang, 0o755);
    const timedOut = cli(['sweep', '--banks', '1', '--width', '8', '--until', 'lint', '--executor', 'slurm', '--slurm-opts', '--time=1', '--out', 'hung'], { ATOMIK_VERILATOR: hang });
    const local = await cli(['sweep', ...AXES, '--jobs', '2', '--out', 'local']);
    expect(local.exitCode, local.stderr).toBe(0);

    const r = await cli(['sweep', ...AXES, '--executor', 'slurm', '--partition', cluster!.partition, '--slurm-opts', '--job-name=atomik-test --cpus-per-task=1', '--out', 'slurm']);
    expect(r.exitCode, `${r.stdout}\n${r.stderr}\n${cluster!.logs()}`).toBe(0);
    expect(r.stdout).toMatch(/^slurm: submitting 8 task\(s\), one per point: \$ sbatch --parsable .*--array=0-7 .*--partition=debug --job-name=atomik-test --cpus-per-task=1 \S+\/slurm\/array\.sh$/m);
    expect(r.stdout).toMatch(/^slurm: job \d+: \d running, \d pending.*, \d of 8 done/m);

    const [here, there] = [readSweep('local'), readSweep('slurm')];
    expect(there.executor).toMatchObject({ kind: 'slurm', jobId: expect.stringMatching(/^\d+$/), script: 'slurm/array.sh' });
    expect(there.points.map((p) => [p.label, p.status])).toEqual(here.points.map((p) => [p.label, p.status]));
    expect(there.points.filter((p) => p.status === 'ok')).toHaveLength(6);
    for (const [i, p] of there.points.entries()) {
      const mine = here.points[i]!;
      if (p.status === 'ok') {
        // the same placements: the same Fmax, LUT and FF, every one measured
        expect(figures(p.report), p.label).toEqual(figures(mine.report));
        expect(figures(p.report).fmax, p.label).toBeGreaterThan(0);
        expect(p.report!.verification).toMatchObject({ passed: true, cycles: 20_000 });
        expect(p.slurm).toMatchObject({ state: 'COMPLETED', id: `${there.executor!.kind === 'slurm' ? there.executor!.jobId : ''}_${i}` });
      } else {
        expect(p.reason).toContain(mine.reason!);
        expect(p.reason).toMatch(/banks must be a whole number/);
        expect(p.slurm).toMatchObject({ state: 'FAILED', exitCode: '1:0', log: `slurm/task-${i}.log` });
        expect(p.slurm!.logTail!.join('\n')).toMatch(/atomik-gen: error: --banks: banks must be a whole number/);
      }
    }
    expect(readFileSync(join(root, 'slurm', 'sweep.md'), 'utf8')).toMatch(/\| tang9k b0 w16 round-robin \|.*failed: --banks: banks must be a whole number.*Slurm task \d+_7 FAILED/);

    // the array script names the points in the order of the GitHub Actions matrix of the same axes
    const script = readFileSync(join(root, 'slurm', 'slurm', 'array.sh'), 'utf8');
    const matrix = sweepMatrix({ boards: ['tang9k'], banks: [1, 2, 4, 0], widths: [8, 16], modes: ['round-robin'], archs: ['reduce'], clocks: [] }).include;
    const tasks = [...script.matchAll(/^ {2}(\d+)\) exec .* --board (\S+) --banks (\d+) --width (\d+) --mode (\S+) --arch (\S+) /gm)];
    expect(tasks.map((m) => ({ board: m[2], banks: Number(m[3]), width: Number(m[4]), mode: m[5], arch: m[6] }))).toEqual(matrix);
    expect(tasks.map((m) => Number(m[1]))).toEqual(matrix.map((_, i) => i));
    // a task's command runs as printed: the failing one, in a shell, ends with the point's error
    const failing = there.points[7]!;
    const again = await execa('sh', ['-c', failing.command!], { cwd: root, reject: false });
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain(here.points[7]!.reason!);

    const hung = await timedOut;
    expect(hung.exitCode, hung.stderr).toBe(0);
    const [point] = readSweep('hung').points;
    expect(point).toMatchObject({ status: 'failed', slurm: { state: 'TIMEOUT' } });
    expect(point!.reason).toMatch(/^Slurm stopped the task at its time limit \(00:01:00\) after 00:0\d:\d\d; raise it with --slurm-opts "--time=\.\.\." \(Slurm task \d+_0 TIMEOUT/);
    expect(point!.slurm!.logTail!.join('\n')).toMatch(/CANCELLED AT .* DUE TO TIME LIMIT/);
  }, 600_000);

  it(title('Ctrl-C cancels the array (scancel) and records the points that did not finish'), async () => {
    const run = cli(['sweep', '--banks', '1,2,4', '--width', '16', '--until', 'pnr', '--executor', 'slurm', '--out', 'stopped']);
    let jobId: string | undefined;
    run.stdout!.on('data', (chunk: Buffer) => {
      const m = /slurm: job (\d+) submitted/.exec(chunk.toString());
      if (m && jobId === undefined) {
        jobId = m[1];
        run.kill('SIGINT');
      }
    });
    const r = await run;
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(130);
    expect(r.stderr).toMatch(new RegExp(`^atomik-gen: interrupted \\(SIGINT\\): cancelled Slurm job ${jobId}; 0 ok, 3 failed or cancelled; wrote stopped/sweep.json`, 'm'));
    expect(r.stdout).toContain(`slurm: interrupted (SIGINT): cancelled job ${jobId} (scancel ${jobId})`);
    const states = await execa('squeue', [`--jobs=${jobId}`, '--array', '--states=all', '--noheader', '--format=%T'], { env: { ...process.env, ...cluster!.env } });
    expect(new Set(String(states.stdout).trim().split('\n'))).toEqual(new Set(['CANCELLED']));
    const sweep = readSweep('stopped');
    expect(sweep.points.map((p) => p.reason)).toEqual(Array(3).fill(`cancelled: atomik-gen was interrupted (SIGINT) and cancelled the array (scancel ${jobId})`));
    expect(existsSync(join(root, 'stopped', 'sweep.csv'))).toBe(true);
  }, 120_000);
});
