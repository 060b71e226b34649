// The UART co-simulation: the generated board top under Verilator, its UART pins bridged to a pseudo-terminal by the
// harness in templates/sim/uart_pty_harness.cpp.hbs. A host program opens the slave path like any serial port, so the
// host library is tested end to end, through the same code path as a real board, without hardware.
//
// Two ways to run it. Real time (the default; `atomik-gen sim`, the virtual board): the same RTL files, with the board
// top's clock-derived parameters (UART_CLKS_PER_BIT, UART_TIMEOUT_CLKS, HEARTBEAT_BITS) set for a virtual clock of
// VIRTUAL_CLOCKS_PER_BIT x baud, which the simulator keeps up with, and a harness that simulates cycles as the wall
// clock passes: byte timing and the frame timeout are a board's in wall-clock time. Reply latency in cycles is the
// board's, so in wall time it is longer by core clock / virtual clock (tens of microseconds, below one byte time).
// Free-running (`freeRun`): the design's own clock, as fast as the simulator goes, idle time skipped: for tests that
// want speed and measure in device time.
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { trackProcess } from '../generator/tools/exec.js';
import type { BuildPlan } from '../generator/plan/plan.js';
import type { Design } from '../generator/design/design.js';
import { AtomikError } from '../generator/common/errors.js';
import { commentBlock, renderTemplate } from '../generator/common/render.js';
import { recordOwned } from '../generator/run/folder.js';
import { LED_ROLES, rtlContext } from '../generator/rtl/context.js';
import { UART_BYTE_BITS, uartClocks } from '../generator/protocol/uart.js';
import type { FindToolOptions } from '../generator/tools/tools.js';
import { GENERATOR_VERSION } from '../generator/common/version.js';
import type { SourceFile } from './sim-files.js';
import { buildVerilator, type VerilatorBuild } from './verilator.js';

/** Harness source, relative to the simulation folder. */
export const UART_PTY_HARNESS = 'uart_pty_harness.cpp';

/** Virtual clock cycles per bit in real time: the receiver samples each bit in its middle, 16 leaves it ample room. */
export const VIRTUAL_CLOCKS_PER_BIT = 16;

/**
 * The fastest virtual clock a board top keeps up with in real time, with room to spare: Verilator runs the default
 * 16-bank 64-bit top at about 10 M cycles/s on one core. A design whose virtual clock is faster (921600 baud and up)
 * falls behind real time; free-running still works.
 */
export const REAL_TIME_CLOCK_LIMIT_HZ = 8_000_000;

/** How a co-simulation runs: its clock, and the board top's clock-derived parameters for that clock. */
export interface UartPtyTiming {
  /** Real time (the virtual board), or free-running. */
  readonly realTime: boolean;
  /** Simulated cycles per second of device time: the virtual clock in real time, else the design's core clock. */
  readonly clockHz: number;
  readonly clksPerBit: number;
  /** The frame timeout in cycles. */
  readonly timeoutClks: number;
  /** The top's parameters set for `clockHz` (Verilator -G); none when free-running, which keeps the design's own. */
  readonly parameters: Readonly<Record<string, number>>;
}

function needsUart(design: Design): void {
  if (design.host !== 'uart') {
    throw new AtomikError(`the UART co-simulation (the virtual board) needs a design with host "uart", not "${design.host}"`, { where: '--host', hint: 'use --host uart' });
  }
}

/** The timing of a design's co-simulation: real time at VIRTUAL_CLOCKS_PER_BIT x baud, or free-running. */
export function uartPtyTiming(design: Design, freeRun = false): UartPtyTiming {
  needsUart(design);
  if (freeRun) {
    const { clksPerBit, timeoutClks } = uartClocks(design.clockMHz, design);
    return { realTime: false, clockHz: Math.round(design.clockMHz * 1e6), clksPerBit, timeoutClks, parameters: {} };
  }
  const clockHz = VIRTUAL_CLOCKS_PER_BIT * design.baud;
  const { clksPerBit, timeoutClks } = uartClocks(clockHz / 1e6, design);
  // the heartbeat divider as the board top sizes it for its clock (generator/rtl/context.ts): about a second a blink
  const heartbeatBits = Math.ceil(Math.log2(clockHz));
  return {
    realTime: true,
    clockHz,
    clksPerBit,
    timeoutClks,
    parameters: { UART_CLKS_PER_BIT: clksPerBit, UART_TIMEOUT_CLKS: timeoutClks, HEARTBEAT_BITS: heartbeatBits },
  };
}

type LedSignal = (typeof LED_ROLES)[number]['signal'];

/** The LED showing `signal` on this board, or undefined when the board has too few LEDs for it. */
function ledIndex(plan: BuildPlan, signal: LedSignal): number | undefined {
  const index = LED_ROLES.findIndex((r) => r.signal === signal);
  return index >= 0 && index < plan.board.leds.length ? index : undefined;
}

/** The C++ harness for a plan's board top. */
export function uartPtyHarness(plan: BuildPlan, timing: UartPtyTiming): SourceFile {
  const context = rtlContext(plan.design, plan.board);
  const rxBusy = ledIndex(plan, 'host_rx_busy');
  const txBusy = ledIndex(plan, 'host_tx_busy');
  const idleDetect = rxBusy !== undefined && txBusy !== undefined;
  const clock = timing.realTime
    ? `real time at a ${timing.clockHz / 1e6} MHz virtual clock (the design: ${plan.design.clockMHz} MHz)`
    : `free-running at the ${plan.design.clockMHz} MHz core clock`;
  const header = commentBlock(
    [
      `Generated by atomik-gen ${GENERATOR_VERSION}. Do not edit: it is written again for every co-simulation build.`,
      `This build: ${plan.design.banks} bank(s) x ${plan.design.width} bit(s), ${plan.design.mode}, ${plan.design.baud} baud, ` +
        `${clock}, ${timing.clksPerBit} cycles per bit.`,
    ],
    '//',
  );
  return {
    path: UART_PTY_HARNESS,
    text: renderTemplate('sim/uart_pty_harness.cpp.hbs', {
      header,
      top: plan.top,
      clockPort: plan.board.clock.port,
      resetInactive: context.resetActiveLow ? 1 : 0,
      realTime: timing.realTime,
      clockHz: timing.clockHz,
      clksPerBit: timing.clksPerBit,
      // The reply pipeline is a few dozen cycles; a byte time on top leaves room for any of it. Without the busy LEDs
      // a partial frame cannot be seen, so the grace also covers the frame timeout that drops it.
      idleGraceCycles: UART_BYTE_BITS * timing.clksPerBit + 256 + (idleDetect ? 0 : timing.timeoutClks),
      leds: context.leds.map((l) => l.signal),
      ledActiveLow: context.ledActiveLow,
      idleDetect,
      rxBusyLed: rxBusy ?? 0,
      txBusyLed: txBusy ?? 0,
    }),
  };
}

export interface UartPtyBuildOptions {
  readonly plan: BuildPlan;
  /** As fast as the simulator goes at the design's own clock, idle time skipped, instead of real time. */
  readonly freeRun?: boolean;
  /** Simulation folder; default `<plan.outDir>/sim/uart-pty/real-time` (or `free-run`). */
  readonly dir?: string;
  readonly tools?: FindToolOptions;
  readonly progress?: (line: string) => void;
}

/** Builds the Verilator model of the board top with the pseudo-terminal harness (reused when nothing changed). */
export async function buildUartPtySim(opts: UartPtyBuildOptions): Promise<VerilatorBuild> {
  const { plan } = opts;
  const timing = uartPtyTiming(plan.design, opts.freeRun === true);
  const rtl = plan.files.filter((f) => f.role === 'rtl' || f.role === 'stub').map((f) => ({ path: f.path, text: f.content }));
  let dir = opts.dir;
  if (dir === undefined) {
    const folder = `sim/uart-pty/${timing.realTime ? 'real-time' : 'free-run'}/`;
    recordOwned(plan.outDir, [folder]);
    dir = join(plan.outDir, folder);
  }
  return buildVerilator({
    dir,
    top: plan.top,
    rtl,
    harness: uartPtyHarness(plan, timing),
    trace: false,
    parameters: timing.parameters,
    ...(opts.tools === undefined ? {} : { tools: opts.tools }),
    ...(opts.progress === undefined ? {} : { progress: opts.progress }),
  });
}

const CHILD_OPTIONS = {
  stdin: 'pipe',
  stdout: 'pipe',
  stderr: 'pipe',
  buffer: false,
  reject: false,
  // a process group of its own (the terminal's Ctrl-C goes to atomik-gen, which stops it in order), stopped with
  // everything else atomik-gen started on interrupt or exit
  detached: true,
  cleanup: false,
} as const;

/** A running co-simulation: a serial device at `path` until `stop()`. */
export class UartPtySim {
  private stderrText = '';
  /** Complete stderr lines so far, for `follow`. */
  private readonly lines: string[] = [];
  private partial = '';
  private readonly listeners = new Set<() => void>();
  private readonly followers = new Set<(line: string) => void>();
  private exitedWith: string | undefined;
  /** Resolves when the harness has ended, with how: `exit code 0`, `SIGKILL`. */
  readonly exited: Promise<string>;

  private constructor(
    private readonly child: ResultPromise<typeof CHILD_OPTIONS>,
    /** The pseudo-terminal slave: open it as a serial port. */
    readonly path: string,
  ) {
    child.stderr.on('data', (c: Buffer) => this.take(c.toString()));
    this.exited = child.then((r) => {
      if (this.partial !== '') this.take('\n');
      this.exitedWith = r.exitCode === undefined ? String(r.signal) : `exit code ${r.exitCode}`;
      for (const l of [...this.listeners]) l();
      return this.exitedWith;
    });
  }

  /** Starts the harness binary and waits for the slave path it prints. */
  static async start(binary: string, opts: { maxSeconds?: number; startTimeoutMs?: number } = {}): Promise<UartPtySim> {
    const args = opts.maxSeconds === undefined ? [] : ['--max-seconds', String(opts.maxSeconds)];
    const child = execa(binary, args, CHILD_OPTIONS);
    trackProcess(child);
    let stdout = '';
    let stderr = '';
    const onStderr = (c: Buffer) => {
      stderr += c.toString();
    };
    child.stderr.on('data', onStderr);
    const path = await new Promise<string>((resolve, reject) => {
      const limit = opts.startTimeoutMs ?? 10_000;
      const timer = setTimeout(() => fail(`no slave path within ${limit} ms`), limit);
      const fail = (why: string) => {
        clearTimeout(timer);
        child.kill('SIGKILL');
        reject(new AtomikError(`the UART co-simulation did not start (${why}): ${stderr.trim()}`, { where: binary }));
      };
      const onStdout = (c: Buffer) => {
        stdout += c.toString();
        const m = /^pty (\S+)\n/m.exec(stdout);
        if (m?.[1] !== undefined) {
          clearTimeout(timer);
          child.stdout.off('data', onStdout);
          child.stdout.resume();
          resolve(m[1]);
        }
      };
      child.stdout.on('data', onStdout);
      void child.then((r) => fail(`exited with ${r.exitCode ?? r.signal}`));
    });
    child.stderr.off('data', onStderr);
    const sim = new UartPtySim(child, path);
    sim.take(stderr);
    return sim;
  }

  private take(text: string): void {
    this.stderrText += text;
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) {
      this.lines.push(line);
      for (const f of [...this.followers]) f(line);
    }
    for (const l of [...this.listeners]) l();
  }

  get pid(): number {
    const pid = this.child.pid;
    if (pid === undefined) throw new Error('the co-simulation has no process id');
    return pid;
  }

  /** Everything the harness wrote on stderr so far (the LEDs, events, the summary at exit). */
  get log(): string {
    return this.stderrText;
  }

  /** Calls `listener` with every line of the log: those so far at once, then each as it comes. */
  follow(listener: (line: string) => void): void {
    for (const line of this.lines) listener(line);
    this.followers.add(listener);
  }

  /** Freezes the simulated device (SIGSTOP): it stays silent until `resume()`. */
  pause(): void {
    process.kill(this.pid, 'SIGSTOP');
  }

  resume(): void {
    process.kill(this.pid, 'SIGCONT');
  }

  /** Waits until the harness's stderr matches `pattern` (it may have already). */
  waitForLog(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const m = pattern.exec(this.stderrText);
        if (m) {
          done();
          resolve(m);
        } else if (this.exitedWith !== undefined) {
          done();
          reject(new Error(`the co-simulation exited (${this.exitedWith}) before logging ${String(pattern)}: ${this.stderrText.trim()}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`the co-simulation did not log ${String(pattern)} within ${timeoutMs} ms: ${this.stderrText.trim()}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /**
   * Ends the harness and returns its log, summary line included: by closing its stdin, or with `signal` (it stops in
   * order on SIGINT and SIGTERM too, and its summary names the signal).
   */
  async stop(signal?: 'SIGINT' | 'SIGTERM'): Promise<string> {
    if (this.exitedWith === undefined) {
      this.resume();
      if (signal === undefined) this.child.stdin.end();
      else this.child.kill(signal);
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
      await this.exited;
      clearTimeout(timer);
    }
    return this.stderrText;
  }
}

/** Builds (or reuses) the co-simulation of a plan and starts it. */
export async function startUartPtySim(
  opts: UartPtyBuildOptions & { readonly maxSeconds?: number },
): Promise<{ sim: UartPtySim; build: VerilatorBuild }> {
  const build = await buildUartPtySim(opts);
  const sim = await UartPtySim.start(build.binary, opts.maxSeconds === undefined ? {} : { maxSeconds: opts.maxSeconds });
  return { sim, build };
}
