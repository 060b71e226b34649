// [real tools] Mutation testing: every mutant of the rendered RTL is killed by the cross-check (Verilator) or the UART
// end-to-end check, and the count is printed.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MUTANT_DESIGN, runMutants } from './mutants.js';

describe('[real tools] mutation testing: 5 banks x 16 bits, round-robin, pipeline 2', () => {
  it('kills every mutant', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'atomik-mutants-'));
    const lines: string[] = [];
    const result = await runMutants({ design: MUTANT_DESIGN, outDir, progress: (l) => lines.push(l) });
    console.info(lines.join('\n'));
    console.info(`mutants killed: ${result.killed}/${result.total}`);
    expect(result.results.filter((r) => r.killedBy === null).map((r) => r.name)).toEqual([]);
    expect(result.killed).toBe(result.total);
    expect(result.total).toBeGreaterThanOrEqual(8);
    const by = Object.fromEntries(result.results.map((r) => [r.name, r.killedBy]));
    // the faults issue 3 names, each caught by the check meant for it
    for (const core of ['bank-xor-to-or', 'merge-tree-drops-bank', 'accumulator-bit-stuck-at-0', 'pointer-no-wrap', 'load-loses-clear', 'pipeline-register-skipped', 'clean-flag-inverted']) {
      expect(by[core], core).toBe('crosscheck');
    }
    expect(by['reply-little-endian']).toBe('uart-e2e');
    expect(by['batch-count-off-by-one']).toBe('uart-e2e');
    expect(lines.at(-1)).toBe(`mutants: killed ${result.killed}/${result.total}`);
  }, 600_000);
});
