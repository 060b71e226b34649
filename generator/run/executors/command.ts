// A sweep point as one `atomik-gen` process: the main job's command line for the point (the same pipeline a point run
// in-process goes through), a launcher prefix split into words, the command as a shell line that runs as printed, the
// time bound of a point, and what a finished point process left behind (its report, or why it failed).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AtomikError } from '../../common/errors.js';
import { packageRoot } from '../../common/version.js';
import { RUN_STAGES, STAGES, type RunStageName, type StageName } from '../../common/stages.js';
import { resolveDesign, type LooseDesignInput } from '../../design/design.js';
import { stageTimeoutSeconds } from '../../plan/plan.js';
import { REPORT_FILE } from '../../report/report.js';
import { parseReport, type BuildReport } from '../../report/schema.js';
import { MAX_CLOCK_ATTEMPTS, type ClosureOptions } from '../closure.js';

/** The axis fields of a point and the main job's flag for each: what a point's command line names. */
export const POINT_FLAGS: readonly (readonly [keyof LooseDesignInput, string])[] = [
  ['board', '--board'],
  ['banks', '--banks'],
  ['width', '--width'],
  ['mode', '--mode'],
  ['arch', '--arch'],
  ['clockMHz', '--clock-mhz'],
];

/** How every point of a sweep runs as a process, apart from its design. */
export interface PointCommandOptions {
  readonly until: StageName;
  readonly force: boolean;
  /** The config file the sweep read (absolute): the base of every point, as for the sweep itself. */
  readonly config?: string;
  /** The stage time limits of `--timeout` (the config's come with the config). */
  readonly timeoutFlags: Readonly<Partial<Record<RunStageName, number>>>;
  /** Boards of board files by id, as the absolute path of the file: a point names its board file, not its id. */
  readonly boardFiles: ReadonlyMap<string, string>;
  /** `--json`: the report on stdout, the progress lines on stderr, no summary. */
  readonly json?: boolean;
  /** Placement seeds and the clock search (generator/run/closure.ts): `--seeds N`, `--clock-mhz max --margin PCT`. */
  readonly closure?: ClosureOptions;
}

/** The main job (`node bin/atomik-gen.js`) as absolute paths, so a worker with the same paths runs the same atomik-gen. */
export function atomikGenCommand(): string[] {
  return [process.execPath, join(packageRoot(), 'bin', 'atomik-gen.js')];
}

/** The main job's arguments for one point, its output folder `outDir` (absolute). */
export function pointArgs(input: LooseDesignInput, outDir: string, opts: PointCommandOptions): string[] {
  const args: string[] = [];
  if (opts.config !== undefined) args.push('--config', opts.config);
  for (const [field, flag] of POINT_FLAGS) {
    const value = input[field];
    if (value === undefined) continue;
    const text = String(value);
    args.push(flag, field === 'board' ? (opts.boardFiles.get(text) ?? text) : text);
  }
  args.push('--until', opts.until);
  for (const stage of RUN_STAGES) {
    const seconds = opts.timeoutFlags[stage];
    if (seconds !== undefined) args.push('--timeout', `${stage}=${seconds}`);
  }
  if (opts.closure?.seeds) args.push('--seeds', String(opts.closure.seeds.length));
  if (opts.closure?.clockMax) args.push('--clock-mhz', 'max', '--margin', String(opts.closure.clockMax.marginPct));
  if (opts.force) args.push('--force');
  if (opts.json) args.push('--json');
  args.push('--out', outDir);
  return args;
}

/** A word as a POSIX shell reads it back: bare when it has no special character, else in single quotes. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Words as one shell line: pasted into a shell, it runs the same program with the same arguments. */
export function shellLine(words: readonly string[]): string {
  return words.map(shellWord).join(' ');
}

/**
 * A command prefix or option text (`--launcher "srun -N1 -n1"`, `--slurm-opts "--account=fpga --mem=4G"`) as words,
 * split as a shell splits them (single and double quotes, backslashes), but never run by a shell: an unquoted pipe,
 * redirection, `;`, `&`, `$` or backquote is refused rather than passed on as a word.
 */
export function splitWords(text: string, where: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  const refuse = (what: string) =>
    new AtomikError(`${what} in ${JSON.stringify(text)}: the text is split into words, not run by a shell`, {
      where,
      hint: 'give a program and its arguments (quote a word that holds a special character); for more, put it in a script and name the script',
    });
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw refuse('an unclosed single quote');
      word = (word ?? '') + text.slice(i + 1, end);
      i = end;
    } else if (c === '"') {
      let j = i + 1;
      let part = '';
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === '\\' && j + 1 < text.length && '"\\$`'.includes(text[j + 1]!)) part += text[++j];
        else if (text[j] === '$' || text[j] === '`') throw refuse(`a ${text[j]} inside double quotes`);
        else part += text[j];
      }
      if (j >= text.length) throw refuse('an unclosed double quote');
      word = (word ?? '') + part;
      i = j;
    } else if (c === '\\') {
      if (i + 1 >= text.length) throw refuse('a backslash at the end');
      word = (word ?? '') + text[++i];
    } else if ('|&;<>()$`'.includes(c)) {
      throw refuse(`an unquoted ${c}`);
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/**
 * How long a point's whole process may take: its stages' limits up to `until` (as the main job sets them), each seed's
 * place and route one after another, the clock search's every attempt (and its probe) as a whole job, and 10 minutes to
 * start and finish.
 */
export function pointLimitSeconds(input: LooseDesignInput, until: StageName, timeouts: Readonly<Partial<Record<RunStageName, number>>>, closure: ClosureOptions = {}): number {
  const START_SECONDS = 600;
  let design: { banks: number; width: number };
  try {
    design = resolveDesign(input);
  } catch {
    return START_SECONDS; // the process stops at once with the design's error
  }
  const last = STAGES.indexOf(until);
  const seeds = closure.seeds?.length ?? 1;
  const job = RUN_STAGES.filter((s) => STAGES.indexOf(s) <= last).reduce((sum, s) => sum + (timeouts[s] ?? stageTimeoutSeconds(s, design)) * (s === 'pnr' ? seeds : 1), 0);
  return START_SECONDS + job * (closure.clockMax ? MAX_CLOCK_ATTEMPTS + 1 : 1);
}

/** The line an atomik-gen process ended with when it failed: its `atomik-gen: error: ...` (first line), else undefined. */
export function errorLineOf(output: string): string | undefined {
  const lines = output.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const m = /^atomik-gen: ((?:internal )?error: .*)$/.exec(lines[i]!);
    if (m) return m[1]!.startsWith('error: ') ? m[1]!.slice('error: '.length) : m[1]!;
  }
  return undefined;
}

/** The last `n` lines of a text that are not blank. */
export function tailLines(text: string, n: number): string[] {
  return text.split('\n').map((l) => l.trimEnd()).filter((l) => l !== '').slice(-n);
}

/**
 * The report a point's process wrote, read back from its output folder and checked against the report schema; the
 * value as written (a field the schema does not know stays). Throws an AtomikError naming the file when it is missing
 * or not a report.
 */
export function readPointReport(outDir: string): BuildReport {
  const file = join(outDir, REPORT_FILE);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new AtomikError(code === 'ENOENT' ? 'the point finished but wrote no report' : `the point's report cannot be read (${code ?? (err as Error).message})`, {
      where: file,
      hint: 'is the output folder on a path the workers and this machine share?',
    });
  }
  parseReport(json, file);
  return json as BuildReport;
}
