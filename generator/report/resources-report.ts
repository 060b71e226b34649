// Parsers for the tools' machine-readable results: nextpnr's --report JSON (never its log: the log prints a pre-route
// "Max frequency" first) and Yosys's `stat -json`. Each returns small immutable records.
import type { Board } from '../../boards/types.js';

export interface ResourceUse {
  /** Our name for the resource: LUT, FF, ALU/CARRY, BRAM, DSP, IO, ... */
  readonly resource: string;
  readonly used: number;
  /** Capacity of the part, when known. */
  readonly available: number | null;
  readonly percent: number | null;
}

export interface ClockTiming {
  readonly clock: string;
  readonly constraintMHz: number;
  readonly fmaxMHz: number;
  readonly met: boolean;
}

function use(resource: string, used: number, available: number | null): ResourceUse {
  const percent = available ? Math.round((used / available) * 1000) / 10 : null;
  return { resource, used, available, percent };
}

interface NextpnrReport {
  utilization?: Record<string, { used: number; available: number }>;
  fmax?: Record<string, { achieved: number; constraint: number }>;
}

/** Names of nextpnr's Gowin bel types, as we report them. */
const GOWIN_BELS: Readonly<Record<string, string>> = {
  LUT4: 'LUT',
  DFF: 'FF',
  ALU: 'ALU',
  BSRAM: 'BRAM',
  RAM16SDP4: 'LUTRAM',
  IOB: 'IO',
  rPLL: 'PLL',
  MULT18X18: 'DSP',
};

export function parseNextpnrReport(json: unknown): { resources: ResourceUse[]; clocks: ClockTiming[] } {
  const report = json as NextpnrReport;
  if (!report || typeof report !== 'object' || !report.utilization) throw new Error('not a nextpnr --report JSON (no "utilization")');
  const resources: ResourceUse[] = [];
  for (const [bel, name] of Object.entries(GOWIN_BELS)) {
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

interface YosysStat {
  modules?: Record<string, { num_cells_by_type?: Record<string, number> }>;
}

/** Cell types counted per resource, per family. */
const CELL_GROUPS: Record<Board['family'], readonly { resource: string; cells: RegExp; capacity?: keyof Board['capacity'] }[]> = {
  gowin: [
    { resource: 'LUT', cells: /^LUT[1-4]$/, capacity: 'luts' },
    { resource: 'FF', cells: /^DFF[A-Z]*$/, capacity: 'flipFlops' },
    { resource: 'ALU', cells: /^ALU$/ },
    { resource: 'LUTRAM', cells: /^RAM16S/ },
    { resource: 'BRAM', cells: /^(SP|SDPB|DPB|pROM)/, capacity: 'bram' },
    { resource: 'DSP', cells: /^MULT/, capacity: 'dsp' },
  ],
  xilinx: [
    { resource: 'LUT', cells: /^LUT[1-6]$/, capacity: 'luts' },
    { resource: 'FF', cells: /^FD[RSCP]E$/, capacity: 'flipFlops' },
    { resource: 'CARRY', cells: /^CARRY4$/ },
    { resource: 'LUTRAM', cells: /^RAM(32|64|128|256)/ },
    { resource: 'BRAM', cells: /^RAMB(36|18)/, capacity: 'bram' },
    { resource: 'DSP', cells: /^DSP48/, capacity: 'dsp' },
  ],
};

/** Resource counts of the top module from Yosys `stat -json`, against the board's capacity. */
export function parseYosysStat(json: unknown, top: string, board: Board): ResourceUse[] {
  const stat = json as YosysStat;
  const module = stat.modules?.[`\\${top}`] ?? stat.modules?.[top];
  const cells = module?.num_cells_by_type;
  if (!cells) throw new Error(`Yosys stat has no module ${top}`);
  return CELL_GROUPS[board.family].map((g) => {
    const used = Object.entries(cells)
      .filter(([type]) => g.cells.test(type))
      .reduce((sum, [, n]) => sum + n, 0);
    let available: number | null = g.capacity ? board.capacity[g.capacity] : null;
    // BRAM36 counts as one block, a BRAM18 as half of one
    if (g.resource === 'BRAM' && board.family === 'xilinx') {
      const b18 = Object.entries(cells).filter(([t]) => /^RAMB18/.test(t)).reduce((s, [, n]) => s + n, 0);
      return use('BRAM', used - b18 / 2, available);
    }
    if (available === 0) available = null;
    return use(g.resource, used, available);
  });
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
