// The one pipeline: a build plan is written, then its stages run in order up to the one asked for, each served from
// the cache when nothing it depends on changed, and the report is written. The main job, `sweep` and `npm run bench`
// all run designs through runJob; stage order, caching, progress and output folders live here and nowhere else.
//
// Tool stages run their commands through execa with argument arrays; check stages (the cross-check against the golden
// model) run in-process through the implementation the caller passes in `checks` (verify/ provides it: generator/
// never imports verify/). Every tool any stage needs is found and version-checked before the first stage runs.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { AtomikError } from '../common/errors.js';
import type { BuildPlan, StagePlan } from '../plan/types.js';
import { RUN_DIRS } from '../plan/files.js';
import { buildReport, writeReport, type BuildReport, type StageResult, type VerificationSummary } from '../report/report.js';
import { STAGES, stageTools, type Stage, type StageCheck, type StageName } from '../tools/stage.js';
import { findTool, ToolMissingError, type FindToolOptions, type FoundTool, type ToolId } from '../tools/tools.js';
import { isCached, stageKey, writeStamp } from './cache.js';
import { silentProgress, type Progress } from './progress.js';
import { writePlan } from './write.js';

/** Context a check stage runs in. */
export interface CheckContext {
  readonly plan: BuildPlan;
  readonly stage: Stage;
  readonly tools: FindToolOptions;
  readonly progress: Progress;
}

/** A check stage's implementation: throws an AtomikError when the check fails. */
export type CheckRunner = (ctx: CheckContext) => Promise<{ readonly verification: VerificationSummary; readonly detail: string }>;
export type CheckRunners = Readonly<Record<StageCheck['id'], CheckRunner>>;

export interface JobOptions {
  /** The implementations of the plan's check stages (verify/'s PIPELINE_CHECKS). */
  readonly checks: CheckRunners;
  /** The last stage to run (default: every stage). */
  readonly until?: StageName;
  /** Rerun every stage even when cached. */
  readonly force?: boolean;
  readonly tools?: FindToolOptions;
  readonly progress?: Progress;
}

export interface JobResult {
  readonly plan: BuildPlan;
  /** Absolute path of the output folder. */
  readonly outDir: string;
  readonly results: readonly StageResult[];
  /** Absent when the job stopped after `generate`. */
  readonly report?: BuildReport;
  readonly reportPath?: string;
  /** Stages of the plan after `until` that did not run. */
  readonly notRun: readonly StageName[];
}

const LOG_TAIL_LINES = 15;

/** Writes the plan, runs its stages up to `until`, and writes report.json. */
export async function runJob(plan: BuildPlan, opts: JobOptions): Promise<JobResult> {
  const run = await runPlan(plan, opts);
  if (opts.until === 'generate') return { plan, ...run };
  const report = buildReport(plan, run.results);
  return { plan, ...run, report, reportPath: writeReport(plan, report) };
}

/**
 * Writes a plan's files and runs its stages up to `until`, without a report: for a plan of other RTL through a vendor
 * flow (the bench's ceiling reference). runJob is this plus the report.
 */
export async function runPlan(plan: StagePlan, opts: JobOptions): Promise<Omit<JobResult, 'plan' | 'report' | 'reportPath'>> {
  const progress = opts.progress ?? silentProgress;
  const started = performance.now();
  const out = writePlan(plan);
  const ms = Math.round(performance.now() - started);
  progress.info(`generate: ${plan.files.length} files in ${relative(process.cwd(), out) || out} (${ms} ms, digest ${plan.digest.slice(0, 16)})`);
  const last = STAGES.indexOf(opts.until ?? 'bitstream');
  const stages = plan.stages.filter((s) => STAGES.indexOf(s.name) <= last);
  const notRun = plan.stages.filter((s) => STAGES.indexOf(s.name) > last).map((s) => s.name);
  if (opts.until === 'generate') return { outDir: out, results: [], notRun };

  for (const dir of RUN_DIRS) mkdirSync(join(out, dir), { recursive: true });
  const tools = await resolveTools(stages, opts.tools);
  const results: StageResult[] = [];
  for (const stage of stages) results.push(await runStage({ plan, out, stage, tools, opts, progress }));
  return { outDir: out, results, notRun };
}

/** Finds every tool the stages use, in parallel; a missing one fails now, before any stage runs. */
async function resolveTools(stages: readonly Stage[], opts: FindToolOptions | undefined): Promise<Map<ToolId, FoundTool | ToolMissingError>> {
  const ids = [...new Set(stages.flatMap(stageTools))];
  const found = await Promise.all(
    ids.map((id) =>
      findTool(id, opts).catch((err: unknown) => {
        if (err instanceof ToolMissingError) return err;
        throw err;
      }),
    ),
  );
  const tools = new Map(ids.map((id, i) => [id, found[i]!] as const));
  for (const stage of stages) {
    if (stage.skipWithoutTool) continue;
    for (const id of stageTools(stage)) {
      const t = tools.get(id);
      if (t instanceof ToolMissingError) throw new AtomikError(t.message, { where: `${stage.name} stage` });
    }
  }
  return tools;
}

interface StageRun {
  readonly plan: StagePlan;
  readonly out: string;
  readonly stage: Stage;
  readonly tools: Map<ToolId, FoundTool | ToolMissingError>;
  readonly opts: JobOptions;
  readonly progress: Progress;
}

async function runStage(run: StageRun): Promise<StageResult> {
  const { plan, out, stage, progress } = run;
  const log = join('logs', `${stage.name}.log`);
  const stageToolList = stageTools(stage).map((id) => run.tools.get(id)!);
  const missing = stageToolList.find((t) => t instanceof ToolMissingError);
  if (missing) {
    const reason = stage.skipWithoutTool ?? missing.message;
    progress.skipped(stage.name, reason);
    return { stage: stage.name, status: 'skipped', seconds: 0, producedInSeconds: 0, tools: [], log, reason };
  }
  const used = stageToolList as FoundTool[];
  const describe = used.map((t) => `${t.id} ${t.version ?? '(version unknown)'}`).join(', ');
  const key = stageKey(out, plan.digest, stage, used);
  const stamp = run.opts.force ? undefined : isCached(out, stage, key);
  if (stamp) {
    progress.cached(stage.name, describe);
    const verification = stamp.verification ? { ...stamp.verification, cyclesPerSecond: null } : undefined;
    return { stage: stage.name, status: 'cached', seconds: 0, producedInSeconds: stamp.seconds, tools: used, log, ...(verification ? { verification } : {}) };
  }

  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  progress.start(stage.name, describe);
  let verification: VerificationSummary | undefined;
  let detail = describe;
  try {
    if (stage.check) {
      if (!('design' in plan)) throw new Error(`internal: check stage ${stage.name} in a plan without a design`);
      const outcome = await run.opts.checks[stage.check.id]({ plan: plan as BuildPlan, stage, tools: run.opts.tools ?? {}, progress });
      verification = outcome.verification;
      detail = outcome.detail;
      writeFileSync(join(out, log), `${stage.description}\n${detail}\n`);
    } else {
      await runCommands(run, used, join(out, log));
    }
  } catch (err) {
    progress.failed(stage.name, elapsed());
    throw err;
  }
  const missingOutputs = stage.outputs.filter((o) => !isFile(join(out, o)));
  if (missingOutputs.length > 0) {
    progress.failed(stage.name, elapsed());
    throw new AtomikError(`${used.map((t) => t.id).join(', ')} finished but did not write ${missingOutputs.join(', ')}\n  full log: ${shown(join(out, log))}`, {
      where: `${stage.name} stage`,
    });
  }
  const seconds = elapsed();
  writeStamp(out, stage, { key, seconds, ...(verification ? { verification } : {}) });
  progress.done(stage.name, seconds, detail);
  return { stage: stage.name, status: 'ran', seconds, producedInSeconds: seconds, tools: used, log, ...(verification ? { verification } : {}) };
}

/** Runs a tool stage's commands in order, logging each; the first failure throws with the tail of its output. */
async function runCommands(run: StageRun, used: readonly FoundTool[], logPath: string): Promise<void> {
  const { stage, progress } = run;
  let text = '';
  for (const command of stage.commands) {
    const tool = used.find((t) => t.id === command.tool)!;
    text += `$ ${tool.path} ${command.args.join(' ')}\n`;
    const child = execa(tool.path, command.args, { cwd: run.out, all: true, reject: false, stdin: 'ignore', buffer: { all: true } });
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
      const tail = (result.all ?? '').trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n');
      const why =
        result.exitCode === undefined ? (result.signal ? `was killed by ${result.signal}` : result.shortMessage) : `exited with code ${result.exitCode}`;
      throw new AtomikError(`${tool.id} ${why}\n${indent(tail)}\n  full log: ${shown(logPath)}`, { where: `${stage.name} stage` });
    }
  }
}

function shown(path: string): string {
  return relative(process.cwd(), path) || path;
}

function isFile(path: string): boolean {
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

