// Every board in boards/ through the plan with its defaults: a board of a known family is data only, so this is the check
// a new board file gets without writing a test of its own (docs/adding-a-board.md).
import { describe, expect, it } from 'vitest';
import { BOARDS } from '../../boards/index.js';
import { resolveDesign } from '../design/design.js';
import { topPorts } from '../rtl/pins.js';
import { buildPlan } from './plan.js';

describe.each(BOARDS.map((b) => [b.id, b] as const))('board %s', (id, board) => {
  const design = resolveDesign({ board: id });
  const plan = buildPlan(design, `out/boards-test/${id}`);

  it('takes the default design: its default clock is reachable and the design fits', () => {
    expect(design.clockMHz).toBe(board.pll.defaultMHz);
  });

  it('constrains every port of the top, each pin once', () => {
    const constraints = plan.files.find((f) => f.role === 'constraints')!;
    const ports = topPorts(board, { resetButton: board.defaultResetButton, host: 'uart' });
    for (const port of ports) expect(constraints.content).toContain(port.pin);
    const pins = ports.map((p) => p.pin);
    expect(new Set(pins).size).toBe(pins.length);
  });

  it('plans lint, verify, synth and the flow\'s later stages', () => {
    expect(plan.stages.slice(0, 3).map((s) => s.name)).toEqual(['lint', 'verify', 'synth']);
    expect(plan.stages.map((s) => s.name)).toContain('pnr');
  });
});
