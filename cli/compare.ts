// `atomik-gen compare <reports..>`: report.json files, folders of them or sweep files side by side, as Markdown on the
// console and in <out>/compare.md, and as a self-contained HTML page with charts in <out>/compare.html. With
// --budget FILE it also checks the reports against the budget and exits non-zero on any breach.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { budgetMarkdown, checkBudget, readBudget } from '../generator/report/budget.js';
import { compareHtml, compareMarkdown, loadComparison } from '../generator/report/compare.js';
import { AtomikError } from '../generator/common/errors.js';

export interface CompareArgs {
  readonly reports: readonly string[];
  readonly out: string;
  readonly budget?: string | undefined;
}

export const DEFAULT_COMPARE_OUT = 'out/compare';

function shown(path: string): string {
  return relative(process.cwd(), path) || path;
}

/** Runs the comparison; throws AtomikError on bad input and when the budget is breached (after writing the files). */
export function runCompare(args: CompareArgs, stdout: NodeJS.WritableStream = process.stdout, stderr: NodeJS.WritableStream = process.stderr): void {
  const { reports, failed } = loadComparison(args.reports);
  const budget = args.budget === undefined ? undefined : { file: args.budget, limits: readBudget(args.budget) };
  const result = budget ? checkBudget(reports, budget.limits, failed) : undefined;
  let markdown = compareMarkdown(reports, failed);
  if (budget && result) markdown += budgetMarkdown(result, budget.limits, budget.file);

  mkdirSync(args.out, { recursive: true });
  const mdPath = join(args.out, 'compare.md');
  const htmlPath = join(args.out, 'compare.html');
  writeFileSync(mdPath, markdown);
  writeFileSync(htmlPath, compareHtml(reports, failed));
  stdout.write(markdown);
  stderr.write(`compare: wrote ${shown(mdPath)} and ${shown(htmlPath)}\n`);

  if (result && result.breaches.length > 0) {
    for (const breach of result.breaches) stderr.write(`budget breach: ${breach}\n`);
    throw new AtomikError(`${result.breaches.length} budget breach(es)`, { where: budget?.file, hint: `listed above and in ${shown(mdPath)}` });
  }
}

export const compareCommand: CommandModule<object, CompareArgs> = {
  command: 'compare <reports..>',
  describe: 'compare build reports (report.json files, folders holding them, sweep JSON files) side by side',
  builder: (y: Argv<object>) =>
    y
      .positional('reports', { type: 'string', array: true, demandOption: true, describe: 'report.json files, folders searched for them, or sweep JSON files' })
      .option('out', { type: 'string', default: DEFAULT_COMPARE_OUT, describe: 'folder for compare.md and compare.html' })
      .option('budget', { type: 'string', describe: 'budget JSON (e.g. budgets/budget.json): exit 1 when a report breaks it' }),
  handler: (argv) => runCompare({ reports: argv.reports, out: argv.out, budget: argv.budget }),
};
