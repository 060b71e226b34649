// The atomik-gen command line: one module per command (cli/<command>.ts), registered here, and the one place errors
// become a single line and an exit code. Every command that takes a design accepts the same design flags; a config file
// (`--config`, or ./atomik.config.ts when present) gives the base and flags override it.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { colorsFor, type Colors } from '../generator/common/color.js';
import { AtomikError } from '../generator/common/errors.js';
import { GENERATOR_VERSION } from '../generator/common/version.js';
import { ToolMissingError } from '../generator/tools/tools.js';
import { boardsCommand } from './boards.js';
import { compareCommand } from './compare.js';
import { deviceCommand, programCommand } from './device.js';
import { doctorCommand } from './doctor.js';
import { generateCommand } from './generate.js';
import { initCommand } from './init.js';
import { installInterruptHandler } from './interrupt.js';
import { jobCommand } from './job.js';
import { setupCommand } from './setup.js';
import { simCommand } from './sim.js';
import { sweepCommand, withDashValues } from './sweep.js';
import { verifyCommand } from './verify.js';

/**
 * Node system errors a user can act on, by code: what happened in plain words and what to do. One of these escaping a
 * command is the machine's condition (a full disk, a permission, a path), not a bug in atomik-gen.
 */
export const SYSTEM_ERRORS: ReadonlyMap<string, { readonly words: string; readonly todo: string }> = new Map([
  ['ENOENT', { words: 'no such file or folder', todo: 'check the path' }],
  ['EACCES', { words: 'permission denied', todo: 'check the permissions of the file and its folders, or choose another path' }],
  ['EPERM', { words: 'operation not permitted', todo: 'check the permissions and whether the file is locked or immutable' }],
  ['ENOSPC', { words: 'no space left on device', todo: 'free some space and rerun' }],
  ['EDQUOT', { words: 'disk quota exceeded', todo: 'free some space or raise the quota, and rerun' }],
  ['EROFS', { words: 'read-only file system', todo: 'choose a folder on a writable file system' }],
  ['EISDIR', { words: 'is a folder, not a file', todo: 'give the path of a file' }],
  ['ENOTDIR', { words: 'a part of the path is a file, not a folder', todo: 'check the path' }],
  ['EEXIST', { words: 'already exists', todo: 'remove it or choose another path' }],
  ['EMFILE', { words: 'too many open files in this process', todo: 'raise the limit (ulimit -n) or run fewer jobs at once, and rerun' }],
  ['ENFILE', { words: 'too many open files on this system', todo: 'close some programs or raise the system limit, and rerun' }],
  ['ENAMETOOLONG', { words: 'file name too long', todo: 'choose a shorter path' }],
  ['EBUSY', { words: 'resource busy or locked', todo: 'close the program using it and rerun' }],
  ['EXDEV', { words: 'cannot move a file across file systems', todo: 'keep the output folder and the temporary folder on one file system' }],
]);

/** The one line for a Node system error of SYSTEM_ERRORS, or undefined for any other error. */
export function systemErrorLine(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const { code, path, dest } = err as NodeJS.ErrnoException & { dest?: unknown };
  const known = typeof code === 'string' ? SYSTEM_ERRORS.get(code) : undefined;
  if (!known) return undefined;
  const where = typeof path === 'string' ? (typeof dest === 'string' ? `${path} -> ${dest}: ` : `${path}: `) : '';
  return `${where}${known.words} (${known.todo})`;
}

/**
 * What the command line prints for an error that ended a command, and the exit code: 1 for a user's problem (an
 * AtomikError, a missing tool, a system condition such as a full disk), with the message as given (a missing tool
 * lists every place looked at, one per line); 2 with the stack only for an error nothing expected (a bug).
 */
export function errorReport(err: unknown): { readonly text: string; readonly exitCode: 1 | 2 } {
  if (err instanceof AtomikError) return { text: `atomik-gen: error: ${err.oneLine()}`, exitCode: 1 };
  if (err instanceof ToolMissingError) return { text: `atomik-gen: error: ${err.message}`, exitCode: 1 };
  const system = systemErrorLine(err);
  if (system !== undefined) return { text: `atomik-gen: error: ${system}`, exitCode: 1 };
  return { text: `atomik-gen: internal error: ${err instanceof Error ? (err.stack ?? String(err)) : String(err)}`, exitCode: 2 };
}

/** An error report's line with its `error:` (or `internal error:`) word in red when `c` colours. */
export function paintError(text: string, c: Colors): string {
  return text.replace(/^(atomik-gen: )((?:internal )?error:)/, (_m, prefix: string, word: string) => `${prefix}${c.bold(c.red(word))}`);
}

/** yargs's own completion (`atomik-gen completion`), less the default command's name, `$0`, which is not a word to type. */
function completeWords(
  _current: string,
  _argv: unknown,
  completionFilter: (onCompleted?: (err: Error | null, words: string[] | undefined) => void) => unknown,
  done: (words: string[]) => unknown,
): void {
  completionFilter((_err, words) => done((words ?? []).filter((w) => w !== '$0')));
}

export async function main(args: string[] = hideBin(process.argv)): Promise<number> {
  installInterruptHandler();
  const parser = yargs(withDashValues(args))
    .scriptName('atomik-gen')
    .version(GENERATOR_VERSION)
    .alias('version', 'V')
    .strict()
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .command(jobCommand)
    .command(generateCommand)
    .command(verifyCommand)
    .command(sweepCommand)
    .command(boardsCommand)
    .command(compareCommand)
    .command(programCommand)
    .command(deviceCommand)
    .command(simCommand)
    .command(doctorCommand)
    .command(setupCommand)
    .command(initCommand)
    .completion('completion', 'print a shell completion script (bash, zsh): atomik-gen completion >> ~/.bashrc', completeWords)
    .fail((msg, err) => {
      throw err ?? new AtomikError(msg, { hint: 'see atomik-gen --help' });
    })
    .help()
    .alias('help', 'h');
  try {
    await parser.parseAsync();
    return 0;
  } catch (err) {
    const { text, exitCode } = errorReport(err);
    process.stderr.write(`${paintError(text, colorsFor(process.stderr))}\n`);
    return exitCode;
  }
}
