// Everything the RTL and constraint templates need, computed once from the design and its board, one context per
// template group: the core (bank, merge tree, core), the host (UART or AXI4-Lite protocol), the bench generator and the
// board (top, constraints). Templates only write out these values: every decision (widths, tree shape, PLL settings,
// LED roles) is made here. A template is rendered with its group's context and the groups it builds on; Handlebars runs
// strict, so a template that reaches outside them fails loudly.
import type { Board } from '../../boards/types.js';
import { axilContext } from '../protocol/axil-map.js';
import { topPorts } from './pins.js';
import { inputStageInTree, laneCount, treeLeaves, treeRegisterStages, type Design } from '../design/design.js';
import { CLEAN_GROUP_BITS, cleanGroups, deltaCountDelay, LANE_GROUP, laneCountLevels, mergeTreeLevels, readLatencyOf } from '../design/merge-tree.js';
import { clockingOf } from '../clocking/index.js';
import { hex } from '../protocol/codec.js';
import {
  COUNTER_BITS,
  encodeInfo,
  OPCODES,
  PROTOCOL_VERSION,
  replyBytes,
  STATUS_CLEAN,
  SYNC_REPLY,
  UART_FIFO_DEPTH,
  payloadBytes,
  uartClocks,
} from '../protocol/uart.js';
import { GENERATOR_VERSION } from '../common/version.js';

/** Width of one piece of the core's counters: the longest carry chain they have (core.v.hbs, the counters). */
const COUNTER_PIECE_BITS = 8;

/** The lane count of a parallel core: 4-lane groups, then a registered binary tree of adds (merge-tree.ts). */
function laneCountContext(lanes: number) {
  const groups = Math.ceil(lanes / LANE_GROUP);
  const levels: { index: number; prev: number; nodes: number; pairs: number; odd: boolean }[] = [];
  let inputs = groups;
  for (let index = 1; index <= laneCountLevels(lanes); index++) {
    levels.push({ index, prev: index - 1, nodes: Math.ceil(inputs / 2), pairs: Math.floor(inputs / 2), odd: inputs % 2 === 1 });
    inputs = Math.ceil(inputs / 2);
  }
  const acceptBits = Math.ceil(Math.log2(lanes + 1));
  const lowBits = acceptBits <= 8 ? 8 : 16;
  return {
    groups,
    padBits: groups * LANE_GROUP - lanes,
    levels,
    last: levels.length,
    lowBits,
    lowPad: lowBits + 1 - acceptBits,
    highPieces: (COUNTER_BITS - lowBits) / COUNTER_PIECE_BITS,
    delay: deltaCountDelay(lanes),
  };
}

/** Reference bits per copy of its load-enable decode (core.v.hbs). */
const REF_SLICE_BITS = 16;

/** What each LED shows, in order; a board with fewer LEDs shows the first ones. */
export const LED_ROLES = [
  { signal: 'heartbeat', meaning: 'blinks about once a second while the core clock runs' },
  { signal: 'pll_lock', meaning: 'the PLL is locked' },
  { signal: 'core_clean', meaning: 'the accumulator is zero (state == reference)' },
  { signal: 'error_seen', meaning: 'a UART framing error, timeout or overflow since reset' },
  { signal: 'host_rx_busy', meaning: 'a host frame is being received' },
  { signal: 'host_tx_busy', meaning: 'a reply is being sent' },
] as const;

export function bitsFor(values: number): number {
  // bits to count 0..values-1 (at least 1)
  return Math.max(1, Math.ceil(Math.log2(values)));
}

export function clockPlan(design: Design, board: Board) {
  const periodNs = (mhz: number) => Math.round((1000 / mhz) * 1000) / 1000;
  const base = { inMHz: board.clock.mhz, inPeriodNs: periodNs(board.clock.mhz), coreMHz: design.clockMHz, corePeriodNs: periodNs(design.clockMHz) };
  return { ...base, ...clockingOf(board.pll.kind).solve(board.clock.mhz, design.clockMHz) };
}

/** A W-bit mask of the bench LFSR's feedback taps: the top bit, the one below it and one a third of the way up. */
function lfsrTaps(width: number): bigint {
  const bits = new Set([width - 1, Math.max(0, width - 2), Math.floor(width / 3)]);
  return [...bits].reduce((m, b) => m | (1n << BigInt(b)), 0n);
}

/** A distinct W-bit constant per lane (lane 0 gets 0), so every lane's deltas differ. */
function laneConstant(lane: number, width: number): bigint {
  let x = BigInt(lane) * 0x9e3779b97f4a7c15n;
  let out = 0n;
  for (let bits = 0; bits < width; bits += 64) {
    x = (x ^ (x >> 31n)) * 0xbf58476d1ce4e5b9n & 0xffffffffffffffffn;
    out |= (x ^ (x >> 29n)) << BigInt(bits);
  }
  return lane === 0 ? 0n : out & ((1n << BigInt(width)) - 1n);
}

/** The bit positions a template needs to write one XOR-tree level of `width`-bit nodes. */
export function treeLevelFields<L extends { index: number; nodes: number; inputs: number }>(l: L, width: number) {
  return {
    ...l,
    prev: l.index - 1,
    bits: l.nodes * width,
    bitsMsb: l.nodes * width - 1,
    oddLsb: (l.nodes - 1) * width,
    oddFromLsb: (l.inputs - 1) * width,
  };
}

/** The core's template context: widths, lanes, the XOR tree, the read pipeline and the counters. */
export function coreContext(design: Design) {
  const W = design.width;
  const N = design.banks;
  const lanes = laneCount(design);
  const leaves = treeLeaves(design.arch, design.mode, N);
  const stages = treeRegisterStages(design);
  const levels = mergeTreeLevels(leaves, stages);
  const readLatency = readLatencyOf(design.pipeline);
  const acceptBits = Math.ceil(Math.log2(lanes + 1));
  return {
    header: '',
    name: design.name,
    design,
    mode: design.mode,
    W,
    wMsb: W - 1,
    N,
    nMinus1: N - 1,
    lanes,
    lanesMsb: lanes - 1,
    laneBitsMsb: lanes * W - 1,
    parallel: design.mode === 'parallel',
    countLanes: lanes > 1,
    laneCount: laneCountContext(lanes),
    /** A round-robin bank pointer: banked, round-robin, several banks. */
    hasPointer: design.arch === 'banked' && design.mode === 'round-robin' && N > 1,
    nMinus2: N - 2,
    /** Each bank, the lane feeding it, and whether a LOAD can give it a delta (round-robin: only bank 0). */
    bankLoadable: Array.from({ length: N }, (_, index) => ({
      index,
      lane: design.mode === 'parallel' ? index : 0,
      loadable: design.mode === 'parallel' || index === 0 ? 1 : 0,
    })),
    bankBitsMsb: N * W - 1,
    reduce: design.arch === 'reduce',
    /** Leaves of the XOR tree: banks, or for `reduce` the lanes. */
    leaves,
    leafBitsMsb: leaves * W - 1,
    /** Several lanes: the input stage is a register stage inside the tree, the lanes enter unregistered. */
    inputInTree: inputStageInTree(design.arch, design.mode, leaves),
    tree: {
      levelCount: levels.length,
      stages,
      multiStage: stages > 1,
      registeredList: levels.filter((l) => l.registered).map((l) => l.index).join(', ') || 'none',
      levels: levels.map((l) => treeLevelFields(l, W)),
    },
    treeStagesMsb: stages - 1,
    treeStagesShiftMsb: stages - 2,
    refPipeBits: stages * W,
    refPipeMsb: stages * W - 1,
    refPipeShiftMsb: (stages - 1) * W - 1,
    refPipeTopLsb: (stages - 1) * W,
    readLatency,
    nzGroups: cleanGroups(W),
    refSliceBits: REF_SLICE_BITS,
    refSlices: Math.ceil(W / REF_SLICE_BITS),
    nz2Groups: Math.ceil(cleanGroups(W) / 4),
    nz2Msb: Math.ceil(cleanGroups(W) / 4) - 1,
    nz2Pad: Math.ceil(cleanGroups(W) / 4) * 4 - cleanGroups(W),
    nz2PadMsb: Math.ceil(cleanGroups(W) / 4) * 4 - 1,
    nzMsb: cleanGroups(W) - 1,
    nzGroupBits: CLEAN_GROUP_BITS,
    nzPad: cleanGroups(W) * CLEAN_GROUP_BITS - W,
    nzPadMsb: cleanGroups(W) * CLEAN_GROUP_BITS - 1,
    readPipeMsb: readLatency - 1,
    readPipeShiftMsb: readLatency - 2,
    multiCycleRead: readLatency > 1,
    busyBits: bitsFor(readLatency + 1),
    busyMsb: bitsFor(readLatency + 1) - 1,
    acceptBits,
    acceptBitsMsb: acceptBits - 1,
    acceptPad: acceptBits - 1,
    counterBits: COUNTER_BITS,
    counterMsb: COUNTER_BITS - 1,
    counterPieceBits: COUNTER_PIECE_BITS,
    counterPieces: COUNTER_BITS / COUNTER_PIECE_BITS,
    counterPieceSteps: 2 ** COUNTER_PIECE_BITS - 1,
    counterPad: COUNTER_BITS - (lanes > 1 ? acceptBits : 1),
  };
}

/** The host's template context: the UART protocol (opcodes, INFO, line timing, FIFO) and the AXI4-Lite register map. */
export function hostContext(design: Design) {
  const W = design.width;
  const lanes = laneCount(design);
  const pBytes = payloadBytes(W);
  const info = encodeInfo({ ...design, protocol: PROTOCOL_VERSION, version: GENERATOR_VERSION });
  const { clksPerBit, timeoutClks } = uartClocks(design.clockMHz, design);
  return {
    laneBits: lanes > 1 ? bitsFor(lanes) : 0,
    settleBits: bitsFor(deltaCountDelay(lanes) + 1),
    payloadBytes: pBytes,
    payloadBits: 8 * pBytes,
    multiByte: pBytes > 1,
    /** bits to hold 0..payloadBytes */
    payloadCntBits: pBytes.toString(2).length,
    replyBytesMax: Math.max(...OPCODES.map((o) => replyBytes(o.reply, W))),
    opcodes: OPCODES.map((o) => ({ ...o, hex: hex(o.byte), actionId: o.action.replace(/-/g, '_') })),
    infoBytes: info.map((b) => ({ hex: hex(b) })),
    statusCleanHex: hex(STATUS_CLEAN),
    syncReplyHex: hex(SYNC_REPLY),
    uart: {
      baud: design.baud,
      clksPerBit,
      timeoutClks,
      timeoutMs: design.frameTimeoutMs,
      fifoDepth: UART_FIFO_DEPTH,
      fifoAddrBits: bitsFor(UART_FIFO_DEPTH),
    },
    // AXI4-Lite host (generator/protocol/axil-map.ts)
    axil: axilContext({ width: W, lanes }, info),
  };
}

/** The bench generator's template context: the LFSR and a distinct constant per lane. */
export function benchContext(design: Design) {
  const W = design.width;
  return {
    bench: design.bench,
    multiBitLfsr: W > 1,
    wMsbMinus1: W - 2,
    benchTapsHex: lfsrTaps(W).toString(16),
    benchLanes: Array.from({ length: laneCount(design) }, (_, i) => ({ index: i, constHex: laneConstant(i, W).toString(16) })),
  };
}

/** The board's template context (top and constraints): the part, the clock plan, the ports and the LEDs. */
export function boardContext(design: Design, board: Board) {
  const heartbeatBits = Math.ceil(Math.log2(design.clockMHz * 1e6));
  return {
    board,
    part: board.part,
    device: board.device,
    clock: clockPlan(design, board),
    ports: design.host === 'uart' ? topPorts(board, { resetButton: design.resetButton, host: design.host }) : [],
    resetActiveLow: board.buttons[design.resetButton]?.activeLow === true,
    ledCount: board.leds.length,
    ledMsb: board.leds.length - 1,
    ledActiveLow: board.leds.every((l) => l.activeLow === true),
    leds: LED_ROLES.slice(0, board.leds.length).map((r, index) => ({ index, ...r })),
    unshownLeds: LED_ROLES.slice(board.leds.length).map((r) => r.signal).join(', '),
    heartbeatBits,
  };
}

/** Every group's context at once: for templates that see the whole design (the board top, the simulation harnesses). */
export function rtlContext(design: Design, board: Board) {
  return { ...coreContext(design), ...hostContext(design), ...benchContext(design), ...boardContext(design, board) };
}
