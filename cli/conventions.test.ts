// The command line's conventions, through the built CLI as a user runs it: -h and -V, examples in every command's help,
// --json on boards, sweep and compare (JSON alone on stdout), colour on error lines only when the terminal or
// FORCE_COLOR asks for it (NO_COLOR honoured), and shell completion.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BOARDS } from '../boards/index.js';
import { GENERATOR_VERSION, packageRoot } from '../generator/common/version.js';
import { reportRow } from '../generator/report/rows.js';
import { loadComparison } from '../generator/report/compare.js';

const BIN = join(packageRoot(), 'bin', 'atomik-gen.js');
const FIXTURES = join(packageRoot(), 'generator', 'report', 'fixtures', 'reports');

/** The CLI in a child process, its environment without any colour setting unless `env` gives one. */
function cli(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}) {
  const env: Record<string, string | undefined> = { ...process.env, FORCE_COLOR: undefined, NO_COLOR: undefined, ...opts.env };
  return execa('node', [BIN, ...args], { cwd: opts.cwd ?? scratch(), reject: false, env, extendEnv: false });
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'atomik-conventions-'));
}

describe('help and version', () => {
  it('-h is --help and -V is --version', async () => {
    const [short, long] = await Promise.all([cli(['-h']), cli(['--help'])]);
    expect(short.exitCode).toBe(0);
    expect(short.stdout).toBe(long.stdout);
    expect(short.stdout).toMatch(/-h, --help/);
    expect(short.stdout).toMatch(/-V, --version/);
    const [v, version] = await Promise.all([cli(['-V']), cli(['--version'])]);
    expect(v.stdout).toBe(GENERATOR_VERSION);
    expect(version.stdout).toBe(GENERATOR_VERSION);
  });

  // doctor and setup are left to their own module's tests
  it.each(['', 'generate', 'verify', 'sweep', 'compare', 'program', 'device', 'sim', 'boards', 'init'])('atomik-gen %s -h shows examples of the command', async (command) => {
    const r = await cli([...(command ? [command] : []), '-h']);
    expect(r.exitCode).toBe(0);
    const examples = r.stdout.split('\nExamples:\n')[1];
    expect(examples, 'an Examples section').toBeDefined();
    const lines = examples!.split('\n').filter((l) => l.startsWith(`  atomik-gen ${command}`.trimEnd()));
    expect(lines.length).toBeGreaterThanOrEqual(2);
  });
});

describe('--json', () => {
  it('boards --json prints every board as JSON on stdout, nothing else: its record and the state of its tools', async () => {
    const r = await cli(['boards', '--json']);
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    const listed = JSON.parse(r.stdout) as { toolsInstalled: unknown; missingTools: unknown; missingOptionalTools: unknown }[];
    expect(listed.map(({ toolsInstalled: _t, missingTools: _m, missingOptionalTools: _o, ...board }) => board)).toEqual(JSON.parse(JSON.stringify(BOARDS)));
    for (const b of listed) expect([typeof b.toolsInstalled, Array.isArray(b.missingTools), Array.isArray(b.missingOptionalTools)]).toEqual(['boolean', true, true]);
  });

  it('compare --json prints the comparison as JSON on stdout (a row per report, in table order) and still writes its files', async () => {
    const cwd = scratch();
    const r = await cli(['compare', FIXTURES, '--out', 'cmp', '--json'], { cwd });
    expect(r.exitCode).toBe(0);
    const data = JSON.parse(r.stdout) as { kind: string; generator: string; rows: { label: string }[]; failed: unknown[]; budget?: unknown };
    expect(data.kind).toBe('atomik-comparison');
    expect(data.generator).toBe(`atomik-gen ${GENERATOR_VERSION}`);
    const rows = loadComparison([FIXTURES]).reports.map(reportRow);
    expect(data.rows).toHaveLength(rows.length);
    expect([...data.rows].sort((a, b) => a.label.localeCompare(b.label))).toEqual(JSON.parse(JSON.stringify(rows)).sort((a: { label: string }, b: { label: string }) => a.label.localeCompare(b.label)));
    expect(data.rows.map((row) => row.label)).toEqual(['tang9k b1 w64 round-robin', 'tang9k b4 w64 round-robin', 'tang9k b16 w64 round-robin', 'zynq7020 b16 w64 round-robin']);
    expect(data.failed).toEqual([]);
    expect(data.budget).toBeUndefined();
    expect(readFileSync(join(cwd, 'cmp', 'compare.md'), 'utf8')).toContain('# ATOMiK build comparison');
    expect(r.stderr).toMatch(/^compare: wrote cmp\/compare\.md and cmp\/compare\.html\n?$/);
  });

  it('compare --json --budget adds the breaches to the JSON and still exits 1 on a breach', async () => {
    const cwd = scratch();
    writeFileSync(join(cwd, 'budget.json'), JSON.stringify({ entries: [{ board: 'tang9k', banks: 8, width: 64 }] }));
    const r = await cli(['compare', FIXTURES, '--out', 'cmp', '--budget', 'budget.json', '--json'], { cwd });
    expect(r.exitCode).toBe(1);
    const data = JSON.parse(r.stdout) as { budget: { file: string; entries: number; breaches: string[] } };
    expect(data.budget).toEqual({ file: 'budget.json', entries: 1, breaches: ['tang9k b8 w64 round-robin: not measured: no report for this budgeted design'] });
    expect(r.stderr).toContain('atomik-gen: error: budget.json: 1 budget breach(es)');
  });

  it('sweep --json prints sweep.json on stdout; progress and the table go to stderr', async () => {
    const cwd = scratch();
    const r = await cli(['sweep', '--board', 'tang9k', '--banks', '1,2', '--until', 'generate', '--out', 'sw', '--json'], { cwd });
    expect(r.stderr).not.toMatch(/error/);
    expect(r.exitCode).toBe(0);
    expect(r.stdout + '\n').toBe(readFileSync(join(cwd, 'sw', 'sweep.json'), 'utf8'));
    const sweep = JSON.parse(r.stdout) as { kind: string; points: { label: string; status: string }[] };
    expect(sweep.kind).toBe('atomik-sweep');
    expect(sweep.points.map((p) => [p.label, p.status])).toEqual([['tang9k-b1-w64-round-robin', 'ok'], ['tang9k-b2-w64-round-robin', 'ok']]);
    expect(r.stderr).toMatch(/^sweep: 2 point\(s\)/m);
    expect(r.stderr).toMatch(/^sweep: 2 ok, 0 failed; wrote /m);
  });

  it('sweep without --json prints the table and the closing line on stdout, as before', async () => {
    const cwd = scratch();
    const r = await cli(['sweep', '--board', 'tang9k', '--banks', '1', '--until', 'generate', '--out', 'sw'], { cwd });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^sweep: 1 point\(s\)/m);
    expect(r.stdout).toMatch(/\nsweep: 1 ok, 0 failed; wrote sw\/sweep\.json, sw\/sweep\.csv, sw\/sweep\.md$/);
  });
});

describe('colour', () => {
  const ERROR = ['generate', '--banks', '0'];

  it('none into a pipe: the error line is the plain bytes', async () => {
    const r = await cli(ERROR);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^atomik-gen: error: --banks: /);
    expect(r.stderr).not.toContain('\x1b[');
  });

  it('FORCE_COLOR=1 colours the word error: (and nothing else of the line)', async () => {
    const [plain, coloured] = await Promise.all([cli(ERROR), cli(ERROR, { env: { FORCE_COLOR: '1' } })]);
    expect(coloured.stderr).toMatch(/^atomik-gen: \x1b\[1m\x1b\[31merror:\x1b\[39m\x1b\[22m --banks: /);
    expect(coloured.stderr.replace(/\x1b\[\d+m/g, '')).toBe(plain.stderr);
  });

  it.each<Record<string, string>>([{ FORCE_COLOR: '0' }, { NO_COLOR: '1' }])('%j: no colour', async (env) => {
    const r = await cli(ERROR, { env });
    expect(r.stderr).not.toContain('\x1b[');
  });

  it('FORCE_COLOR=1 colours the stage results of the progress lines (the main job to lint, with Verilator)', async () => {
    const cwd = scratch();
    const [plain, coloured] = [await cli(['--banks', '2', '--until', 'lint', '--out', 'a'], { cwd }), await cli(['--banks', '2', '--until', 'lint', '--out', 'b'], { cwd, env: { FORCE_COLOR: '1' } })];
    expect(coloured.exitCode).toBe(0);
    expect(coloured.stdout).toMatch(/^lint: \x1b\[32mdone\x1b\[39m in /m);
    expect(plain.stdout).toMatch(/^lint: done in /m);
    expect(plain.stdout).not.toContain('\x1b[');
  }, 120_000);
});

describe('shell completion', () => {
  it('atomik-gen completion prints a bash/zsh script that calls back atomik-gen', async () => {
    const r = await cli(['completion']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('###-begin-atomik-gen-completions-###');
    expect(r.stdout).toContain('atomik-gen --get-yargs-completions');
  });

  it('completes commands (not the default command $0) and a command\'s flags', async () => {
    const commands = await cli(['--get-yargs-completions', 'atomik-gen', '']);
    const words = commands.stdout.split('\n');
    expect(words).toEqual(expect.arrayContaining(['generate', 'sweep', 'compare', 'boards', 'init', 'completion']));
    expect(words).not.toContain('$0');
    const flags = await cli(['--get-yargs-completions', 'atomik-gen', 'init', '--']);
    expect(flags.stdout.split('\n')).toEqual(expect.arrayContaining(['--board', '--ci']));
  });
});
