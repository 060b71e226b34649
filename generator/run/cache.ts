// Stage cache: a stage is served from the previous run when its key (design digest, the stage's commands, the content
// of every input file and the versions of its tools) matches the stamp the last successful run left, and every output
// file is still there.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VerificationSummary } from '../report/report.js';
import type { Stage } from '../tools/stage.js';
import type { FoundTool } from '../tools/tools.js';

export interface Stamp {
  readonly key: string;
  readonly seconds: number;
  /** A check stage's outcome, reported again when the stage is served from the cache. */
  readonly verification?: VerificationSummary;
}

const STAMPS = join('build', '.stamps');

export function stageKey(out: string, digest: string, stage: Stage, tools: readonly FoundTool[]): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ digest, stage: stage.name, commands: stage.commands, check: stage.check ?? null, tools: tools.map((t) => `${t.id}@${t.version}:${t.path}`) }));
  for (const input of stage.inputs) {
    hash.update(`\0${input}\0`);
    hash.update(readFileSync(join(out, input)));
  }
  return hash.digest('hex');
}

export function readStamp(out: string, stage: Stage): Stamp | undefined {
  try {
    return JSON.parse(readFileSync(join(out, STAMPS, `${stage.name}.json`), 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
}

export function isCached(out: string, stage: Stage, key: string): Stamp | undefined {
  const stamp = readStamp(out, stage);
  if (!stamp || stamp.key !== key) return undefined;
  return stage.outputs.every((o) => existsSync(join(out, o))) ? stamp : undefined;
}

export function writeStamp(out: string, stage: Stage, stamp: Stamp): void {
  mkdirSync(join(out, STAMPS), { recursive: true });
  writeFileSync(join(out, STAMPS, `${stage.name}.json`), JSON.stringify(stamp) + '\n');
}
