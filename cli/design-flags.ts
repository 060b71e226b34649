// The design flags every design-taking command accepts, and how flags plus an optional config file become a Design.
// A config file (`--config`, or ./atomik.config.ts when present) gives the base; flags override it; errors point at the
// flag or at the config file's line and column.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { DEFAULT_CONFIG_NAME, readConfigFile } from '../generator/design/config-file.js';
import { DESIGN_FLAGS, defaultOutDir, flagLocate, resolveDesign, type Design, type Locate } from '../generator/design/design.js';
import { AtomikError } from '../generator/common/errors.js';
import { TOOLS, type FindToolOptions } from '../generator/tools/tools.js';

/** Parsed command-line arguments. */
export type Args = Record<string, unknown>;

/** A whole-number flag, `fallback` when absent. */
export function wholeFlag(argv: Args, flag: string, fallback: number, min: number): number {
  if (argv[flag] === undefined) return fallback;
  const n = Number(argv[flag]);
  if (!Number.isSafeInteger(n) || n < min) throw new AtomikError(`must be a whole number >= ${min}, got ${String(argv[flag])}`, { where: `--${flag}` });
  return n;
}

/** Adds the design flags, --config and --out to a command. */
export function withDesignFlags<T>(y: Argv<T>): Argv<T> {
  let out = y;
  for (const [flag, spec] of Object.entries(DESIGN_FLAGS)) {
    out = out.option(flag, { type: flag === 'bench' ? 'boolean' : 'string', describe: spec.describe, group: 'Design:' });
  }
  return out
    .option('config', { type: 'string', describe: `design file (default: ./${DEFAULT_CONFIG_NAME} when present)`, group: 'Design:' })
    .option('out', { type: 'string', describe: 'output folder (default: out/<board>-b<banks>-w<width>)', group: 'Design:' });
}

/** A flag's text as a config file would hold it: numbers become numbers, true/false booleans, the rest stays text. */
export function flagValue(text: string): unknown {
  const t = text.trim();
  if (t === 'true' || t === 'false') return t === 'true';
  return /^[+-]?(\d+\.?\d*|\.\d+)$/.test(t) ? Number(t) : text;
}

/** The validated design and output folder from parsed arguments. */
export function designFromArgs(argv: Record<string, unknown>): { design: Design; outDir: string; tools: FindToolOptions } {
  const configPath = typeof argv.config === 'string' ? resolve(argv.config) : resolve(DEFAULT_CONFIG_NAME);
  const config = typeof argv.config === 'string' || existsSync(configPath) ? readConfigFile(configPath) : undefined;
  const input: Record<string, unknown> = { ...(config?.values ?? {}) };
  const fromFlags = new Map<string, string>();
  for (const [flag, spec] of Object.entries(DESIGN_FLAGS)) {
    const raw = argv[flag];
    if (raw === undefined) continue;
    if (Array.isArray(raw)) throw new AtomikError('given more than once', { where: `--${flag}` });
    const value = flagValue(String(raw));
    const [head, sub] = spec.field.split('.') as [string, string | undefined];
    if (sub) input[head] = { ...((input[head] as object | undefined) ?? {}), [sub]: value };
    else input[head] = value;
    fromFlags.set(spec.field, `--${flag}`);
  }
  const locate: Locate = (path) => {
    const flag = fromFlags.get(path.map(String).join('.')) ?? fromFlags.get(String(path[0]));
    if (flag) return flag;
    return config ? config.locate(path) : flagLocate(path);
  };
  const design = resolveDesign(input, locate);
  const overrides = (input.tools ?? {}) as Record<string, string>;
  for (const id of Object.keys(overrides)) {
    if (!(id in TOOLS)) {
      throw new AtomikError(`unknown tool "${id}"`, { where: locate(['tools', id]), hint: `tools: ${Object.keys(TOOLS).join(', ')}` });
    }
  }
  return { design, outDir: typeof argv.out === 'string' ? argv.out : defaultOutDir(design), tools: { overrides } };
}
