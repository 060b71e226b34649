// The build plan of an AXI4-Lite design (host axi-lite): which files, which stages, and how the Zynq flow treats a
// block-design module (no pins, no IO pads, out-of-context Vivado, no bitstream of its own).
import { describe, expect, it } from 'vitest';
import { resolveDesign } from '../design/design.js';
import { buildPlan } from './plan.js';

const axil = resolveDesign({ board: 'zynq7020', host: 'axi-lite', banks: 8, width: 40, mode: 'parallel', arch: 'banked', clockMHz: 100 });
const uart = resolveDesign({ board: 'zynq7020', banks: 8, width: 40, mode: 'parallel', arch: 'banked' });

describe('the build plan of an AXI4-Lite design', () => {
  const plan = buildPlan(axil, 'out/axil');
  const file = (path: string) => plan.files.find((f) => f.path === path)?.content;

  it('writes the core, the slave, its top and the C header; no UART, no vendor stand-ins', () => {
    expect(plan.top).toBe('atomik_top');
    expect(plan.files.filter((f) => f.role === 'rtl').map((f) => f.path)).toEqual([
      'rtl/atomik_bank.v',
      'rtl/atomik_merge_tree.v',
      'rtl/atomik_counter.v',
      'rtl/atomik_core.v',
      'rtl/atomik_host_axil.v',
      'rtl/atomik_top.v',
    ]);
    expect(plan.files.filter((f) => f.role === 'stub')).toEqual([]);
    expect(plan.files.find((f) => f.role === 'header')?.path).toBe('include/atomik_regs.h');
    expect(buildPlan(uart, 'out/uart').files.some((f) => f.role === 'header')).toBe(false);
  });

  it('lints and synthesizes the top without IO pads, implements it out of context, and has no bitstream stage', () => {
    expect(plan.stages.map((s) => s.name)).toEqual(['lint', 'verify', 'synth', 'pnr']);
    const lint = plan.stages.find((s) => s.name === 'lint')!;
    expect(lint.commands[0]!.args).toContain('atomik_top');
    expect(lint.inputs.some((p) => p.startsWith('stubs/'))).toBe(false);
    expect(file('scripts/synth.ys')).toMatch(/synth_xilinx -flatten -family xc7 -top atomik_top -noiopad/);
    expect(file('scripts/vivado_impl.tcl')).toMatch(/synth_design -top atomik_top -part xc7z020clg400-1 -mode out_of_context/);
    expect(file('scripts/vivado_bit.tcl')).toBeUndefined();
    expect(plan.stages.find((s) => s.name === 'pnr')!.skipWithoutTool).toMatch(/Vivado not found/);
    // the UART design keeps its board flow
    const u = buildPlan(uart, 'out/uart');
    expect(u.stages.map((s) => s.name)).toEqual(['lint', 'verify', 'synth', 'pnr', 'bitstream']);
    expect(u.files.find((f) => f.path === 'scripts/vivado_impl.tcl')!.content).not.toContain('out_of_context');
  });

  it('constrains only the AXI clock, at the design clock, and pins nothing', () => {
    const xdc = file('constraints/zynq7020.xdc')!;
    expect(xdc).toContain('create_clock -name s_axi_aclk -period 10.000 [get_ports { s_axi_aclk }]');
    expect(xdc).not.toMatch(/PACKAGE_PIN|IOSTANDARD|get_ports \{ s_axi_(?!aclk)/);
  });

  it('renders the slave from the register map: every command code, the INFO words, the value words', () => {
    const rtl = file('rtl/atomik_host_axil.v')!;
    for (const code of ['4C', '41', '52', '55', '57', '4B']) expect(rtl).toContain(`8'h${code}:`);
    expect(rtl).toContain('R_DATA1 = 6\'d17');
    expect(rtl).not.toContain('R_DATA2');
    expect(rtl).toMatch(/R_INFO1:\s+rd_val = 32'h00280008;/); // width 40, banks 8
    const top = file('rtl/atomik_top.v')!;
    for (const port of ['s_axi_aclk', 's_axi_aresetn', 's_axi_awaddr', 's_axi_awvalid', 's_axi_awready', 's_axi_wdata', 's_axi_wstrb',
      's_axi_wvalid', 's_axi_wready', 's_axi_bresp', 's_axi_bvalid', 's_axi_bready', 's_axi_araddr', 's_axi_arvalid', 's_axi_arready',
      's_axi_rdata', 's_axi_rresp', 's_axi_rvalid', 's_axi_rready']) {
      expect(top).toMatch(new RegExp(`(input|output)\\s+wire\\s+(\\[[^\\]]+\\]\\s+)?${port},?\\n`));
    }
    expect(top).not.toMatch(/MMCME2_BASE|BUFG|uart_|\bled\b/);
  });

  it('is deterministic', () => {
    const again = buildPlan(axil, 'out/axil');
    expect(again.files.map((f) => f.content)).toEqual(plan.files.map((f) => f.content));
  });
});
