import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDesign } from '../design/design.js';
import { AtomikError } from '../common/errors.js';
import { buildPlan, type BuildPlan } from '../plan/plan.js';
import { writePlan } from './write.js';

function fresh(): string {
  return mkdtempSync(join(tmpdir(), 'atomik-write-'));
}

describe('writing a plan', () => {
  it('writes every planned file and nothing else', () => {
    const out = join(fresh(), 'design');
    const plan = buildPlan(resolveDesign({ banks: 4 }), out);
    writePlan(plan);
    for (const f of plan.files) expect(readFileSync(join(out, f.path), 'utf8')).toBe(f.content);
    expect(readdirSync(join(out, '..'))).toEqual(['design']); // no staging folder left behind
  });

  it('keeps tool outputs of the same design and drops those of another', () => {
    const out = join(fresh(), 'design');
    writePlan(buildPlan(resolveDesign({ banks: 4 }), out));
    mkdirSync(join(out, 'logs'));
    writeFileSync(join(out, 'logs', 'synth.log'), 'old run');
    writePlan(buildPlan(resolveDesign({ banks: 4 }), out));
    expect(existsSync(join(out, 'logs', 'synth.log'))).toBe(true);
    writePlan(buildPlan(resolveDesign({ banks: 4, mode: 'parallel' }), out));
    expect(existsSync(join(out, 'logs'))).toBe(false);
  });

  it('leaves no folder, or the previous design untouched, when writing fails', () => {
    const parent = fresh();
    const out = join(parent, 'design');
    const good = buildPlan(resolveDesign({ banks: 4 }), out);
    // a file and a folder of the same name cannot both be written
    const broken: BuildPlan = { ...good, files: [...good.files, { path: 'rtl', role: 'rtl', content: 'x' }] };
    expect(() => writePlan(broken)).toThrow(AtomikError);
    expect(readdirSync(parent)).toEqual([]);
    writePlan(good);
    const before = readFileSync(join(out, 'build.json'), 'utf8');
    expect(() => writePlan(broken)).toThrow(/writing the design failed/);
    expect(readFileSync(join(out, 'build.json'), 'utf8')).toBe(before);
    expect(readdirSync(parent)).toEqual(['design']);
  });

  it('refuses a folder it did not write, moving nothing in it', () => {
    const out = fresh();
    mkdirSync(join(out, 'rtl'));
    writeFileSync(join(out, 'rtl', 'mine.v'), 'the user\'s own file');
    writeFileSync(join(out, 'notes.txt'), 'keep me');
    const plan = buildPlan(resolveDesign({ banks: 4 }), out);
    expect(() => writePlan(plan)).toThrow(/not empty and holds no atomik-gen build\.json/);
    expect(readdirSync(out).sort()).toEqual(['notes.txt', 'rtl']);
    expect(readFileSync(join(out, 'rtl', 'mine.v'), 'utf8')).toBe('the user\'s own file');
    // a build.json that is not ours does not make the folder ours
    writeFileSync(join(out, 'build.json'), '{"digest": "x"}');
    expect(() => writePlan(plan)).toThrow(AtomikError);
    // an empty folder is fine
    const empty = fresh();
    expect(writePlan(buildPlan(resolveDesign({ banks: 4 }), empty))).toBe(empty);
  });
});
