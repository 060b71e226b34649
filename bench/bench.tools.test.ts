// [real tools] The bench top: an on-chip generator feeds every lane every cycle, and a Verilator simulation of the board
// top reads the core's own counters. The counted deltas per cycle go into the report as a measured figure.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BENCH_CYCLES } from '../generator/plan/plan.js';
import type { BuildReport } from '../generator/report/report.js';
import { packageRoot } from '../generator/common/version.js';

const BIN = join(packageRoot(), 'bin', 'atomik-gen.js');
const root = mkdtempSync(join(tmpdir(), 'atomik-bench-'));

async function bench(board: string, banks: number, mode: string): Promise<BuildReport> {
  const out = `${board}-${banks}-${mode}`;
  const r = await execa('node', [BIN, '--board', board, '--banks', String(banks), '--mode', mode, '--bench', '--until', 'measure', '--out', out], {
    cwd: root,
    reject: false,
    env: { ...process.env, CI: 'true' },
  });
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
  return JSON.parse(readFileSync(join(root, out, 'report.json'), 'utf8')) as BuildReport;
}

describe('[real tools] bench top: counted throughput', () => {
  it.concurrent.each([
    ['tang9k', 1],
    ['tang9k', 4],
    ['tang9k', 16],
    // the lane count's pipeline (9 cycles at 256 lanes) is longer than the testbench's first 8 cycles of settling
    ['tang9k', 256],
    ['zynq7020', 3],
  ])('%s, %i bank(s) in parallel mode: the simulation counts one delta per bank per cycle', async (board, banks) => {
    const report = await bench(board as string, banks as number, 'parallel');
    expect(report.throughput.basis).toMatchObject({ kind: 'measured', stage: 'measure' });
    expect(report.throughput.counted).toEqual({ simulator: 'verilator', cycles: BENCH_CYCLES, deltas: (banks as number) * BENCH_CYCLES });
    expect(report.throughput.deltasPerCycle).toBe(banks);
    expect(report.throughput.basis.note).toMatch(/^\d+ deltas in \d+ cycles counted/);
    expect(report.throughput.mDeltasPerSecond).toBeCloseTo((banks as number) * report.design.clockMHz, 3);
  });

  it('counts one delta per cycle in round-robin mode, whatever the bank count', async () => {
    const report = await bench('tang9k', 8, 'round-robin');
    expect(report.throughput.counted?.deltas).toBe(BENCH_CYCLES);
    expect(report.throughput.deltasPerCycle).toBe(1);
  });

  it('refuses a bench top without the UART host', async () => {
    const r = await execa('node', [BIN, 'generate', '--bench', '--host', 'none'], { cwd: root, reject: false });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/--bench: a bench top needs the UART host/);
  });
});
