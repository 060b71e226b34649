// What every way of running a sweep's points shares: a point to run (its design and output folder) and a point's
// outcome as the sweep records it (sweep.json's `points`).
import type { LooseDesignInput } from '../../design/design.js';
import type { BuildReport } from '../../report/schema.js';

/** One point to run: its label (and folder name), its design input and its output folder (absolute). */
export interface PointJob {
  readonly label: string;
  readonly input: LooseDesignInput;
  readonly outDir: string;
}

/** A Slurm array task that ran a point, as the scheduler reported it. */
export interface SlurmTaskRecord {
  /** `1234_5`: the array's job id and the task's index. */
  readonly id: string;
  /** Slurm's final state: COMPLETED, FAILED, TIMEOUT, CANCELLED, OUT_OF_MEMORY, NODE_FAIL, ... */
  readonly state: string;
  /** Slurm's `exit:signal`, when the scheduler gave one. */
  readonly exitCode?: string;
  /** Run time as Slurm counts it. */
  readonly elapsed?: string;
  /** The task's output (stdout and stderr). */
  readonly log: string;
  /** The last lines of that output, for a task that did not complete. */
  readonly logTail?: readonly string[];
}

export interface SweepPoint {
  readonly label: string;
  readonly input: LooseDesignInput;
  readonly status: 'ok' | 'failed';
  readonly reason?: string;
  readonly outDir?: string;
  readonly report?: BuildReport;
  /** The command line the point ran as, when it ran as a process of its own (a launcher, a Slurm task). */
  readonly command?: string;
  /** The Slurm task that ran it (`--executor slurm`). */
  readonly slurm?: SlurmTaskRecord;
}

/** Runs at most `jobs` of the tasks at once, keeping their order in the result. */
export async function pool<T>(jobs: number, tasks: readonly (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < tasks.length; i = next++) results[i] = await tasks[i]!();
  };
  await Promise.all(Array.from({ length: Math.min(jobs, tasks.length) }, worker));
  return results;
}
