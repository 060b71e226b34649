// The host protocol as a model: what arrives on the board's uart_rx in, the reply bytes the board must send out.
// Built on AtomikContext (the algebra) and generator/protocol/uart.ts (the opcode table, the line settings and the
// codecs), so it shares no code with the RTL it checks. It follows docs/ARCHITECTURE.md, "UART host":
// - a frame is an opcode byte and, for opcodes with a payload, ceil(W/8) payload bytes, most significant first, bits
//   above W ignored; replies are big-endian, a W-bit value right-aligned in ceil(W/8) bytes;
// - a counted frame (BATCH) is the opcode, a count byte n, then n values of ceil(W/8) bytes; each value is carried out
//   as it completes (n = 0: the frame ends at the count byte);
// - a byte that is not an opcode where an opcode is expected is ignored;
// - a byte with a low stop bit is dropped, and drops a partial frame;
// - a partial frame left without a new byte for longer than the inter-byte timeout is dropped.
// A dropped counted frame keeps the values it completed; only the value under way is lost.
import type { Design } from '../../generator/design/design.js';
import { GENERATOR_VERSION } from '../../generator/common/version.js';
import { fromBigEndian, toBigEndian } from '../../generator/protocol/codec.js';
import {
  COUNTER_MASK,
  COUNTERS_BYTES,
  PROTOCOL_VERSION,
  STATUS_CLEAN,
  SYNC_REPLY,
  UART_BYTE_BITS,
  decodeCounters,
  encodeInfo,
  isOpcodeByte,
  opcodeByByte,
  payloadBytes,
  uartClocks,
  type Opcode,
} from '../../generator/protocol/uart.js';
import { AtomikContext } from '../core/model.js';

export { encodeFrame } from '../../generator/protocol/uart.js';

/** What the line carries, as the receiver sees it. */
export type LineEvent =
  /** A byte with a good stop bit. */
  | { readonly kind: 'byte'; readonly value: number }
  /** A byte whose stop bit is low (a framing error). */
  | { readonly kind: 'bad-stop'; readonly value: number }
  /** The line idle (high) for `cycles` core clock cycles. */
  | { readonly kind: 'idle'; readonly cycles: number };

/** A reply the board must send. */
export interface ExpectedReply {
  readonly opcode: Opcode;
  /** Reply length in bytes. */
  readonly length: number;
  /** The exact bytes, or null for COUNTERS, whose cycle counter depends on timing (see `counters`). */
  readonly bytes: readonly number[] | null;
  /** COUNTERS only: deltas accepted since reset, exactly (every earlier frame has been carried out when it is sampled). */
  readonly counters?: { readonly deltaCount: bigint };
}

/** UART timing of a design, as its host interface is rendered (generator/protocol/uart.ts `uartClocks`). */
export interface UartTiming {
  /** Core clock cycles per bit. */
  readonly clksPerBit: number;
  /** Cycles per 8N1 byte (10 bits). */
  readonly byteCycles: number;
  /** Inter-byte timeout, cycles. */
  readonly timeoutClks: number;
}

export function uartTiming(design: Design): UartTiming {
  const { clksPerBit, timeoutClks } = uartClocks(design.clockMHz, design);
  return { clksPerBit, byteCycles: UART_BYTE_BITS * clksPerBit, timeoutClks };
}

/**
 * The board's host interface as seen from the line: feed it line events in order, get the replies they complete.
 * Idle time only matters inside a frame: at least `timeoutClks` drops the partial frame; a gap must be clearly on one
 * side of the timeout (see `idleDropsFrame`), or `receive` throws rather than guess.
 */
export class HostModel {
  readonly width: number;
  readonly timing: UartTiming;
  /** The core's state, by the algebra. */
  readonly context: AtomikContext;
  private readonly info: readonly number[];
  private readonly valueBytes: number;
  private readonly mask: bigint;
  /** The frame under way: its opcode, the values still to come (null: the count byte is next) and the current value's bytes. */
  private frame: { readonly op: Opcode; values: number | null; readonly payload: number[] } | null = null;
  private deltas = 0n;
  private errors = 0;

  constructor(design: Design) {
    this.width = design.width;
    this.timing = uartTiming(design);
    this.context = new AtomikContext(design.width);
    this.info = encodeInfo({ ...design, protocol: PROTOCOL_VERSION, version: GENERATOR_VERSION });
    this.valueBytes = payloadBytes(design.width);
    this.mask = (1n << BigInt(design.width)) - 1n;
  }

  /** A frame is partly received. */
  get midFrame(): boolean {
    return this.frame !== null;
  }

  /** Deltas (ACCUM and ROLLBACK frames, each value of a BATCH) carried out since reset; the board's delta counter. */
  get deltaCount(): bigint {
    return this.deltas;
  }

  /** Events that set the board's sticky error flag so far: framing errors and partial frames dropped by the timeout. */
  get errorEvents(): number {
    return this.errors;
  }

  /**
   * Whether the line left idle for `cycles` after a byte drops a partial frame. The timeout runs from the byte's
   * arrival (its stop bit) to the next arrival, so the gap it sees is the idle time plus about one byte. Idle times
   * within two byte times of the timeout are refused: the BFM has no business near the boundary.
   */
  idleDropsFrame(cycles: number): boolean {
    const { timeoutClks, byteCycles } = this.timing;
    if (cycles >= timeoutClks) return true;
    if (cycles + 2 * byteCycles <= timeoutClks) return false;
    throw new RangeError(`an idle time of ${cycles} cycles is too close to the ${timeoutClks}-cycle inter-byte timeout to predict`);
  }

  /** Takes one line event; returns the reply it completes, if any. */
  receive(event: LineEvent): ExpectedReply | null {
    switch (event.kind) {
      case 'idle':
        if (this.frame !== null && this.idleDropsFrame(event.cycles)) {
          this.frame = null;
          this.errors++;
        }
        return null;
      case 'bad-stop':
        this.frame = null;
        this.errors++;
        return null;
      case 'byte':
        return this.byte(event.value);
    }
  }

  private byte(value: number): ExpectedReply | null {
    if (!Number.isInteger(value) || value < 0 || value > 255) throw new RangeError(`a byte is 0..255, got ${value}`);
    const frame = this.frame;
    if (frame !== null) {
      if (frame.values === null) {
        // a counted frame's count: that many values follow, none ends the frame
        frame.values = value;
        if (value === 0) this.frame = null;
        return null;
      }
      frame.payload.push(value);
      if (frame.payload.length < this.valueBytes) return null;
      const v = fromBigEndian(frame.payload.splice(0)) & this.mask;
      if (--frame.values === 0) this.frame = null;
      return this.execute(frame.op, v);
    }
    if (!isOpcodeByte(value)) return null; // not an opcode: ignored
    const op = opcodeByByte(value);
    if (op.payload) {
      this.frame = { op, values: op.counted ? null : 1, payload: [] };
      return null;
    }
    return this.execute(op, 0n);
  }

  /** Carries out a complete frame, or one value of a counted frame (uart.ts: its action, then its reply). */
  private execute(op: Opcode, value: bigint): ExpectedReply | null {
    const ctx = this.context;
    // a READ or SWAP samples the state (and whether it is clean) before the operation
    const state = ctx.read();
    const clean = ctx.isClean();
    switch (op.action) {
      case 'load':
        ctx.load(value);
        break;
      case 'accum':
        ctx.accum(value);
        this.deltas++;
        break;
      case 'swap':
        ctx.swap(value);
        break;
      case 'swap-keep':
        ctx.swap();
        break;
      case 'read':
      case 'none':
        break;
    }
    const exact = (bytes: readonly number[]): ExpectedReply => ({ opcode: op, length: bytes.length, bytes });
    switch (op.reply) {
      case 'none':
        return null;
      case 'state':
        return exact(toBigEndian(state, this.valueBytes));
      case 'clean':
        return exact([clean ? STATUS_CLEAN : 0x00]);
      case 'reference':
        return exact(toBigEndian(ctx.reference, this.valueBytes));
      case 'info':
        return exact(this.info);
      case 'sync':
        return exact([SYNC_REPLY]);
      case 'counters':
        return { opcode: op, length: COUNTERS_BYTES, bytes: null, counters: { deltaCount: this.deltas & COUNTER_MASK } };
    }
  }
}

/** A COUNTERS reply split into its two big-endian counters (generator/protocol/uart.ts `decodeCounters`). */
export function parseCounters(bytes: readonly number[]): { cycleCount: bigint; deltaCount: bigint } {
  const { cycles, deltas } = decodeCounters(bytes);
  return { cycleCount: cycles, deltaCount: deltas };
}
