// A lock file: created with O_EXCL, holding who holds it (pid, host, command, start). One whose process is gone (or an
// unreadable one older than a few seconds, left half-written by a writer that died) is taken over; one whose process
// runs is refused at once, naming it. Every lock this process holds is removed at exit, interrupts included.
import { closeSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

/** A lock file this old that cannot be read was left half-written by a writer that died. */
const UNREADABLE_LOCK_STALE_MS = 10_000;

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  readonly started: string;
}

const held = new Set<string>();
let exitHooked = false;

/** Whether a process runs (one of another user counts). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}

/** The holder of a lock file, or 'stale' when it is certainly gone. */
function holderOf(path: string): Holder | 'stale' | 'unknown' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return 'stale'; // removed in between
  }
  try {
    const h = JSON.parse(text) as Holder;
    if (typeof h.pid !== 'number') throw new Error('no pid');
    if (h.host === hostname() && h.pid !== process.pid && !processAlive(h.pid)) return 'stale';
    return h;
  } catch {
    try {
      return Date.now() - statSync(path).mtimeMs > UNREADABLE_LOCK_STALE_MS ? 'stale' : 'unknown';
    } catch {
      return 'stale';
    }
  }
}

/** "atomik-gen (pid 12, since ...: atomik-gen sweep ...)" or "another atomik-gen run". */
function describe(holder: Holder | 'unknown'): string {
  if (holder === 'unknown') return 'another atomik-gen run';
  const where = holder.host === hostname() ? '' : ` on ${holder.host}`;
  return `atomik-gen (pid ${holder.pid}${where}, since ${holder.started}: ${holder.command})`;
}

/**
 * Takes the lock at `path` and returns its release. When a live process holds it, throws what `busy` makes of a
 * description of the holder.
 */
export function acquireLock(path: string, busy: (holder: string) => Error): () => void {
  const me: Holder = { pid: process.pid, host: hostname(), command: ['atomik-gen', ...process.argv.slice(2)].join(' '), started: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      try {
        writeSync(fd, JSON.stringify(me) + '\n');
      } finally {
        closeSync(fd);
      }
      held.add(path);
      if (!exitHooked) {
        exitHooked = true;
        process.on('exit', () => {
          for (const p of held) rmSync(p, { force: true });
        });
      }
      return () => release(path);
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
    }
    const holder = holderOf(path);
    if (holder !== 'stale') throw busy(describe(holder));
    // move it aside under a name of our own, so two runs that both saw it stale cannot both remove a fresh lock
    const aside = `${path}.stale-${process.pid}`;
    try {
      renameSync(path, aside);
      rmSync(aside, { force: true });
    } catch {
      // another run took it over first; try again
    }
  }
  throw busy('runs that keep taking it over');
}

function release(path: string): void {
  held.delete(path);
  try {
    const h = JSON.parse(readFileSync(path, 'utf8')) as Holder;
    if (h.pid === process.pid && h.host === hostname()) rmSync(path, { force: true });
  } catch {
    // gone already
  }
}
