// `atomik-gen compare <reports..>`: report.json files, folders of them or sweep files side by side, as Markdown on the
// console and in <out>/compare.md, and as a self-contained HTML page with charts in <out>/compare.html. With
// --budget FILE it also checks the reports against the budget and exits non-zero on any breach. `--json` prints the
// comparison's data (and the budget's breaches) as JSON on stdout instead of the Markdown; the files are written the same.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { budgetMarkdown, checkBudget, readBudget } from '../generator/report/budget.js';
import { compareHtml, compareMarkdown, comparisonData, loadComparison } from '../generator/report/compare.js';
import { AtomikError } from '../generator/common/errors.js';
import { shownPath as shown } from '../generator/common/shown.js';
import { claimFolder, recordOwned } from '../generator/run/folder.js';

export interface CompareArgs {
  readonly reports: readonly string[];
  readonly out: string;
  readonly budget?: string | undefined;
  /** Print the comparison as JSON (comparisonData, and the budget check) on stdout instead of the Markdown. */
  readonly json?: boolean | undefined;
}

export const DEFAULT_COMPARE_OUT = 'out/compare';

/** A string option given once (yargs makes an array of one given twice). */
function single(value: unknown, flag: string): string | undefined {
  if (Array.isArray(value)) throw new AtomikError('given more than once', { where: `--${flag}`, hint: 'give it once' });
  return value === undefined ? undefined : String(value);
}


const INPUT_HINT = 'give report.json files, folders holding them, or sweep JSON files';

function codeOf(err: unknown): string | undefined {
  const code = err instanceof Error ? (err as NodeJS.ErrnoException).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

function pathOf(err: unknown, fallback: string): string {
  const path = err instanceof Error ? (err as NodeJS.ErrnoException).path : undefined;
  return typeof path === 'string' ? path : fallback;
}

/** A message's lines as one line: a report's problem is one line on the console whatever the parser said. */
function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

/** The reports behind the paths; a report that cannot be read or is not a report is one AtomikError naming it. */
function loadReportsOrSay(paths: readonly string[]): ReturnType<typeof loadComparison> {
  try {
    return loadComparison(paths);
  } catch (err) {
    if (err instanceof AtomikError) {
      throw new AtomikError(oneLine(err.message), { where: err.where, hint: err.hint === undefined ? undefined : oneLine(err.hint), cause: err });
    }
    const code = codeOf(err);
    const path = pathOf(err, paths.join(', '));
    if (code === 'EACCES' || code === 'EPERM') {
      throw new AtomikError('permission denied reading this report or folder', { where: path, hint: 'make it readable (chmod u+r, and u+x on a folder), or leave it out', cause: err });
    }
    if (code === 'EISDIR') throw new AtomikError('is a folder where a report file was expected', { where: path, hint: INPUT_HINT, cause: err });
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new AtomikError('no such file or folder', { where: path, hint: INPUT_HINT, cause: err });
    throw err;
  }
}

/** Makes the --out folder; a file in the way, or a folder that cannot be made or written, is one AtomikError. */
function makeOutFolder(out: string): void {
  const where = `--out ${shown(out)}`;
  let isFolder: boolean | undefined;
  try {
    isFolder = statSync(out).isDirectory();
  } catch {
    isFolder = undefined; // not there yet (or not reachable: mkdir says why)
  }
  if (isFolder === false) {
    throw new AtomikError('is a file, not a folder', { where, hint: '--out names the folder that gets compare.md and compare.html; give a folder path' });
  }
  try {
    mkdirSync(out, { recursive: true });
  } catch (err) {
    const code = codeOf(err);
    if (code === 'EEXIST' || code === 'ENOTDIR') {
      throw new AtomikError('cannot make the folder: a part of its path is a file, not a folder', { where, hint: 'give --out a folder path with no file in the way', cause: err });
    }
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
      throw new AtomikError(`cannot make the folder: ${code === 'EROFS' ? 'read-only file system' : 'permission denied'}`, { where, hint: 'give --out a folder you can write', cause: err });
    }
    throw err;
  }
}

/** Runs the comparison; throws AtomikError on bad input and when the budget is breached (after writing the files). */
export function runCompare(args: CompareArgs, stdout: NodeJS.WritableStream = process.stdout, stderr: NodeJS.WritableStream = process.stderr): void {
  const { reports, failed } = loadReportsOrSay(args.reports);
  const budget = args.budget === undefined ? undefined : { file: args.budget, limits: readBudget(args.budget) };
  const result = budget ? checkBudget(reports, budget.limits, failed) : undefined;
  let markdown = compareMarkdown(reports, failed);
  if (budget && result) markdown += budgetMarkdown(result, budget.limits, budget.file);

  makeOutFolder(args.out);
  // an atomik-gen folder like any other: compare writes its two files there and nothing else, never into a folder of yours
  claimFolder(args.out);
  recordOwned(args.out, ['compare.md', 'compare.html']);
  const mdPath = join(args.out, 'compare.md');
  const htmlPath = join(args.out, 'compare.html');
  writeOut(mdPath, markdown);
  writeOut(htmlPath, compareHtml(reports, failed));
  if (args.json === true) {
    const data = { ...comparisonData(reports, failed), ...(budget && result ? { budget: { file: budget.file, entries: budget.limits.entries.length, breaches: result.breaches } } : {}) };
    stdout.write(JSON.stringify(data, null, 2) + '\n');
  } else {
    stdout.write(markdown);
  }
  stderr.write(`compare: wrote ${shown(mdPath)} and ${shown(htmlPath)}\n`);

  if (result && result.breaches.length > 0) {
    for (const breach of result.breaches) stderr.write(`budget breach: ${breach}\n`);
    throw new AtomikError(`${result.breaches.length} budget breach(es)`, { where: budget?.file, hint: `listed above and in ${shown(mdPath)}` });
  }
}

/** Writes one output file; a folder in its place or a denied write is one AtomikError (a full disk: see cli/main.ts). */
function writeOut(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (err) {
    const code = codeOf(err);
    if (code === 'EISDIR') throw new AtomikError('is a folder, so compare cannot write its file there', { where: shown(path), hint: 'remove that folder or give another --out', cause: err });
    if (code === 'EACCES' || code === 'EPERM') throw new AtomikError('permission denied writing', { where: shown(path), hint: 'give --out a folder you can write', cause: err });
    // a failed write (ENOSPC, EDQUOT) names no path: add it, so cli/main.ts can say which file
    if (err instanceof Error && code !== undefined && (err as NodeJS.ErrnoException).path === undefined) Object.assign(err, { path: shown(path) });
    throw err;
  }
}

export const compareCommand: CommandModule<object, CompareArgs> = {
  command: 'compare <reports..>',
  describe: 'compare build reports (report.json files, folders holding them, sweep JSON files) side by side',
  builder: (y: Argv<object>) =>
    y
      .positional('reports', { type: 'string', array: true, demandOption: true, describe: 'report.json files, folders searched for them, or sweep JSON files' })
      .option('out', { type: 'string', default: DEFAULT_COMPARE_OUT, describe: 'folder for compare.md and compare.html' })
      .option('budget', { type: 'string', describe: 'budget JSON (e.g. budgets/budget.json): exit 1 when a report breaks it' })
      .option('json', { type: 'boolean', describe: 'print the comparison (a row of figures per report, the failed points, the budget breaches) as JSON on stdout' })
      .example('$0 compare out', 'every report.json and sweep.json under out/, side by side')
      .example('$0 compare out/sweep --budget budgets/budget.json', 'the same, failing on a budget breach'),
  handler: (argv) =>
    runCompare({ reports: argv.reports, out: single(argv.out, 'out') ?? DEFAULT_COMPARE_OUT, budget: single(argv.budget, 'budget'), json: argv.json === true }),
};
