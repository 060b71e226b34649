// Formal proof, with Yosys alone (`sat -tempinduct`), that the generated N-bank core behaves as a single accumulator.
// The harness `templates/formal/equiv.v.hbs` runs the core beside a one-reference, one-accumulator model of the contract
// (docs/ARCHITECTURE.md) and asserts, every cycle, that the banks XOR to the model's accumulator and that `ready`, the
// reference, every READ / SWAP answer, the clean flag and the counters agree with the model. Both phases of the script
// are k-induction whose base case starts from a reset, so a success holds for every cycle of every run (unbounded).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { recordOwned } from '../../generator/run/folder.js';
import { howItEnded, runBounded } from '../../generator/tools/exec.js';
import { findBoard } from '../../boards/index.js';
import type { Board } from '../../boards/types.js';
import { designDigest, inputStageInTree, type Design } from '../../generator/design/design.js';
import { buildPlan, fileHeader } from '../../generator/plan/plan.js';
import { coreModules } from '../../generator/design/design.js';
import { commentBlock, renderTemplate } from '../../generator/common/render.js';
import { INPUT_STAGES } from '../../generator/design/merge-tree.js';
import { rtlContext, treeLevelFields } from '../../generator/rtl/context.js';
import { findTool, type FindToolOptions } from '../../generator/tools/tools.js';
import { writePlan } from '../../generator/run/write.js';


/** Limit of the Yosys proof (seconds for the designs the suite proves; minutes for the largest). */
const FORMAL_TIMEOUT_MS = 2 * 60 * 60 * 1000;
export interface FormalOptions {
  readonly design: Design;
  readonly outDir: string;
  readonly progress?: (line: string) => void;
  readonly tools?: FindToolOptions;
}

export interface FormalResult {
  /** True only when every phase's induction step (and every base case before it) was proven. */
  readonly proven: boolean;
  /** How, in words: the tool, the technique and the outcome of each phase. */
  readonly method: string;
  /** Induction length k of the theorem (phase 2); on a failure, the length the failing phase reached. */
  readonly depth: number;
  readonly seconds: number;
  /** Absolute path of the Yosys log. */
  readonly log: string;
  /** On a failure: the counterexample Yosys wrote (VCD), when it wrote one. */
  readonly counterexample?: string;
}

/** One `sat -tempinduct` run of the script. */
export interface FormalPhase {
  readonly number: number;
  readonly title: string;
  /** Verilog macro defined for this phase: the harness's switch from proving the lemmas to assuming them. */
  readonly define?: string;
  /** The harness's assumptions (phase 1's lemmas, proven by then) constrain this phase. */
  readonly assumes: boolean;
  /** Induction lengths up to this one are not tried (their base cases still are): they are known to fail. */
  readonly initSteps: number;
  readonly maxSteps: number;
  /** Where Yosys writes a counterexample, relative to the output folder. */
  readonly vcd: string;
}

/** A harness and script written into an output folder, ready for `runFormal`. */
export interface PreparedFormal {
  readonly design: Design;
  /** Absolute output folder: the working directory of the Yosys run. */
  readonly outDir: string;
  /** The RTL files of the core, relative to outDir (a test may edit them before the run). */
  readonly rtlFiles: readonly string[];
  readonly harness: string;
  readonly script: string;
  readonly top: string;
  readonly phases: readonly FormalPhase[];
  /** Absolute path of the Yosys log. */
  readonly log: string;
}

/**
 * The two phases of the proof. Phase 1's lemmas are 1-inductive. Phase 2 needs a window that reaches back past any
 * SWAP-keep drain ending in its last cycle, to a cycle where the core was ready: the drain counter may start at any of
 * its 2^busyBits values in an induction window, so k = 2^busyBits (measured: 2, 4, 4 at read latencies 1, 2, 3). The
 * shorter lengths are skipped (their base cases are still proven); a few longer ones are allowed as margin.
 */
export function formalPhases(design: Design, board: Board): FormalPhase[] {
  const ctx = rtlContext(design, board);
  const theoremK = 2 ** ctx.busyBits;
  return [
    { number: 1, title: 'lemmas (asserted)', assumes: false, initSteps: 0, maxSteps: 4, vcd: 'logs/formal.lemmas.cex.vcd' },
    {
      number: 2,
      title: 'the theorem, with the lemmas assumed',
      define: 'ATOMIK_LEMMAS_PROVEN',
      assumes: true,
      initSteps: theoremK - 1,
      maxSteps: theoremK + ctx.readLatency + 2,
      vcd: 'logs/formal.cex.vcd',
    },
  ];
}

export interface XorTreeLevel {
  /** 1 for the level right above the leaves. */
  readonly index: number;
  readonly inputs: number;
  readonly nodes: number;
  /** Two-input XORs in the level; when `odd`, the last node of the level below passes through. */
  readonly pairs: number;
  readonly odd: boolean;
  /** The last level: its single node is the XOR of every leaf. */
  readonly root: boolean;
}

/**
 * The harness's own XOR tree over `leaves` leaves: adjacent nodes pair up, an odd last node passes through, until one
 * node is left. Written here rather than taken from generator/design/merge-tree.ts, so that a fault in the generator's tree
 * does not hide in the harness too; it is the same rule, so the proof compares trees of one shape.
 */
export function xorTreeLevels(leaves: number): XorTreeLevel[] {
  const levels: XorTreeLevel[] = [];
  for (let inputs = leaves, index = 1; inputs > 1; index++) {
    const nodes = Math.ceil(inputs / 2);
    levels.push({ index, inputs, nodes, pairs: Math.floor(inputs / 2), odd: inputs % 2 === 1, root: nodes === 1 });
    inputs = nodes;
  }
  return levels;
}

/** Cycles the core's accumulator state (the banks, or reduce's accumulator) lags the contract's single accumulator. */
function accDelay(design: Design): number {
  if (design.arch === 'reduce') return INPUT_STAGES + design.pipeline;
  return inputStageInTree(design.arch, design.mode, design.banks) ? 0 : INPUT_STAGES;
}

/** The template context of the harness: the RTL context plus the answer history bounds and the harness's XOR tree. */
export function formalContext(design: Design, board: Board) {
  const ctx = rtlContext(design, board);
  const W = ctx.W;
  const latency = ctx.readLatency;
  const tree = xorTreeLevels(ctx.N);
  return {
    ...ctx,
    bankBits: ctx.N * W,
    histStateBits: latency * W,
    histStateMsb: latency * W - 1,
    histStateShiftMsb: (latency - 1) * W - 1,
    histStateTopLsb: (latency - 1) * W,
    xorTree: tree.map((l) => treeLevelFields(l, W)),
    xorTreeTop: tree.length,
    /** Cycles the core's accumulator state lags the contract's: the input stage, and for `reduce` the lane tree too. */
    accDelay: accDelay(design),
    accDelayBits: accDelay(design) * W,
    accDelayNone: accDelay(design) === 0,
    accDelayMulti: accDelay(design) > 1,
    accDelayShiftMsb: (accDelay(design) - 1) * W - 1,
    accDelayTopLsb: (accDelay(design) - 1) * W,
    parallelBanked: ctx.parallel && !ctx.reduce,
  };
}

/** Writes the design (its normal build plan), the harness and the Yosys script into `outDir`. */
export function prepareFormal(opts: { design: Design; outDir: string }): PreparedFormal {
  const { design } = opts;
  const board = findBoard(design.board);
  if (!board) throw new Error(`internal: unknown board ${design.board} after validation`);
  const plan = buildPlan(design, opts.outDir);
  const outDir = writePlan(plan);
  recordOwned(outDir, ['formal/']);
  // the core and what it instantiates; a board top and host interface play no part in the proof
  const rtlFiles = coreModules(design).map((m) => `rtl/${design.name}_${m}.v`);
  const missing = rtlFiles.filter((f) => !plan.files.some((p) => p.path === f));
  if (missing.length > 0) throw new Error(`internal: the build plan has no ${missing.join(', ')}`);

  const lines = fileHeader(design, designDigest(design));
  const top = `${design.name}_formal_equiv`;
  const harness = `formal/${top}.v`;
  const script = 'formal/equiv.ys';
  const phases = formalPhases(design, board);
  mkdirSync(join(outDir, 'formal'), { recursive: true });
  mkdirSync(join(outDir, 'logs'), { recursive: true });
  writeFileSync(
    join(outDir, harness),
    renderTemplate('formal/equiv.v.hbs', { ...formalContext(design, board), header: commentBlock(lines, '//') }),
  );
  writeFileSync(
    join(outDir, script),
    renderTemplate('formal/equiv.ys.hbs', {
      header: commentBlock(lines, '#'),
      banks: design.banks,
      harness,
      script,
      sources: [...rtlFiles, harness],
      top,
      phases,
    }),
  );
  return { design, outDir, rtlFiles, harness, script, top, phases, log: join(outDir, 'logs', 'formal.log') };
}

export type SatInductionOutcome =
  | { readonly kind: 'proven'; readonly depth: number }
  | { readonly kind: 'base-case-failed'; readonly depth: number }
  | { readonly kind: 'induction-failed'; readonly depth: number }
  | { readonly kind: 'timeout'; readonly depth: number }
  | { readonly kind: 'no-result'; readonly depth: number };

/** Reads the outcome of one `sat -tempinduct` run from its part of a Yosys log. */
export function parseSatInduction(log: string): SatInductionOutcome {
  const lengths = [...log.matchAll(/\*\* Trying induction with length (\d+) \*\*/g)].map((m) => Number(m[1]));
  const depth = lengths.length > 0 ? Math.max(...lengths) : 0;
  if (/SAT temporal induction proof finished - model found for base case: FAIL!/.test(log)) return { kind: 'base-case-failed', depth };
  if (/Interrupted SAT solver: TIMEOUT!/.test(log)) return { kind: 'timeout', depth };
  if (/Reached maximum number of time steps -> proof failed\./.test(log)) return { kind: 'induction-failed', depth };
  if (/Induction step proven: SUCCESS!/.test(log)) return { kind: 'proven', depth };
  return { kind: 'no-result', depth };
}

/** The outcome of each `sat` run in a Yosys log, in order (a run that never started is missing). */
export function parseSatRuns(log: string): SatInductionOutcome[] {
  return log
    .split(/^\d+\. Executing SAT pass.*$/m)
    .slice(1)
    .map((part) => parseSatInduction(part));
}

/** Runs the prepared proof through Yosys and reads its verdict. */
export async function runFormal(
  prepared: PreparedFormal,
  opts: { progress?: (line: string) => void; tools?: FindToolOptions } = {},
): Promise<FormalResult> {
  const started = performance.now();
  const tool = await findTool('yosys', opts.tools);
  const version = `yosys ${tool.version ?? '(version unknown)'}`;
  const d = prepared.design;
  const what = `${d.banks} banks x ${d.width} bits, ${d.mode}, pipeline ${d.pipeline}`;
  opts.progress?.(`formal: ${what}: ${version} (${tool.source}) sat -tempinduct ...`);
  const args = ['-s', prepared.script];
  const result = await runBounded(tool.path, args, { cwd: prepared.outDir, timeoutMs: FORMAL_TIMEOUT_MS });
  const text = result.all;
  writeFileSync(prepared.log, `$ ${tool.path} ${args.join(' ')}\n${text}\n`);
  const seconds = (performance.now() - started) / 1000;

  const runs = parseSatRuns(text);
  const outcomes = prepared.phases.map((phase, i) => ({ phase, outcome: runs[i] ?? ({ kind: 'no-result', depth: 0 } as const) }));
  const failed = outcomes.find((o) => o.outcome.kind !== 'proven');
  const proven = failed === undefined && result.exitCode === 0;
  const theorem = outcomes[outcomes.length - 1]!.outcome;
  const steps = outcomes.map((o) => `phase ${o.phase.number} ${o.phase.title}: ${describe(o.outcome)}`).join('; ');
  const error = /^ERROR: .*$/m.exec(text)?.[0];
  const method = proven
    ? `${version} sat -tempinduct, unbounded (k-induction from a reset): ${steps}`
    : failed === undefined || failed.outcome.kind === 'no-result'
      ? `${version}: no verdict (${error ?? `yosys ${howItEnded(result)}`}); ${steps}`
      : `${version} sat -tempinduct: ${steps}`;
  const counterexample =
    failed !== undefined && (failed.outcome.kind === 'base-case-failed' || failed.outcome.kind === 'induction-failed')
      ? resolve(prepared.outDir, failed.phase.vcd)
      : undefined;
  const depth = failed === undefined ? theorem.depth : failed.outcome.depth;
  opts.progress?.(`formal: ${what}: ${proven ? 'proven' : 'NOT proven'} in ${seconds.toFixed(1)} s (log ${prepared.log})`);
  return { proven, method, depth, seconds, log: prepared.log, ...(counterexample ? { counterexample } : {}) };
}

function describe(outcome: SatInductionOutcome): string {
  switch (outcome.kind) {
    case 'proven':
      return `proven at k = ${outcome.depth}`;
    case 'base-case-failed':
      return `an assertion fails ${outcome.depth} cycle(s) after reset (a real counterexample)`;
    case 'induction-failed':
      return `induction not closed up to k = ${outcome.depth} (and no counterexample from reset within that depth)`;
    case 'timeout':
      return `the SAT solver timed out at k = ${outcome.depth}`;
    case 'no-result':
      return 'not run';
  }
}

/**
 * Proves on the generated RTL that the N-bank core always agrees with a single accumulator fed the same operations.
 * Writes the design into `outDir` (as `atomik-gen generate` would), the harness and script under formal/, the log and
 * any counterexample under logs/.
 */
export async function proveEquivalence(opts: FormalOptions): Promise<FormalResult> {
  const prepared = prepareFormal({ design: opts.design, outDir: opts.outDir });
  return runFormal(prepared, { ...(opts.progress ? { progress: opts.progress } : {}), ...(opts.tools ? { tools: opts.tools } : {}) });
}
