// The mutant list without simulators: every mutant applies to the rendered RTL of its design exactly once, changes it,
// and refuses to apply where its text is missing or ambiguous.
import { describe, expect, it } from 'vitest';
import { resolveDesign } from '../../generator/design/design.js';
import { buildPlan } from '../../generator/plan/plan.js';
import { applyMutant, MUTANT_DESIGN, mutantsFor, runMutants, type Mutant } from './mutants.js';

const rendered = (design = MUTANT_DESIGN) => new Map(buildPlan(design, '/nonexistent').files.map((f) => [f.path.replace(/^rtl\//, ''), f.content]));

describe('mutants', () => {
  const files = rendered();
  const mutants = mutantsFor(MUTANT_DESIGN);

  it('cover the faults of issue 3, with distinct names', () => {
    const names = mutants.map((m) => m.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        'bank-xor-to-or',
        'merge-tree-drops-bank',
        'accumulator-bit-stuck-at-0',
        'pointer-no-wrap',
        'load-loses-clear',
        'pipeline-register-skipped',
        'clean-flag-inverted',
        'reply-little-endian',
      ]),
    );
  });

  it.each(mutants.map((m) => ({ m, name: m.name })))('$name applies exactly once and changes the file', ({ m }) => {
    const text = files.get(m.file);
    expect(text, m.file).toBeDefined();
    const after = applyMutant(m, text!);
    expect(after).not.toBe(text);
    expect(after.length - text!.length).toBe(m.replace.length - m.find.length);
    expect(after).toContain(m.replace);
  });

  it('the pipeline mutant removes a register: one "always" fewer in the merge tree', () => {
    const m = mutants.find((x) => x.name === 'pipeline-register-skipped')!;
    const tree = files.get(m.file)!;
    const count = (s: string) => s.split('always @(posedge clk)').length - 1;
    expect(count(applyMutant(m, tree))).toBe(count(tree) - 1);
  });

  it('a missing or repeated text is an error, not a silent pass', () => {
    const m: Mutant = { name: 'x', description: '', file: 'f.v', find: 'a ^ b', replace: 'a | b' };
    expect(() => applyMutant(m, 'nothing here')).toThrow(/does not apply/);
    expect(() => applyMutant(m, 'a ^ b; a ^ b;')).toThrow(/more than once/);
  });

  it('a design of another shape is refused before anything runs', async () => {
    // 4 banks: no odd tree node to drop, and a 2-bit pointer
    const other = resolveDesign({ board: 'tang9k', banks: 4, width: 16, arch: 'banked', pipeline: 1, clockMHz: 3.375 });
    await expect(runMutants({ design: other, outDir: '/nonexistent/atomik-mutants' })).rejects.toThrow(/does not apply/);
  });
});
