// The host link, measured: how many deltas per second the board takes over its UART, for single ACCUM frames and for
// BATCH frames, at a line rate.
//
// A simulator cannot run a 3 Mbit/s line in real time on these machines (the board top would have to simulate 81 M
// cycles per second), so the figure is taken in device time: the board top runs free under Verilator on a
// pseudo-terminal (sim/uart-pty.ts), the host hands it COUNTERS, N frames and COUNTERS in one write, the harness puts
// them on the receive pin back to back at the line rate, and the device's own counters say how many deltas it took in
// how many core cycles. deltas x clock / cycles is then what the line carries into the core per second of device
// time; a READ afterwards checks that none was lost or corrupted. The line limit, computed from the frame sizes, stands
// beside it. The real-time virtual board (`atomik-gen sim`) gives the wall-clock figure at rates it can keep up with.
import { join } from 'node:path';
import { fromBigEndian } from '../generator/protocol/codec.js';
import { COUNTER_MASK, COUNTERS_BYTES, decodeCounters, encodeBatch, encodeFrame, lineLimit, MAX_BATCH, payloadBytes } from '../generator/protocol/uart.js';
import { AtomikError } from '../generator/common/errors.js';
import { resolveDesign, type Design } from '../generator/design/design.js';
import { buildPlan } from '../generator/plan/plan.js';
import { startUartPtySim } from '../sim/uart-pty.js';
import { Prng } from '../verify/core/stimulus.js';
import { AtomikDevice, openSerialTransport, type DeviceTransport } from '../host/device.js';
import { errText } from './common.js';
import { judge, table, type Row } from './tables.js';

export type LinkFrames = 'single' | 'batch';

export interface LinkRun {
  readonly frames: LinkFrames;
  readonly baud: number;
  readonly deltas: number;
  /** Core cycles the device counted from the first COUNTERS to the second. */
  readonly cycles: bigint;
  /** deltas x clock / cycles: deltas per second of device time. */
  readonly deltasPerSecond: number;
  /** The most the line carries with these frames (computed). */
  readonly lineLimitPerSecond: number;
  /** The state read afterwards equals the XOR of every delta sent, and the delta counter moved by `deltas`. */
  readonly noneLost: boolean;
}

/** Bytes from the transport, handed out in order, with a deadline per read. */
function reader(transport: DeviceTransport): (n: number, what: string, timeoutMs: number) => Promise<number[]> {
  const buffered: number[] = [];
  let wake: (() => void) | undefined;
  transport.onData((chunk) => {
    buffered.push(...chunk);
    wake?.();
  });
  return async (n, what, timeoutMs) => {
    const deadline = performance.now() + timeoutMs;
    while (buffered.length < n) {
      const left = deadline - performance.now();
      if (left <= 0) throw new AtomikError(`the co-simulation sent ${buffered.length} of the ${n} bytes of ${what} within ${timeoutMs} ms`, { where: transport.description });
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
    return buffered.splice(0, n);
  };
}

/**
 * Sends `count` pseudo-random deltas to the co-simulation at `path` back to back, in single ACCUM frames or in BATCH
 * frames of up to MAX_BATCH, between two COUNTERS requests, and reads the counted cycles, then the state.
 */
export async function measureLink(path: string, design: Design, frames: LinkFrames, count: number, timeoutMs: number): Promise<LinkRun> {
  const W = design.width;
  const rng = new Prng(count);
  const deltas = Array.from({ length: count }, () => rng.bigint(W));
  const expected = deltas.reduce((a, d) => a ^ d, 0n);
  const bytes: number[] = [...encodeFrame('L', W, 0n), ...encodeFrame('C', W)];
  if (frames === 'single') {
    for (const d of deltas) bytes.push(...encodeFrame('A', W, d));
  } else {
    for (let i = 0; i < deltas.length; i += MAX_BATCH) bytes.push(...encodeBatch(W, deltas.slice(i, i + MAX_BATCH)));
  }
  bytes.push(...encodeFrame('C', W), ...encodeFrame('R', W));

  const transport = await openSerialTransport(path, design.baud);
  try {
    const read = reader(transport);
    await transport.write(Uint8Array.from(bytes));
    const before = decodeCounters(await read(COUNTERS_BYTES, 'the first COUNTERS reply', timeoutMs));
    const after = decodeCounters(await read(COUNTERS_BYTES, 'the second COUNTERS reply', timeoutMs));
    const state = fromBigEndian(await read(payloadBytes(W), 'the READ reply', timeoutMs));
    const cycles = (after.cycles - before.cycles) & COUNTER_MASK;
    const counted = (after.deltas - before.deltas) & COUNTER_MASK;
    return {
      frames,
      baud: design.baud,
      deltas: count,
      cycles,
      deltasPerSecond: (count * design.clockMHz * 1e6) / Number(cycles),
      lineLimitPerSecond: lineLimit(design.baud, W, frames === 'single' ? 'single' : Math.min(count, MAX_BATCH)),
      noneLost: counted === BigInt(count) && state === expected,
    };
  } finally {
    await transport.close();
  }
}

// ---- the bench section ---------------------------------------------------------------------------------------------

/** Line rates the bench measures: the published one and the Tang Nano 9K bridge's most. */
export const LINK_BAUDS = [115_200, 3_000_000] as const;
/** The batched target at 3 Mbit/s (issue 14). */
export const LINK_TARGET_DELTAS_PER_S = 30_000;
/** Deltas per run: ten BATCH frames' worth at 3 Mbit/s; fewer at 115200, where every byte is 703 simulated cycles. */
const LINK_COUNTS: Readonly<Record<number, number>> = { 115_200: 4 * MAX_BATCH, 3_000_000: 10 * MAX_BATCH };


/** One wall-clock run on the real-time virtual board: deltas sent with the driver and fenced, per second. */
export interface RealTimeRun {
  readonly frames: LinkFrames;
  readonly deltas: number;
  readonly seconds: number;
  readonly deltasPerSecond: number;
  readonly lineLimitPerSecond: number;
  readonly noneLost: boolean;
}

/** Sends `count` deltas through the driver (`accumMany`, fenced by SYNC) and times it on the wall clock. */
export async function measureRealTime(path: string, design: Design, frames: LinkFrames, count: number): Promise<RealTimeRun> {
  const rng = new Prng(count + 1);
  const deltas = Array.from({ length: count }, () => rng.bigint(design.width));
  const device = await AtomikDevice.open(path, { baud: design.baud, width: design.width });
  try {
    await device.load(0n);
    await device.sync();
    const started = performance.now();
    await device.accumMany(deltas, { frames });
    const seconds = (performance.now() - started) / 1000;
    const state = await device.read();
    return {
      frames,
      deltas: count,
      seconds,
      deltasPerSecond: count / seconds,
      lineLimitPerSecond: lineLimit(design.baud, design.width, frames === 'single' ? 'single' : Math.min(count, MAX_BATCH)),
      noneLost: state === deltas.reduce((a, d) => a ^ d, 0n),
    };
  } finally {
    await device.close();
  }
}

export interface LinkBench {
  /** Device-time runs, free-running, by line rate then frame kind. */
  readonly deviceTime: readonly LinkRun[];
  /** Wall-clock runs on the real-time virtual board at 115200. */
  readonly realTime: readonly RealTimeRun[];
  /** The default Tang Nano 9K design, the one measured (at each rate in device time, at its own on the wall clock). */
  readonly design: Design;
  readonly errors: readonly string[];
}

/** Runs the host-link measurements of `npm run bench`. */
export async function runLinkBench(outDir: string, log: (line: string) => void): Promise<LinkBench> {
  const deviceTime: LinkRun[] = [];
  const realTime: RealTimeRun[] = [];
  const errors: string[] = [];
  for (const baud of LINK_BAUDS) {
    const design = resolveDesign({ baud });
    const plan = buildPlan(design, join(outDir, `link-${baud}`));
    log(`host link: ${baud} baud, free-running co-simulation of the default design`);
    const { sim } = await startUartPtySim({ plan, freeRun: true, maxSeconds: 1200 });
    try {
      for (const frames of ['single', 'batch'] as const) {
        const count = frames === 'single' ? Math.round(LINK_COUNTS[baud]! / 4) : LINK_COUNTS[baud]!;
        const run = await measureLink(sim.path, design, frames, count, 600_000);
        log(`host link: ${baud} baud, ${frames}: ${Math.round(run.deltasPerSecond)} deltas/s of device time (line limit ${Math.round(run.lineLimitPerSecond)})`);
        deviceTime.push(run);
      }
    } catch (err) {
      errors.push(`${baud} baud, device time: ${errText(err)}`);
    } finally {
      await sim.stop();
    }
  }
  const design = resolveDesign({});
  log(`host link: ${design.baud} baud, the real-time virtual board`);
  const { sim } = await startUartPtySim({ plan: buildPlan(design, join(outDir, 'link-real-time')), maxSeconds: 600 });
  try {
    for (const frames of ['single', 'batch'] as const) realTime.push(await measureRealTime(sim.path, design, frames, frames === 'single' ? 300 : 4 * MAX_BATCH));
  } catch (err) {
    errors.push(`real time: ${errText(err)}`);
  } finally {
    await sim.stop();
  }
  return { deviceTime, realTime, design, errors };
}

const rate = (x: number) => `${Math.round(x).toLocaleString('en-US')} deltas/s`;
const framesText = (frames: LinkFrames, W: number) =>
  frames === 'single' ? `single ACCUM frames (${payloadBytes(W) + 1} bytes a delta)` : `BATCH frames (${MAX_BATCH} deltas of ${W} bits a frame)`;

/** The host-link rows of results.md. */
export function linkRows(lb: LinkBench): Row[] {
  const W = lb.design.width;
  const rows: Row[] = [];
  for (const r of lb.deviceTime) {
    const figure = `host link, ${r.baud} baud, ${framesText(r.frames, W)}, back to back: device time (Verilator, free-running)`;
    const note =
      `line limit ${rate(r.lineLimitPerSecond)} (computed); ${r.deltas} deltas in ${r.cycles} cycles at ${lb.design.clockMHz} MHz counted by the device; ` +
      (r.noneLost ? 'state and delta counter checked: none lost' : '**deltas lost or corrupted**');
    const lost = r.noneLost ? {} : { met: false, miss: 'deltas lost' };
    rows.push(
      r.baud === 3_000_000 && r.frames === 'batch'
        ? { ...judge(figure, r.deltasPerSecond, 'deltas/s', LINK_TARGET_DELTAS_PER_S, '>=', note, 0), ...lost }
        : { figure, measured: rate(r.deltasPerSecond), target: '(line limit)', met: r.noneLost ? null : false, note, ...lost },
    );
  }
  for (const r of lb.realTime) {
    rows.push({
      figure: `host link, ${lb.design.baud} baud, ${framesText(r.frames, W)}: wall clock on the real-time virtual board (\`atomik-gen sim\`)`,
      measured: rate(r.deltasPerSecond),
      target: '(line limit)',
      met: r.noneLost ? null : false,
      note: `line limit ${rate(r.lineLimitPerSecond)} (computed); ${r.deltas} deltas sent with the driver's accumMany and fenced by SYNC in ${r.seconds.toFixed(3)} s; ${r.noneLost ? 'state checked' : '**state wrong**'}`,
    });
  }
  return rows;
}

/** Section 4 of results.md. */
export function linkSection(lb: LinkBench): string {
  return [
    '## 4. Host link',
    '',
    `The default design (Tang Nano 9K, ${lb.design.banks} banks x ${lb.design.width} bits, ${lb.design.clockMHz} MHz) takes one delta per clock; the host ` +
      'reaches it over the UART. Device time: the board top runs free under Verilator on a pseudo-terminal, the frames go onto its ' +
      'receive pin back to back at the line rate, and the device\'s own COUNTERS say how many deltas it took in how many cycles ' +
      '(bench/link.ts). A simulator cannot run a 3 Mbit/s line in real time on this machine (the top would have to simulate 81 M ' +
      'cycles a second; it manages about 10 M), so those figures are device time, not wall clock. The wall-clock figures come ' +
      'from the real-time virtual board (`atomik-gen sim`) at 115200. Published ATOMiK host scripts: one 9-byte frame per delta at ' +
      '115200 baud with 50-100 ms sleeps per write, about 10-20 deltas/s (at most about 1 280 deltas/s without the sleeps).',
    '',
    table(linkRows(lb)),
    ...(lb.errors.length ? ['', ...lb.errors.map((e) => `- Not measured: ${e}`)] : []),
  ].join('\n');
}
