// The one pipeline: a build plan is written, then its stages run in order up to the one asked for, each served from
// the cache when nothing it depends on changed, and the report is written. The main job, `sweep` and `npm run bench`
// all run designs through runJob; stage order, caching, progress and output folders live here and nowhere else.
//
// Tool stages run their commands through execa with argument arrays; check stages (the cross-check against the golden
// model) run in-process through the implementation the caller passes in `checks` (verify/ provides it: generator/
// never imports verify/). Every tool any stage needs is found and version-checked before the first stage runs.
//
// Trust: the whole job holds the output folder's lock; a stage's stamp and declared outputs are removed before it runs;
// every run is bounded in time (the stage's limit; the tool and everything it started are stopped when it passes);
// outputs are validated (result files with the parser the report uses) before the stage is stamped.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AtomikError } from '../common/errors.js';
import { shownPath as shown } from '../common/shown.js';
import type { BuildPlan, StagePlan } from '../plan/types.js';
import { RUN_DIRS } from '../plan/files.js';
import { buildReport, REPORT_FILE, validateResult, writeReport, type BuildReport, type StageResult, type VerificationSummary } from '../report/report.js';
import { DeadlineError, howItEnded, runBounded, withDeadline } from '../tools/exec.js';
import { DEFAULT_STAGE_TIMEOUT_SECONDS, STAGES, stageFileName, stageTools, type RunStageName, type Stage, type StageCheck, type StageName } from '../tools/stage.js';
import { findTool, ToolMissingError, type FindToolOptions, type FoundTool, type ToolId } from '../tools/tools.js';
import { fileHash, invalidateStamp, isCached, stageKey, stampPath, writeStamp } from './cache.js';
import { recordOwned, removeOwned, withFolder } from './folder.js';
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
export type CheckRunner = (ctx: CheckContext) => Promise<{ readonly verification?: VerificationSummary; readonly detail: string }>;
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
  /** Time limits in seconds by stage, over the plan's defaults (which scale with the design). */
  readonly timeouts?: Readonly<Partial<Record<RunStageName, number>>>;
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

/** Writes the plan, runs its stages up to `until`, and writes report.json; holds the folder's lock throughout. */
export async function runJob(plan: BuildPlan, opts: JobOptions): Promise<JobResult> {
  return withFolder(plan.outDir, async () => {
    const run = await runStages(plan, opts, true);
    if (opts.until === 'generate') return { plan, ...run };
    const report = buildReport(plan, run.results);
    return { plan, ...run, report, reportPath: writeReport(plan, report) };
  });
}

/**
 * Writes a plan's files and runs its stages up to `until`, without a report: for a plan of other RTL through a vendor
 * flow (the bench's ceiling reference). runJob is this plus the report.
 */
export async function runPlan(plan: StagePlan, opts: JobOptions): Promise<Omit<JobResult, 'plan' | 'report' | 'reportPath'>> {
  return withFolder(plan.outDir, () => runStages(plan, opts, false));
}

async function runStages(plan: StagePlan, opts: JobOptions, withReport: boolean): Promise<Omit<JobResult, 'plan' | 'report' | 'reportPath'>> {
  const progress = opts.progress ?? silentProgress;
  const started = performance.now();
  const out = writePlan(plan);
  const ms = Math.round(performance.now() - started);
  progress.info(`generate: ${plan.files.length} files in ${shown(out)} (${ms} ms, digest ${plan.digest.slice(0, 16)})`);
  const last = STAGES.indexOf(opts.until ?? 'bitstream');
  const stages = plan.stages.filter((s) => STAGES.indexOf(s.name) <= last);
  const notRun = plan.stages.filter((s) => STAGES.indexOf(s.name) > last).map((s) => s.name);
  if (opts.until === 'generate') return { outDir: out, results: [], notRun };

  if (withReport) {
    // the report of an earlier run must not outlive this one's failure
    recordOwned(out, [REPORT_FILE]);
    removeOwned(out, REPORT_FILE);
  }
  const results = await runPlanStages(plan, stages, opts);
  return { outDir: out, results, notRun };
}

/**
 * Runs some of a written plan's stages in order (their tools found first) in a folder whose lock the caller holds:
 * generator/run/closure.ts runs each placement seed's pnr stage this way, side by side, after the stages they share.
 */
export async function runPlanStages(plan: StagePlan, stages: readonly Stage[], opts: JobOptions): Promise<StageResult[]> {
  const progress = opts.progress ?? silentProgress;
  const out = resolve(plan.outDir);
  for (const dir of RUN_DIRS) mkdirSync(join(out, dir), { recursive: true });
  const tools = await resolveTools(stages, opts.tools);
  const results: StageResult[] = [];
  for (const stage of stages) results.push(await runStage({ plan, out, stage, tools, opts, progress }));
  return results;
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
  const log = join('logs', `${stageFileName(stage)}.log`);
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

  // from here until the stamp is written the stage counts as not run: no old output can pass for a new one
  const written = stageWrites(stage);
  recordOwned(out, [log, stampPath(stage), ...written]);
  invalidateStamp(out, stage);
  for (const path of written) removeOwned(out, path);

  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const limit = run.opts.timeouts?.[stage.name] ?? stage.timeoutSeconds ?? DEFAULT_STAGE_TIMEOUT_SECONDS;
  progress.start(stage.name, describe);
  let verification: VerificationSummary | undefined;
  let detail = describe;
  try {
    if (stage.check) {
      if (!('design' in plan)) throw new Error(`internal: check stage ${stage.name} in a plan without a design`);
      const outcome = await withDeadline(limit * 1000, () =>
        run.opts.checks[stage.check!.id]({ plan: plan as BuildPlan, stage, tools: run.opts.tools ?? {}, progress }),
      ).catch((err: unknown) => {
        if (err instanceof DeadlineError) {
          throw new AtomikError(`the ${stage.check!.id} ${err.message} and was stopped (with every process it started)`, {
            where: `${stage.name} stage`,
            hint: timeoutHint(stage.name),
          });
        }
        throw err;
      });
      verification = outcome.verification;
      detail = outcome.detail;
      writeFileSync(join(out, log), `${stage.description}\n${detail}\n`);
    } else {
      await runCommands(run, used, join(out, log), limit);
    }
    validateOutputs(run, used, join(out, log));
  } catch (err) {
    progress.failed(stage.name, elapsed());
    throw err;
  }
  const seconds = elapsed();
  const outputs = Object.fromEntries(stage.outputs.map((o) => [o, fileHash(join(out, o))!]));
  writeStamp(out, stage, { key, seconds, outputs, ...(verification ? { verification } : {}) });
  progress.done(stage.name, seconds, detail);
  return { stage: stage.name, status: 'ran', seconds, producedInSeconds: seconds, tools: used, log, ...(verification ? { verification } : {}) };
}

/** What a stage writes: its declared outputs and every run-folder path its commands name (intermediate files). */
function stageWrites(stage: Stage): string[] {
  const named = stage.commands.flatMap((c) => c.args).filter((a) => RUN_DIRS.some((d) => a.startsWith(`${d}/`)) && !stage.inputs.includes(a));
  return [...new Set([...stage.outputs, ...named])];
}

function timeoutHint(stage: RunStageName): string {
  return `if the design needs longer, raise the limit: --timeout ${stage}=SECONDS, or timeouts: { ${stage}: SECONDS } in the config`;
}

/**
 * Every declared output must be a non-empty file; a JSON output must parse; a result file must read with the parser
 * the report uses. Anything else is this stage's failure, naming the tool, the file and the reason.
 */
function validateOutputs(run: StageRun, used: readonly FoundTool[], logPath: string): void {
  const { out, stage, plan } = run;
  const by = used.map((t) => t.id).join(', ') || 'the check';
  const fail = (file: string, why: string) =>
    new AtomikError(`${by} finished, but ${file} ${why}\n  full log: ${shown(logPath)}`, { where: `${stage.name} stage`, hint: 'see the log; the stage will run again next time' });
  for (const o of stage.outputs) {
    const size = sizeOf(join(out, o));
    if (size === undefined) throw fail(o, 'was not written');
    if (size === 0) throw fail(o, 'is empty');
    if (o.endsWith('.json')) {
      try {
        JSON.parse(readFileSync(join(out, o), 'utf8'));
      } catch (err) {
        throw fail(o, `is not valid JSON (${(err as Error).message.split('\n')[0]}): the tool stopped mid-write or wrote garbage`);
      }
    }
  }
  if (stage.result && 'design' in plan) {
    try {
      validateResult(plan as BuildPlan, stage.name, stage.result);
    } catch (err) {
      throw fail(stage.result.path, `cannot be read as its result: ${err instanceof AtomikError ? err.message : (err as Error).message}`);
    }
  }
}

/** Runs a tool stage's commands in order, logging each; the first failure throws with the tail of its output. */
async function runCommands(run: StageRun, used: readonly FoundTool[], logPath: string, limitSeconds: number): Promise<void> {
  const { stage, progress } = run;
  const endsAt = Date.now() + limitSeconds * 1000;
  let text = '';
  for (const command of stage.commands) {
    const tool = used.find((t) => t.id === command.tool)!;
    text += `$ ${tool.path} ${command.args.join(' ')}\n`;
    writeFileSync(logPath, text);
    const result = await runBounded(tool.path, command.args, {
      cwd: run.out,
      timeoutMs: Math.max(1, endsAt - Date.now()),
      onLine: (line) => progress.output(stage.name, line),
    });
    text += `${result.all}\n`;
    writeFileSync(logPath, text);
    if (result.exitCode !== 0) {
      const tail = result.all.trimEnd().split('\n').slice(-LOG_TAIL_LINES).join('\n');
      const after = result.timedOut ? '' : ` after ${result.seconds.toFixed(1)} s`;
      throw new AtomikError(`${tool.id} ${howItEnded({ ...result, limitSeconds })}${after}\n${indent(tail)}\n  full log: ${shown(logPath)}`, {
        where: `${stage.name} stage`,
        ...(result.timedOut ? { hint: timeoutHint(stage.name) } : {}),
      });
    }
  }
}


function sizeOf(path: string): number | undefined {
  try {
    const info = statSync(path);
    return info.isFile() ? info.size : undefined;
  } catch {
    return undefined;
  }
}


function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  | ${l}`)
    .join('\n');
}

