// The build report: what was built, with which tools, how long each stage took, the resources used against the part,
// Fmax per clock with its source, whether timing was met against the constrained clock, the throughput with its
// basis, and the bitstream. Only measured figures are reported as measured; everything else says what it is.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AtomikError } from '../common/errors.js';
import { canonicalDesign, laneCount, type Design } from '../design/design.js';
import type { BuildPlan, StageResultFile } from '../plan/plan.js';
import { flowOf } from '../vendors/index.js';
import { MAX_BATCH, UART_BYTE_BITS, frameBytes, lineLimit, opcodeByLetter, uartClocks } from '../protocol/uart.js';
import type { FoundTool } from '../tools/tools.js';
import { sourceText, type BuildReport, type ClockReport, type HostLink, type StageReport, type VerificationSummary } from './schema.js';
import { togglingOf, togglingWarning } from './toggling.js';

export type { BuildReport, ClockReport, HostLink, ReportSource, VerificationSummary, VerifiedLevel, VerifyLevel } from './schema.js';
export { VERIFY_LEVELS } from './schema.js';

/** What the pipeline says of one stage; the report shows it without its tools (schema.ts's stage entry). */
export interface StageResult extends StageReport {
  readonly tools: readonly FoundTool[];
  /** A check stage's outcome (the verify stage's cross-check). */
  readonly verification?: VerificationSummary;
}

/**
 * The design's Fmax: the lowest achieved Fmax over its clock domains (the slowest domain limits the design), or null
 * when no timing analysis ran. Every table and check uses this one definition.
 */
export function limitingFmaxMHz(clocks: readonly Pick<ClockReport, 'fmaxMHz'>[]): number | null {
  const known = clocks.map((c) => c.fmaxMHz).filter((f): f is number => f !== null);
  return known.length === 0 ? null : Math.min(...known);
}

/** The stage results of one job, and the result files they left in the output folder. */
interface JobFiles {
  readonly plan: BuildPlan;
  readonly results: readonly StageResult[];
  readonly out: string;
}

/** A stage's planned result file, when the stage ran or was served from the cache. */
function resultOf(job: JobFiles, name: string): StageResultFile | undefined {
  if (!job.results.some((r) => r.stage === name && r.status !== 'skipped')) return undefined;
  return job.plan.stages.find((s) => s.name === name)?.result;
}

/**
 * Reads a stage's result through `parse`; a file that is missing, not JSON or not what the tool should write is one
 * clear error naming the file and the stage, never a stack trace.
 */
function readResult<T>(job: JobFiles, name: string, file: StageResultFile, parse: (json: unknown) => T): T {
  const path = join(job.out, file.path);
  try {
    return parse(JSON.parse(readFileSync(path, 'utf8')) as unknown);
  } catch (err) {
    throw new AtomikError(`cannot read ${file.path}: ${(err as Error).message.split('\n')[0]}`, {
      where: `${name} stage`,
      hint: 'the tool wrote no usable result; see its log, and rerun with --force',
    });
  }
}

/** Resources (after place and route when it ran, else Yosys's) and Fmax per clock, from the vendor flow's parsers. */
function implementationFigures(job: JobFiles, notes: string[]) {
  const { plan } = job;
  const { design, board } = plan;
  const flow = flowOf(board);
  let synthesis: BuildReport['synthesis'] = null;
  let resources: BuildReport['resources'] = null;
  const synthFile = resultOf(job, 'synth');
  if (synthFile) {
    const synth = readResult(job, 'synth', synthFile, (json) => flow.synthesis(json, plan.top, board));
    synthesis = [...synth.resources];
    resources = { source: synth.source, items: [...synth.resources] };
  }
  const clocks: ClockReport[] = [];
  const pnrFile = resultOf(job, 'pnr');
  if (pnrFile) {
    const impl = readResult(job, 'pnr', pnrFile, (json) => flow.implementation(json, board, plan.params.targetMHz));
    resources = { source: impl.resourceSource, items: [...impl.resources] };
    for (const c of impl.clocks) clocks.push({ ...c, source: impl.fmaxSource });
  } else {
    const skipped = job.results.find((r) => r.stage === 'pnr' && r.status === 'skipped');
    const planned = plan.stages.some((s) => s.name === 'pnr');
    const why = skipped?.reason ?? (planned ? 'place and route did not run' : 'this design has no place-and-route stage (host none: the core alone)');
    clocks.push({ clock: 'clk', constraintMHz: design.clockMHz, fmaxMHz: null, met: null, source: { tool: null, stage: 'pnr', kind: 'none', note: why } });
    if (skipped) notes.push(`${skipped.reason ?? 'place and route was skipped'}: this report shows synthesis figures only.`);
  }
  return { synthesis, resources, clocks };
}

interface Counted {
  readonly simulator: string;
  readonly cycles: number;
  readonly deltas: number;
}

/** Counted deltas per cycle x the achieved clock for a bench top; otherwise lanes x clock, by design. */
function throughputOf(design: Design, clocks: readonly ClockReport[], counted: Counted | undefined, notes: string[]): BuildReport['throughput'] {
  if (counted && counted.cycles > 0) {
    // the bench top: counted deltas per cycle x the achieved clock (or the constrained one when nothing was routed)
    const perCycle = counted.deltas / counted.cycles;
    const achieved = limitingFmaxMHz(clocks);
    const clockMHz = achieved ?? design.clockMHz;
    const clockBasis = achieved === null ? `the constrained ${design.clockMHz} MHz (no place and route ran)` : `the achieved Fmax ${achieved} MHz (${sourceText(clocks.find((c) => c.fmaxMHz === achieved)!.source)})`;
    return {
      deltasPerCycle: Math.round(perCycle * 1000) / 1000,
      clockMHz,
      mDeltasPerSecond: Math.round(perCycle * clockMHz * 1000) / 1000,
      basis: {
        tool: counted.simulator,
        stage: 'measure',
        kind: 'measured',
        note: `${counted.deltas} deltas in ${counted.cycles} cycles counted by the core's counters in simulation (${counted.simulator}), x ${clockBasis}`,
      },
      counted: { simulator: counted.simulator, cycles: counted.cycles, deltas: counted.deltas },
    };
  }
  const lanes = laneCount(design);
  if (clocks.some((c) => c.met === false)) notes.push(`timing is not met at ${design.clockMHz} MHz: the throughput figure assumes a clock the design does not reach`);
  if (design.host === 'uart') {
    const link = hostLinkOf(design)!;
    notes.push(
      `the throughput figure is the core's rate; the UART host feeds it far slower: at most ${wholeRate(link.lineLimit.batchedDeltasPerSecond)} deltas/s in BATCH frames, ${wholeRate(link.lineLimit.singleDeltasPerSecond)} in single ACCUM frames, at ${design.baud} baud (the line's computed limit, hostLink)`,
    );
  } else if (design.host === 'axi-lite') {
    notes.push("the throughput figure is the core's rate; the AXI4-Lite host feeds it far slower (one ACCUM command, after the DATA writes, per delta)");
  }
  return {
    deltasPerCycle: lanes,
    clockMHz: design.clockMHz,
    mDeltasPerSecond: Math.round(lanes * design.clockMHz * 1000) / 1000,
    basis: {
      tool: null,
      stage: null,
      kind: 'by-design',
      note: design.mode === 'parallel' ? `parallel mode: ${lanes} lane(s), up to ${lanes} delta(s) per cycle, not measured` : 'round-robin mode: 1 delta per cycle, not measured',
    },
  };
}

/** Deltas per second as a whole number, for prose. */
function wholeRate(x: number): string {
  return Math.floor(x).toLocaleString('en-US').replace(/,/g, ' ');
}

/**
 * The host link of a UART design: its line rate, frame timeout and bit-time error at the design clock, and the line
 * limit in deltas per second for single ACCUM frames and for full BATCH frames, computed from the frame sizes (rounded
 * down: a ceiling). Null when the host interface is not the UART.
 */
export function hostLinkOf(design: Design): HostLink | null {
  if (design.host !== 'uart') return null;
  const { bitErrorPct } = uartClocks(design.clockMHz, design);
  const floor1 = (x: number) => Math.floor(x * 10) / 10;
  const single = frameBytes(opcodeByLetter('A'), design.width);
  const batched = frameBytes(opcodeByLetter('B'), design.width, MAX_BATCH);
  return {
    interface: 'uart',
    baud: design.baud,
    frameTimeoutMs: design.frameTimeoutMs,
    bitErrorPct: Math.round(bitErrorPct * 1000) / 1000,
    lineLimit: {
      singleDeltasPerSecond: floor1(lineLimit(design.baud, design.width, 'single')),
      batchedDeltasPerSecond: floor1(lineLimit(design.baud, design.width, MAX_BATCH)),
    },
    basis: 'computed',
    note: `the line's ceiling, computed, not measured: ${design.baud} baud 8N1 (${UART_BYTE_BITS} bits a byte), back to back; ${single}-byte ACCUM frames, or ${batched}-byte BATCH frames of ${MAX_BATCH} deltas`,
  };
}

/** The bench testbench's count file: simulator, cycles and deltas counted. */
function countedOf(json: unknown): Counted {
  const c = json as Partial<Counted> | null;
  const whole = (n: unknown) => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;
  if (typeof c !== 'object' || c === null || typeof c.simulator !== 'string' || !whole(c.cycles) || !whole(c.deltas)) {
    throw new Error('expected { simulator, cycles, deltas } with whole counts');
  }
  return { simulator: c.simulator, cycles: c.cycles!, deltas: c.deltas! };
}

/**
 * Checks a result file a stage just wrote with the parser the report will read it with: the pipeline stamps a stage
 * only after this passes, so a half-written or garbage result is a failed stage, never a cached one.
 */
export function validateResult(plan: BuildPlan, stage: string, file: StageResultFile): void {
  const job: JobFiles = { plan, results: [], out: resolve(plan.outDir) };
  const flow = flowOf(plan.board);
  switch (file.kind) {
    case 'yosys-stat':
      readResult(job, stage, file, (json) => flow.synthesis(json, plan.top, plan.board));
      return;
    case 'nextpnr-report':
    case 'vivado-result':
      readResult(job, stage, file, (json) => flow.implementation(json, plan.board, plan.params.targetMHz));
      return;
    case 'bench-count':
      readResult(job, stage, file, countedOf);
      return;
    case 'bitstream':
      return; // checked as a non-empty output like every other
  }
}

function bitstreamOf(job: JobFiles): BuildReport['bitstream'] {
  const bit = resultOf(job, 'bitstream');
  if (!bit || !existsSync(join(job.out, bit.path))) return null;
  const bytes = readFileSync(join(job.out, bit.path));
  return { path: bit.path, sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
}

export function buildReport(plan: BuildPlan, results: readonly StageResult[]): BuildReport {
  const job: JobFiles = { plan, results, out: resolve(plan.outDir) };
  const { design, board } = plan;
  const notes: string[] = [];
  const { synthesis, resources, clocks } = implementationFigures(job, notes);
  const timingMet = clocks.every((c) => c.met === null) ? null : clocks.every((c) => c.met !== false);
  const measure = resultOf(job, 'measure');
  const counted = measure ? readResult(job, 'measure', measure, countedOf) : undefined;
  const tools = new Map<string, BuildReport['tools'][number]>();
  for (const r of results) for (const t of r.tools) tools.set(t.id, { id: t.id, version: t.version, path: t.path, source: t.source });
  const toggling = togglingOf(design, board, resources?.items);
  const toggleWarning = toggling && togglingWarning(toggling, board);
  if (toggleWarning) notes.push(toggleWarning);
  return {
    generator: plan.generator,
    digest: plan.digest,
    design: JSON.parse(canonicalDesign(design)) as Design,
    board: { id: board.id, title: board.title, part: board.part },
    top: plan.top,
    stages: results.map((r) => ({
      stage: r.stage,
      status: r.status,
      seconds: Math.round(r.seconds * 10) / 10,
      producedInSeconds: Math.round(r.producedInSeconds * 10) / 10,
      log: r.log,
      ...(r.reason ? { reason: r.reason } : {}),
    })),
    tools: [...tools.values()],
    resources,
    synthesis,
    clocks,
    timingMet,
    throughput: throughputOf(design, clocks, counted, notes),
    hostLink: hostLinkOf(design),
    bitstream: bitstreamOf(job),
    verification: results.find((r) => r.verification)?.verification ?? null,
    notes,
    ...(toggling ? { toggling } : {}),
  };
}

/** Where a plan's report.json goes, relative to its output folder. */
export const REPORT_FILE = 'report.json';

/** Writes report.json under a temporary name first, so a reader never sees half a report. */
export function writeReport(plan: BuildPlan, report: BuildReport): string {
  const path = join(resolve(plan.outDir), REPORT_FILE);
  writeFileSync(`${path}.tmp`, JSON.stringify(report, null, 2) + '\n');
  renameSync(`${path}.tmp`, path);
  return path;
}

const mhz = (x: number | null) => (x === null ? '-' : `${x.toFixed(2)} MHz`);

/** The summary's lines for the placement seeds and the clock search, when the job had them. */
function closureLines(report: BuildReport): string[] {
  const lines: string[] = [];
  const s = report.clockSearch;
  if (s) {
    lines.push(
      `  clock search (--clock-mhz max, margin ${s.marginPct} %): probe at ${s.probe.targetMHz} MHz reached ${mhz(s.probe.fmaxMHz)} (seed ${s.probe.keptSeed ?? '-'}, folder ${s.probe.folder})`,
    );
    s.attempts.forEach((a, i) =>
      lines.push(
        `    attempt ${i + 1}: at most ${a.requestedMHz} MHz -> the PLL makes ${a.clockMHz} MHz; Fmax ${mhz(a.fmaxMHz)}: ${a.met ? 'timing met' : 'timing not met'}${a.reused ? " (the previous run's)" : ''}`,
      ),
    );
    lines.push(s.chosenMHz === null ? `    no attempt met timing: ${s.note}` : `    chosen: ${s.chosenMHz} MHz (${s.note})`);
  }
  const p = report.placements;
  if (p && (p.seeds.length > 1 || p.note)) {
    lines.push(`  placements (${p.seeds.length} seed(s) at ${p.targetMHz} MHz; ${p.rule}):`);
    for (const seed of p.seeds) {
      const kept = seed.seed === p.keptSeed ? '  <- kept' : '';
      const what = seed.status === 'failed' || seed.status === 'skipped' ? `${seed.status}: ${seed.reason ?? ''}` : `Fmax ${mhz(seed.fmaxMHz)}, ${seed.met === null ? 'no timing' : seed.met ? 'met' : 'not met'}, ${seed.status}`;
      lines.push(`    seed ${String(seed.seed).padEnd(3)} ${what}${kept}`);
    }
    if (p.note) lines.push(`    ${p.note}`);
  }
  return lines;
}

/** The short console summary. */
export function formatSummary(report: BuildReport, reportPath: string): string {
  const d = report.design;
  const lines: string[] = [];
  lines.push(`${d.name}: ${report.board.title} (${report.board.part}), ${d.banks} bank(s) x ${d.width} bit(s), ${d.mode}, ${d.arch}, ${d.clockMHz} MHz`);
  if (report.resources) {
    lines.push(`  resources (${sourceText(report.resources.source)}):`);
    for (const r of report.resources.items) {
      if (r.used === 0 && r.resource !== 'LUT' && r.resource !== 'FF') continue;
      const of = r.available ? ` / ${String(r.available).padEnd(7)}` : '';
      const pct = r.percent !== null ? ` ${r.percent.toFixed(1).padStart(5)} %` : '';
      lines.push(`    ${r.resource.padEnd(7)} ${String(r.used).padStart(7)}${of}${pct}`);
    }
  }
  for (const c of report.clocks) {
    if (c.fmaxMHz === null) lines.push(`  Fmax ${c.clock}: not available (${sourceText(c.source)})`);
    else lines.push(`  Fmax ${c.clock}: ${c.fmaxMHz.toFixed(2)} MHz against ${c.constraintMHz} MHz: ${c.met ? 'timing met' : 'TIMING NOT MET'} [${sourceText(c.source)}]`);
  }
  const t = report.throughput;
  lines.push(`  throughput: ${t.mDeltasPerSecond} Mdeltas/s = ${t.deltasPerCycle} delta(s)/cycle x ${t.clockMHz} MHz [${sourceText(t.basis)}]`);
  const h = report.hostLink;
  if (h) {
    lines.push(
      `  host link: UART ${h.baud} baud (${h.bitErrorPct} % bit-time error), frame timeout ${h.frameTimeoutMs} ms; line limit ${wholeRate(h.lineLimit.batchedDeltasPerSecond)} deltas/s batched, ${wholeRate(h.lineLimit.singleDeltasPerSecond)} single frames [computed, not measured]`,
    );
  }
  if (report.verification) {
    const v = report.verification;
    lines.push(`  verified: ${v.cycles} cycles against the golden model (${v.simulator}, seed ${v.seed})`);
  }
  if (report.verifiedLevels && report.verifiedLevels.length > 0) {
    const levels = report.verifiedLevels.map((l) => `${l.level} ${l.passed ? 'passed' : 'failed'}`).join(', ');
    lines.push(`  verification levels: ${levels} (netlists against the golden and host models)`);
  }
  lines.push(...closureLines(report));
  if (report.toggling) {
    const t = report.toggling;
    const part = t.partSharePct === null ? '' : `, ${t.partSharePct} % of the part's`;
    lines.push(`  toggling: about ${t.togglesPerCycle} flip-flops a cycle (${t.designSharePct} % of the design's${part}) [${sourceText(t.basis)}]`);
  }
  if (report.bitstream) lines.push(`  bitstream: ${report.bitstream.path} (sha256 ${report.bitstream.sha256.slice(0, 16)}...)`);
  for (const n of report.notes) lines.push(`  note: ${n}`);
  lines.push(`  report: ${reportPath}`);
  return lines.join('\n');
}
