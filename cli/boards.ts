// `atomik-gen boards`: the known boards, their family, part, clock and flow, and whether the tools of each board's
// flow are installed (`--json`: every board's full record with the same facts). Each tool is probed once, all of them
// in parallel, so listing stays quick. A config file's `tools` entries count, as they do for the main job and doctor,
// and a board file the config names is listed after the package's boards.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { BOARDS, findBoard } from '../boards/index.js';
import type { Board } from '../boards/types.js';
import { shownPath } from '../generator/common/shown.js';
import { isBoardFilePath } from '../generator/design/board-file.js';
import { DEFAULT_CONFIG_NAME, readConfigFile, type ConfigFile } from '../generator/design/config-file.js';
import { probeTools, SETUP_COMMAND, type ToolId } from '../generator/tools/tools.js';
import { namedBoardId, singleFlag, TOOL_OVERRIDE_IDS, type Args } from './design-flags.js';
import { flowTools, type FlowTools } from './flow-tools.js';
import { say } from './say.js';

/** A board as `boards` shows it: its record, where it comes from, and the state of its flow's tools. */
export interface BoardListing {
  readonly board: Board;
  /** The board file it was read from (a board of your project), or undefined for a package board. */
  readonly file: string | undefined;
  readonly flow: FlowTools;
  /** Every tool a stage of the board's main job needs is installed. */
  readonly toolsInstalled: boolean;
  /** The needed tools that are missing, in order of use. */
  readonly missingTools: readonly ToolId[];
  /** Missing tools that only optional stages use (those stages are skipped without them). */
  readonly missingOptionalTools: readonly ToolId[];
}

/** The boards `boards` lists: the package's, then the board file the config names (when it names one). */
function listedBoards(config: ConfigFile | undefined): { board: Board; file: string | undefined }[] {
  const boards = BOARDS.map((board): { board: Board; file: string | undefined } => ({ board, file: undefined }));
  const named = config?.values.board;
  if (config === undefined || typeof named !== 'string' || !isBoardFilePath(named)) return boards;
  // read, checked and made known to findBoard (the plan behind flowTools finds it by its id)
  const board = findBoard(namedBoardId(undefined, config)!)!;
  return [...boards, { board, file: shownPath(resolve(dirname(config.path), named)) }];
}

/** Every listed board with the tools of its flow, each tool probed once and all in parallel. */
export async function boardListings(opts: { readonly config?: ConfigFile } = {}): Promise<BoardListing[]> {
  const boards = listedBoards(opts.config).map((b) => ({ ...b, flow: flowTools(b.board.id) }));
  const ids = [...new Set(boards.flatMap((b) => [...b.flow.needed, ...b.flow.optional]))];
  // the config file's tools entries count, as they do for the main job and doctor
  const probed = await probeTools(ids, { overrides: (opts.config?.values.tools ?? {}) as Record<string, string> });
  const found = new Set(probed.filter((r) => r.ok).map((r) => r.id));
  return boards.map((b) => {
    const missingTools = b.flow.needed.filter((id) => !found.has(id));
    return { ...b, toolsInstalled: missingTools.length === 0, missingTools, missingOptionalTools: b.flow.optional.filter((id) => !found.has(id)) };
  });
}

/** One line on the tools of a board's flow. */
export function toolsLine(b: BoardListing): string {
  const optional = b.missingOptionalTools.length === 0 ? '' : `; ${b.missingOptionalTools.join(', ')} missing: the stages that use ${b.missingOptionalTools.length === 1 ? 'it' : 'them'} are skipped`;
  if (b.toolsInstalled) return `tools installed (${b.flow.needed.join(', ')})${optional}`;
  return `tools missing: ${b.missingTools.join(', ')} (run: ${SETUP_COMMAND})${optional}`;
}

async function boards(argv: Args): Promise<void> {
  const configFlag = singleFlag(argv, 'config');
  const configPath = resolve(configFlag ?? DEFAULT_CONFIG_NAME);
  const config =
    configFlag !== undefined || existsSync(configPath) ? readConfigFile(configPath, { known: { tools: { what: 'tool', keys: TOOL_OVERRIDE_IDS } } }) : undefined;
  const listings = await boardListings(config === undefined ? {} : { config });
  if (argv.json === true) {
    const records = listings.map((l) => ({
      ...l.board,
      ...(l.file === undefined ? {} : { file: l.file }),
      toolsInstalled: l.toolsInstalled,
      missingTools: l.missingTools,
      missingOptionalTools: l.missingOptionalTools,
    }));
    process.stdout.write(JSON.stringify(records, null, 2) + '\n');
    return;
  }
  const pad = Math.max(...listings.map((l) => l.board.id.length)) + 2;
  const indent = ''.padEnd(pad);
  for (const l of listings) {
    const b = l.board;
    say(`${b.id.padEnd(pad)}${b.title}${l.file === undefined ? '' : ` (board file ${l.file})`}`);
    say(`${indent}${b.family}: part ${b.part} (device ${b.device}, family ${b.packFamily}), ${b.capacity.luts} LUT${b.lutInputs}, ${b.capacity.flipFlops} FF`);
    say(`${indent}clock ${b.clock.mhz} MHz on ${b.clock.pin.pin}, default core clock ${b.pll.defaultMHz} MHz (${b.pll.kind}), flow ${b.flow}`);
    say(`${indent}reset button ${b.defaultResetButton} (buttons: ${Object.keys(b.buttons).join(', ')})`);
    say(`${indent}${toolsLine(l)}`);
  }
}

export const boardsCommand: CommandModule<object, Args> = {
  command: 'boards',
  describe: "list the known boards: family, part, clock, flow, and whether the flow's tools are installed",
  builder: (y: Argv<object>) =>
    y
      .option('json', { type: 'boolean', describe: 'print every board as JSON (its full record, toolsInstalled, missingTools)' })
      .option('config', { type: 'string', describe: `config file whose tools entries apply and whose board file is listed too (default: ./${DEFAULT_CONFIG_NAME} when present)` })
      .example('$0 boards', "the boards, one block each, with their flow's tools")
      .example('$0 boards --json', 'the same as JSON, for scripts') as Argv<Args>,
  handler: boards,
};
