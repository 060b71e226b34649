// `atomik-gen doctor`: every tool, where it was found and its version, or how to get it.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { DEFAULT_CONFIG_NAME, readConfigFile } from '../generator/design/config-file.js';
import { probeTools, TOOL_IDS } from '../generator/tools/tools.js';
import type { Args } from './design-flags.js';
import { say } from './say.js';

async function doctor(argv: Args): Promise<void> {
  // a config file's `tools` entries count, as they do for the main job
  const configPath = resolve(typeof argv.config === 'string' ? argv.config : DEFAULT_CONFIG_NAME);
  const config = typeof argv.config === 'string' || existsSync(configPath) ? readConfigFile(configPath) : undefined;
  const overrides = (config?.values.tools ?? {}) as Record<string, string>;
  const records = await probeTools(TOOL_IDS, { overrides });
  let missing = 0;
  for (const r of records) {
    if ('error' in r) {
      missing++;
      say(`${r.id.padEnd(20)} missing   ${r.error.looked.join('; ')}; ${r.error.hint}`);
    } else {
      say(`${r.tool.id.padEnd(20)} ${(r.tool.version ?? '?').padEnd(9)} ${r.tool.source.padEnd(8)} ${r.tool.path}${r.tool.note ? `  (${r.tool.note})` : ''}`);
    }
  }
  say(missing === 0 ? 'all tools found' : `${missing} tool(s) missing; the optional ones (openFPGALoader, vivado) are only needed to program a board or implement on Zynq`);
}

export const doctorCommand: CommandModule<object, Args> = {
  command: 'doctor',
  describe: 'show every tool, where it was found and its version',
  builder: (y: Argv<object>) =>
    y.option('config', { type: 'string', describe: `config file whose tools entries apply (default: ./${DEFAULT_CONFIG_NAME} when present)` }) as Argv<Args>,
  handler: doctor,
};
