// A board in a few lines, for tests of the host driver and `atomik-gen device` (not part of the package): a
// DeviceTransport that speaks the protocol from generator/protocol/uart.ts with the golden model behind it. It speaks
// protocol 2 (BATCH, the long INFO) or, with `protocol: 1`, protocol 1 as devices programmed by an older atomik-gen do
// (the short INFO; the BATCH opcode is an unknown byte, ignored like any other).
import { expect } from 'vitest';
import { fromBigEndian, toBigEndian as be } from '../generator/protocol/codec.js';
import {
  COUNTER_BITS,
  encodeInfo,
  INFO_MODES,
  isOpcodeByte,
  opcodeByByte,
  payloadBytes,
  PROTOCOL_VERSION,
  replyBytes,
  STATUS_CLEAN,
  SYNC_REPLY,
  UART_BAUD,
  UART_TIMEOUT_MS,
} from '../generator/protocol/uart.js';
import { AtomikContext } from '../verify/core/model.js';
import { PROTOCOL_1, type DeviceTransport } from '../host/device.js';

export interface FakeBoardInfo {
  readonly banks: number;
  readonly mode: number;
  readonly pipeline: number;
  readonly protocol: number;
  readonly baud: number;
  readonly frameTimeoutMs: number;
}

/** Core cycles the fake's cycle counter advances per frame. */
export const FAKE_CYCLES_PER_FRAME = 100n;

/** Parses frames, answers from the model; `tamper` can change a reply before it is sent. */
export class FakeBoard implements DeviceTransport {
  readonly description = 'fake';
  readonly model: AtomikContext;
  readonly written: number[] = [];
  readonly info: FakeBoardInfo;
  /** The opcode letters of the frames carried out, in order. */
  readonly frames: string[] = [];
  tamper: ((letter: string, reply: number[]) => number[] | undefined) | undefined;
  silent = false;
  private dataListener: ((chunk: Uint8Array) => void) | undefined;
  private closeListener: ((error?: Error) => void) | undefined;
  private pending: number[] = [];
  private deltas = 0n;
  private cycles = 1000n;

  constructor(
    readonly width: number,
    info: Partial<FakeBoardInfo> = {},
  ) {
    const protocol = info.protocol ?? PROTOCOL_VERSION;
    const line = protocol === PROTOCOL_1.version ? { baud: PROTOCOL_1.baud, frameTimeoutMs: PROTOCOL_1.frameTimeoutMs } : { baud: UART_BAUD, frameTimeoutMs: UART_TIMEOUT_MS };
    this.info = { banks: 4, mode: 0, pipeline: 1, protocol, ...line, ...info };
    this.model = new AtomikContext(width);
  }

  write(bytes: Uint8Array): Promise<void> {
    this.written.push(...bytes);
    this.pending.push(...bytes);
    this.run();
    return Promise.resolve();
  }
  discardInput(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
  onData(listener: (chunk: Uint8Array) => void): void {
    this.dataListener = listener;
  }
  onClose(listener: (error?: Error) => void): void {
    this.closeListener = listener;
  }
  unplug(): void {
    this.closeListener?.(new Error('device disconnected'));
  }
  send(bytes: number[]): void {
    setTimeout(() => this.dataListener?.(Uint8Array.from(bytes)), 1);
  }

  private infoReply(): number[] {
    const i = this.info;
    const full = encodeInfo({ protocol: i.protocol, version: '0.1.0', width: this.width, banks: i.banks, mode: INFO_MODES[i.mode]!, pipeline: i.pipeline, frameTimeoutMs: i.frameTimeoutMs, baud: i.baud });
    return i.protocol === PROTOCOL_1.version ? full.slice(0, PROTOCOL_1.infoBytes) : full;
  }

  private run(): void {
    const P = payloadBytes(this.width);
    for (;;) {
      if (this.pending.length === 0) return;
      const first = this.pending[0]!;
      if (!isOpcodeByte(first) || (this.info.protocol < PROTOCOL_VERSION && opcodeByByte(first).counted)) {
        this.pending.shift();
        continue;
      }
      const op = opcodeByByte(first);
      if (op.counted && this.pending.length < 2) return;
      const need = op.counted ? 2 + this.pending[1]! * P : 1 + (op.payload ? P : 0);
      if (this.pending.length < need) return;
      const frame = this.pending.splice(0, need);
      const value = fromBigEndian(frame.slice(1));
      this.frames.push(op.letter);
      this.cycles += FAKE_CYCLES_PER_FRAME;
      let reply: number[] = [];
      const m = this.model;
      switch (op.letter) {
        case 'L': m.load(value); break;
        case 'A': case 'U': m.accum(value); this.deltas++; break;
        case 'B':
          for (let i = 2; i < frame.length; i += P) {
            m.accum(fromBigEndian(frame.slice(i, i + P)));
            this.deltas++;
          }
          break;
        case 'R': reply = be(m.read(), P); break;
        case 'S': reply = [m.isClean() ? STATUS_CLEAN : 0]; break;
        case 'D': reply = be(m.reference, P); break;
        case 'W': reply = be(m.swap(value), P); break;
        case 'K': reply = be(m.swap(), P); break;
        case 'I': reply = this.infoReply(); break;
        case 'C': reply = [...be(this.cycles, COUNTER_BITS / 8), ...be(this.deltas, COUNTER_BITS / 8)]; break;
        case 'P': reply = [SYNC_REPLY]; break;
      }
      if (op.letter !== 'I') expect(reply.length).toBe(replyBytes(op.reply, this.width));
      const out = this.tamper?.(op.letter, reply) ?? reply;
      if (!this.silent && out.length > 0) this.send(out);
    }
  }
}
