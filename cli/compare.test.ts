// `atomik-gen compare`: the command module on its own (files written, Markdown printed, budget breaches thrown after
// the files are written), and the same through the built CLI in a child process.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { claimFolder } from '../generator/run/folder.js';
import { describe, expect, it, vi } from 'vitest';
import { AtomikError } from '../generator/common/errors.js';
import { packageRoot } from '../generator/common/version.js';
import { compareCommand, runCompare } from './compare.js';
import { sink } from '../test/support.js';

// A report named locked-*.json, or a folder named locked-dir, reads as the file system says when it may not be read
// (root reads any file, so EACCES cannot be made real here); everything else is the real node:fs.
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const denied = (syscall: string, path: unknown) =>
    Object.assign(new Error(`EACCES: permission denied, ${syscall} '${String(path)}'`), { code: 'EACCES', errno: -13, syscall, path: String(path) });
  return {
    ...fs,
    readFileSync: ((path: unknown, ...rest: unknown[]) => {
      if (/locked-[^/]*\.json$/.test(String(path))) throw denied('open', path);
      return (fs.readFileSync as (...a: unknown[]) => unknown)(path, ...rest);
    }) as typeof fs.readFileSync,
    readdirSync: ((path: unknown, ...rest: unknown[]) => {
      if (/locked-dir$/.test(String(path))) throw denied('scandir', path);
      return (fs.readdirSync as (...a: unknown[]) => unknown)(path, ...rest);
    }) as typeof fs.readdirSync,
  };
});

const FIXTURES = join(packageRoot(), 'generator', 'report', 'fixtures', 'reports');
const BIN = join(packageRoot(), 'bin', 'atomik-gen.js');
const BREACHING = { entries: [{ board: 'tang9k', banks: 16, width: 64, minFmaxMHz: 170 }, { board: 'tang9k', banks: 8, width: 64 }] };

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'atomik-compare-cmd-'));
}


describe('compare command module', () => {
  it('is a command module, compare <reports..>', () => {
    expect(compareCommand.command).toBe('compare <reports..>');
  });

  it('writes compare.md and compare.html and prints the Markdown', () => {
    const out = join(scratch(), 'cmp');
    const stdout = sink();
    const stderr = sink();
    runCompare({ reports: [FIXTURES], out }, stdout.stream, stderr.stream);
    const md = readFileSync(join(out, 'compare.md'), 'utf8');
    expect(stdout.text()).toBe(md);
    expect(md).toContain('## Sipeed Tang Nano 9K (tang9k, GW1NR-LV9QN88PC6/I5)');
    expect(readFileSync(join(out, 'compare.html'), 'utf8')).toMatch(/^<!doctype html>/);
    expect(stderr.text()).toMatch(/^compare: wrote .*compare\.md and .*compare\.html\n$/);
  });

  it('passes the committed budget and says so in compare.md', () => {
    const out = join(scratch(), 'cmp');
    runCompare({ reports: [FIXTURES], out, budget: join(packageRoot(), 'budgets', 'budget.json') }, sink().stream, sink().stream);
    expect(readFileSync(join(out, 'compare.md'), 'utf8')).toMatch(/## Budget \(.*budget\.json\)\n\nAll 4 budgeted design\(s\) are within budget\./);
  });

  it('throws on a breached budget after writing the files, listing every breach', () => {
    const dir = scratch();
    const budgetPath = join(dir, 'budget.json');
    writeFileSync(budgetPath, JSON.stringify(BREACHING));
    const stderr = sink();
    let error: unknown;
    try {
      runCompare({ reports: [FIXTURES], out: join(dir, 'cmp'), budget: budgetPath }, sink().stream, stderr.stream);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AtomikError);
    expect((error as AtomikError).oneLine()).toMatch(/budget\.json: 2 budget breach\(es\)/);
    expect(stderr.text()).toContain("budget breach: tang9k b16 w64 round-robin: Fmax 168.35 MHz is below the budget's minimum of 170 MHz");
    expect(stderr.text()).toContain('budget breach: tang9k b8 w64 round-robin: not measured: no report for this budgeted design');
    expect(readFileSync(join(dir, 'cmp', 'compare.md'), 'utf8')).toContain('2 breach(es):');
    expect(existsSync(join(dir, 'cmp', 'compare.html'))).toBe(true);
  });
});

describe('compare: every bad input is one AtomikError naming it', () => {
  function refusal(args: { reports: string[]; out?: string }): AtomikError {
    try {
      runCompare({ reports: args.reports, out: args.out ?? join(scratch(), 'cmp') }, sink().stream, sink().stream);
    } catch (err) {
      if (err instanceof AtomikError) return err;
      throw err;
    }
    throw new Error('expected compare to refuse');
  }

  it('a report or a folder it may not read', () => {
    const dir = scratch();
    const locked = join(dir, 'locked-report.json');
    writeFileSync(locked, '{}');
    const file = refusal({ reports: [locked] });
    expect(file.oneLine()).toBe(`${locked}: permission denied reading this report or folder (make it readable (chmod u+r, and u+x on a folder), or leave it out)`);
    const folder = join(dir, 'locked-dir');
    mkdirSync(folder);
    expect(refusal({ reports: [folder] }).where).toBe(folder);
  });

  it('a report that is not JSON (its parser message on one line), or not a report', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'bad.json'), 'hello\nworld {');
    const bad = refusal({ reports: [join(dir, 'bad.json')] });
    expect(bad.oneLine()).toMatch(/bad\.json: invalid JSON: .*hello world/);
    expect(bad.oneLine()).not.toContain('\n');
    writeFileSync(join(dir, 'other.json'), '{"a": 1}');
    expect(refusal({ reports: [join(dir, 'other.json')] }).message).toMatch(/^not an atomik-gen build report/);
    writeFileSync(join(dir, 'list.json'), '[1, 2]');
    expect(refusal({ reports: [join(dir, 'list.json')] }).message).toMatch(/^not an atomik-gen build report/);
  });

  it('an --out that is a file, or lies under one; a file to write that is a folder', () => {
    const dir = scratch();
    const file = join(dir, 'taken');
    writeFileSync(file, '');
    expect(refusal({ reports: [FIXTURES], out: file }).message).toBe('is a file, not a folder');
    expect(refusal({ reports: [FIXTURES], out: join(file, 'sub') }).message).toBe('cannot make the folder: a part of its path is a file, not a folder');
    claimFolder(join(dir, 'cmp')); // an atomik-gen folder (compare refuses any other), with a folder where compare.md goes
    mkdirSync(join(dir, 'cmp', 'compare.md'), { recursive: true });
    expect(refusal({ reports: [FIXTURES], out: join(dir, 'cmp') }).message).toBe('is a folder, so compare cannot write its file there');
  });
});

describe('atomik-gen compare (the built CLI)', () => {
  const cli = (args: string[], cwd: string) => execa('node', [BIN, ...args], { cwd, reject: false, env: { ...process.env, FORCE_COLOR: '0' } });

  it('exits 1 on a breached budget, naming each breach; 0 on the committed budget', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'budget.json'), JSON.stringify(BREACHING));
    const breached = await cli(['compare', FIXTURES, '--budget', 'budget.json'], dir);
    expect(breached.exitCode).toBe(1);
    expect(breached.stderr).toContain('budget breach: tang9k b16 w64 round-robin: Fmax 168.35 MHz');
    expect(breached.stderr.trim().split('\n').at(-1)).toBe('atomik-gen: error: budget.json: 2 budget breach(es) (listed above and in out/compare/compare.md)');
    expect(existsSync(join(dir, 'out', 'compare', 'compare.html'))).toBe(true);

    const passed = await cli(['compare', FIXTURES, '--budget', join(packageRoot(), 'budgets', 'budget.json'), '--out', 'ok'], dir);
    expect(passed.stderr).toBe('compare: wrote ok/compare.md and ok/compare.html');
    expect(passed.exitCode).toBe(0);
    expect(passed.stdout).toContain('All 4 budgeted design(s) are within budget.');
  });

  it('exits 1 with one clear line for a path that does not exist', async () => {
    const r = await cli(['compare', 'nope/report.json'], scratch());
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim()).toBe('atomik-gen: error: nope/report.json: no such file or folder (give report.json files, folders holding them, or sweep JSON files)');
  });

  it.each([
    [['compare', 'bad.json'], /^atomik-gen: error: bad\.json: invalid JSON: .* \(compare reads the report\.json that atomik-gen writes, or a sweep JSON\)$/],
    [['compare', 'other.json'], /^atomik-gen: error: other\.json: not an atomik-gen build report \(missing generator, digest/],
    [['compare', 'sweep.json'], /^atomik-gen: error: sweep\.json: not a valid sweep file/],
    [['compare', FIXTURES, '--out', 'taken'], /^atomik-gen: error: --out taken: is a file, not a folder \(--out names the folder that gets compare\.md and compare\.html; give a folder path\)$/],
    [['compare', FIXTURES, '--out', 'taken/sub'], /^atomik-gen: error: --out taken\/sub: cannot make the folder: a part of its path is a file, not a folder/],
    [['compare', FIXTURES, '--out', 'a', '--out', 'b'], /^atomik-gen: error: --out: given more than once \(give it once\)$/],
  ])('%j exits 1 with one line', async (args, message) => {
    const dir = scratch();
    writeFileSync(join(dir, 'bad.json'), 'hello\nworld {');
    writeFileSync(join(dir, 'other.json'), '{"a": 1}');
    writeFileSync(join(dir, 'sweep.json'), '{"kind": "atomik-sweep", "points": [{"status": "ok"}]}');
    writeFileSync(join(dir, 'taken'), '');
    const r = await cli(args, dir);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
  });

  // /dev/full answers every write with ENOSPC: a real full disk, which escapes compare to cli/main.ts as it is
  it.skipIf(!existsSync('/dev/full'))('exits 1 with one line on a full disk (ENOSPC), naming the file', async () => {
    const dir = scratch();
    claimFolder(join(dir, 'full'));
    symlinkSync('/dev/full', join(dir, 'full', 'compare.md'));
    const r = await cli(['compare', FIXTURES, '--out', 'full'], dir);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim()).toBe('atomik-gen: error: full/compare.md: no space left on device (free some space and rerun)');
  });
});

describe('compare writes only into its own folder', () => {
  it('refuses a folder of the user, touching nothing in it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomik-compare-own-'));
    writeFileSync(join(dir, 'compare.md'), 'my notes');
    const err = (() => {
      try {
        runCompare({ reports: [FIXTURES], out: dir }, sink().stream, sink().stream);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(AtomikError);
    expect((err as AtomikError).message).toMatch(/not created by atomik-gen/);
    expect(readFileSync(join(dir, 'compare.md'), 'utf8')).toBe('my notes');
  });
});
