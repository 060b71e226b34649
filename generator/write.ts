// Writes a build plan's files. Everything is written into a fresh temporary folder beside the output folder first and
// then moved into place entry by entry, so a failure never leaves a half-written design. Tool outputs of earlier runs
// (build/, reports/, logs/) stay where they are.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { BuildPlan } from './plan.js';
import { AtomikError } from './errors.js';

export function writePlan(plan: BuildPlan): string {
  const out = resolve(plan.outDir);
  const parent = dirname(out);
  try {
    mkdirSync(parent, { recursive: true });
  } catch (err) {
    throw new AtomikError(`cannot create ${parent}: ${(err as Error).message}`, { where: '--out' });
  }
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
    for (const entry of readdirSync(staging)) {
      if (existsSync(join(out, entry))) renameSync(join(out, entry), join(trash, entry));
      renameSync(join(staging, entry), join(out, entry));
    }
    return out;
  } catch (err) {
    throw new AtomikError(`writing the design failed: ${(err as Error).message}`, { where: out, cause: err });
  } finally {
    rmSync(staging, { recursive: true, force: true });
    rmSync(trash, { recursive: true, force: true });
  }
}
