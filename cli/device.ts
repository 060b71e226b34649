// `atomik-gen program`: loads a design's bitstream into the board with openFPGALoader and the board's programmer
// arguments (boards/*.ts). `atomik-gen device`: talks to a programmed board over its UART with the host library
// (host/device.ts): load, accum, read, status, info, counters, and a bench of deltas per second over the link.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { AtomikDevice, describeInfo, type DeviceMode } from '../host/device.js';
import { designFromArgs, withDesignFlags } from './design-flags.js';
import { MODES } from '../generator/design/design.js';
import { AtomikError } from '../generator/common/errors.js';
import { shownPath as shown } from '../generator/common/shown.js';
import { buildPlan } from '../generator/plan/plan.js';
import { COUNTER_MASK, UART_BAUD, UART_BYTE_BITS, frameBytes, opcodeByLetter } from '../generator/protocol/uart.js';
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
const NO_BOARD = /unable to open ftdi device|device not found|no (usb )?device found|no cable|cable not found|JTAG init failed|libusb_open|fails? to open|cannot find (the )?(board|device|cable)/i;

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
  /** bench: deltas to send. */
  readonly count?: number | undefined;
  /** bench: deltas per accumMany (one write, one SYNC fence). */
  readonly batch?: number | undefined;
}

export const DEFAULT_BENCH_COUNT = 5000;
export const DEFAULT_BENCH_BATCH = 256;

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

export interface BenchResult {
  readonly count: number;
  readonly batch: number;
  readonly seconds: number;
  /** Measured over the link, wall clock: deltas sent and fenced per second. */
  readonly deltasPerSecond: number;
  /** The most a line of this baud can carry with frames of this width: baud / 10 / frame bytes. */
  readonly lineLimitPerSecond: number;
  readonly frameBytes: number;
  /** Core cycles the device counted during the run. */
  readonly deviceCycles: bigint;
}

/** Sends `count` deltas in batches, then checks the state and the delta counter against what was sent. */
export async function runBench(device: AtomikDevice, count: number, batch: number): Promise<BenchResult> {
  if (!Number.isInteger(count) || count < 1) throw new AtomikError(`must be a whole number >= 1, got ${count}`, { where: '--count' });
  if (!Number.isInteger(batch) || batch < 1) throw new AtomikError(`must be a whole number >= 1, got ${batch}`, { where: '--batch' });
  const deltas = benchDeltas(count, device.width);
  const expected = deltas.reduce((a, d) => a ^ d, 0n);
  await device.load(0n);
  const before = await device.counters();
  const started = performance.now();
  for (let i = 0; i < deltas.length; i += batch) await device.accumMany(deltas.slice(i, i + batch));
  const seconds = (performance.now() - started) / 1000;
  const after = await device.counters();
  const state = await device.read();
  if (state !== expected) {
    throw new AtomikError(`the state after the bench is ${formatWord(state, device.width)}, expected ${formatWord(expected, device.width)}`, {
      where: device.where,
      hint: 'deltas were lost or corrupted on the link',
    });
  }
  const counted = (after.deltas - before.deltas) & COUNTER_MASK;
  if (counted !== BigInt(count)) {
    throw new AtomikError(`the device counted ${counted} deltas, ${count} were sent`, { where: device.where });
  }
  const bytes = frameBytes(opcodeByLetter('A'), device.width);
  return {
    count,
    batch,
    seconds,
    deltasPerSecond: count / seconds,
    lineLimitPerSecond: device.baud / UART_BYTE_BITS / bytes,
    frameBytes: bytes,
    deviceCycles: (after.cycles - before.cycles) & COUNTER_MASK,
  };
}

function round(x: number): string {
  return Math.round(x).toLocaleString('en-US').replace(/,/g, ' ');
}

/** Runs one `device` action against the port. */
export async function runDevice(args: DeviceArgs, out: NodeJS.WritableStream = process.stdout): Promise<void> {
  const say = writer(out);
  const device = await AtomikDevice.open(args.port, {
    ...(args.width === undefined ? {} : { width: args.width }),
    ...(args.banks === undefined ? {} : { banks: args.banks }),
    ...(args.mode === undefined ? {} : { mode: args.mode }),
    ...(args.baud === undefined ? {} : { baud: args.baud }),
    ...(args.timeoutMs === undefined ? {} : { timeoutMs: args.timeoutMs }),
  });
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
        say(`loaded ${formatWord(v, W)}`);
        break;
      }
      case 'accum': {
        needValues('some');
        const ds = values.map((t, i) => parseWord(t, W, `delta ${i + 1}`));
        await device.accumMany(ds);
        say(`accumulated ${ds.length} delta(s)`);
        break;
      }
      case 'read':
        say(formatWord(await device.read(), W));
        break;
      case 'status':
        say((await device.status()).clean ? 'clean (accumulator zero: state == reference)' : 'dirty (accumulator non-zero)');
        break;
      case 'info': {
        const info = await device.info();
        say(`${device.where}: ${describeInfo(info)}`);
        break;
      }
      case 'counters': {
        const c = await device.counters();
        say(`cycles ${c.cycles}`);
        say(`deltas ${c.deltas}`);
        break;
      }
      case 'bench': {
        const count = args.count ?? DEFAULT_BENCH_COUNT;
        const batch = args.batch ?? DEFAULT_BENCH_BATCH;
        say(`bench: ${count} deltas of ${W} bits in batches of ${batch} (one write, then a SYNC fence) over ${device.where} at ${device.baud} baud`);
        const r = await runBench(device, count, batch);
        say(`bench: ${round(r.deltasPerSecond)} deltas/s measured over the link (${count} deltas in ${r.seconds.toFixed(3)} s, wall clock, state and delta counter checked)`);
        say(`bench: line limit ${round(r.lineLimitPerSecond)} deltas/s for ${r.frameBytes}-byte frames at ${device.baud} baud; published ATOMiK host scripts: about ${round(PUBLISHED_HOST_DELTAS_PER_S)} deltas/s`);
        say(`bench: the device counted ${r.deviceCycles} core cycles during the run`);
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
      .option('port', { type: 'string', demandOption: true, describe: 'serial port, e.g. /dev/ttyUSB1 (Tang Nano 9K: the second interface)' })
      .option('width', { type: 'string', describe: "expected word width (default: the device's, from INFO)" })
      .option('banks', { type: 'string', describe: 'expected bank count (checked against the device)' })
      .option('mode', { choices: MODES, describe: 'expected mode (checked against the device)' })
      .option('baud', { type: 'string', describe: `line rate (default ${UART_BAUD})` })
      .option('timeout-ms', { type: 'string', describe: 'reply deadline beyond the line time (default 500)' })
      .option('count', { type: 'string', describe: `bench: deltas to send (default ${DEFAULT_BENCH_COUNT})` })
      .option('batch', { type: 'string', describe: `bench: deltas per write + SYNC fence (default ${DEFAULT_BENCH_BATCH})` })
      .example('$0 device --port /dev/ttyUSB1 info', 'what the board runs: width, banks, mode, generator version')
      .example('$0 device --port /dev/ttyUSB1 accum 0x5 0xF0', 'XOR two deltas into the state, then `read` shows it') as Argv<Record<string, unknown>>,
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
    }),
};
