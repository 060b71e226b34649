// A real one-node Slurm cluster for the tests (not part of the package): munged as the munge user with a key of its
// own, slurmctld and slurmd as root, in the foreground as children of the test process, with a minimal slurm.conf
// (this machine as the one node, CPUs = its cores, proctrack/linuxproc, task/none, no accounting), its state, spool,
// logs and munge socket in a temporary folder, on free ports; clients reach it through SLURM_CONF. Debian's slurm-wlm
// and munge provide the programs (scripts/setup.sh installs them as root). Run as root (.ci/run), or as a user with
// passwordless sudo (a GitHub runner): the daemons then start through `sudo -n` and the jobs run as that user.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { hostname, availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';

const PROGRAMS = { munged: '/usr/sbin/munged', mungekey: '/usr/sbin/mungekey', slurmctld: '/usr/sbin/slurmctld', slurmd: '/usr/sbin/slurmd' };
const CLIENTS = ['sbatch', 'squeue', 'scancel', 'scontrol', 'sinfo'];
const INSTALL = 'apt-get install -y --no-install-recommends slurm-wlm munge (as root; scripts/setup.sh does it)';

export interface SlurmCluster {
  /** The temporary folder of the cluster (configuration, state, logs). */
  readonly dir: string;
  /** The environment a client of this cluster needs: SLURM_CONF. */
  readonly env: Readonly<Record<string, string>>;
  /** The one partition (the default). */
  readonly partition: string;
  /** The daemons' logs, for a failing test's message. */
  logs(): string;
  /** Cancels what is left of the jobs, stops the daemons and removes the folder. */
  stop(): Promise<void>;
}

const isRoot = process.getuid?.() === 0;

/** Why a cluster cannot start on this machine (neither root nor passwordless sudo, a program missing), or undefined when it can. */
export function clusterProblem(): string | undefined {
  if (!isRoot && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore', timeout: 10_000 }).status !== 0) {
    return `a one-node Slurm cluster needs root (slurmd runs as root, munged as the munge user); this runs as uid ${process.getuid?.()} without passwordless sudo: run the tests as root, as CI does`;
  }
  const missing = Object.values(PROGRAMS).filter((p) => !existsSync(p));
  for (const c of CLIENTS) if (!['/usr/bin', '/usr/local/bin', '/bin'].some((d) => existsSync(join(d, c)))) missing.push(c);
  if (missing.length > 0) return `Slurm or munge is not installed (missing ${missing.join(', ')}): ${INSTALL}`;
  return undefined;
}

/** A program as root (or as `user`): directly when this is root, else through `sudo -n`. */
function privileged(file: string, args: readonly string[], opts: { user?: { name: string; uid: number; gid: number }; env?: Record<string, string> } = {}) {
  const env = opts.env ?? {};
  const options = { env, reject: false, stdin: 'ignore', stdout: 'ignore', stderr: 'pipe' } as const;
  if (isRoot) return execa(file, [...args], { ...options, ...(opts.user ? { uid: opts.user.uid, gid: opts.user.gid } : {}) });
  const assigns = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  return execa('sudo', ['-n', ...(opts.user ? ['-u', opts.user.name] : []), ...(assigns.length > 0 ? ['env', ...assigns] : []), file, ...args], options);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function idOf(flag: '-u' | '-g', user: string): Promise<number> {
  const r = await execa('id', [flag, user], { reject: false, timeout: 10_000 });
  if (r.exitCode !== 0) throw new Error(`no ${user} user (${String(r.stderr).trim()}): ${INSTALL}`);
  return Number(String(r.stdout).trim());
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts the cluster and waits (at most 60 s) until its node is idle; throws with the daemons' logs when it does not come up. */
export async function startCluster(): Promise<SlurmCluster> {
  const problem = clusterProblem();
  if (problem) throw new Error(problem);
  const dir = mkdtempSync(join(tmpdir(), 'atomik-slurm-'));
  // munged wants every folder above its socket searchable by all
  chmodSync(dir, 0o755);
  const munge = join(dir, 'munge');
  for (const d of [munge, join(dir, 'state'), join(dir, 'spool'), join(dir, 'log')]) mkdirSync(d, { recursive: true });
  const munged = { name: 'munge', uid: await idOf('-u', 'munge'), gid: await idOf('-g', 'munge') };
  const key = join(munge, 'munge.key');
  const run = async (what: string, p: ReturnType<typeof privileged>) => {
    const r = await p;
    if (r.exitCode !== 0) throw new Error(`${what} failed: ${String(r.stderr).trim()}`);
  };
  await run('chown of the munge folder', privileged('chown', [`${munged.uid}:${munged.gid}`, munge]));
  // mungekey writes the key as the munge user, readable by it alone
  await run('mungekey', privileged(PROGRAMS.mungekey, ['--create', `--keyfile=${key}`], { user: munged }));

  const node = hostname().split('.')[0]!;
  const [ctldPort, dPort] = [await freePort(), await freePort()];
  const socket = join(munge, 'munge.socket');
  const conf = join(dir, 'slurm.conf');
  writeFileSync(
    conf,
    [
      '# A one-node cluster for atomik-gen tests (test/slurm-cluster.ts)',
      'ClusterName=atomiktest',
      `SlurmctldHost=${node}`,
      'SlurmUser=root',
      'SlurmdUser=root',
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${dPort}`,
      'AuthType=auth/munge',
      'CredType=cred/munge',
      `AuthInfo=socket=${socket}`,
      `StateSaveLocation=${join(dir, 'state')}`,
      `SlurmdSpoolDir=${join(dir, 'spool')}`,
      `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`,
      `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
      `SlurmctldLogFile=${join(dir, 'log', 'slurmctld.log')}`,
      `SlurmdLogFile=${join(dir, 'log', 'slurmd.log')}`,
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'SchedulerType=sched/backfill',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_CPU',
      'ReturnToService=2',
      'MpiDefault=none',
      'JobAcctGatherType=jobacct_gather/none',
      'AccountingStorageType=accounting_storage/none',
      `NodeName=${node} CPUs=${availableParallelism()} State=UNKNOWN`,
      `PartitionName=debug Nodes=${node} Default=YES MaxTime=INFINITE State=UP`,
      '',
    ].join('\n'),
  );
  const env = { SLURM_CONF: conf };
  const daemons: { name: string; child: ResultPromise }[] = [];
  const start = (name: string, file: string, args: string[], user?: typeof munged) => {
    daemons.push({ name, child: privileged(file, args, { env, ...(user ? { user } : {}) }) });
  };
  const logs = () =>
    ['log/slurmctld.log', 'log/slurmd.log', 'munge/munged.log']
      .map((f) => join(dir, f))
      .filter((f) => existsSync(f))
      .map((f) => `--- ${f}\n${readFileSync(f, 'utf8').split('\n').slice(-20).join('\n')}`)
      .join('\n');
  // the daemons go with the test process however it ends
  // (sudo passes SIGTERM on to the daemon it runs; as root the daemon is the child itself)
  const killAll = () => {
    for (const d of daemons) if (d.child.exitCode === null && d.child.pid !== undefined) process.kill(d.child.pid, isRoot ? 'SIGKILL' : 'SIGTERM');
  };
  process.once('exit', killAll);

  const stop = async () => {
    await execa('scancel', ['--full', `--user=${process.getuid?.() ?? 0}`], { env, reject: false, timeout: 20_000 });
    for (let i = 0; i < 50; i++) {
      const q = await execa('squeue', ['--noheader', '--format=%i'], { env, reject: false, timeout: 10_000 });
      if (q.exitCode !== 0 || String(q.stdout).trim() === '') break;
      await sleep(200);
    }
    for (const d of [...daemons].reverse()) {
      if (d.child.pid !== undefined && d.child.exitCode === null) d.child.kill('SIGTERM');
      const ended = await Promise.race([d.child.then(() => true), sleep(10_000).then(() => false)]);
      if (!ended && d.child.pid !== undefined) {
        // the daemon's own pid (its pid file), not sudo's
        const pidFile = { munged: join(munge, 'munged.pid'), slurmctld: join(dir, 'slurmctld.pid'), slurmd: join(dir, 'slurmd.pid') }[d.name];
        const pid = pidFile && existsSync(pidFile) ? readFileSync(pidFile, 'utf8').trim() : String(d.child.pid);
        await privileged('kill', ['-KILL', pid]);
      }
    }
    process.removeListener('exit', killAll);
    await privileged('rm', ['-rf', dir]);
  };

  try {
    start('munged', PROGRAMS.munged, ['--foreground', `--socket=${socket}`, `--key-file=${key}`, `--pid-file=${join(munge, 'munged.pid')}`, `--log-file=${join(munge, 'munged.log')}`, `--seed-file=${join(munge, 'munged.seed')}`], munged);
    for (let i = 0; !existsSync(socket); i++) {
      if (i > 100) throw new Error('munged did not create its socket within 10 s');
      await sleep(100);
    }
    start('slurmctld', PROGRAMS.slurmctld, ['-D', '-f', conf]);
    start('slurmd', PROGRAMS.slurmd, ['-D', '-f', conf]);
    for (let i = 0; ; i++) {
      const r = await execa('sinfo', ['--noheader', '--format=%T'], { env, reject: false, timeout: 10_000 });
      if (r.exitCode === 0 && String(r.stdout).trim() === 'idle') break;
      const dead = daemons.find((d) => d.child.exitCode !== null);
      if (dead) throw new Error(`${dead.name} stopped (exit ${dead.child.exitCode})`);
      if (i > 300) throw new Error(`the node did not become idle within 60 s (sinfo: ${String(r.stdout || r.stderr).trim()})`);
      await sleep(200);
    }
  } catch (err) {
    const text = logs();
    await stop();
    throw new Error(`the one-node Slurm cluster did not start: ${(err as Error).message}\n${text}`);
  }
  return { dir, env, partition: 'debug', logs, stop };
}
