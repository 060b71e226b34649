// Resource model, used before anything is written to refuse designs that clearly cannot fit the part.
//
// The figures are lower bounds, not predictions: a design is refused only when even the least it could need is more
// than the part has. Synthesis reports the real counts.
//
// Flip-flops (exact for the core's state, small constants for the rest):
//   accumulators (banked: N x W; reduce: one W), the input stage (the lanes' deltas lanes x W, the reference beside
//   them W; none for reduce over several lanes, whose input stage is a tree register), reference W, tree registers (nodes x W per registered level of the tree over the banks, or for reduce
//   over the lanes), the reference beside the tree P x W, two output stages 2 W + W / 4 + 1, read pipe L = P + 3,
//   counters 2 x 48, and for the UART host the payload register W plus
//   about 80 for the receiver, transmitter and parser; for the AXI4-Lite host DATA and RESULT (2 W), the latched delta
//   counter (48) and the read and write data registers (64).
// LUTs (K-input LUTs, K = 4 on Gowin, 6 on 7-series):
//   every accumulator bit needs one LUT (its next value depends on itself and the delta), and folding the tree's
//   leaves x W bits down to W by XOR needs at least (leaves - 1) x W / (K - 1) LUTs, since one LUT takes K inputs to
//   one output.
//   A 7-series LUT6 can hold two functions of five shared inputs (O5/O6), so both counts halve there: Vivado's
//   published 512 x 64 core uses 23 542 LUTs for 32 768 bank bits.
import type { Board } from '../../boards/types.js';
import { inputStageInTree, laneCount, treeLeaves, treeRegisterStages, type Design, type Locate } from './shape.js';
import { AtomikError } from '../common/errors.js';
import { cleanGroups, mergeTreeLevels, OUTPUT_STAGES, readLatencyOf } from './merge-tree.js';
import { COUNTER_BITS } from '../protocol/uart.js';

export interface ResourceEstimate {
  /** At least this many flip-flops. */
  readonly flipFlopsAtLeast: number;
  /** At least this many LUTs. */
  readonly lutsAtLeast: number;
}

const UART_HOST_CONTROL_FFS = 80;
const AXIL_HOST_BUS_FFS = 64;

export function estimateResources(design: Design, board: Board): ResourceEstimate {
  const { banks: n, width: w, pipeline: p } = design;
  const leaves = treeLeaves(design.arch, design.mode, n);
  const lanes = laneCount(design);
  const accumulators = design.arch === 'reduce' ? 1 : n;
  const inTree = inputStageInTree(design.arch, design.mode, leaves);
  const treeRegs = mergeTreeLevels(leaves, treeRegisterStages(design))
    .filter((l) => l.registered)
    .reduce((sum, l) => sum + l.nodes * w, 0);
  const host =
    design.host === 'uart' ? w + UART_HOST_CONTROL_FFS : design.host === 'axi-lite' ? 2 * w + COUNTER_BITS + AXIL_HOST_BUS_FFS : 0;
  const outputStages = OUTPUT_STAGES * w + cleanGroups(w) + Math.ceil(cleanGroups(w) / 4) + 1;
  const flipFlopsAtLeast =
    accumulators * w + (inTree ? 0 : lanes * w + w) + w + treeRegs + p * w + outputStages + readLatencyOf(p) + 2 * COUNTER_BITS + host;
  const k = board.lutInputs;
  const perLut = k === 6 ? 2 : 1;
  const lutsAtLeast = Math.ceil((accumulators * w + Math.ceil(((leaves - 1) * w) / (k - 1))) / perLut);
  return { flipFlopsAtLeast, lutsAtLeast };
}

/** Throws when the design clearly cannot fit the board's part. */
export function checkFit(design: Design, board: Board, locate: Locate): ResourceEstimate {
  const est = estimateResources(design, board);
  const over: string[] = [];
  if (est.flipFlopsAtLeast > board.capacity.flipFlops) {
    over.push(`at least ${est.flipFlopsAtLeast} flip-flops, the part has ${board.capacity.flipFlops}`);
  }
  if (est.lutsAtLeast > board.capacity.luts) {
    over.push(`at least ${est.lutsAtLeast} LUT${board.lutInputs}, the part has ${board.capacity.luts}`);
  }
  if (over.length > 0) {
    throw new AtomikError(
      `${design.banks} banks x ${design.width} bits does not fit the ${board.part} (${board.title}): needs ${over.join('; ')}`,
      { where: locate(['banks']), hint: 'use fewer banks or a narrower width; the model is in README.md, "Resource model"' },
    );
  }
  return est;
}
