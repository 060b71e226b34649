// The command line as a user runs it: the built CLI in a child process.
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../generator/common/version.js';

const BIN = join(packageRoot(), 'bin', 'atomik-gen.js');

function cli(args: string[], cwd: string) {
  return execa('node', [BIN, ...args], { cwd, reject: false, env: { ...process.env, FORCE_COLOR: '0' } });
}

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'atomik-cli-'));
}

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
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
    [['--board', 'nope'], /--board: unknown board "nope" \(known boards: tang9k, zynq7020\)/],
    [['--board', 'tang9k', '--banks', '100000'], /--banks: .*got 100000/],
    [['--board', 'tang9k', '--banks', '200', '--arch', 'banked'], /--banks: 200 banks x 64 bits does not fit the GW1NR-LV9QN88PC6\/I5 .*at least \d+ flip-flops, the part has 6480/],
    [['--clock-mhz', '1000'], /--clock-mhz: 1000 MHz is not reachable .*nearest reachable/],
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
        'rtl/atomik_host_axil.v', 'rtl/atomik_merge_tree.v', 'rtl/atomik_top.v', 'scripts/synth.ys', 'scripts/vivado_impl.tcl',
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
});
