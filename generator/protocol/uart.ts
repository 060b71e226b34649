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
  readonly action: CoreAction;
  readonly reply: ReplyKind;
  readonly published: boolean;
  readonly summary: string;
}

function op(letter: string, payload: boolean, action: CoreAction, reply: ReplyKind, published: boolean, summary: string): Opcode {
  return { letter, byte: letter.charCodeAt(0), payload, action, reply, published, summary };
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
];

/** Value of the STATUS reply when the accumulator is zero. */
export const STATUS_CLEAN = 0x80;
/** Reply byte of SYNC. */
export const SYNC_REPLY = 0x50;
/** Width of the on-chip counters, in bits. */
export const COUNTER_BITS = 48;
/** The counters wrap: a difference of two readings, masked with this, is the count between them. */
export const COUNTER_MASK = (1n << BigInt(COUNTER_BITS)) - 1n;
/** Version of this protocol, reported by INFO. */
export const PROTOCOL_VERSION = 1;

// ---- the line ------------------------------------------------------------------------------------------------------

/** UART line rate of the host protocol, 8N1. */
export const UART_BAUD = 115200;
/** Bits one byte takes on the line: start, 8 data, stop. */
export const UART_BYTE_BITS = 10;
/** A partial frame with no new byte for this long is dropped. */
export const UART_TIMEOUT_MS = 10;
/** Depth of the device's received-byte FIFO. */
export const UART_FIFO_DEPTH = 32;

/** Core clock cycles per bit at the protocol's baud, and the inter-byte timeout in cycles, for a core clock. */
export function uartClocks(clockMHz: number): { clksPerBit: number; timeoutClks: number } {
  return { clksPerBit: Math.round((clockMHz * 1e6) / UART_BAUD), timeoutClks: Math.round(clockMHz * 1000 * UART_TIMEOUT_MS) };
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
] as const;

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

/** Bytes of one frame of `op` for a width: the opcode, then its payload if it has one. */
export function frameBytes(op: Opcode, width: number): number {
  return 1 + (op.payload ? payloadBytes(width) : 0);
}

/** A frame: the opcode byte, then (with a payload) `value` big-endian in ceil(W/8) bytes, bits above those dropped. */
export function encodeFrame(op: Opcode | string, width: number, value = 0n): number[] {
  const o = typeof op === 'string' ? opcodeByLetter(op) : op;
  return o.payload ? [o.byte, ...toBigEndian(value, payloadBytes(width))] : [o.byte];
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
