// Output folders: atomik-gen writes only into folders it created (or found empty), marks them with `.atomik-gen/`, and
// keeps there a manifest of every file it wrote, so it replaces and removes only its own files. One writer at a time:
// a command that writes a folder holds its lock (`.atomik-gen/lock`, created with O_EXCL, naming the holder) for as
// long as it runs; a second writer fails at once and names the holder. A lock whose holder is gone is taken over.
import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { AtomikError } from '../common/errors.js';
import { shownPath as shown } from '../common/shown.js';
import { acquireLock } from '../common/lock.js';
import { GENERATOR_VERSION } from '../common/version.js';

export const MARK_DIR = '.atomik-gen';
const MANIFEST = join(MARK_DIR, 'manifest.json');
const LOCK = join(MARK_DIR, 'lock');

/** `plan`: a file of the design (build.json lists it); `run`: a stage's output, log, stamp or work folder. */
export type Owner = 'plan' | 'run';

export interface Manifest {
  readonly kind: 'atomik-gen-output';
  readonly generator: string;
  /** The design whose files the folder holds; null before the first design is written. */
  digest: string | null;
  /** Every path atomik-gen wrote, relative to the folder; a path ending in `/` is a folder atomik-gen created whole. */
  files: Record<string, Owner>;
}

export function readManifest(dir: string): Manifest | undefined {
  const path = join(dir, MANIFEST);
  if (!existsSync(path)) return undefined;
  try {
    const json = JSON.parse(readFileSync(path, 'utf8')) as Partial<Manifest>;
    if (json.kind !== 'atomik-gen-output' || typeof json.files !== 'object' || json.files === null) throw new Error('not a manifest');
    const files: Record<string, Owner> = Object.create(null) as Record<string, Owner>;
    for (const [k, v] of Object.entries(json.files)) if (v === 'plan' || v === 'run') files[k] = v;
    return { kind: 'atomik-gen-output', generator: String(json.generator), digest: typeof json.digest === 'string' ? json.digest : null, files };
  } catch {
    throw new AtomikError(`${shown(path)} is unreadable, so atomik-gen cannot tell which files in the folder are its own`, {
      where: shown(dir),
      hint: 'delete the folder if nothing in it is yours, or choose another --out',
    });
  }
}

export function writeManifest(dir: string, manifest: Manifest): void {
  const sorted = Object.fromEntries(Object.entries(manifest.files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const tmp = join(dir, `${MANIFEST}.tmp-${process.pid}`);
  writeFileSync(tmp, JSON.stringify({ ...manifest, generator: `atomik-gen ${GENERATOR_VERSION}`, files: sorted }, null, 2) + '\n');
  renameSync(tmp, join(dir, MANIFEST));
}

function isSameOrAncestor(folder: string, of: string): boolean {
  return of === folder || of.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}

/**
 * Makes `dir` an atomik-gen folder, or confirms it is one, and returns its manifest. Refused: a file, a non-empty
 * folder without a manifest, the current folder or one of its parents unless already ours. A folder made here that a
 * later step fails to fill is removed by `abandon`.
 */
export function claimFolder(dir: string): { manifest: Manifest; created: boolean } {
  if (dir.trim() === '') throw new AtomikError('the output folder is empty text', { where: '--out', hint: 'name a folder, e.g. out/<design>' });
  const out = resolve(dir);
  if (/^\/(proc|sys|dev)(\/|$)/.test(out)) throw new AtomikError(`${out} is a system folder, not a place for files`, { where: '--out', hint: 'name a folder of your own' });
  const where = shown(out);
  if (existsSync(out)) {
    if (!statSync(out).isDirectory()) throw new AtomikError(`${where} is a file, not a folder`, { where: '--out', hint: 'name a new or empty folder' });
    const manifest = readManifest(out);
    if (manifest) return { manifest, created: false };
    if (isSameOrAncestor(out, process.cwd())) {
      throw new AtomikError(`${where} is the current folder or one of its parents, and atomik-gen did not create it`, {
        where: '--out',
        hint: 'name a new folder, e.g. out/<design>',
      });
    }
    if (readdirSync(out).length > 0) {
      throw new AtomikError(`${where} is not empty and was not created by atomik-gen (no ${MARK_DIR}/ in it): atomik-gen writes only into folders it created`, {
        where: '--out',
        hint: 'name a new or empty folder',
      });
    }
  }
  const created = !existsSync(out);
  try {
    mkdirSync(join(out, MARK_DIR), { recursive: true });
  } catch (err) {
    throw new AtomikError(`cannot create ${where}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, { where: '--out', hint: 'name a folder you can write' });
  }
  const manifest: Manifest = { kind: 'atomik-gen-output', generator: `atomik-gen ${GENERATOR_VERSION}`, digest: null, files: Object.create(null) as Record<string, Owner> };
  writeManifest(out, manifest);
  return { manifest, created };
}

/** Records paths (relative to the folder; a trailing `/` for a whole folder) as atomik-gen's, before they are written. */
export function recordOwned(dir: string, paths: readonly string[], owner: Owner = 'run'): void {
  const out = resolve(dir);
  const manifest = readManifest(out) ?? claimFolder(out).manifest;
  let changed = false;
  for (const p of paths) {
    if (manifest.files[p] === undefined) {
      manifest.files[p] = owner;
      changed = true;
    }
  }
  if (changed) writeManifest(out, manifest);
}

/** Removes one path the manifest names (a file, or a folder atomik-gen created whole); nothing else. */
export function removeOwned(dir: string, path: string): void {
  rmSync(join(dir, path), { recursive: path.endsWith('/'), force: true });
}

// ---------------------------------------------------------------------------------------------------------------------
// The lock

/** Folders this async context holds the lock of (work inside a withFolder of the same folder shares it). */
const holding = new AsyncLocalStorage<ReadonlySet<string>>();

/**
 * Runs `work` holding the folder's lock: the folder is claimed (created and marked, or confirmed ours) and locked for
 * the whole run. Work started inside another withFolder of the same folder (the cross-check inside the pipeline's
 * verify stage) shares that lock; any other writer, in this process or another, is refused at once.
 */
export async function withFolder<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const out = resolve(dir);
  const mine = holding.getStore();
  if (mine?.has(out)) return work();
  const { created } = claimFolder(dir);
  let release: () => void;
  try {
    release = acquireLock(
      join(out, LOCK),
      (holder) =>
        new AtomikError(`${shown(out)} is in use by ${holder}`, {
          where: '--out',
          hint: `wait for it to finish or choose another --out; if that run no longer exists, delete ${shown(join(out, LOCK))}`,
        }),
    );
  } catch (err) {
    if (created) rmSync(out, { recursive: true, force: true });
    throw err;
  }
  try {
    return await holding.run(new Set([...(mine ?? []), out]), work);
  } finally {
    release();
  }
}
