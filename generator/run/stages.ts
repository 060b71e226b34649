// Runs the tool stages of a written build plan, in order, through execa with argument arrays. Tools are found and
// their versions checked up front; each stage writes its log to <out>/logs/<stage>.log and is served from the cache
// when nothing it depends on changed. A failing tool stops the run with its name, exit code, the tail of its log and
// the log path.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { execa } from 'execa';
import { isCached, stageKey, writeStamp } from './cache.js';
import { AtomikError } from '../common/errors.js';
import { RUN_DIRS, type BuildPlan, type RunStageName, type Stage } from '../plan/plan.js';
import { silentProgress, type Progress } from './progress.js';
import { findTool, ToolMissingError, type FindToolOptions, type FoundTool, type ToolId } from '../tools/tools.js';

export interface StageResult {
  readonly stage: RunStageName;
  readonly status: 'ran' | 'cached' | 'skipped';
  /** Seconds this run spent (0 when cached or skipped). */
  readonly seconds: number;
  /** Seconds of the run that produced the outputs (the cached run's, when cached). */
  readonly producedInSeconds: number;
  readonly tools: readonly FoundTool[];
  /** Log path relative to the output folder. */
  readonly log: string;
  readonly reason?: string;
}

export interface RunOptions {
  readonly tools?: FindToolOptions;
  readonly progress?: Progress;
  /** Rerun every stage even when cached. */
  readonly force?: boolean;
}

const LOG_TAIL_LINES = 15;

/** Finds every tool the stages use, in parallel; a missing one fails now, before any stage runs. */
async function resolveTools(stages: readonly Stage[], opts: RunOptions): Promise<Map<ToolId, FoundTool | ToolMissingError>> {
  const ids = [...new Set(stages.flatMap((s) => s.commands.map((c) => c.tool)))];
  const found = await Promise.all(
    ids.map((id) =>
      findTool(id, opts.tools).catch((err: unknown) => {
        if (err instanceof ToolMissingError) return err;
        throw err;
      }),
    ),
  );
  const tools = new Map(ids.map((id, i) => [id, found[i]!] as const));
  for (const stage of stages) {
    if (stage.skipWithoutTool) continue;
    for (const c of stage.commands) {
      const t = tools.get(c.tool);
      if (t instanceof ToolMissingError) {
        throw new AtomikError(t.message, { where: `${stage.name} stage` });
      }
    }
  }
  return tools;
}

export async function runStages(plan: BuildPlan, stages: readonly Stage[], opts: RunOptions = {}): Promise<StageResult[]> {
  const out = resolve(plan.outDir);
  for (const dir of RUN_DIRS) mkdirSync(join(out, dir), { recursive: true });
  const tools = await resolveTools(stages, opts);
  const results: StageResult[] = [];
  for (const stage of stages) results.push(await runStage(plan, out, stage, tools, opts));
  return results;
}

async function runStage(
  plan: BuildPlan,
  out: string,
  stage: Stage,
  tools: Map<ToolId, FoundTool | ToolMissingError>,
  opts: RunOptions,
): Promise<StageResult> {
  const progress = opts.progress ?? silentProgress;
  const log = join('logs', `${stage.name}.log`);
  const stageTools = stage.commands.map((c) => tools.get(c.tool)!);
  const missing = stageTools.find((t) => t instanceof ToolMissingError);
  if (missing) {
    const reason = stage.skipWithoutTool ?? missing.message;
    progress.skipped(stage.name, reason);
    return { stage: stage.name, status: 'skipped', seconds: 0, producedInSeconds: 0, tools: [], log, reason };
  }
  const used = stageTools as FoundTool[];
  const describe = used.map((t) => `${t.id} ${t.version ?? '(version unknown)'}`).join(', ');
  const key = stageKey(out, plan.digest, stage, used);
  const stamp = opts.force ? undefined : isCached(out, stage, key);
  if (stamp) {
    progress.cached(stage.name, describe);
    return { stage: stage.name, status: 'cached', seconds: 0, producedInSeconds: stamp.seconds, tools: used, log };
  }

  const started = performance.now();
  const logPath = join(out, log);
  const shownLog = relative(process.cwd(), logPath) || logPath;
  let text = '';
  progress.start(stage.name, describe);
  for (const [i, command] of stage.commands.entries()) {
    const tool = used[i]!;
    text += `$ ${tool.path} ${command.args.join(' ')}\n`;
    const child = execa(tool.path, command.args, { cwd: out, all: true, reject: false, stdin: 'ignore', buffer: { all: true } });
    let partial = '';
    child.all?.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) progress.output(stage.name, l);
    });
    const result = await child;
    text += `${result.all ?? ''}\n`;
    writeFileSync(logPath, text);
    if (result.exitCode !== 0 || result.failed) {
      const seconds = (performance.now() - started) / 1000;
      progress.failed(stage.name, seconds);
      const tail = (result.all ?? '').trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n');
      const why =
        result.exitCode === undefined ? (result.signal ? `was killed by ${result.signal}` : result.shortMessage) : `exited with code ${result.exitCode}`;
      throw new AtomikError(`${tool.id} ${why}\n${indent(tail)}\n  full log: ${shownLog}`, { where: `${stage.name} stage` });
    }
  }
  const missingOutputs = stage.outputs.filter((o) => !existsOrFalse(join(out, o)));
  const seconds = (performance.now() - started) / 1000;
  if (missingOutputs.length > 0) {
    progress.failed(stage.name, seconds);
    throw new AtomikError(`${used.map((t) => t.id).join(', ')} finished but did not write ${missingOutputs.join(', ')}\n  full log: ${shownLog}`, {
      where: `${stage.name} stage`,
    });
  }
  writeStamp(out, stage, { key, seconds });
  progress.done(stage.name, seconds, describe);
  return { stage: stage.name, status: 'ran', seconds, producedInSeconds: seconds, tools: used, log };
}

function existsOrFalse(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  | ${l}`)
    .join('\n');
}
