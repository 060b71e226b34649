// The package as a user gets it: `npm pack`, `npm install` of the tarball into a fresh project, `npx atomik-gen setup`
// (the pinned Python tools from PyPI into a per-user cache, here a temporary XDG_CACHE_HOME), a bitstream, `doctor`;
// then a machine without the tools, where `doctor` must fail naming `atomik-gen setup`.
// Needs the build (`npm test` builds first) and the network (npm registry, PyPI). pip's download cache and YoWASP's
// compiled-WebAssembly cache stay the real ones, so a second run does not download or compile again.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../generator/common/version.js';
import { toolchainLocation, userCacheHome } from '../generator/tools/toolchain-dir.js';

const root = packageRoot();
const scratch = mkdtempSync(join(tmpdir(), 'atomik-package-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The environment of a user's shell: none of npm's own variables (from `npm test`), none of atomik-gen's overrides. */
function userEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|ATOMIK_|INIT_CWD$|XDG_CACHE_HOME$)/i.test(k)) continue;
    env[k] = v;
  }
  return { ...env, FORCE_COLOR: '0', ...extra };
}

const timings: string[] = [];
async function timed<T>(what: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  try {
    return await work();
  } finally {
    timings.push(`${what}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

function run(cmd: string, args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; timeout?: number }) {
  return execa(cmd, args, { cwd: opts.cwd, env: opts.env, timeout: opts.timeout ?? 10 * 60_000, reject: false, extendEnv: false, all: true });
}

describe('the npm package, installed into a fresh project [real tools]', () => {
  it('npm install, npx atomik-gen setup, a bitstream, doctor; without the tools doctor fails naming setup', { timeout: 15 * 60_000 }, async () => {
    expect(existsSync(join(root, 'dist', 'cli', 'main.js')), 'run `npm run build` first (npm test does)').toBe(true);
    const realCache = userCacheHome(process.env);
    const cache = join(scratch, 'xdg-cache');
    const env = userEnv({
      XDG_CACHE_HOME: cache,
      PIP_CACHE_DIR: process.env.PIP_CACHE_DIR ?? join(realCache, 'pip'),
      YOWASP_CACHE_DIR: process.env.YOWASP_CACHE_DIR ?? join(realCache, 'YoWASP'),
    });

    // the tarball: the built files as they are (no prepare script: other tests read dist/ meanwhile)
    const packDir = join(scratch, 'pack');
    mkdirSync(packDir);
    const pack = await timed('npm pack', () => run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], { cwd: root, env }));
    expect(pack.exitCode, pack.all).toBe(0);
    const [{ filename, files }] = JSON.parse(pack.stdout) as [{ filename: string; files: { path: string }[] }];
    expect(files.map((f) => f.path)).toContain('scripts/requirements-tools.txt');
    expect(files.some((f) => f.path.startsWith('.toolchain/'))).toBe(false);

    // a fresh project that installs it
    const project = join(scratch, 'project');
    mkdirSync(project);
    expect((await run('npm', ['init', '-y'], { cwd: project, env })).exitCode).toBe(0);
    const install = await timed('npm install <tarball>', () => run('npm', ['install', '--no-audit', '--no-fund', join(packDir, filename)], { cwd: project, env }));
    expect(install.exitCode, install.all).toBe(0);

    const npx = (args: string[], e: NodeJS.ProcessEnv = env) => run('npx', ['atomik-gen', ...args], { cwd: project, env: e, timeout: 12 * 60_000 });

    const setup = await timed('npx atomik-gen setup (first)', () => npx(['setup']));
    expect(setup.exitCode, setup.all).toBe(0);
    const toolchain = toolchainLocation(env, join(project, 'node_modules', 'atomik-gen'));
    expect(toolchain.dir.startsWith(join(cache, 'atomik-gen', 'toolchain-'))).toBe(true);
    expect(setup.stdout).toContain(`setup: Python tools: installed into ${toolchain.venv}`);
    expect(existsSync(join(toolchain.venv, '.atomik-setup.json'))).toBe(true);

    // again: nothing to install, seconds
    const again = await timed('npx atomik-gen setup (again)', () => npx(['setup']));
    expect(again.exitCode, again.all).toBe(0);
    expect(again.stdout).toContain('skipping pip');

    const job = await timed('npx atomik-gen --board tang9k --banks 4', () => npx(['--board', 'tang9k', '--banks', '4']));
    expect(job.exitCode, job.all).toBe(0);
    const report = JSON.parse(readFileSync(join(project, 'out', 'tang9k-b4-w64', 'report.json'), 'utf8')) as {
      bitstream: { path: string; sha256: string; bytes: number } | null;
      tools: { id: string; path: string; source: string }[];
    };
    expect(report.bitstream?.bytes).toBeGreaterThan(0);
    expect(existsSync(join(project, 'out', 'tang9k-b4-w64', report.bitstream!.path))).toBe(true);
    for (const id of ['yosys', 'nextpnr-himbaechel', 'gowin_pack']) {
      const tool = report.tools.find((t) => t.id === id);
      expect(tool, id).toMatchObject({ source: 'toolchain' });
      expect(tool!.path.startsWith(`${toolchain.venv}/`), `${id}: ${tool!.path}`).toBe(true);
    }

    const doctor = await timed('npx atomik-gen doctor', () => npx(['doctor']));
    expect(doctor.exitCode, doctor.all).toBe(0);
    expect(doctor.stdout).toMatch(/^yosys\s+0\.\d+\s+toolchain\s/m);

    // a user who has not run setup: an empty cache and a PATH with node alone (so no yosys, no verilator)
    const bare = join(scratch, 'bare-bin');
    mkdirSync(bare);
    symlinkSync(process.execPath, join(bare, 'node'));
    const emptyCache = join(scratch, 'empty-cache');
    mkdirSync(emptyCache);
    const bareEnv = { ...env, PATH: bare, XDG_CACHE_HOME: emptyCache };
    // node runs the installed bin directly: npx itself needs a shell on PATH
    const missing = await run(process.execPath, [join(project, 'node_modules', '.bin', 'atomik-gen'), 'doctor'], { cwd: project, env: bareEnv });
    expect(missing.exitCode, missing.all).toBe(1);
    expect(missing.stdout).toMatch(/^yosys\s+missing\s.*run: npx atomik-gen setup/m);
    expect(missing.stderr).toMatch(/^atomik-gen: error: doctor: .*yosys.* missing: the tang9k flow needs them .*\(run: npx atomik-gen setup\)$/m);
    expect(readdirSync(emptyCache)).toEqual([]);

    console.log(`package test timings:\n  ${timings.join('\n  ')}`);
  });
});
