// Formal proofs with Yosys alone (`sat -tempinduct`: k-induction whose base case starts from a reset, so a success holds
// for every cycle of every run). This file: the machinery every proof shares (writing a harness and its phased script,
// running Yosys, reading each phase's verdict) and the core's proof, that the generated core behaves as a single
// accumulator: `templates/formal/equiv.v.hbs` runs the core beside a one-reference, one-accumulator model of the
// contract (docs/ARCHITECTURE.md); its phases (formalPhases) prove control lemmas, the counters, the datapath lemmas
// slice by slice, then the theorem: the accumulator state, `ready`, the reference, every READ / SWAP answer, the clean
// flags and the counters agree with the model. The UART host's proof is uart-formal.ts. docs/verification.md, "Proofs".
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
import { deltaCountDelay, INPUT_STAGES, OUTPUT_STAGES } from '../../generator/design/merge-tree.js';
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
  /** The harness module this phase proves (default: the proof's top). */
  readonly top?: string;
  /**
   * Verilog macros for this phase (NAME=value): which classes of the harness's properties it proves (`assert`), which
   * it assumes (proven by an earlier phase) and, for data properties, which bits (ATOMIK_SLICE_LO / _HI).
   */
  readonly defines: readonly string[];
  /** The phase assumes properties an earlier phase proved. */
  readonly assumes: boolean;
  /**
   * Core signals (flattened names) this phase cuts from their logic: each becomes free in every cycle, bound only by the
   * properties the phase assumes of it, so the logic behind it (the banks, the tree) leaves the SAT problem.
   */
  readonly cut?: readonly string[];
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
  /** What is proven, for progress lines. */
  readonly what: string;
}

/** What output stage 1 of the core reads (its accumulator state, merged): the theorem's phases cut the core here. */
const HELD = 'u_core.held';

/** Bits per slice of the data properties: each slice is its own, far smaller, SAT problem. */
export const FORMAL_SLICE_BITS = 16;

/**
 * The phases of the proof, in order; each assumes only what an earlier one proved.
 * 1. control lemmas (the SWAP-keep countdown, `ready`, the bank pointer): 1-inductive;
 * 2. the counters, with their lemmas: a window as long as delta_count's delay;
 * 3. the datapath lemmas, one phase per slice of FORMAL_SLICE_BITS bits (every property there holds bit by bit):
 *    1-inductive, 2 where the banks sit behind the input stage;
 * 4. the theorem's data, per slice, and 5. its control outputs (ready, answers, the clean flags), over all bits with
 *    only `held` assumed: a window as long as a READ's path through the core, which also reaches back past any SWAP-keep
 *    drain to a ready cycle (a control lemma bounds the countdown by the read latency L): k = L + 1.
 * The shorter lengths of 4 and 5 are skipped (their base cases are still proven); a few longer ones are margin.
 */
export function formalPhases(design: Design, board: Board): FormalPhase[] {
  const ctx = rtlContext(design, board);
  const theoremK = ctx.readLatency + 1;
  const slices: { lo: number; hi: number }[] = [];
  for (let lo = 0; lo < ctx.W; lo += FORMAL_SLICE_BITS) slices.push({ lo, hi: Math.min(ctx.W, lo + FORMAL_SLICE_BITS) - 1 });
  const sliced = (lo: number, hi: number) => (slices.length > 1 ? [`ATOMIK_SLICE_LO=${lo}`, `ATOMIK_SLICE_HI=${hi}`] : []);
  const bitsOf = (lo: number, hi: number) => (slices.length > 1 ? `, bits ${lo}..${hi}` : '');
  const phases: Omit<FormalPhase, 'number'>[] = [
    { title: 'control lemmas', defines: ['ATOMIK_CTRL=assert'], assumes: false, initSteps: 0, maxSteps: 3, vcd: 'logs/formal.control.cex.vcd' },
    {
      title: 'the counters',
      defines: ['ATOMIK_CTRL=assume', 'ATOMIK_CNT=assert'],
      assumes: true,
      initSteps: 0,
      maxSteps: deltaCountDelay(ctx.lanes) + 3,
      vcd: 'logs/formal.counters.cex.vcd',
    },
    ...slices.map(({ lo, hi }) => ({
      title: `datapath lemmas${bitsOf(lo, hi)}`,
      defines: ['ATOMIK_CTRL=assume', 'ATOMIK_DP=assert', 'ATOMIK_HELD=assert', ...sliced(lo, hi)],
      assumes: true,
      initSteps: 0,
      maxSteps: 4,
      vcd: `logs/formal.datapath${lo}.cex.vcd`,
    })),
    ...slices.map(({ lo, hi }) => ({
      title: `the theorem${bitsOf(lo, hi)}`,
      defines: ['ATOMIK_CTRL=assume', 'ATOMIK_HELD=assume', 'ATOMIK_THM=assert', ...sliced(lo, hi)],
      assumes: true,
      cut: [HELD],
      initSteps: theoremK - 1,
      maxSteps: theoremK + 2,
      vcd: `logs/formal.theorem${lo}.cex.vcd`,
    })),
    {
      title: 'the theorem: ready, answers and clean flags',
      defines: ['ATOMIK_CTRL=assume', 'ATOMIK_HELD=assume', 'ATOMIK_OUT=assert'],
      assumes: true,
      cut: [HELD],
      initSteps: theoremK - 1,
      maxSteps: theoremK + 2,
      vcd: 'logs/formal.outputs.cex.vcd',
    },
  ];
  return phases.map((p, i) => ({ number: i + 1, ...p }));
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

/** The template context of the harness: the RTL context plus the contract's delay lines and the harness's XOR trees. */
export function formalContext(design: Design, board: Board) {
  const ctx = rtlContext(design, board);
  const W = ctx.W;
  const CB = ctx.counterBits;
  const latency = ctx.readLatency;
  // the harness's tree over the banks, or for `reduce` over the lanes (none for one lane)
  const tree = xorTreeLevels(ctx.reduce ? ctx.lanes : ctx.N);
  const reduceTree = ctx.reduce && ctx.inputInTree;
  const delay = accDelay(design);
  // what output stage 1 reads (`held`) lags the contract by the read latency less the output stages
  const chain = latency - OUTPUT_STAGES;
  if (chain < Math.max(1, delay)) throw new Error(`internal: formal delay line of ${chain} for an accumulator ${delay} cycle(s) late`);
  /** The contract's accumulator of j cycles before (sh_acc_dl holds 1 .. chain). */
  const accAt = (j: number) => (j === 0 ? 'sh_acc' : `sh_acc_dl[${(j - 1) * W} +: ${W}]`);
  // the banks lag the contract by the input stage where it sits in front of them
  const bankLag = ctx.reduce || ctx.inputInTree ? 0 : INPUT_STAGES;
  const treeStages = ctx.tree.levels
    .filter((l) => l.registered)
    .map((l, i) => {
      const up = xorTreeLevels(l.nodes).map((u) => treeLevelFields(u, W));
      // reduce: the accepted delta of (stage) cycles before; banks: the accumulator of (lag + stage) cycles before
      const target = reduceTree ? `sh_dd[${i * W} +: ${W}]` : accAt(bankLag + i + 1);
      return { level: l.index, bitsMsb: l.bitsMsb, up, upTop: up.length, target };
    });
  const deltaDelay = deltaCountDelay(ctx.lanes);
  const deltaChain = Math.max(1, deltaDelay - 1);
  /** The contract's count of accepted lanes of j cycles before (sh_deltas_dl holds 1 .. deltaChain). */
  const deltasAt = (j: number) => (j === 0 ? 'sh_deltas' : `sh_deltas_dl[${(j - 1) * CB} +: ${CB}]`);
  const laneTotalDelay = 1 + ctx.laneCount.last;
  return {
    ...ctx,
    bankBits: ctx.N * W,
    histStateBits: latency * W,
    histStateMsb: latency * W - 1,
    histStateShiftMsb: (latency - 1) * W - 1,
    histStateTopLsb: (latency - 1) * W,
    xorTree: tree.map((l) => treeLevelFields(l, W)),
    bankTreeTop: tree.length,
    laneTreeTop: tree.length,
    accDelay: delay,
    accChain: chain,
    accChainBits: chain * W,
    accChainMulti: chain > 1,
    accChainShiftMsb: (chain - 1) * W - 1,
    accDelayed: accAt(delay),
    heldDelayed: accAt(chain),
    parallelBanked: ctx.parallel && !ctx.reduce,
    reduceTree,
    treeStages,
    laneChain: reduceTree
      ? Array.from({ length: delay }, (_, j) => ({ now: accAt(j), before: accAt(j + 1), clear: `sh_cd[${j}]`, delta: `sh_dd[${j * W} +: ${W}]` }))
      : [],
    /** the split counters of the core (counter.v.hbs), each with its pieces */
    counters: [
      { inst: 'u_cycles', pieces: ctx.counterPieces },
      { inst: 'u_deltas', pieces: ctx.countLanes ? ctx.laneCount.highPieces : ctx.counterPieces },
    ],
    deltaDelay,
    deltaChain,
    deltaChainBits: deltaChain * CB,
    deltaChainMulti: deltaChain > 1,
    deltaChainShiftMsb: (deltaChain - 1) * CB - 1,
    deltaCountAt: deltasAt(deltaDelay - 1),
    laneTotalDelay,
    laneTotalAt: deltasAt(laneTotalDelay),
    carryPad: CB - ctx.laneCount.lowBits - 1,
  };
}

/**
 * Writes the design (its normal build plan) into `outDir`, then a harness (rendered from `template` with `context`)
 * and its Yosys script under formal/: the proof `runFormal` runs. `sources` picks the plan's RTL files the proof reads.
 */
export function writeProof(opts: {
  design: Design;
  outDir: string;
  /** Harness template under templates/, its context, and its top module's name. */
  template: string;
  context: Record<string, unknown>;
  top: string;
  /** File names under formal/ and logs/ (without extension). */
  name: string;
  what: string;
  sources: (plan: readonly string[]) => string[];
  phases: FormalPhase[];
}): PreparedFormal {
  const { design } = opts;
  const plan = buildPlan(design, opts.outDir);
  const outDir = writePlan(plan);
  recordOwned(outDir, ['formal/']);
  const rtlFiles = opts.sources(plan.files.map((f) => f.path));
  const missing = rtlFiles.filter((f) => !plan.files.some((p) => p.path === f));
  if (rtlFiles.length === 0 || missing.length > 0) throw new Error(`internal: the build plan has no ${missing.join(', ') || 'RTL for the proof'}`);
  const lines = fileHeader(design, designDigest(design));
  const harness = `formal/${opts.top}.v`;
  const script = `formal/${opts.name}.ys`;
  mkdirSync(join(outDir, 'formal'), { recursive: true });
  mkdirSync(join(outDir, 'logs'), { recursive: true });
  writeFileSync(join(outDir, harness), renderTemplate(opts.template, { ...opts.context, header: commentBlock(lines, '//') }));
  writeFileSync(
    join(outDir, script),
    renderTemplate('formal/equiv.ys.hbs', {
      header: commentBlock(lines, '#'),
      what: opts.what,
      harness,
      script,
      sources: rtlFiles,
      top: opts.top,
      phases: opts.phases,
    }),
  );
  return { design, outDir, rtlFiles, harness, script, top: opts.top, phases: opts.phases, log: join(outDir, 'logs', `${opts.name}.log`), what: opts.what };
}

/** Writes the design (its normal build plan), the harness and the Yosys script into `outDir`. */
export function prepareFormal(opts: { design: Design; outDir: string }): PreparedFormal {
  const { design } = opts;
  const board = findBoard(design.board);
  if (!board) throw new Error(`internal: unknown board ${design.board} after validation`);
  const shape = `${design.banks} ${design.arch === 'reduce' && design.mode === 'parallel' ? 'lane' : 'bank'}(s) x ${design.width} bits, ${design.mode}, ${design.arch}, pipeline ${design.pipeline}`;
  return writeProof({
    design,
    outDir: opts.outDir,
    template: 'formal/equiv.v.hbs',
    context: formalContext(design, board),
    top: `${design.name}_formal_equiv`,
    name: 'equiv',
    what: `the core (${shape}) behaves as a single accumulator`,
    // the core and what it instantiates; a board top and host interface play no part in the proof
    sources: () => coreModules(design).map((m) => `rtl/${design.name}_${m}.v`),
    phases: formalPhases(design, board),
  });
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
  const what = prepared.what;
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
  const steps = summarize(outcomes);
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

/**
 * The phases in words: each failing or unrun phase on its own, runs of proven phases that differ only in their slice of
 * the bits as one ("phases 3-6 datapath lemmas (4 slices): proven at k = 1").
 */
function summarize(outcomes: readonly { phase: FormalPhase; outcome: SatInductionOutcome }[]): string {
  const parts: string[] = [];
  for (let i = 0; i < outcomes.length; ) {
    const { phase, outcome } = outcomes[i]!;
    const family = phase.title.replace(/, bits \d+\.\.\d+$/, '');
    let j = i + 1;
    while (
      outcome.kind === 'proven' &&
      j < outcomes.length &&
      outcomes[j]!.outcome.kind === 'proven' &&
      outcomes[j]!.outcome.depth === outcome.depth &&
      outcomes[j]!.phase.title.replace(/, bits \d+\.\.\d+$/, '') === family
    )
      j++;
    parts.push(
      j - i > 1
        ? `phases ${phase.number}-${outcomes[j - 1]!.phase.number} ${family} (${j - i} slices of the bits): ${describe(outcome)}`
        : `phase ${phase.number} ${phase.title}: ${describe(outcome)}`,
    );
    i = j;
  }
  return parts.join('; ');
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
