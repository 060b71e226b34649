// The open Lattice ECP5 flow: Yosys synth_ecp5, nextpnr-ecp5 place and route (Project Trellis chip database), ecppack
// to a .bit bitstream.
import type { Board } from '../../../boards/types.js';
import { commentBlock, renderTemplate } from '../../common/render.js';
import type { Stage } from '../../tools/stage.js';
import { type ClockTiming, type FigureSource, type FlowInput, type ResourceUse, type VendorFlow } from '../types.js';
import { openFlowStages, parseNextpnrUtilization, seedFiles } from '../nextpnr.js';
import { SYNTH_SCRIPT, SYNTH_STAT_JSON, synthStage, yosysSynthesis, type CellGroup } from '../yosys.js';

/**
 * Yosys's ECP5 cells by our resource names. LUT counts LUT4 cells only: a CCU2C carry cell (two LUT4s and the carry
 * logic of a slice) is counted apart as CARRY, as Yosys reports it; nextpnr's TRELLIS_COMB count covers both.
 */
const CELLS: readonly CellGroup[] = [
  { resource: 'LUT', cells: /^LUT4$/, capacity: 'luts' },
  { resource: 'FF', cells: /^TRELLIS_FF$/, capacity: 'flipFlops' },
  { resource: 'CARRY', cells: /^CCU2C$/ },
  { resource: 'LUTRAM', cells: /^TRELLIS_DPR16X4$/ },
  { resource: 'BRAM', cells: /^(DP16KD|PDPW16KD)$/, capacity: 'bram' },
  { resource: 'DSP', cells: /^(MULT18X18D|MULT9X9D)$/, capacity: 'dsp' },
];

/**
 * nextpnr-ecp5's bel types (its --report "utilization") by our names. TRELLIS_COMB is one LUT4 position of a slice
 * (two per slice): it counts plain LUT4s, the LUT halves of carry cells and distributed-RAM LUTs alike, so LUT after
 * place and route reads higher than Yosys's LUT4 count. TRELLIS_FF is one slice flip-flop (two per slice). DP16KD is
 * one 18 Kbit EBR block; MULT18X18D one 18x18 multiplier; TRELLIS_IO one I/O pad; EHXPLLL one PLL; TRELLIS_RAMW the
 * write-port half of a distributed-RAM slice pair; DCCA one global clock buffer.
 */
const BELS: Readonly<Record<string, string>> = {
  TRELLIS_COMB: 'LUT',
  TRELLIS_FF: 'FF',
  TRELLIS_RAMW: 'LUTRAM',
  DP16KD: 'BRAM',
  MULT18X18D: 'DSP',
  TRELLIS_IO: 'IO',
  EHXPLLL: 'PLL',
  DCCA: 'GCLK',
};

export const NEXTPNR_ECP5_SOURCE: FigureSource = {
  tool: 'nextpnr-ecp5',
  stage: 'pnr',
  kind: 'estimate',
  note: "nextpnr-ecp5 timing model from Project Trellis's speed-grade data (an estimate; not checked against Lattice Diamond here)",
};
const NEXTPNR_ECP5_RESOURCES: FigureSource = {
  ...NEXTPNR_ECP5_SOURCE,
  kind: 'reported',
  note: 'nextpnr-ecp5 (after place and route; LUT = TRELLIS_COMB bels, carry halves included)',
};

/** nextpnr-ecp5's --report JSON, by the ECP5 bel names. */
export function parseNextpnrEcp5Report(json: unknown): { resources: ResourceUse[]; clocks: ClockTiming[] } {
  return parseNextpnrUtilization(json, BELS);
}

/** The speed grade in an ECP5 part number, the digit before the package code: 6 in LFE5U-85F-6BG381C. */
export function ecp5SpeedGrade(board: Pick<Board, 'part'>): number {
  const m = /-([678])[A-Z]{2}\d+[A-Z]*$/.exec(board.part);
  if (!m?.[1]) throw new Error(`cannot read an ECP5 speed grade (6, 7 or 8) from part "${board.part}" (expected e.g. LFE5U-85F-6BG381C)`);
  return Number(m[1]);
}

function plan(input: FlowInput) {
  const { board, top, rtlFiles, params } = input;
  const netlist = `build/${top}.json`;
  const files = [
    {
      path: SYNTH_SCRIPT,
      role: 'script' as const,
      content: renderTemplate('scripts/synth-ecp5.ys.hbs', {
        header: commentBlock(input.header, '#'),
        part: board.part,
        rtlFiles,
        top,
        netlist,
        statJson: SYNTH_STAT_JSON,
      }),
    },
  ];
  const stages: Stage[] = [synthStage(board, rtlFiles, netlist)];
  if (input.constraints === undefined) return { files, stages };
  if (board.package === undefined) throw new Error(`board ${board.id}: an ECP5 board needs its package (nextpnr-ecp5 --package)`);
  const seeded = seedFiles(top, params, 'config', 'bit');
  stages.push(
    ...openFlowStages({
      pnrTool: 'nextpnr-ecp5',
      deviceArgs: [`--${board.packFamily}`, '--package', board.package, '--speed', String(ecp5SpeedGrade(board)), '--lpf', input.constraints],
      routedOption: '--textcfg',
      netlist,
      constraints: input.constraints,
      files: seeded,
      params,
      packTool: 'ecppack',
      packArgs: ['--compress', '--input', seeded.routed, '--bit', seeded.bitstream],
      packFor: board.device,
    }),
  );
  return { files, stages };
}

export const ecp5Open: VendorFlow = {
  id: 'ecp5-open',
  constraints: { template: 'constraints/ecp5.lpf.hbs', ext: 'lpf', comment: '#' },
  plan,
  synthesis: yosysSynthesis(CELLS),
  implementation: (json: unknown) => {
    const parsed = parseNextpnrEcp5Report(json);
    return { ...parsed, resourceSource: NEXTPNR_ECP5_RESOURCES, fmaxSource: NEXTPNR_ECP5_SOURCE };
  },
};
