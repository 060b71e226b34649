// `atomik-gen setup [--check]`: installs the tools atomik-gen runs, for this user (generator/tools/toolchain.ts), then
// shows every tool as `doctor` does. `--check` changes nothing: it reports what is installed and what is missing.
// Either way it exits 1 when a tool the default flow needs is still missing, or Debian packages wait for root.
import type { Argv, CommandModule } from 'yargs';
import { AtomikError } from '../generator/common/errors.js';
import { checkSetup, reportCheck, runSetup } from '../generator/tools/toolchain.js';
import { clearToolCache, probeTools, SETUP_COMMAND, TOOL_IDS } from '../generator/tools/tools.js';
import type { Args } from './design-flags.js';
import { flowVerdict, printToolTable } from './doctor.js';
import { flowTools } from './flow-tools.js';
import { say } from './say.js';

async function setup(argv: Args): Promise<void> {
  const started = performance.now();
  const flow = flowTools(undefined);
  if (argv.check === true) {
    const check = await checkSetup();
    reportCheck(check, say);
    const records = await probeTools(TOOL_IDS);
    printToolTable(records);
    say(flowVerdict(records, flow));
    if (check.debianPackages.length > 0 || check.state.kind !== 'installed') say(`setup: to install what is missing, run: ${SETUP_COMMAND}`);
    return;
  }
  const result = await runSetup({ say });
  clearToolCache();
  const records = await probeTools(TOOL_IDS);
  printToolTable(records);
  if (result.pendingCommand !== undefined) {
    throw new AtomikError(`Debian packages still missing: ${result.debianPackages.join(' ')}`, { where: 'setup', hint: `${result.pendingCommand}; then run setup again` });
  }
  say(flowVerdict(records, flow));
  say(`setup: done in ${Math.round((performance.now() - started) / 1000)} s; the Python tools are in ${result.toolchain.venv}`);
}

export const setupCommand: CommandModule<object, Args> = {
  command: 'setup',
  describe: 'install the pinned EDA tools for this user (Python tools into a per-user cache, Debian packages with apt-get as root)',
  builder: (y: Argv<object>) =>
    y.option('check', { type: 'boolean', default: false, describe: 'only report what is installed and what is missing; change nothing' }) as Argv<Args>,
  handler: setup,
};
