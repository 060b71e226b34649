// The host protocol: one table, the single source for the RTL templates, the docs and the host library.
// Opcodes L, A, R, S, D are the published ones (wire-compatible); the rest use byte values the published tops ignore.

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
/** Version of this protocol, reported by INFO. */
export const PROTOCOL_VERSION = 1;

/** INFO reply, in order, big-endian. */
export const INFO_FIELDS = [
  { name: 'protocol', bytes: 1 },
  { name: 'versionMajor', bytes: 1 },
  { name: 'versionMinor', bytes: 1 },
  { name: 'versionPatch', bytes: 1 },
  { name: 'width', bytes: 2 },
  { name: 'banks', bytes: 2 },
  { name: 'mode', bytes: 1 }, // 0 round-robin, 1 parallel
  { name: 'pipeline', bytes: 1 }, // merge-tree register stages
] as const;

export const INFO_BYTES = INFO_FIELDS.reduce((n, f) => n + f.bytes, 0);
export const COUNTERS_BYTES = 2 * (COUNTER_BITS / 8);

export function payloadBytes(width: number): number {
  return Math.ceil(width / 8);
}

export function opcodeByLetter(letter: string): Opcode {
  const found = OPCODES.find((o) => o.letter === letter);
  if (!found) throw new Error(`no opcode ${letter}`);
  return found;
}
