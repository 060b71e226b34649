// [real tools] The iCEBreaker top (SB_PLL40_PAD stand-in, two LEDs) through Verilator's lint, every warning on, over a
// small grid: the main job's own test (test/boards.tools.test.ts) takes one design to the bitstream; this checks that
// the top's template lints clean for the shapes the grid of issue 2 exercises on the other boards.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDesign, type DesignInput } from '../../design/design.js';
import { buildPlan } from '../../plan/plan.js';
import { runPlan } from '../../run/pipeline.js';
import { PIPELINE_CHECKS } from '../../../verify/stage.js';

const root = mkdtempSync(join(tmpdir(), 'atomik-ice40-'));

async function lint(input: DesignInput) {
  const design = resolveDesign({ board: 'icebreaker', ...input });
  const name = `b${design.banks}-w${design.width}-${design.mode}-p${String(input.pipeline ?? 'auto')}${design.bench ? '-bench' : ''}`;
  const plan = buildPlan(design, join(root, name));
  await runPlan({ ...plan, stages: plan.stages.filter((s) => s.name === 'lint') }, { checks: PIPELINE_CHECKS });
  return readFileSync(join(plan.outDir, 'logs', 'lint.log'), 'utf8');
}

const grid = [1, 3, 16].flatMap((banks) =>
  [1, 8, 64].flatMap((width) => (['round-robin', 'parallel'] as const).flatMap((mode) => (['auto', 0] as const).map((pipeline) => ({ banks, width, mode, pipeline })))),
);

describe('[real tools] verilator --lint-only -Wall on the iCEBreaker top: zero warnings', () => {
  it.concurrent.each(grid)('$banks banks x $width bits, $mode, pipeline $pipeline', async (point) => {
    expect(await lint(point)).not.toMatch(/%Warning|%Error/);
  });

  it.concurrent.each([1, 16])('bench top, %i banks x 64 bits', async (banks) => {
    expect(await lint({ banks, width: 64, bench: true })).not.toMatch(/%Warning|%Error/);
  });
});
