// The verification levels below the RTL: at each, what the flow made is simulated with the family's cell models and
// compared with the models the RTL is checked against.
// - synth: the core's mapped netlist (the flow's synthesis script, the core as top) against the golden model, cycle by
//   cycle, with the RTL check's stimulus and mismatch report (verify/core/crosscheck.ts); and the board top's netlist
//   as synthesized under the UART bus-functional model (verify/uart/), every reply byte against the host model;
// - pnr: the routed netlist of the board top under the UART model;
// - bitstream: the bitstream unpacked back into a netlist under the UART model.
// A board-top netlist that cannot be made for a design (another host, a flow without the file) is reported with the
// reason, never passed silently: `ran` says what ran.
import { join } from 'node:path';
import type { BuildPlan } from '../../generator/plan/plan.js';
import { recordOwned } from '../../generator/run/folder.js';
import type { FindToolOptions } from '../../generator/tools/tools.js';
import { crossCheck, type Simulator } from '../core/crosscheck.js';
import { uartEndToEnd } from '../uart/uart-e2e.js';
import { netlistItems } from './netlist-items.js';
import { coreNetlist, topNetlist, topNetlistGap, type NetlistLevel } from './netlists.js';

export interface NetlistCheckOptions {
  /** The plan whose flow stages up to `level` have run in `plan.outDir`. */
  readonly plan: BuildPlan;
  readonly level: NetlistLevel;
  /** Cycles of the core's cycle-by-cycle check (synth level). */
  readonly cycles: number;
  readonly seed: number;
  /** The core check's simulator (default verilator); the board-top checks run under Verilator. */
  readonly sim?: Simulator;
  /** Skip the board-top check of the synth level (the core's is the point, and time is short). */
  readonly coreOnly?: boolean;
  /** Fault injection: the core's netlist text to simulate instead (netlist mutants). */
  readonly editCoreNetlist?: (text: string) => string;
  /** On a mismatch, write a waveform around it (default true). */
  readonly waveform?: boolean;
  readonly tools?: FindToolOptions;
  readonly progress?: (line: string) => void;
}

/** One simulation of a level: the core against the golden model, or the board top against the host model. */
export interface NetlistPart {
  readonly dut: 'core' | 'top';
  /** The netlist simulated, relative to the output folder; null when none could be made (see `reason`). */
  readonly netlist: string | null;
  readonly ran: boolean;
  readonly reason?: string;
  readonly simulator: Simulator;
  /** Core: cycles compared. Top: core clock cycles simulated. */
  readonly cycles: number;
  /** Top: UART frames sent (every opcode); core: 0. */
  readonly frames: number;
  readonly seconds: number;
  readonly buildSeconds: number;
  readonly passed: boolean;
  /** The first failing cycle (core: the cycle whose outputs differ; top: the start bit of the first wrong byte). */
  readonly firstFailingCycle: number | null;
  /** The mismatch report (null when it passed). */
  readonly report: string | null;
  /** Repairs and facts about the netlist (an unpacker's gaps filled in). */
  readonly notes: readonly string[];
}

export interface NetlistCheckResult {
  readonly level: NetlistLevel;
  readonly parts: readonly NetlistPart[];
  /** Every part that ran passed, and at least one ran. */
  readonly passed: boolean;
}

export async function netlistCheck(opts: NetlistCheckOptions): Promise<NetlistCheckResult> {
  const { plan, level } = opts;
  const say = opts.progress ?? (() => {});
  const out = plan.outDir;
  const parts: NetlistPart[] = [];
  const sim = opts.sim ?? 'verilator';

  if (level === 'synth') {
    const workDir = join(out, 'sim', 'netlist-core');
    recordOwned(out, ['sim/netlist-core/']);
    say(`netlist: synthesizing ${plan.design.name}_core alone with the ${plan.board.flow} synthesis script`);
    const started = performance.now();
    const n = await coreNetlist(plan, workDir, opts.tools, opts.editCoreNetlist);
    say(`netlist: ${n.netlist} in ${((performance.now() - started) / 1000).toFixed(1)} s; ${opts.cycles} cycles against the golden model (${sim})`);
    const r = await crossCheck({
      design: plan.design,
      outDir: out,
      cycles: opts.cycles,
      seed: opts.seed,
      sim,
      dut: { files: n.files, simName: `netlist-core-${sim}` },
      tools: opts.tools,
      progress: say,
      ...(opts.waveform === undefined ? {} : { waveform: opts.waveform }),
    });
    parts.push({
      dut: 'core',
      netlist: `sim/netlist-core-${sim}/${n.netlist}`,
      ran: true,
      simulator: sim,
      cycles: r.cycles,
      frames: 0,
      seconds: r.seconds,
      buildSeconds: r.buildSeconds,
      passed: r.mismatch === null,
      firstFailingCycle: r.mismatch?.cycle ?? null,
      report: r.mismatch?.report ?? null,
      notes: n.notes,
    });
  }

  if (!(level === 'synth' && opts.coreOnly)) parts.push(await topPart(opts, level, say));
  const ran = parts.filter((p) => p.ran);
  return { level, parts, passed: ran.length > 0 && ran.every((p) => p.passed) };
}

async function topPart(opts: NetlistCheckOptions, level: NetlistLevel, say: (line: string) => void): Promise<NetlistPart> {
  const { plan } = opts;
  const gap = topNetlistGap(plan, level);
  const none = { dut: 'top' as const, simulator: 'verilator' as const, cycles: 0, frames: 0, seconds: 0, buildSeconds: 0, firstFailingCycle: null, report: null };
  if (gap) return { ...none, netlist: null, ran: false, reason: gap, passed: false, notes: [] };
  const out = plan.outDir;
  const dirName = `netlist-${level}`;
  recordOwned(out, [`sim/${dirName}/`]);
  const n = await topNetlist(plan, level, join(out, 'sim', dirName), opts.tools);
  for (const note of n.notes) say(`netlist: ${note}`);
  const items = netlistItems(plan.design);
  say(`netlist: ${plan.top} as ${level === 'synth' ? 'synthesized' : level === 'pnr' ? 'placed and routed' : 'unpacked from the bitstream'}, ${items.length} UART frames against the host model`);
  const r = await uartEndToEnd({
    design: plan.design,
    outDir: out,
    seed: opts.seed,
    items,
    sources: { files: n.files, simName: `${dirName}-uart` },
    waveform: opts.waveform,
    tools: opts.tools,
    progress: say,
  });
  return {
    ...none,
    netlist: `sim/${dirName}-uart/${n.netlist}`,
    ran: true,
    cycles: r.cycles,
    frames: r.frames,
    seconds: r.seconds,
    buildSeconds: r.buildSeconds,
    passed: r.passed,
    firstFailingCycle: r.mismatch?.cycle ?? null,
    report: r.mismatch?.report ?? null,
    notes: n.notes,
  };
}
