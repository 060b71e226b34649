// Every external program atomik-gen starts runs through here: in a process group of its own, with a time limit, and
// stopped as a whole (the tool and anything it started) when the limit passes, when the enclosing stage's deadline
// passes, or when atomik-gen is interrupted or exits. A wrapper script whose child hangs is stopped with its child.
import type { Env } from '../common/env.js';
import { AsyncLocalStorage } from 'node:async_hooks';
import { basename } from 'node:path';
import { execa, type ResultPromise } from 'execa';

/** How long a stopped group gets between SIGTERM and SIGKILL. */
const KILL_GRACE_MS = 2_000;

export interface BoundedOptions {
  readonly cwd?: string;
  /** Environment; with `extendEnv: false` it is the whole environment. */
  readonly env?: Env;
  readonly extendEnv?: boolean;
  /** The run is stopped (its whole process group) after this long. */
  readonly timeoutMs: number;
  /** Each line of stdout and stderr as it arrives. */
  readonly onLine?: (line: string) => void;
  readonly maxBuffer?: number;
}

export interface BoundedResult {
  /** Undefined when the program was stopped by a signal, was stopped by atomik-gen (whatever it exited with), or did not start. */
  readonly exitCode: number | undefined;
  readonly signal: string | undefined;
  /** The time limit (its own or the enclosing deadline's) passed and the group was stopped. */
  readonly timedOut: boolean;
  /** atomik-gen was interrupted while it ran. */
  readonly interrupted: boolean;
  /** Why the program could not be started, when it could not. */
  readonly startError: string | undefined;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr interleaved. */
  readonly all: string;
  readonly seconds: number;
  readonly limitSeconds: number;
}

interface Group {
  readonly pid: number;
  /** The program's name, for messages. */
  readonly label: string;
  stopped: 'timeout' | 'interrupt' | undefined;
}

/** A deadline every run started inside it shares (the stage's time limit). */
interface Scope {
  readonly groups: Set<Group>;
  readonly endsAt: number;
  expired: boolean;
}

const live = new Set<Group>();
const scopes = new AsyncLocalStorage<Scope>();
let exitHooked = false;

function signalGroup(group: Group, signal: NodeJS.Signals): void {
  try {
    process.kill(-group.pid, signal);
  } catch {
    try {
      process.kill(group.pid, signal); // not a group leader (started without a group of its own)
    } catch {
      // already gone
    }
  }
}

/** SIGTERM to the whole group, SIGKILL to what is left after a grace period. */
function stopGroup(group: Group, why: 'timeout' | 'interrupt'): void {
  if (group.stopped) return;
  group.stopped = why;
  signalGroup(group, 'SIGTERM');
  setTimeout(() => signalGroup(group, 'SIGKILL'), KILL_GRACE_MS).unref();
}

/**
 * Stops every program atomik-gen started (the whole process group of each) at once, with SIGKILL: for an interrupt
 * (the CLI calls it on SIGINT/SIGTERM before exiting) and at process exit. Returns the names of those that were running.
 */
export function stopAllTools(): string[] {
  const names: string[] = [];
  for (const group of live) {
    group.stopped ??= 'interrupt';
    signalGroup(group, 'SIGKILL');
    names.push(group.label);
  }
  return names;
}

function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  process.on('exit', () => stopAllTools());
}

/** Runs a program to completion within its time limit; never throws for the program's own failure. */
export async function runBounded(exe: string, args: readonly string[], opts: BoundedOptions): Promise<BoundedResult> {
  hookExit();
  const scope = scopes.getStore();
  const started = performance.now();
  const limitMs = scope ? Math.max(0, Math.min(opts.timeoutMs, scope.endsAt - Date.now())) : opts.timeoutMs;
  const child = execa(exe, [...args], {
    ...(opts.cwd === undefined ? {} : { cwd: opts.cwd }),
    ...(opts.env === undefined ? {} : { env: opts.env }),
    extendEnv: opts.extendEnv ?? true,
    all: true,
    reject: false,
    stdin: 'ignore',
    detached: true,
    cleanup: false,
    maxBuffer: opts.maxBuffer ?? 64 * 1024 * 1024,
  });
  const group: Group | undefined = child.pid === undefined ? undefined : { pid: child.pid, label: basename(exe), stopped: undefined };
  if (group) {
    live.add(group);
    scope?.groups.add(group);
  }
  const timer = group ? setTimeout(() => stopGroup(group, 'timeout'), limitMs) : undefined;
  let partial = '';
  if (opts.onLine) {
    child.all?.on('data', (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const l of lines) opts.onLine!(l);
    });
  }
  try {
    const r = await child;
    if (opts.onLine && partial !== '') opts.onLine(partial);
    // a program stopped here never counts as a success, whatever it exits with: vvp, for one, answers SIGTERM by
    // finishing the simulation and exiting 0 (a timed-out bench measurement then read as "finished, wrote nothing")
    const stopped = group?.stopped !== undefined;
    return {
      exitCode: stopped && r.exitCode === 0 ? undefined : r.exitCode,
      signal: r.signal,
      timedOut: group?.stopped === 'timeout',
      interrupted: group?.stopped === 'interrupt',
      startError: !stopped && r.exitCode === undefined && r.signal === undefined ? r.shortMessage : undefined,
      stdout: String(r.stdout ?? ''),
      stderr: String(r.stderr ?? ''),
      all: String(r.all ?? ''),
      seconds: (performance.now() - started) / 1000,
      limitSeconds: limitMs / 1000,
    };
  } finally {
    if (timer) clearTimeout(timer);
    if (group) {
      // anything the program left running in its group goes with it
      signalGroup(group, 'SIGKILL');
      live.delete(group);
      scope?.groups.delete(group);
    }
  }
}

/**
 * A long-running program (a co-simulation) stopped on interrupt and exit like any other run: its whole group when it
 * was started with `detached: true`, else the process itself.
 */
export function trackProcess(child: ResultPromise): void {
  hookExit();
  if (child.pid === undefined) return;
  const group: Group = { pid: child.pid, label: basename(String(child.spawnargs[0] ?? 'program')), stopped: undefined };
  live.add(group);
  const scope = scopes.getStore();
  scope?.groups.add(group);
  const forget = () => {
    live.delete(group);
    scope?.groups.delete(group);
  };
  void child.then(forget, forget);
}

/** Thrown by withDeadline when the work did not finish in time; its programs have been stopped. */
export class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
  constructor(readonly seconds: number) {
    super(`did not finish within ${seconds} s`);
  }
}

/**
 * Runs `work` with a deadline shared by every program it starts (they are stopped when it passes). Rejects with a
 * DeadlineError at the deadline even when the work is still waiting on something else.
 */
export async function withDeadline<T>(ms: number, work: () => Promise<T>): Promise<T> {
  const scope: Scope = { groups: new Set(), endsAt: Date.now() + ms, expired: false };
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      scope.expired = true;
      for (const group of scope.groups) stopGroup(group, 'timeout');
      reject(new DeadlineError(Math.round(ms / 1000)));
    }, ms);
  });
  const running = scopes.run(scope, work);
  try {
    return await Promise.race([running, expired]);
  } finally {
    clearTimeout(timer);
    running.catch(() => {}); // its failure after the deadline is the deadline's
  }
}

/** "exited with code 2", "was killed by SIGSEGV", "did not finish within 600 s and was stopped". */
export function howItEnded(r: BoundedResult): string {
  if (r.timedOut) return `did not finish within ${Math.round(r.limitSeconds)} s and was stopped (with every process it started)`;
  if (r.interrupted) return 'was stopped: atomik-gen was interrupted';
  if (r.startError !== undefined) return `could not be started: ${r.startError}`;
  if (r.exitCode === undefined) return `was killed by ${r.signal ?? 'a signal'}`;
  return `exited with code ${r.exitCode}`;
}
