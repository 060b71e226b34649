// AtomikDevice against a fake board (a DeviceTransport that speaks the protocol from generator/protocol/uart.ts with the
// golden model behind it): encoding, one request at a time, and every way a reply can go wrong. No tools needed; the
// same driver against the real RTL is host/device.tools.test.ts.
import { describe, expect, it } from 'vitest';
import { fromBigEndian, toBigEndian as be } from '../generator/protocol/codec.js';
import {
  COUNTER_BITS,
  decodeInfo,
  encodeInfo,
  INFO_BYTES,
  INFO_MODES,
  isOpcodeByte,
  OPCODES,
  opcodeByByte,
  payloadBytes,
  replyBytes,
  STATUS_CLEAN,
  SYNC_REPLY,
} from '../generator/protocol/uart.js';
import { AtomikContext } from '../verify/core/model.js';
import { AtomikDevice, checkWord, commandName, DeviceError, type DeviceTransport } from './device.js';

/** A board in a few lines: parses frames, answers from the model; `tamper` can change a reply before it is sent. */
class FakeBoard implements DeviceTransport {
  readonly description = 'fake';
  readonly model: AtomikContext;
  readonly written: number[] = [];
  tamper: ((letter: string, reply: number[]) => number[] | undefined) | undefined;
  silent = false;
  private dataListener: ((chunk: Uint8Array) => void) | undefined;
  private closeListener: ((error?: Error) => void) | undefined;
  private pending: number[] = [];
  private deltas = 0n;
  private cycles = 1000n;

  constructor(readonly width: number, readonly info = { banks: 4, mode: 0, pipeline: 1 }) {
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

  private run(): void {
    const P = payloadBytes(this.width);
    for (;;) {
      if (this.pending.length === 0) return;
      if (!isOpcodeByte(this.pending[0]!)) {
        this.pending.shift();
        continue;
      }
      const op = opcodeByByte(this.pending[0]!);
      const need = 1 + (op.payload ? P : 0);
      if (this.pending.length < need) return;
      const frame = this.pending.splice(0, need);
      const value = fromBigEndian(frame.slice(1));
      this.cycles += 100n;
      let reply: number[] = [];
      const m = this.model;
      switch (op.letter) {
        case 'L': m.load(value); break;
        case 'A': case 'U': m.accum(value); this.deltas++; break;
        case 'R': reply = be(m.read(), P); break;
        case 'S': reply = [m.isClean() ? STATUS_CLEAN : 0]; break;
        case 'D': reply = be(m.reference, P); break;
        case 'W': reply = be(m.swap(value), P); break;
        case 'K': reply = be(m.swap(), P); break;
        case 'I': reply = encodeInfo({ protocol: 1, version: '0.1.0', width: this.width, banks: this.info.banks, mode: INFO_MODES[this.info.mode]!, pipeline: this.info.pipeline }); break;
        case 'C': reply = [...be(this.cycles, COUNTER_BITS / 8), ...be(this.deltas, COUNTER_BITS / 8)]; break;
        case 'P': reply = [SYNC_REPLY]; break;
      }
      expect(reply.length).toBe(replyBytes(op.reply, this.width));
      const out = this.tamper?.(op.letter, reply) ?? reply;
      if (!this.silent && out.length > 0) this.send(out);
    }
  }
}

async function connect(width = 64, opts: { timeoutMs?: number } = {}) {
  const board = new FakeBoard(width);
  const device = await AtomikDevice.connect(board, { width, timeoutMs: opts.timeoutMs ?? 200 });
  return { board, device };
}

describe('protocol helpers', () => {
  it('names commands from the opcode table', () => {
    expect(OPCODES.map(commandName)).toContain('READ (R)');
    expect(OPCODES.map(commandName)).toContain('SWAP-KEEP (K)');
  });

  it('parses INFO field by field', () => {
    const info = decodeInfo(Uint8Array.from([1, 0, 2, 3, 0, 128, 1, 0, 1, 5]));
    expect(info).toEqual({ protocol: 1, version: '0.2.3', width: 128, banks: 256, mode: 'parallel', pipeline: 5 });
    expect(INFO_BYTES).toBe(10);
    expect(encodeInfo(info)).toEqual([1, 0, 2, 3, 0, 128, 1, 0, 1, 5]);
    expect(() => decodeInfo(Uint8Array.from([1, 0, 2, 3, 0, 128, 1, 0, 7, 5]))).toThrow(/mode byte is 7/);
    expect(() => decodeInfo([1, 0, 2])).toThrow(/INFO is 10 bytes, got 3/);
    expect(() => encodeInfo({ ...info, banks: 65536 })).toThrow(/banks is 65536/);
  });

  it('checks words against the width instead of truncating them', () => {
    expect(checkWord(255n, 8, 'v')).toBe(255n);
    expect(() => checkWord(256n, 8, 'v')).toThrow(/0x100 is wider than the 8-bit design/);
    expect(() => checkWord(-1n, 8, 'v')).toThrow(/negative/);
    expect(() => checkWord(1 as unknown as bigint, 8, 'v')).toThrow(TypeError);
  });
});

describe('AtomikDevice against a fake board', () => {
  it('encodes payloads big-endian in ceil(W/8) bytes and decodes replies', async () => {
    const { board, device } = await connect(12);
    board.written.length = 0;
    await device.load(0xabcn);
    expect(board.written).toEqual([0x4c, 0x0a, 0xbc]);
    await device.accum(0x00fn);
    expect(await device.read()).toBe(0xab3n);
    expect(await device.reference()).toBe(0xabcn);
    expect(await device.status()).toEqual({ clean: false });
    expect(await device.swap()).toBe(0xab3n);
    expect(await device.swap(0x123n)).toBe(0xab3n);
    expect(await device.read()).toBe(0x123n);
    await device.rollback(0x1n);
    expect(await device.counters()).toMatchObject({ deltas: 2n });
  });

  it('queues concurrent calls: one request at a time, replies in order', async () => {
    const { board, device } = await connect();
    const calls = [device.load(5n), device.accum(3n), device.read(), device.status(), device.accumMany([1n, 2n, 4n]), device.read(), device.sync()];
    const results = await Promise.all(calls);
    expect(results[2]).toBe(6n);
    expect(results[3]).toEqual({ clean: false });
    expect(results[5]).toBe(6n ^ 7n);
    expect(board.model.read()).toBe(1n);
  });

  it('accumMany sends every frame in one write followed by SYNC', async () => {
    const { board, device } = await connect(8);
    board.written.length = 0;
    await device.accumMany([1n, 2n, 3n]);
    expect(board.written).toEqual([0x41, 1, 0x41, 2, 0x41, 3, 0x50]);
  });

  it('a short reply times out naming the command and the bytes received, then recovers', async () => {
    const { board, device } = await connect(64, { timeoutMs: 50 });
    await device.load(0x0102030405060708n);
    board.tamper = (letter, reply) => (letter === 'R' ? reply.slice(0, 3) : undefined);
    const err = (await device.read().catch((e: unknown) => e)) as DeviceError;
    expect(err).toBeInstanceOf(DeviceError);
    expect(err.kind).toBe('timeout');
    expect(err.message).toMatch(/no complete reply to READ \(R\) within \d+ ms: expected 8 byte\(s\), received 3: 01 02 03/);
    expect([...err.received]).toEqual([1, 2, 3]);
    board.tamper = undefined;
    expect(await device.read()).toBe(0x0102030405060708n);
  });

  it('a long reply is a framing error; the next request re-synchronizes first', async () => {
    const { board, device } = await connect(16);
    board.tamper = (letter, reply) => (letter === 'R' ? [...reply, 0x99] : undefined);
    // the extra byte arrives in the same chunk: seen at once
    await expect(device.read()).rejects.toThrow(/reply to READ \(R\) is longer than expected: expected 2 byte\(s\), received 3: 00 00 99/);
    board.tamper = undefined;
    await device.load(7n);
    expect(await device.read()).toBe(7n);
  });

  it('bytes arriving between requests are reported with the command they followed', async () => {
    const { board, device } = await connect(8);
    expect(await device.read()).toBe(0n);
    board.send([0x42]);
    await new Promise((r) => setTimeout(r, 20));
    await expect(device.status()).rejects.toThrow(/1 unexpected byte\(s\) arrived after READ \(R\), before STATUS \(S\): 42/);
    expect(await device.status()).toEqual({ clean: true });
  });

  it('rejects a status byte and a SYNC reply the protocol does not have', async () => {
    const { board, device } = await connect(8);
    board.tamper = (letter) => (letter === 'S' ? [0x11] : undefined);
    await expect(device.status()).rejects.toThrow(/bad reply to STATUS \(S\): status byte 0x11/);
    board.tamper = undefined;
    expect(await device.status()).toEqual({ clean: true });
    board.tamper = (letter) => (letter === 'P' ? [0x51] : undefined);
    await expect(device.sync()).rejects.toThrow(/bad reply to SYNC \(P\): expected the SYNC reply 0x50 \(received 51\)/);
  });

  it('rejects a state reply with bits above the width', async () => {
    const { board, device } = await connect(12);
    board.tamper = (letter) => (letter === 'R' ? [0xf0, 0x00] : undefined);
    await expect(device.read()).rejects.toThrow(/bits set above the 12-bit width/);
  });

  it('open fails clearly when nothing answers, and when the design differs', async () => {
    const mute = new FakeBoard(64);
    mute.silent = true;
    await expect(AtomikDevice.connect(mute, { width: 64, timeoutMs: 30 })).rejects.toThrow(/no ATOMiK device answers: /);
    await expect(AtomikDevice.connect(new FakeBoard(32), { width: 64, timeoutMs: 50 })).rejects.toThrow(/not the expected design: width 32, expected 64/);
    await expect(AtomikDevice.connect(new FakeBoard(64), { width: 64, mode: 'parallel', timeoutMs: 50 })).rejects.toThrow(/mode round-robin, expected parallel/);
    const device = await AtomikDevice.connect(new FakeBoard(24), { timeoutMs: 50 });
    expect(device.width).toBe(24);
    expect(device.design).toMatchObject({ width: 24, banks: 4, mode: 'round-robin', version: '0.1.0' });
  });

  it('a port that goes away fails the waiting request and every later one', async () => {
    const { board, device } = await connect(8, { timeoutMs: 1000 });
    board.silent = true;
    const pending = device.read();
    board.unplug();
    await expect(pending).rejects.toThrow(/the serial port closed: device disconnected/);
    await expect(device.status()).rejects.toThrow(/serial port closed/);
  });
});
