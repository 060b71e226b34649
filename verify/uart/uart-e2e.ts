// The UART end to end check: the generated board top (`<name>_top`, with the vendor stand-ins from stubs/) runs under
// Verilator with a UART bus-functional model on its pins (templates/sim/uart_bfm_harness.cpp.hbs). The BFM plays the
// frames of uart-stimulus.ts, malformed input included, and decodes every byte on uart_tx; the host model
// (host-model.ts) predicts every reply byte. What is compared:
// - every reply byte, in order, exactly, except the COUNTERS cycle counter;
// - COUNTERS: the length (12 bytes); the delta counter exactly (deltas carried out since reset: the board samples it
//   after every earlier frame has been carried out); the cycle counter within a window: no more than the cycles from
//   the release of the reset button to the reply's start bit, no fewer than that minus COUNTERS_WINDOW_BYTES byte times
//   (the reply may wait behind the last byte of the previous reply), and above the previous COUNTERS reply's;
// - every reply byte has a good stop bit, no byte arrives that the model does not predict, and no reply is later than
//   the script's waits allow;
// - the error LED: off until the first malformed item that must set it (framing error, partial frame timed out), on
//   from that item on, and never on in a run without one.
import { findBoard } from '../../boards/index.js';
import type { Design } from '../../generator/design/design.js';
import { commentBlock, renderTemplate } from '../../generator/common/render.js';
import { LED_ROLES, rtlContext } from '../../generator/rtl/context.js';
import type { FindToolOptions } from '../../generator/tools/tools.js';
import { GENERATOR_VERSION } from '../../generator/common/version.js';
import { hexBytes } from '../../generator/protocol/codec.js';
import { HALF_CYCLE, TIME_PER_CYCLE } from '../../sim/harness.js';
import { parseCounters, uartTiming } from './host-model.js';
import type { SourceFile } from '../../sim/sim-files.js';
import { scriptedSim } from '../../sim/scripted-sim.js';
import { uartStimulus, uartStimulusOf, type UartItem, type UartStimulus } from './uart-stimulus.js';

export interface UartEndToEndOptions {
  /** A design with `host: 'uart'` (and no bench top). */
  readonly design: Design;
  /** The design's output folder; the simulation lives in `<outDir>/sim/uart-e2e/`. */
  readonly outDir: string;
  readonly seed: number;
  /** Random frames after the directed block (default 300). */
  readonly frames?: number;
  /** Fault injection: gets each RTL file (`<name>_host_uart.v`, ...) and returns the text to simulate instead. */
  readonly editRtl?: (file: string, text: string) => string;
  /** The board top's sources instead of the plan's RTL (a netlist: verify/netlist/), and the simulation folder's name. */
  readonly sources?: { readonly files: readonly SourceFile[]; readonly simName: string };
  /** Items to send instead of the directed block and `frames` random ones (a short list for a slow netlist). */
  readonly items?: readonly UartItem[];
  /** On a mismatch, rebuild with tracing and write a VCD around it (default true). */
  readonly waveform?: boolean;
  readonly progress?: (line: string) => void;
  readonly tools?: FindToolOptions;
  /** Verilator's runtime-object cache (verilator.ts). */
  readonly cacheDir?: string;
}

export interface UartMismatch {
  /** Index of the item (frame or malformed input) the first wrong reply belongs to, or the one that was on the line. */
  readonly frame: number;
  /** That item, as the stimulus describes it ("R", "short A: ...", ...). */
  readonly label: string;
  /** What was expected and what arrived, bytes in hex (or a few words for the error LED). */
  readonly expected: string;
  readonly actual: string;
  /** The cycle of the first wrong byte (its start bit), or of the event. */
  readonly cycle: number | null;
  readonly waveform: string | null;
  readonly report: string;
}

export interface UartEndToEndResult {
  readonly passed: boolean;
  /** Items sent (frames and malformed input). */
  readonly frames: number;
  /** Reply bytes that matched the model before the first mismatch (all of them when passed). */
  readonly bytesChecked: number;
  readonly mismatch: UartMismatch | null;
  /** Simulated core clock cycles. */
  readonly cycles: number;
  /** The simulation and the comparison, without the build. */
  readonly seconds: number;
  readonly buildSeconds: number;
  readonly buildReused: boolean;
  readonly simDir: string;
  /** How many items of each kind were sent, by label head ("A", "R", "short", "junk", ...). */
  readonly coverage: Readonly<Record<string, number>>;
}

/** Byte times a COUNTERS reply may wait after its sample (the last byte of the reply before it), plus slack. */
export const COUNTERS_WINDOW_BYTES = 2;
export const UART_E2E_HARNESS = 'uart_bfm_harness.cpp';
const DEFAULT_FRAMES = 300;

/** The LED showing the sticky error flag on the design's board, or undefined when the board has too few LEDs for it. */
function errorLedIndex(design: Design): number | undefined {
  const board = findBoard(design.board);
  if (!board) throw new Error(`internal: unknown board ${design.board}`);
  const index = LED_ROLES.findIndex((r) => r.signal === 'error_seen');
  return index >= 0 && index < board.leds.length ? index : undefined;
}

/** The harness for a design's board top. */
export function uartBfmHarness(design: Design): SourceFile {
  const board = findBoard(design.board);
  if (!board) throw new Error(`internal: unknown board ${design.board}`);
  const context = rtlContext(design, board);
  const errorLed = errorLedIndex(design);
  const header = commentBlock(
    [
      `Generated by atomik-gen ${GENERATOR_VERSION}. Do not edit: it is written again for every UART end-to-end run.`,
      `UART end-to-end harness for ${design.name}_top: ${design.banks} bank(s) x ${design.width} bit(s), ${design.mode}, ` +
        `pipeline ${design.pipeline}, ${design.clockMHz} MHz, ${context.uart.clksPerBit} cycles per bit.`,
    ],
    '//',
  );
  return {
    path: UART_E2E_HARNESS,
    text: renderTemplate('sim/uart_bfm_harness.cpp.hbs', {
      header,
      top: `${design.name}_top`,
      clockPort: board.clock.port,
      clksPerBit: context.uart.clksPerBit,
      buttonPressed: context.resetActiveLow ? 0 : 1,
      buttonReleased: context.resetActiveLow ? 1 : 0,
      errorLed: errorLed !== undefined,
      errorLedIndex: errorLed ?? 0,
      ledActiveLow: context.ledActiveLow,
      timePerCycle: TIME_PER_CYCLE,
      halfCycle: HALF_CYCLE,
    }),
  };
}

// ---- the harness's output ------------------------------------------------------------------------------------------

interface RxByte {
  readonly value: number;
  readonly cycle: number;
  readonly ok: boolean;
}

interface HarnessOutput {
  readonly bytes: RxByte[];
  readonly marks: Map<number, number>;
  readonly late: { bytes: number; have: number; cycle: number }[];
  readonly errorLed: { on: boolean; cycle: number }[];
  readonly resetCycle: number;
  readonly endCycle: number;
}

export function parseHarnessOutput(text: string): HarnessOutput {
  const out: HarnessOutput = { bytes: [], marks: new Map(), late: [], errorLed: [], resetCycle: -1, endCycle: -1 };
  let reset = -1;
  let end = -1;
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    switch (f[0]) {
      case 'byte':
        out.bytes.push({ value: Number.parseInt(f[1]!, 16), cycle: Number(f[2]), ok: f[3] === 'ok' });
        break;
      case 'mark':
        out.marks.set(Number(f[1]), Number(f[2]));
        break;
      case 'late':
        out.late.push({ bytes: Number(f[1]), have: Number(f[2]), cycle: Number(f[3]) });
        break;
      case 'error-led':
        out.errorLed.push({ on: f[1] === '1', cycle: Number(f[2]) });
        break;
      case 'reset':
        reset = Number(f[1]);
        break;
      case 'end':
        end = Number(f[1]);
        break;
      default:
        break;
    }
  }
  return { ...out, resetCycle: reset, endCycle: end };
}

// ---- the comparison --------------------------------------------------------------------------------------------------

interface Found {
  readonly frame: number;
  readonly expected: string;
  readonly actual: string;
  readonly cycle: number | null;
  readonly why: string;
}

/** Reply bytes for a report, all of them ("" when none). */
const hex = (bytes: readonly number[]) => (bytes.length > 0 ? hexBytes(bytes, Infinity) : '');

/** Compares the harness's output with the stimulus's predictions; returns the first difference and the bytes checked. */
export function compareUart(design: Design, stim: UartStimulus, out: HarnessOutput): { found: Found | null; bytesChecked: number } {
  if (out.resetCycle < 0 || out.endCycle < 0) {
    return { found: { frame: 0, expected: 'a complete run', actual: 'the harness stopped early', cycle: null, why: 'the harness output is incomplete' }, bytesChecked: 0 };
  }
  const replies = compareReplies(design, stim, out);
  // a board with too few LEDs shows no error flag: its replies are all there is to check
  const shown = errorLedIndex(design) !== undefined;
  const found = replies.found ?? extraBytes(stim, out, replies.pos) ?? lateReplies(stim, out) ?? (shown ? errorLed(stim, out) : null);
  return { found, bytesChecked: replies.checked };
}

/** The item whose bytes were last sent by `cycle` (0 when none). */
function itemAt(stim: UartStimulus, out: HarnessOutput, cycle: number): number {
  let best = 0;
  for (const [item, at] of out.marks) if (at <= cycle && item >= best && item < stim.items.length) best = item;
  return best;
}

/** Every predicted reply against the bytes that arrived, in order; `pos` is where the predicted bytes end. */
function compareReplies(design: Design, stim: UartStimulus, out: HarnessOutput): { found: Found | null; pos: number; checked: number } {
  const { byteCycles } = uartTiming(design);
  let pos = 0;
  let checked = 0;
  let lastCycleCount = -1n;
  for (const { item, reply } of stim.replies) {
    const got = out.bytes.slice(pos, pos + reply.length);
    const values = got.map((b) => b.value);
    const expectedText = reply.bytes ? hex(reply.bytes) : `${reply.length} bytes: a cycle count, then delta count ${reply.counters?.deltaCount ?? 0n}`;
    const fail = (why: string, at: number | null) => ({ found: { frame: item, expected: expectedText, actual: hex(values) || '(nothing)', cycle: at, why }, pos, checked });
    if (got.length < reply.length) return fail(`only ${got.length} of the ${reply.length} reply byte(s) arrived`, got[0]?.cycle ?? null);
    const bad = got.findIndex((b) => !b.ok);
    if (bad >= 0) return fail(`reply byte ${bad} has a low stop bit`, got[bad]!.cycle);
    if (reply.bytes) {
      const at = reply.bytes.findIndex((b, i) => b !== values[i]);
      if (at >= 0) return fail(`reply byte ${at} differs`, got[at]!.cycle);
    } else {
      const { cycleCount, deltaCount } = parseCounters(values);
      const first = got[0]!.cycle;
      const most = BigInt(first - out.resetCycle);
      const least = most - BigInt(COUNTERS_WINDOW_BYTES * byteCycles);
      if (deltaCount !== reply.counters!.deltaCount) return fail(`the delta counter is ${deltaCount}, the model counted ${reply.counters!.deltaCount} deltas`, first);
      if (cycleCount > most || cycleCount < least) {
        return fail(`the cycle counter ${cycleCount} is outside ${least}..${most} (cycles from the reset release to the reply)`, first);
      }
      if (cycleCount <= lastCycleCount) return fail(`the cycle counter ${cycleCount} is not above the previous one, ${lastCycleCount}`, first);
      lastCycleCount = cycleCount;
    }
    pos += reply.length;
    checked += reply.length;
  }
  return { found: null, pos, checked };
}

/** Bytes after the last predicted reply. */
function extraBytes(stim: UartStimulus, out: HarnessOutput, pos: number): Found | null {
  if (out.bytes.length <= pos) return null;
  const extra = out.bytes.slice(pos);
  return {
    frame: itemAt(stim, out, extra[0]!.cycle),
    expected: '(no more bytes)',
    actual: hex(extra.slice(0, 32).map((b) => b.value)),
    cycle: extra[0]!.cycle,
    why: `${extra.length} byte(s) arrived that the model does not predict`,
  };
}

/** Replies the script waited for and that had not all arrived by then. */
function lateReplies(stim: UartStimulus, out: HarnessOutput): Found | null {
  const l = out.late[0];
  if (!l) return null;
  return { frame: itemAt(stim, out, l.cycle), expected: `${l.bytes} reply bytes by cycle ${l.cycle}`, actual: `${l.have}`, cycle: l.cycle, why: 'replies arrived later than the script waits' };
}

/** The error LED: sticky from the first item that sets the error flag, and off until then. */
function errorLed(stim: UartStimulus, out: HarnessOutput): Found | null {
  const firstOn = out.errorLed.find((e) => e.on);
  const off = out.errorLed.find((e) => !e.on);
  if (off) {
    return { frame: itemAt(stim, out, off.cycle), expected: 'error LED stays on', actual: `off in cycle ${off.cycle}`, cycle: off.cycle, why: 'the sticky error flag went off' };
  }
  if (stim.firstErrorItem === null) {
    if (!firstOn) return null;
    return { frame: itemAt(stim, out, firstOn.cycle), expected: 'error LED off (no malformed input)', actual: `on in cycle ${firstOn.cycle}`, cycle: firstOn.cycle, why: 'an error was flagged' };
  }
  const e = stim.firstErrorItem;
  const from = out.marks.get(e) ?? 0;
  const to = out.marks.get(e + 1) ?? out.endCycle;
  if (firstOn && firstOn.cycle >= from && firstOn.cycle <= to) return null;
  return {
    frame: e,
    expected: `error LED on between cycles ${from} and ${to}`,
    actual: firstOn ? `on in cycle ${firstOn.cycle}` : 'never on',
    cycle: firstOn?.cycle ?? from,
    why: 'the error flag does not follow the first malformed input',
  };
}

// ---- the run -------------------------------------------------------------------------------------------------------

export async function uartEndToEnd(opts: UartEndToEndOptions): Promise<UartEndToEndResult> {
  const { design } = opts;
  if (design.host !== 'uart') throw new Error(`the UART end-to-end check needs a design with host "uart", not "${design.host}"`);
  if (design.bench) throw new Error('the UART end-to-end check needs a design without the bench top (its generator drives the deltas)');
  if (!Number.isSafeInteger(opts.seed)) throw new RangeError(`seed must be a whole number, got ${opts.seed}`);
  const say = opts.progress ?? (() => {});
  const sim = await scriptedSim({
    design,
    outDir: opts.outDir,
    name: opts.sources?.simName ?? 'uart-e2e',
    sources: opts.sources?.files,
    harnessTitle: 'the UART harness',
    harness: uartBfmHarness(design),
    withStubs: true,
    editRtl: opts.editRtl,
    progress: say,
    tools: opts.tools,
    cacheDir: opts.cacheDir,
  });
  const { simDir, built } = sim;

  const started = performance.now();
  const stim = opts.items ? uartStimulusOf(design, opts.seed, opts.items) : uartStimulus(design, opts.seed, opts.frames ?? DEFAULT_FRAMES);
  const { text, scriptPath, outputPath } = await sim.run(stim.script);
  const out = parseHarnessOutput(text);
  const { found, bytesChecked } = compareUart(design, stim, out);
  const seconds = (performance.now() - started) / 1000;
  say(`uart-e2e: ${stim.items.length} frames, ${out.endCycle} cycles, ${found ? `mismatch at frame ${found.frame}` : `all ${bytesChecked} reply bytes match`}`);

  let mismatch: UartMismatch | null = null;
  if (found) {
    let waveform: string | null = null;
    let waveformNote = 'not written (waveform: false)';
    if (opts.waveform !== false) {
      const { byteCycles } = uartTiming(design);
      const at = found.cycle ?? out.endCycle;
      const w = await sim.waveform(Math.max(0, at - 24 * byteCycles), at + 4 * byteCycles, `mismatch-frame${found.frame}.vcd`);
      waveform = w.path;
      waveformNote = w.note;
    }
    mismatch = { ...found, label: stim.items[found.frame]?.label ?? '(after the last frame)', waveform, report: describe(opts, stim, found, out, scriptPath, outputPath, waveformNote) };
  }
  const coverage: Record<string, number> = {};
  for (const item of stim.items) {
    const head = item.label.split(/[ :]/)[0]!;
    coverage[head] = (coverage[head] ?? 0) + 1;
  }
  return {
    passed: mismatch === null,
    frames: stim.items.length,
    bytesChecked,
    mismatch,
    cycles: out.endCycle,
    seconds,
    buildSeconds: built.seconds,
    buildReused: built.reused,
    simDir,
    coverage,
  };
}

function describe(
  opts: UartEndToEndOptions,
  stim: UartStimulus,
  f: Found,
  out: HarnessOutput,
  scriptPath: string,
  outputPath: string,
  waveformNote: string,
): string {
  const d = opts.design;
  const { clksPerBit } = uartTiming(d);
  const first = Math.max(0, f.frame - 6);
  const recent = stim.items.slice(first, f.frame + 1).map((item, i) => {
    const at = out.marks.get(first + i);
    return `    ${first + i}${at === undefined ? '' : ` (cycle ${at})`}: ${item.label}`;
  });
  return [
    `uart-e2e: ${d.name}_top (${d.banks} bank(s) x ${d.width} bit(s), ${d.mode}, pipeline ${d.pipeline}, ${d.clockMHz} MHz, ` +
      `${clksPerBit} cycles per bit) differs from the host model at frame ${f.frame} of ${stim.items.length}, seed ${opts.seed}`,
    `  ${f.why}${f.cycle === null ? '' : ` (cycle ${f.cycle})`}`,
    `  frame ${f.frame}: ${stim.items[f.frame]?.label ?? '(after the last frame)'}`,
    `  expected: ${f.expected}`,
    `  actual:   ${f.actual}`,
    `  frames up to it (cycle = when its first byte went out):`,
    ...recent,
    `  script: ${scriptPath}`,
    `  harness output: ${outputPath}`,
    `  waveform: ${waveformNote}`,
    opts.items
      ? `  reproduce: uartEndToEnd with the same design, sources (${opts.sources?.simName ?? 'the RTL'}) and ${opts.items.length} items`
      : `  reproduce: uartEndToEnd with the same design, seed ${opts.seed}, frames ${opts.frames ?? DEFAULT_FRAMES}`,
  ].join('\n');
}
