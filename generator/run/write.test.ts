import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDesign } from '../design/design.js';
import { AtomikError } from '../common/errors.js';
import { buildPlan, type BuildPlan } from '../plan/plan.js';
import { readManifest, recordOwned } from './folder.js';
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

  it('keeps tool outputs of the same design, removes those of another, and never touches a file it did not write', () => {
    const out = join(fresh(), 'design');
    writePlan(buildPlan(resolveDesign({ banks: 4 }), out));
    mkdirSync(join(out, 'logs'));
    recordOwned(out, ['logs/synth.log', 'report.json']);
    writeFileSync(join(out, 'logs', 'synth.log'), 'old run');
    writeFileSync(join(out, 'report.json'), '{}');
    writeFileSync(join(out, 'logs', 'my-notes.txt'), 'the user\'s');
    writePlan(buildPlan(resolveDesign({ banks: 4 }), out));
    expect(existsSync(join(out, 'logs', 'synth.log'))).toBe(true);
    expect(existsSync(join(out, 'report.json'))).toBe(true);
    writePlan(buildPlan(resolveDesign({ banks: 4, mode: 'parallel' }), out));
    expect(existsSync(join(out, 'logs', 'synth.log'))).toBe(false);
    expect(existsSync(join(out, 'report.json'))).toBe(false);
    expect(readFileSync(join(out, 'logs', 'my-notes.txt'), 'utf8')).toBe('the user\'s');
  });

  it('removes files of the previous design that the new one does not have, and lists its own in the manifest', () => {
    const out = join(fresh(), 'design');
    const uart = buildPlan(resolveDesign({ banks: 4 }), out);
    writePlan(uart);
    const none = buildPlan(resolveDesign({ banks: 4, host: 'none' }), out);
    writePlan(none);
    const gone = uart.files.map((f) => f.path).filter((p) => !none.files.some((f) => f.path === p));
    expect(gone.length).toBeGreaterThan(0);
    for (const p of gone) expect(existsSync(join(out, p))).toBe(false);
    const manifest = readManifest(out)!;
    expect(manifest.digest).toBe(none.digest);
    expect(Object.keys(manifest.files).sort()).toEqual(none.files.map((f) => f.path).sort());
  });

  it('refuses to replace a file in its folder that it did not write', () => {
    const out = join(fresh(), 'design');
    const plan = buildPlan(resolveDesign({ banks: 4 }), out);
    writePlan(plan);
    const other = buildPlan(resolveDesign({ banks: 4, bench: true }), out);
    const extra = other.files.find((f) => !plan.files.some((p) => p.path === f.path))!;
    mkdirSync(join(out, extra.path, '..'), { recursive: true });
    writeFileSync(join(out, extra.path), 'mine');
    expect(() => writePlan(other)).toThrow(/in the way: atomik-gen did not write it/);
    expect(readFileSync(join(out, extra.path), 'utf8')).toBe('mine');
    expect(readManifest(out)!.digest).toBe(plan.digest);
  });

  it('refuses the current folder and its parents unless they are its own', () => {
    const here = fresh();
    const cwd = process.cwd();
    try {
      process.chdir(here);
      expect(() => writePlan(buildPlan(resolveDesign({ banks: 4 }), '.'))).toThrow(/current folder or one of its parents/);
      mkdirSync('sub');
      process.chdir('sub');
      expect(() => writePlan(buildPlan(resolveDesign({ banks: 4 }), '..'))).toThrow(/current folder or one of its parents/);
      expect(readdirSync(here)).toEqual(['sub']);
    } finally {
      process.chdir(cwd);
    }
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
    expect(() => writePlan(broken)).toThrow(AtomikError);
    expect(readFileSync(join(out, 'build.json'), 'utf8')).toBe(before);
    expect(readdirSync(parent)).toEqual(['design']);
  });

  it('refuses a folder it did not write, moving nothing in it', () => {
    const out = fresh();
    mkdirSync(join(out, 'rtl'));
    writeFileSync(join(out, 'rtl', 'mine.v'), 'the user\'s own file');
    writeFileSync(join(out, 'notes.txt'), 'keep me');
    const plan = buildPlan(resolveDesign({ banks: 4 }), out);
    expect(() => writePlan(plan)).toThrow(/not empty and was not created by atomik-gen/);
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
