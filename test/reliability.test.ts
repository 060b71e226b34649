// Reliability: what atomik-gen does when tools misbehave, runs collide, and names are hostile. Misbehaving tools are
// small stand-in scripts (fault injection) put in place of Yosys through the override the user would use; every case
// checks that no user file is lost, no stale figure is reported, nothing injected runs, and the error is one line of
// an AtomikError (never a stack trace).
import { execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AtomikError } from '../generator/common/errors.js';
import { resolveDesign } from '../generator/design/design.js';
import { buildPlan, type BuildPlan } from '../generator/plan/plan.js';
import { runJob, type JobOptions } from '../generator/run/pipeline.js';
import { readManifest, withFolder } from '../generator/run/folder.js';
import { sweepInputs } from '../generator/run/sweep.js';
import { runBounded, withDeadline, DeadlineError } from '../generator/tools/exec.js';
import { SYNTH_STAT_JSON } from '../generator/vendors/yosys.js';
import { PIPELINE_CHECKS } from '../verify/stage.js';

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'bin', 'atomik-gen.js');
const FIXTURE_STAT = join(ROOT, 'generator', 'vendors', 'fixtures', 'tang9k-b16-w64.synth.stat.json');

function fresh(): string {
  return mkdtempSync(join(tmpdir(), 'atomik-reliability-'));
}

/** A Yosys stand-in: answers the version probe like Yosys, then runs `body` (bash) for a synthesis. */
function yosysStandIn(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/usr/bin/env bash\nif [ "$1" = "-V" ]; then echo "Yosys 0.47+0 (stand-in)"; exit 0; fi\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function gone(pid: number, ms = 5000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}

/** The 16 x 64 tang9k design whose Yosys stat the fixture holds, with only its synth stage. */
function synthOnly(out: string, banks = 16): BuildPlan {
  const plan = buildPlan(resolveDesign({ board: 'tang9k', banks, width: 64 }), out);
  return { ...plan, stages: plan.stages.filter((s) => s.name === 'synth') };
}

function jobWith(yosys: string, extra: Partial<JobOptions> = {}): JobOptions {
  return { checks: PIPELINE_CHECKS, until: 'synth', tools: { overrides: { yosys } }, ...extra };
}

async function failure(p: Promise<unknown>): Promise<AtomikError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AtomikError);
  return err as AtomikError;
}

describe('a tool that misbehaves', () => {
  const bin = fresh();
  const netlist = (plan: BuildPlan) => plan.stages.find((s) => s.name === 'synth')!.outputs.find((o) => o !== SYNTH_STAT_JSON)!;
  const good = (plan: BuildPlan) =>
    yosysStandIn(bin, `good-${plan.design.banks}`, `cp ${JSON.stringify(FIXTURE_STAT)} ${SYNTH_STAT_JSON}\necho '{"modules":{}}' > ${netlist(plan)}`);

  it('a hung tool is stopped at the time limit with every process it started, and says where its log is', async () => {
    const out = join(fresh(), 'design');
    const pidFile = join(bin, 'hung-child.pid');
    const hung = yosysStandIn(bin, 'hangs', `sleep 600 & echo $! > ${JSON.stringify(pidFile)}\nwait`);
    const started = Date.now();
    const err = await failure(runJob(synthOnly(out), jobWith(hung, { timeouts: { synth: 2 } })));
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(err.oneLine()).toMatch(/synth stage: yosys did not finish within 2 s and was stopped/);
    expect(err.oneLine()).toMatch(/full log: .*logs\/synth\.log/);
    expect(err.hint).toMatch(/--timeout synth=SECONDS/);
    expect(await gone(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
    expect(existsSync(join(out, 'build', '.stamps', 'synth.json'))).toBe(false);
    expect(existsSync(join(out, 'report.json'))).toBe(false);
  });

  it('a tool that answers the stop at the time limit by exiting 0 (as vvp does) is still a tool that timed out', async () => {
    const out = join(fresh(), 'design');
    const quits = yosysStandIn(bin, 'quits-clean', `trap 'exit 0' TERM\nsleep 600 &\nwait`);
    const err = await failure(runJob(synthOnly(out), jobWith(quits, { timeouts: { synth: 2 } })));
    expect(err.oneLine()).toMatch(/synth stage: yosys did not finish within 2 s and was stopped/);
    expect(existsSync(join(out, 'build', '.stamps', 'synth.json'))).toBe(false);
  });

  it('a run killed mid-write leaves no stamp, and the next run does the work again', async () => {
    const out = join(fresh(), 'design');
    const plan = synthOnly(out);
    await runJob(plan, jobWith(good(plan)));
    const crash = yosysStandIn(bin, 'crashes', `head -c 100 ${JSON.stringify(FIXTURE_STAT)} > ${SYNTH_STAT_JSON}\nkill -9 $$`);
    const err = await failure(runJob(plan, jobWith(crash, { force: true })));
    expect(err.message).toMatch(/yosys was killed by SIGKILL/);
    expect(existsSync(join(out, 'build', '.stamps', 'synth.json'))).toBe(false);
    expect(existsSync(join(out, 'report.json'))).toBe(false);
    const again = await runJob(plan, jobWith(good(plan)));
    expect(again.results.find((r) => r.stage === 'synth')?.status).toBe('ran');
  });

  it('a tool that exits 0 and writes nothing is a failure, not the previous run\'s figures', async () => {
    const out = join(fresh(), 'design');
    const plan = synthOnly(out);
    const first = await runJob(plan, jobWith(good(plan)));
    expect(first.report?.resources?.items.length).toBeGreaterThan(0);
    const silent = yosysStandIn(bin, 'silent', 'exit 0');
    const err = await failure(runJob(plan, jobWith(silent, { force: true })));
    expect(err.message).toMatch(/yosys finished, but .* was not written/);
    expect(existsSync(join(out, 'report.json'))).toBe(false);
    expect(existsSync(join(out, SYNTH_STAT_JSON))).toBe(false);
    // and the old result is not served from the cache afterwards either
    const third = await runJob(plan, jobWith(good(plan)));
    expect(third.results.find((r) => r.stage === 'synth')?.status).toBe('ran');
  });

  it('garbage output is a failure of the stage naming the file, and nothing is stamped', async () => {
    const out = join(fresh(), 'design');
    const plan = synthOnly(out);
    const garbage = yosysStandIn(bin, 'garbage', `echo 'not json {' > ${SYNTH_STAT_JSON}\necho '{}' > ${netlist(plan)}`);
    const err = await failure(runJob(plan, jobWith(garbage)));
    expect(err.oneLine()).toMatch(/synth stage: yosys finished, but reports\/synth\.stat\.json is not valid JSON/);
    expect(existsSync(join(out, 'build', '.stamps', 'synth.json'))).toBe(false);
    const wrongShape = yosysStandIn(bin, 'wrong-shape', `echo '{"modules": {}}' > ${SYNTH_STAT_JSON}\necho '{}' > ${netlist(plan)}`);
    const err2 = await failure(runJob(plan, jobWith(wrongShape)));
    expect(err2.message).toMatch(/reports\/synth\.stat\.json cannot be read as its result/);
  });

  it('an output changed after its stage ran is not served from the cache', async () => {
    const out = join(fresh(), 'design');
    const plan = synthOnly(out);
    await runJob(plan, jobWith(good(plan)));
    expect((await runJob(plan, jobWith(good(plan)))).results[0]?.status).toBe('cached');
    writeFileSync(join(out, SYNTH_STAT_JSON), '{"edited": true}');
    expect((await runJob(plan, jobWith(good(plan)))).results[0]?.status).toBe('ran');
  });

  it('a wrapper whose child hangs is stopped whole; a deadline stops what runs inside it', async () => {
    const pidFile = join(bin, 'wrapper-child.pid');
    const wrapper = join(bin, 'wrapper');
    writeFileSync(wrapper, `#!/usr/bin/env bash\nsleep 600 &\necho $! > ${JSON.stringify(pidFile)}\nwait\n`);
    chmodSync(wrapper, 0o755);
    const r = await runBounded(wrapper, [], { timeoutMs: 500 });
    expect(r.timedOut).toBe(true);
    expect(await gone(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
    const inner = withDeadline(500, () => runBounded(wrapper, [], { timeoutMs: 60_000 }));
    await expect(inner).rejects.toBeInstanceOf(DeadlineError);
    expect(await gone(Number(readFileSync(pidFile, 'utf8')))).toBe(true);
  });
});

describe('tools before stages', () => {
  it('a tool a later stage needs is checked before the first stage runs', async () => {
    const out = join(fresh(), 'design');
    const plan = buildPlan(resolveDesign({ board: 'tang9k', banks: 4 }), out);
    const err = await failure(runJob(plan, { checks: PIPELINE_CHECKS, until: 'synth', tools: { overrides: { yosys: join(fresh(), 'no-such-yosys') } } }));
    expect(err.oneLine()).toMatch(/^synth stage: yosys is not available/);
    expect(existsSync(join(out, 'logs', 'lint.log'))).toBe(false);
    expect(existsSync(join(out, 'build', '.stamps'))).toBe(false);
  });
});

describe('output folders', () => {
  it('a different design in a folder removes the previous report and outputs, never a user file', async () => {
    const bin = fresh();
    const out = join(fresh(), 'design');
    const a = synthOnly(out, 16);
    const good = yosysStandIn(bin, 'good', `cp ${JSON.stringify(FIXTURE_STAT)} ${SYNTH_STAT_JSON}\necho '{}' > build/$(basename $PWD).json`);
    await runJob({ ...a, stages: a.stages.map((s) => ({ ...s, outputs: [SYNTH_STAT_JSON] })) }, jobWith(good));
    expect(existsSync(join(out, 'report.json'))).toBe(true);
    writeFileSync(join(out, 'reports', 'my-notes.md'), 'mine');
    await runJob(synthOnly(out, 8), { checks: PIPELINE_CHECKS, until: 'generate' });
    expect(existsSync(join(out, 'report.json'))).toBe(false);
    expect(existsSync(join(out, SYNTH_STAT_JSON))).toBe(false);
    expect(readFileSync(join(out, 'reports', 'my-notes.md'), 'utf8')).toBe('mine');
    expect(readManifest(out)?.digest).toBe(synthOnly(out, 8).digest);
  });

  it('two writers on one folder: the second fails at once naming the holder, and the first finishes', async () => {
    const out = join(fresh(), 'design');
    const plan = synthOnly(out);
    let release = () => {};
    const first = withFolder(out, () => new Promise<void>((r) => (release = r)));
    const second = await runJob(plan, { checks: PIPELINE_CHECKS, until: 'generate' }).catch((e: unknown) => e);
    release();
    await first;
    expect(second).toBeInstanceOf(AtomikError);
    expect((second as AtomikError).message).toMatch(/is in use by atomik-gen \(pid \d+/);
    // released: the folder can be written again
    await runJob(plan, { checks: PIPELINE_CHECKS, until: 'generate' });
  });

  it('another process holding the lock blocks the CLI with one line; once it is gone its lock is taken over', async () => {
    const out = join(fresh(), 'design');
    await runJob(synthOnly(out), { checks: PIPELINE_CHECKS, until: 'generate' });
    const holder = spawn('sleep', ['60'], { stdio: 'ignore' });
    writeFileSync(join(out, '.atomik-gen', 'lock'), JSON.stringify({ pid: holder.pid, host: (await import('node:os')).hostname(), command: 'atomik-gen sweep', started: 'now' }));
    const busy = await run(process.execPath, [CLI, 'generate', '--banks', '16', '--out', out]).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(busy?.code).toBe(1);
    expect(busy?.stderr.trim().split('\n')).toHaveLength(1);
    expect(busy?.stderr).toMatch(/is in use by atomik-gen \(pid \d+, since now: atomik-gen sweep\)/);
    holder.kill('SIGKILL');
    await gone(holder.pid!);
    await run(process.execPath, [CLI, 'generate', '--banks', '16', '--out', out]);
    expect(existsSync(join(out, '.atomik-gen', 'lock'))).toBe(false);
  });

  it('hostile folder names are data, never code', async () => {
    const parent = fresh();
    const out = join(parent, `it's a $(touch PWNED) folder; rm -rf x`, 'out');
    await runJob(synthOnly(out), { checks: PIPELINE_CHECKS, until: 'generate' });
    const script = readFileSync(join(out, 'build.sh'), 'utf8');
    expect(script).not.toContain('PWNED');
    expect(readdirSync(parent)).toHaveLength(1);
    expect(existsSync(join(parent, 'PWNED'))).toBe(false);
  });

  it('a repeated axis value gives one sweep point, so no two points share a folder', () => {
    const points = sweepInputs({ boards: ['tang9k', 'tang9k'], banks: [4, 4, 8], widths: [64], modes: ['round-robin'], clocks: [] });
    expect(points.map((p) => p.banks)).toEqual([4, 8]);
  });
});

describe('interrupting a run', () => {
  it('Ctrl-C stops the running tool with everything it started, releases the folder and leaves no stamp', async () => {
    const bin = fresh();
    const out = join(fresh(), 'design');
    const pidFile = join(bin, 'interrupted-child.pid');
    const hung = yosysStandIn(bin, 'hangs', `sleep 600 & echo $! > ${JSON.stringify(pidFile)}\nwait`);
    // the job's synth stage alone, in a node process with the CLI's interrupt handling
    const script = join(bin, 'job.mjs');
    writeFileSync(
      script,
      [
        `import { installInterruptHandler } from ${JSON.stringify(join(ROOT, 'dist', 'cli', 'interrupt.js'))};`,
        `import { buildPlan } from ${JSON.stringify(join(ROOT, 'dist', 'generator', 'plan', 'plan.js'))};`,
        `import { resolveDesign } from ${JSON.stringify(join(ROOT, 'dist', 'generator', 'design', 'design.js'))};`,
        `import { runJob } from ${JSON.stringify(join(ROOT, 'dist', 'generator', 'run', 'pipeline.js'))};`,
        `import { PIPELINE_CHECKS } from ${JSON.stringify(join(ROOT, 'dist', 'verify', 'stage.js'))};`,
        'installInterruptHandler();',
        `const plan = buildPlan(resolveDesign({ board: 'tang9k', banks: 4 }), ${JSON.stringify(out)});`,
        "const only = { ...plan, stages: plan.stages.filter((s) => s.name === 'synth') };",
        `await runJob(only, { checks: PIPELINE_CHECKS, until: 'synth', tools: { overrides: { yosys: ${JSON.stringify(hung)} } } });`,
      ].join('\n'),
    );
    const job = spawn(process.execPath, [script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    job.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const until = Date.now() + 30_000;
    while (!existsSync(pidFile) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    job.kill('SIGINT');
    const code = await new Promise<number | null>((r) => job.on('exit', (c) => r(c)));
    expect(code).toBe(130);
    expect(stderr).toMatch(/interrupted/);
    expect(await gone(grandchild)).toBe(true);
    expect(existsSync(join(out, '.atomik-gen', 'lock'))).toBe(false);
    expect(existsSync(join(out, 'build', '.stamps', 'synth.json'))).toBe(false);
  });
});

describe('bad run settings are one line', () => {
  const cases: [string, string[], RegExp][] = [
    ['a time limit that is not a number', ['--timeout', 'synth=abc'], /--timeout: a time limit must be seconds from 1 to \d+, got "abc"/],
    ['a time limit of 0', ['--timeout', '0'], /--timeout: a time limit must be seconds from 1/],
    ['an unknown stage', ['--timeout', 'route=60'], /--timeout: unknown stage "route"/],
    ['an empty output folder name', ['--out', ''], /--out: the output folder is empty text/],
    ['a system folder', ['--out', '/proc/atomik'], /--out: \/proc\/atomik is a system folder/],
  ];
  it.each(cases)('%s', async (_, args, message) => {
    const cwd = fresh();
    const r = await run(process.execPath, [CLI, '--until', 'generate', ...args], { cwd }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('a config file sets stage time limits, checked like any field', async () => {
    const cwd = fresh();
    writeFileSync(join(cwd, 'atomik.config.ts'), "export default { banks: 4, timeouts: { synth: 'soon' } };\n");
    const r = await run(process.execPath, [CLI, 'generate'], { cwd }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/atomik\.config\.ts:1:\d+: a time limit must be seconds/);
  });
});
