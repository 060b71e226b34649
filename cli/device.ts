// `atomik-gen program`: loads a design's bitstream into the board with openFPGALoader and the board's programmer
// arguments (boards/*.ts). `atomik-gen device`: talks to a programmed board (or the virtual board, `atomik-gen sim`)
// over its UART with the host library (host/device.ts): load, accum, read, status, info, counters, and a bench of
// deltas per second for single and batched frames: measured over the link, in device time, and the line's limit.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { AtomikDevice, describeInfo, type DeviceInfo, type DeviceMode, type DeviceTransport, type FrameKind } from '../host/device.js';
import { designFromArgs, withDesignFlags } from './design-flags.js';
import { MODES } from '../generator/design/design.js';
import { AtomikError } from '../generator/common/errors.js';
import { shownPath as shown } from '../generator/common/shown.js';
import { buildPlan } from '../generator/plan/plan.js';
import { GENERATOR_VERSION } from '../generator/common/version.js';
import { COUNTER_MASK, MAX_BATCH, UART_BAUD, UART_BYTE_BITS, frameBytes, opcodeByLetter } from '../generator/protocol/uart.js';
import { howItEnded, runBounded } from '../generator/tools/exec.js';
import { findTool, ToolMissingError, type FindToolOptions } from '../generator/tools/tools.js';


function writer(out: NodeJS.WritableStream): (line: string) => void {
  return (line) => void out.write(`${line}\n`);
}

// ---------------------------------------------------------------------------------------------------------------------
// program

export interface ProgramOptions {
  readonly flash?: boolean;
  /** A bitstream file; default: the one the design's build writes. */
  readonly bitstream?: string | undefined;
  /** Where to find openFPGALoader (tests point it elsewhere). */
  readonly tools?: FindToolOptions;
}

/** Lines of openFPGALoader's output shown when it fails. */
const PROGRAMMER_TAIL_LINES = 8;
/** Writing the flash of the largest supported part takes about a minute; ten is a programmer that hangs. */
const PROGRAM_TIMEOUT_MS = 10 * 60 * 1000;
/** openFPGALoader's ways of saying it found no cable or board. */
const NO_BOARD = /unable to open ftdi device|device not found|no (usb )?device found|no dfu compatible device found|no cable|cable not found|JTAG init failed|libusb_open|fails? to open|cannot find (the )?(board|device|cable)/i;

/** Programs the board with the design's bitstream (SRAM, or flash with `flash`). */
export async function runProgram(argv: Record<string, unknown>, opts: ProgramOptions = {}, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const say = writer(out);
  const { design, outDir } = designFromArgs(argv);
  const plan = buildPlan(design, outDir);
  const made = plan.stages.find((s) => s.name === 'bitstream')?.result?.path;
  if (opts.bitstream === undefined && made === undefined) {
    if (design.host === 'axi-lite') {
      throw new AtomikError('an AXI4-Lite design has no bitstream of its own: it is a module for a Vivado block design', {
        where: 'program',
        hint: 'add rtl/*.v to a block design with processing_system7, build it in Vivado, then pass --bitstream FILE',
      });
    }
    throw new AtomikError(`a ${design.host === 'none' ? 'design without a host interface' : `${plan.board.title} design`} has no bitstream to program`, {
      where: 'program',
      hint: design.host === 'none' ? 'a board top needs --host uart' : 'pass --bitstream FILE',
    });
  }
  const bitstream = opts.bitstream ?? join(outDir, made!);
  if (!existsSync(bitstream)) {
    throw new AtomikError(`no bitstream at ${shown(bitstream)}`, {
      where: opts.bitstream === undefined ? 'program' : '--bitstream',
      hint: opts.bitstream === undefined ? 'build it first: run atomik-gen with the same design flags (the bitstream stage writes it), or pass --bitstream FILE' : 'check the path',
    });
  }

  let tool;
  try {
    tool = await findTool('openFPGALoader', opts.tools);
  } catch (err) {
    if (err instanceof ToolMissingError) throw new AtomikError(err.message, { where: 'program' });
    throw err;
  }

  const programmer = plan.board.programmer;
  const args = [...(opts.flash === true ? programmer.flash : programmer.sram), bitstream];
  if (programmer.note) say(`program: note: ${programmer.note}`);
  say(`program: ${tool.path} ${args.join(' ')}`);
  say(opts.flash === true ? 'program: writing flash: the design stays after a power cycle' : 'program: loading SRAM: the design is lost at power-off (--flash keeps it)');
  const result = await runBounded(tool.path, args, { timeoutMs: PROGRAM_TIMEOUT_MS, onLine: (line) => out.write(`${line}\n`) });
  if (result.exitCode === 0) {
    say(`program: done (${plan.board.title}, ${shown(bitstream)})`);
    return;
  }
  const text = result.all.trimEnd();
  const tail = text
    .split('\n')
    .slice(-PROGRAMMER_TAIL_LINES)
    .map((l) => `  | ${l}`)
    .join('\n');
  const why = howItEnded(result);
  if (NO_BOARD.test(text)) {
    throw new AtomikError(`openFPGALoader found no ${plan.board.title} (it ${why}):\n${tail}\n  is the board plugged in?`, {
      where: 'program',
      hint: `check the USB cable, then \`${tool.path} --detect\`; on Linux the USB device may need udev rules, or root`,
    });
  }
  throw new AtomikError(`openFPGALoader ${why}:\n${tail}`, { where: 'program' });
}

export const programCommand: CommandModule<object, Record<string, unknown>> = {
  command: 'program',
  describe: "program the board with the design's bitstream (openFPGALoader; SRAM unless --flash)",
  builder: (y: Argv<object>) =>
    withDesignFlags(y)
      .option('flash', { type: 'boolean', describe: 'write the flash (kept after a power cycle) instead of SRAM' })
      .option('bitstream', { type: 'string', describe: "bitstream file (default: the design's build/<top>.fs or .bit)" })
      .example('$0 program --board tang9k --banks 16', "load the design's bitstream into the Tang Nano 9K's SRAM")
      .example('$0 program --board tang9k --banks 16 --flash', 'write it to the flash, kept after a power cycle') as Argv<Record<string, unknown>>,
  handler: (argv) =>
    runProgram(argv, {
      flash: argv.flash === true,
      bitstream: typeof argv.bitstream === 'string' ? argv.bitstream : undefined,
    }),
};

// ---------------------------------------------------------------------------------------------------------------------
// device

export const DEVICE_ACTIONS = ['load', 'accum', 'read', 'status', 'info', 'counters', 'bench'] as const;
export type DeviceAction = (typeof DEVICE_ACTIONS)[number];

/** Which frames `device bench` measures: single ACCUM frames, BATCH frames, or both runs one after the other. */
export const BENCH_FRAMES = ['single', 'batch', 'both'] as const;
export type BenchFrames = (typeof BENCH_FRAMES)[number];

/**
 * What the published ATOMiK host scripts reach: 64-bit L/A frames at 115200 baud with sleeps between writes, at most
 * about 1 280 deltas per second (shared/ATOMIK.md, "Host protocol").
 */
export const PUBLISHED_HOST_DELTAS_PER_S = 1280;

export interface DeviceArgs {
  readonly port: string;
  readonly action: DeviceAction;
  readonly values?: readonly string[];
  readonly width?: number | undefined;
  readonly banks?: number | undefined;
  readonly mode?: DeviceMode | undefined;
  readonly baud?: number | undefined;
  readonly timeoutMs?: number | undefined;
  /** bench: deltas to send per run. */
  readonly count?: number | undefined;
  /** bench: deltas per accumMany (one write of frames, then a SYNC fence). */
  readonly batch?: number | undefined;
  /** bench: which frames to measure (default both). */
  readonly frames?: BenchFrames | undefined;
  /**
   * bench: the clock the device's counters count, in MHz (a board: the design's clockMHz; the real-time virtual board:
   * its virtual clock), to turn the counted cycles into deltas per second of device time.
   */
  readonly clockMHz?: number | undefined;
  /** Print the result as JSON instead of text lines. */
  readonly json?: boolean | undefined;
}

/** How `runDevice` reaches the device: by default it opens `port`; tests hand it a transport (a fake board). */
export interface DeviceLink {
  readonly transport?: DeviceTransport;
}

export const DEFAULT_BENCH_COUNT = 5000;
/** Eight full BATCH frames per write: a SYNC round trip (a USB latency) per 2040 deltas. */
export const DEFAULT_BENCH_BATCH = 8 * MAX_BATCH;

/** A value from the command line: decimal, or hex with 0x. */
export function parseWord(text: string, width: number, what: string): bigint {
  const t = text.trim().replace(/_/g, '');
  if (!/^(0x[0-9a-f]+|\d+)$/i.test(t)) {
    throw new AtomikError(`${what} "${text}" is not a number`, { where: 'device', hint: 'write values in decimal or as 0x hex' });
  }
  const v = BigInt(t);
  if (v >> BigInt(width) !== 0n) {
    throw new AtomikError(`${what} ${text} is wider than the ${width}-bit design`, { where: 'device', hint: `values are 0 .. 2^${width} - 1` });
  }
  return v;
}

export function formatWord(value: bigint, width: number): string {
  return `0x${value.toString(16).padStart(Math.ceil(width / 4), '0')}`;
}

/** Deterministic W-bit pseudo-random deltas (xorshift64*, several draws for wide words). */
export function benchDeltas(count: number, width: number, seed = 0x9e3779b97f4a7c15n): bigint[] {
  const mask64 = (1n << 64n) - 1n;
  const mask = (1n << BigInt(width)) - 1n;
  let x = seed & mask64 || 1n;
  const next = () => {
    x ^= x >> 12n;
    x ^= (x << 25n) & mask64;
    x ^= x >> 27n;
    return (x * 0x2545f4914f6cdd1dn) & mask64;
  };
  const out: bigint[] = [];
  for (let i = 0; i < count; i++) {
    let v = 0n;
    for (let bits = 0; bits < width; bits += 64) v = (v << 64n) | next();
    out.push(v & mask);
  }
  return out;
}

/**
 * Line bytes per delta of a bench run: single ACCUM frames, or each write's deltas in BATCH frames of up to MAX_BATCH
 * (the last frame of a write may be short). SYNC fences are left out.
 */
export function benchBytesPerDelta(width: number, frames: FrameKind, count: number, batch: number): number {
  if (frames === 'single') return frameBytes(opcodeByLetter('A'), width);
  const B = opcodeByLetter('B');
  let bytes = 0;
  for (let sent = 0; sent < count; sent += batch) {
    const write = Math.min(batch, count - sent);
    for (let i = 0; i < write; i += MAX_BATCH) bytes += frameBytes(B, width, Math.min(MAX_BATCH, write - i));
  }
  return bytes / count;
}

/** One bench run: `count` deltas in one kind of frame, and three figures, each labelled with what it is. */
export interface BenchRun {
  readonly frames: FrameKind;
  readonly count: number;
  /** Deltas per write; each write is fenced by SYNC. */
  readonly batch: number;
  /** Measured over the link, in wall-clock time: deltas sent and fenced per second. */
  readonly link: { readonly deltasPerSecond: number; readonly seconds: number; readonly basis: 'measured' };
  /**
   * Counted by the device: core cycles from the COUNTERS before the run to the one after it; with the clock, deltas per
   * second of device time (deltas x clock / cycles), else null.
   */
  readonly deviceTime: { readonly cycles: number; readonly clockMHz: number | null; readonly deltasPerSecond: number | null; readonly basis: 'measured' };
  /** The most the line carries with these frames, back to back: computed from the frame sizes, not measured. */
  readonly lineLimit: { readonly deltasPerSecond: number; readonly baud: number; readonly bytesPerDelta: number; readonly basis: 'computed' };
  /** After the run the state equals the XOR of every delta sent and the delta counter moved by `count`. */
  readonly checked: { readonly state: true; readonly deltaCounter: true };
}

/**
 * Sends `count` deltas in writes of `batch` (each `accumMany`: the frames, then a SYNC fence) in one kind of frame, then
 * checks the state and the delta counter against what was sent. The line limit is at the device's line rate (INFO).
 */
export async function runBench(device: AtomikDevice, count: number, batch: number, frames: FrameKind = device.canBatch ? 'batch' : 'single', clockMHz: number | null = null): Promise<BenchRun> {
  if (!Number.isInteger(count) || count < 1) throw new AtomikError(`must be a whole number >= 1, got ${count}`, { where: '--count' });
  if (!Number.isInteger(batch) || batch < 1) throw new AtomikError(`must be a whole number >= 1, got ${batch}`, { where: '--batch' });
  const deltas = benchDeltas(count, device.width);
  const expected = deltas.reduce((a, d) => a ^ d, 0n);
  await device.load(0n);
  const before = await device.counters();
  const started = performance.now();
  for (let i = 0; i < deltas.length; i += batch) await device.accumMany(deltas.slice(i, i + batch), { frames });
  const seconds = (performance.now() - started) / 1000;
  const after = await device.counters();
  const state = await device.read();
  if (state !== expected) {
    throw new AtomikError(`the state after the bench (${frames} frames) is ${formatWord(state, device.width)}, expected ${formatWord(expected, device.width)}`, {
      where: device.where,
      hint: 'deltas were lost or corrupted on the link',
    });
  }
  const counted = (after.deltas - before.deltas) & COUNTER_MASK;
  if (counted !== BigInt(count)) {
    throw new AtomikError(`the device counted ${counted} deltas, ${count} were sent (${frames} frames)`, { where: device.where, hint: 'deltas were lost on the link' });
  }
  const cycles = Number((after.cycles - before.cycles) & COUNTER_MASK);
  const baud = device.design.baud > 0 ? device.design.baud : device.baud;
  const bytesPerDelta = benchBytesPerDelta(device.width, frames, count, batch);
  return {
    frames,
    count,
    batch,
    link: { deltasPerSecond: count / seconds, seconds, basis: 'measured' },
    deviceTime: { cycles, clockMHz, deltasPerSecond: clockMHz === null || cycles === 0 ? null : (count * clockMHz * 1e6) / cycles, basis: 'measured' },
    lineLimit: { deltasPerSecond: baud / UART_BYTE_BITS / bytesPerDelta, baud, bytesPerDelta, basis: 'computed' },
    checked: { state: true, deltaCounter: true },
  };
}

/** `device bench --json`. */
export interface BenchReport {
  readonly kind: 'atomik-device-bench';
  readonly generator: string;
  readonly port: string;
  /** The rate the port was opened at. */
  readonly portBaud: number;
  /** The device's INFO. */
  readonly device: DeviceInfo;
  readonly clockMHz: number | null;
  readonly runs: readonly BenchRun[];
  /** Runs asked for that could not be made (batched frames on a protocol-1 device), with the reason. */
  readonly skipped: readonly { readonly frames: FrameKind; readonly reason: string }[];
  readonly publishedHostDeltasPerSecond: number;
}

/** Runs the bench for the frames asked for; `both` on a device without BATCH frames measures single frames only. */
export async function benchDevice(device: AtomikDevice, opts: { count: number; batch: number; frames: BenchFrames; clockMHz: number | null }): Promise<BenchReport> {
  const kinds: FrameKind[] = opts.frames === 'both' ? ['single', 'batch'] : [opts.frames];
  const skipped: { frames: FrameKind; reason: string }[] = [];
  if (!device.canBatch && kinds.includes('batch')) {
    const reason = `the device speaks protocol ${device.design.protocol}, which has no BATCH frames`;
    if (opts.frames === 'batch') throw new AtomikError(reason, { where: device.where, hint: 'program the board with a design from this atomik-gen, or use --frames single' });
    skipped.push({ frames: 'batch', reason });
  }
  const runs: BenchRun[] = [];
  for (const frames of kinds.filter((k) => !skipped.some((s) => s.frames === k))) runs.push(await runBench(device, opts.count, opts.batch, frames, opts.clockMHz));
  return {
    kind: 'atomik-device-bench',
    generator: `atomik-gen ${GENERATOR_VERSION}`,
    port: device.where,
    portBaud: device.baud,
    device: device.design,
    clockMHz: opts.clockMHz,
    runs,
    skipped,
    publishedHostDeltasPerSecond: PUBLISHED_HOST_DELTAS_PER_S,
  };
}

function round(x: number): string {
  return Math.round(x).toLocaleString('en-US').replace(/,/g, ' ');
}

/** The bench as text: per run, the figure measured over the link, the one in device time and the line limit. */
export function benchLines(r: BenchReport): string[] {
  const first = r.runs[0];
  const lines: string[] = [];
  const d = r.device;
  const clock = r.clockMHz === null ? 'device clock not given (--clock-mhz)' : `device clock ${r.clockMHz} MHz (--clock-mhz)`;
  lines.push(`bench: ${r.port}: ${describeInfo(d)}; ${clock}`);
  if (d.baud > 0 && d.baud !== r.portBaud) {
    lines.push(`bench: note: the port is opened at ${r.portBaud} baud, the device's line is ${d.baud} baud; on a serial port they must agree (--baud ${d.baud})`);
  }
  if (first) lines.push(`bench: ${first.count} deltas of ${d.width} bits per run, in writes of ${first.batch} (each write fenced by SYNC); state and delta counter checked after each run`);
  const label = (text: string) => `bench:   ${text.padEnd(24)}`;
  for (const run of r.runs) {
    const bytes = Number(run.lineLimit.bytesPerDelta.toFixed(3));
    lines.push(run.frames === 'single' ? `bench: single frames (A, ${bytes} bytes per delta):` : `bench: batched frames (B, up to ${MAX_BATCH} deltas per frame, ${bytes} bytes per delta):`);
    lines.push(`${label('measured over the link')}${round(run.link.deltasPerSecond).padStart(9)} deltas/s  (${run.count} deltas in ${run.link.seconds.toFixed(3)} s, wall clock)`);
    const t = run.deviceTime;
    lines.push(
      t.deltasPerSecond === null
        ? `${label('device time')}${'n/a'.padStart(9)}           (${t.cycles} core cycles counted by the device; give --clock-mhz for deltas per second)`
        : `${label('device time')}${round(t.deltasPerSecond).padStart(9)} deltas/s  (${t.cycles} core cycles counted by the device at ${t.clockMHz} MHz)`,
    );
    lines.push(`${label('line limit, computed')}${round(run.lineLimit.deltasPerSecond).padStart(9)} deltas/s  (${bytes} bytes per delta at ${run.lineLimit.baud} baud, 10 bits a byte; not a measurement)`);
  }
  for (const s of r.skipped) lines.push(`bench: ${s.frames === 'batch' ? 'batched' : 'single'} frames skipped: ${s.reason}`);
  lines.push(`bench: published ATOMiK host scripts: at most about ${round(r.publishedHostDeltasPerSecond)} deltas/s (64-bit A frames at 115200 baud)`);
  return lines;
}

function positiveNumber(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new AtomikError(`must be a number > 0, got ${String(value)}`, { where: flag });
  return n;
}

/** Runs one `device` action against the port (or the link's transport); `json` prints the result as JSON instead. */
export async function runDevice(args: DeviceArgs, out: NodeJS.WritableStream = process.stdout, link: DeviceLink = {}): Promise<void> {
  const say = writer(out);
  // check the bench's own flags before the port is opened
  const clockMHz = positiveNumber(args.clockMHz, '--clock-mhz') ?? null;
  const opts = {
    ...(args.width === undefined ? {} : { width: args.width }),
    ...(args.banks === undefined ? {} : { banks: args.banks }),
    ...(args.mode === undefined ? {} : { mode: args.mode }),
    ...(args.baud === undefined ? {} : { baud: args.baud }),
    ...(args.timeoutMs === undefined ? {} : { timeoutMs: args.timeoutMs }),
  };
  const device = link.transport ? await AtomikDevice.connect(link.transport, opts) : await AtomikDevice.open(args.port, opts);
  /** The result: as JSON, or as its text lines. */
  const show = (data: unknown, lines: readonly string[]) => {
    if (args.json === true) say(JSON.stringify(data, null, 2));
    else for (const l of lines) say(l);
  };
  try {
    const W = device.width;
    const values = args.values ?? [];
    const needValues = (n: 'one' | 'some') => {
      if (n === 'one' && values.length !== 1) throw new AtomikError(`${args.action} takes one value, got ${values.length}`, { where: 'device' });
      if (n === 'some' && values.length === 0) throw new AtomikError(`${args.action} takes one or more deltas`, { where: 'device' });
    };
    switch (args.action) {
      case 'load': {
        needValues('one');
        const v = parseWord(values[0]!, W, 'value');
        await device.load(v);
        await device.sync();
        show({ loaded: formatWord(v, W) }, [`loaded ${formatWord(v, W)}`]);
        break;
      }
      case 'accum': {
        needValues('some');
        const ds = values.map((t, i) => parseWord(t, W, `delta ${i + 1}`));
        await device.accumMany(ds);
        show({ accumulated: ds.length }, [`accumulated ${ds.length} delta(s)`]);
        break;
      }
      case 'read': {
        const state = formatWord(await device.read(), W);
        show({ state }, [state]);
        break;
      }
      case 'status': {
        const { clean } = await device.status();
        show({ clean }, [clean ? 'clean (accumulator zero: state == reference)' : 'dirty (accumulator non-zero)']);
        break;
      }
      case 'info': {
        const info = await device.info();
        show({ port: device.where, ...info }, [`${device.where}: ${describeInfo(info)}`]);
        break;
      }
      case 'counters': {
        const c = await device.counters();
        show({ cycles: Number(c.cycles), deltas: Number(c.deltas) }, [`cycles ${c.cycles}`, `deltas ${c.deltas}`]);
        break;
      }
      case 'bench': {
        const report = await benchDevice(device, {
          count: args.count ?? DEFAULT_BENCH_COUNT,
          batch: args.batch ?? DEFAULT_BENCH_BATCH,
          frames: args.frames ?? 'both',
          clockMHz,
        });
        show(report, benchLines(report));
        break;
      }
    }
  } finally {
    await device.close();
  }
}

function wholeOption(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new AtomikError(`must be a whole number >= 1, got ${String(value)}`, { where: flag });
  return n;
}

export const deviceCommand: CommandModule<object, Record<string, unknown>> = {
  command: 'device <action> [values..]',
  describe: 'talk to a programmed board over its UART: load, accum, read, status, info, counters, bench',
  builder: (y: Argv<object>) =>
    y
      .positional('action', { choices: DEVICE_ACTIONS, describe: 'what to do' })
      .positional('values', { type: 'string', array: true, describe: 'load: a value; accum: deltas (decimal or 0x hex)' })
      .option('port', { type: 'string', demandOption: true, describe: 'serial port, e.g. /dev/ttyUSB1 (Tang Nano 9K: the second interface), or the virtual board\'s' })
      .option('width', { type: 'string', describe: "expected word width (default: the device's, from INFO)" })
      .option('banks', { type: 'string', describe: 'expected bank count (checked against the device)' })
      .option('mode', { choices: MODES, describe: 'expected mode (checked against the device)' })
      .option('baud', { type: 'string', describe: `line rate of the port (default ${UART_BAUD}; the design's --baud)` })
      .option('timeout-ms', { type: 'string', describe: 'reply deadline beyond the line time (default 500)' })
      .option('count', { type: 'string', describe: `bench: deltas per run (default ${DEFAULT_BENCH_COUNT})` })
      .option('batch', { type: 'string', describe: `bench: deltas per write, each write fenced by SYNC (default ${DEFAULT_BENCH_BATCH})` })
      .option('frames', { choices: BENCH_FRAMES, describe: 'bench: single ACCUM frames, BATCH frames, or a run of each (default both)' })
      .option('clock-mhz', {
        type: 'string',
        describe: "bench: the clock the device's counters count, in MHz, for deltas per second of device time (a board: the design's clockMHz; the virtual board: the virtual clock `atomik-gen sim` prints)",
      })
      .option('json', { type: 'boolean', describe: 'print the result as JSON on stdout' })
      .example('$0 device --port /dev/ttyUSB1 info', 'what the board runs: width, banks, mode, line rate, generator version')
      .example('$0 device --port /dev/ttyUSB1 accum 0x5 0xF0', 'XOR two deltas into the state, then `read` shows it')
      .example('$0 device --port /dev/ttyUSB1 --baud 3000000 bench --clock-mhz 81', 'deltas per second over the link, in device time and the line limit, single and batched frames') as Argv<
      Record<string, unknown>
    >,
  handler: (argv) =>
    runDevice({
      port: String(argv.port),
      action: argv.action as DeviceAction,
      values: ((argv.values as unknown[] | undefined) ?? []).map(String),
      width: wholeOption(argv.width, '--width'),
      banks: wholeOption(argv.banks, '--banks'),
      mode: argv.mode as DeviceMode | undefined,
      baud: wholeOption(argv.baud, '--baud'),
      timeoutMs: wholeOption(argv['timeout-ms'], '--timeout-ms'),
      count: wholeOption(argv.count, '--count'),
      batch: wholeOption(argv.batch, '--batch'),
      frames: argv.frames as BenchFrames | undefined,
      clockMHz: positiveNumber(argv['clock-mhz'], '--clock-mhz'),
      json: argv.json === true,
    }),
};
