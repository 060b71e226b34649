// The Markdown of bench/results.md, section by section: the run's header, 1. tool speed, 2. hardware (Tang Nano 9K,
// Zynq-7020, banked against reduce), 3. the published ATOMiK figures beside ours, 4. the host link (link.ts), and the
// summary of missed targets.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import type { FoundTool } from '../generator/tools/tools.js';
import { JOBS, median, QUICK, r1, r2, ROOT, SKIP_HW, TOOL_IDS } from './common.js';
import { criticalPath, LANE_FMAX_FLOOR_MHZ, resource, seedFmax, TANG_TARGET_MHZ, type Ceiling, type Fit, type FitPoint, type Flow, type Hardware, type LanePoint } from './hardware.js';
import { CROSSCHECK_CYCLES, CROSSCHECK_RUNS, CROSSCHECK_TARGET_M_CYCLES, MODEL_TARGET_M_DELTAS, type CliRun, type Speed } from './speed.js';
import { judge, table, type Row } from './tables.js';
import { linkRows, linkSection, type LinkBench } from './link.js';

/** Everything one bench run measured. */
export interface Results {
  readonly tools: ReadonlyMap<string, FoundTool | string>;
  readonly speed: Speed;
  readonly link: LinkBench;
  /** The first (uncached) CLI run, and the cached, timed ones after it (none when the first failed). */
  readonly cliFirst: CliRun | undefined;
  readonly cliCached: readonly CliRun[];
  readonly hw: Hardware;
  readonly fit: Fit;
  readonly lanes: readonly LanePoint[];
  readonly totalSeconds: number;
}

/** The whole of bench/results.md. */
export function resultsMarkdown(r: Results): string {
  const speedRows = speedTable(r);
  const hwRows = tangRows(r.hw, r.fit, r.lanes);
  const zRows = zynqRows(r.hw);
  const sections = [
    head(r),
    `## 1. Tool speed\n\n${table(speedRows)}`,
    hardwareSection(r.hw, hwRows, zRows),
    comparisonSection(r.hw, r.fit),
    linkSection(r.link),
    summarySection([...speedRows, ...hwRows, ...zRows, ...linkRows(r.link)]),
  ];
  return sections.join('\n\n') + '\n';
}

// Why a banked target is missed, where the measurements say so (kept beside the figures they explain).
const WHY_ZYNQ_LUT =
  'why: every bank bit needs its own XOR LUT (32 768 for 512 x 64) and Yosys maps each to a LUT; Vivado packs two such functions into one LUT6 (O5/O6), which is how the published count stays below the bank bit count';
const WHY_ZYNQ_FF = 'why: the 32 768 bank bits plus the input stage, the merge-tree registers and the host';
const WHY_TANG_64 =
  'why: nextpnr finds no legal placement for a bank bit\'s XOR LUT at this fill (the counts above; every bank bit is a flip-flop plus its own XOR LUT, 4 096 of each at 64 banks); which packing rule runs out was not isolated';

// ---- the header and 1. tool speed ----------------------------------------------------------------------------------

function head(r: Results): string {
  const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  const toolLine = (id: string) => {
    const t = r.tools.get(id);
    return typeof t === 'string' || t === undefined ? `| ${id} | ${t ?? 'not probed'} | |` : `| ${id} | ${t.version ?? 'unknown'} | ${t.path} (${t.source}) |`;
  };
  return [
    '# atomik-gen benchmark results',
    '',
    `Written by \`npm run bench${QUICK ? ' -- --quick' : ''}${SKIP_HW ? ' --skip-hw' : ''}\` (bench/run.ts); do not edit by hand.`,
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Machine: ${cpu}, ${cpus().length} cores (${process.platform}/${process.arch}), Node ${process.version}`,
    `- Commit: ${gitRev()} (working tree may differ)`,
    `- Mode: ${QUICK ? 'quick (placement seed 1 only; fit search limited by --fit-budget)' : 'full (placement seeds 1, 2, 3)'}, flows ${JOBS} at a time`,
    `- Run time: ${r1(r.totalSeconds)} s in total, hardware pool ${r1(r.hw.seconds)} s`,
    '- Timing noise: this kind of machine shows CPU steal (the same command varies up to 2.5x); speed figures are medians and compared models run interleaved in one process.',
    '',
    '| tool | version | path |',
    '|---|---|---|',
    ...TOOL_IDS.map(toolLine),
  ].join('\n');
}

function gitRev(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function speedTable({ speed, cliFirst, cliCached }: Results): Row[] {
  const cachedSeconds = cliCached.map((c) => c.seconds);
  const failedCached = cliCached.find((c) => !c.ok);
  const { model, coreM, plainM, planMs, crossCheck: cc } = speed;
  return [
    judge('golden model `CoreModel.run` (record API), 16 banks x 64 bits parallel, all lanes on', coreM, 'M deltas/s', MODEL_TARGET_M_DELTAS, '>=',
      `median of 5; runs: ${model.core.map((v) => r1(v / 1e6)).join(', ')}; ${r2(coreM / plainM)}x the plain BigInt model`),
    { figure: 'plain BigInt model (bigint[16], one XOR per delta), same run', measured: `${r1(plainM)} M deltas/s`, target: '(reference)', met: null,
      note: `median of 5; runs: ${model.plain.map((v) => r1(v / 1e6)).join(', ')}` },
    judge(`cross-check, 16 banks x 64 bits round-robin, Verilator, median of ${CROSSCHECK_RUNS} runs of ${CROSSCHECK_CYCLES / 1e6} M cycles`, cc.rate === null ? null : cc.rate / 1e6, 'M cycles/s', CROSSCHECK_TARGET_M_CYCLES, '>=', cc.note),
    judge('plan of a 512-bank Zynq-7020 design (`buildPlan`)', median(planMs), 'ms', 200, '<', `median of 5: ${planMs.map(r1).join(', ')} ms`, 1),
    cliCached.length
      ? judge('cached rerun, `atomik-gen --board tang9k --banks 16` (unchanged)', median(cachedSeconds), 's', 2, '<',
          `whole process incl. Node start; median of ${cliCached.length}: ${cachedSeconds.map(r2).join(', ')} s; ${failedCached ? `exit != 0: ${failedCached.tail}` : 'exit 0'}; first run ${r1(cliFirst!.seconds)} s`)
      : { figure: 'cached rerun, `atomik-gen --board tang9k --banks 16`', measured: 'not measured', target: '< 2 s', met: null,
          note: `the first run failed: ${cliFirst?.tail ?? 'not run'}` },
  ];
}

// ---- 2. hardware: Tang Nano 9K ----------------------------------------------------------------------------------------

const seedNote = QUICK ? 'placement seed 1 only (--quick)' : 'median of placement seeds 1, 2, 3';
const fmaxLabel = 'Fmax (nextpnr open timing model estimate)';

/** The Tang Nano 9K banked Fmax at `banks`: the median over the placement seeds, or null. */
function tangFmax(hw: Hardware, banks: number): number | null {
  const xs = seedFmax(hw.tang.get(banks));
  return xs.length ? median(xs) : null;
}

/** The 64-bank reduce core's Fmax (median over the seeds, 2 places), or null. */
function reduce64Fmax(hw: Hardware): number | null {
  const xs = seedFmax(hw.archFlows.get('tang9k-b64-reduce'));
  return xs.length ? r2(median(xs)) : null;
}

/** The largest bank count the fit search placed and routed, and its first failure. */
function largestFit(fit: Fit): { largest: number | null; firstFail: FitPoint | undefined } {
  const fitOk = fit.points.filter((f) => f.ok).map((f) => f.banks);
  return { largest: fitOk.length ? Math.max(...fitOk) : null, firstFail: fit.points.find((f) => !f.ok) };
}

function tangRows(hw: Hardware, fit: Fit, lanes: readonly LanePoint[]): Row[] {
  return [...fmaxRows(hw), spreadRow(hw), parallelRow(hw), laneRow(lanes), noaluRow(hw), clockMaxRow(hw.clockMax), ...fitRows(fit), ceilingRow(hw.ceiling)];
}

/** Earlier runs through the same open flow (bench/baseline.json): the like-for-like comparison. */
interface Baseline {
  readonly earlierRun: {
    readonly source: string;
    readonly roundRobinBankedMHz: Readonly<Record<string, number>>;
    readonly roundRobinReduce64MHz: number;
    readonly parallelReduce16MHz: number;
    readonly parallelBanked16MHz: number;
  };
  readonly publishedRtlSameFlow: { readonly source: string; readonly fmaxMHz: number };
}
const BASELINE = JSON.parse(readFileSync(join(ROOT, 'bench', 'baseline.json'), 'utf8')) as Baseline;

/** The Fmax target of the round-robin points (issue 16): 60 % of the ceiling, 1.9x the published RTL on this flow. */
const RR_TARGET_MHZ = 250;
/** The Fmax target of the 16-lane parallel reduce core. */
const PARALLEL_TARGET_MHZ = 200;

/** Why a flow's Fmax misses its target: its limiting path, from the kept placement's nextpnr report. */
function whyMissed(f: Flow | undefined, fmax: number | null, target: number): string {
  if (fmax === null || fmax >= target) return '';
  const path = criticalPath(f);
  return path ? `; why: the limiting path (kept seed): ${path}${PATH_NOTE}` : '';
}
const PATH_NOTE =
  '; the paths that limit these designs are two-LUT-level control paths (mostly in the UART host) whose routing takes 2-4 ns of the path: at 250 MHz (4 ns) every path would need one LUT level and short routes (the ceiling design\'s shape), which the host\'s control logic does not have yet';

const vsEarlier = (now: number | null, before: number) => (now === null ? '' : `; earlier run ${before} MHz (${r2(now / before)}x, same flow, target 81 MHz)`);

/** `--clock-mhz max` on the 16-bank default design: the clock it chose, met at that clock (the main job's search). */
function clockMaxRow(f: Flow | undefined): Row {
  const s = f?.report?.clockSearch;
  const figure = '16 banks (default design), --clock-mhz max: the chosen clock';
  if (!f || !s) return { figure, measured: 'not measured', target: 'timing met', met: null, note: f?.reason ?? (SKIP_HW ? '--skip-hw' : 'not run') };
  const tries = s.attempts.map((a) => `${a.clockMHz} MHz: Fmax ${a.fmaxMHz ?? '-'}, ${a.met ? 'met' : 'not met'}`).join('; ');
  return {
    figure,
    measured: s.chosenMHz === null ? 'none met' : `${s.chosenMHz} MHz`,
    target: 'timing met',
    met: s.chosenMHz !== null,
    note: `probe at ${s.probe.targetMHz} MHz: ${s.probe.fmaxMHz} MHz, less ${s.marginPct} %; ${tries}; ${seedNote}, best seed kept`,
  };
}

function fmaxRows(hw: Hardware): Row[] {
  const t64 = hw.tang.get(64);
  const r64 = hw.archFlows.get('tang9k-b64-reduce');
  const earlier = BASELINE.earlierRun;
  const rows = [1, 4, 16].map((b) => {
    const m = tangFmax(hw, b);
    return judge(`${b} bank(s), banked, round-robin: ${fmaxLabel}`, m, 'MHz', RR_TARGET_MHZ, '>=', `${seedNote}, target ${TANG_TARGET_MHZ} MHz${vsEarlier(m, earlier.roundRobinBankedMHz[String(b)]!)}${whyMissed(hw.tang.get(b), m, RR_TARGET_MHZ)}`);
  });
  const pub = BASELINE.publishedRtlSameFlow.fmaxMHz;
  const m16 = tangFmax(hw, 16);
  rows.push(judge('16 banks: Fmax against the published RTL through the same open flow', m16 === null ? null : m16 / pub, 'x', 1.9, '>=', `${m16 ?? '-'} MHz / ${pub} MHz (${BASELINE.publishedRtlSameFlow.source})`));
  rows.push(judge(`64 banks, banked: ${fmaxLabel}`, tangFmax(hw, 64), 'MHz', RR_TARGET_MHZ, '>=', `${seedNote}${t64?.ok === false ? `; 64 banks failed: ${t64.reason}; ${WHY_TANG_64}; the 64-bank reduce row stands for 64 banks` : ''}`));
  const m64 = reduce64Fmax(hw);
  rows.push(judge(`64 banks, reduce, round-robin: ${fmaxLabel}`, m64, 'MHz', RR_TARGET_MHZ, '>=', r64?.ok === false ? `failed: ${r64.reason}` : `${seedNote}, target ${TANG_TARGET_MHZ} MHz; round-robin reduce is one accumulator whatever the bank count, so it fits any count${vsEarlier(m64, earlier.roundRobinReduce64MHz)}${whyMissed(r64, m64, RR_TARGET_MHZ)}`));
  return rows;
}

/** The 16-lane parallel reduce core (issue 16: >= 200 MHz). */
function parallelRow(hw: Hardware): Row {
  const f = hw.archFlows.get('tang9k-b16-parallel-reduce');
  const xs = seedFmax(f);
  const m = xs.length ? r2(median(xs)) : null;
  return judge(`16 lanes, parallel, reduce: ${fmaxLabel}`, m, 'MHz', PARALLEL_TARGET_MHZ, '>=', f?.ok === false ? `failed: ${f.reason}` : `${seedNote}, target ${TANG_TARGET_MHZ} MHz${vsEarlier(m, BASELINE.earlierRun.parallelReduce16MHz)}${whyMissed(f, m, PARALLEL_TARGET_MHZ)}`);
}

/** The largest parallel reduce lane count that fits at >= 150 MHz, with its throughput counted by the bench top's simulation. */
function laneRow(points: readonly LanePoint[]): Row {
  const figure = `largest parallel reduce lane count that fits at >= ${LANE_FMAX_FLOOR_MHZ} MHz (bench top), and its throughput`;
  if (!points.length) return { figure, measured: 'not measured', target: '(reported)', met: null, note: SKIP_HW ? '--skip-hw' : 'not run' };
  const good = points.filter((p) => p.fmax !== null && p.fmax >= LANE_FMAX_FLOOR_MHZ);
  const best = good[good.length - 1];
  const tried = points.map((p) => `${p.lanes}: ${p.fmax === null ? `failed (${p.flow.reason ?? 'no Fmax'})` : `${p.fmax} MHz, ${resource(p.flow.report, 'LUT') ?? '-'} LUT, ${resource(p.flow.report, 'FF') ?? '-'} FF, counted ${p.counted ?? '-'} deltas/cycle`}`).join('; ');
  if (!best) return { figure, measured: 'none', target: '(reported)', met: null, note: `tried ${tried}` };
  const rate = best.counted === null ? null : r1(best.counted * best.fmax!);
  return {
    figure,
    measured: `${best.lanes} lanes${rate === null ? '' : `: ${rate.toLocaleString('en-US')} M deltas/s`}`,
    target: '(reported)',
    met: null,
    note: `the throughput is the deltas per cycle the bench top's simulation counted (measure stage) x the Fmax (placement seed 1, target ${TANG_TARGET_MHZ} MHz; the open model's estimate), not a hardware count; the bench top feeds every lane every cycle (the toggling warning applies); tried ${tried}`,
  };
}

/** synth_gowin -noalu against the default mapping, 16 banks, placement seed 1 each (issue 16). */
function noaluRow(hw: Hardware): Row {
  const figure = '16 banks, synth_gowin -noalu against the default (ALU carry chains): Fmax, LUT';
  const alu = hw.tang.get(16);
  const na = hw.noalu;
  const aluF = alu?.fmax.find((x) => x.seed === 1)?.mhz ?? null;
  const naF = na?.fmax[0]?.mhz ?? null;
  if (!na?.ok || aluF === null || naF === null) return { figure, measured: 'not measured', target: '(reported)', met: null, note: na?.reason ?? (SKIP_HW ? '--skip-hw' : 'not run') };
  const lut = (f: Flow | undefined) => resource(f?.report, 'LUT');
  return {
    figure,
    measured: `-noalu ${naF} MHz, ${lut(na) ?? '-'} LUT; default ${aluF} MHz, ${lut(alu) ?? '-'} LUT + ${resource(alu?.report, 'ALU') ?? '-'} ALU`,
    target: '(reported)',
    met: null,
    note: `placement seed 1 each, target ${TANG_TARGET_MHZ} MHz; ${naF < aluF ? 'kept the default: -noalu is slower here' : 'the default is kept anyway (see the note)'}: the ALUs carry the counters' and timers' adds (8-bit pieces), no XOR: the merge tree and the banks' XORs are LUTs either way, which is what the open-flow reports of ALU-mapped XOR reductions failing placement and miscomputing (nextpnr#1425, apicula#514) ask for`,
  };
}

function spreadRow(hw: Hardware): Row {
  // the 64-bank point: banked, or where banked does not place, the reduce core of the same size (said in the row)
  const use64 = tangFmax(hw, 64) ?? reduce64Fmax(hw);
  const all = [tangFmax(hw, 1), tangFmax(hw, 4), tangFmax(hw, 16), use64];
  if (!all.every((x): x is number => x !== null)) {
    return { figure: 'Fmax spread over 1/4/16/64 banks', measured: 'not measured', target: '<= 25 %', met: null, note: 'some bank counts did not run or failed' };
  }
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const spread = ((hi - lo) / hi) * 100;
  const which = tangFmax(hw, 64) === null ? '; 64 banks: the reduce core (banked 64 does not place)' : '';
  return judge('Fmax spread over 1/4/16/64 banks ((max - min) / max)', spread, '%', 25, '<=', `min ${lo} MHz, max ${hi} MHz${which}`, 1);
}

function fitRows(fit: Fit): Row[] {
  const { largest, firstFail } = largestFit(fit);
  const tried = fit.points.map((f) => `${f.banks}: ${f.ok ? `ok${f.lut ? ` (${f.lut} LUT, ${f.ff} FF, ${f.fmax} MHz)` : ''}` : `failed (${f.reason ?? 'no Fmax'})`}`).join('; ');
  if (largest === null) {
    const note = SKIP_HW ? '--skip-hw' : fit.points.length ? `banked; none of the counts tried placed and routed: ${tried}${fit.note ? `; ${fit.note}` : ''}; ${WHY_TANG_64}` : '64 banks did not run';
    return [{ figure: 'largest bank count that fits the GW1NR-9 at 64 bits (banked)', measured: 'not established', target: '>= 64 banks', met: null, note }];
  }
  const rows: Row[] = [
    {
      figure: 'largest bank count that fits the GW1NR-9 at 64 bits (banked)',
      measured: firstFail ? `${largest} banks (${firstFail.banks} does not fit; steps of 8)` : `>= ${largest} banks (lower bound)`,
      target: '>= 64 banks',
      met: largest >= 64,
      ...(largest >= 64 ? {} : { miss: `${64 - largest} banks short` }),
      note: `banked; tried ${tried}${fit.note ? `; ${fit.note}` : ''}; published: 64 fit (missed timing), 128 did not${largest < 64 ? `; ${WHY_TANG_64}; reduce: see the 64-bank reduce row` : ''}`,
    },
  ];
  if (largest > 64) {
    const big = fit.points.find((f) => f.banks === largest);
    rows.push(judge(`${largest} banks (largest that fits): ${fmaxLabel}`, big?.fmax ?? null, 'MHz', 100, '>=', 'placement seed 1'));
  }
  return rows;
}

function ceilingRow(ceiling: Ceiling): Row {
  return {
    figure: 'ceiling reference: one LUT level between registers (bench/ceiling/), Fmax',
    measured: ceiling.fmax === null ? 'not measured' : `${ceiling.fmax} MHz`,
    target: '(reference)',
    met: null,
    note: ceiling.fmax === null ? (ceiling.reason ?? '') : 'nextpnr open timing model estimate, --freq 500, seed 1, clocked from the 27 MHz pin (no PLL)',
  };
}

/** The per-bank-count table under the Tang Nano 9K rows. */
function tangDetail(hw: Hardware): string {
  const detail: string[] = ['| banks | LUT | FF | ALU | Fmax per seed (MHz) | Fmax used (MHz) | fraction of the ceiling | published (vendor flow) | flow time |', '|---:|---:|---:|---:|---|---:|---:|---|---:|'];
  const published: Record<number, string> = { 1: '~475 LUT, 537 FF, 102.2 MHz', 4: '~740 LUT, 731 FF, 87.6 MHz', 16: '~1 780 LUT, 1 501 FF, 63.7 MHz', 64: '5 939 LUT, 41.6 MHz (missed)' };
  for (const b of [1, 4, 16, 64]) {
    const f = hw.tang.get(b);
    if (!f) {
      detail.push(`| ${b} | | | | not run (${SKIP_HW ? '--skip-hw' : 'too slow for this run'}) | | | ${published[b]} | |`);
      continue;
    }
    const m = tangFmax(hw, b);
    const frac = m !== null && hw.ceiling.fmax ? `${r1((m / hw.ceiling.fmax) * 100)} %` : '';
    detail.push(
      `| ${b} | ${resource(f.report, 'LUT') ?? ''} | ${resource(f.report, 'FF') ?? ''} | ${resource(f.report, 'ALU') ?? ''} | ${f.ok ? f.fmax.map((x) => `s${x.seed}: ${x.mhz ?? '-'}`).join(', ') : `failed: ${f.reason}`} | ${m ?? ''} | ${frac} | ${published[b]} | ${r1(f.seconds)} s |`,
    );
  }
  return detail.join('\n');
}

// ---- 2. hardware: Zynq-7020, the architectures, and the section ------------------------------------------------------

/** A Yosys synthesis count of a flow, or null. */
const synthCount = (f: Flow | undefined, n: string) => resource(f?.report, n, 'synthesis');

function zynqRows(hw: Hardware): Row[] {
  const z512 = hw.zynq.get(512);
  const z256 = hw.zynq.get(256);
  const zRows: Row[] = [
    judge('512 banks x 64 bits, banked: LUT (Yosys synth_xilinx -flatten)', synthCount(z512, 'LUT'), 'LUT', 23542, '<=', z512?.ok === false ? `failed: ${z512.reason}` : `published: 23 542 (Vivado); ${WHY_ZYNQ_LUT}`, 0),
    judge('512 banks x 64 bits, banked: FF (Yosys synth_xilinx -flatten)', synthCount(z512, 'FF'), 'FF', 33770, '<=', z512?.ok === false ? `failed: ${z512.reason}` : `published: 33 770 (Vivado); ${WHY_ZYNQ_FF}`, 0),
  ];
  for (const [label, what] of [
    ['zynq7020-b512-reduce', 'round-robin (one accumulator)'],
    ['zynq7020-b512-parallel-reduce', 'parallel, 512 deltas per cycle'],
  ] as const) {
    const f = hw.archFlows.get(label);
    for (const [n, limit] of [['LUT', 23542], ['FF', 33770]] as const) {
      zRows.push(judge(`512 banks x 64 bits, reduce, ${what}: ${n} (Yosys synth_xilinx -flatten)`, synthCount(f, n), n, limit, '<=', f?.ok === false ? `failed: ${f.reason}` : 'the same READ from one accumulator (Architectures below)', 0));
    }
  }
  for (const n of ['LUT', 'FF']) {
    const a = synthCount(z512, n);
    const b = synthCount(z256, n);
    const pub = n === 'LUT' ? (23542 - 15197) / 256 : (33770 - 17117) / 256;
    zRows.push({
      figure: `${n} per bank ((count512 - count256) / 256)`,
      measured: a !== null && b !== null ? `${r2((a - b) / 256)}` : 'not measured',
      target: '(reported)',
      met: null,
      note: `256 banks: ${b ?? '-'}, 512 banks: ${a ?? '-'}; published (Vivado) ${r2(pub)} per bank`,
    });
  }
  return zRows;
}

function hardwareSection(hw: Hardware, hwRows: readonly Row[], zRows: readonly Row[]): string {
  const zTimes = [hw.zynq.get(256), hw.zynq.get(512)].filter((f): f is Flow => f !== undefined).map((f) => `${f.label} ${r1(f.seconds)} s`).join(', ');
  return [
    '## 2. Hardware',
    '',
    `Fmax figures are the **nextpnr-himbaechel open timing model's estimate** (it reads about 20 % above the Gowin vendor tools), ` +
      `for the full board top (UART host included), 64-bit words, round-robin mode unless said, the design at the board's default ${hw.tang.get(16)?.report?.design.clockMHz ?? 81} MHz clock and place and route aimed at ${TANG_TARGET_MHZ} MHz (--freq; above what the designs reach, so the placer works for it), ${seedNote}. ` +
      'The placement seed is a parameter of the vendor flow: each seed runs through the pipeline into the same folder, with its own place-and-route files (synthesis is cached).',
    '',
    '### Tang Nano 9K (GW1NR-9C)',
    '',
    table(hwRows),
    '',
    tangDetail(hw),
    '',
    '### Zynq-7020 (Yosys synthesis counts; no Vivado here, so no Fmax)',
    '',
    table(zRows),
    '',
    zTimes ? `Synthesis times: ${zTimes}.` : '',
    '',
    archSection(hw),
  ].join('\n');
}

/** banked (as published) against reduce, same sizes: what each costs and gains. */
function archSection(hw: Hardware): string {
  const rows: [string, string, string, Flow | undefined][] = [
    ['Tang 9K, 64 banks, round-robin', 'banked', 'pnr', hw.tang.get(64)],
    ['Tang 9K, 64 banks, round-robin', 'reduce', 'pnr', hw.archFlows.get('tang9k-b64-reduce')],
    ['Tang 9K, 16 banks, parallel (16 deltas/cycle)', 'banked', 'pnr', hw.archFlows.get('tang9k-b16-parallel-banked')],
    ['Tang 9K, 16 banks, parallel (16 deltas/cycle)', 'reduce', 'pnr', hw.archFlows.get('tang9k-b16-parallel-reduce')],
    ['Zynq-7020, 512 banks, round-robin', 'banked', 'synth', hw.zynq.get(512)],
    ['Zynq-7020, 512 banks, round-robin', 'reduce', 'synth', hw.archFlows.get('zynq7020-b512-reduce')],
    ['Zynq-7020, 512 banks, parallel (512 deltas/cycle)', 'reduce', 'synth', hw.archFlows.get('zynq7020-b512-parallel-reduce')],
  ];
  const lines = [
    '### Architectures: `banked` against `reduce`',
    '',
    'Same boards, sizes and flow as above. `reduce` XOR-reduces the lanes first and keeps one accumulator; in round-robin mode there is one lane, so it is one 64-bit accumulator whatever the bank count (N banks hold no more than one accumulator would there). Zynq counts are Yosys synthesis (no Fmax).',
    '',
    '| design | arch | LUT | FF | ALU | Fmax per seed (MHz) | Fmax used (MHz) | flow time |',
    '|---|---|---:|---:|---:|---|---:|---:|',
  ];
  for (const [what, arch, until, f] of rows) {
    const where = until === 'synth' ? 'synthesis' : undefined;
    const seeds = seedFmax(f);
    const used = seeds.length ? r2(median(seeds)) : '';
    const fmaxCell = until === 'synth' ? '(synthesis only)' : f?.ok ? f.fmax.map((x) => `s${x.seed}: ${x.mhz ?? '-'}`).join(', ') : f ? `failed: ${f.reason}` : 'not run';
    lines.push(
      `| ${what} | ${arch} | ${resource(f?.report, 'LUT', where) ?? ''} | ${resource(f?.report, 'FF', where) ?? ''} | ${resource(f?.report, 'ALU', where) ?? ''} | ${fmaxCell} | ${used} | ${f ? `${r1(f.seconds)} s` : ''} |`,
    );
  }
  return lines.join('\n');
}

// ---- 3. the published figures, and the summary -----------------------------------------------------------------------

function comparisonSection(hw: Hardware, fit: Fit): string {
  // Side by side only: the published figures come from the vendor flows (Gowin EDA, Vivado), ours from the open flow,
  // so no ratio is taken between them. A like-for-like figure runs the published RTL through the same open flow.
  const cmp = ['| figure | published ATOMiK (ATOMIK.md section 5) | atomik-gen, this run |', '|---|---|---|'];
  const pubF: Record<number, number> = { 1: 102.2, 4: 87.6, 16: 63.7, 64: 41.6 };
  for (const b of [1, 4, 16, 64]) {
    const m = tangFmax(hw, b);
    cmp.push(`| Tang 9K ${b} bank(s): Fmax | ${pubF[b]} MHz (Gowin vendor flow${b === 64 ? ', missed' : ', met'}) | ${m === null ? 'not measured (see section 2)' : `${m} MHz (open flow, nextpnr estimate)`} |`);
  }
  const pubLut: Record<number, number> = { 1: 475, 4: 740, 16: 1780, 64: 5939 };
  for (const b of [1, 4, 16, 64]) {
    const l = resource(hw.tang.get(b)?.report, 'LUT');
    cmp.push(`| Tang 9K ${b} bank(s): LUT | ${b === 64 ? '' : '~'}${pubLut[b]} (+40 ALU for 1-16; Gowin vendor flow) | ${l === null || l === undefined ? 'not measured (see section 2)' : `${l} (+${resource(hw.tang.get(b)?.report, 'ALU') ?? '-'} ALU; open flow)`} |`);
  }
  const { largest, firstFail } = largestFit(fit);
  cmp.push(`| Tang 9K largest fit at 64 bits | 64 (128 does not fit) | ${largest ?? 'not established (see section 2)'}${firstFail || largest === null ? '' : ' (lower bound)'} |`);
  const a512 = synthCount(hw.zynq.get(512), 'LUT');
  const f512 = synthCount(hw.zynq.get(512), 'FF');
  cmp.push(`| Zynq 512 banks: LUT | 23 542 (Vivado) | ${a512 ?? 'not measured'} (Yosys) |`);
  cmp.push(`| Zynq 512 banks: FF | 33 770 (Vivado) | ${f512 ?? 'not measured'} (Yosys) |`);
  return (
    `## 3. Beside the published figures\n\n${cmp.join('\n')}\n\n` +
    'The two columns come from different flows (the published ones from the Gowin and Xilinx vendor tools, ours from ' +
    'Yosys and nextpnr, whose Gowin timing model reads about 20 % above the vendor tools), so they are shown side by ' +
    'side and not divided. Like-for-like comparisons are the tables above, all through the same open flow.'
  );
}

function summarySection(rows: readonly Row[]): string {
  const missed = rows.filter((r) => r.met === false);
  const notRun = rows.filter((r) => r.measured === 'not measured');
  return (
    `## Summary\n\n${missed.length === 0 ? '- Every measured target is met.' : missed.map((r) => `- Missed: ${r.figure}: ${r.measured} vs ${r.target} (by ${r.miss}).`).join('\n')}` +
    (notRun.length ? `\n${notRun.map((r) => `- Not measured: ${r.figure}${r.note ? ` (${r.note})` : ''}.`).join('\n')}` : '')
  );
}
