// Writes a build plan's files into an atomik-gen folder (generator/run/folder.ts). Every changed file is first written
// under a temporary name beside its place; only when all of them are written do they replace the old ones, so a
// failure (a full disk, a permission) leaves the previous design as it was. Tool outputs of earlier runs stay while the
// design is the same; a different design removes the previous one's report and outputs, and its files the new design
// does not have. Only paths in the folder's manifest are ever replaced or removed.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { StagePlan } from '../plan/types.js';
import { AtomikError } from '../common/errors.js';
import { shownPath } from '../common/shown.js';
import { claimFolder, removeOwned, writeManifest } from './folder.js';

function sameContent(path: string, content: string): boolean {
  try {
    return readFileSync(path, 'utf8') === content;
  } catch {
    return false;
  }
}

function modeOf(path: string): number {
  return path.endsWith('.sh') ? 0o755 : 0o644;
}

export function writePlan(plan: StagePlan): string {
  const { manifest, created } = claimFolder(plan.outDir);
  const out = resolve(plan.outDir);
  const newDesign = manifest.digest !== plan.digest;

  // a file in the way that atomik-gen did not write is the user's: refuse before anything changes
  for (const file of plan.files) {
    if (manifest.files[file.path] === undefined && existsSync(join(out, file.path))) {
      throw new AtomikError(`${shownPath(join(out, file.path))} is in the way: atomik-gen did not write it and will not replace it`, {
        where: '--out',
        hint: 'move the file away or choose another --out',
      });
    }
  }

  const pending: { tmp: string; final: string; mode: number }[] = [];
  try {
    for (const file of plan.files) {
      const final = join(out, file.path);
      if (sameContent(final, file.content)) continue;
      if (existsSync(final) && !statSync(final).isFile()) throw new Error(`${file.path} is a folder, not a file`);
      mkdirSync(dirname(final), { recursive: true });
      const tmp = `${final}.tmp-${process.pid}`;
      pending.push({ tmp, final, mode: modeOf(file.path) });
      writeFileSync(tmp, file.content, { mode: modeOf(file.path) });
    }
  } catch (err) {
    for (const p of pending) rmSync(p.tmp, { force: true });
    if (created) rmSync(out, { recursive: true, force: true });
    throw new AtomikError(`writing the design failed, nothing was changed: ${(err as Error).message}`, { where: shownPath(out), cause: err });
  }

  const wanted = new Set(plan.files.map((f) => f.path));
  if (newDesign) {
    // the previous design's report and tool outputs describe other hardware: they go first
    for (const [path, owner] of Object.entries(manifest.files)) {
      if (owner === 'run') {
        removeOwned(out, path);
        delete manifest.files[path];
      }
    }
  }
  for (const path of wanted) manifest.files[path] = 'plan';
  manifest.digest = null; // until every file is in place
  writeManifest(out, manifest);
  try {
    for (const p of pending) {
      renameSync(p.tmp, p.final);
      chmodSync(p.final, p.mode);
    }
  } catch (err) {
    for (const p of pending) rmSync(p.tmp, { force: true });
    throw new AtomikError(`writing the design failed part way: ${(err as Error).message}`, { where: shownPath(out), hint: 'fix the cause and generate again', cause: err });
  }
  for (const [path, owner] of Object.entries(manifest.files)) {
    if (owner === 'plan' && !wanted.has(path)) {
      removeOwned(out, path);
      delete manifest.files[path];
    }
  }
  manifest.digest = plan.digest;
  writeManifest(out, manifest);
  return out;
}
