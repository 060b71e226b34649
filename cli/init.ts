// `atomik-gen init [--board ID] [--ci github]`: start a project in the current folder. Writes atomik.config.ts (typed
// through defineDesign, every field commented with its values, taken from the code), a .gitignore for the output
// folders (only when there is none: an existing one is never changed), and with --ci github a workflow for the
// synthesis matrix and the budget it compares against. It never overwrites a file: every file it would write is checked
// first, and when any exists nothing is written and it stops with one line naming them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { BOARDS, boardIds, findBoard, type Board } from '../boards/index.js';
import { AtomikError } from '../generator/common/errors.js';
import { renderTemplate } from '../generator/common/render.js';
import { MAX_STAGE_TIMEOUT_SECONDS, RUN_STAGES } from '../generator/common/stages.js';
import { GENERATOR_VERSION } from '../generator/common/version.js';
import { DEFAULT_CONFIG_NAME } from '../generator/design/config-file.js';
import { ARCHS, DEFAULTS, HOSTS, LIMITS, MODES, clockSourceOf, resolveDesign } from '../generator/design/design.js';
import { buildPlan, STAGES, type StageName } from '../generator/plan/plan.js';
import type { Budget } from '../generator/report/budget.js';
import { stageTools } from '../generator/tools/stage.js';
import { DEBIAN_PACKAGES } from '../generator/tools/toolchain.js';
import { TOOLS, type ToolId } from '../generator/tools/tools.js';
import { say } from './say.js';

/** The CI systems `--ci` knows. */
export const CI_KINDS = ['github'] as const;
export type CiKind = (typeof CI_KINDS)[number];

export const WORKFLOW_PATH = '.github/workflows/atomik.yml';
export const BUDGET_FILE = 'atomik-budget.json';
export const GITIGNORE = '.gitignore';
/** The folder every atomik-gen output goes to by default (out/<board>-b<banks>-w<width>, out/sweep, out/compare). */
const OUT_DIR = 'out';

/** What the workflow runs on: the Node.js and Python versions atomik-gen needs. */
const NODE_VERSION = 20;
const PYTHON_VERSION = '3.11';

export interface InitOptions {
  /** The folder to write into (the command uses the current folder). */
  readonly dir: string;
  readonly board: Board;
  readonly ci?: CiKind | undefined;
}

/** A file init writes: its path in the folder and its text. */
export interface InitFile {
  readonly path: string;
  readonly text: string;
}

const quoted = (values: readonly (string | number)[]) => values.map((v) => `'${v}'`);
/** `a, b or c` (`and`: `a, b and c`). */
function orList(items: readonly string[], word = 'or'): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${word} ${items.at(-1)}`;
}

/** atomik.config.ts for a board: the defaults as values, every field with its values from the code. */
export function configText(board: Board): string {
  const source = LIMITS.clockMHz[clockSourceOf(board, DEFAULTS.host)];
  const toolIds = Object.keys(TOOLS) as ToolId[];
  const exampleTool = toolIds.includes('yosys') ? 'yosys' : toolIds[0]!;
  return renderTemplate('init/atomik.config.ts.hbs', {
    version: GENERATOR_VERSION,
    boards: orList(BOARDS.map((b) => `'${b.id}' (${b.title})`)),
    board: {
      id: board.id,
      defaultMHz: board.pll.defaultMHz,
      oscillatorMHz: board.clock.mhz,
      buttons: orList(quoted(Object.keys(board.buttons))),
      resetButton: board.defaultResetButton,
      maxBaud: board.uart.maxBaud,
    },
    banks: { ...LIMITS.banks, value: DEFAULTS.banks },
    width: { ...LIMITS.width, value: DEFAULTS.width },
    modes: orList(quoted(MODES)),
    mode: DEFAULTS.mode,
    archs: orList(quoted(ARCHS)),
    arch: DEFAULTS.arch,
    clock: { range: `${source.min}..${source.max}`, what: source.what },
    pipeline: DEFAULTS.pipeline,
    hosts: orList(quoted(HOSTS)),
    axiBoards: orList(BOARDS.filter((b) => b.family === 'xilinx').map((b) => `'${b.id}'`)),
    host: DEFAULTS.host,
    bench: DEFAULTS.bench,
    nameMaxLength: LIMITS.nameMaxLength,
    name: DEFAULTS.name,
    baud: { min: LIMITS.baud.min, value: DEFAULTS.baud },
    frameTimeout: { ...LIMITS.frameTimeoutMs, value: DEFAULTS.frameTimeoutMs },
    tools: { ids: toolIds.join(', '), example: exampleTool },
    timeouts: { min: 1, max: MAX_STAGE_TIMEOUT_SECONDS, stages: RUN_STAGES.join(', '), example: RUN_STAGES.includes('pnr') ? 'pnr' : RUN_STAGES[0]! },
    seeds: LIMITS.seeds,
    margin: { ...LIMITS.marginPct, value: DEFAULTS.marginPct },
  });
}

/**
 * The last stage of the main job a board's default design reaches with the tools atomik-gen installs (a stage that
 * needs an optional tool, Vivado, is not reached): `bitstream` on the Tang Nano 9K, `synth` on the Zynq-7020.
 */
export function lastOpenStage(board: Board): StageName {
  const plan = buildPlan(resolveDesign({ board: board.id }), `${OUT_DIR}/init`);
  let last: StageName = 'generate';
  for (const name of STAGES) {
    const stage = plan.stages.find((s) => s.name === name);
    if (!stage) continue;
    if (stageTools(stage).some((id) => TOOLS[id].optional)) break;
    last = name;
  }
  return last;
}

/** The `--until` expression of the workflow: each board's last open stage, by matrix.board (the commonest one last, unnamed). */
function untilExpression(): { expression: string; note: string } {
  const groups = new Map<StageName, string[]>();
  for (const b of BOARDS) groups.set(lastOpenStage(b), [...(groups.get(lastOpenStage(b)) ?? []), b.id]);
  // stable: of two stages with as many boards, the one met first in BOARDS stays first
  const entries = [...groups.entries()].sort(([, a], [, b]) => a.length - b.length);
  const [fallback] = entries.at(-1)!;
  const expression = [
    ...entries.slice(0, -1).map(([stage, ids]) => `(${ids.map((id) => `matrix.board == '${id}'`).join(' || ')}) && '${stage}'`),
    `'${fallback}'`,
  ].join(' || ');
  const note = `Each point runs to the last stage the open tools reach: ${entries.map(([stage, ids]) => `${stage} on ${ids.join(', ')}`).join('; ')}.`;
  return { expression, note };
}

/**
 * The boards of the workflow's matrix: the project's board, then the first board (in BOARDS order) of every other
 * FPGA family, so the comparison shows the design across the families.
 */
export function matrixBoards(board: Board): Board[] {
  const others = new Map<string, Board>();
  for (const b of BOARDS) if (b.family !== board.family && !others.has(b.family)) others.set(b.family, b);
  return [board, ...others.values()];
}

/** The sweep flags of the workflow's matrix: the board's default design, on it and on a board of every other family. */
export function sweepFlags(board: Board): string {
  return `--board ${matrixBoards(board).map((b) => b.id).join(',')} --banks ${DEFAULTS.banks} --width ${DEFAULTS.width} --mode ${DEFAULTS.mode} --arch ${DEFAULTS.arch}`;
}

/** The GitHub Actions workflow: the sweep matrix, one build per point, the comparison against the budget. */
export function workflowText(board: Board): string {
  const install = [
    '# the atomik-gen of package-lock.json when the project has one, else this version',
    'if [ -f package-lock.json ]; then',
    '  npm ci --no-audit --no-fund',
    'else',
    `  npm install --no-audit --no-fund --no-save atomik-gen@${GENERATOR_VERSION}`,
    'fi',
  ]
    .map((line) => `          ${line}`)
    .join('\n');
  const until = untilExpression();
  return renderTemplate('init/atomik.yml.hbs', {
    version: GENERATOR_VERSION,
    node: NODE_VERSION,
    python: PYTHON_VERSION,
    // every package `atomik-gen setup` asks for: it installs them itself only as root, and the runner user is not
    aptPackages: [...new Set(Object.values(DEBIAN_PACKAGES))].join(' '),
    install,
    sweepFlags: sweepFlags(board),
    board: board.id,
    otherBoards: orList(matrixBoards(board).slice(1).map((b) => `${b.id} (${b.family})`), 'and'),
    untilExpression: until.expression,
    untilNote: until.note,
    outDir: OUT_DIR,
    budgetFile: BUDGET_FILE,
  });
}

/** The budget the workflow compares against: the matrix's design, with no limits until a run has measured it. */
export function budgetText(board: Board): string {
  const budget: Budget = {
    $comment:
      `Regression budget for \`atomik-gen compare --budget ${BUDGET_FILE}\` (${WORKFLOW_PATH} runs it), written by \`atomik-gen init\`. ` +
      'One entry per design of the workflow\'s matrix (board, banks, width, mode, arch, bench); a budgeted design with no report is a breach. ' +
      'Once a run has measured a design, add its limits: minFmaxMHz (the limiting clock\'s Fmax), maxLutPercent and maxFfPercent (share of the part), ' +
      'with that measurement in `measured`; change a limit only with a new measurement beside it.',
    entries: matrixBoards(board).map((b) => ({ board: b.id, banks: DEFAULTS.banks, width: DEFAULTS.width, mode: DEFAULTS.mode, arch: DEFAULTS.arch, bench: DEFAULTS.bench })),
  };
  return JSON.stringify(budget, null, 2) + '\n';
}

/** Every file init would write for these options, .gitignore included. */
export function initFiles(opts: Pick<InitOptions, 'board' | 'ci'>): InitFile[] {
  const files: InitFile[] = [
    { path: DEFAULT_CONFIG_NAME, text: configText(opts.board) },
    { path: GITIGNORE, text: renderTemplate('init/gitignore.hbs', { outDir: OUT_DIR }) },
  ];
  if (opts.ci === 'github') {
    files.push({ path: WORKFLOW_PATH, text: workflowText(opts.board) }, { path: BUDGET_FILE, text: budgetText(opts.board) });
  }
  return files;
}

/** Whether a .gitignore's lines already ignore the output folder. */
function ignoresOut(text: string): boolean {
  return text.split(/\r?\n/).some((line) => [`${OUT_DIR}`, `${OUT_DIR}/`, `/${OUT_DIR}`, `/${OUT_DIR}/`].includes(line.trim()));
}

/**
 * Writes the files and returns one line per file: each one written, and the existing .gitignore kept. Throws an
 * AtomikError naming every file in the way, before writing anything, when any other file exists.
 */
export function runInit(opts: InitOptions): string[] {
  const files = initFiles(opts);
  const exists = (f: InitFile) => existsSync(join(opts.dir, f.path));
  const blocked = files.filter((f) => f.path !== GITIGNORE && exists(f)).map((f) => f.path);
  if (blocked.length > 0) {
    throw new AtomikError(`${orList(blocked, 'and')} already ${blocked.length === 1 ? 'exists' : 'exist'}; nothing written`, {
      where: 'init',
      hint: 'init never overwrites a file: edit the existing ones, or move them away and run init again',
    });
  }
  const lines: string[] = [];
  for (const file of files) {
    const path = join(opts.dir, file.path);
    if (file.path === GITIGNORE && exists(file)) {
      const kept = ignoresOut(readFileSync(path, 'utf8'));
      lines.push(`init: kept ${GITIGNORE} as it is (${kept ? `it already ignores ${OUT_DIR}/` : `add a line ${OUT_DIR}/ to it: atomik-gen writes its outputs there`})`);
      continue;
    }
    mkdirSync(dirname(path), { recursive: true });
    // `wx`: fails rather than overwrite a file that appeared since the check
    writeFileSync(path, file.text, { flag: 'wx' });
    lines.push(`init: wrote ${file.path}`);
  }
  return lines;
}

export const initCommand: CommandModule<object, { board?: string; ci?: string }> = {
  command: 'init',
  describe: `start a project here: ${DEFAULT_CONFIG_NAME} and a .gitignore (with --ci github: a workflow and ${BUDGET_FILE}); never overwrites a file`,
  builder: (y: Argv<object>) =>
    y
      .option('board', { type: 'string', describe: `board of the design (${boardIds().join(', ')}; default ${DEFAULTS.board})` })
      .option('ci', { type: 'string', describe: `also write a CI workflow for the synthesis matrix and its budget: ${CI_KINDS.join(', ')}` })
      .example('$0 init', `write ${DEFAULT_CONFIG_NAME} for the ${DEFAULTS.board} and a .gitignore`)
      .example('$0 init --board zynq7020 --ci github', `the same for the Zynq-7020, with ${WORKFLOW_PATH} and ${BUDGET_FILE}`),
  handler: (argv) => {
    const boardId = single(argv.board, 'board') ?? DEFAULTS.board;
    const board = findBoard(boardId);
    if (!board) throw new AtomikError(`unknown board "${boardId}"`, { where: '--board', hint: `known boards: ${boardIds().join(', ')}` });
    const ci = single(argv.ci, 'ci');
    if (ci !== undefined && !(CI_KINDS as readonly string[]).includes(ci)) {
      throw new AtomikError(`unknown CI "${ci}"`, { where: '--ci', hint: `known: ${CI_KINDS.join(', ')}` });
    }
    for (const line of runInit({ dir: process.cwd(), board, ci: ci as CiKind | undefined })) say(line);
  },
};

/** A string option given once (yargs makes an array of one given twice). */
function single(value: unknown, flag: string): string | undefined {
  if (Array.isArray(value)) throw new AtomikError('given more than once', { where: `--${flag}`, hint: 'give it once' });
  return value === undefined ? undefined : String(value);
}
