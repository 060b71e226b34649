// The atomik-gen command line: one module per command (cli/<command>.ts), registered here, and the one place errors
// become a single line and an exit code. Every command that takes a design accepts the same design flags; a config file
// (`--config`, or ./atomik.config.ts when present) gives the base and flags override it.
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { AtomikError } from '../generator/common/errors.js';
import { GENERATOR_VERSION } from '../generator/common/version.js';
import { ToolMissingError } from '../generator/tools/tools.js';
import { boardsCommand } from './boards.js';
import { compareCommand } from './compare.js';
import { deviceCommand, programCommand } from './device.js';
import { doctorCommand } from './doctor.js';
import { generateCommand } from './generate.js';
import { jobCommand } from './job.js';
import { sweepCommand } from './sweep.js';
import { verifyCommand } from './verify.js';

export async function main(args: string[] = hideBin(process.argv)): Promise<number> {
  const parser = yargs(args)
    .scriptName('atomik-gen')
    .version(GENERATOR_VERSION)
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
    .command(doctorCommand)
    .fail((msg, err) => {
      throw err ?? new AtomikError(msg, { hint: 'see atomik-gen --help' });
    })
    .help();
  try {
    await parser.parseAsync();
    return 0;
  } catch (err) {
    if (err instanceof AtomikError) {
      process.stderr.write(`atomik-gen: error: ${err.oneLine()}\n`);
      return 1;
    }
    if (err instanceof ToolMissingError) {
      process.stderr.write(`atomik-gen: error: ${err.message}\n`);
      return 1;
    }
    process.stderr.write(`atomik-gen: internal error: ${(err as Error).stack ?? String(err)}\n`);
    return 2;
  }
}
