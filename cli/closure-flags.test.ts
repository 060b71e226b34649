// --seeds, --clock-mhz max and --margin: what they become, and every misuse refused in one line before anything is
// written (through the built CLI as a user runs it, for the main job and sweep).
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../generator/common/version.js';
import { DEFAULT_MARGIN_PCT } from '../generator/run/closure.js';
import { pointArgs } from '../generator/run/executors/command.js';
import { AtomikError } from '../generator/common/errors.js';
import { readConfigFile } from '../generator/design/config-file.js';
import { closureFromArgs, designFromArgs } from './design-flags.js';

const BIN = join(packageRoot(), 'bin', 'atomik-gen.js');

describe('closure flags', () => {
  it('--seeds N is seeds 1..N; --clock-mhz max takes the clock out of the design, with the default margin', () => {
    expect(designFromArgs({ seeds: '3' }, { closure: true }).closure).toEqual({ seeds: [1, 2, 3] });
    const max = designFromArgs({ 'clock-mhz': 'max', banks: '16' }, { closure: true });
    expect(max.closure).toEqual({ clockMax: { marginPct: DEFAULT_MARGIN_PCT } });
    expect(max.design.clockMHz).toBe(81);
    expect(designFromArgs({ 'clock-mhz': 'MAX', margin: '0' }, { closure: true }).closure).toEqual({ clockMax: { marginPct: 0 } });
    expect(designFromArgs({ 'clock-mhz': 'max', margin: '12.5%' }, { closure: true }).closure).toEqual({ clockMax: { marginPct: 12.5 } });
    // a number stays the design's clock
    const fixed = designFromArgs({ 'clock-mhz': '54' }, { closure: true });
    expect(fixed.closure).toEqual({});
    expect(fixed.design.clockMHz).toBe(54);
    // sweep: the same flags, without a design
    expect(closureFromArgs({ 'clock-mhz': 'max', seeds: '2' })).toEqual({ seeds: [1, 2], clockMax: { marginPct: DEFAULT_MARGIN_PCT } });
  });

  it('the config\'s seeds, clockMHz: \'max\' and margin, the flags over them; a command without the search refuses max as a clock', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomik-closure-config-'));
    const config = join(dir, 'atomik.config.ts');
    writeFileSync(config, "import { defineDesign } from 'atomik-gen';\nexport default defineDesign({\n  banks: 4,\n  clockMHz: 'max',\n  seeds: 2,\n  margin: 5,\n});\n");
    expect(designFromArgs({ config }, { closure: true }).closure).toEqual({ seeds: [1, 2], clockMax: { marginPct: 5 } });
    expect(designFromArgs({ config, seeds: '4', margin: '15' }, { closure: true }).closure).toEqual({ seeds: [1, 2, 3, 4], clockMax: { marginPct: 15 } });
    expect(() => designFromArgs({ config, 'clock-mhz': '54' }, { closure: true })).toThrow(/margin is for the clock search/);
    expect(closureFromArgs({}, readConfigFile(config))).toEqual({ seeds: [1, 2], clockMax: { marginPct: 5 } });
    let line = '';
    try {
      designFromArgs({ config });
    } catch (err) {
      line = (err as AtomikError).oneLine();
    }
    expect(line).toMatch(/^.*atomik\.config\.ts:4:\d+: max is a search the main job and sweep run/);
    writeFileSync(config, "import { defineDesign } from 'atomik-gen';\nexport default defineDesign({\n  seeds: 0,\n});\n");
    expect(() => designFromArgs({ config }, { closure: true })).toThrow(/seeds must be a whole number from 1 to 32, got 0/);
  });

  it.each([
    [{ margin: '10' }, /^--margin: margin is for the clock search and applies only with --clock-mhz max/],
    [{ 'clock-mhz': '54', margin: '10' }, /^--margin: margin is for the clock search/],
    [{ 'clock-mhz': 'max', margin: '60' }, /^--margin: margin must be a percentage from 0 to 50, got 60$/],
    [{ 'clock-mhz': 'max', margin: '-1' }, /^--margin: margin must be a percentage from 0 to 50, got -1$/],
    [{ 'clock-mhz': 'max', margin: 'lots' }, /^--margin: margin must be a percentage from 0 to 50, got "lots"$/],
    [{ seeds: '0' }, /^--seeds: seeds must be a whole number from 1 to 32, got 0$/],
    [{ seeds: '2.5' }, /^--seeds: seeds must be a whole number from 1 to 32, got 2.5$/],
    [{ seeds: '33' }, /^--seeds: seeds must be a whole number from 1 to 32, got 33$/],
    [{ seeds: ['2', '3'] }, /^--seeds: given more than once/],
  ])('%j is refused in one line', (argv, message) => {
    for (const run of [() => designFromArgs(argv, { closure: true }), () => closureFromArgs(argv)]) {
      let line = '';
      try {
        run();
      } catch (err) {
        line = (err as AtomikError).oneLine();
      }
      expect(line).toMatch(message);
    }
  });
});

describe('a sweep point run as a process of its own (launcher, Slurm)', () => {
  it('is given the same --seeds and --clock-mhz max --margin', () => {
    const args = pointArgs({ board: 'tang9k', banks: 4 }, '/s/p', {
      until: 'pnr',
      force: false,
      timeoutFlags: {},
      boardFiles: new Map(),
      closure: { seeds: [1, 2, 3], clockMax: { marginPct: 5 } },
    });
    expect(args.join(' ')).toBe('--board tang9k --banks 4 --until pnr --seeds 3 --clock-mhz max --margin 5 --out /s/p');
  });
});

describe('through the CLI', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'atomik-closure-flags-'));
  const cli = (args: string[]) => execa('node', [BIN, ...args], { cwd, reject: false, env: { ...process.env, CI: 'true' } });

  it.concurrent.each([
    [['--margin', '10', '--out', 'a'], "atomik-gen: error: --margin: margin is for the clock search and applies only with --clock-mhz max (clockMHz: 'max' in the config) (add --clock-mhz max, or drop the margin)"],
    [['--clock-mhz', 'max', '--margin', '80', '--out', 'b'], 'atomik-gen: error: --margin: margin must be a percentage from 0 to 50, got 80'],
    [['--seeds', '3', '--until', 'synth', '--out', 'c'], 'atomik-gen: error: --until: --seeds places and routes the design, and --until synth stops before place and route (use --until pnr or bitstream, or leave --until out)'],
    [['--board', 'tang9k', '--host', 'none', '--clock-mhz', 'max', '--out', 'd'], 'atomik-gen: error: --clock-mhz max: a design without a board top (host none) has no place and route, so no placement seed or Fmax (use --host uart)'],
    [['sweep', '--banks', '1', '--seeds', '0', '--out', 'e'], 'atomik-gen: error: --seeds: seeds must be a whole number from 1 to 32, got 0'],
    [['generate', '--clock-mhz', 'max', '--out', 'g'], 'atomik-gen: error: --clock-mhz: max is a search the main job and sweep run (they place and route to find the clock); this needs a clock in MHz (give a clock in MHz, or leave it out for the default, 81 MHz)'],
    [['sweep', '--banks', '1', '--clock-mhz', 'max,100', '--out', 'f'], 'atomik-gen: error: --clock-mhz: max searches the clock of every point, so it takes no other clock beside it (give --clock-mhz max alone)'],
  ])('atomik-gen %j: one line, exit 1, no folder', async (args, line) => {
    const r = await cli(args);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim()).toBe(line);
    expect(existsSync(join(cwd, args.at(-1)!))).toBe(false);
  });
});
