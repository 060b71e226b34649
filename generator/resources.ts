// Resource model, used before anything is written to refuse designs that clearly cannot fit the part.
//
// The figures are lower bounds, not predictions: a design is refused only when even the least it could need is more
// than the part has. Synthesis reports the real counts.
//
// Flip-flops (exact for the core's state, small constants for the rest):
//   banks N x W, reference W, merge-tree registers (nodes x W per registered level), the reference beside the tree
//   P x W, output register W + 1, read pipe P + 1, counters 2 x 48, and for the UART host the payload register W plus
//   about 80 for the receiver, transmitter and parser.
// LUTs (K-input LUTs, K = 4 on Gowin, 6 on 7-series):
//   every bank bit needs one LUT (its next value depends on itself, the delta, the enable and the clear), and folding
//   N x W bits down to W by XOR needs at least (N - 1) x W / (K - 1) LUTs, since one LUT takes K inputs to one output.
//   A 7-series LUT6 can hold two functions of five shared inputs (O5/O6), so both counts halve there: Vivado's
//   published 512 x 64 core uses 23 542 LUTs for 32 768 bank bits.
import type { Board } from '../boards/types.js';
import type { Design, Locate } from './design.js';
import { AtomikError } from './errors.js';
import { mergeTreeLevels } from './merge-tree.js';
import { COUNTER_BITS } from './protocol.js';

export interface ResourceEstimate {
  /** At least this many flip-flops. */
  readonly flipFlopsAtLeast: number;
  /** At least this many LUTs. */
  readonly lutsAtLeast: number;
}

const UART_HOST_CONTROL_FFS = 80;

export function estimateResources(design: Design, board: Board): ResourceEstimate {
  const { banks: n, width: w, pipeline: p } = design;
  const treeRegs = mergeTreeLevels(n, p)
    .filter((l) => l.registered)
    .reduce((sum, l) => sum + l.nodes * w, 0);
  const host = design.host === 'uart' ? w + UART_HOST_CONTROL_FFS : 0;
  const flipFlopsAtLeast = n * w + w + treeRegs + p * w + (w + 1) + (p + 1) + 2 * COUNTER_BITS + host;
  const k = board.lutInputs;
  const perLut = k === 6 ? 2 : 1;
  const lutsAtLeast = Math.ceil((n * w + Math.ceil(((n - 1) * w) / (k - 1))) / perLut);
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
