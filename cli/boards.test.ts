// `atomik-gen boards` and a board file of the user's project, as a user runs them: the built CLI in a child process.
// The boards list shows each board's family, part, flow and whether its flow's tools are installed (a tool's override
// variable pointing nowhere makes it missing); a board file named from atomik.config.ts or --board builds, and a broken
// one is one line at its file:line:column with nothing written.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BOARDS } from '../boards/index.js';
import { packageRoot } from '../generator/common/version.js';

const BIN = join(packageRoot(), 'bin', 'atomik-gen.js');

function cli(args: string[], cwd: string, env: Record<string, string> = {}) {
  return execa('node', [BIN, ...args], { cwd, reject: false, env: { ...process.env, FORCE_COLOR: '0', ...env } });
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'atomik-cli-boards-'));
}

/** The example board file of docs/adding-a-board.md. */
const EXAMPLE = (() => {
  const doc = readFileSync(join(packageRoot(), 'docs', 'adding-a-board.md'), 'utf8');
  const section = doc.split(/^## /m).find((s) => s.startsWith('A board in your own project\n'))!;
  return /```ts\n([\s\S]*?)```/.exec(section)![1]!;
})();

/** A project folder with the example board in boards/ and, when given, an atomik.config.ts. */
function project(config?: string, board = EXAMPLE): string {
  const dir = scratch();
  mkdirSync(join(dir, 'boards'));
  writeFileSync(join(dir, 'boards', 'tang9k-carrier.ts'), board);
  if (config !== undefined) writeFileSync(join(dir, 'atomik.config.ts'), config);
  return dir;
}

interface BoardJson {
  id: string;
  family: string;
  part: string;
  flow: string;
  file?: string;
  toolsInstalled: boolean;
  missingTools: string[];
  missingOptionalTools: string[];
}

describe('atomik-gen boards', () => {
  it('shows every board with its family, part, flow, and whether its tools are installed', async () => {
    const r = await cli(['boards'], scratch());
    expect(r.exitCode).toBe(0);
    const blocks = r.stdout.split(/\n(?=\S)/);
    expect(blocks.map((b) => b.split(/\s/)[0])).toEqual(BOARDS.map((b) => b.id));
    BOARDS.forEach((board, i) => {
      const block = blocks[i]!;
      expect(block).toContain(board.title);
      expect(block).toContain(`${board.family}: part ${board.part}`);
      expect(block).toContain(`flow ${board.flow}`);
      expect(block).toMatch(/\n\s+tools (installed \(|missing: )/);
    });
  });

  it('--json: every record with toolsInstalled and the missing tools; a tool that points nowhere is missing', async () => {
    const env = { ATOMIK_GOWIN_PACK: '/nonexistent/gowin_pack' };
    const r = await cli(['boards', '--json'], scratch(), env);
    expect(r.exitCode).toBe(0);
    const boards = JSON.parse(r.stdout) as BoardJson[];
    expect(boards.map((b) => b.id)).toEqual(BOARDS.map((b) => b.id));
    for (const b of boards) {
      expect(typeof b.toolsInstalled, b.id).toBe('boolean');
      expect(b.toolsInstalled, b.id).toBe(b.missingTools.length === 0);
      expect(b.file).toBeUndefined();
    }
    const tang = boards.find((b) => b.id === 'tang9k')!;
    expect(tang).toMatchObject({ family: 'gowin', part: 'GW1NR-LV9QN88PC6/I5', flow: 'gowin-open', toolsInstalled: false });
    expect(tang.missingTools).toContain('gowin_pack');
    // the same in the text listing, with the command that installs it
    const text = await cli(['boards'], scratch(), env);
    expect(text.stdout).toMatch(/^tang9k [\s\S]*?\n\s+tools missing: (.*, )?gowin_pack(, .*)? \(run: npx atomik-gen setup\)$/m);
    // Vivado is optional: the Zynq board's stages that use it are skipped, so it never makes the tools missing
    const zynq = boards.find((b) => b.id === 'zynq7020')!;
    expect(zynq.missingTools).not.toContain('vivado');
  }, 120_000);

  it('lists the board file atomik.config.ts names after the package boards', async () => {
    const dir = project("export default defineDesign({ board: './boards/tang9k-carrier.ts' });\n");
    const r = await cli(['boards', '--json'], dir);
    expect(r.exitCode).toBe(0);
    const boards = JSON.parse(r.stdout) as BoardJson[];
    expect(boards.map((b) => b.id)).toEqual([...BOARDS.map((b) => b.id), 'tang9k-carrier']);
    expect(boards.at(-1)).toMatchObject({ file: join('boards', 'tang9k-carrier.ts'), family: 'gowin', flow: 'gowin-open' });
    const text = await cli(['boards'], dir);
    expect(text.stdout).toContain('tang9k-carrier  Tang Nano 9K on our carrier (board file boards/tang9k-carrier.ts)');
  }, 120_000);
});

describe('a board file of the project', () => {
  it('named from atomik.config.ts (relative to its folder): generate writes its constraints with its pins', async () => {
    const dir = project("import { defineDesign } from 'atomik-gen';\nexport default defineDesign({ board: './boards/tang9k-carrier.ts', banks: 4 });\n");
    const r = await cli(['generate'], dir);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const cst = readFileSync(join(dir, 'out', 'tang9k-carrier-b4-w64', 'constraints', 'tang9k-carrier.cst'), 'utf8');
    for (const [port, pin] of [['uart_rx', '25'], ['uart_tx', '26'], ['led[1]', '11']]) expect(cst).toContain(`IO_LOC "${port}" ${pin};`);
    const plan = JSON.parse(readFileSync(join(dir, 'out', 'tang9k-carrier-b4-w64', 'build.json'), 'utf8')) as { design: { board: string } };
    expect(plan.design.board).toBe('tang9k-carrier');
  });

  it('named with --board (relative to the current folder), over the config file', async () => {
    const dir = project("export default defineDesign({ board: 'zynq7020', banks: 4 });\n");
    const r = await cli(['generate', '--board', './boards/tang9k-carrier.ts', '--out', 'out/x'], dir);
    expect(r.exitCode).toBe(0);
    expect(existsSync(join(dir, 'out', 'x', 'constraints', 'tang9k-carrier.cst'))).toBe(true);
  });

  it.each([
    [
      'a board file that does not exist (at the entry that names it)',
      "export default defineDesign({\n  board: './boards/nope.ts',\n});\n",
      EXAMPLE,
      /^atomik-gen: error: atomik\.config\.ts:2:10: board file boards\/nope\.ts not found \(a board file is named relative to the folder of atomik\.config\.ts\)$/,
    ],
    [
      'a wrong value in the board file',
      "export default defineDesign({ board: './boards/tang9k-carrier.ts' });\n",
      EXAMPLE.replace("kind: 'gowin-rpll'", "kind: 'gowin-pll'"),
      /^atomik-gen: error: boards\/tang9k-carrier\.ts:\d+:\d+: pll\.kind must be a clocking kind: gowin-rpll, .*got "gowin-pll" \(pll: .*\)$/,
    ],
    [
      'a syntax error in the board file',
      "export default defineDesign({ board: './boards/tang9k-carrier.ts' });\n",
      EXAMPLE.replace("  family: 'gowin',\n", "  family: 'gowin'\n"),
      /^atomik-gen: error: boards\/tang9k-carrier\.ts:\d+:3: syntax error: ',' expected\. \(fix the board file\)$/,
    ],
    [
      'a design the board cannot carry (checked against the board as for a package board)',
      "export default defineDesign({ board: './boards/tang9k-carrier.ts', boardOptions: { resetButton: 'S2' } });\n",
      EXAMPLE,
      /^atomik-gen: error: atomik\.config\.ts:1:\d+: board tang9k-carrier has no button "S2" \(buttons: S1\)$/,
    ],
  ])('refuses %s in one line and writes nothing', async (_what, config, board, message) => {
    const dir = project(config, board);
    const r = await cli(['generate'], dir);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
    expect(readdirSync(dir).sort()).toEqual(['atomik.config.ts', 'boards']);
  });

  it("doctor checks the tools of its flow, named from the config file or with --board", async () => {
    const dir = project("export default defineDesign({ board: './boards/tang9k-carrier.ts' });\n");
    for (const args of [['doctor', '--json'], ['doctor', '--json', '--board', './boards/tang9k-carrier.ts']]) {
      const r = await cli(args, dir);
      const report = JSON.parse(r.stdout) as { board: string; needed: string[] };
      expect(report.board, args.join(' ')).toBe('tang9k-carrier');
      expect(report.needed).toContain('gowin_pack');
    }
  }, 120_000);

  it('refuses a --board path that does not exist in one line', async () => {
    const r = await cli(['generate', '--board', './nope.ts'], scratch());
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim()).toBe('atomik-gen: error: --board: board file nope.ts not found (check the --board path)');
  });
});
