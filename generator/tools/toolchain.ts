// `atomik-gen setup`: installs the tools atomik-gen runs, for this user, wherever the package is installed.
//
// - Debian packages (verilator, iverilog, openfpgaloader, and python3-venv when `python3 -m venv` cannot work): with
//   apt-get when running as root and one is missing, else the exact command to run is returned for the caller to print.
// - The pinned Python tools (scripts/requirements-tools.txt, read from the package) into the toolchain folder of
//   toolchain-dir.ts. The venv is built in a sibling folder (venv.<nonce>) and only a finished, warmed-up one is put in
//   place, by renaming a symlink over `venv`: a failed or interrupted install leaves nothing half-made, and the venv's
//   scripts keep the absolute path pip wrote into their #! lines. A stamp in the venv records the pinned set.
//
// Every program runs through runBounded, with a time limit; a failure is one AtomikError naming the step and its log.

import type { Env } from '../common/env.js';
import { createWriteStream, type WriteStream } from 'node:fs';
import { lstat, mkdir, readdir, readFile, readlink, rename, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AtomikError } from '../common/errors.js';
import { acquireLock } from '../common/lock.js';
import { howItEnded, runBounded, type BoundedResult } from './exec.js';
import { clearToolCache, compareVersions, probeTools, searchPath, TOOLS, type ToolId } from './tools.js';
import { toolchainLocation, type ToolchainLocation } from './toolchain-dir.js';

/** The oldest Python the pinned set installs on (numpy 2.4 needs 3.11). */
export const MIN_PYTHON = '3.11';

/** The stamp `atomik-gen setup` writes into a venv once it is complete and warmed up. */
export const STAMP_FILE = '.atomik-setup.json';

const MINUTE = 60_000;
const TIMEOUTS = {
  probe: 2 * MINUTE,
  venv: 10 * MINUTE,
  pip: 30 * MINUTE,
  apt: 30 * MINUTE,
  // a cold YoWASP cache compiles the WebAssembly first: about 40 s for Yosys on 2 cores
  warmup: 15 * MINUTE,
} as const;

/** The Debian package that provides each tool setup installs with apt-get. */
export const DEBIAN_PACKAGES: Readonly<Partial<Record<ToolId, string>>> = {
  verilator: 'verilator',
  iverilog: 'iverilog',
  vvp: 'iverilog',
  openFPGALoader: 'openfpgaloader',
};

/** The programs of the venv setup runs once after installing (and on every setup): the first run is the slow one. */
const WARMUPS: readonly { readonly tool: ToolId; readonly args: readonly string[]; readonly why: string }[] = [
  { tool: 'yosys', args: ['-V'], why: 'the first run compiles its WebAssembly, about 40 s' },
  { tool: 'nextpnr-himbaechel', args: ['--version'], why: 'the first run compiles its WebAssembly' },
  { tool: 'gowin_pack', args: ['-h'], why: 'checks that Apycula imports' },
];

export interface SetupOptions {
  /** Environment for PATH, the toolchain folder and every program run; default process.env. */
  readonly env?: Env;
  /** One progress line per step. */
  readonly say: (line: string) => void;
  /** May apt-get run? Default: when this process runs as root. */
  readonly asRoot?: boolean;
  /** Package root holding the requirements file; default atomik-gen's own. */
  readonly root?: string;
}

export interface PythonState {
  /** python3 on PATH, or undefined. */
  readonly exe: string | undefined;
  readonly version: string | undefined;
  /** `python3 -m venv` can make a venv with pip (Debian splits ensurepip into python3-venv). */
  readonly venv: boolean;
  /** Why it cannot be used, when it cannot. */
  readonly problem: string | undefined;
}

export type ToolchainState =
  | { readonly kind: 'installed'; readonly stamp: Stamp }
  | { readonly kind: 'other-pins' | 'unfinished' | 'absent'; readonly detail: string };

export interface Stamp {
  readonly requirementsSha256: string;
  readonly python: string;
  readonly versions: Readonly<Record<string, string>>;
  readonly finished: string;
}

export interface SetupCheck {
  readonly toolchain: ToolchainLocation;
  readonly state: ToolchainState;
  readonly python: PythonState;
  /** Debian packages to install (empty when none are missing). */
  readonly debianPackages: readonly string[];
  /** Tools missing for a reason apt-get cannot fix (an override that points nowhere), with the reason. */
  readonly notFixable: readonly string[];
}

export interface SetupResult extends SetupCheck {
  /** The command the user must run (as root) when packages are still missing; undefined when none are. */
  readonly pendingCommand: string | undefined;
}

// ---------------------------------------------------------------------------------------------------------------------

/** What is installed and what is missing; changes nothing. */
export async function checkSetup(opts: Pick<SetupOptions, 'env' | 'root'> = {}): Promise<SetupCheck> {
  const env = opts.env ?? process.env;
  const toolchain = toolchainLocation(env, opts.root);
  const [python, debian, state] = await Promise.all([pythonState(env), debianNeeds(env), toolchainState(toolchain)]);
  const packages = [...debian.packages];
  if (python.exe === undefined) packages.push('python3', 'python3-venv');
  else if (python.problem === undefined && !python.venv) packages.push('python3-venv');
  return { toolchain, state, python, debianPackages: [...new Set(packages)], notFixable: debian.notFixable };
}

/** Reports the state of a check as progress lines. */
export function reportCheck(check: SetupCheck, say: (line: string) => void): void {
  const { toolchain, state, python } = check;
  say(`setup: Debian packages: ${check.debianPackages.length === 0 ? 'nothing missing' : `missing ${check.debianPackages.join(' ')}`}`);
  for (const line of check.notFixable) say(`setup: ${line}`);
  const py = python.exe === undefined ? 'python3 not found on PATH' : `python3 ${python.version ?? '?'} (${python.exe})${python.problem ? `: ${python.problem}` : python.venv ? '' : ': no venv module'}`;
  say(`setup: Python: ${py}`);
  say(`setup: Python tools (${toolchain.origin}): ${toolchain.venv}: ${state.kind === 'installed' ? `installed, matches ${toolchain.requirements}` : state.detail}`);
}

/**
 * Installs what is missing: Debian packages (as root), then the pinned Python tools, then warms them up. Progress goes
 * to `opts.say`. Throws an AtomikError naming the step and its log when a step fails; Debian packages it could not
 * install (not root) are returned as `pendingCommand` after the rest was done.
 */
export async function runSetup(opts: SetupOptions): Promise<SetupResult> {
  const env = opts.env ?? process.env;
  const say = opts.say;
  const asRoot = opts.asRoot ?? (process.getuid?.() === 0);
  let check = await checkSetup(opts);
  const { toolchain } = check;
  await mkdir(path.join(toolchain.dir, 'logs'), { recursive: true });
  for (const line of check.notFixable) say(`setup: ${line}`);

  let pendingCommand: string | undefined;
  if (check.debianPackages.length === 0) {
    say('setup: Debian packages: verilator, iverilog, openfpgaloader and python3-venv present, skipping apt-get');
  } else {
    const aptGet = await searchPath('apt-get', env);
    const install = ['apt-get', 'install', '-y', '--no-install-recommends', ...check.debianPackages];
    if (asRoot && aptGet !== undefined) {
      await aptInstall(aptGet, install.slice(1), toolchain, env, say);
      clearToolCache();
      check = await checkSetup(opts);
      if (check.debianPackages.length > 0) {
        throw new AtomikError(`still missing after apt-get: ${check.debianPackages.join(' ')}`, {
          where: 'setup (Debian packages)',
          hint: `log: ${aptLog(toolchain)}; is /usr/bin on PATH?`,
        });
      }
    } else if (aptGet !== undefined) {
      pendingCommand = `sudo apt-get update && sudo ${install.join(' ')}`;
      say(`setup: Debian packages: missing ${check.debianPackages.join(' ')}; not root, so run this, then setup again: ${pendingCommand}`);
    } else {
      pendingCommand = `install with your system's package manager: ${check.debianPackages.join(', ')} (Debian names)`;
      say(`setup: Debian packages: missing ${check.debianPackages.join(' ')}; no apt-get here: ${pendingCommand}`);
    }
  }

  const python = check.python;
  if (python.exe === undefined || python.problem !== undefined || !python.venv) {
    const why = python.exe === undefined ? 'python3 not found on PATH' : (python.problem ?? `python3 (${python.exe}) has no venv module (Debian: python3-venv)`);
    if (pendingCommand === undefined) throw new AtomikError(why, { where: 'setup (Python tools)', hint: `install Python >= ${MIN_PYTHON} with its venv module` });
    say(`setup: Python tools: skipped until the Debian packages are installed (${why})`);
    return { ...check, pendingCommand };
  }
  say(`setup: Python: python3 ${python.version ?? '?'} (${python.exe})`);
  await withLock(toolchain.dir, () => installPythonTools(check, python.exe!, env, say));
  clearToolCache();
  return { ...(await checkSetup(opts)), pendingCommand };
}

// ---------------------------------------------------------------------------------------------------------------------

/** python3 on PATH, its version and whether it can make a venv. */
export async function pythonState(env: Env): Promise<PythonState> {
  const exe = await searchPath('python3', env);
  if (exe === undefined) return { exe, version: undefined, venv: false, problem: undefined };
  // the version first, then the modules `python3 -m venv` needs: a missing one is an ImportError after the version
  const code = "import sys; print('%d.%d.%d' % sys.version_info[:3], flush=True); import ensurepip, venv";
  const r = await runBounded(exe, ['-c', code], { env, extendEnv: false, timeoutMs: TIMEOUTS.probe });
  const version = /^(\d+\.\d+\.\d+)$/m.exec(r.stdout)?.[1];
  if (version === undefined) return { exe, version, venv: false, problem: `\`${exe} -c ...\` ${howItEnded(r)}: ${lastLine(r.all)}` };
  if (compareVersions(version, MIN_PYTHON) < 0) {
    return { exe, version, venv: r.exitCode === 0, problem: `python3 is ${version}; the pinned tools need >= ${MIN_PYTHON}` };
  }
  return { exe, version, venv: r.exitCode === 0, problem: undefined };
}

/** The Debian packages of the tools that are missing, and the missing tools apt-get cannot help (a broken override). */
async function debianNeeds(env: Env): Promise<{ packages: string[]; notFixable: string[] }> {
  const ids = Object.keys(DEBIAN_PACKAGES) as ToolId[];
  const packages: string[] = [];
  const notFixable: string[] = [];
  for (const r of await probeTools(ids, { env })) {
    if (r.ok) continue;
    const spec = TOOLS[r.id];
    const override = env[spec.envVar];
    if (override !== undefined && override !== '') notFixable.push(`${r.id}: ${spec.envVar}=${override} cannot be used; correct or unset it`);
    else packages.push(DEBIAN_PACKAGES[r.id]!);
  }
  return { packages: [...new Set(packages)], notFixable };
}

/** Whether the venv holds the pinned set, read from its stamp. */
export async function toolchainState(toolchain: ToolchainLocation): Promise<ToolchainState> {
  let text: string;
  try {
    text = await readFile(path.join(toolchain.venv, STAMP_FILE), 'utf8');
  } catch {
    const there = await exists(path.join(toolchain.venv, 'bin'));
    return there
      ? { kind: 'unfinished', detail: `holds a venv that atomik-gen setup did not finish; setup replaces it` }
      : { kind: 'absent', detail: 'not installed' };
  }
  try {
    const stamp = JSON.parse(text) as Stamp;
    if (stamp.requirementsSha256 === toolchain.sha256) return { kind: 'installed', stamp };
    return { kind: 'other-pins', detail: `installed for other pins (sha256 ${String(stamp.requirementsSha256).slice(0, 12)}); setup replaces it` };
  } catch {
    return { kind: 'unfinished', detail: `its ${STAMP_FILE} does not parse; setup replaces it` };
  }
}

// ---------------------------------------------------------------------------------------------------------------------

function aptLog(toolchain: ToolchainLocation): string {
  return path.join(toolchain.dir, 'logs', 'apt.log');
}

async function aptInstall(aptGet: string, installArgs: string[], toolchain: ToolchainLocation, env: Env, say: (line: string) => void): Promise<void> {
  const log = aptLog(toolchain);
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  await withLog(log, async (stream) => {
    say('setup: Debian packages: apt-get update');
    await step('Debian packages', 'apt-get update', log, stream, () => logged(stream, aptGet, ['update', '-q'], aptEnv, TIMEOUTS.apt));
    say(`setup: Debian packages: apt-get ${installArgs.join(' ')} (log: ${log})`);
    await step('Debian packages', `apt-get ${installArgs.join(' ')}`, log, stream, () => logged(stream, aptGet, installArgs, aptEnv, TIMEOUTS.apt));
  });
}

async function installPythonTools(check: SetupCheck, python: string, env: Env, say: (line: string) => void): Promise<void> {
  const { toolchain } = check;
  await removeStale(toolchain);
  const current = await toolchainState(toolchain);
  if (current.kind === 'installed') {
    say(`setup: Python tools: ${toolchain.venv} matches ${toolchain.requirements}, skipping pip`);
    try {
      await warmUp(toolchain.venv, toolchain, env, say);
      return;
    } catch (error) {
      if (!(error instanceof AtomikError)) throw error;
      say(`setup: Python tools: the installed copy does not run (${error.message}); installing it again`);
    }
  } else {
    say(`setup: Python tools: ${toolchain.venv}: ${current.detail}`);
  }

  const nonce = `${Date.now().toString(36)}-${process.pid}`;
  const fresh = path.join(toolchain.dir, `venv.${nonce}`);
  const link = path.join(toolchain.dir, `venv.link-${nonce}`);
  const log = path.join(toolchain.dir, 'logs', 'pip.log');
  try {
    await withLog(log, async (stream) => {
      say(`setup: Python tools: python3 -m venv (in ${fresh} until it is complete)`);
      await step('Python tools', 'python3 -m venv', log, stream, () => logged(stream, python, ['-m', 'venv', fresh], env, TIMEOUTS.venv));
      say(`setup: Python tools: pip install -r ${toolchain.requirements} (log: ${log})`);
      const pipEnv = { ...env, PIP_NO_INPUT: '1', PIP_DISABLE_PIP_VERSION_CHECK: '1' };
      const pipArgs = ['-m', 'pip', 'install', '--progress-bar', 'off', '-r', toolchain.requirements];
      await step('Python tools', 'pip install', log, stream, () => logged(stream, path.join(fresh, 'bin', 'python'), pipArgs, pipEnv, TIMEOUTS.pip));
    });
    const versions = await warmUp(fresh, toolchain, env, say);
    const stamp: Stamp = { requirementsSha256: toolchain.sha256, python: python, versions, finished: new Date().toISOString() };
    await writeFile(path.join(fresh, STAMP_FILE), `${JSON.stringify(stamp, null, 2)}\n`);
    // into place: a relative symlink renamed over `venv` (an old real folder is moved aside first)
    await symlink(path.basename(fresh), link);
    const before = await lstat(toolchain.venv).catch(() => undefined);
    if (before !== undefined && !before.isSymbolicLink()) await rename(toolchain.venv, path.join(toolchain.dir, `venv.old-${nonce}`));
    await rename(link, toolchain.venv);
  } catch (error) {
    await rm(link, { force: true });
    await rm(fresh, { recursive: true, force: true });
    throw error;
  }
  await removeStale(toolchain);
  say(`setup: Python tools: installed into ${toolchain.venv}`);
}

/** Runs each warm-up program of the venv; returns the tools' versions as they print them. */
async function warmUp(venv: string, toolchain: ToolchainLocation, env: Env, say: (line: string) => void): Promise<Record<string, string>> {
  const log = path.join(toolchain.dir, 'logs', 'warmup.log');
  const versions: Record<string, string> = {};
  await withLog(log, async (stream) => {
    for (const w of WARMUPS) {
      const copy = TOOLS[w.tool].toolchainCopy!;
      const exe = path.join(venv, path.relative('venv', copy));
      say(`setup: warm-up: ${path.basename(exe)} ${w.args.join(' ')} (${w.why})`);
      const r = await step('warm-up', `${path.basename(exe)} ${w.args.join(' ')}`, log, stream, () => logged(stream, exe, w.args, env, TIMEOUTS.warmup));
      const probe = TOOLS[w.tool].versionProbe;
      const version = probe.kind === 'args' ? probe.pattern.exec(r.all)?.[1] : undefined;
      if (version !== undefined) versions[w.tool] = version;
    }
  });
  return versions;
}

/** Removes venv.* leftovers of earlier runs (an interrupted install, a replaced venv), keeping what `venv` points at. */
async function removeStale(toolchain: ToolchainLocation): Promise<void> {
  const target = await readlink(toolchain.venv).catch(() => undefined);
  for (const name of await readdir(toolchain.dir).catch(() => [] as string[])) {
    if (!name.startsWith('venv.') || name === target) continue;
    await rm(path.join(toolchain.dir, name), { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------------

/** Runs `run`; when its program failed, throws one line naming the step, how it ended, its last output and its log. */
async function step(where: string, what: string, log: string, stream: WriteStream, run: () => Promise<BoundedResult>): Promise<BoundedResult> {
  const r = await run();
  if (r.exitCode === 0) return r;
  stream.write(`\n${what} ${howItEnded(r)}\n`);
  const last = lastLine(r.all);
  throw new AtomikError(`${what} ${howItEnded(r)}${last === '' ? '' : `: ${last}`}`, { where: `setup (${where})`, hint: `log: ${log}` });
}

/** Runs a program with its output appended to the log, a header line first. */
function logged(stream: WriteStream, exe: string, args: readonly string[], env: Env, timeoutMs: number): Promise<BoundedResult> {
  stream.write(`\n$ ${[exe, ...args].join(' ')}\n`);
  return runBounded(exe, args, { env, extendEnv: false, timeoutMs, onLine: (line) => stream.write(`${line}\n`) });
}

async function withLog<T>(file: string, work: (stream: WriteStream) => Promise<T>): Promise<T> {
  await mkdir(path.dirname(file), { recursive: true });
  const stream = createWriteStream(file, { flags: 'a' });
  stream.write(`\n=== atomik-gen setup, ${new Date().toISOString()}\n`);
  try {
    return await work(stream);
  } finally {
    await new Promise<void>((resolve) => stream.end(resolve));
  }
}

/** The last non-empty line of a program's output, as one line. */
function lastLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  return (lines.at(-1) ?? '').slice(0, 300);
}

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(
    () => true,
    () => false,
  );
}

/**
 * One setup at a time per toolchain folder: a lock file naming the process. A lock whose process is gone is taken
 * over; one whose process runs is an error naming it.
 */
async function withLock<T>(dir: string, work: () => Promise<T>): Promise<T> {
  await mkdir(dir, { recursive: true });
  const release = acquireLock(
    path.join(dir, '.setup-lock'),
    (holder) => new AtomikError(`${holder} is installing into ${dir}`, { where: 'setup', hint: 'wait for it to finish, then run setup again' }),
  );
  try {
    return await work();
  } finally {
    release();
  }
}

