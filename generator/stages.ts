// Runs the tool stages of a written build plan, in order, through execa with argument arrays. Each stage writes its log
// to <out>/logs/<stage>.log; a failing tool stops the run with its name, exit code, the tail of its log and the log path.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { execa } from 'execa';
import { AtomikError } from './errors.js';
import { RUN_DIRS, type BuildPlan, type RunStageName, type Stage } from './plan.js';
import { findTool, type FindToolOptions, type FoundTool } from './tools.js';

export interface StageResult {
  readonly stage: RunStageName;
  readonly seconds: number;
  readonly tools: readonly { id: string; path: string; version: string | null }[];
  readonly log: string;
}

export interface RunOptions {
  readonly tools?: FindToolOptions;
  /** Called with one line per event; the CLI prints them. */
  readonly progress?: (line: string) => void;
}

const LOG_TAIL_LINES = 15;

export async function runStages(plan: BuildPlan, stages: readonly Stage[], opts: RunOptions = {}): Promise<StageResult[]> {
  const out = resolve(plan.outDir);
  for (const dir of RUN_DIRS) mkdirSync(join(out, dir), { recursive: true });
  const results: StageResult[] = [];
  for (const stage of stages) results.push(await runStage(out, stage, opts));
  return results;
}

async function runStage(out: string, stage: Stage, opts: RunOptions): Promise<StageResult> {
  const started = performance.now();
  const logPath = join(out, 'logs', `${stage.name}.log`);
  const shownLog = relative(process.cwd(), logPath) || logPath;
  const used: FoundTool[] = [];
  let log = '';
  for (const command of stage.commands) {
    const tool = await findTool(command.tool, opts.tools);
    used.push(tool);
    opts.progress?.(`${stage.name}: ${tool.id} ${tool.version} (${tool.source}) ...`);
    const result = await execa(tool.path, command.args, { cwd: out, all: true, reject: false, stdin: 'ignore' });
    log += `$ ${tool.path} ${command.args.join(' ')}\n${result.all ?? ''}\n`;
    writeFileSync(logPath, log);
    if (result.exitCode !== 0 || result.failed) {
      const tail = (result.all ?? '').trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n');
      const why = result.exitCode === undefined ? (result.signal ? `killed by ${result.signal}` : result.shortMessage) : `exit code ${result.exitCode}`;
      throw new AtomikError(`${stage.name} failed: ${tool.id} ${why}\n${indent(tail)}\n  full log: ${shownLog}`, {
        where: stage.name,
      });
    }
  }
  const seconds = (performance.now() - started) / 1000;
  opts.progress?.(`${stage.name}: ok in ${seconds.toFixed(1)} s (log ${shownLog})`);
  return { stage: stage.name, seconds, tools: used.map((t) => ({ id: t.id, path: t.path, version: t.version })), log: shownLog };
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  | ${l}`)
    .join('\n');
}
