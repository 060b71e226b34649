// The open Gowin flow: Yosys synth_gowin, nextpnr-himbaechel place and route, gowin_pack (Apycula) to a .fs bitstream.
// One flow for every Gowin family the tools carry (GW1N, GW1NS, GW2A, GW5A): what differs per family is read from the
// board's packFamily (Yosys's -family, the GW5A's always-on SSPI pins) and its pins (the configuration pins it uses as
// user IO, which the packer must release).
import type { Board } from '../../../boards/types.js';
import { commentBlock, renderTemplate } from '../../common/render.js';
import type { Stage } from '../../tools/stage.js';
import { type ClockTiming, type FigureSource, type FlowInput, type ResourceUse, type VendorFlow } from '../types.js';
import { openFlowStages, parseNextpnrUtilization, seedFiles } from '../nextpnr.js';
import { SYNTH_SCRIPT, SYNTH_STAT_JSON, synthStage, yosysSynthesis, type CellGroup } from '../yosys.js';

const CELLS: readonly CellGroup[] = [
  { resource: 'LUT', cells: /^LUT[1-4]$/, capacity: 'luts' },
  { resource: 'FF', cells: /^DFF[A-Z]*$/, capacity: 'flipFlops' },
  { resource: 'ALU', cells: /^ALU$/ },
  { resource: 'LUTRAM', cells: /^RAM16S/ },
  // the 18 Kbit blocks in each of their widths (the X9 forms are the 9-bit-byte variants, e.g. DPX9B on the GW5A)
  { resource: 'BRAM', cells: /^(SP|SPX9|SDPB|SDPX9B|DPB|DPX9B|pROM|pROMX9)$/, capacity: 'bram' },
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
  PLLVR: 'PLL',
  PLLA: 'PLL',
  MULT18X18: 'DSP',
  // GW5A: its 27x18 multiplier-ALU blocks are the 28 "18x18 multipliers" of Sipeed's Tang Primer 25K table
  MULTALU27X18: 'DSP',
};

/** Yosys synth_gowin's -family for a chip database family: gw1n (GW1N, GW1NR, GW1NS, GW1NZ), gw2a, gw5a. */
export function synthFamily(packFamily: string): 'gw1n' | 'gw2a' | 'gw5a' {
  if (packFamily.startsWith('GW5A')) return 'gw5a';
  if (packFamily.startsWith('GW2A')) return 'gw2a';
  return 'gw1n';
}

/**
 * Chip database families without distributed RAM: nextpnr-himbaechel 0.11's databases for them have no RAM16SDP4 bel.
 * GW5A-25A: the GW5A-25 version A ("S-SRAM: Version A: 0K" in Sipeed's Tang Primer 25K table). GW1NS-4: Apicula's
 * examples build the Tang Nano 4K with FORCE_BRAM for the same reason. Yosys must not map memories to LUT RAM there
 * (-nolutram); they become block RAM or flip-flops.
 */
const NO_LUTRAM: ReadonlySet<string> = new Set(['GW5A-25A', 'GW1NS-4']);

/**
 * -nowidelut: LUT4s only, no LUT5..LUT8 built from MUX2_LUT5..8 cells. Left to choose, abc9 (-maxlut 8) mapped the merge
 * tree's 16-input XOR stages into wide-LUT mux trees: at 48 banks 4 255 LUT4 + 3 113 MUX2_LUT5..8 where LUT4s alone
 * take 1 197, so the 48-bank design no longer fitted the GW1NR-9C. Fmax: at 16 banks, placement seed 1, target
 * 249.75 MHz, nextpnr-himbaechel reached 148.1 MHz with wide LUTs and 181.6 MHz without; over seeds 1-3 the bench's
 * medians moved within the spread between seeds (bench/results.md). Measured on this flow: Yosys 0.70, nextpnr 0.11.1,
 * the toolchain's YoWASP packages.
 */
const SYNTH_FIXED = ['-nowidelut'];

/** The synth_gowin options for a board's chip database family. */
export function synthOptions(packFamily: string): string[] {
  return ['-family', synthFamily(packFamily), ...SYNTH_FIXED, ...(NO_LUTRAM.has(packFamily) ? ['-nolutram'] : [])];
}

/**
 * The groups of dual-purpose configuration pins gowin_pack can release as user IO (its --<group>_as_gpio options).
 * sspi and i2c are also nextpnr options (--vopt sspi_as_gpio / i2c_as_gpio), and gowin_pack refuses a bitstream whose
 * settings differ from nextpnr's.
 */
export type ConfigPinGroup = 'sspi' | 'mspi' | 'ready' | 'done' | 'reconfign' | 'cpu' | 'i2c';
const NEXTPNR_GROUPS: readonly ConfigPinGroup[] = ['sspi', 'i2c'];
const GROUP_ORDER: readonly ConfigPinGroup[] = ['sspi', 'mspi', 'ready', 'done', 'reconfign', 'cpu', 'i2c'];

/**
 * The dual-purpose configuration pins of the packages of the boards atomik-gen ships, by part: from the pin functions in
 * Apycula 0.32's chip databases (READY, DONE, RECONFIG_N; SSPI: SCLK, SSPI_CLK, SSPI_CS_N, SI, SO, SSPI_WPN; MSPI: MCLK,
 * MCS_N, MI, MO; I2C: SCL, SDA; on the GW5A, the CPU-mode data pins D00..D09). JTAG pins are left out: released, they
 * would take the programmer's port away. A part not listed here gets no release options.
 */
const CONFIG_PINS: Readonly<Record<string, Readonly<Record<string, readonly ConfigPinGroup[]>>>> = {
  'GW1NR-LV9QN88PC6/I5': { '9': ['reconfign'], '55': ['sspi'], '56': ['sspi'], '59': ['mspi'], '60': ['mspi'], '61': ['mspi'], '62': ['mspi'] },
  'GW2AR-LV18QN88C8/I7': { '9': ['reconfign'], '52': ['sspi'], '55': ['sspi'], '56': ['sspi'], '59': ['mspi'], '60': ['mspi'], '61': ['mspi'], '62': ['mspi'] },
  'GW2A-LV18PG256C8/I7': {
    M8: ['sspi'], N9: ['sspi'], C10: ['sspi'], T10: ['sspi'], M9: ['mspi'], L10: ['mspi'], P10: ['mspi'], R10: ['mspi'],
    A13: ['ready'], C13: ['done'], B10: ['reconfign'],
  },
  'GW5A-LV25MG121NC1/I0': {
    B2: ['cpu', 'i2c'], C2: ['cpu', 'i2c'], D5: ['cpu'], E4: ['cpu'], E5: ['cpu'], E2: ['cpu', 'sspi'], E6: ['mspi'],
    E8: ['ready'], D7: ['done'], D8: ['reconfign'],
  },
  'GW1NSR-LV4CQN48PC7/I6': { '1': ['mspi'], '2': ['mspi'], '47': ['mspi'], '48': ['mspi'], '9': ['done'] },
};

/**
 * The configuration-pin groups a board's pins need released, in a fixed order: the groups of every pin of the board
 * (oscillator, UART, LEDs, buttons), and on the GW5A-25 always SSPI (gowin_pack turns it on for that family whatever it
 * is told, so nextpnr must be told too).
 */
export function configPinGroups(board: Board): ConfigPinGroup[] {
  const table = CONFIG_PINS[board.part] ?? {};
  const pins = [board.clock.pin, board.uart.rx, board.uart.tx, ...board.leds, ...Object.values(board.buttons)];
  const groups = new Set<ConfigPinGroup>(pins.flatMap((p) => table[p.pin] ?? []));
  if (board.packFamily === 'GW5A-25A') groups.add('sspi');
  return GROUP_ORDER.filter((g) => groups.has(g));
}

export const NEXTPNR_SOURCE: FigureSource = {
  tool: 'nextpnr-himbaechel',
  stage: 'pnr',
  kind: 'estimate',
  note: 'nextpnr-himbaechel open timing model (an estimate; it reads about 20 % above the Gowin vendor tools)',
};
const NEXTPNR_RESOURCES: FigureSource = { ...NEXTPNR_SOURCE, kind: 'reported', note: 'nextpnr-himbaechel (after place and route)' };

/** nextpnr-himbaechel's --report JSON, by the Gowin bel names. */
export function parseNextpnrReport(json: unknown): { resources: ResourceUse[]; clocks: ClockTiming[] } {
  return parseNextpnrUtilization(json, BELS);
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
        synthOptions: [...synthOptions(board.packFamily), ...(params.synthFlags ?? [])].join(' '),
        rtlFiles,
        top,
        netlist,
        statJson: SYNTH_STAT_JSON,
      }),
    },
  ];
  const stages: Stage[] = [synthStage(board, rtlFiles, netlist)];
  if (input.constraints === undefined) return { files, stages };
  const released = configPinGroups(board);
  const nextpnrRelease = released.filter((g) => NEXTPNR_GROUPS.includes(g)).flatMap((g) => ['--vopt', `${g}_as_gpio`]);
  const packRelease = released.map((g) => `--${g}_as_gpio`);
  const seeded = seedFiles(top, params, 'pnr.json', 'fs');
  stages.push(
    ...openFlowStages({
      pnrTool: 'nextpnr-himbaechel',
      deviceArgs: ['--device', board.part, '--vopt', `family=${board.packFamily}`, '--vopt', `cst=${input.constraints}`, ...nextpnrRelease],
      routedOption: '--write',
      netlist,
      constraints: input.constraints,
      files: seeded,
      params,
      packTool: 'gowin_pack',
      packArgs: ['-d', board.packFamily, ...packRelease, '-o', seeded.bitstream, seeded.routed],
      packFor: board.packFamily,
    }),
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
