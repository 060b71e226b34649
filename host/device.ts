// AtomikDevice: the host side of the UART protocol (generator/protocol/uart.ts) for a generated ATOMiK core.
//
// - Values are bigint words of the design's width; one wider than the width is an error, never truncated.
//   Payloads and replies are big-endian, ceil(W/8) bytes.
// - One request at a time: calls queue behind each other, and each waits for its reply before the next is sent.
// - Every reply has a deadline (timeoutMs plus the time its frames take on the line); a late, short or long reply is a
//   DeviceError naming the command and the bytes received. After one, the driver recovers before the next request:
//   it waits for the line to go quiet (long enough for the device to drop any partial frame), drains the input, sends
//   SYNC and waits for its reply, which the device sends only after everything queued before it.
// - Writes (load, accum, rollback) resolve once the bytes are handed to the port; `sync()` (or any request with a
//   reply) confirms the device carried them out, since the device executes frames in order.
// - Protocols 1 and 2 (INFO says which). Protocol 2 added BATCH, which `accumMany` uses, and the line's rate and frame
//   timeout at the end of INFO. Protocol 1 (a device programmed by an older atomik-gen) has neither: its INFO reply is
//   the same fields without the last two, its line is fixed at 115200 baud with a 10 ms frame timeout, and
//   `accumMany` sends it single ACCUM frames. The driver tells them apart by INFO's first byte, the protocol, and then
//   waits for that protocol's length.
import type { SerialPort } from 'serialport';
import { AtomikError } from '../generator/common/errors.js';
import { fromBigEndian, hexBytes, toBigEndian } from '../generator/protocol/codec.js';
import {
  COUNTERS_BYTES,
  INFO_BYTES,
  INFO_FIELDS,
  MAX_BATCH,
  PROTOCOL_VERSION,
  STATUS_CLEAN,
  SYNC_REPLY,
  UART_BAUD,
  UART_BYTE_BITS,
  UART_TIMEOUT_MS,
  decodeCounters,
  decodeInfo,
  encodeBatch,
  encodeFrame,
  opcodeByLetter,
  opcodeName,
  replyBytes,
  type CountersReply,
  type InfoMode,
  type InfoReply,
  type Opcode,
} from '../generator/protocol/uart.js';

export type DeviceMode = InfoMode;

export interface DeviceOptions {
  /** The design's word width in bits. Checked against the device; when omitted, the device's own width is used. */
  readonly width?: number;
  /** Expected bank count; checked against the device when given. */
  readonly banks?: number;
  /** Expected mode; checked against the device when given. */
  readonly mode?: DeviceMode;
  /** Line rate, default 115200 (the rate the generated host interface is built for). */
  readonly baud?: number;
  /** How long a reply may take beyond its frames' line time, in ms. Default 500. */
  readonly timeoutMs?: number;
  /**
   * The device's frame timeout in ms, until its INFO says it: the recovery at open waits for the line to be quiet for
   * twice this (so the device has dropped a partial frame). Default 50 (UART_TIMEOUT_MS, the designs' default).
   */
  readonly frameTimeoutMs?: number;
}

/** How `accumMany` sends deltas: one ACCUM frame each, or BATCH frames of up to MAX_BATCH deltas (protocol 2). */
export type FrameKind = 'single' | 'batch';

/** The INFO reply: what the design on the device is. */
export type DeviceInfo = InfoReply;

/** The COUNTERS reply: cycles and deltas since reset (48 bits each, wrapping). */
export type DeviceCounters = CountersReply;

/** A byte link to a device: a serial port, or anything else that carries the protocol (tests use a fake). */
export interface DeviceTransport {
  /** For messages: the port path. */
  readonly description: string;
  /** Resolves once the bytes are handed on (written and drained). */
  write(bytes: Uint8Array): Promise<void>;
  /** Drops input the OS has buffered but not yet delivered. */
  discardInput(): Promise<void>;
  close(): Promise<void>;
  onData(listener: (chunk: Uint8Array) => void): void;
  /** The link went away (unplugged, closed by the other side). */
  onClose(listener: (error?: Error) => void): void;
}

export type DeviceErrorKind = 'timeout' | 'framing' | 'mismatch' | 'port' | 'closed';

/** A failure talking to the device: which command, what was received. */
export class DeviceError extends AtomikError {
  constructor(
    readonly kind: DeviceErrorKind,
    message: string,
    opts: { where?: string; hint?: string; cause?: unknown; command?: string; received?: Uint8Array } = {},
  ) {
    super(message, opts);
    this.name = 'DeviceError';
    this.command = opts.command;
    this.received = opts.received ?? new Uint8Array();
  }
  /** The command, e.g. "READ (R)". */
  readonly command: string | undefined;
  /** The reply bytes that did arrive. */
  readonly received: Uint8Array;
}

export const DEFAULT_TIMEOUT_MS = 500;
/** After the last byte of a recovery looks like the SYNC reply, wait this long for stragglers. */
const RECOVERY_SETTLE_MS = 20;

/** Quiet time before a recovery's SYNC: the device drops a partial frame after its frame timeout of silence. */
function recoveryQuietMs(frameTimeoutMs: number): number {
  return 2 * frameTimeoutMs + 10;
}

/**
 * Protocol 1, as devices programmed by an older atomik-gen speak it: INFO ends after `pipeline`, and the line is
 * fixed (115200 baud, a 10 ms frame timeout). No BATCH.
 */
export const PROTOCOL_1 = {
  version: 1,
  infoBytes: INFO_FIELDS.slice(0, INFO_FIELDS.findIndex((f) => f.name === 'frameTimeoutMs')).reduce((n, f) => n + f.bytes, 0),
  baud: UART_BAUD,
  frameTimeoutMs: 10,
} as const;

/** The protocols this driver speaks. */
export const PROTOCOLS: readonly number[] = [PROTOCOL_1.version, PROTOCOL_VERSION];

/** Length of the INFO reply of a protocol, or undefined for one this driver does not speak. */
export function infoBytesOf(protocol: number): number | undefined {
  if (protocol === PROTOCOL_VERSION) return INFO_BYTES;
  if (protocol === PROTOCOL_1.version) return PROTOCOL_1.infoBytes;
  return undefined;
}

/** An INFO reply of protocol 2, or of protocol 1 (its line fields then are the ones protocol 1 fixed). */
export function decodeAnyInfo(bytes: ArrayLike<number>): DeviceInfo {
  if (bytes.length === PROTOCOL_1.infoBytes && bytes[0] === PROTOCOL_1.version) {
    return decodeInfo([...Array.from(bytes), ...toBigEndian(PROTOCOL_1.frameTimeoutMs, 2), ...toBigEndian(PROTOCOL_1.baud, 4)]);
  }
  return decodeInfo(bytes);
}

const OP = {
  load: opcodeByLetter('L'),
  accum: opcodeByLetter('A'),
  read: opcodeByLetter('R'),
  status: opcodeByLetter('S'),
  reference: opcodeByLetter('D'),
  rollback: opcodeByLetter('U'),
  swap: opcodeByLetter('W'),
  swapKeep: opcodeByLetter('K'),
  info: opcodeByLetter('I'),
  counters: opcodeByLetter('C'),
  sync: opcodeByLetter('P'),
  batch: opcodeByLetter('B'),
} as const;

/** "READ (R)": the opcode's name from its summary in the table, and its letter. */
export function commandName(op: Opcode): string {
  return `${opcodeName(op)} (${op.letter})`;
}

/** Checks that `value` is a bigint of at most `width` bits (0 .. 2^width - 1). */
export function checkWord(value: unknown, width: number, what: string): bigint {
  if (typeof value !== 'bigint') throw new TypeError(`${what} must be a bigint, got ${typeof value}`);
  if (value < 0n) throw new RangeError(`${what} ${value} is negative: values are unsigned ${width}-bit words`);
  if (value >> BigInt(width) !== 0n) {
    throw new RangeError(`${what} 0x${value.toString(16)} is wider than the ${width}-bit design (at most ${width} bits; values are not truncated)`);
  }
  return value;
}

export function describeInfo(info: DeviceInfo): string {
  const line = info.baud === 0 ? 'no UART' : `UART ${info.baud} baud, frame timeout ${info.frameTimeoutMs} ms`;
  const protocol = info.protocol < PROTOCOL_VERSION ? `protocol ${info.protocol} (no BATCH frames)` : `protocol ${info.protocol}`;
  return `${info.width}-bit, ${info.banks} bank(s), ${info.mode}, pipeline ${info.pipeline}, ${line}, generated by atomik-gen ${info.version}, ${protocol}`;
}

interface Waiter {
  readonly command: string;
  /** Reply bytes to wait for (the longest possible until `sizeFromFirst` has read the first byte). */
  need: number;
  /** A reply whose length its first byte tells (INFO): the length, or the error that first byte is. */
  sizeFromFirst?: ((first: number) => number | Error) | undefined;
  readonly resolve: (bytes: Uint8Array) => void;
  readonly reject: (error: Error) => void;
  timer?: NodeJS.Timeout;
}

/** The serial port transport, through the `serialport` package (loaded only when a port is opened). */
export async function openSerialTransport(path: string, baud: number): Promise<DeviceTransport> {
  let mod: typeof import('serialport');
  try {
    mod = await import('serialport');
  } catch (cause) {
    throw new AtomikError('the serialport package cannot be loaded', { where: path, hint: 'run: npm install', cause });
  }
  const port: SerialPort = new mod.SerialPort({ path, baudRate: baud, autoOpen: false });
  await new Promise<void>((resolve, reject) => {
    port.open((err) => {
      if (!err) return resolve();
      const text = err.message;
      const hint = /EACCES|permission/i.test(text)
        ? 'no permission: add yourself to the dialout group (then log in again), or check the udev rules'
        : /ENOENT|No such file/i.test(text)
          ? 'no such port: is the board plugged in? list ports with `ls /dev/ttyUSB* /dev/ttyACM*`'
          : /lock|busy/i.test(text)
            ? 'another program has the port open'
            : undefined;
      reject(new DeviceError('port', `cannot open the serial port: ${text}`, { where: path, cause: err, ...(hint ? { hint } : {}) }));
    });
  });
  return {
    description: path,
    write: (bytes) =>
      new Promise<void>((resolve, reject) => {
        port.write(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), (err) => {
          if (err) return reject(err);
          port.drain((e) => (e ? reject(e) : resolve()));
        });
      }),
    discardInput: () => new Promise<void>((resolve, reject) => port.flush((e) => (e ? reject(e) : resolve()))),
    close: () =>
      new Promise<void>((resolve) => {
        if (!port.isOpen) return resolve();
        port.close(() => resolve());
      }),
    onData: (listener) => port.on('data', (chunk: Buffer) => listener(new Uint8Array(chunk))),
    onClose: (listener) => {
      port.on('close', (err?: Error) => listener(err ?? undefined));
      port.on('error', (err: Error) => listener(err));
    },
  };
}

export class AtomikDevice {
  /** Reply deadline beyond the frames' line time, in ms; may be changed at any time. */
  timeoutMs: number;
  /** The port's line rate (the one it was opened with). */
  readonly baud: number;

  private readonly transport: DeviceTransport;
  /** The device's frame timeout: the option or the default until INFO says it. */
  private frameMs: number;
  private opened: DeviceInfo | undefined;
  /** Width values are checked against: the device's, once INFO has been read. */
  private bits: number;
  private rx: number[] = [];
  private lastRx = 0;
  private waiter: Waiter | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** The protocol may be out of step (a timeout or framing error): recover before the next request. */
  private dirty = false;
  private closed: DeviceError | undefined;
  private lastCommand = 'opening the port';
  private readonly onRx: Array<() => void> = [];

  private constructor(transport: DeviceTransport, baud: number, timeoutMs: number, width: number, frameTimeoutMs: number) {
    this.transport = transport;
    this.baud = baud;
    this.timeoutMs = timeoutMs;
    this.bits = width;
    this.frameMs = frameTimeoutMs;
    transport.onData((chunk) => this.received(chunk));
    transport.onClose((error) => this.lost(error));
  }

  /** Opens a serial port, checks that a device answers and that it is the design the caller expects. */
  static async open(path: string, opts: DeviceOptions = {}): Promise<AtomikDevice> {
    const baud = opts.baud ?? UART_BAUD;
    const transport = await openSerialTransport(path, baud);
    return AtomikDevice.connect(transport, { ...opts, baud });
  }

  /** As `open`, over any transport. Closes the transport when the device does not answer or does not match. */
  static async connect(transport: DeviceTransport, opts: DeviceOptions = {}): Promise<AtomikDevice> {
    // INFO and SYNC replies do not depend on the width, so any width will do until INFO has been read
    const device = new AtomikDevice(transport, opts.baud ?? UART_BAUD, opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, opts.width ?? 8, opts.frameTimeoutMs ?? UART_TIMEOUT_MS);
    let info: DeviceInfo;
    try {
      await transport.discardInput();
      // a previous session may have left a partial frame in the device: wait it out and fence with SYNC first
      await device.recoverNow('opening');
      info = await device.readInfo();
    } catch (err) {
      await transport.close().catch(() => undefined);
      if (err instanceof DeviceError && err.kind === 'timeout') {
        throw new DeviceError('timeout', `no ATOMiK device answers: ${err.message}`, {
          where: transport.description,
          hint: 'is the board programmed with an atomik-gen design, and is this its UART? (the published ATOMiK tops do not answer SYNC or INFO)',
          ...(err.command === undefined ? {} : { command: err.command }),
          received: err.received,
          cause: err,
        });
      }
      throw err;
    }
    const problems: string[] = [];
    if (opts.width !== undefined && info.width !== opts.width) problems.push(`width ${info.width}, expected ${opts.width}`);
    if (opts.banks !== undefined && info.banks !== opts.banks) problems.push(`${info.banks} bank(s), expected ${opts.banks}`);
    if (opts.mode !== undefined && info.mode !== opts.mode) problems.push(`mode ${info.mode}, expected ${opts.mode}`);
    if (problems.length > 0) {
      await transport.close().catch(() => undefined);
      throw new DeviceError('mismatch', `the device is not the expected design: ${problems.join('; ')}`, {
        where: transport.description,
        hint: `the device says: ${describeInfo(info)}. Program the board with the design you meant, or expect its parameters`,
      });
    }
    device.opened = info;
    device.bits = info.width;
    if (info.frameTimeoutMs > 0) device.frameMs = info.frameTimeoutMs;
    return device;
  }

  /** The design on the device, as its INFO said when it was opened. */
  get design(): DeviceInfo {
    if (!this.opened) throw new Error('internal: the device has not been opened');
    return this.opened;
  }

  /** The design's word width: every value is checked against it. */
  get width(): number {
    return this.bits;
  }

  /** Where the device is (the port path). */
  get where(): string {
    return this.transport.description;
  }

  /** The device takes BATCH frames (protocol 2 and later): `accumMany` sends them. */
  get canBatch(): boolean {
    return this.design.protocol >= PROTOCOL_VERSION;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The commands

  /** LOAD: reference = value, every bank = 0. */
  async load(value: bigint): Promise<void> {
    const v = checkWord(value, this.width, 'load value');
    return this.enqueue(() => this.send(OP.load, this.frame(OP.load, v)));
  }

  /** ACCUM: XOR a delta into the next bank. */
  async accum(delta: bigint): Promise<void> {
    const d = checkWord(delta, this.width, 'delta');
    return this.enqueue(() => this.send(OP.accum, this.frame(OP.accum, d)));
  }

  /**
   * Many deltas in one write, then a SYNC fence: resolves once the device has taken every delta. The deltas go in
   * BATCH frames of up to MAX_BATCH (255) each when the device speaks protocol 2, else in single ACCUM frames;
   * `frames` chooses (BATCH on a protocol-1 device is an error). An empty list sends nothing.
   */
  async accumMany(deltas: readonly bigint[], opts: { frames?: FrameKind } = {}): Promise<void> {
    const checked = deltas.map((d, i) => checkWord(d, this.width, `delta [${i}]`));
    return this.enqueue(async () => {
      const frames = opts.frames ?? (this.canBatch ? 'batch' : 'single');
      if (frames === 'batch' && !this.canBatch) {
        throw new DeviceError('mismatch', `the device speaks protocol ${this.design.protocol}, which has no BATCH frames`, {
          where: this.transport.description,
          command: commandName(OP.batch),
          hint: 'program the board with a design from this atomik-gen, or send single frames',
        });
      }
      if (checked.length === 0) return;
      const bytes: number[] = [];
      let command: string;
      if (frames === 'batch') {
        let count = 0;
        for (let i = 0; i < checked.length; i += MAX_BATCH, count++) bytes.push(...encodeBatch(this.width, checked.slice(i, i + MAX_BATCH)));
        command = `${checked.length} delta(s) in ${count} x ${commandName(OP.batch)} + ${commandName(OP.sync)}`;
      } else {
        for (const d of checked) bytes.push(...encodeFrame(OP.accum, this.width, d));
        command = `${checked.length} x ${commandName(OP.accum)} + ${commandName(OP.sync)}`;
      }
      bytes.push(OP.sync.byte);
      const reply = await this.request(command, Uint8Array.from(bytes), 1);
      this.checkSync(reply, commandName(OP.sync));
    });
  }

  /** ROLLBACK: undo a delta (XOR is its own inverse). */
  async rollback(delta: bigint): Promise<void> {
    const d = checkWord(delta, this.width, 'delta');
    return this.enqueue(() => this.send(OP.rollback, this.frame(OP.rollback, d)));
  }

  /** READ: reference XOR every bank. */
  read(): Promise<bigint> {
    return this.enqueue(() => this.word(OP.read));
  }

  /** STATUS: clean when the accumulator is zero (state == reference). */
  status(): Promise<{ clean: boolean }> {
    return this.enqueue(async () => {
      const name = commandName(OP.status);
      const [b = -1] = await this.request(name, this.frame(OP.status), 1);
      if (b !== STATUS_CLEAN && b !== 0) this.framing(name, `status byte 0x${b.toString(16)} is neither 0x${STATUS_CLEAN.toString(16)} nor 0x00`, [b]);
      return { clean: b === STATUS_CLEAN };
    });
  }

  /** REFERENCE: the reference register. */
  reference(): Promise<bigint> {
    return this.enqueue(() => this.word(OP.reference));
  }

  /**
   * SWAP: returns the state, then the reference becomes `value` (SWAP, `W`) or, without one, the state itself
   * (SWAP-KEEP, `K`); the accumulator becomes zero either way.
   */
  async swap(value?: bigint): Promise<bigint> {
    if (value === undefined) return this.enqueue(() => this.word(OP.swapKeep));
    const v = checkWord(value, this.width, 'swap value');
    return this.enqueue(() => this.word(OP.swap, v));
  }

  /** INFO: the design on the device (also read once at open: `design`). */
  info(): Promise<DeviceInfo> {
    return this.enqueue(() => this.readInfo());
  }

  /** COUNTERS: cycles and deltas since reset. */
  counters(): Promise<DeviceCounters> {
    return this.enqueue(async () => {
      return decodeCounters(await this.request(commandName(OP.counters), this.frame(OP.counters), COUNTERS_BYTES));
    });
  }

  /** SYNC: resolves once the device has carried out every earlier frame. */
  sync(): Promise<void> {
    return this.enqueue(async () => {
      const name = commandName(OP.sync);
      this.checkSync(await this.request(name, this.frame(OP.sync), 1), name);
    });
  }

  /** Waits out the line, drains the input and re-synchronizes with SYNC (done automatically after a failure). */
  recover(): Promise<void> {
    return this.enqueue(() => this.recoverNow('asked'), false);
  }

  /** Closes the port once the queued requests are done. */
  close(): Promise<void> {
    return this.enqueue(async () => {
      this.closed = new DeviceError('closed', 'the device was closed', { where: this.transport.description });
      await this.transport.close();
    }, false);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // Internals

  /** The link went away under us. */
  private lost(error?: Error): void {
    if (this.closed) return;
    this.closed = new DeviceError('port', `the serial port closed${error ? `: ${error.message}` : ''}`, {
      where: this.transport.description,
      hint: 'was the board unplugged?',
      ...(error ? { cause: error } : {}),
    });
    const w = this.waiter;
    if (w) this.finish(w, this.closed);
  }

  private received(chunk: Uint8Array): void {
    for (const b of chunk) this.rx.push(b);
    this.lastRx = performance.now();
    for (const l of this.onRx.splice(0)) l();
    const w = this.waiter;
    if (!w) return;
    if (w.sizeFromFirst && this.rx.length > 0) {
      const size = w.sizeFromFirst(this.rx[0]!);
      w.sizeFromFirst = undefined;
      if (size instanceof Error) {
        this.dirty = true;
        this.rx = [];
        this.finish(w, size);
        return;
      }
      w.need = size;
    }
    if (this.rx.length > w.need) {
      this.dirty = true;
      this.finish(w, new DeviceError('framing', `the reply to ${w.command} is longer than expected: expected ${w.need} byte(s), received ${this.rx.length}: ${hexBytes(Uint8Array.from(this.rx))}`, {
        where: this.transport.description,
        command: w.command,
        received: Uint8Array.from(this.rx),
        hint: 'is the device the design you opened it as? the driver re-synchronizes before the next request',
      }));
      this.rx = [];
    } else if (this.rx.length === w.need) {
      const bytes = Uint8Array.from(this.rx);
      this.rx = [];
      this.finish(w, bytes);
    }
  }

  private finish(w: Waiter, result: Uint8Array | Error): void {
    if (this.waiter !== w) return;
    this.waiter = undefined;
    if (w.timer) clearTimeout(w.timer);
    if (result instanceof Error) w.reject(result);
    else w.resolve(result);
  }

  private enqueue<T>(job: () => Promise<T>, recoverFirst = true): Promise<T> {
    const run = this.queue.then(async () => {
      if (this.closed) throw this.closed;
      if (recoverFirst && this.dirty) await this.recoverNow('after an earlier failure');
      return job();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private frame(op: Opcode, value?: bigint): Uint8Array {
    return Uint8Array.from(encodeFrame(op, this.width, value));
  }

  /** Time the bytes take on the line, in ms: at the port's rate, or the device's when INFO says it is slower. */
  private lineMs(bytes: number): number {
    const device = this.opened?.baud ?? 0;
    const baud = device > 0 ? Math.min(this.baud, device) : this.baud;
    return Math.ceil((bytes * UART_BYTE_BITS * 1000) / baud);
  }

  private strayCheck(command: string): void {
    if (this.rx.length === 0) return;
    const stray = Uint8Array.from(this.rx);
    this.rx = [];
    this.dirty = true;
    throw new DeviceError('framing', `${stray.length} unexpected byte(s) arrived after ${this.lastCommand}, before ${command}: ${hexBytes(stray)}`, {
      where: this.transport.description,
      command,
      received: stray,
      hint: `a reply to ${this.lastCommand} was longer than the protocol says, or another program talks to the device; the driver re-synchronizes before the next request`,
    });
  }

  /** Writes a frame that has no reply. */
  private async send(op: Opcode, bytes: Uint8Array): Promise<void> {
    const name = commandName(op);
    this.strayCheck(name);
    this.lastCommand = name;
    await this.write(bytes, name);
  }

  private async write(bytes: Uint8Array, command: string): Promise<void> {
    try {
      await this.transport.write(bytes);
    } catch (cause) {
      this.dirty = true;
      throw new DeviceError('port', `writing ${command} failed: ${(cause as Error).message}`, { where: this.transport.description, command, cause });
    }
  }

  /**
   * Writes `bytes` and waits for exactly `need` reply bytes, or, with `sizeFromFirst`, for as many as the reply's first
   * byte says (at most `need`).
   */
  private async request(command: string, bytes: Uint8Array, need: number, sizeFromFirst?: (first: number) => number | Error): Promise<Uint8Array> {
    this.strayCheck(command);
    this.lastCommand = command;
    const reply = new Promise<Uint8Array>((resolve, reject) => {
      this.waiter = { command, need, sizeFromFirst, resolve, reject };
    });
    reply.catch(() => undefined); // handled by the await below; a write failure must not leave it unhandled
    const w = this.waiter!;
    try {
      await this.write(bytes, command);
    } catch (err) {
      this.finish(w, err as Error);
      return reply;
    }
    if (this.waiter === w) {
      const ms = this.timeoutMs + this.lineMs(bytes.length + need);
      w.timer = setTimeout(() => {
        const got = Uint8Array.from(this.rx);
        this.rx = [];
        this.dirty = true;
        this.finish(w, new DeviceError('timeout', `no complete reply to ${command} within ${ms} ms: expected ${w.need} byte(s), received ${got.length}${got.length ? `: ${hexBytes(got)}` : ''}`, {
          where: this.transport.description,
          command,
          received: got,
          hint: got.length === 0 ? 'the device stays silent: is the board powered, programmed and on this port?' : 'the reply stopped short: a noisy line, or another design on the board',
        }));
      }, ms);
    }
    return reply;
  }

  private async word(op: Opcode, value?: bigint): Promise<bigint> {
    const name = commandName(op);
    const bytes = await this.request(name, this.frame(op, value), replyBytes(op.reply, this.width));
    const v = fromBigEndian(bytes);
    if (v >> BigInt(this.width) !== 0n) this.framing(name, `the reply has bits set above the ${this.width}-bit width`, bytes);
    return v;
  }

  /** INFO: its first byte is the protocol, which says how long the reply is (protocol 1's is shorter). */
  private async readInfo(): Promise<DeviceInfo> {
    const name = commandName(OP.info);
    const size = (protocol: number): number | Error =>
      infoBytesOf(protocol) ??
      new DeviceError('mismatch', `the device speaks protocol ${protocol}; this host library speaks protocols ${PROTOCOLS.join(' and ')}`, {
        where: this.transport.description,
        command: name,
        received: Uint8Array.of(protocol),
        hint: 'a newer atomik-gen made the design on the device (use its host library), or this is not an ATOMiK device',
      });
    const bytes = await this.request(name, this.frame(OP.info), Math.max(INFO_BYTES, PROTOCOL_1.infoBytes), size);
    try {
      return decodeAnyInfo(bytes);
    } catch (err) {
      return this.framing(name, (err as Error).message, bytes);
    }
  }

  private checkSync(reply: Uint8Array, name: string): void {
    if (reply.length !== 1 || reply[0] !== SYNC_REPLY) this.framing(name, `expected the SYNC reply 0x${SYNC_REPLY.toString(16)}`, reply);
  }

  private framing(command: string, why: string, bytes: ArrayLike<number>): never {
    this.dirty = true;
    const received = Uint8Array.from(bytes);
    throw new DeviceError('framing', `bad reply to ${command}: ${why} (received ${hexBytes(received)})`, {
      where: this.transport.description,
      command,
      received,
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  /** Resolves when a byte arrives or after `ms`. */
  private nextByteOr(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.onRx.push(done);
    });
  }

  /**
   * Re-synchronizes: quiet line -> drain -> SYNC -> the SYNC reply as the last byte. Bytes of late replies that arrive
   * meanwhile are dropped; the device answers SYNC only after every frame sent before it.
   */
  private async recoverNow(why: string): Promise<void> {
    const command = `${commandName(OP.sync)} (re-synchronizing, ${why})`;
    const quietMs = recoveryQuietMs(this.frameMs);
    const deadline = performance.now() + 4 * this.timeoutMs + quietMs;
    // 1. a quiet line: no byte for twice the frame timeout (the device has dropped any partial frame by then)
    this.lastRx = Math.max(this.lastRx, performance.now());
    while (performance.now() - this.lastRx < quietMs) {
      if (performance.now() > deadline) {
        throw new DeviceError('timeout', `the device keeps sending; it did not go quiet for ${quietMs} ms while re-synchronizing (received ${hexBytes(Uint8Array.from(this.rx))})`, {
          where: this.transport.description,
          command,
          received: Uint8Array.from(this.rx),
        });
      }
      await this.sleep(quietMs - (performance.now() - this.lastRx) + 1);
    }
    // 2. drain
    await this.transport.discardInput().catch(() => undefined);
    this.rx = [];
    // 3. SYNC; its reply is the last byte once the line settles
    this.lastCommand = command;
    await this.write(Uint8Array.of(OP.sync.byte), command);
    const waitMs = this.timeoutMs + this.lineMs(2);
    const until = performance.now() + waitMs;
    for (;;) {
      const last = this.rx[this.rx.length - 1];
      const now = performance.now();
      if (last === SYNC_REPLY && now - this.lastRx >= RECOVERY_SETTLE_MS) break;
      if (now > until) {
        const got = Uint8Array.from(this.rx);
        this.rx = [];
        throw new DeviceError('timeout', `the SYNC reply 0x${SYNC_REPLY.toString(16)} to ${command} did not come within ${waitMs} ms (received ${hexBytes(got)})`, {
          where: this.transport.description,
          command,
          received: got,
          hint: got.length === 0 ? 'the device stays silent: is the board powered, programmed and on this port?' : 'the device answers, but not with the SYNC reply',
        });
      }
      await this.nextByteOr(last === SYNC_REPLY ? RECOVERY_SETTLE_MS - (now - this.lastRx) + 1 : until - now + 1);
    }
    this.rx = [];
    this.dirty = false;
  }
}
