// How many of a design's flip-flops toggle in one clock cycle: an estimate from the design's structure, not a
// measurement. Sipeed's Gowin boards (Tang Nano 4K and 9K, Tang Primer 20K) are reported to misbehave when many
// flip-flops toggle on the same clock edge although timing is met: juj/gowin_flipflop_drainer (Tang Nano 9K: about 300
// free-running 4-bit adders, some 600 flip-flops toggling per edge, already disturbed a 74-106 MHz video output; 600
// adders lost it; halving the adders, or splitting them over both clock edges, brought it back: a peak-current problem,
// apicula#169). A bench top feeds every lane every cycle, which is that pattern.
//
// The model. A flip-flop loaded each cycle with a value independent of its old one toggles with probability 1/2; a
// flip-flop that holds its value never does. Per delta taken, the registers that take fresh data are: the lane's input
// register (W bits), the accumulator the delta lands in (W), in the XOR tree one node per registered level on the path
// from that leaf (every node, when every leaf changes each cycle), and the two output stages that hold the state (2 W).
// The reference holds its value (no LOAD in the stream). A binary counter toggles about 2 bits per increment: the cycle
// counter every cycle, the delta counter per cycle with deltas. The bench top adds its W-bit LFSR, which steps every
// cycle. How often deltas come: the bench top, every lane every cycle; the UART host, at most its line's BATCH limit
// over the clock; the AXI4-Lite host, at most one delta per (DATA words + 1) bus writes of at least 2 cycles each;
// the core alone (host none), every lane every cycle (whatever drives its ports could).
import type { Board } from '../../boards/types.js';
import { inputStageInTree, laneCount, treeLeaves, treeRegisterStages, type Design } from '../design/shape.js';
import { mergeTreeLevels, OUTPUT_STAGES } from '../design/merge-tree.js';
import { valueWords } from '../protocol/axil-map.js';
import { lineLimit, MAX_BATCH } from '../protocol/uart.js';
import type { ResourceUse } from '../vendors/types.js';
import type { TogglingReport } from './schema.js';

/** The probability that a flip-flop loaded with fresh, independent data changes. */
const FRESH_TOGGLE = 0.5;
/** Bits a binary counter changes per increment, on average (2 - 2^(1-n), for any width that matters). */
const COUNTER_TOGGLES = 2;
/** Cycles an AXI4-Lite write takes at least: the address and data handshake, then the response. */
const AXIL_WRITE_CYCLES = 2;

/**
 * The share of the part's flip-flops toggling on one edge above which the report warns, on the families with reports of
 * trouble. 5 %: about half of what disturbed the drainer's Tang Nano 9K (some 600 of its 6480 flip-flops, 9 %), since
 * this is an estimate and the boards' margins differ.
 */
export const TOGGLE_WARN_PART_PCT = 5;
/** The families the reports concern: Sipeed's Gowin boards. */
const WARN_FAMILIES: ReadonlySet<Board['family']> = new Set(['gowin']);

/** Deltas the core takes per cycle at most, from what feeds it. */
export function deltasPerCycle(design: Design): number {
  const lanes = laneCount(design);
  if (design.bench || design.host === 'none') return lanes;
  if (design.host === 'uart') return Math.min(lanes, lineLimit(design.baud, design.width, MAX_BATCH) / (design.clockMHz * 1e6));
  return Math.min(lanes, 1 / (AXIL_WRITE_CYCLES * (valueWords(design.width) + 1)));
}

/** Flip-flops expected to toggle in one cycle (see the model above). */
export function togglesPerCycle(design: Design): number {
  const w = design.width;
  const lanes = laneCount(design);
  const leaves = treeLeaves(design.arch, design.mode, design.banks);
  const fed = deltasPerCycle(design);
  const registered = mergeTreeLevels(leaves, treeRegisterStages(design)).filter((l) => l.registered);
  // with several lanes the input stage is the tree's first register level, counted with the tree
  const inputPerLane = inputStageInTree(design.arch, design.mode, leaves) ? 0 : w;
  // one delta: its lane's input register, its accumulator, a node per registered tree level, the output stages
  const perDelta = inputPerLane + w + registered.length * w + OUTPUT_STAGES * w;
  // every lane every cycle: every lane's input, every accumulator of a banked core, every node of the tree
  const everyLane = lanes > 1 && fed >= lanes;
  const treeNodes = registered.reduce((n, l) => n + l.nodes, 0);
  const allLanes = lanes * inputPerLane + (design.arch === 'banked' ? lanes : 1) * w + treeNodes * w + OUTPUT_STAGES * w;
  const data = everyLane ? allLanes : Math.min(1, fed) * perDelta;
  const lfsr = design.bench ? w : 0;
  const counters = COUNTER_TOGGLES * (1 + Math.min(1, fed));
  return FRESH_TOGGLE * (data + lfsr) + counters;
}

/** The report's toggling estimate, from the design and its flip-flop count; undefined before synthesis counted them. */
export function togglingOf(design: Design, board: Board, resources: readonly ResourceUse[] | undefined): TogglingReport | undefined {
  const ff = resources?.find((r) => r.resource === 'FF');
  if (!ff || ff.used <= 0) return undefined;
  const toggles = Math.round(togglesPerCycle(design));
  const available = ff.available ?? board.capacity.flipFlops;
  const pct = (x: number) => Math.round(x * 1000) / 10;
  const partSharePct = available > 0 ? pct(toggles / available) : null;
  const warnAbove = WARN_FAMILIES.has(board.family) ? TOGGLE_WARN_PART_PCT : null;
  const fed = deltasPerCycle(design);
  const feed = design.bench
    ? 'the bench top feeds every lane every cycle'
    : design.host === 'uart'
      ? `the UART host feeds at most ${fed.toPrecision(2)} delta(s) per cycle (its BATCH line limit over the clock)`
      : design.host === 'axi-lite'
        ? `the AXI4-Lite host feeds at most ${fed.toPrecision(2)} delta(s) per cycle`
        : 'the core alone: its ports could take a delta on every lane every cycle';
  return {
    flipFlops: ff.used,
    togglesPerCycle: toggles,
    designSharePct: pct(Math.min(1, toggles / ff.used)),
    partSharePct,
    warnAbovePartSharePct: warnAbove,
    warning: warnAbove !== null && partSharePct !== null && partSharePct > warnAbove,
    basis: {
      tool: null,
      stage: null,
      kind: 'estimate',
      note:
        `from the design's structure, not measured: ${feed}; a register loaded with fresh data toggles half its bits, ` +
        'one that holds none; counters about 2 bits a cycle (README, "Toggling")',
    },
  };
}

/** The report's warning line for a toggling estimate over the threshold. */
export function togglingWarning(t: TogglingReport, board: Board): string | undefined {
  if (!t.warning) return undefined;
  return (
    `about ${t.togglesPerCycle} flip-flops toggle each cycle (${t.designSharePct} % of the design's, ${t.partSharePct} % of the ${board.part}'s; estimate), ` +
    `above ${t.warnAbovePartSharePct} % of the part: ${board.family === 'gowin' ? 'Sipeed Gowin boards' : 'boards of this family'} are reported to misbehave ` +
    'when this many flip-flops switch on one edge although timing is met (juj/gowin_flipflop_drainer, apicula#169); on the board, fewer lanes toggle fewer'
  );
}
