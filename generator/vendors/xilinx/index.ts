// The 7-series flow: Yosys synth_xilinx for resource counts (no open place and route for 7-series here), then Vivado in
// batch mode for implementation and the bitstream, both optional: without Vivado they are skipped with the reason.
import type { Board } from '../../../boards/types.js';
import { commentBlock, renderTemplate, type PlannedFile } from '../../common/render.js';
import type { Stage, ToolCommand } from '../../tools/stage.js';
import { round2, use, type FigureSource, type FlowInput, type VendorFlow } from '../types.js';
import { SYNTH_SCRIPT, SYNTH_STAT_JSON, synthStage, yosysSynthesis, type CellGroup } from '../yosys.js';

const CELLS: readonly CellGroup[] = [
  { resource: 'LUT', cells: /^LUT[1-6]$/, capacity: 'luts' },
  { resource: 'FF', cells: /^FD[RSCP]E$/, capacity: 'flipFlops' },
  { resource: 'CARRY', cells: /^CARRY4$/ },
  { resource: 'LUTRAM', cells: /^RAM(32|64|128|256)/ },
  // a BRAM36 counts as one block, a BRAM18 as half of one
  { resource: 'BRAM', cells: /^RAMB(36|18)/, capacity: 'bram', halfCells: /^RAMB18/ },
  { resource: 'DSP', cells: /^DSP48/, capacity: 'dsp' },
];

export const VIVADO_SOURCE: FigureSource = {
  tool: 'vivado',
  stage: 'pnr',
  kind: 'reported',
  note: 'Vivado route_design timing (1000 / (period - WNS))',
};

const SKIP = 'Vivado not found: Fmax and the bitstream need Vivado (the open flow has no 7-series place and route here)';

/** What scripts/vivado_impl.tcl writes to reports/vivado.result.json. */
interface VivadoResult {
  tool: string;
  clock: string;
  periodNs: number;
  wnsNs: number;
  fmaxMHz: number;
  luts: number;
  flipFlops: number;
  carry: number;
  bram36: number;
  bram18: number;
  dsp: number;
}

function periodNs(mhz: number): number {
  return Math.round((1000 / mhz) * 1000) / 1000;
}

function plan(input: FlowInput) {
  const { board, top, rtlFiles, params } = input;
  const header = commentBlock(input.header, '#');
  const files: PlannedFile[] = [
    {
      path: SYNTH_SCRIPT,
      role: 'script',
      content: renderTemplate('scripts/synth-xilinx.ys.hbs', {
        header,
        part: board.part,
        rtlFiles,
        top,
        statJson: SYNTH_STAT_JSON,
        // a block-design module's ports meet the interconnect, not pads; so do a bare core's
        noIoPads: input.constraints === undefined || input.blockDesign,
      }),
    },
  ];
  const stages: Stage[] = [synthStage(board, rtlFiles)];
  const xdc = input.constraints;
  if (xdc === undefined) return { files, stages };

  const implScript = 'scripts/vivado_impl.tcl';
  const bitScript = 'scripts/vivado_bit.tcl';
  const checkpoint = `build/${top}.routed.dcp`;
  const resultJson = 'reports/vivado.result.json';
  const bitstream = `build/${top}.bit`;
  const tcl = (name: string, extra: object) =>
    files.push({ path: name, role: 'script', content: renderTemplate(`${name}.hbs`, { header, part: board.part, script: name, top, rtlFiles, xdc, checkpoint, ...extra }) });
  tcl(implScript, {
    outOfContext: input.blockDesign,
    resultJson,
    utilReport: 'reports/vivado.utilization.txt',
    timingReport: 'reports/vivado.timing.txt',
    corePeriodNs: periodNs(params.targetMHz),
  });
  // a block-design module is implemented out of context, for its resources and Fmax; its bitstream comes from the
  // user's block design (with processing_system7), so there is no bitstream stage
  if (!input.blockDesign) tcl(bitScript, { bitstream });
  const vivado = (tclScript: string): ToolCommand => ({ tool: 'vivado', args: ['-mode', 'batch', '-nojournal', '-nolog', '-source', tclScript] });
  stages.push({
    name: 'pnr',
    description: `Vivado ${input.blockDesign ? 'out-of-context ' : ''}implementation (synthesis, place, route) at ${params.targetMHz} MHz`,
    commands: [vivado(implScript)],
    skipWithoutTool: SKIP,
    inputs: [implScript, xdc, ...rtlFiles],
    outputs: [checkpoint, resultJson],
    result: { kind: 'vivado-result', path: resultJson },
  });
  if (!input.blockDesign) {
    stages.push({
      name: 'bitstream',
      description: 'Vivado write_bitstream',
      commands: [vivado(bitScript)],
      skipWithoutTool: SKIP,
      inputs: [bitScript, checkpoint],
      outputs: [bitstream],
      result: { kind: 'bitstream', path: bitstream },
    });
  }
  return { files, stages };
}

export const xilinxYosysVivado: VendorFlow = {
  id: 'xilinx-yosys-vivado',
  constraints: { template: 'constraints/xilinx.xdc.hbs', ext: 'xdc', comment: '#' },
  plan,
  synthesis: yosysSynthesis(CELLS),
  implementation: (json: unknown, board: Board, clockMHz: number) => {
    const v = json as VivadoResult | null;
    if (!v || typeof v !== 'object' || typeof v.fmaxMHz !== 'number') throw new Error('not a Vivado result JSON (no "fmaxMHz")');
    const cap = board.capacity;
    const bram = v.bram36 + v.bram18 / 2;
    return {
      resources: [
        use('LUT', v.luts, cap.luts),
        use('FF', v.flipFlops, cap.flipFlops),
        use('CARRY', v.carry, null),
        use('BRAM', bram, cap.bram),
        use('DSP', v.dsp, cap.dsp),
      ],
      clocks: [{ clock: v.clock, constraintMHz: clockMHz, fmaxMHz: round2(v.fmaxMHz), met: v.wnsNs >= 0 }],
      resourceSource: { ...VIVADO_SOURCE, note: `${v.tool} (after route)` },
      fmaxSource: VIVADO_SOURCE,
    };
  },
};
