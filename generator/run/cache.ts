// Stage cache: a stage is served from the previous run when its key (design digest, the stage's commands, the content
// of every input file, and the path and version of each of its tools) matches the stamp the last successful run left,
// and every output file still has the content that run validated. A stage's stamp is removed before the stage runs, so
// a failed or interrupted rerun never leaves the old stamp standing beside new, partial outputs.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VerificationSummary } from '../report/report.js';
import { stageFileName, type Stage } from '../tools/stage.js';
import type { FoundTool } from '../tools/tools.js';

export interface Stamp {
  readonly key: string;
  readonly seconds: number;
  /** sha256 of each output as validated when the stage ran. */
  readonly outputs: Readonly<Record<string, string>>;
  /** A check stage's outcome, reported again when the stage is served from the cache. */
  readonly verification?: VerificationSummary;
}

const STAMPS = join('build', '.stamps');

/** Where a stage's stamp lives, relative to the output folder. */
export function stampPath(stage: Stage): string {
  return join(STAMPS, `${stageFileName(stage)}.json`);
}

export function stageKey(out: string, digest: string, stage: Stage, tools: readonly FoundTool[]): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ digest, stage: stage.name, commands: stage.commands, check: stage.check ?? null, tools: tools.map((t) => `${t.id}@${t.version}:${t.path}`) }));
  for (const input of stage.inputs) {
    hash.update(`\0${input}\0`);
    hash.update(readFileSync(join(out, input)));
  }
  return hash.digest('hex');
}

export function fileHash(path: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return undefined;
  }
}

export function readStamp(out: string, stage: Stage): Stamp | undefined {
  try {
    const stamp = JSON.parse(readFileSync(join(out, stampPath(stage)), 'utf8')) as Stamp;
    return typeof stamp.key === 'string' && typeof stamp.outputs === 'object' && stamp.outputs !== null ? stamp : undefined;
  } catch {
    return undefined;
  }
}

/** The stamp when the stage can be served from the cache: same key, and every output unchanged since it was validated. */
export function isCached(out: string, stage: Stage, key: string): Stamp | undefined {
  const stamp = readStamp(out, stage);
  if (!stamp || stamp.key !== key) return undefined;
  return stage.outputs.every((o) => stamp.outputs[o] !== undefined && fileHash(join(out, o)) === stamp.outputs[o]) ? stamp : undefined;
}

/** Removes a stage's stamp: from now until it is written again, the stage counts as not run. */
export function invalidateStamp(out: string, stage: Stage): void {
  rmSync(join(out, stampPath(stage)), { force: true });
}

export function writeStamp(out: string, stage: Stage, stamp: Stamp): void {
  mkdirSync(join(out, STAMPS), { recursive: true });
  const path = join(out, stampPath(stage));
  writeFileSync(`${path}.tmp`, JSON.stringify(stamp) + '\n');
  renameSync(`${path}.tmp`, path);
}
