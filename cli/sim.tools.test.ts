// [real tools] `atomik-gen sim`, the virtual board, as a user runs it: the built CLI builds a small design's board top
// under Verilator and prints the device path; a plain serial program talks to it in wall-clock time. A frame sent one
// byte at a time with 10 ms sleeps is kept, and so is one with a pause under the frame timeout; a frame abandoned for
// longer than the timeout is dropped and the error LED is logged on. `atomik-gen device` reads the state, and Ctrl-C
// (SIGINT) stops the board in order. `--free-run` runs the same board as fast as the simulator goes.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa, type ResultPromise } from 'execa';
import { SerialPort } from 'serialport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../generator/common/version.js';
import { DEFAULTS } from '../generator/design/design.js';
import { fromBigEndian } from '../generator/protocol/codec.js';
import { encodeFrame, payloadBytes } from '../generator/protocol/uart.js';

const BIN = join(packageRoot(), 'bin', 'atomik-gen.js');
const W = 64;
const TIMEOUT_MS = DEFAULTS.frameTimeoutMs;
const CLI_OPTIONS = { cwd: mkdtempSync(join(tmpdir(), 'atomik-sim-')), reject: false, env: { ...process.env, FORCE_COLOR: '0' } } as const;

const load = (v: bigint) => encodeFrame('L', W, v);

/** `atomik-gen sim` in a child process, and its port opened as a serial program opens it. */
class Board {
  readonly cli: ResultPromise<typeof CLI_OPTIONS>;
  stdout = '';
  /** When each output line first arrived (performance.now()), by line. */
  readonly arrived = new Map<string, number>();
  path = '';
  private port: SerialPort | undefined;
  private received: number[] = [];

  constructor(args: readonly string[]) {
    this.cli = execa('node', [BIN, 'sim', '--banks', '4', ...args], CLI_OPTIONS);
    this.cli.stdout.on('data', (c: Buffer) => {
      this.stdout += c.toString();
      const lines = this.stdout.split('\n').slice(0, -1);
      for (const line of lines) if (!this.arrived.has(line)) this.arrived.set(line, performance.now());
    });
  }

  /** Waits until the command's output matches `pattern`. */
  async output(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    const until = performance.now() + timeoutMs;
    for (;;) {
      const m = pattern.exec(this.stdout);
      if (m) return m;
      if (performance.now() > until) throw new Error(`no ${String(pattern)} in the output of atomik-gen sim within ${timeoutMs} ms:\n${this.stdout}`);
      await sleep(20);
    }
  }

  /** Waits for the device path, then opens it. */
  async open(): Promise<void> {
    this.path = (await this.output(/^virtual board: (\/dev\/\S+) \(Ctrl-C to stop\)$/m, 280_000))[1]!;
    const port = new SerialPort({ path: this.path, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    port.on('data', (chunk: Buffer) => this.received.push(...chunk));
    this.port = port;
  }

  write(bytes: readonly number[]): Promise<void> {
    const port = this.port!;
    return new Promise((resolve, reject) => {
      port.write(Buffer.from(bytes), (err) => (err ? reject(err) : port.drain((e) => (e ? reject(e) : resolve()))));
    });
  }

  /** Writes bytes one at a time, `gapMs` of wall-clock time apart. */
  async trickle(bytes: readonly number[], gapMs: number): Promise<void> {
    for (const [i, b] of bytes.entries()) {
      if (i > 0) await sleep(gapMs);
      await this.write([b]);
    }
  }

  /** READ: the state, from the reply's bytes. */
  async read(): Promise<bigint> {
    this.received = [];
    await this.write(encodeFrame('R', W));
    const until = performance.now() + 2000;
    while (this.received.length < payloadBytes(W)) {
      if (performance.now() > until) throw new Error(`READ: ${this.received.length} of ${payloadBytes(W)} reply bytes within 2 s`);
      await sleep(5);
    }
    expect(this.received).toHaveLength(payloadBytes(W));
    return fromBigEndian(this.received);
  }

  async closePort(): Promise<void> {
    const port = this.port;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  /** Ctrl-C: the exit code and stderr once the command has ended. */
  async interrupt(): Promise<{ exitCode: number | undefined; stderr: string }> {
    await this.closePort();
    this.cli.kill('SIGINT');
    const r = await this.cli;
    return { exitCode: r.exitCode, stderr: String(r.stderr) };
  }

  /** After the tests: whatever is still running goes. */
  async end(): Promise<void> {
    await this.closePort();
    if (this.cli.exitCode === null) this.cli.kill('SIGKILL');
  }
}

describe('[real tools] atomik-gen sim: the virtual board in wall-clock time', () => {
  let board: Board;

  beforeAll(async () => {
    board = new Board(['--out', 'real-time']);
    await board.open();
  }, 300_000);

  afterAll(() => board?.end());

  it('prints what it runs: real time at 16 x 115200 = 1.8432 MHz, the LEDs at start', async () => {
    expect(board.stdout).toMatch(/^sim: real time: a 1\.8432 MHz virtual clock, 16 cycles per bit \(the board: 703 at 81 MHz\)/m);
    await board.output(/^virtual board: leds at start: heartbeat off, pll_lock on, core_clean on, error_seen off, host_rx_busy off, host_tx_busy off$/m, 2000);
  });

  it('keeps a LOAD frame sent one byte at a time with 10 ms sleeps, and one with a pause of half the frame timeout', async () => {
    const a = 0xf1d3b597795b3d1fn;
    await board.trickle(load(a), 10);
    expect(await board.read()).toBe(a);

    const b = 0x0123456789abcdefn;
    const frame = load(b);
    await board.write(frame.slice(0, 4));
    await sleep(TIMEOUT_MS / 2);
    await board.write(frame.slice(4));
    expect(await board.read()).toBe(b);
    expect(board.stdout).not.toMatch(/led error_seen on/);
  });

  it('drops a frame abandoned for longer than the frame timeout of wall-clock time; the error LED comes on', async () => {
    await board.write(load(0xdeadbeefdeadbeefn).slice(0, 4));
    const cut = performance.now();
    await sleep(3 * TIMEOUT_MS);
    const c = 0x5a5a5a5a00ff00ffn;
    await board.write(load(c));
    expect(await board.read()).toBe(c);
    const line = (await board.output(/^virtual board: led error_seen on at .*$/m, 2000))[0];
    // on during the pause, as on a board: free-running at 81 MHz, the 50 ms of device time would take about half a second
    const after = board.arrived.get(line)! - cut;
    console.log(`the error LED came on ${after.toFixed(1)} ms of wall time after the frame was cut (frame timeout ${TIMEOUT_MS} ms)`);
    expect(after).toBeLessThan(3 * TIMEOUT_MS);
  });

  it('atomik-gen device reads the state through the same port', async () => {
    await board.closePort();
    const r = await execa('node', [BIN, 'device', '--port', board.path, 'read'], CLI_OPTIONS);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('0x5a5a5a5a00ff00ff');
  });

  it('Ctrl-C (SIGINT) stops it in order: exit 0, the summary with the lag, no error', async () => {
    const r = await board.interrupt();
    console.log(board.stdout.trim().split('\n').at(-1));
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toBe('');
    expect(board.stdout).toMatch(/^virtual board: stopped \(SIGINT\): \d+ cycles in .*; real time at 1\.8432 MHz: max lag [\d.]+ ms/m);
  });
});

describe('[real tools] atomik-gen sim --free-run', () => {
  let board: Board;

  beforeAll(async () => {
    board = new Board(['--free-run', '--out', 'free-run']);
    await board.open();
  }, 300_000);

  afterAll(() => board?.end());

  it('runs the design at its own clock, as fast as it goes; the same frames work; Ctrl-C stops it', async () => {
    expect(board.stdout).toMatch(/^sim: free-running at the 81 MHz core clock \(703 cycles per bit\), idle time skipped/m);
    const v = 0x8000000000000001n;
    await board.write(load(v));
    expect(await board.read()).toBe(v);
    const r = await board.interrupt();
    expect(r.exitCode).toBe(0);
    expect(board.stdout).toMatch(/^virtual board: stopped \(SIGINT\): .* idle waits$/m);
  });
});
