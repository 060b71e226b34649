// [real tools] Sweeps through the real flow: every point's report, a failing point that does not stop the others, and
// the JSON / CSV / Markdown tables.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { Sweep } from './sweep.js';
import { pointLabel, sweepInputs, sweepMatrix } from './sweep.js';
import { packageRoot } from '../common/version.js';

const BIN = join(packageRoot(), 'bin', 'atomik-gen.js');
const root = mkdtempSync(join(tmpdir(), 'atomik-sweep-'));

function cli(args: string[]) {
  return execa('node', [BIN, ...args], { cwd: root, reject: false, env: { ...process.env, CI: 'true' } });
}

describe('sweep points', () => {
  it('takes every combination in a fixed order, and prints them as a job matrix', () => {
    const axes = { boards: ['tang9k', 'zynq7020'], banks: [1, 4], widths: [64], modes: ['round-robin', 'parallel'], clocks: [] };
    expect(sweepInputs(axes).map((i) => `${i.board}/${i.banks}/${i.mode}`)).toEqual([
      'tang9k/1/round-robin', 'tang9k/1/parallel', 'tang9k/4/round-robin', 'tang9k/4/parallel',
      'zynq7020/1/round-robin', 'zynq7020/1/parallel', 'zynq7020/4/round-robin', 'zynq7020/4/parallel',
    ]);
    expect(sweepMatrix(axes).include[1]).toEqual({ board: 'tang9k', banks: 1, width: 64, mode: 'parallel', arch: 'reduce' });
    // an arch axis multiplies the points; the default arch is not named in a point's folder
    const both = { ...axes, boards: ['tang9k'], banks: [4], modes: ['parallel'], archs: ['banked', 'reduce'] };
    expect(sweepInputs(both).map(pointLabel)).toEqual(['tang9k-b4-w64-parallel-banked', 'tang9k-b4-w64-parallel']);
  });
});

describe('[real tools] sweep', () => {
  it('tang9k 1, 4, 16 banks through place and route, with a failing point recorded and the rest going on', async () => {
    const r = await cli(['sweep', '--board', 'tang9k', '--banks', '1,4,16,0', '--width', '64', '--until', 'pnr', '--jobs', '2', '--out', 'tang']);
    expect(r.exitCode).toBe(0);
    const sweep = JSON.parse(readFileSync(join(root, 'tang', 'sweep.json'), 'utf8')) as Sweep;
    expect(sweep.points.map((p) => [p.input.banks, p.status])).toEqual([[1, 'ok'], [4, 'ok'], [16, 'ok'], [0, 'failed']]);
    expect(sweep.points[3]!.reason).toMatch(/banks must be a whole number/);
    for (const p of sweep.points.slice(0, 3)) {
      // every point runs the main job's pipeline: verified against the golden model before synthesis
      expect(p.report!.stages.map((s) => s.stage)).toEqual(['lint', 'verify', 'synth', 'pnr']);
      expect(p.report!.verification).toMatchObject({ simulator: 'verilator', cycles: 20_000, passed: true });
      expect(p.report!.clocks[0]!.fmaxMHz).toBeGreaterThan(0);
      expect(p.report!.resources!.source).toMatchObject({ tool: 'nextpnr-himbaechel' });
    }
    const csv = readFileSync(join(root, 'tang', 'sweep.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(5);
    expect(csv[0]).toMatch(/^board,banks,width,mode,arch,clock_mhz,status,lut,/);
    const md = readFileSync(join(root, 'tang', 'sweep.md'), 'utf8');
    expect(md).toMatch(/\| tang9k b16 w64 round-robin \| 81 \| ok \| \d+ \|/);
    expect(md).toMatch(/failed: .*banks must be a whole number/);
  }, 1_200_000);

  it('zynq7020 synthesis sweep', async () => {
    const r = await cli(['sweep', '--board', 'zynq7020', '--banks', '1,4', '--width', '64', '--mode', 'parallel', '--arch', 'banked', '--until', 'synth', '--out', 'zynq']);
    expect(r.exitCode).toBe(0);
    const sweep = JSON.parse(readFileSync(join(root, 'zynq', 'sweep.json'), 'utf8')) as Sweep;
    expect(sweep.points.every((p) => p.status === 'ok')).toBe(true);
    expect(sweep.points.map((p) => p.report!.verification?.passed)).toEqual([true, true]);
    const ffs = sweep.points.map((p) => p.report!.resources!.items.find((i) => i.resource === 'FF')!.used);
    expect(ffs[1]!).toBeGreaterThan(ffs[0]! + 3 * 64); // three more banks of 64 flip-flops
  }, 1_200_000);

  it('compare over both sweeps writes the Markdown and the HTML report', async () => {
    const r = await cli(['compare', 'tang', 'zynq', '--out', 'cmp']);
    expect(r.exitCode).toBe(0);
    const md = readFileSync(join(root, 'cmp', 'compare.md'), 'utf8');
    expect(md).toMatch(/tang9k/);
    expect(md).toMatch(/zynq7020/);
    expect(md).toMatch(/failed/); // the sweep's failing point
    expect(readFileSync(join(root, 'cmp', 'compare.html'), 'utf8')).toMatch(/<canvas/);
  }, 120_000);
});
