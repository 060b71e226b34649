// [real tools] The generated RTL through Verilator's lint (every warning on) over the grid of issue 2, and through Yosys
// for both families. These run the actual tools found by `atomik-gen doctor`.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDesign, type DesignInput } from '../design/design.js';
import { buildPlan, type RunStageName } from '../plan/plan.js';
import { runPlan } from '../run/pipeline.js';
import { PIPELINE_CHECKS } from '../../verify/stage.js';

const root = mkdtempSync(join(tmpdir(), 'atomik-rtl-'));

async function runUntil(input: DesignInput, until: RunStageName) {
  const design = resolveDesign(input);
  // named by the pipeline asked for: 'auto' and the depth it resolves to are two points with a folder each
  const name = `${design.board}-b${design.banks}-w${design.width}-${design.mode}-p${String(input.pipeline ?? 'auto')}-${design.host}${design.bench ? '-bench' : ''}`;
  const plan = buildPlan(design, join(root, name));
  const stages = plan.stages.filter((s) => s.name === until);
  return { plan, results: (await runPlan({ ...plan, stages }, { checks: PIPELINE_CHECKS })).results };
}

const BANKS = [1, 2, 3, 5, 16, 64, 512];
const WIDTHS = [1, 8, 32, 64, 128];
const MODES = ['round-robin', 'parallel'] as const;
const PIPELINES = ['auto', 0] as const;

// Every point is linted as the full Zynq-7020 board top (core, UART host, MMCM stand-in); the Zynq part holds the whole
// grid. The Tang Nano 9K top (rPLL stand-in) is linted where the design fits the GW1NR-9.
const grid = BANKS.flatMap((banks) =>
  WIDTHS.flatMap((width) => MODES.flatMap((mode) => PIPELINES.map((pipeline) => ({ banks, width, mode, pipeline })))),
);

describe('[real tools] verilator --lint-only -Wall: zero warnings', () => {
  it.concurrent.each(grid)('zynq7020 top, $banks banks x $width bits, $mode, pipeline $pipeline', async (point) => {
    const { plan } = await runUntil({ board: 'zynq7020', ...point }, 'lint');
    // runPlan throws when verilator exits non-zero (every warning is fatal); the log must be clean as well
    expect(readFileSync(join(plan.outDir, 'logs', 'lint.log'), 'utf8')).not.toMatch(/%Warning|%Error/);
  });

  const tangGrid = grid.filter((p) => p.banks <= 16 || (p.banks === 64 && p.width <= 64));
  it.concurrent.each(tangGrid)('tang9k top, $banks banks x $width bits, $mode, pipeline $pipeline', async (point) => {
    const { plan } = await runUntil({ board: 'tang9k', ...point }, 'lint');
    expect(readFileSync(join(plan.outDir, 'logs', 'lint.log'), 'utf8')).not.toMatch(/%Warning|%Error/);
  });

  const benchGrid = [1, 3, 16].flatMap((banks) => [1, 8, 64].flatMap((width) => MODES.map((mode) => ({ banks, width, mode }))));
  it.concurrent.each(benchGrid)('tang9k bench top, $banks banks x $width bits, $mode', async (point) => {
    const { plan } = await runUntil({ board: 'tang9k', bench: true, ...point }, 'lint');
    expect(readFileSync(join(plan.outDir, 'logs', 'lint.log'), 'utf8')).not.toMatch(/%Warning|%Error/);
  });

  it.concurrent.each([1, 3, 64])('core alone (host none), %i banks', async (banks) => {
    const { plan } = await runUntil({ board: 'zynq7020', banks, width: 64, mode: 'parallel', host: 'none' }, 'lint');
    expect(plan.top).toBe('atomik_core');
  });
});

describe('[real tools] yosys synthesizes the generated tops', () => {
  it('tang9k: synth_gowin, 16 banks', async () => {
    const { plan } = await runUntil({ board: 'tang9k', banks: 16 }, 'synth');
    const stat = JSON.parse(readFileSync(join(plan.outDir, 'reports', 'synth.stat.json'), 'utf8')) as {
      modules: Record<string, { num_cells_by_type: Record<string, number> }>;
    };
    const cells = stat.modules[`\\${plan.top}`]!.num_cells_by_type;
    expect(cells.rPLL).toBe(1);
    expect(Object.keys(cells).some((c) => c.startsWith('LUT'))).toBe(true);
    expect(Object.keys(cells).some((c) => c.startsWith('DFF'))).toBe(true);
  }, 600_000);

  it('zynq7020: synth_xilinx, 16 banks', async () => {
    const { plan } = await runUntil({ board: 'zynq7020', banks: 16, mode: 'parallel' }, 'synth');
    const stat = JSON.parse(readFileSync(join(plan.outDir, 'reports', 'synth.stat.json'), 'utf8')) as {
      modules: Record<string, { num_cells_by_type: Record<string, number> }>;
    };
    const cells = stat.modules[`\\${plan.top}`]!.num_cells_by_type;
    expect(cells.MMCME2_BASE).toBe(1);
    // 16 banks x 64 bits of accumulator alone are 1024 flip-flops: nothing may be optimized away
    const ffs = Object.entries(cells).filter(([c]) => /^FD[RSCP]E$/.test(c)).reduce((n, [, k]) => n + k, 0);
    expect(ffs).toBeGreaterThan(16 * 64);
  }, 600_000);
});
