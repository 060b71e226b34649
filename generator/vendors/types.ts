// What a vendor flow module provides: the synthesis script, the place-and-route and pack stages (placement seed and
// target clock as parameters) and the parsers of its tools' machine-readable results. The plan asks the board's flow
// for these; nothing above this folder knows a tool's command line or result format.
import type { Board, ToolFlow } from '../../boards/types.js';
import type { PlannedFile } from '../common/render.js';
import type { Stage } from '../tools/stage.js';

/** The placement seed the main job uses; a flow names the files of any other seed apart, so seeds share a folder. */
export const DEFAULT_SEED = 1;

/** Parameters of one run of a flow. */
export interface FlowParams {
  /** Placement seed (nextpnr --seed; Vivado has none and ignores it). */
  readonly seed: number;
  /** The clock place and route works towards, in MHz (nextpnr --freq, the Vivado clock period). */
  readonly targetMHz: number;
  /**
   * Extra options for the synthesis command (the Gowin flow's synth_gowin, e.g. `-noalu`); none by default. The bench
   * measures what `-noalu` costs with it.
   */
  readonly synthFlags?: readonly string[];
}

/** What a flow builds: the RTL, its top, its constraints, and how it is to be implemented. */
export interface FlowInput {
  readonly board: Board;
  readonly top: string;
  readonly rtlFiles: readonly string[];
  /** The constraint file inside the output folder; absent for a design without pins (the core alone): synthesis only. */
  readonly constraints?: string;
  /** A block-design module (the AXI4-Lite top): no IO pads, implemented out of context, no bitstream of its own. */
  readonly blockDesign: boolean;
  /** Header lines every generated file opens with. */
  readonly header: readonly string[];
  readonly params: FlowParams;
}

export interface FlowOutput {
  /** Scripts the stages read (synthesis script, Vivado TCL). */
  readonly files: readonly PlannedFile[];
  /** synth, then pnr and bitstream where the flow and the design have them. */
  readonly stages: readonly Stage[];
}

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

/** Where a figure came from. `estimate`: a timing model's prediction; `measured`: counted by a simulation or the hardware. */
export interface FigureSource {
  readonly tool: string;
  readonly stage: 'synth' | 'pnr' | 'measure';
  readonly kind: 'estimate' | 'measured' | 'reported';
  /** One line for people: what the figure is and how far to trust it. */
  readonly note: string;
}

export interface Implementation {
  readonly resources: readonly ResourceUse[];
  readonly clocks: readonly ClockTiming[];
  readonly resourceSource: FigureSource;
  readonly fmaxSource: FigureSource;
}

export interface VendorFlow {
  readonly id: ToolFlow;
  /** The constraint file the board top gets: its template, extension and comment marker. */
  readonly constraints: { readonly template: string; readonly ext: string; readonly comment: '//' | '#' };
  /** The scripts and stages (synth, then pnr and bitstream where the design has pins) for one run of the flow. */
  plan(input: FlowInput): FlowOutput;
  /** Resource counts from the synthesis stage's result. */
  synthesis(json: unknown, top: string, board: Board): { readonly resources: readonly ResourceUse[]; readonly source: FigureSource };
  /** Resources and timing from the place-and-route stage's result. */
  implementation(json: unknown, board: Board, clockMHz: number): Implementation;
}

export function use(resource: string, used: number, available: number | null): ResourceUse {
  const percent = available ? Math.round((used / available) * 1000) / 10 : null;
  return { resource, used, available, percent };
}

export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
