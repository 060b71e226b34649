// The command line as a user runs it: the built CLI in a child process.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { AtomikError } from '../generator/common/errors.js';
import { packageRoot } from '../generator/common/version.js';
import { ToolMissingError } from '../generator/tools/tools.js';
import { errorReport, SYSTEM_ERRORS } from './main.js';
import { sweepAxes } from './sweep.js';
import { sink } from '../test/support.js';
import { boardIds } from '../boards/index.js';

/** The known-board list an unknown board's message names, as a pattern. */
const KNOWN = `\\(known boards: ${boardIds().join(', ')}\\)`;

const BIN = join(packageRoot(), 'bin', 'atomik-gen.js');

function cli(args: string[], cwd: string) {
  return execa('node', [BIN, ...args], { cwd, reject: false, env: { ...process.env, FORCE_COLOR: '0' } });
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'atomik-cli-'));
}

/** The files of a folder by relative path; atomik-gen's own bookkeeping (`.atomik-gen/`: lock, manifest) is left out. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (name === '.atomik-gen') continue;
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

describe('atomik-gen command line', () => {
  it.each([
    [['--banks', '0'], /--banks: banks must be a whole number from 1 to \d+, got 0/],
    [['--banks', '-3'], /--banks: .*got -3/],
    [['--banks', '1.5'], /--banks: .*got 1\.5/],
    [['--banks', 'abc'], /--banks: .*got "abc"/],
    [['--width', '0'], /--width: width must be a whole number from 1 to 256, got 0/],
    [['--board', 'nope'], new RegExp(`--board: unknown board "nope" ${KNOWN}`)],
    [['--board', 'tang9k', '--banks', '100000'], /--banks: .*got 100000/],
    [['--board', 'tang9k', '--banks', '200', '--arch', 'banked'], /--banks: 200 banks x 64 bits does not fit the GW1NR-LV9QN88PC6\/I5 .*at least \d+ flip-flops, the part has 6480/],
    [['--clock-mhz', '100'], /--clock-mhz: 100 MHz is not reachable .*nearest reachable/],
    [['--clock-mhz', '1000'], /--clock-mhz: clockMHz must be a number from 3\.125 to 600 MHz on the tang9k \(the rPLL output range\), got 1000 \(leave it out for the default, 81 MHz\)$/],
    [['--clock-mhz', '0.0001'], /--clock-mhz: clockMHz must be a number from 3\.125 to 600 MHz .*got 0\.0001/],
    [['--clock-mhz', '1e9'], /--clock-mhz: .*got 1000000000 /],
    [['--clock-mhz', 'Infinity'], /--clock-mhz: .*from 3\.125 to 600 MHz .*got "Infinity"/],
    [['--clock-mhz', '-5'], /--clock-mhz: .*got -5 /],
    [['--board', 'zynq7020', '--host', 'axi-lite', '--clock-mhz', '99999'], /--clock-mhz: clockMHz must be a number from 0\.2 to 250 MHz with host axi-lite \(the FCLK range of the Zynq processing system, which supplies the AXI clock\), got 99999/],
    [['--board', 'zynq7020', '--host', 'axi-lite', '--clock-mhz', '0.0001'], /--clock-mhz: clockMHz must be a number from 0\.2 to 250 MHz .*got 0\.0001/],
    [['--board', 'zynq7020', '--host', 'axi-lite', '--clock-mhz', '0'], /--clock-mhz: .*from 0\.2 to 250 MHz .*got 0 /],
    [['--board', 'zynq7020', '--clock-mhz', '500'], /--clock-mhz: clockMHz must be a number from 4\.6875 to 464 MHz on the zynq7020/],
    [['--reset-button', 'constructor'], /--reset-button: board tang9k has no button "constructor" \(buttons: S1, S2\)$/],
    [['--reset-button', 'toString'], /--reset-button: board tang9k has no button "toString" \(buttons: S1, S2\)$/],
    [['--reset-button', '__proto__'], /--reset-button: board tang9k has no button "__proto__" \(buttons: S1, S2\)$/],
    [['--board', 'zynq7020', '--reset-button', 'hasOwnProperty'], /--reset-button: board zynq7020 has no button "hasOwnProperty" \(buttons: BTN0, BTN1, BTN2, BTN3\)$/],
    [['--reset-button', '3'], /--reset-button: board tang9k has no button "3"/],
    [['--board', 'constructor'], new RegExp(`--board: unknown board "constructor" ${KNOWN}$`)],
    [['--board', '__proto__'], new RegExp(`--board: unknown board "__proto__" ${KNOWN}$`)],
    [['--mode', 'toString'], /--mode: mode must be one of round-robin, parallel, got "toString"$/],
    [['--arch', 'constructor'], /--arch: arch must be one of banked, reduce, got "constructor"$/],
    [['--host', '__proto__'], /--host: host must be one of uart, none, axi-lite, got "__proto__"$/],
    [['--out', 'a', '--out', 'b'], /--out: given more than once/],
    [['--config', 'a', '--config', 'b'], /--config: given more than once/],
    [['--bogus'], /Unknown argument: bogus/],
    [['--host', 'axi-lite'], /--host: host axi-lite needs a Zynq board .*tang9k is a Sipeed Tang Nano 9K \(use --board zynq7020, or --host uart\)/],
    [['--board', 'zynq7020', '--host', 'axi-lite', '--bench'], /--bench: a bench top needs the UART host .*\(use --host uart, or drop --bench\)/],
  ])('generate %j exits non-zero with one clear line and writes nothing', async (args, message) => {
    const cwd = scratch();
    const r = await cli(['generate', ...args], cwd);
    expect(r.exitCode).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^atomik-gen: error: /);
    expect(lines[0]).toMatch(message);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('reports a config file with a syntax error at file:line:column and writes nothing', async () => {
    const cwd = scratch();
    writeFileSync(join(cwd, 'atomik.config.ts'), `export default defineDesign({ banks: 16 width: 64 });\n`);
    const r = await cli(['generate'], cwd);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim()).toMatch(/^atomik-gen: error: atomik\.config\.ts:1:41: syntax error: ',' expected/);
    expect(readdirSync(cwd)).toEqual(['atomik.config.ts']);
  });

  it('reports a wrong field in a config file at its position; flags override the file', async () => {
    const cwd = scratch();
    writeFileSync(join(cwd, 'atomik.config.ts'), `export default defineDesign({\n  board: 'tang9k',\n  width: 7.5,\n});\n`);
    const bad = await cli(['generate'], cwd);
    expect(bad.stderr.trim()).toMatch(/^atomik-gen: error: atomik\.config\.ts:3:10: width must be a whole number/);
    const fixed = await cli(['generate', '--width', '8', '--banks', '3'], cwd);
    expect(fixed.stderr).toBe('');
    expect(fixed.exitCode).toBe(0);
    expect(existsSync(join(cwd, 'out', 'tang9k-b3-w8', 'build.json'))).toBe(true);
  });

  it('writes the design: rtl/, constraints/, build.json, build.sh, each with the version and digest header', async () => {
    const cwd = scratch();
    const r = await cli(['generate', '--board', 'tang9k', '--banks', '16'], cwd);
    expect(r.exitCode).toBe(0);
    const out = join(cwd, 'out', 'tang9k-b16-w64');
    const files = tree(out);
    const plan = JSON.parse(files['build.json']!) as { digest: string; generator: string; files: { path: string }[]; stages: { name: string }[] };
    expect(plan.generator).toMatch(/^atomik-gen \d+\.\d+\.\d+$/);
    expect(plan.stages.map((s) => s.name)).toEqual(['lint', 'verify', 'synth', 'pnr', 'bitstream']);
    expect(Object.keys(files).sort()).toEqual([...plan.files.map((f) => f.path), 'build.json'].sort());
    expect(Object.keys(files)).toContain('constraints/tang9k.cst');
    expect(Object.keys(files)).toContain('rtl/atomik_top.v');
    for (const [path, text] of Object.entries(files)) {
      if (path === 'build.json') continue;
      const head = text.split('\n').slice(0, 4).join('\n');
      expect(head, path).toContain(`atomik-gen ${plan.generator.split(' ')[1]}`);
      expect(head, path).toContain(`sha256:${plan.digest}`);
    }
    expect(statSync(join(out, 'build.sh')).mode & 0o111).not.toBe(0);
  });

  it('writes an AXI4-Lite design: the slave, its top, the C header; no stubs, no pins; every file with the header', async () => {
    const cwd = scratch();
    const r = await cli(['generate', '--board', 'zynq7020', '--host', 'axi-lite', '--banks', '4', '--width', '40', '--arch', 'banked'], cwd);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const files = tree(join(cwd, 'out', 'zynq7020-b4-w40'));
    const plan = JSON.parse(files['build.json']!) as { digest: string; stages: { name: string }[]; top: string };
    expect(plan.top).toBe('atomik_top');
    expect(plan.stages.map((s) => s.name)).toEqual(['lint', 'verify', 'synth', 'pnr']);
    expect(Object.keys(files).sort()).toEqual(
      [
        'build.json', 'build.sh', 'constraints/zynq7020.xdc', 'include/atomik_regs.h', 'rtl/atomik_bank.v', 'rtl/atomik_core.v',
        'rtl/atomik_counter.v', 'rtl/atomik_host_axil.v', 'rtl/atomik_merge_tree.v', 'rtl/atomik_top.v', 'scripts/synth.ys', 'scripts/vivado_impl.tcl',
      ].sort(),
    );
    for (const [path, text] of Object.entries(files)) {
      if (path === 'build.json') continue;
      expect(text.split('\n').slice(0, 4).join('\n'), path).toContain(`sha256:${plan.digest}`);
    }
    expect(files['rtl/atomik_top.v']).toMatch(/input\s+wire\s+s_axi_aclk,/);
    expect(files['constraints/zynq7020.xdc']).not.toContain('PACKAGE_PIN');
    expect(files['constraints/zynq7020.xdc']).toContain('create_clock -name s_axi_aclk -period 5.000 [get_ports { s_axi_aclk }]');
    expect(files['scripts/synth.ys']).toContain('-noiopad');
    expect(files['scripts/vivado_impl.tcl']).toContain('-mode out_of_context');
  });

  it('generates byte-identical trees twice, in place and elsewhere', async () => {
    const a = scratch();
    const b = scratch();
    const args = ['generate', '--board', 'zynq7020', '--banks', '5', '--width', '32', '--mode', 'parallel'];
    await cli(args, a);
    const first = tree(join(a, 'out'));
    await cli(args, a); // regenerate over the existing folder
    await cli(args, b);
    expect(tree(join(a, 'out'))).toEqual(first);
    expect(tree(join(b, 'out'))).toEqual(first);
    expect(Object.keys(first).length).toBeGreaterThan(8);
  });

  it('lists the boards', async () => {
    const r = await cli(['boards'], scratch());
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/tang9k .*Tang Nano 9K/);
    expect(r.stdout).toMatch(/GW1NR-LV9QN88PC6\/I5/);
    expect(r.stdout).toMatch(/zynq7020 .*xc7z020clg400-1/s);
  });

  it.each([
    ['tools: { constructor: "x" }', /^atomik-gen: error: atomik\.config\.ts:1:40: unknown tool "constructor": a built-in JavaScript name, not allowed as a key \(tools: verilator, iverilog, vvp, yosys, .*vivado\)$/],
    ['tools: { __proto__: { yosys: "/evil" } }', /^atomik-gen: error: atomik\.config\.ts:1:40: unknown tool "__proto__": .*\(tools: verilator, /],
    ['tools: { toString: "x" }', /^atomik-gen: error: atomik\.config\.ts:1:\d+: unknown tool "toString" \(tools: verilator, /],
    ['"__proto__": { banks: 4 }', /^atomik-gen: error: atomik\.config\.ts:1:31: unknown design field "__proto__": .*\(design fields: board, banks/],
    ['boardOptions: { constructor: "S1" }', /^atomik-gen: error: atomik\.config\.ts:1:47: unknown board option "constructor": .*\(board options: resetButton\)$/],
  ])('refuses the config entry %s with one line at file:line:column and writes nothing', async (entry, message) => {
    const cwd = scratch();
    writeFileSync(join(cwd, 'atomik.config.ts'), `export default defineDesign({ ${entry} });\n`);
    const r = await cli(['generate'], cwd);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(message);
    expect(readdirSync(cwd)).toEqual(['atomik.config.ts']);
  });

  it('names a folder given as --config, or found as ./atomik.config.ts, in one line', async () => {
    const cwd = scratch();
    mkdirSync(join(cwd, 'conf'));
    const given = await cli(['generate', '--config', 'conf'], cwd);
    expect(given.exitCode).toBe(1);
    expect(given.stderr.trim()).toBe('atomik-gen: error: conf: is a folder, not a config file (give --config the path of an atomik.config.ts file)');
    mkdirSync(join(cwd, 'atomik.config.ts'));
    const found = await cli(['generate'], cwd);
    expect(found.exitCode).toBe(1);
    expect(found.stderr.trim()).toBe('atomik-gen: error: atomik.config.ts: is a folder, not a config file (give --config the path of an atomik.config.ts file)');
  });

  it('sweep drops repeated axis values, first occurrence first, and says so in one line on stderr', async () => {
    const r = await cli(['sweep', '--board', 'tang9k,zynq7020,tang9k', '--banks', '4,2,4,4.0,2', '--width', '8', '--emit-matrix'], scratch());
    expect(r.exitCode).toBe(0);
    expect(r.stderr.trim().split('\n')).toEqual(['sweep: note: each value runs once; dropped the repeats of --board tang9k and --banks 4,2']);
    const matrix = JSON.parse(r.stdout) as { include: { board: string; banks: number }[] };
    expect(matrix.include.map((p) => `${p.board}/${p.banks}`)).toEqual(['tang9k/4', 'tang9k/2', 'zynq7020/4', 'zynq7020/2']);
    const quiet = await cli(['sweep', '--banks', '1,2', '--emit-matrix'], scratch());
    expect(quiet.stderr).toBe('');
  });

  it('sweep axes: every axis de-duplicated in order, the note only when something was dropped', () => {
    const err = sink();
    const axes = sweepAxes({ banks: '4,4', width: '8,16,8', mode: 'parallel,round-robin,parallel', arch: 'banked,banked', 'clock-mhz': '50,50.0,60' }, err.stream);
    expect(axes).toEqual({ boards: ['tang9k'], banks: [4], widths: [8, 16], modes: ['parallel', 'round-robin'], archs: ['banked'], clocks: [50, 60] });
    expect(err.text()).toBe('sweep: note: each value runs once; dropped the repeats of --banks 4 and --width 8 and --mode parallel and --arch banked and --clock-mhz 50\n');
    const none = sink();
    sweepAxes({ banks: '1,2,3' }, none.stream);
    expect(none.text()).toBe('');
  });

  it('refuses a sweep --out that is a file, and a flag given twice, in one line', async () => {
    const cwd = scratch();
    writeFileSync(join(cwd, 'taken'), '');
    const file = await cli(['sweep', '--out', 'taken', '--banks', '1', '--until', 'generate'], cwd);
    expect(file.exitCode).toBe(1);
    expect(file.stderr.trim()).toBe('atomik-gen: error: --out: taken is a file, not a folder (name a new folder, or one an earlier sweep wrote)');
    const twice = await cli(['sweep', '--jobs', '1', '--jobs', '2', '--until', 'generate'], cwd);
    expect(twice.stderr.trim()).toBe('atomik-gen: error: --jobs: given more than once (give it once)');
  });
});

describe('what the command line prints for an error, and its exit code', () => {
  const systemError = (code: string, path?: string, dest?: string) =>
    Object.assign(new Error(`${code}: something, open '${path ?? ''}'`), { code, errno: -1, syscall: 'open', ...(path === undefined ? {} : { path }), ...(dest === undefined ? {} : { dest }) });

  it('prints an AtomikError as one line, and a message of several lines as given', () => {
    expect(errorReport(new AtomikError('bad', { where: '--banks', hint: 'use 4' }))).toEqual({ text: 'atomik-gen: error: --banks: bad (use 4)', exitCode: 1 });
    expect(errorReport(new AtomikError('first line\n  - looked here\n  - and here'))).toEqual({ text: 'atomik-gen: error: first line\n  - looked here\n  - and here', exitCode: 1 });
    const missing = new ToolMissingError('yosys', 'run: npm run setup', ['PATH: none'], 'yosys is not available. Looked at:\n  - PATH: none\nFix: run: npm run setup.');
    expect(errorReport(missing)).toEqual({ text: 'atomik-gen: error: yosys is not available. Looked at:\n  - PATH: none\nFix: run: npm run setup.', exitCode: 1 });
  });

  it.each([
    ['ENOSPC', 'atomik-gen: error: /o/x.v: no space left on device (free some space and rerun)'],
    ['EACCES', 'atomik-gen: error: /o/x.v: permission denied (check the permissions of the file and its folders, or choose another path)'],
    ['EPERM', 'atomik-gen: error: /o/x.v: operation not permitted (check the permissions and whether the file is locked or immutable)'],
    ['EDQUOT', 'atomik-gen: error: /o/x.v: disk quota exceeded (free some space or raise the quota, and rerun)'],
    ['EROFS', 'atomik-gen: error: /o/x.v: read-only file system (choose a folder on a writable file system)'],
    ['ENOENT', 'atomik-gen: error: /o/x.v: no such file or folder (check the path)'],
    ['EISDIR', 'atomik-gen: error: /o/x.v: is a folder, not a file (give the path of a file)'],
    ['ENOTDIR', 'atomik-gen: error: /o/x.v: a part of the path is a file, not a folder (check the path)'],
    ['EEXIST', 'atomik-gen: error: /o/x.v: already exists (remove it or choose another path)'],
    ['EMFILE', 'atomik-gen: error: /o/x.v: too many open files in this process (raise the limit (ulimit -n) or run fewer jobs at once, and rerun)'],
    ['ENFILE', 'atomik-gen: error: /o/x.v: too many open files on this system (close some programs or raise the system limit, and rerun)'],
    ['ENAMETOOLONG', 'atomik-gen: error: /o/x.v: file name too long (choose a shorter path)'],
    ['EBUSY', 'atomik-gen: error: /o/x.v: resource busy or locked (close the program using it and rerun)'],
  ])('prints a %s system error as one line naming the path, exit 1', (code, text) => {
    expect(errorReport(systemError(code, '/o/x.v'))).toEqual({ text, exitCode: 1 });
  });

  it('covers every listed code, names both paths of a move, and leaves out a path the error lacks', () => {
    expect([...SYSTEM_ERRORS.keys()].sort()).toEqual(
      ['EACCES', 'EBUSY', 'EDQUOT', 'EEXIST', 'EISDIR', 'EMFILE', 'ENAMETOOLONG', 'ENFILE', 'ENOENT', 'ENOSPC', 'ENOTDIR', 'EPERM', 'EROFS', 'EXDEV'].sort(),
    );
    expect(errorReport(systemError('EXDEV', '/tmp/a', '/o/a')).text).toBe(
      'atomik-gen: error: /tmp/a -> /o/a: cannot move a file across file systems (keep the output folder and the temporary folder on one file system)',
    );
    expect(errorReport(systemError('ENOSPC')).text).toBe('atomik-gen: error: no space left on device (free some space and rerun)');
    for (const code of SYSTEM_ERRORS.keys()) expect(errorReport(systemError(code, 'p')).text).not.toContain('\n');
  });

  it('prints anything else as an internal error with its stack, exit 2', () => {
    const bug = new TypeError('x is undefined');
    const r = errorReport(bug);
    expect(r.exitCode).toBe(2);
    expect(r.text).toMatch(/^atomik-gen: internal error: TypeError: x is undefined\n\s+at /);
    expect(errorReport(systemError('ECONNRESET', 'p')).exitCode).toBe(2); // not a file-system condition of the user's
    expect(errorReport(Object.assign(new Error('weird'), { code: 'constructor' })).exitCode).toBe(2);
    expect(errorReport('a string').text).toBe('atomik-gen: internal error: a string');
  });
});
