// The host protocol: one table, the single source for the RTL templates, the docs, the host library, the models and the
// simulations; with its line settings and its codecs (frames, INFO, COUNTERS), each written once here.
// Opcodes L, A, R, S, D are the published ones (wire-compatible); the rest use byte values the published tops ignore.
import { fromBigEndian, fromBigEndianNumber, toBigEndian } from './codec.js';

export type ReplyKind = 'none' | 'state' | 'clean' | 'reference' | 'info' | 'counters' | 'sync';
export type CoreAction = 'none' | 'load' | 'accum' | 'swap' | 'swap-keep' | 'read';

export interface Opcode {
  /** ASCII letter sent on the wire. */
  readonly letter: string;
  readonly byte: number;
  /** Carries a payload of ceil(width/8) bytes, big-endian. */
  readonly payload: boolean;
  /**
   * A counted frame: after the opcode, one count byte n (0..MAX_BATCH), then n payloads; the action is carried out once
   * per payload, in order. Only BATCH is one.
   */
  readonly counted: boolean;
  readonly action: CoreAction;
  readonly reply: ReplyKind;
  readonly published: boolean;
  readonly summary: string;
}

function op(letter: string, payload: boolean, action: CoreAction, reply: ReplyKind, published: boolean, summary: string, counted = false): Opcode {
  return { letter, byte: letter.charCodeAt(0), payload, counted, action, reply, published, summary };
}

export const OPCODES: readonly Opcode[] = [
  op('L', true, 'load', 'none', true, 'LOAD: reference = value, every bank = 0, bank pointer = 0'),
  op('A', true, 'accum', 'none', true, 'ACCUM: XOR the delta into the next bank'),
  op('R', false, 'read', 'state', true, 'READ: reply reference XOR merged accumulator'),
  op('S', false, 'read', 'clean', true, 'STATUS: reply 0x80 when the accumulator is zero (clean), else 0x00'),
  op('D', false, 'none', 'reference', true, 'REFERENCE: reply the reference register'),
  op('U', true, 'accum', 'none', false, 'ROLLBACK: undo a delta (XOR is its own inverse, so this is ACCUM)'),
  op('W', true, 'swap', 'state', false, 'SWAP: reply the state, then reference = value and accumulator = 0'),
  op('K', false, 'swap-keep', 'state', false, 'SWAP-KEEP: reply the state, then reference = that state and accumulator = 0'),
  op('I', false, 'none', 'info', false, 'INFO: reply the design description (see INFO_FIELDS)'),
  op('C', false, 'none', 'counters', false, 'COUNTERS: reply the cycle counter then the delta counter, 6 bytes each'),
  op('P', false, 'none', 'sync', false, 'SYNC: reply SYNC_REPLY once every earlier frame has been carried out (a write fence)'),
  op('B', true, 'accum', 'none', false, 'BATCH: a count byte n (0..255), then n deltas, each XORed into the next bank (n ACCUM frames in one)', true),
];

/** The most deltas one BATCH frame carries (its count is one byte). */
export const MAX_BATCH = 255;

/** Value of the STATUS reply when the accumulator is zero. */
export const STATUS_CLEAN = 0x80;
/** Reply byte of SYNC. */
export const SYNC_REPLY = 0x50;
/** Width of the on-chip counters, in bits. */
export const COUNTER_BITS = 48;
/** The counters wrap: a difference of two readings, masked with this, is the count between them. */
export const COUNTER_MASK = (1n << BigInt(COUNTER_BITS)) - 1n;
/** Version of this protocol, reported by INFO. 2: BATCH, and INFO carries the line rate and the frame timeout. */
export const PROTOCOL_VERSION = 2;

// ---- the line ------------------------------------------------------------------------------------------------------

/** UART line rate of the published protocol, 8N1, and the default of a design's `baud`. */
export const UART_BAUD = 115200;
/** Bits one byte takes on the line: start, 8 data, stop. */
export const UART_BYTE_BITS = 10;
/**
 * Default frame timeout (a design's `frameTimeoutMs`): a partial frame with no new byte for this long is dropped.
 * Published host scripts send a frame one byte at a time with 10 ms sleeps, which a sleep's granularity stretches to
 * 16 ms on some systems; 50 ms keeps those frames with room to spare and still drops an abandoned one at once.
 */
export const UART_TIMEOUT_MS = 50;
/** Depth of the device's received-byte FIFO. */
export const UART_FIFO_DEPTH = 32;
/** Fewest core clock cycles per bit the receiver works with (it samples each bit in its middle). */
export const UART_MIN_CLKS_PER_BIT = 4;
/** Largest bit-time error accepted between the line rate and what the core clock can divide (percent). */
export const UART_MAX_BIT_ERROR_PCT = 2;

/** The line as a design sets it. */
export interface UartLine {
  readonly baud: number;
  /** A partial frame with no new byte for this long is dropped. */
  readonly frameTimeoutMs: number;
}

export const DEFAULT_UART_LINE: UartLine = { baud: UART_BAUD, frameTimeoutMs: UART_TIMEOUT_MS };

/** The line in core clock cycles: the bit time (rounded), its error against the line rate, and the frame timeout. */
export interface UartClocks {
  readonly clksPerBit: number;
  /** |bit time the divisor makes - the line's bit time| / the line's bit time, in percent. */
  readonly bitErrorPct: number;
  readonly timeoutClks: number;
}

/** Core clock cycles per bit for a line rate, and the frame timeout in cycles, for a core clock. */
export function uartClocks(clockMHz: number, line: UartLine = DEFAULT_UART_LINE): UartClocks {
  const exact = (clockMHz * 1e6) / line.baud;
  const clksPerBit = Math.max(1, Math.round(exact));
  return {
    clksPerBit,
    bitErrorPct: (Math.abs(clksPerBit - exact) / exact) * 100,
    timeoutClks: Math.round(clockMHz * 1000 * line.frameTimeoutMs),
  };
}

/** Why a line rate does not work with a core clock, or undefined when it does (divisor and bit-time error). */
export function uartLineProblem(clockMHz: number, baud: number): string | undefined {
  const { clksPerBit, bitErrorPct } = uartClocks(clockMHz, { baud, frameTimeoutMs: UART_TIMEOUT_MS });
  if (clksPerBit < UART_MIN_CLKS_PER_BIT) {
    return `${baud} baud needs at least ${UART_MIN_CLKS_PER_BIT} core clock cycles per bit; ${clockMHz} MHz gives ${((clockMHz * 1e6) / baud).toFixed(2)}`;
  }
  if (bitErrorPct >= UART_MAX_BIT_ERROR_PCT) {
    return `${baud} baud is ${bitErrorPct.toFixed(2)} % off at ${clockMHz} MHz (${clksPerBit} cycles per bit); the limit is ${UART_MAX_BIT_ERROR_PCT} %`;
  }
  return undefined;
}

/**
 * Deltas per second a line can carry, back to back, by frame kind: single ACCUM frames, or BATCH frames of `batch`
 * deltas. This is the line's ceiling, computed from the frame sizes, not a measurement.
 */
export function lineLimit(baud: number, width: number, batch: number | 'single'): number {
  const bytesPerSecond = baud / UART_BYTE_BITS;
  if (batch === 'single') return bytesPerSecond / frameBytes(opcodeByLetter('A'), width);
  return (bytesPerSecond * batch) / frameBytes(opcodeByLetter('B'), width, batch);
}

// ---- INFO and COUNTERS ---------------------------------------------------------------------------------------------

/** INFO's mode byte is the index in this list. */
export const INFO_MODES = ['round-robin', 'parallel'] as const;
export type InfoMode = (typeof INFO_MODES)[number];

/** INFO reply, in order, big-endian. */
export const INFO_FIELDS = [
  { name: 'protocol', bytes: 1 },
  { name: 'versionMajor', bytes: 1 },
  { name: 'versionMinor', bytes: 1 },
  { name: 'versionPatch', bytes: 1 },
  { name: 'width', bytes: 2 },
  { name: 'banks', bytes: 2 },
  { name: 'mode', bytes: 1 }, // INFO_MODES: 0 round-robin, 1 parallel
  { name: 'pipeline', bytes: 1 }, // merge-tree register stages
  // the line: 0 without a UART; the AXI4-Lite map's INFO registers stop before these (LINE_INFO_FIELDS)
  { name: 'frameTimeoutMs', bytes: 2 }, // the UART frame timeout
  { name: 'baud', bytes: 4 }, // the UART line rate
] as const;

/** The INFO fields about the UART line, last in the reply. */
export const LINE_INFO_FIELDS: readonly InfoFieldName[] = ['frameTimeoutMs', 'baud'];

export type InfoFieldName = (typeof INFO_FIELDS)[number]['name'];

export const INFO_BYTES = INFO_FIELDS.reduce((n, f) => n + f.bytes, 0);
export const COUNTERS_BYTES = 2 * (COUNTER_BITS / 8);

/** What INFO says: the design on the device. */
export interface InfoReply {
  readonly protocol: number;
  /** atomik-gen version that generated the design, "major.minor.patch". */
  readonly version: string;
  readonly width: number;
  readonly banks: number;
  readonly mode: InfoMode;
  /** Merge-tree register stages. */
  readonly pipeline: number;
  /** The UART frame timeout in ms (0: the design has no UART). */
  readonly frameTimeoutMs: number;
  /** The UART line rate (0: the design has no UART). */
  readonly baud: number;
}

/** The INFO reply's bytes. A value that does not fit its field is an error, never truncated. */
export function encodeInfo(info: InfoReply): number[] {
  const [major = 0, minor = 0, patch = 0] = info.version.split('.').map((x) => Number.parseInt(x, 10));
  const values: Record<InfoFieldName, number> = {
    protocol: info.protocol,
    versionMajor: major,
    versionMinor: minor,
    versionPatch: patch,
    width: info.width,
    banks: info.banks,
    mode: INFO_MODES.indexOf(info.mode),
    pipeline: info.pipeline,
    frameTimeoutMs: info.frameTimeoutMs,
    baud: info.baud,
  };
  return INFO_FIELDS.flatMap((f) => {
    const v = values[f.name];
    if (!Number.isInteger(v) || v < 0 || v >= 256 ** f.bytes) throw new RangeError(`INFO field ${f.name} is ${v}: it takes a whole number that fits in ${f.bytes} byte(s)`);
    return toBigEndian(v, f.bytes);
  });
}

/** An INFO reply, field by field. */
export function decodeInfo(bytes: ArrayLike<number>): InfoReply {
  if (bytes.length !== INFO_BYTES) throw new Error(`INFO is ${INFO_BYTES} bytes, got ${bytes.length}`);
  const all = Array.from(bytes);
  const values = {} as Record<InfoFieldName, number>;
  let at = 0;
  for (const field of INFO_FIELDS) {
    values[field.name] = fromBigEndianNumber(all.slice(at, at + field.bytes));
    at += field.bytes;
  }
  const mode = INFO_MODES[values.mode];
  if (mode === undefined) throw new Error(`INFO mode byte is ${values.mode}, expected ${INFO_MODES.map((m, i) => `${i} (${m})`).join(' or ')}`);
  return {
    protocol: values.protocol,
    version: `${values.versionMajor}.${values.versionMinor}.${values.versionPatch}`,
    width: values.width,
    banks: values.banks,
    mode,
    pipeline: values.pipeline,
    frameTimeoutMs: values.frameTimeoutMs,
    baud: values.baud,
  };
}

/** What COUNTERS says: cycles and deltas since reset (COUNTER_BITS each, wrapping). */
export interface CountersReply {
  /** Core clock cycles since reset. */
  readonly cycles: bigint;
  /** Deltas accepted since reset. */
  readonly deltas: bigint;
}

/** A COUNTERS reply: the cycle counter, then the delta counter, each big-endian. */
export function decodeCounters(bytes: ArrayLike<number>): CountersReply {
  if (bytes.length !== COUNTERS_BYTES) throw new RangeError(`a COUNTERS reply has ${COUNTERS_BYTES} bytes, got ${bytes.length}`);
  const all = Array.from(bytes);
  const half = COUNTERS_BYTES / 2;
  return { cycles: fromBigEndian(all.slice(0, half)), deltas: fromBigEndian(all.slice(half)) };
}

// ---- frames --------------------------------------------------------------------------------------------------------

export function payloadBytes(width: number): number {
  return Math.ceil(width / 8);
}

const BY_LETTER = new Map(OPCODES.map((o) => [o.letter, o]));
const BY_BYTE = new Map(OPCODES.map((o) => [o.byte, o]));

function noOpcode(what: string): never {
  throw new Error(`${what} is not an opcode of the host protocol (opcodes: ${OPCODES.map((o) => o.letter).join(' ')})`);
}

export function opcodeByLetter(letter: string): Opcode {
  return BY_LETTER.get(letter) ?? noOpcode(`"${letter}"`);
}

export function opcodeByByte(byte: number): Opcode {
  return BY_BYTE.get(byte) ?? noOpcode(`byte 0x${byte.toString(16).padStart(2, '0')}`);
}

/** Is `byte` an opcode of the table? (A receiver ignores one that is not, where an opcode is expected.) */
export function isOpcodeByte(byte: number): boolean {
  return BY_BYTE.has(byte);
}

/** The operation's name, from its summary in the table: "READ", "SWAP-KEEP". */
export function opcodeName(op: Opcode): string {
  return op.summary.split(':')[0]!;
}

/** Bytes of one frame of `op` for a width: the opcode, then its payload if it has one (a counted frame: the count byte and `count` payloads). */
export function frameBytes(op: Opcode, width: number, count = 1): number {
  if (op.counted) return 2 + count * payloadBytes(width);
  return 1 + (op.payload ? payloadBytes(width) : 0);
}

/** A frame: the opcode byte, then (with a payload) `value` big-endian in ceil(W/8) bytes, bits above those dropped. */
export function encodeFrame(op: Opcode | string, width: number, value = 0n): number[] {
  const o = typeof op === 'string' ? opcodeByLetter(op) : op;
  if (o.counted) return encodeBatch(width, [value]);
  return o.payload ? [o.byte, ...toBigEndian(value, payloadBytes(width))] : [o.byte];
}

/** A BATCH frame: the opcode, the count, then each delta big-endian in ceil(W/8) bytes. At most MAX_BATCH deltas. */
export function encodeBatch(width: number, deltas: readonly bigint[]): number[] {
  if (deltas.length > MAX_BATCH) throw new RangeError(`a BATCH frame carries at most ${MAX_BATCH} deltas, got ${deltas.length}`);
  const P = payloadBytes(width);
  return [opcodeByLetter('B').byte, deltas.length, ...deltas.flatMap((d) => toBigEndian(d, P))];
}

/** Reply length of a kind of reply for a width. */
export function replyBytes(kind: ReplyKind, width: number): number {
  switch (kind) {
    case 'none':
      return 0;
    case 'state':
    case 'reference':
      return payloadBytes(width);
    case 'clean':
    case 'sync':
      return 1;
    case 'info':
      return INFO_BYTES;
    case 'counters':
      return COUNTERS_BYTES;
  }
}
