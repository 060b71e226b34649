// [real tools] The host link measured in device time: the default Tang Nano 9K design at 3 Mbit/s under Verilator on a
// pseudo-terminal takes back-to-back frames at the line rate, none lost, and BATCH frames carry the target.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveDesign } from '../generator/design/design.js';
import { buildPlan } from '../generator/plan/plan.js';
import { lineLimit, MAX_BATCH } from '../generator/protocol/uart.js';
import { startUartPtySim, type UartPtySim } from '../sim/uart-pty.js';
import { LINK_TARGET_DELTAS_PER_S, measureLink } from './link.js';

const design = resolveDesign({ baud: 3_000_000, name: 'link' });
let sim: UartPtySim;

beforeAll(async () => {
  const plan = buildPlan(design, join(mkdtempSync(join(tmpdir(), 'atomik-link-')), 'out'));
  ({ sim } = await startUartPtySim({ plan, maxSeconds: 300, freeRun: true }));
}, 300_000);

afterAll(async () => {
  await sim?.stop();
});

describe('[real tools] host link at 3 Mbit/s, device time', () => {
  it('takes back-to-back BATCH frames at the line rate, none lost, above the target', async () => {
    const run = await measureLink(sim.path, design, 'batch', 2 * MAX_BATCH, 60_000);
    expect(run.noneLost).toBe(true);
    expect(run.lineLimitPerSecond).toBeCloseTo(lineLimit(3_000_000, 64, MAX_BATCH), 6);
    // the line is the bottleneck: the device keeps up with it (the two COUNTERS frames and their replies cost a little)
    expect(run.deltasPerSecond).toBeLessThanOrEqual(run.lineLimitPerSecond);
    expect(run.deltasPerSecond).toBeGreaterThan(0.97 * run.lineLimitPerSecond);
    expect(run.deltasPerSecond).toBeGreaterThanOrEqual(LINK_TARGET_DELTAS_PER_S);
  });

  it('takes back-to-back single ACCUM frames at the line rate, none lost', async () => {
    const run = await measureLink(sim.path, design, 'single', 200, 60_000);
    expect(run.noneLost).toBe(true);
    expect(run.deltasPerSecond).toBeLessThanOrEqual(run.lineLimitPerSecond);
    expect(run.deltasPerSecond).toBeGreaterThan(0.95 * run.lineLimitPerSecond);
  });
});
