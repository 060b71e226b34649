// [real tools] Every board to its last open stage: a small design (4 banks x 32 bits) through the main job, the cycle
// cross-check included. A board whose flow has open place and route ends with a bitstream; the Zynq-7020, whose place
// and route is Vivado's, ends with Yosys's counts. Checking every board here keeps a new board file honest: its pins,
// PLL and flow reach hardware the packer accepts, not only a plan.
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BOARDS } from '../boards/index.js';
import { packageRoot } from '../generator/common/version.js';
import { resolveDesign } from '../generator/design/design.js';
import { buildPlan } from '../generator/plan/plan.js';
import type { BuildReport } from '../generator/report/report.js';

const BIN = join(packageRoot(), 'bin', 'atomik-gen.js');
const root = mkdtempSync(join(tmpdir(), 'atomik-boards-'));
const DESIGN = { banks: 4, width: 32 } as const;

/** The board's last stage the installed open tools reach: the bitstream where the plan has one, else synthesis. */
function lastOpenStage(boardId: string): 'bitstream' | 'synth' {
  const plan = buildPlan(resolveDesign({ board: boardId, ...DESIGN }), join(root, 'plan', boardId));
  const bitstream = plan.stages.find((s) => s.name === 'bitstream');
  return bitstream && !bitstream.commands.some((c) => c.tool === 'vivado') ? 'bitstream' : 'synth';
}

describe('[real tools] every board, 4 banks x 32 bits, through the main job', () => {
  it.concurrent.each(BOARDS.map((b) => [b.id, b] as const))('%s', async (id, board) => {
    const until = lastOpenStage(id);
    const out = join(root, id);
    const r = await execa('node', [BIN, '--board', id, '--banks', String(DESIGN.banks), '--width', String(DESIGN.width), '--until', until, '--out', out], {
      reject: false,
      env: { ...process.env, CI: 'true' },
    });
    expect(r.stderr, `${id}: ${r.stdout.split('\n').slice(-5).join('\n')}`).toBe('');
    expect(r.exitCode).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as BuildReport;
    expect(report.board).toMatchObject({ id, part: board.part });
    expect(report.verification).toMatchObject({ passed: true });
    expect(report.stages.every((s) => s.status === 'ran')).toBe(true);
    const lut = report.resources!.items.find((i) => i.resource === 'LUT')!;
    expect(lut.used).toBeGreaterThan(0);
    expect(lut.available).toBe(board.capacity.luts);
    if (until === 'bitstream') {
      expect(report.bitstream).not.toBeNull();
      const file = join(out, report.bitstream!.path);
      expect(existsSync(file)).toBe(true);
      expect(statSync(file).size).toBe(report.bitstream!.bytes);
      expect(report.bitstream!.bytes).toBeGreaterThan(1000);
      expect(report.clocks[0]!.fmaxMHz).toBeGreaterThan(0);
    } else {
      expect(report.stages.at(-1)!.stage).toBe('synth');
    }
  }, 1_800_000);
});
