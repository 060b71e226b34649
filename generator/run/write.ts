// Writes a build plan's files. Everything is written into a fresh temporary folder beside the output folder first and
// then moved into place entry by entry, so a failure never leaves a half-written design. Tool outputs of earlier runs
// (build/, reports/, logs/) stay where they are while the design is the same; a different design drops them.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { RUN_DIRS } from '../plan/files.js';
import type { StagePlan } from '../plan/types.js';
import { AtomikError } from '../common/errors.js';

export function writePlan(plan: StagePlan): string {
  const out = resolve(plan.outDir);
  const parent = dirname(out);
  try {
    mkdirSync(parent, { recursive: true });
  } catch (err) {
    throw new AtomikError(`cannot create ${parent}: ${(err as Error).message}`, { where: '--out' });
  }
  if (existsSync(out)) refuseForeign(out);
  const stamp = `${process.pid}-${Date.now().toString(36)}`;
  const staging = join(parent, `.${basename(out)}.new-${stamp}`);
  const trash = join(parent, `.${basename(out)}.old-${stamp}`);
  try {
    for (const file of plan.files) {
      const path = join(staging, file.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.content, { mode: file.path.endsWith('.sh') ? 0o755 : 0o644 });
    }
    if (!existsSync(out)) {
      renameSync(staging, out);
      return out;
    }
    // Replace the generated entries of an existing output folder; keep everything else (earlier tool outputs).
    mkdirSync(trash);
    if (previousDigest(out) !== plan.digest) {
      // tool outputs of another design: they would describe the wrong hardware
      for (const dir of RUN_DIRS) if (existsSync(join(out, dir))) renameSync(join(out, dir), join(trash, `run-${dir}`));
    }
    const moved: string[] = [];
    try {
      for (const entry of readdirSync(staging)) {
        if (existsSync(join(out, entry))) renameSync(join(out, entry), join(trash, entry));
        moved.push(entry);
        renameSync(join(staging, entry), join(out, entry));
      }
    } catch (err) {
      // put the previous design back as it was
      for (const entry of moved) {
        rmSync(join(out, entry), { recursive: true, force: true });
        if (existsSync(join(trash, entry))) renameSync(join(trash, entry), join(out, entry));
      }
      throw err;
    }
    return out;
  } catch (err) {
    throw new AtomikError(`writing the design failed: ${(err as Error).message}`, { where: out, cause: err });
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(trash, { recursive: true, force: true });
  }
}

/**
 * atomik-gen writes only into folders it created: an existing folder must be empty or hold a build.json of ours.
 * Anything else (the user's project, `--out .`, another tool's output) is refused before a byte is moved.
 */
function refuseForeign(out: string): void {
  if (!statSync(out).isDirectory()) throw new AtomikError(`${out} is a file, not a folder`, { where: '--out', hint: 'name a new or empty folder' });
  if (readdirSync(out).length === 0 || previousDigest(out) !== undefined) return;
  throw new AtomikError(`${out} is not empty and holds no atomik-gen build.json: atomik-gen writes only into folders it created`, {
    where: '--out',
    hint: 'name a new or empty folder',
  });
}

function previousDigest(out: string): string | undefined {
  try {
    const json = JSON.parse(readFileSync(join(out, 'build.json'), 'utf8')) as { generator?: unknown; digest?: unknown };
    return typeof json.generator === 'string' && json.generator.startsWith('atomik-gen') && typeof json.digest === 'string' ? json.digest : undefined;
  } catch {
    return undefined;
  }
}
