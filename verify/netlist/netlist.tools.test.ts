// [real tools] The verification levels below the RTL. The default Tang Nano 9K design (16 banks x 64 bits) and a
// parallel design go through the flow to a bitstream (the one pipeline); then the core's synthesized netlist runs
// against the golden model cycle by cycle and the bitstream, unpacked, runs under the UART bus-functional model. The
// Zynq-7020's core netlist (Yosys's xilinx models), and the netlist mutants, each reported with its first failing
// cycle. Cycle counts are small on purpose: a netlist simulates at 50-150 k cycles/s in Verilator, and the board-top
// run is its 29 UART frames (about 1.6 M cycles at 115 200 baud and 81 MHz).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveDesign, type Design } from '../../generator/design/design.js';
import { buildPlan } from '../../generator/plan/plan.js';
import { writeReport } from '../../generator/report/report.js';
import { parseReport } from '../../generator/report/schema.js';
import { runJob } from '../../generator/run/pipeline.js';
import { verifyLevels } from '../levels.js';
import { PIPELINE_CHECKS } from '../stage.js';
import { netlistCheck } from './netlist-check.js';
import { NETLIST_MUTANTS, runNetlistMutants } from './netlist-mutants.js';

const root = mkdtempSync(join(tmpdir(), 'atomik-netlist-'));
const CORE_CYCLES = 5000;

async function flowToBitstream(design: Design, name: string) {
  const plan = buildPlan(design, join(root, name));
  const job = await runJob(plan, { checks: PIPELINE_CHECKS, until: 'bitstream' });
  return { plan, report: job.report! };
}

describe('[real tools] netlist and bitstream verification', () => {
  it('the default Tang Nano 9K design: the core netlist and the unpacked bitstream, recorded in report.json', async () => {
    const { plan, report } = await flowToBitstream(resolveDesign({}), 'tang9k-default');
    expect(plan.design).toMatchObject({ board: 'tang9k', banks: 16, width: 64 });
    const levels = await verifyLevels({ plan, report, level: 'bitstream', cycles: CORE_CYCLES, seed: 1, coreOnly: true, skip: ['pnr'], waveform: false });
    expect(levels.map((l) => `${l.level} ${l.passed}`)).toEqual(['rtl true', 'synth true', 'bitstream true']);
    const synth = levels.find((l) => l.level === 'synth')!;
    expect(synth.checks).toEqual([expect.objectContaining({ dut: 'core', ran: true, cycles: CORE_CYCLES, simulator: 'verilator' })]);
    const bits = levels.find((l) => l.level === 'bitstream')!.checks[0]!;
    expect(bits).toMatchObject({ dut: 'top', ran: true, frames: 29 });
    expect(bits.cycles).toBeGreaterThan(1_000_000);
    // the unpacker's gaps the check filled in are named
    expect(bits.notes.join('\n')).toMatch(/ALU layer rebuilt from the routed netlist/);
    // the report keeps the levels and still reads as a report
    writeReport(plan, { ...report, verifiedLevels: levels });
    const again = parseReport(JSON.parse(readFileSync(join(plan.outDir, 'report.json'), 'utf8')), 'report.json');
    expect(again.verifiedLevels?.map((l) => l.level)).toEqual(['rtl', 'synth', 'bitstream']);
  }, 1_800_000);

  it('a parallel design: the core netlist and the unpacked bitstream', async () => {
    const { plan } = await flowToBitstream(resolveDesign({ banks: 4, width: 16, mode: 'parallel' }), 'tang9k-parallel');
    const synth = await netlistCheck({ plan, level: 'synth', cycles: CORE_CYCLES, seed: 3, coreOnly: true, waveform: false });
    expect(synth.passed, synth.parts[0]?.report ?? '').toBe(true);
    const bits = await netlistCheck({ plan, level: 'bitstream', cycles: CORE_CYCLES, seed: 3, waveform: false });
    expect(bits.passed, bits.parts[0]?.report ?? '').toBe(true);
    expect(bits.parts[0]).toMatchObject({ dut: 'top', ran: true });
  }, 1_800_000);

  it('the Zynq-7020: the core synthesized by synth_xilinx, with Yosys\'s xilinx models', async () => {
    const plan = buildPlan(resolveDesign({ board: 'zynq7020' }), join(root, 'zynq7020'));
    const r = await netlistCheck({ plan, level: 'synth', cycles: CORE_CYCLES, seed: 1, coreOnly: true, waveform: false });
    expect(r.passed, r.parts[0]?.report ?? '').toBe(true);
    expect(r.parts[0]).toMatchObject({ dut: 'core', ran: true, cycles: CORE_CYCLES });
    expect(readFileSync(join(plan.outDir, r.parts[0]!.netlist!), 'utf8')).toMatch(/\bLUT6\b/);
  }, 1_800_000);

  it('catches every netlist mutant and reports its first failing cycle', async () => {
    const plan = buildPlan(resolveDesign({}), join(root, 'mutants'));
    const r = await runNetlistMutants({ plan, cycles: 400, seed: 1 });
    expect(r.baselinePassed).toBe(true);
    expect(r.results.map((m) => m.name)).toEqual(NETLIST_MUTANTS.map((m) => m.name));
    for (const m of r.results) {
      expect(m.killed, m.name).toBe(true);
      expect(m.firstFailingCycle, m.name).toBeGreaterThan(0);
      expect(m.signal, m.name).toMatch(/^(resp_state|ref_value|cycle_count|delta_count|ready|resp_valid|resp_clean|clean)$/);
    }
  }, 1_800_000);
});
