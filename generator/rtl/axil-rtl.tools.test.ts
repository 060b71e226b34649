// [real tools] The AXI4-Lite top (host axi-lite) through Verilator's lint (every warning on) over widths that do and do
// not fill whole 32-bit words, lane counts that are and are not powers of two, and address widths; and through Yosys
// synth_xilinx as the plan runs it (no IO pads: the top is a block-design module).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { resolveDesign, type DesignInput } from '../design/design.js';
import { buildPlan, type RunStageName } from '../plan/plan.js';
import { runPlan } from '../run/pipeline.js';
import { PIPELINE_CHECKS } from '../../verify/stage.js';
import { findTool } from '../tools/tools.js';

const root = mkdtempSync(join(tmpdir(), 'atomik-axil-rtl-'));

async function runUntil(input: DesignInput, until: RunStageName) {
  const design = resolveDesign({ board: 'zynq7020', host: 'axi-lite', ...input });
  const plan = buildPlan(design, join(root, `b${design.banks}-w${design.width}-${design.mode}-p${design.pipeline}`));
  const stages = plan.stages.filter((s) => s.name === until);
  return { plan, results: (await runPlan({ ...plan, stages }, { checks: PIPELINE_CHECKS })).results };
}

const grid = [1, 3, 8, 16].flatMap((banks) =>
  [1, 8, 32, 33, 40, 64, 128, 256].flatMap((width) => (['round-robin', 'parallel'] as const).map((mode) => ({ banks, width, mode }))),
);

describe('[real tools] the AXI4-Lite top: verilator --lint-only -Wall, zero warnings', () => {
  it.concurrent.each(grid)('$banks banks x $width bits, $mode', async (point) => {
    const { plan } = await runUntil(point, 'lint');
    expect(plan.top).toBe('atomik_top');
    expect(readFileSync(join(plan.outDir, 'logs', 'lint.log'), 'utf8')).not.toMatch(/%Warning|%Error/);
  });

  it('takes a wider address, and stops elaboration for one narrower than the map', async () => {
    const { plan } = await runUntil({ banks: 4, width: 64, mode: 'parallel' }, 'lint');
    const verilator = await findTool('verilator');
    const rtl = plan.stages.find((s) => s.name === 'lint')!.inputs;
    const lint = (aw: number) =>
      execa(verilator.path, ['--lint-only', '-Wall', `-GC_S_AXI_ADDR_WIDTH=${aw}`, '--top-module', plan.top, ...rtl], { cwd: plan.outDir, reject: false, all: true });
    expect((await lint(32)).exitCode).toBe(0);
    const narrow = await lint(7);
    expect(narrow.exitCode).not.toBe(0);
    expect(narrow.all).toContain('atomik_host_axil_needs_ADDR_WIDTH_of_at_least_8');
  });
});

describe('[real tools] yosys synthesizes the AXI4-Lite top', () => {
  it('zynq7020: synth_xilinx -noiopad, 16 banks x 64 bits', async () => {
    const { plan } = await runUntil({ banks: 16, width: 64, arch: 'banked' }, 'synth');
    const stat = JSON.parse(readFileSync(join(plan.outDir, 'reports', 'synth.stat.json'), 'utf8')) as {
      modules: Record<string, { num_cells?: number; num_cells_by_type?: Record<string, number> }>;
    };
    const top = stat.modules['\\atomik_top']!;
    const cells = top.num_cells_by_type ?? {};
    expect(top.num_cells).toBeGreaterThan(1000);
    // 16 x 64 bank bits and the slave's registers are there; no IO buffers
    expect(Object.entries(cells).filter(([t]) => t.startsWith('FD')).reduce((n, [, c]) => n + c, 0)).toBeGreaterThan(16 * 64 + 2 * 64);
    expect(Object.keys(cells).filter((t) => /^[IO]BUF/.test(t))).toEqual([]);
  }, 300_000);
});
