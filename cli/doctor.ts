// `atomik-gen doctor`: every tool, where it was found and its version, or how to get it. Exits 1 when a tool the main
// job of the board (default tang9k, or the config file's board, or --board) needs is missing.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { AtomikError } from '../generator/common/errors.js';
import { DEFAULT_CONFIG_NAME, readConfigFile } from '../generator/design/config-file.js';
import { probeTools, SETUP_COMMAND, TOOL_IDS, type ToolProbeResult } from '../generator/tools/tools.js';
import { namedBoardId, singleFlag, type Args } from './design-flags.js';
import { flowTools, type FlowTools } from './flow-tools.js';
import { say } from './say.js';

/** The table `doctor` and `setup` print: one line per tool. */
export function printToolTable(records: readonly ToolProbeResult[]): void {
  for (const r of records) {
    if ('error' in r) {
      say(`${r.id.padEnd(20)} missing   ${r.error.looked.join('; ')}; ${r.error.hint}`);
    } else {
      say(`${r.tool.id.padEnd(20)} ${(r.tool.version ?? '?').padEnd(9)} ${r.tool.source.padEnd(9)} ${r.tool.path}${r.tool.note ? `  (${r.tool.note})` : ''}`);
    }
  }
}

/**
 * The closing line for a board's flow: all needed tools found (optional ones missing are named), or an AtomikError
 * naming the missing needed tools and `atomik-gen setup`.
 */
export function flowVerdict(records: readonly ToolProbeResult[], flow: FlowTools): string {
  const missing = new Set(records.filter((r) => !r.ok).map((r) => r.id));
  const neededMissing = flow.needed.filter((id) => missing.has(id));
  if (neededMissing.length > 0) {
    throw new AtomikError(`${neededMissing.join(', ')} missing: the ${flow.board} flow needs ${neededMissing.length === 1 ? 'it' : 'them'} (see the table above)`, {
      where: 'doctor',
      hint: `run: ${SETUP_COMMAND}`,
    });
  }
  const notNeeded = [...missing].map((id) => (flow.optional.includes(id) ? `${id} (the stages that use it are skipped)` : id));
  const tail = notNeeded.length === 0 ? '' : `; missing, not needed for it: ${notNeeded.join(', ')}`;
  return `the ${flow.board} flow has every tool it needs (${flow.needed.join(', ')})${tail}`;
}

async function doctor(argv: Args): Promise<void> {
  // a config file's `tools` entries count, as they do for the main job, and its board is the default flow's
  const configFlag = singleFlag(argv, 'config');
  const configPath = resolve(configFlag ?? DEFAULT_CONFIG_NAME);
  const config = configFlag !== undefined || existsSync(configPath) ? readConfigFile(configPath) : undefined;
  const overrides = (config?.values.tools ?? {}) as Record<string, string>;
  // a board file (the config's board, or --board ./myboard.ts) is read and its flow checked like a package board's
  const flow = flowTools(namedBoardId(singleFlag(argv, 'board'), config));
  const records = await probeTools(TOOL_IDS, { overrides });
  if (argv.json === true) {
    // the same facts as data; the exit code is the same as without --json
    const missing = flow.needed.filter((id) => records.some((r) => r.id === id && !r.ok));
    const tools = records.map((r) =>
      r.ok
        ? { id: r.id, found: true, version: r.tool.version, source: r.tool.source, path: r.tool.path, ...(r.tool.note ? { note: r.tool.note } : {}) }
        : { id: r.id, found: false, looked: r.error.looked, hint: r.error.hint },
    );
    say(JSON.stringify({ board: flow.board, needed: flow.needed, optional: flow.optional, ok: missing.length === 0, missing, tools }, null, 2));
    if (missing.length > 0) throw new AtomikError(`${missing.join(', ')} missing: the ${flow.board} flow needs ${missing.length === 1 ? 'it' : 'them'}`, { where: 'doctor', hint: `run: ${SETUP_COMMAND}` });
    return;
  }
  printToolTable(records);
  say(flowVerdict(records, flow));
}

export const doctorCommand: CommandModule<object, Args> = {
  command: 'doctor',
  describe: 'show every tool, where it was found and its version; exit 1 when the flow of the board misses one',
  builder: (y: Argv<object>) =>
    y
      .option('config', { type: 'string', describe: `config file whose tools entries (and board) apply (default: ./${DEFAULT_CONFIG_NAME} when present)` })
      .option('board', { type: 'string', describe: "check this board's flow: an id, or a board file's path (default: the config file's board, else tang9k)" })
      .option('json', { type: 'boolean', describe: 'print the tools and the verdict as JSON on stdout' })
      .example('$0 doctor', "every tool, and whether the default board's flow has what it needs")
      .example('$0 doctor --board zynq7020 --json', "the Zynq flow's tools as JSON") as Argv<Args>,
  handler: doctor,
};
