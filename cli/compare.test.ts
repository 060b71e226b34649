// `atomik-gen compare`: the command module on its own (files written, Markdown printed, budget breaches thrown after
// the files are written), and the same through the built CLI in a child process.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { AtomikError } from '../generator/common/errors.js';
import { packageRoot } from '../generator/common/version.js';
import { compareCommand, runCompare } from './compare.js';
import { sink } from '../test/support.js';

const FIXTURES = join(packageRoot(), 'generator', 'report', 'fixtures', 'reports');
const BIN = join(packageRoot(), 'bin', 'atomik-gen.js');
const BREACHING = { entries: [{ board: 'tang9k', banks: 16, width: 64, minFmaxMHz: 160 }, { board: 'tang9k', banks: 8, width: 64 }] };

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
    expect(stderr.text()).toContain("budget breach: tang9k b16 w64 round-robin: Fmax 151.19 MHz is below the budget's minimum of 160 MHz");
    expect(stderr.text()).toContain('budget breach: tang9k b8 w64 round-robin: not measured: no report for this budgeted design');
    expect(readFileSync(join(dir, 'cmp', 'compare.md'), 'utf8')).toContain('2 breach(es):');
    expect(existsSync(join(dir, 'cmp', 'compare.html'))).toBe(true);
  });
});

describe('atomik-gen compare (the built CLI)', () => {
  const cli = (args: string[], cwd: string) => execa('node', [BIN, ...args], { cwd, reject: false, env: { ...process.env, FORCE_COLOR: '0' } });

  it('exits 1 on a breached budget, naming each breach; 0 on the committed budget', async () => {
    const dir = scratch();
    writeFileSync(join(dir, 'budget.json'), JSON.stringify(BREACHING));
    const breached = await cli(['compare', FIXTURES, '--budget', 'budget.json'], dir);
    expect(breached.exitCode).toBe(1);
    expect(breached.stderr).toContain('budget breach: tang9k b16 w64 round-robin: Fmax 151.19 MHz');
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
});
