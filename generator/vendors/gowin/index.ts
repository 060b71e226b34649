// The open Gowin flow: Yosys synth_gowin, nextpnr-himbaechel place and route, gowin_pack (Apycula) to a .fs bitstream.
import { commentBlock, renderTemplate } from '../../common/render.js';
import type { Stage } from '../../tools/stage.js';
import { DEFAULT_SEED, round2, use, type ClockTiming, type FigureSource, type FlowInput, type ResourceUse, type VendorFlow } from '../types.js';
import { SYNTH_SCRIPT, SYNTH_STAT_JSON, synthStage, yosysSynthesis, type CellGroup } from '../yosys.js';

const CELLS: readonly CellGroup[] = [
  { resource: 'LUT', cells: /^LUT[1-4]$/, capacity: 'luts' },
  { resource: 'FF', cells: /^DFF[A-Z]*$/, capacity: 'flipFlops' },
  { resource: 'ALU', cells: /^ALU$/ },
  { resource: 'LUTRAM', cells: /^RAM16S/ },
  { resource: 'BRAM', cells: /^(SP|SDPB|DPB|pROM)/, capacity: 'bram' },
  { resource: 'DSP', cells: /^MULT/, capacity: 'dsp' },
];

/** Names of nextpnr's Gowin bel types, as we report them. */
const BELS: Readonly<Record<string, string>> = {
  LUT4: 'LUT',
  DFF: 'FF',
  ALU: 'ALU',
  BSRAM: 'BRAM',
  RAM16SDP4: 'LUTRAM',
  IOB: 'IO',
  rPLL: 'PLL',
  MULT18X18: 'DSP',
};

export const NEXTPNR_SOURCE: FigureSource = {
  tool: 'nextpnr-himbaechel',
  stage: 'pnr',
  kind: 'estimate',
  note: 'nextpnr-himbaechel open timing model (an estimate; it reads about 20 % above the Gowin vendor tools)',
};
const NEXTPNR_RESOURCES: FigureSource = { ...NEXTPNR_SOURCE, kind: 'reported', note: 'nextpnr-himbaechel (after place and route)' };

interface NextpnrReport {
  utilization?: Record<string, { used: number; available: number }>;
  fmax?: Record<string, { achieved: number; constraint: number }>;
}

/** nextpnr's --report JSON (never its log: the log prints a pre-route "Max frequency" first). */
export function parseNextpnrReport(json: unknown): { resources: ResourceUse[]; clocks: ClockTiming[] } {
  const report = json as NextpnrReport | null;
  if (!report || typeof report !== 'object' || !report.utilization) throw new Error('not a nextpnr --report JSON (no "utilization")');
  const resources: ResourceUse[] = [];
  for (const [bel, name] of Object.entries(BELS)) {
    const u = report.utilization[bel];
    if (u) resources.push(use(name, u.used, u.available));
  }
  const clocks = Object.entries(report.fmax ?? {}).map(([clock, f]) => ({
    clock,
    constraintMHz: round2(f.constraint),
    fmaxMHz: round2(f.achieved),
    met: f.achieved >= f.constraint,
  }));
  return { resources, clocks };
}

function plan(input: FlowInput) {
  const { board, top, rtlFiles, params } = input;
  const header = input.header;
  const netlist = `build/${top}.json`;
  const files = [
    {
      path: SYNTH_SCRIPT,
      role: 'script' as const,
      content: renderTemplate('scripts/synth-gowin.ys.hbs', {
        header: commentBlock(header, '#'),
        part: board.part,
        packFamily: board.packFamily,
        rtlFiles,
        top,
        netlist,
        statJson: SYNTH_STAT_JSON,
      }),
    },
  ];
  const stages: Stage[] = [synthStage(board, rtlFiles, netlist)];
  if (input.constraints === undefined) return { files, stages };
  // another seed's files are named apart, so several seeds share one folder (and one synthesis)
  const tag = params.seed === DEFAULT_SEED ? '' : `.seed${params.seed}`;
  const routed = `build/${top}${tag}.pnr.json`;
  const report = `reports/pnr${tag}.report.json`;
  const bitstream = `build/${top}${tag}.fs`;
  stages.push(
    {
      name: 'pnr',
      description: `nextpnr-himbaechel place and route at ${params.targetMHz} MHz`,
      commands: [
        {
          tool: 'nextpnr-himbaechel',
          args: [
            '--device', board.part,
            '--vopt', `family=${board.packFamily}`,
            '--vopt', `cst=${input.constraints}`,
            '--json', netlist,
            '--write', routed,
            '--report', report,
            '--freq', String(params.targetMHz),
            '--seed', String(params.seed),
            // write the report even when timing fails; the report then says whether the constraint was met
            '--timing-allow-fail',
          ],
        },
      ],
      inputs: [netlist, input.constraints],
      outputs: [routed, report],
      result: { kind: 'nextpnr-report', path: report },
    },
    {
      name: 'bitstream',
      description: `gowin_pack for ${board.packFamily}`,
      commands: [{ tool: 'gowin_pack', args: ['-d', board.packFamily, '-o', bitstream, routed] }],
      inputs: [routed],
      outputs: [bitstream],
      result: { kind: 'bitstream', path: bitstream },
    },
  );
  return { files, stages };
}

export const gowinOpen: VendorFlow = {
  id: 'gowin-open',
  constraints: { template: 'constraints/gowin.cst.hbs', ext: 'cst', comment: '//' },
  plan,
  synthesis: yosysSynthesis(CELLS),
  implementation: (json: unknown) => {
    const parsed = parseNextpnrReport(json);
    return { ...parsed, resourceSource: NEXTPNR_RESOURCES, fmaxSource: NEXTPNR_SOURCE };
  },
};
