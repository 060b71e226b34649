// `atomik-gen doctor` and `atomik-gen setup --check` as a user runs them: the built CLI in a child process.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../generator/common/version.js';
import { findTool } from '../generator/tools/tools.js';

const BIN = join(packageRoot(), 'bin', 'atomik-gen.js');
const scratch = mkdtempSync(join(tmpdir(), 'atomik-doctor-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let folders = 0;
function folder(name: string): string {
  const dir = join(scratch, `${++folders}-${name}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

function cli(args: string[], env: NodeJS.ProcessEnv) {
  return execa(process.execPath, [BIN, ...args], { cwd: folder('cwd'), reject: false, env: { ...env, FORCE_COLOR: '0' }, extendEnv: false });
}

/**
 * A machine with nothing installed: PATH holds node alone and the toolchain folder is empty (ATOMIK_TOOLCHAIN_DIR, so
 * the warm YoWASP cache under the real XDG_CACHE_HOME stays in use for the clone's own .toolchain copies).
 */
function bareEnv(): NodeJS.ProcessEnv {
  const bin = folder('bin');
  symlinkSync(process.execPath, join(bin, 'node'));
  const { PATH: _path, ATOMIK_TOOLCHAIN_DIR: _dir, ...rest } = process.env;
  const env: NodeJS.ProcessEnv = { PATH: bin, ATOMIK_TOOLCHAIN_DIR: folder('empty-toolchain') };
  for (const [k, v] of Object.entries(rest)) if (!k.startsWith('ATOMIK_')) env[k] = v;
  return env;
}

describe('atomik-gen doctor [real tools]', () => {
  it('exits 1 naming `atomik-gen setup` when a tool the default flow needs is missing, after the table', async () => {
    const r = await cli(['doctor'], bareEnv());
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^verilator\s+missing\s+.*run: npx atomik-gen setup/m);
    expect(r.stdout).toMatch(/^vivado\s+missing/m);
    // verilator always; the Gowin tools too unless a clone of an older version still has its .toolchain/venv
    expect(r.stderr.trim()).toMatch(
      /^atomik-gen: error: doctor: verilator(, (yosys|nextpnr-himbaechel|gowin_pack))* missing: the tang9k flow needs (it|them) \(see the table above\) \(run: npx atomik-gen setup\)$/,
    );
  });

  it('--json gives the same facts as data, with the same exit code', async () => {
    const bare = await cli(['doctor', '--json'], bareEnv());
    expect(bare.exitCode).toBe(1);
    const data = JSON.parse(bare.stdout) as { board: string; ok: boolean; missing: string[]; tools: { id: string; found: boolean }[] };
    expect(data.board).toBe('tang9k');
    expect(data.ok).toBe(false);
    expect(data.missing).toContain('verilator');
    expect(data.tools.find((t) => t.id === 'verilator')?.found).toBe(false);
    expect(bare.stderr).toMatch(/run: npx atomik-gen setup/);
    const here = await cli(['doctor', '--board', 'tang9k', '--json'], process.env);
    expect(here.exitCode).toBe(0);
    expect((JSON.parse(here.stdout) as { ok: boolean }).ok).toBe(true);
  });

  it('exits 0 with --board when every tool of that flow is found; an optional-stage tool (vivado) is reported, not fatal', async () => {
    const tang = await cli(['doctor', '--board', 'tang9k'], process.env);
    expect(tang.stderr).toBe('');
    expect(tang.exitCode).toBe(0);
    expect(tang.stdout).toContain('the tang9k flow has every tool it needs (verilator, yosys, nextpnr-himbaechel, gowin_pack)');

    const zynq = await cli(['doctor', '--board', 'zynq7020'], { ...process.env, ATOMIK_VIVADO: '' });
    expect(zynq.exitCode).toBe(0);
    expect(zynq.stdout).toMatch(/the zynq7020 flow has every tool it needs \(verilator, yosys\)/);
    if (/^vivado\s+missing/m.test(zynq.stdout)) expect(zynq.stdout).toContain('vivado (the stages that use it are skipped)');
  });

  it('--board names the flow checked: the Zynq flow needs no Gowin tools', async () => {
    // verilator and yosys by their variables, broken ATOMIK_NEXTPNR and ATOMIK_GOWIN_PACK, nothing else on PATH but node
    const env = { ...bareEnv(), ATOMIK_VERILATOR: (await findTool('verilator')).path, ATOMIK_YOSYS: (await findTool('yosys')).path, ATOMIK_NEXTPNR: join(scratch, 'no-nextpnr'), ATOMIK_GOWIN_PACK: join(scratch, 'no-gowin-pack') };
    const zynq = await cli(['doctor', '--board', 'zynq7020'], env);
    expect(zynq.exitCode, zynq.stderr).toBe(0);
    expect(zynq.stdout).toMatch(/^nextpnr-himbaechel\s+missing/m);
    const tang = await cli(['doctor', '--board', 'tang9k'], env);
    expect(tang.exitCode).toBe(1);
    expect(tang.stderr.trim()).toBe('atomik-gen: error: doctor: nextpnr-himbaechel, gowin_pack missing: the tang9k flow needs them (see the table above) (run: npx atomik-gen setup)');
  });

  it('an unknown --board is one line naming the flag', async () => {
    const r = await cli(['doctor', '--board', 'nope'], process.env);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^atomik-gen: error: --board: unknown board "nope"/);
  });
});

describe('atomik-gen setup --check [real tools]', () => {
  it('reports what is missing, exits 1 naming `atomik-gen setup`, and changes nothing', async () => {
    const env = bareEnv();
    const r = await cli(['setup', '--check'], env);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^setup: Debian packages: missing verilator iverilog openfpgaloader python3 python3-venv$/m);
    expect(r.stdout).toMatch(/^setup: Python tools \(ATOMIK_TOOLCHAIN_DIR\): .*\/venv: not installed$/m);
    expect(r.stderr).toContain('run: npx atomik-gen setup');
    expect(readdirSync(env.ATOMIK_TOOLCHAIN_DIR!)).toEqual([]);
  });

  it('exits 0 on this machine (set up)', async () => {
    const r = await cli(['setup', '--check'], process.env);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('the tang9k flow has every tool it needs');
  });
});
