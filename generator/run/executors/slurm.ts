// `sweep --executor slurm`: the points as one Slurm job array, one task per point, each task the main job for its
// point (the same pipeline as a point run in-process) through the array script written into the sweep's folder. The
// sweep waits for the array, polling squeue (bounded: every scheduler command has a time limit, and so has the wait),
// shows progress, reads each completed task's report from the point's folder (on a path the nodes share), and records a
// task that did not complete with Slurm's state and exit code and the last lines of its log. Ctrl-C cancels the array
// (scancel) and records the points that did not finish as cancelled.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AtomikError } from '../../common/errors.js';
import { commentBlock } from '../../common/render.js';
import { GENERATOR_VERSION } from '../../common/version.js';
import { howItEnded, runBounded, type BoundedResult } from '../../tools/exec.js';
import { searchPath } from '../../tools/tools.js';
import { recordOwned, removeOwned } from '../folder.js';
import type { Progress } from '../progress.js';
import { atomikGenCommand, errorLineOf, pointArgs, pointLimitSeconds, readPointReport, shellLine, tailLines, type PointCommandOptions } from './command.js';
import type { PointJob, SlurmTaskRecord, SweepPoint } from './types.js';

/** The sweep folder's subfolder for the array script and the task logs. */
export const SLURM_DIR = 'slurm';
const SCRIPT = `${SLURM_DIR}/array.sh`;
const taskLog = (task: number | string) => `${SLURM_DIR}/task-${task}.log`;

/** How long one scheduler command (sbatch, squeue, scontrol, sacct, scancel) may take. */
const COMMAND_SECONDS = 60;
/** squeue may fail this many times in a row (a busy or restarting controller) before the sweep gives up on the array. */
const MAX_POLL_FAILURES = 10;
/** Log lines kept for a task that did not complete. */
const LOG_TAIL_LINES = 15;
/** The time added to the array's limit for the wait: tasks queue before they run. */
const QUEUE_ALLOWANCE_SECONDS = 3600;

/** States after which a task does not run again (squeue --states=all, sacct). */
const FINAL_STATES = new Set(['COMPLETED', 'FAILED', 'TIMEOUT', 'CANCELLED', 'OUT_OF_MEMORY', 'NODE_FAIL', 'BOOT_FAIL', 'PREEMPTED', 'DEADLINE', 'REVOKED', 'SPECIAL_EXIT']);

export interface SlurmOptions {
  /** The sweep's folder (absolute, atomik-gen's): the array script and the task logs go into its `slurm/`. */
  readonly root: string;
  /** The folder the tasks start in (`--chdir`): the sweep's working folder. */
  readonly cwd: string;
  /** At most this many tasks at once (`--array=...%N`); undefined: as many as the cluster gives. */
  readonly jobs?: number;
  readonly partition?: string;
  /** More sbatch options, as words (after atomik-gen's own, so they win). */
  readonly slurmOpts: readonly string[];
  /** A launcher prefix inside each task (a container runner, say), as words. */
  readonly prefix: readonly string[];
  readonly command: PointCommandOptions;
  /** Stage time limits over the plan's defaults (flags and config), for the tasks' time limit. */
  readonly timeouts: PointCommandOptions['timeoutFlags'];
  readonly progress: Progress;
  /** Resolves on Ctrl-C (SIGINT, SIGTERM, SIGHUP): the array is cancelled. */
  readonly interrupted?: Promise<NodeJS.Signals>;
  /** Seconds between squeue polls: the first wait, growing by half each time up to the last. */
  readonly pollSeconds?: { readonly first: number; readonly max: number };
}

export interface SlurmRun {
  readonly points: SweepPoint[];
  readonly jobId: string;
  /** The sbatch command line, as run (runs as printed). */
  readonly submit: string;
  /** The array script (relative to the sweep's folder). */
  readonly script: string;
  /** The signal that cancelled the array, when one did. */
  readonly interrupted?: NodeJS.Signals;
}

/** Slurm's client commands, found on PATH. */
export interface SlurmCommands {
  readonly sbatch: string;
  readonly squeue: string;
  readonly scancel: string;
  readonly scontrol: string | undefined;
  readonly sacct: string | undefined;
}

/** Finds Slurm's client commands on PATH; sbatch, squeue and scancel are needed (scontrol, sacct add details). */
export async function findSlurmCommands(): Promise<SlurmCommands> {
  const find = (name: string) => searchPath(name, process.env);
  const [sbatch, squeue, scancel, scontrol, sacct] = await Promise.all(['sbatch', 'squeue', 'scancel', 'scontrol', 'sacct'].map(find));
  const missing = Object.entries({ sbatch, squeue, scancel }).filter(([, p]) => p === undefined).map(([n]) => n);
  if (missing.length > 0) {
    throw new AtomikError(`Slurm's ${missing.join(', ')} not found on PATH`, {
      where: '--executor slurm',
      hint: 'run the sweep where jobs are submitted to the cluster (a login node, with the Slurm client commands on PATH), or drop --executor slurm to run the points here',
    });
  }
  return { sbatch: sbatch!, squeue: squeue!, scancel: scancel!, scontrol, sacct };
}

/** The array script: task i runs point i's command line (`prefix` first), as `atomik-gen sweep` would run the point. */
export function arrayScript(points: readonly PointJob[], command: PointCommandOptions, prefix: readonly string[]): string {
  const header = commentBlock(
    [
      `Generated by atomik-gen ${GENERATOR_VERSION}. Do not edit: run the sweep again.`,
      `The Slurm job array of a sweep of ${points.length} point(s): array task i runs point i (sweep.json's order), the main job`,
      'for that point. Submitted by atomik-gen sweep --executor slurm with sbatch --array (the command is in sweep.json).',
    ],
    '#',
  );
  const cases = points.flatMap((p, i) => [`  # ${p.label}`, `  ${i}) exec ${shellLine([...prefix, ...atomikGenCommand(), ...pointArgs(p.input, p.outDir, command)])} ;;`]);
  return [
    '#!/bin/bash',
    header,
    'case "${SLURM_ARRAY_TASK_ID:-}" in',
    ...cases,
    `  *) echo "atomik-gen: error: array task \${SLURM_ARRAY_TASK_ID:-(none)} is not a point of this sweep (tasks 0-${points.length - 1})" >&2; exit 2 ;;`,
    'esac',
    '',
  ].join('\n');
}

/** Slurm's time format (minutes) from seconds, rounded up to whole minutes. */
function slurmMinutes(seconds: number): number {
  return Math.max(1, Math.ceil(seconds / 60));
}

/** `0-3,5,7-9%2` as task numbers. */
export function expandTaskIds(text: string): number[] {
  const ids: number[] = [];
  for (const part of text.replace(/%\d+$/, '').replace(/^\[|\]$/g, '').split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    for (let i = from; i <= to; i++) ids.push(i);
  }
  return ids;
}

/** A task as squeue shows it. */
export interface TaskView {
  readonly state: string;
  readonly reason: string;
  readonly elapsed: string;
}

/** `squeue --array --states=all --format=%K|%T|%r|%M` output: the tasks by index. */
export function parseSqueue(text: string): Map<number, TaskView> {
  const tasks = new Map<number, TaskView>();
  for (const line of text.split('\n')) {
    const [ids, state, reason, elapsed] = line.trim().split('|');
    if (ids === undefined || state === undefined || state === '') continue;
    for (const id of expandTaskIds(ids)) tasks.set(id, { state, reason: reason ?? '', elapsed: elapsed ?? '' });
  }
  return tasks;
}

/** A finished task's details as scontrol or sacct gives them. */
export interface TaskDetail {
  readonly state: string;
  readonly exitCode?: string;
  readonly elapsed?: string;
  readonly timeLimit?: string;
}

/** `scontrol --oneliner show job <array id>`: every task's record still held by the controller, by index. */
export function parseScontrol(text: string): Map<number, TaskDetail> {
  const out = new Map<number, TaskDetail>();
  for (const line of text.split('\n')) {
    const field = (name: string) => new RegExp(`(?:^|\\s)${name}=(\\S*)`).exec(line)?.[1];
    const task = field('ArrayTaskId');
    const state = field('JobState');
    if (task === undefined || state === undefined || !/^\d+$/.test(task)) continue;
    out.set(Number(task), { state, exitCode: field('ExitCode'), elapsed: field('RunTime'), timeLimit: field('TimeLimit') });
  }
  return out;
}

/** `sacct --allocations --noheader --parsable2 --format=JobID,State,ExitCode,Elapsed,Timelimit`: the tasks by index. */
export function parseSacct(text: string, jobId: string): Map<number, TaskDetail> {
  const out = new Map<number, TaskDetail>();
  for (const line of text.split('\n')) {
    const [id, state, exitCode, elapsed, timeLimit] = line.trim().split('|');
    const m = new RegExp(`^${jobId}_(\\d+)$`).exec(id ?? '');
    if (!m || state === undefined) continue;
    // "CANCELLED by 0": the state is the first word
    out.set(Number(m[1]), { state: state.split(' ')[0]!, exitCode, elapsed, timeLimit });
  }
  return out;
}

/** Why a task that did not complete failed, in one line: what Slurm says and what its log ends with. */
export function taskReason(record: SlurmTaskRecord, detail: TaskDetail | undefined, logText: string): string {
  const errorLine = errorLineOf(logText);
  // a process that died without its closing line (a crash) names the error on a line of its own
  const last = [...tailLines(logText, LOG_TAIL_LINES)].reverse().find((l) => /^[A-Za-z]*Error\b/.test(l)) ?? tailLines(logText, 1)[0];
  const exit = record.exitCode === undefined ? '' : `, exit code ${record.exitCode}`;
  const where = `Slurm task ${record.id} ${record.state}${exit}; log ${record.log}`;
  switch (record.state) {
    case 'FAILED':
      return `${errorLine ?? `the task failed${last === undefined ? ' with no output' : `: ${last}`}`} (${where})`;
    case 'TIMEOUT':
      return `Slurm stopped the task at its time limit${detail?.timeLimit ? ` (${detail.timeLimit})` : ''}${record.elapsed ? ` after ${record.elapsed}` : ''}; raise it with --slurm-opts "--time=..." (${where}${last === undefined ? '' : `; last line: ${last}`})`;
    case 'OUT_OF_MEMORY':
      return `the task ran out of memory; ask for more with --slurm-opts "--mem=..." (${where})`;
    case 'UNKNOWN':
      return `Slurm no longer lists the task and gave no record of how it ended (sacct needs the cluster's accounting) (${where}${last === undefined ? '' : `; last line: ${last}`})`;
    case 'CANCELLED':
      return `the task was cancelled (scancel, or by the cluster) (${where})`;
    default:
      return `Slurm ended the task ${record.state}${errorLine === undefined ? '' : `: ${errorLine}`} (${where})`;
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function lastLine(r: BoundedResult): string {
  return tailLines(r.stderr || r.stdout, 1)[0] ?? howItEnded(r);
}

/** Submits the points as one job array, waits for it and returns every point's outcome, in the points' order. */
export async function runSlurm(points: readonly PointJob[], opts: SlurmOptions, cmd: SlurmCommands): Promise<SlurmRun> {
  const { root, progress } = opts;
  recordOwned(root, [`${SLURM_DIR}/`]);
  removeOwned(root, `${SLURM_DIR}/`); // the logs of an earlier array
  mkdirSync(join(root, SLURM_DIR), { recursive: true });
  writeFileSync(join(root, SCRIPT), arrayScript(points, opts.command, opts.prefix), { mode: 0o755 });

  const limitSeconds = Math.max(...points.map((p) => pointLimitSeconds(p.input, opts.command.until, opts.timeouts, opts.command.closure)));
  const args = [
    '--parsable',
    '--job-name=atomik-sweep',
    `--array=0-${points.length - 1}${opts.jobs === undefined ? '' : `%${opts.jobs}`}`,
    `--output=${join(root, SLURM_DIR, 'task-%a.log')}`,
    `--time=${slurmMinutes(limitSeconds)}`,
    `--chdir=${opts.cwd}`,
    ...(opts.partition === undefined ? [] : [`--partition=${opts.partition}`]),
    ...opts.slurmOpts,
    join(root, SCRIPT),
  ];
  const submit = shellLine(['sbatch', ...args]);
  progress.info(`slurm: submitting ${points.length} task(s), one per point: $ ${submit}`);
  let interrupted: NodeJS.Signals | undefined;
  void opts.interrupted?.then((s) => {
    interrupted = s;
  });
  const sent = await runBounded(cmd.sbatch, args, { timeoutMs: COMMAND_SECONDS * 1000 });
  const m = /^(\d+)(?:;\S+)?$/.exec(sent.stdout.trim());
  if (sent.exitCode !== 0 || !m) {
    throw new AtomikError(`sbatch refused the job array: ${lastLine(sent).replace(/^sbatch: error: /, '')}`, {
      where: '--executor slurm',
      hint: `check --partition and --slurm-opts against the cluster (sinfo lists the partitions; a partition's MaxTime below the tasks' --time=${slurmMinutes(limitSeconds)} minutes, their stage limits, needs a --time in --slurm-opts); the sbatch command is above`,
    });
  }
  const jobId = m[1]!;
  progress.info(`slurm: job ${jobId} submitted; array task i runs point i (${SCRIPT}); Ctrl-C cancels it (scancel ${jobId})`);

  const records = new Map<number, { record: SlurmTaskRecord; detail: TaskDetail | undefined }>();
  const views = new Map<number, TaskView>();
  const first = opts.pollSeconds?.first ?? 1;
  const max = opts.pollSeconds?.max ?? 10;
  const waitLimitMs = (limitSeconds * points.length + QUEUE_ALLOWANCE_SECONDS) * 1000;
  const started = Date.now();
  let interval = first;
  let failures = 0;
  let shown = '';
  let stopped: string | undefined;

  const cancel = async (why: string) => {
    const r = await runBounded(cmd.scancel, [jobId], { timeoutMs: COMMAND_SECONDS * 1000 });
    progress.info(`slurm: ${why}: ${r.exitCode === 0 ? `cancelled job ${jobId} (scancel ${jobId})` : `scancel ${jobId} ${howItEnded(r)}: ${lastLine(r)}`}`);
  };

  /** Records the tasks squeue shows as finished that have no record yet, with scontrol's (else sacct's) details. */
  const settle = async (finished: number[]) => {
    if (finished.length === 0) return;
    let details = new Map<number, TaskDetail>();
    if (cmd.scontrol) {
      const r = await runBounded(cmd.scontrol, ['--oneliner', 'show', 'job', jobId], { timeoutMs: COMMAND_SECONDS * 1000 });
      if (r.exitCode === 0) details = parseScontrol(r.stdout);
    }
    if (cmd.sacct && finished.some((t) => !details.has(t))) {
      const r = await runBounded(cmd.sacct, ['--jobs', jobId, '--allocations', '--noheader', '--parsable2', '--format=JobID,State,ExitCode,Elapsed,Timelimit'], {
        timeoutMs: COMMAND_SECONDS * 1000,
      });
      if (r.exitCode === 0) for (const [t, d] of parseSacct(r.stdout, jobId)) if (!details.has(t)) details.set(t, d);
    }
    for (const t of finished) {
      const view = views.get(t);
      const detail = details.get(t);
      // squeue's view of a task it no longer lists is stale: the details (or UNKNOWN) then
      const state = detail?.state ?? (view && FINAL_STATES.has(view.state) ? view.state : 'UNKNOWN');
      const record: SlurmTaskRecord = {
        id: `${jobId}_${t}`,
        state,
        ...(detail?.exitCode === undefined ? {} : { exitCode: detail.exitCode }),
        ...((detail?.elapsed ?? view?.elapsed) ? { elapsed: detail?.elapsed ?? view!.elapsed } : {}),
        log: taskLog(t),
      };
      records.set(t, { record, detail });
      const label = points[t]?.label ?? `task ${t}`;
      progress.info(`[${label}] slurm task ${record.id}: ${state}${record.elapsed ? ` after ${record.elapsed}` : ''}`);
    }
  };

  while (records.size < points.length) {
    if (interrupted !== undefined) {
      await cancel(`interrupted (${interrupted})`);
      break;
    }
    if (Date.now() - started > waitLimitMs) {
      stopped = `the sweep stopped waiting after ${Math.round(waitLimitMs / 1000)} s (the array's time limit per task x tasks, and an hour of queueing)`;
      await cancel(stopped);
      break;
    }
    await Promise.race([sleep(interval * 1000), ...(opts.interrupted ? [opts.interrupted] : [])]);
    interval = Math.min(max, interval * 1.5);
    if (interrupted !== undefined) continue;
    const r = await runBounded(cmd.squeue, [`--jobs=${jobId}`, '--array', '--states=all', '--noheader', '--format=%K|%T|%r|%M'], {
      timeoutMs: COMMAND_SECONDS * 1000,
    });
    if (r.exitCode !== 0) {
      // a job the controller no longer holds (all its tasks long finished): what is left is asked of sacct
      if (/invalid job id/i.test(r.stderr)) {
        await settle(points.map((_, i) => i).filter((i) => !records.has(i)));
        break;
      }
      failures++;
      progress.info(`slurm: squeue ${howItEnded(r)} (${failures} of ${MAX_POLL_FAILURES} in a row): ${lastLine(r)}`);
      if (failures >= MAX_POLL_FAILURES) {
        stopped = `lost contact with Slurm: squeue failed ${MAX_POLL_FAILURES} times in a row (${lastLine(r)})`;
        await cancel(stopped);
        break;
      }
      continue;
    }
    failures = 0;
    const listed = parseSqueue(r.stdout);
    for (const [t, v] of listed) views.set(t, v);
    // finished now, or listed before and gone since (the controller forgets finished tasks after MinJobAge)
    const finished = [...views.entries()].filter(([t, v]) => (FINAL_STATES.has(v.state) || !listed.has(t)) && !records.has(t) && t < points.length).map(([t]) => t);
    await settle(finished);
    // the progress line, when it says something new
    const count = (pred: (v: TaskView) => boolean) => [...views.values()].filter(pred).length;
    const running = count((v) => v.state === 'RUNNING' || v.state === 'COMPLETING');
    const pending = [...views.values()].filter((v) => v.state === 'PENDING');
    const reasons = [...new Set(pending.map((v) => v.reason).filter((x) => x !== '' && x !== 'None'))];
    const failed = [...records.values()].filter((x) => x.record.state !== 'COMPLETED').length;
    const line = `${running} running, ${pending.length} pending${reasons.length > 0 ? ` (${reasons.join(', ')})` : ''}, ${records.size} of ${points.length} done${failed > 0 ? ` (${failed} not completed)` : ''}`;
    if (line !== shown) {
      shown = line;
      progress.info(`slurm: job ${jobId}: ${line} after ${Math.round((Date.now() - started) / 1000)} s`);
    }
  }

  const outcomes = points.map((p, t): SweepPoint => {
    const command = shellLine([...opts.prefix, ...atomikGenCommand(), ...pointArgs(p.input, p.outDir, opts.command)]);
    const base = { label: p.label, input: p.input, outDir: p.outDir, command };
    const done = records.get(t);
    if (!done) {
      const reason =
        interrupted !== undefined ? `cancelled: atomik-gen was interrupted (${interrupted}) and cancelled the array (scancel ${jobId})` : (stopped ?? 'the task never finished');
      return { ...base, status: 'failed', reason, slurm: { id: `${jobId}_${t}`, state: views.get(t)?.state ?? 'UNKNOWN', log: taskLog(t) } };
    }
    const logText = readLog(join(root, done.record.log));
    if (done.record.state === 'COMPLETED') {
      if (opts.command.until === 'generate') return { ...base, status: 'ok', slurm: done.record };
      try {
        return { ...base, status: 'ok', report: readPointReport(p.outDir), slurm: done.record };
      } catch (err) {
        if (!(err instanceof AtomikError)) throw err;
        return { ...base, status: 'failed', reason: err.oneLine(), slurm: { ...done.record, logTail: tailLines(logText, LOG_TAIL_LINES) } };
      }
    }
    const record = { ...done.record, logTail: tailLines(logText, LOG_TAIL_LINES) };
    const reason = taskReason(record, done.detail, logText);
    progress.info(`[${p.label}] failed: ${reason}`);
    return { ...base, status: 'failed', reason, slurm: record };
  });
  return { points: outcomes, jobId, submit, script: SCRIPT, ...(interrupted === undefined ? {} : { interrupted }) };
}

function readLog(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
