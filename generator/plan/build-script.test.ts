// build.sh as a user runs it: the same bytes wherever atomik-gen is installed and whatever the output folder is called,
// every word quoted (a folder named `$(touch PWNED)` runs nothing), and the tools found when it runs (override
// variable, PATH, $ATOMIK_TOOLCHAIN), checked before any stage. The real runs use stand-in tools that log their argv.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../common/version.js';
import { resolveDesign } from '../design/design.js';
import { TOOLS, type ToolId } from '../tools/tools.js';
import { buildPlan, type BuildPlan } from './plan.js';

const onWindows = process.platform === 'win32';
const NASTY = join('x y', '$(touch PWNED)', "it's out");
const BASH = '/bin/bash';

const gowin = resolveDesign({ board: 'tang9k', bench: true });
const zynq = resolveDesign({ board: 'zynq7020' });

function content(plan: BuildPlan, path: string): string {
  const file = plan.files.find((f) => f.path === path);
  if (!file) throw new Error(`no ${path} in the plan`);
  return file.content;
}

const scratchDirs: string[] = [];
function scratch(): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'atomik-buildsh-')));
  scratchDirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true });
});

/** Every file named PWNED under `dir`. */
function pwned(dir: string): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.name === 'PWNED') hits.push(p);
      if (entry.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return hits;
}

/** The stand-in for a program: appends one line to the log (its name, cwd and argv, split by \x1f) and exits 0. */
function standIn(file: string, name: string, log: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  writeFileSync(file, `#!${BASH}\n{ printf '%s\\x1f%s' ${q(name)} "$PWD"; printf '\\x1f%s' "$@"; printf '\\n'; } >> ${q(log)}\n`);
  chmodSync(file, 0o755);
}

interface Invocation {
  readonly program: string;
  readonly cwd: string;
  readonly args: string[];
}

function invocations(log: string): Invocation[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [program, cwd, ...args] = l.split('\x1f');
      return { program: program!, cwd: cwd!, args };
    });
}

/** The tools build.sh runs, in order of first use. */
function usedTools(plan: BuildPlan): ToolId[] {
  return [...new Set(plan.stages.flatMap((s) => s.commands.map((c) => c.tool)))];
}

/** What the stand-ins should have logged: every stage's commands, in order. */
function expected(plan: BuildPlan, out: string, program: (id: ToolId) => string = (id) => TOOLS[id].commands[0]!): Invocation[] {
  return plan.stages.flatMap((s) => s.commands.map((c) => ({ program: program(c.tool), cwd: out, args: [...c.args] })));
}

interface Setup {
  readonly root: string;
  readonly out: string;
  readonly log: string;
  readonly fakebin: string;
  /** dirname and mkdir only (build.sh's own external commands): a PATH without any real EDA tool. */
  readonly sysbin: string;
}

/** Writes the plan's files into a folder whose path holds a space, `$(touch PWNED)` and a quote; stand-ins for `tools`. */
function setup(plan: BuildPlan, tools: readonly ToolId[]): Setup {
  const root = scratch();
  const out = join(root, NASTY);
  for (const f of plan.files) {
    const p = join(out, f.path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, f.content);
  }
  chmodSync(join(out, 'build.sh'), 0o755);
  const log = join(root, 'stand-ins.log');
  const fakebin = join(root, 'fake bin');
  mkdirSync(fakebin);
  for (const id of tools) standIn(join(fakebin, TOOLS[id].commands[0]!), TOOLS[id].commands[0]!, log);
  const sysbin = join(root, 'sysbin');
  mkdirSync(sysbin);
  for (const cmd of ['dirname', 'mkdir']) {
    const real = ['/usr/bin', '/bin'].map((d) => join(d, cmd)).find((p) => existsSync(p));
    if (!real) throw new Error(`no ${cmd} in /usr/bin or /bin`);
    symlinkSync(real, join(sysbin, cmd));
  }
  return { root, out, log, fakebin, sysbin };
}

/** Runs build.sh by its full path from `cwd`, with only PATH (and `env`) set: no ATOMIK_* from the test's environment. */
function runBuild(s: Setup, path: string, env: Record<string, string> = {}, cwd = s.root) {
  return execa(BASH, [join(s.out, 'build.sh')], { cwd, env: { PATH: path, ...env }, extendEnv: false, reject: false, stdin: 'ignore' });
}

describe('build.sh', () => {
  it('is the same bytes, and so is build.json, whatever the output folder is called', () => {
    for (const design of [gowin, zynq]) {
      const a = buildPlan(design, '/tmp/a/out');
      const b = buildPlan(design, `/tmp/x y/$(touch PWNED)/out`);
      const c = buildPlan(design, 'out/relative');
      for (const path of ['build.sh', 'build.json']) {
        expect(content(b, path), path).toBe(content(a, path));
        expect(content(c, path), path).toBe(content(a, path));
      }
      const script = content(a, 'build.sh');
      expect(script).not.toContain(packageRoot());
      expect(script).not.toMatch(/\.\.\//);
      expect(script).toContain('ATOMIK_TOOLCHAIN');
    }
  });

  it.skipIf(onWindows)('parses (bash -n) for every board', async () => {
    for (const design of [gowin, zynq]) {
      const r = await execa(BASH, ['-n'], { input: content(buildPlan(design, 'out'), 'build.sh'), reject: false });
      expect(r.stderr).toBe('');
      expect(r.exitCode).toBe(0);
    }
  });

  it.skipIf(onWindows)('runs every stage in a folder named with a space, $(touch PWNED) and a quote, running nothing else', async () => {
    const plan = buildPlan(gowin, 'out');
    const s = setup(plan, usedTools(plan));
    const r = await runBuild(s, `${s.fakebin}:/usr/bin:/bin`);
    // nothing ran that the folder's name spells: no PWNED in the scratch tree (cwd, output folder, its parents)
    expect(pwned(s.root)).toEqual([]);
    expect(existsSync(join(process.cwd(), 'PWNED'))).toBe(false);
    expect(existsSync(join(tmpdir(), 'PWNED'))).toBe(false);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(invocations(s.log)).toEqual(expected(plan, s.out));
    for (const dir of ['build', 'reports', 'logs']) expect(existsSync(join(s.out, dir)), dir).toBe(true);
  });

  it.skipIf(onWindows)('stops before any stage with one line naming a missing tool and its variable', async () => {
    const plan = buildPlan(gowin, 'out');
    const s = setup(plan, usedTools(plan).filter((id) => id !== 'yosys'));
    const r = await runBuild(s, `${s.fakebin}:${s.sysbin}`);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.split('\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^build\.sh: yosys not found: .*ATOMIK_YOSYS=.*ATOMIK_TOOLCHAIN.*npx atomik-gen doctor/);
    expect(invocations(s.log)).toEqual([]);
    expect(existsSync(join(s.out, 'build'))).toBe(false);
    expect(pwned(s.root)).toEqual([]);

    // a tool with no toolchain copy says so too
    const t = setup(plan, usedTools(plan).filter((id) => id !== 'verilator'));
    const rv = await runBuild(t, `${t.fakebin}:${t.sysbin}`);
    expect(rv.exitCode).toBe(1);
    expect(rv.stderr.trim().split('\n')).toHaveLength(1);
    expect(rv.stderr).toMatch(/^build\.sh: verilator not found: .*ATOMIK_VERILATOR=.*npx atomik-gen doctor/);
    expect(invocations(t.log)).toEqual([]);
  });

  it.skipIf(onWindows)('uses the copy in $ATOMIK_TOOLCHAIN when the native command is absent, and PATH before it', async () => {
    const plan = buildPlan(gowin, 'out');
    const copied: ToolId[] = ['yosys', 'nextpnr-himbaechel', 'gowin_pack'];
    const s = setup(plan, usedTools(plan).filter((id) => !copied.includes(id)));
    const toolchain = join(s.root, 'tool chain $(touch PWNED)', '.toolchain');
    const copyName = (id: ToolId) => TOOLS[id].projectCopy!.split('/').pop()!;
    for (const id of copied) standIn(join(toolchain, TOOLS[id].projectCopy!.replace(/^\.toolchain\//, '')), copyName(id), s.log);
    const program = (id: ToolId) => (copied.includes(id) ? copyName(id) : TOOLS[id].commands[0]!);

    const r = await runBuild(s, `${s.fakebin}:${s.sysbin}`, { ATOMIK_TOOLCHAIN: toolchain });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(invocations(s.log)).toEqual(expected(plan, s.out, program));

    // a relative ATOMIK_TOOLCHAIN counts from where build.sh was started, not from the output folder
    rmSync(s.log);
    const rel = await runBuild(s, `${s.fakebin}:${s.sysbin}`, { ATOMIK_TOOLCHAIN: join('tool chain $(touch PWNED)', '.toolchain') });
    expect(rel.stderr).toBe('');
    expect(rel.exitCode).toBe(0);
    expect(invocations(s.log)).toEqual(expected(plan, s.out, program));

    // a native yosys on PATH wins over the toolchain copy
    rmSync(s.log);
    standIn(join(s.fakebin, 'yosys'), 'yosys', s.log);
    const native = await runBuild(s, `${s.fakebin}:${s.sysbin}`, { ATOMIK_TOOLCHAIN: toolchain });
    expect(native.exitCode).toBe(0);
    expect(invocations(s.log)).toEqual(expected(plan, s.out, (id) => (id === 'yosys' ? 'yosys' : program(id))));
    expect(pwned(s.root)).toEqual([]);
  });

  it.skipIf(onWindows)('takes the override variable first, and stops on one that points nowhere', async () => {
    const plan = buildPlan(gowin, 'out');
    const s = setup(plan, usedTools(plan));
    const mine = join(s.root, "my tools $(touch PWNED)", 'yosys-0.50');
    standIn(mine, 'my-yosys', s.log);
    const r = await runBuild(s, `${s.fakebin}:${s.sysbin}`, { ATOMIK_YOSYS: mine });
    expect(r.exitCode).toBe(0);
    expect(invocations(s.log)).toEqual(expected(plan, s.out, (id) => (id === 'yosys' ? 'my-yosys' : TOOLS[id].commands[0]!)));

    rmSync(s.log);
    const broken = await runBuild(s, `${s.fakebin}:${s.sysbin}`, { ATOMIK_YOSYS: join(s.root, 'nowhere', 'yosys') });
    expect(broken.exitCode).toBe(1);
    expect(broken.stderr.trim().split('\n')).toHaveLength(1);
    expect(broken.stderr).toMatch(/^build\.sh: ATOMIK_YOSYS=.* is not an executable file or a command on PATH/);
    expect(invocations(s.log)).toEqual([]);
    expect(pwned(s.root)).toEqual([]);
  });

  it.skipIf(onWindows)('skips the stages of a missing optional tool with their reason, and runs them when it is there', async () => {
    const plan = buildPlan(zynq, 'out');
    const optional = plan.stages.filter((st) => st.skipWithoutTool);
    expect(optional.map((st) => st.name)).toEqual(['pnr', 'bitstream']);
    const s = setup(plan, usedTools(plan).filter((id) => id !== 'vivado'));
    const r = await runBuild(s, `${s.fakebin}:${s.sysbin}`);
    expect(r.exitCode).toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual(optional.map((st) => `build.sh: skipping ${st.name}: ${st.skipWithoutTool}`));
    const ran = plan.stages.filter((st) => !st.skipWithoutTool);
    expect(invocations(s.log)).toEqual(expected({ ...plan, stages: ran }, s.out));

    rmSync(s.log);
    standIn(join(s.fakebin, 'vivado'), 'vivado', s.log);
    const all = await runBuild(s, `${s.fakebin}:${s.sysbin}`);
    expect(all.stderr).toBe('');
    expect(all.exitCode).toBe(0);
    expect(invocations(s.log)).toEqual(expected(plan, s.out));
  });
});
