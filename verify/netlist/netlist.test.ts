// The netlist check's text work, on small netlists written here: the JSON netlist as Verilog, the repairs of an
// unpacked Gowin netlist, the ALU layer rebuilt by bel, and the netlist mutants finding their cells.
import { describe, expect, it } from 'vitest';
import { resolveDesign } from '../../generator/design/design.js';
import { buildPlan } from '../../generator/plan/plan.js';
import { deepestLevel } from '../levels.js';
import { modulesOf, withoutModules } from './cells.js';
import { cellInterfaces, jsonToVerilog } from './json-netlist.js';
import { NETLIST_MUTANTS } from './netlist-mutants.js';
import { flowFile, topNetlistGap } from './netlists.js';
import { gowinPinPlaces, joinClockSpines, rebuildAlus, resolveMacroNets, wrapUnpackedGowin } from './unpacked-gowin.js';

const MODELS = `module LUT2 (output F, input I0, I1);
  parameter [3:0] INIT = 0;
endmodule
module OBUF (output O, input I);
endmodule
module IBUF (output O, input I);
endmodule
module rPLL (CLKOUT, CLKIN);
  output CLKOUT; input CLKIN;
endmodule
`;

describe('cell models', () => {
  it('takes out the modules a stand-in replaces, attributes included', () => {
    const text = `module A (); endmodule\n(* blackbox *)\nmodule rPLL (CLKOUT);\n  output CLKOUT;\nendmodule\nmodule B (); endmodule\n`;
    const out = withoutModules(text, new Set(['rPLL']));
    expect(modulesOf(out)).toEqual(['A', 'B']);
    expect(out).not.toContain('blackbox');
  });

  it("reads each model's ports and parameters", () => {
    const m = cellInterfaces(MODELS);
    expect([...m.get('LUT2')!.ports]).toEqual(['F', 'I0', 'I1']);
    expect([...m.get('LUT2')!.params]).toEqual(['INIT']);
    expect([...m.get('rPLL')!.ports]).toEqual(['CLKOUT', 'CLKIN']);
  });
});

describe('a JSON netlist as Verilog', () => {
  const json = {
    modules: {
      top: {
        ports: { a: { direction: 'input', bits: [2, 3] }, y: { direction: 'output', bits: [4] } },
        cells: {
          'u.lut$1': {
            type: 'LUT2',
            parameters: { INIT: '0110', RAW: '1' },
            port_directions: { F: 'output', I0: 'input', I1: 'input', X: 'input' },
            connections: { F: [4], I0: [2], I1: [], X: [3] },
          },
          pll: { type: 'rPLL', parameters: { DEVICE: 'GW1N-9C' }, connections: { CLKIN: [3], CLKOUT: [5] } },
          scope: { type: '$scopeinfo', parameters: { TYPE: 'module' }, connections: {} },
        },
      },
    },
  };

  it('writes one wire per bit, the ports assigned, the parameters typed, unknown pins and parameters left out', () => {
    const dropped = new Map<string, number>();
    const v = jsonToVerilog(json, 'chip_top', '// test', undefined, cellInterfaces(MODELS), dropped);
    expect(v).toContain('module chip_top (a, y);');
    expect(v).toContain('input wire [1:0] a;');
    expect(v).toContain('assign n2 = a[0];');
    expect(v).toContain('assign n3 = a[1];');
    expect(v).toContain('assign y = n4;');
    // an escaped name, the bit-string parameter sized, the unconnected input read as 0
    expect(v).toContain("LUT2 #(.INIT(4'b0110)) \\u.lut$1  (.F(n4), .I0(n2), .I1(1'b0));");
    expect(v).toContain('rPLL #() pll'.replace('#() ', '')); // no parameter the model lacks
    expect(v).not.toContain('DEVICE');
    expect(v).not.toContain('scopeinfo');
    expect(Object.fromEntries(dropped)).toEqual({ 'LUT2 parameter RAW': 1, 'LUT2 port X': 1, 'rPLL parameter DEVICE': 1 });
  });
});

describe('the unpacked Gowin netlist, repaired', () => {
  it('turns bare uses of a net macro into the net, and declares the nets the macros stand for', () => {
    const text = 'module top(R1C1_IA);\ninput R1C1_IA;\n`define R10C47_OUT R10C45_F4\nrPLL PLL_1 (\n.CLKOUT(R10C47_OUT)\n);\nassign R2C2_A0 = `R10C47_OUT;\nendmodule\n';
    const notes: string[] = [];
    const out = resolveMacroNets(text, notes);
    expect(out).toContain('.CLKOUT(R10C45_F4)');
    expect(out).toContain('assign R2C2_A0 = `R10C47_OUT;');
    expect(out).toMatch(/module top\(R1C1_IA\);\nwire R10C45_F4;/);
    expect(notes).toHaveLength(2);
  });

  it('ties a clock spine nothing drives to the driven spine three below in its row', () => {
    const text = 'module top();\nassign R20C12_SPINE16 = R10C45_F4;\nassign R14C12_GB00 = R20C20_SPINE19;\nassign R2C4_X = R2C8_SPINE11;\nendmodule\n';
    const notes: string[] = [];
    const out = joinClockSpines(text, notes);
    expect(out).toContain('assign R20C20_SPINE19 = R20C12_SPINE16;');
    // no spine 8 driven in row 2: left alone
    expect(out).not.toContain('assign R2C8_SPINE11');
  });

  const routed = {
    modules: {
      top: {
        ports: { clk: { direction: 'input', bits: [7] }, led: { direction: 'output', bits: [8, 9] } },
        cells: {
          clk_ibuf: { type: 'IBUF', attributes: { NEXTPNR_BEL: 'X46Y16/IOBA' }, connections: { I: [7], O: [10] } },
          led0: { type: 'OBUF', attributes: { NEXTPNR_BEL: 'X0Y14/IOBA' }, connections: { I: [11], O: [8] } },
          led1: { type: 'OBUF', attributes: { NEXTPNR_BEL: 'X0Y15/IOBB' }, connections: { I: [12], O: [9] } },
          head: { type: 'ALU', parameters: { ALU_MODE: 'ONE2C' }, attributes: { NEXTPNR_BEL: 'X1Y2/ALU0' }, connections: { COUT: [20], I2: [1] } },
          bit0: {
            type: 'ALU',
            parameters: { ALU_MODE: '00000000000000000000000000000010', RAW_ALU_LUT: '00000000000000001100000011000000' },
            attributes: { NEXTPNR_BEL: 'X1Y2/ALU1' },
            connections: { CIN: [20], COUT: [21], SUM: [22], I0: [], I1: [23], I2: [1], I3: [] },
          },
          tail: { type: 'ALU', parameters: { ALU_MODE: 'C2L' }, attributes: { NEXTPNR_BEL: 'X1Y2/ALU5' }, connections: { CIN: [24], SUM: [25] } },
        },
      },
    },
  };

  it('places the top ports on the pads nextpnr chose', () => {
    expect(gowinPinPlaces(routed).map((p) => `${p.port} ${p.unpackedPort}`)).toEqual(['clk R17C47_IA', 'led[0] R15C1_OA', 'led[1] R16C1_OB']);
  });

  it("rebuilds the ALU layer from the routed netlist, on the tile's wires", () => {
    const unpacked = 'module top();\nALU R3C2_ALU_1 (\n.CIN(R3C2_CIN1),\n.I2(R3C2_C1),\n.COUT(R3C2_F1),\n.I0(R3C2_B1),\n.I1(R3C2_D1)\n);\ndefparam R3C2_ALU_1.ALU_MODE = 9;\nendmodule\n';
    const notes: string[] = [];
    const out = rebuildAlus(unpacked, routed, notes);
    expect(out).not.toContain('defparam R3C2_ALU_1');
    expect(out).toContain("assign R3C2_CIN1 = 1'b1;");
    expect(out).toContain(
      "ALU #(.ALU_MODE(2), .RAW_ALU_LUT(32'b00000000000000001100000011000000)) R3C2_ALU_1 (.SUM(R3C2_F1), .COUT(R3C2_CIN2), .CIN(R3C2_CIN1), .I0(1'b0), .I1(R3C2_B1), .I2(R3C2_C1), .I3(1'b0));",
    );
    expect(out).toContain('assign R3C2_F5 = R3C2_CIN5;');
    expect(notes[0]).toContain('1 unpacked ALU cell(s) (1 read as C2L) replaced by 1 ALU cell(s) and 2 chain end(s)');
  });

  it("wraps the unpacked module under the RTL top's ports, the PLL given the clock pad", () => {
    const unpacked = [
      'module top(R17C47_IA, R1C2_IB, R15C1_OA, R16C1_OB);',
      'input R17C47_IA;',
      'input R1C2_IB;',
      'output R15C1_OA;',
      'output R16C1_OB;',
      'IBUF R17C47_IBUF_A (',
      '.O(R17C47_F6),',
      '.I(R17C47_IA)',
      ');',
      'rPLL PLL_1 (',
      '.CLKOUT(R10C45_F4)',
      ');',
      'endmodule',
      '',
    ].join('\n');
    const w = wrapUnpackedGowin({ unpacked, routed, places: gowinPinPlaces(routed), top: 'x_top', clockPort: 'clk' });
    expect(w.netlist).toContain('module x_top_unpacked(');
    expect(w.netlist).toMatch(/rPLL PLL_1 \(\n\.CLKIN\(R17C47_F6\),/);
    expect(w.wrapper).toContain('module x_top (');
    expect(w.wrapper).toContain('.R17C47_IA(clk)');
    expect(w.wrapper).toContain('.R16C1_OB(led[1])');
    expect(w.wrapper).toContain(".R1C2_IB(1'b1)");
  });
});

describe('the levels each board reaches', () => {
  const plan = (d: Parameters<typeof resolveDesign>[0]) => buildPlan(resolveDesign(d), 'out/levels-test');

  it('the bitstream on a Gowin board with the UART host; the synthesized netlist on the Zynq-7020 and for other hosts', () => {
    expect(deepestLevel(plan({ board: 'tang9k' }))).toBe('bitstream');
    expect(deepestLevel(plan({ board: 'tangnano20k', banks: 4, width: 32 }))).toBe('bitstream');
    expect(deepestLevel(plan({ board: 'zynq7020' }))).toBe('synth');
    expect(deepestLevel(plan({ board: 'icebreaker', banks: 4, width: 32 }))).toBe('synth');
    expect(deepestLevel(plan({ board: 'ulx3s', banks: 4, width: 32 }))).toBe('synth');
    expect(deepestLevel(plan({ board: 'tang9k', host: 'none' }))).toBe('synth');
  });

  it('says why a level has no board-top netlist', () => {
    const ice = plan({ board: 'icebreaker', banks: 4, width: 32 });
    expect(topNetlistGap(ice, 'synth')).toContain('Gowin cells only');
    expect(topNetlistGap(ice, 'bitstream')).toContain('icebox_vlog');
    expect(topNetlistGap(plan({ board: 'ulx3s', banks: 4, width: 32 }), 'bitstream')).toContain('textual configuration');
    expect(topNetlistGap(plan({ board: 'zynq7020' }), 'synth')).toContain('synthesis only counts resources');
    expect(topNetlistGap(plan({ board: 'zynq7020', host: 'axi-lite' }), 'synth')).toContain('host axi-lite has none');
    expect(flowFile(plan({ board: 'tang9k' }), 'pnr')).toBe('build/atomik_top.pnr.json');
    expect(flowFile(plan({ board: 'tang9k' }), 'bitstream')).toBe('build/atomik_top.fs');
  });
});

describe('netlist mutants', () => {
  // a core netlist in Yosys's write_verilog form: a ref_value and a cycle_count bit, each behind its output buffer
  const netlist = [
    'module atomik_core(clk, rst, ref_value, cycle_count, resp_state);',
    '  LUT3 #(',
    "    .INIT(8'hca)",
    '  ) ref_mux (',
    '    .F(ref_d),',
    '    .I0(ref_q),',
    '    .I1(value),',
    '    .I2(load)',
    '  );',
    '  DFFRE ref_ff (',
    '    .CE(load),',
    '    .CLK(clk),',
    '    .D(ref_d),',
    '    .Q(ref_q),',
    '    .RESET(rst)',
    '  );',
    '  OBUF ref_obuf (',
    '    .I(ref_q),',
    '    .O(ref_value[0])',
    '  );',
    '  LUT2 #(',
    "    .INIT(4'h6)",
    '  ) st_xor (',
    '    .F(st_d),',
    '    .I0(ref_q),',
    '    .I1(acc)',
    '  );',
    '  DFFR st_ff (',
    '    .CLK(clk),',
    '    .D(st_d),',
    '    .Q(st_q),',
    '    .RESET(rst)',
    '  );',
    '  OBUF st_obuf (',
    '    .I(st_q),',
    '    .O(resp_state[0])',
    '  );',
    '  ALU #(',
    "    .ALU_MODE(32'sd2)",
    '  ) cnt_alu (',
    '    .CIN(c0),',
    '    .COUT(c1),',
    '    .I0(cnt_q),',
    '    .I1(zero),',
    '    .I3(one),',
    '    .SUM(cnt_d)',
    '  );',
    '  DFFR cnt_ff (',
    '    .CLK(clk),',
    '    .D(cnt_d),',
    '    .Q(cnt_q),',
    '    .RESET(rst)',
    '  );',
    '  OBUF cnt_obuf (',
    '    .I(cnt_q),',
    '    .O(cycle_count[1])',
    '  );',
    '  DFFR cnt0_ff (',
    '    .CLK(clk),',
    '    .D(cnt0_d),',
    '    .Q(cnt0_q),',
    '    .RESET(rst)',
    '  );',
    '  OBUF cnt0_obuf (',
    '    .I(cnt0_q),',
    '    .O(cycle_count[0])',
    '  );',
    'endmodule',
    '',
  ].join('\n');
  const applied = Object.fromEntries(NETLIST_MUTANTS.map((m) => [m.name, m.apply(netlist, 1)]));

  it('has at least four kinds, each changing exactly its cell', () => {
    expect(NETLIST_MUTANTS.length).toBeGreaterThanOrEqual(4);
    for (const [name, r] of Object.entries(applied)) expect(r.text, name).not.toBe(netlist);
    expect(applied['lut-init-bit']!.text).toContain(".INIT(4'h7)");
    expect(applied['lut-swap-inputs']!).toMatchObject({ cell: 'ref_mux' });
    expect(applied['lut-swap-inputs']!.text).toMatch(/\.I0\(value\),\n {4}\.I1\(ref_q\)/);
    expect(applied['dff-stuck-d']!.text).toContain(".D(1'b0)");
    expect(applied['dff-drop-reset']!.text).toMatch(/DFF cnt0_ff \(\n {4}\.CLK\(clk\),\n {4}\.D\(cnt0_d\),\n {4}\.Q\(cnt0_q\)\n {2}\);/);
    expect(applied['dff-drop-enable']!.text).toMatch(/DFFR ref_ff \(\n {4}\.CLK/);
    expect(applied['alu-mode']!.text).toContain("ALU_MODE(32'sd1)");
  });

  it('stops on a netlist where its cell is missing', () => {
    expect(() => NETLIST_MUTANTS.find((m) => m.name === 'dff-stuck-d')!.apply('module x(); endmodule\n', 8)).toThrow(/no flip-flop drives ref_value\[0\]/);
  });
});

describe('the unpacked netlist\'s other gaps', () => {
  it('drives a long wire nothing drives from the cell output nextpnr routed onto it', async () => {
    const { joinLongWires } = await import('./unpacked-gowin.js');
    const routed = {
      modules: {
        top: {
          cells: { lut: { type: 'LUT4', attributes: { NEXTPNR_BEL: 'X5Y14/LUT4' }, port_directions: { F: 'output' }, connections: { F: [9] } } },
          netnames: { en: { bits: [9], attributes: { ROUTING: 'X5Y14/F4;;1;X13Y15/LBO0;X13Y15/LBO0/LT01;5;X13Y15/CE1;X13Y15/CE1/LB21;5' } } },
        },
      },
    };
    const text = 'module top();\nassign R16C14_CE1 = R16C14_LB21;\nassign R16C14_LBO0 = R16C14_LT01;\nendmodule\n';
    const notes: string[] = [];
    const out = joinLongWires(text, routed, notes);
    expect(out).toContain('assign R16C14_LB21 = R15C6_F4;');
    expect(out).toContain('assign R16C14_LT01 = R15C6_F4;');
    expect(notes[0]).toContain('2 of 2 long wire(s)');
  });

  it('ties to 1 a LUT output a flip-flop takes and nothing drives (an all-ones LUT)', async () => {
    const { constantOneLuts } = await import('./unpacked-gowin.js');
    const text = 'module top();\nLUT4 R2C2_LUT4_0 (\n.F(R2C2_F0),\n.I0(R2C2_A0)\n);\nDFFRE R25C2_DFFE_1 (\n.D(R25C2_F1),\n.Q(R25C2_Q1)\n);\nDFFE R2C2_DFFE_0 (\n.D(R2C2_F0)\n);\nendmodule\n';
    const notes: string[] = [];
    const out = constantOneLuts(text, notes);
    expect(out).toContain("assign R25C2_F1 = 1'b1;");
    expect(out).not.toContain("assign R2C2_F0 = 1'b1;");
  });
});
