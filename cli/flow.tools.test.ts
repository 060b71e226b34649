// [real tools] The tool flow end to end: Yosys, nextpnr-himbaechel and gowin_pack for the Tang Nano 9K, Yosys for the
// Zynq-7020, the report, the cache, and the failures a user meets (a missing tool, a tool that fails).
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { resolveDesign } from '../generator/design/design.js';
import { AtomikError } from '../generator/common/errors.js';
import { buildPlan } from '../generator/plan/plan.js';
import type { BuildReport } from '../generator/report/report.js';
import { runPlan } from '../generator/run/pipeline.js';
import { PIPELINE_CHECKS } from '../verify/stage.js';
import { packageRoot } from '../generator/common/version.js';

const BIN = join(packageRoot(), 'bin', 'atomik-gen.js');
const root = mkdtempSync(join(tmpdir(), 'atomik-flow-'));

function cli(args: string[], env: Record<string, string> = {}) {
  return execa('node', [BIN, ...args], { cwd: root, reject: false, env: { ...process.env, CI: 'true', ...env } });
}

function report(out: string): BuildReport {
  return JSON.parse(readFileSync(join(root, out, 'report.json'), 'utf8')) as BuildReport;
}

describe('[real tools] Tang Nano 9K: synth, place and route, bitstream', () => {
  it.each([1, 16])('%i bank(s): a .fs bitstream and a report with nextpnr utilization and Fmax', async (banks) => {
    const out = `t9k-${banks}`;
    const r = await cli(['--board', 'tang9k', '--banks', String(banks), '--arch', 'banked', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const rep = report(out);
    expect(rep.stages.map((s) => [s.stage, s.status])).toEqual([
      ['lint', 'ran'],
      ['verify', 'ran'],
      ['synth', 'ran'],
      ['pnr', 'ran'],
      ['bitstream', 'ran'],
    ]);
    expect(rep.resources?.source).toMatchObject({ tool: 'nextpnr-himbaechel', stage: 'pnr' });
    const lut = rep.resources!.items.find((i) => i.resource === 'LUT')!;
    expect(lut.available).toBe(8640);
    expect(lut.used).toBeGreaterThan(banks * 64); // every bank bit needs a LUT
    expect(rep.clocks[0]!.fmaxMHz).toBeGreaterThan(0);
    expect(rep.clocks[0]!.source).toMatchObject({ tool: 'nextpnr-himbaechel', kind: 'estimate' });
    expect(rep.clocks[0]!.source.note).toMatch(/open timing model/);
    expect(typeof rep.timingMet).toBe('boolean');
    expect(rep.throughput).toMatchObject({ deltasPerCycle: 1, basis: { kind: 'by-design' } });
    expect(rep.tools.map((t) => t.id).sort()).toEqual(['gowin_pack', 'nextpnr-himbaechel', 'verilator', 'yosys']);
    expect(rep.verification).toMatchObject({ simulator: 'verilator', passed: true, cycles: 20_000 });
    expect(rep.bitstream!.path).toBe('build/atomik_top.fs');
    expect(existsSync(join(root, out, rep.bitstream!.path))).toBe(true);
    expect(rep.bitstream!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(r.stdout).toMatch(/Fmax clk: [\d.]+ MHz against 81 MHz/);
  }, 900_000);

  it('serves an unchanged design from the cache, and --force reruns it', async () => {
    const out = 't9k-1';
    const cached = await cli(['--board', 'tang9k', '--banks', '1', '--arch', 'banked', '--out', out]);
    expect(cached.exitCode).toBe(0);
    expect(report(out).stages.every((s) => s.status === 'cached')).toBe(true);
    expect(cached.stdout).toMatch(/pnr: cached/);
    const forced = await cli(['--board', 'tang9k', '--banks', '1', '--arch', 'banked', '--out', out, '--force', '--until', 'synth']);
    expect(forced.exitCode).toBe(0);
    expect(report(out).stages.map((s) => [s.stage, s.status])).toEqual([['lint', 'ran'], ['verify', 'ran'], ['synth', 'ran']]);
  }, 900_000);
});

describe('[real tools] Zynq-7020: Yosys synthesis figures', () => {
  it('reports synth_xilinx resource counts against the part and says Fmax needs Vivado', async () => {
    const out = 'z7-16';
    const r = await cli(['--board', 'zynq7020', '--banks', '16', '--mode', 'parallel', '--until', 'synth', '--out', out, '--json']);
    expect(r.exitCode).toBe(0);
    const rep = JSON.parse(r.stdout) as BuildReport; // --json: the report alone on stdout
    expect(rep).toEqual(report(out));
    const ff = rep.resources!.items.find((i) => i.resource === 'FF')!;
    expect(ff).toMatchObject({ available: 106400 });
    expect(ff.used).toBeGreaterThan(16 * 64);
    expect(rep.clocks[0]!.fmaxMHz).toBeNull();
    expect(rep.throughput).toMatchObject({ deltasPerCycle: 16, clockMHz: 200, mDeltasPerSecond: 3200 });
  }, 900_000);
});

describe('[real tools] failures', () => {
  it('names a tool that is unavailable, and how to fix it', async () => {
    const r = await cli(['--board', 'tang9k', '--banks', '2', '--out', 'missing'], { ATOMIK_YOSYS: join(root, 'no-such-yosys') });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^atomik-gen: error: .*yosys is not available/);
    expect(r.stderr).toMatch(/ATOMIK_YOSYS/);
  });

  it('takes a tool path from the config file, and names it when it points nowhere', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomik-flow-config-'));
    writeFileSync(join(dir, 'atomik.config.ts'), `export default defineDesign({ banks: 2, tools: { yosys: '/nonexistent/yosys' } });\n`);
    const r = await execa('node', [BIN, '--until', 'synth'], { cwd: dir, reject: false, env: { ...process.env, CI: 'true' } });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/yosys is not available/);
    expect(r.stderr).toMatch(/config tools\.yosys/);
    writeFileSync(join(dir, 'atomik.config.ts'), `export default defineDesign({ banks: 2, tools: { yosyss: 'x' } });\n`);
    const typo = await execa('node', [BIN, 'generate'], { cwd: dir, reject: false });
    expect(typo.stderr).toMatch(/atomik\.config\.ts:1:\d+: unknown tool "yosyss"/);
    writeFileSync(join(dir, 'atomik.config.ts'), `export default defineDesign({ tools: { yosys: '/nonexistent/yosys' } });\n`);
    const doctor = await execa('node', [BIN, 'doctor'], { cwd: dir, reject: false });
    expect(doctor.stdout).toMatch(/^yosys\s+missing\s+config tools\.yosys=\/nonexistent\/yosys/m);
  });

  it('reports a failing tool with its name, exit code, log tail and log path', async () => {
    const plan = buildPlan(resolveDesign({ board: 'tang9k', banks: 2 }), join(root, 'broken'));
    // a design file Yosys cannot read
    const files = plan.files.map((f) => (f.path === 'rtl/atomik_core.v' ? { ...f, content: 'module atomik_core(; endmodule\n' } : f));
    const synth = plan.stages.filter((s) => s.name === 'synth');
    const failure = await runPlan({ ...plan, files, stages: synth }, { checks: PIPELINE_CHECKS }).then(
      () => undefined,
      (err: unknown) => err as AtomikError,
    );
    expect(failure).toBeInstanceOf(AtomikError);
    expect(failure!.oneLine()).toMatch(/^synth stage: yosys exited with code [1-9]/);
    expect(failure!.message).toMatch(/\| .*(syntax error|ERROR)/);
    expect(failure!.message).toMatch(/full log: .*broken\/logs\/synth\.log/);
    expect(existsSync(join(plan.outDir, 'build', '.stamps', 'synth.json'))).toBe(false); // a failed stage is never cached
  });

  it('doctor lists every tool with where it was found', async () => {
    const r = await cli(['doctor']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^verilator\s+5\.\d+\s+path/m);
    expect(r.stdout).toMatch(/^yosys\s+\d+\.\d+/m);
    expect(r.stdout).toMatch(/^vivado\s+missing/m);
  });
});
