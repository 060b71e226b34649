// The verification levels of a job whose flow stages have run: the RTL level is the pipeline's verify stage (the
// cross-check against the golden model); each deeper one simulates what the flow made (verify/netlist/). What a board's
// open flow reaches decides the deepest level: the bitstream on Gowin boards (gowin_unpack), the routed netlist where
// nextpnr writes one Yosys-style, the synthesized netlist everywhere else (the Zynq-7020: Vivado places and routes).
import { AtomikError } from '../generator/common/errors.js';
import type { BuildPlan } from '../generator/plan/plan.js';
import { VERIFY_LEVELS, type BuildReport, type VerifiedLevel, type VerifyLevel } from '../generator/report/report.js';
import type { FindToolOptions } from '../generator/tools/tools.js';
import { netlistCheck, type NetlistPart } from './netlist/netlist-check.js';
import { NETLIST_LEVELS, topNetlistGap, type NetlistLevel } from './netlist/netlists.js';

/** Cycles of the core's netlist check when none are asked for: a gate-level run is slower than the RTL's. */
export const NETLIST_CYCLES = 20_000;

/** The deepest level the board's open flow reaches. */
export function deepestLevel(plan: BuildPlan): VerifyLevel {
  if (!topNetlistGap(plan, 'bitstream')) return 'bitstream';
  if (!topNetlistGap(plan, 'pnr')) return 'pnr';
  return 'synth';
}

/** The flow stage a level needs to have run. */
export function stageFor(level: VerifyLevel): 'verify' | NetlistLevel {
  return level === 'rtl' ? 'verify' : level;
}

/** One line for a level the board cannot reach. */
export function checkReachable(plan: BuildPlan, level: VerifyLevel, where: string): void {
  const deepest = deepestLevel(plan);
  if (VERIFY_LEVELS.indexOf(level) <= VERIFY_LEVELS.indexOf(deepest)) return;
  const why = level === 'pnr' || level === 'bitstream' ? topNetlistGap(plan, level) ?? `the ${plan.board.flow} flow has no open ${level} stage` : '';
  throw new AtomikError(`the ${plan.board.title} reaches verification level ${deepest}, not ${level}${why ? `: ${why}` : ''}`, {
    where,
    hint: `use --level ${deepest} or shallower (levels: ${VERIFY_LEVELS.join(', ')})`,
  });
}

export interface LevelsOptions {
  /** The plan whose stages have run up to `level`'s stage, and the report the pipeline wrote. */
  readonly plan: BuildPlan;
  readonly report: BuildReport;
  readonly level: VerifyLevel;
  /** Cycles of the core's netlist check (default NETLIST_CYCLES). */
  readonly cycles?: number;
  readonly seed: number;
  /** The synth level checks the core only (not the board top): the suite's shortcut. */
  readonly coreOnly?: boolean;
  /** Levels above `level` not to run (the suite's shortcut); they are left out of the result. */
  readonly skip?: readonly NetlistLevel[];
  readonly waveform?: boolean;
  readonly tools?: FindToolOptions;
  readonly progress?: (line: string) => void;
}

function levelOf(level: VerifyLevel, parts: readonly NetlistPart[]): VerifiedLevel {
  return {
    level,
    passed: parts.some((p) => p.ran) && parts.every((p) => !p.ran || p.passed),
    checks: parts.map((p) => ({
      dut: p.dut,
      ran: p.ran,
      ...(p.reason === undefined ? {} : { reason: p.reason }),
      simulator: p.simulator,
      cycles: p.cycles,
      frames: p.frames,
      netlist: p.netlist,
      notes: [...p.notes],
    })),
  };
}

/**
 * The RTL level (from the report) and every netlist level down to `level`, in order; the first failure stops with
 * an AtomikError carrying its mismatch report and first failing cycle.
 */
export async function verifyLevels(opts: LevelsOptions): Promise<VerifiedLevel[]> {
  const { plan, report } = opts;
  const say = opts.progress ?? (() => {});
  checkReachable(plan, opts.level, '--level');
  const v = report.verification;
  const levels: VerifiedLevel[] = [
    {
      level: 'rtl',
      passed: v?.passed === true,
      checks: [{ dut: 'core', ran: v !== null, ...(v ? {} : { reason: 'the verify stage did not run' }), simulator: v?.simulator ?? 'verilator', cycles: v?.cycles ?? 0, frames: 0, netlist: null, notes: [] }],
    },
  ];
  const deepest = VERIFY_LEVELS.indexOf(opts.level);
  for (const level of NETLIST_LEVELS.filter((l) => VERIFY_LEVELS.indexOf(l) <= deepest && !opts.skip?.includes(l))) {
    say(`verify --level ${level}: ${level === 'synth' ? 'the synthesized netlists' : level === 'pnr' ? 'the routed netlist' : 'the bitstream, unpacked'}`);
    const r = await netlistCheck({
      plan,
      level,
      cycles: opts.cycles ?? NETLIST_CYCLES,
      seed: opts.seed,
      coreOnly: opts.coreOnly,
      waveform: opts.waveform,
      tools: opts.tools,
      progress: say,
    });
    const failed = r.parts.find((p) => p.ran && !p.passed);
    if (failed) {
      const against = failed.dut === 'core' ? 'the golden model' : 'the host model (UART replies)';
      throw new AtomikError(`the ${level} netlist (${failed.netlist}) disagrees with ${against}, first failing cycle ${failed.firstFailingCycle ?? '?'}\n${failed.report ?? ''}`, {
        where: `verification level ${level}`,
        hint: `the RTL level passed: the fault is in what the flow made of it; see ${failed.netlist}`,
      });
    }
    for (const p of r.parts.filter((x) => !x.ran)) say(`verify --level ${level}: the ${p.dut === 'top' ? 'board top' : 'core'} check does not apply: ${p.reason}`);
    levels.push(levelOf(level, r.parts));
  }
  return levels;
}
