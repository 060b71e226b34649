// `atomik-gen init`: the files it writes (through the built CLI, as a user runs it), that it never overwrites one, that
// the config it writes type-checks against the package in a plain project (and a misspelt board does not), that its
// values come from the code, and that its GitHub workflow passes actionlint and builds what its budget names.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BOARDS } from '../boards/index.js';
import { packageRoot } from '../generator/common/version.js';
import { readConfigFile } from '../generator/design/config-file.js';
import { ARCHS, DEFAULTS, DESIGN_FIELDS, HOSTS, LIMITS, MODES, resolveDesign } from '../generator/design/design.js';
import { readBudget } from '../generator/report/budget.js';
import { sweepMatrix } from '../generator/run/sweep.js';
import { DEBIAN_PACKAGES } from '../generator/tools/toolchain.js';
import { TOOLS } from '../generator/tools/tools.js';
import { BUDGET_FILE, configText, initFiles, lastOpenStage, WORKFLOW_PATH } from './init.js';
import { sweepAxes } from './sweep.js';
import { actionlint, sink, type WorkflowJob } from '../test/support.js';

const ROOT = packageRoot();
const BIN = join(ROOT, 'bin', 'atomik-gen.js');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

function cli(args: string[], cwd: string) {
  return execa('node', [BIN, ...args], { cwd, reject: false, env: { ...process.env, FORCE_COLOR: '0' } });
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'atomik-init-'));
}

/** Every file under a folder by relative path, with its text. */
function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const rel of readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort()) {
    const path = join(dir, rel);
    if (statSync(path).isFile()) out[rel] = readFileSync(path, 'utf8');
  }
  return out;
}

describe('atomik-gen init', () => {
  it('writes atomik.config.ts and a .gitignore for out/, one line per file', async () => {
    const cwd = scratch();
    const r = await cli(['init'], cwd);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n')).toEqual(['init: wrote atomik.config.ts', 'init: wrote .gitignore']);
    const written = files(cwd);
    expect(Object.keys(written)).toEqual(['.gitignore', 'atomik.config.ts']);
    expect(written['.gitignore']!.split('\n')).toContain('out/');
    expect(written['atomik.config.ts']).toBe(configText(BOARDS[0]));
  });

  it('with --ci github and --board, adds the workflow and the budget, for that board', async () => {
    const cwd = scratch();
    const r = await cli(['init', '--ci', 'github', '--board', 'zynq7020'], cwd);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n')).toEqual([
      'init: wrote atomik.config.ts',
      'init: wrote .gitignore',
      `init: wrote ${WORKFLOW_PATH}`,
      `init: wrote ${BUDGET_FILE}`,
    ]);
    expect(Object.keys(files(cwd)).sort()).toEqual(['.github/workflows/atomik.yml', '.gitignore', 'atomik-budget.json', 'atomik.config.ts']);
    expect(readFileSync(join(cwd, 'atomik.config.ts'), 'utf8')).toContain("board: 'zynq7020',");
    // its board first, then a board of every other family
    const budgeted = readBudget(join(cwd, BUDGET_FILE)).entries.map((e) => e.board);
    expect(budgeted[0]).toBe('zynq7020');
    expect(budgeted.map((id) => BOARDS.find((b) => b.id === id)!.family).sort()).toEqual([...new Set(BOARDS.map((b) => b.family))].sort());
  });

  it('refuses a second run: names the files in one line, exits 1 and changes nothing', async () => {
    const cwd = scratch();
    expect((await cli(['init', '--ci', 'github'], cwd)).exitCode).toBe(0);
    const before = files(cwd);
    const mtimes = Object.keys(before).map((f) => statSync(join(cwd, f)).mtimeMs);
    const again = await cli(['init', '--ci', 'github'], cwd);
    expect(again.exitCode).toBe(1);
    expect(again.stdout).toBe('');
    const lines = again.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      `atomik-gen: error: init: atomik.config.ts, ${WORKFLOW_PATH} and ${BUDGET_FILE} already exist; nothing written ` +
        '(init never overwrites a file: edit the existing ones, or move them away and run init again)',
    );
    expect(files(cwd)).toEqual(before);
    expect(Object.keys(before).map((f) => statSync(join(cwd, f)).mtimeMs)).toEqual(mtimes);
  });

  it('writes nothing at all when any one file is in the way, and names only that one', async () => {
    const cwd = scratch();
    writeFileSync(join(cwd, BUDGET_FILE), '{"mine": true}\n');
    const r = await cli(['init', '--ci', 'github'], cwd);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim()).toMatch(new RegExp(`^atomik-gen: error: init: ${BUDGET_FILE.replace('.', '\\.')} already exists; nothing written \\(`));
    expect(files(cwd)).toEqual({ [BUDGET_FILE]: '{"mine": true}\n' });
  });

  it.each([
    ['ignores out/ already', 'node_modules/\n/out\n', 'init: kept .gitignore as it is (it already ignores out/)'],
    ['does not ignore out/', 'dist/\n', 'init: kept .gitignore as it is (add a line out/ to it: atomik-gen writes its outputs there)'],
  ])('keeps an existing .gitignore byte for byte, and says whether it %s', async (_what, text, line) => {
    const cwd = scratch();
    writeFileSync(join(cwd, '.gitignore'), text);
    const r = await cli(['init'], cwd);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n')).toEqual(['init: wrote atomik.config.ts', line]);
    expect(readFileSync(join(cwd, '.gitignore'), 'utf8')).toBe(text);
  });

  it.each([
    [['--board', 'tang9kk'], `atomik-gen: error: --board: unknown board "tang9kk" (known boards: ${BOARDS.map((b) => b.id).join(', ')})`],
    [['--ci', 'gitlab'], 'atomik-gen: error: --ci: unknown CI "gitlab" (known: github)'],
    [['--board', 'tang9k', '--board', 'zynq7020'], 'atomik-gen: error: --board: given more than once (give it once)'],
  ])('init %j exits 1 with one line and writes nothing', async (args, line) => {
    const cwd = scratch();
    const r = await cli(['init', ...args], cwd);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim()).toBe(line);
    expect(readdirSync(cwd)).toEqual([]);
  });
});

describe('the atomik.config.ts init writes', () => {
  it.each(BOARDS.map((b) => [b.id, b] as const))('for %s: the config reader reads it, and it resolves to the defaults on that board', (_id, board) => {
    const dir = scratch();
    const path = join(dir, 'atomik.config.ts');
    writeFileSync(path, configText(board));
    const config = readConfigFile(path);
    expect(config.values).toEqual({ board: board.id, banks: DEFAULTS.banks, width: DEFAULTS.width, mode: DEFAULTS.mode, arch: DEFAULTS.arch });
    expect(resolveDesign(config.values, config.locate)).toEqual(resolveDesign({ board: board.id }));
  });

  it.each(BOARDS.map((b) => [b.id, b] as const))('for %s: with every commented line uncommented it still reads and resolves to the same design', (_id, board) => {
    const dir = scratch();
    const path = join(dir, 'atomik.config.ts');
    writeFileSync(path, uncommented(configText(board)));
    const config = readConfigFile(path, { known: { tools: { what: 'tool', keys: Object.keys(TOOLS) } } });
    expect(Object.keys(config.values).sort()).toEqual([...DESIGN_FIELDS].sort());
    expect(resolveDesign(config.values, config.locate)).toEqual(resolveDesign({ board: board.id }));
  });

  it('comments every field with its values, taken from the code', () => {
    const text = configText(BOARDS[0]);
    for (const field of DESIGN_FIELDS) expect(text).toMatch(new RegExp(`^ {2}(// )?${field}: `, 'm'));
    expect(text).toContain(`${LIMITS.banks.min}..${LIMITS.banks.max}`);
    expect(text).toContain(`${LIMITS.width.min}..${LIMITS.width.max}`);
    const clock = LIMITS.clockMHz[BOARDS[0].pll.kind];
    expect(text).toContain(`${clock.min}..${clock.max} on the ${BOARDS[0].id} (${clock.what})`);
    for (const values of [MODES, ARCHS, HOSTS, BOARDS.map((b) => b.id), Object.keys(BOARDS[0].buttons)]) {
      for (const v of values) expect(text).toContain(`'${v}'`);
    }
    for (const id of Object.keys(TOOLS)) expect(text).toContain(id);
    expect(text).toContain(`at most ${LIMITS.nameMaxLength} characters`);
    expect(text).toContain("import { defineDesign } from 'atomik-gen';");
  });
});

/** The config with its commented field lines (`  // field: value,`) made live. */
function uncommented(text: string): string {
  return text.replace(/^ {2}\/\/ (\w+: .*,)$/gm, '  $1');
}

/**
 * A plain project (no tsconfig: the compiler's default settings) whose node_modules/atomik-gen is this package, with
 * `file` in it; runs the repository's TypeScript on it.
 */
async function typecheck(file: string, text: string): Promise<{ exitCode: number; output: string }> {
  const dir = scratch();
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'atomik-gen'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'plain', private: true, type: 'module' }));
  writeFileSync(join(dir, file), text);
  const r = await execa('node', [TSC, '--noEmit', file], { cwd: dir, reject: false });
  return { exitCode: r.exitCode ?? -1, output: `${r.stdout}\n${r.stderr}`.trim() };
}

describe('the atomik.config.ts init writes, type-checked against the package', () => {
  it('compiles with tsc --noEmit and the default compiler settings, with the fields as written and uncommented', async () => {
    expect(existsSync(join(ROOT, 'dist', 'index.d.ts')), 'run npm run build first').toBe(true);
    for (const text of [configText(BOARDS[0]), uncommented(configText(BOARDS[1]))]) {
      const r = await typecheck('atomik.config.ts', text);
      expect(r.output).toBe('');
      expect(r.exitCode).toBe(0);
    }
  });

  it('makes a misspelt board id a type error', async () => {
    const text = configText(BOARDS[0]).replace("board: 'tang9k',", "board: 'tang9kk',");
    const r = await typecheck('atomik.config.ts', text);
    expect(r.exitCode).not.toBe(0);
    // one error, on the board line (9, column 3), naming the known ids (and that a board file's path is taken too)
    expect(r.output.split('\n')).toHaveLength(1);
    expect(r.output).toMatch(/^atomik\.config\.ts\(9,3\): error TS\d+: Type '"tang9kk"' is not assignable to type '("[\w-]+" \| )+BoardFilePath \| undefined'/);
    for (const b of BOARDS) expect(r.output).toContain(`"${b.id}"`);
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// the GitHub workflow

type Job = WorkflowJob;

const workflowOf = (boardIndex: number) => initFiles({ board: BOARDS[boardIndex]!, ci: 'github' }).find((f) => f.path === WORKFLOW_PATH)!.text;

describe('the GitHub workflow init --ci github writes', () => {
  it('passes actionlint, for every board', async () => {
    const root = scratch();
    const dir = join(root, '.github', 'workflows');
    mkdirSync(dir, { recursive: true });
    BOARDS.forEach((_b, i) => writeFileSync(join(dir, `atomik-${i}.yml`), workflowOf(i)));
    const r = await actionlint(dir, 'atomik-*.yml');
    expect(r.output).toContain('All workflow files passed lint checks');
    expect(r.exitCode).toBe(0);
  });

  it('is rejected by actionlint when broken (the check is real)', async () => {
    const dir = join(scratch(), '.github', 'workflows');
    mkdirSync(dir, { recursive: true });
    const broken = workflowOf(0).replace('fromJSON(needs.matrix.outputs.matrix)', 'fromJSON(needs.matrix.outputs.matrixx)');
    expect(broken).not.toBe(workflowOf(0));
    writeFileSync(join(dir, 'broken.yml'), broken);
    const r = await actionlint(dir, 'broken.yml');
    expect(r.exitCode).toBe(1);
    expect(r.output).toMatch(/property "matrixx" is not defined/);
  });

  it('emits the sweep matrix, sets up the tools, runs the main job per point and uploads each report.json', () => {
    const wf = parse(workflowOf(0)) as { jobs: Record<string, Job> };
    expect(Object.keys(wf.jobs)).toEqual(['matrix', 'build', 'compare']);
    const emit = wf.jobs.matrix!.steps.find((s) => s.id === 'emit')!;
    expect(emit.run).toMatch(/^matrix=\$\(npx atomik-gen sweep --emit-matrix --board tang9k[,\w-]* /m);
    expect(emit.run).toContain('echo "matrix=$matrix" >> "$GITHUB_OUTPUT"');
    const build = wf.jobs.build!;
    expect(build.needs).toBe('matrix');
    expect(build.strategy).toEqual({ 'fail-fast': false, matrix: '${{ fromJSON(needs.matrix.outputs.matrix) }}' });
    const runs = build.steps.map((s) => s.run ?? '');
    const setupAt = runs.indexOf('npx atomik-gen setup');
    // the Debian packages setup asks for, installed with sudo before it (the runner user is not root)
    const aptAt = runs.findIndex((r) => r.includes('sudo apt-get install'));
    expect(aptAt).toBeGreaterThan(0);
    expect(aptAt).toBeLessThan(setupAt);
    for (const p of Object.values(DEBIAN_PACKAGES)) expect(runs[aptAt]!.split(/\s+/)).toContain(p);
    const flowAt = runs.findIndex((r) => r.startsWith('npx atomik-gen\n') || r.startsWith('npx atomik-gen --'));
    expect(setupAt).toBeGreaterThan(0);
    expect(flowAt).toBeGreaterThan(setupAt);
    for (const key of ['board', 'banks', 'width', 'mode', 'arch']) expect(runs[flowAt]).toContain(`--${key} \${{ matrix.${key} }}`);
    // each board's last open stage: the boards of the rarer stage named, the commonest one the fallback
    const until = /--until \$\{\{ \((.*)\) && '(\w+)' \|\| '(\w+)' \}\}/.exec(runs[flowAt]!)!;
    const named = [...until[1]!.matchAll(/matrix\.board == '([\w-]+)'/g)].map((m) => m[1]!);
    for (const b of BOARDS) expect(named.includes(b.id) ? until[2] : until[3], b.id).toBe(lastOpenStage(b));
    expect(named.length).toBeLessThanOrEqual(BOARDS.length / 2);
    const upload = build.steps.find((s) => s.uses === 'actions/upload-artifact@v4')!;
    expect(upload.with).toMatchObject({ path: 'out/**/report.json', 'if-no-files-found': 'error' });
  });

  it('compares every report against the budget it writes and publishes compare.md to the job summary', () => {
    const wf = parse(workflowOf(0)) as { jobs: Record<string, Job> };
    const compare = wf.jobs.compare!;
    expect(compare.needs).toBe('build');
    expect(compare.if).toBe('${{ !cancelled() }}');
    const runs = compare.steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain(`npx atomik-gen compare out/reports --budget ${BUDGET_FILE} --out out/compare`);
    expect(runs).toContain('cat out/compare/compare.md >> "$GITHUB_STEP_SUMMARY"');
  });

  it.each(BOARDS.map((b, i) => [b.id, i] as const))('for %s: its matrix builds every design its budget names, and nothing the budget does not', (_id, i) => {
    const dir = scratch();
    const written = initFiles({ board: BOARDS[i]!, ci: 'github' });
    for (const f of written) {
      mkdirSync(dirname(join(dir, f.path)), { recursive: true });
      writeFileSync(join(dir, f.path), f.text);
    }
    const budget = readBudget(join(dir, BUDGET_FILE));
    const wf = parse(workflowOf(i)) as { jobs: Record<string, Job> };
    const emit = wf.jobs.matrix!.steps.find((s) => s.id === 'emit')!.run!;
    const flags = /--emit-matrix (.*)\)/.exec(emit)![1]!.split(' ');
    const argv: Record<string, string> = {};
    for (let k = 0; k < flags.length; k += 2) argv[flags[k]!.slice(2)] = flags[k + 1]!;
    const points = sweepMatrix(sweepAxes(argv, sink().stream)).include;
    expect(points.map((p) => ({ ...p, bench: false }))).toEqual(budget.entries.map(({ board, banks, width, mode, arch, bench }) => ({ board, banks, width, mode, arch, bench })));
  });

  it('runs each board to the last stage the tools setup installs reach: a bitstream, synthesis on the Zynq-7020', () => {
    expect(Object.fromEntries(BOARDS.map((b) => [b.id, lastOpenStage(b)]))).toEqual(Object.fromEntries(BOARDS.map((b) => [b.id, b.id === 'zynq7020' ? 'synth' : 'bitstream'])));
  });

  it.each(BOARDS.map((b, i) => [b.id, i] as const))('for %s: its matrix has the design on its board first, then on a board of every other family', (id, i) => {
    const wf = parse(workflowOf(i)) as { jobs: Record<string, Job> };
    const emit = wf.jobs.matrix!.steps.find((s) => s.id === 'emit')!.run!;
    const boards = /--board ([\w,-]+)/.exec(emit)![1]!.split(',');
    expect(boards[0]).toBe(id);
    expect(boards.map((b) => BOARDS.find((x) => x.id === b)!.family).sort()).toEqual([...new Set(BOARDS.map((b) => b.family))].sort());
  });
});
