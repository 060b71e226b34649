// The README must match the code it documents: the design flags, the boards, the stages and the tool overrides, the
// flags of the commands, and the quick start that .ci/run runs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yargs, { type Argv, type CommandModule } from 'yargs';
import { describe, expect, it } from 'vitest';
import { boardsCommand } from '../cli/boards.js';
import { compareCommand } from '../cli/compare.js';
import { initCommand } from '../cli/init.js';
import { sweepCommand } from '../cli/sweep.js';
import { BOARDS } from '../boards/index.js';
import { AXIL_REGISTERS, axilMarkdownTable } from '../generator/protocol/axil-map.js';
import { DEFAULTS, DESIGN_FLAGS, HOSTS, LIMITS } from '../generator/design/design.js';
import { STAGES, stageTimeoutTable } from '../generator/plan/plan.js';
import { OPCODES } from '../generator/protocol/uart.js';
import { TOOLS } from '../generator/tools/tools.js';
import { packageRoot } from '../generator/common/version.js';

const readme = readFileSync(join(packageRoot(), 'README.md'), 'utf8');

describe('README matches the code', () => {
  it('documents every design flag with its field, and the defaults', () => {
    for (const [flag, spec] of Object.entries(DESIGN_FLAGS)) {
      expect(readme).toMatch(new RegExp(`\\| \`${spec.field.replace('.', '\\.')}\` \\| \`--${flag}\` \\|`));
    }
    expect(readme).toContain(`| \`${DEFAULTS.board}\` |`);
    expect(readme).toContain(`whole number ${LIMITS.width.min}..${LIMITS.width.max}`);
    expect(readme).toContain(`up to ${LIMITS.banks.max}`);
    expect(readme).toContain(`timeout in ms, ${LIMITS.frameTimeoutMs.min}..${LIMITS.frameTimeoutMs.max}`);
    expect(readme).toContain(`| \`${DEFAULTS.baud}\` |`);
    expect(readme).toContain(`| \`${DEFAULTS.frameTimeoutMs}\` |`);
  });

  it('lists every board with its part', () => {
    for (const b of BOARDS) expect(readme).toMatch(new RegExp(`\\| \`${b.id}\` \\| .*${b.part.replace(/[/]/g, '\\/')}`));
    for (const b of BOARDS) expect(readme).toMatch(new RegExp(`\\| \`${b.id}\` \\| .* \\| ${b.uart.maxBaud} baud`));
  });

  it('lists every opcode of the host protocol, with its payload', () => {
    for (const op of OPCODES) expect(readme).toMatch(new RegExp(`\\| \`${op.letter}\` \\| ${op.payload ? '(value|delta)' : '-'} \\|`));
  });

  it('lists every host in the design-fields table', () => {
    const row = readme.split('\n').find((l) => l.startsWith('| `host` |'));
    for (const h of HOSTS) expect(row).toContain(`\`${h}\``);
  });

  it('holds the AXI4-Lite register map exactly as generator/protocol/axil-map.ts renders it', () => {
    expect(readme).toContain(axilMarkdownTable());
    for (const r of AXIL_REGISTERS) expect(readme).toMatch(new RegExp(`\\| 0x${r.offset.toString(16).toUpperCase().padStart(2, '0')}( \\+ 4k)? \\| \`${r.name}k?\` \\| ${r.access} \\|`));
  });

  it('holds the default stage time limits exactly as generator/plan/plan.ts computes them', () => {
    expect(readme).toContain(`<!-- stage-timeouts:start -->\n${stageTimeoutTable()}\n<!-- stage-timeouts:end -->`);
  });

  it('names every stage and every tool override variable', () => {
    for (const s of STAGES) expect(readme).toContain(`\`${s}\``);
    for (const t of Object.values(TOOLS)) expect(readme).toContain(t.envVar);
  });
});

/** The row of the README's commands table for `atomik-gen <command>`. */
function commandRow(command: string): string | undefined {
  return readme.split('\n').find((l) => l.startsWith(`| \`atomik-gen ${command}`));
}

/** The flags a command module defines (its positionals and yargs's own --help and --version aside). */
function flagsOf(command: CommandModule<object, never>): string[] {
  const builder = command.builder as (y: Argv<object>) => Argv<object>;
  // getOptions() is yargs's (not in its published types): every key the builder declared
  const parser = builder(yargs([])) as unknown as { getOptions(): { key: Record<string, unknown> } };
  const positionals = [...String(command.command).matchAll(/[<[](\w+)/g)].map((m) => m[1]);
  return Object.keys(parser.getOptions().key).filter((k) => k !== 'help' && k !== 'version' && !positionals.includes(k));
}

describe('README matches the command line', () => {
  it.each([
    ['init', initCommand],
    ['boards', boardsCommand],
    ['sweep', sweepCommand],
    ['compare', compareCommand],
  ] as const)('the commands table names every flag of atomik-gen %s', (name, command) => {
    const row = commandRow(name);
    expect(row, `a row for atomik-gen ${name}`).toBeDefined();
    const flags = flagsOf(command as unknown as CommandModule<object, never>);
    expect(flags.length).toBeGreaterThan(0);
    for (const flag of flags) expect(row, `--${flag}`).toContain(`--${flag}`);
  });

  it('documents --json on boards, sweep and compare, and init --ci github', () => {
    for (const name of ['boards', 'sweep', 'compare']) expect(commandRow(name)).toMatch(/`--json`/);
    expect(commandRow('init')).toContain('[--ci github]');
    expect(commandRow('init')).toContain('never overwrites a file');
  });

  it('documents shell completion, -h and -V, and the colour variables', () => {
    expect(commandRow('completion')).toContain('atomik-gen completion >> ~/.bashrc');
    expect(readme).toContain('`-h` / `--help`');
    expect(readme).toContain('`-V` / `--version`');
    expect(readme).toContain('`NO_COLOR`');
    expect(readme).toContain('`FORCE_COLOR`');
  });

  it('puts the npm path first in the quick start, then the clone path that .ci/run runs, with the test time', () => {
    const quick = readme.split(/^## /m).find((s) => s.startsWith('Quick start\n'))!;
    const blocks = [...quick.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!.trim());
    expect(blocks[0]).toBe('npm install atomik-gen\nnpx atomik-gen setup\nnpx atomik-gen --board tang9k --banks 16');
    expect(quick.indexOf('### From a clone')).toBeGreaterThan(quick.indexOf(blocks[0]!));
    expect(blocks.slice(1)).toEqual(['npm run setup && npx atomik-gen --board tang9k --banks 16', 'npm test']);
    // .ci/run runs these on a clean clone: each is a line of it (`npm test` keeps its status)
    const ci = readFileSync(join(packageRoot(), '.ci', 'run'), 'utf8').split('\n');
    for (const command of ['npm run setup', 'npx atomik-gen --board tang9k --banks 16', 'npm test']) {
      expect(ci.some((l) => l === command || l.startsWith(`${command} ||`)), command).toBe(true);
    }
    expect(quick).toContain('about 20 minutes on 2 cores');
    expect(quick).toContain('`npx atomik-gen init`');
  });
});

describe("README's Performance section quotes bench/results.md", () => {
  const results = readFileSync(join(packageRoot(), 'bench', 'results.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Performance\n'))!;
  // the first table: | figure | measured (from results.md) | target | ... |
  const rows = section
    .split('\n')
    .filter((l) => l.startsWith('| ') && !/^\|\s*-/.test(l))
    .slice(1)
    .map((l) => l.split(' | '));

  it('has a table of figures', () => {
    expect(section).toBeDefined();
    expect(rows.length).toBeGreaterThan(5);
  });

  it('takes every measured figure with a decimal point from bench/results.md, as written there', () => {
    const figures = rows.flatMap((cells) => [...(cells[1] ?? '').matchAll(/\d+\.\d+/g)].map((m) => m[0]));
    expect(figures.length).toBeGreaterThan(10);
    for (const f of figures) expect(results, `${f} (README Performance table) in bench/results.md`).toMatch(new RegExp(`(^|[^\\d.])${f.replace('.', '\\.')}([^\\d]|$)`, 'm'));
  });
});
