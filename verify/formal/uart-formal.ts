// Formal proof, with Yosys alone (`sat -tempinduct`), of the UART host's receive side at the design's own parameters:
// the receiver against a transmitter, the frame tracker against the protocol's framing, the FIFO as a queue, and the
// parser and exec against the protocol's frames (templates/formal/uart.v.hbs; docs/verification.md, "The UART host").
import { findBoard } from '../../boards/index.js';
import type { Design } from '../../generator/design/design.js';
import { OPCODES, type Opcode } from '../../generator/protocol/uart.js';
import { hex } from '../../generator/protocol/codec.js';
import { rtlContext } from '../../generator/rtl/context.js';
import type { FindToolOptions } from '../../generator/tools/tools.js';
import { runFormal, writeProof, type FormalPhase, type FormalResult, type PreparedFormal } from './formal.js';

/** $clog2: bits to count 0 .. n - 1. */
function clog2(n: number): number {
  let bits = 0;
  while (2 ** bits < n) bits++;
  return bits;
}

/** Bit timers up to this many bits (the sign bit included) are one counter; longer ones are split (bit_timer.v.hbs). */
const TIMER_WHOLE_MAX_BITS = 6;

/**
 * The per-opcode decode the parser's registers hold (host_uart.v.hbs, `pk_*` / `x_*`), each as the opcodes it is set
 * for: the harness decodes from this table, the host from the same table rendered its own way.
 */
const DECODE: readonly { field: string; set: (o: Opcode) => boolean }[] = [
  { field: 'load', set: (o) => o.action === 'load' },
  { field: 'accum', set: (o) => o.action === 'accum' },
  { field: 'swap', set: (o) => o.action === 'swap' },
  { field: 'swap_keep', set: (o) => o.action === 'swap-keep' },
  { field: 'read', set: (o) => o.action === 'read' },
  { field: 'rep_clean', set: (o) => o.reply === 'clean' },
  { field: 'rep_reference', set: (o) => o.reply === 'reference' },
  { field: 'rep_info', set: (o) => o.reply === 'info' },
  { field: 'rep_counters', set: (o) => o.reply === 'counters' },
  { field: 'core_rep', set: (o) => o.reply === 'state' || o.reply === 'clean' },
  { field: 'loc_rep', set: (o) => o.reply === 'reference' || o.reply === 'info' || o.reply === 'counters' || o.reply === 'sync' },
];

/** The harness's template context: the host's context (opcodes, line timing, FIFO) and the widths the harness needs. */
export function uartFormalContext(design: Design) {
  const board = findBoard(design.board);
  if (!board) throw new Error(`internal: unknown board ${design.board} after validation`);
  const ctx = rtlContext(design, board);
  const timerBits = clog2(ctx.uart.clksPerBit);
  return {
    ...ctx,
    timerBits,
    frameBits: clog2(20 * ctx.uart.clksPerBit + 1),
    timerWhole: timerBits + 1 <= TIMER_WHOLE_MAX_BITS,
    timeoutBits: clog2(ctx.uart.timeoutClks),
    opcodesMsb: ctx.opcodes.length - 1,
    byteMsb: ctx.multiByte ? 7 : ctx.wMsb,
    fields: DECODE.map((d) => d.field),
    decode: DECODE.map((d) => ({ field: d.field, hexes: OPCODES.filter(d.set).map((o) => hex(o.byte)) })),
  };
}

/** The four phases, one harness module each; the parser's phase assumes of the FIFO's output what phase 3 proves. */
export function uartPhases(name: string): FormalPhase[] {
  const phase = (number: number, title: string, module: string, extra: Partial<FormalPhase> = {}): FormalPhase => ({
    number,
    title,
    top: `${name}_formal_${module}`,
    defines: [],
    assumes: false,
    initSteps: 0,
    maxSteps: 3,
    vcd: `logs/uart.${module}.cex.vcd`,
    ...extra,
  });
  return [
    phase(1, 'the receiver against a transmitter', 'rx'),
    phase(2, 'the frame tracker against the framing', 'frame', { cut: ['u_host.fifo_full'] }),
    phase(3, 'the FIFO', 'fifo'),
    // (its lemmas close at k = 1; the margin lets the base case reach a fault a few entries deep)
    phase(4, 'the parser and exec against the frames', 'parse', { assumes: true, cut: ['u_host.fo_valid', 'u_host.fo_data'], maxSteps: 10 }),
  ];
}

/** Writes the design (with its UART host), the harness and the script into `outDir`. */
export function prepareUartFormal(opts: { design: Design; outDir: string }): PreparedFormal {
  const { design } = opts;
  if (design.host !== 'uart') throw new Error(`internal: the UART proof needs a design with host uart, got ${design.host}`);
  const ctx = uartFormalContext(design);
  return writeProof({
    design,
    outDir: opts.outDir,
    template: 'formal/uart.v.hbs',
    context: ctx,
    top: `${design.name}_formal_uart`,
    name: 'uart',
    what: `the UART host receives, frames, queues and carries out frames as the protocol says (${ctx.uart.clksPerBit} clocks per bit, timeout ${ctx.uart.timeoutClks} clocks, ${design.width}-bit values)`,
    // every RTL file of the design: `hierarchy` keeps the host's modules
    sources: (files) => files.filter((f) => f.startsWith('rtl/') && f.endsWith('.v')),
    phases: uartPhases(design.name),
  });
}

/** Proves the UART host's receive side on the generated RTL (see prepareUartFormal). */
export async function proveUartParser(opts: {
  design: Design;
  outDir: string;
  progress?: (line: string) => void;
  tools?: FindToolOptions;
}): Promise<FormalResult> {
  const prepared = prepareUartFormal({ design: opts.design, outDir: opts.outDir });
  return runFormal(prepared, { ...(opts.progress ? { progress: opts.progress } : {}), ...(opts.tools ? { tools: opts.tools } : {}) });
}
