// The open iCE40 flow: Yosys synth_ice40, nextpnr-ice40 place and route, icepack to a .bin bitstream.
//
// Board fields as this flow reads them: `packFamily` is nextpnr-ice40's device option without its dashes (`up5k` for
// --up5k; hx1k, hx8k, lp8k, u4k, ...), `package` its --package (sg48), `device` Lattice's family name (iCE40UP5K).
import type { Board } from '../../../boards/types.js';
import { commentBlock, renderTemplate } from '../../common/render.js';
import type { Stage } from '../../tools/stage.js';
import { type ClockTiming, type FigureSource, type FlowInput, type ResourceUse, type VendorFlow } from '../types.js';
import { openFlowStages, parseNextpnrUtilization, seedFiles } from '../nextpnr.js';
import { SYNTH_SCRIPT, SYNTH_STAT_JSON, synthStage, yosysSynthesis, type CellGroup } from '../yosys.js';

/** Yosys's iCE40 cells, by our resource names. */
const CELLS: readonly CellGroup[] = [
  { resource: 'LUT', cells: /^SB_LUT4$/, capacity: 'luts' },
  { resource: 'FF', cells: /^SB_DFF[A-Z]*$/, capacity: 'flipFlops' },
  { resource: 'CARRY', cells: /^SB_CARRY$/ },
  { resource: 'BRAM', cells: /^SB_RAM40_4K/, capacity: 'bram' },
  { resource: 'SPRAM', cells: /^SB_SPRAM256KA$/ },
  { resource: 'DSP', cells: /^SB_MAC16$/, capacity: 'dsp' },
  { resource: 'PLL', cells: /^SB_PLL40_/ },
];

/**
 * nextpnr-ice40's bel types, by our resource names. An ICESTORM_LC is one logic cell: a LUT4, a flip-flop and a carry
 * stage. The report counts cells only, so `LUT` here is the cells used: a flip-flop or a carry that has no LUT of its own
 * still takes a cell (its LUT passes the input through). How many of those cells hold a flip-flop the report does not
 * say; Yosys's SB_DFF* count is in the report's synthesis figures.
 */
const BELS: Readonly<Record<string, string>> = {
  ICESTORM_LC: 'LUT',
  ICESTORM_RAM: 'BRAM',
  ICESTORM_SPRAM: 'SPRAM',
  ICESTORM_DSP: 'DSP',
  SB_IO: 'IO',
  SB_GB: 'GB',
  ICESTORM_PLL: 'PLL',
};

export const NEXTPNR_ICE40_SOURCE: FigureSource = {
  tool: 'nextpnr-ice40',
  stage: 'pnr',
  kind: 'estimate',
  note: 'nextpnr-ice40 timing analysis after routing (an estimate from the IceStorm timing database, not signed off by the vendor tools)',
};
const NEXTPNR_ICE40_RESOURCES: FigureSource = {
  ...NEXTPNR_ICE40_SOURCE,
  kind: 'reported',
  note: 'nextpnr-ice40 (after place and route); LUT is logic cells used (a LUT4 and a FF each, lone FFs included); FFs: see synthesis',
};

/** nextpnr-ice40's --report JSON, by the iCE40 bel names (every iCE40 report counts ICESTORM_LC). */
export function parseIce40Report(json: unknown): { resources: ResourceUse[]; clocks: ClockTiming[] } {
  return parseNextpnrUtilization(json, BELS, 'ICESTORM_LC');
}

/** synth_ice40 -device: the timing model Yosys optimises for (hx, lp or u), from the nextpnr device option. */
export function yosysIce40Device(packFamily: string): 'hx' | 'lp' | 'u' {
  if (packFamily.startsWith('hx')) return 'hx';
  if (packFamily.startsWith('lp')) return 'lp';
  if (packFamily.startsWith('u')) return 'u';
  throw new Error(`unknown iCE40 device option "${packFamily}" (expected one of nextpnr-ice40's, e.g. up5k, hx8k, lp1k)`);
}

/** iCE40 IO has a pull-up and no pull-down: a board file asking for one is wrong, and the PCF could not say it. */
function checkPulls(board: Board): void {
  const pins = [board.clock.pin, board.uart.rx, board.uart.tx, ...board.leds, ...Object.values(board.buttons)];
  const down = pins.find((p) => p.pull === 'down');
  if (down) throw new Error(`board ${board.id}: pin ${down.pin} asks for a pull-down, which iCE40 IO does not have`);
}

function plan(input: FlowInput) {
  const { board, top, rtlFiles, params } = input;
  if (board.package === undefined) throw new Error(`board ${board.id}: the iCE40 flow needs the package (nextpnr-ice40 --package)`);
  checkPulls(board);
  const netlist = `build/${top}.json`;
  const files = [
    {
      path: SYNTH_SCRIPT,
      role: 'script' as const,
      content: renderTemplate('scripts/synth-ice40.ys.hbs', {
        header: commentBlock(input.header, '#'),
        part: board.part,
        yosysDevice: yosysIce40Device(board.packFamily),
        rtlFiles,
        top,
        netlist,
        statJson: SYNTH_STAT_JSON,
      }),
    },
  ];
  const stages: Stage[] = [synthStage(board, rtlFiles, netlist)];
  if (input.constraints === undefined) return { files, stages };
  const seeded = seedFiles(top, params, 'asc', 'bin');
  stages.push(
    ...openFlowStages({
      pnrTool: 'nextpnr-ice40',
      deviceArgs: [`--${board.packFamily}`, '--package', board.package, '--pcf', input.constraints],
      routedOption: '--asc',
      netlist,
      constraints: input.constraints,
      files: seeded,
      params,
      packTool: 'icepack',
      packArgs: [seeded.routed, seeded.bitstream],
      packFor: board.device,
    }),
  );
  return { files, stages };
}

export const ice40Open: VendorFlow = {
  id: 'ice40-open',
  constraints: { template: 'constraints/ice40.pcf.hbs', ext: 'pcf', comment: '#' },
  plan,
  synthesis: yosysSynthesis(CELLS),
  implementation: (json: unknown) => {
    const parsed = parseIce40Report(json);
    return { ...parsed, resourceSource: NEXTPNR_ICE40_RESOURCES, fmaxSource: NEXTPNR_ICE40_SOURCE };
  },
};
