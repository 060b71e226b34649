// `npm run bench`: the performance figures of issue 6, measured in one run, written to bench/results.md.
//   1. Tool speed (speed.ts): golden model (beside a plain BigInt model), cross-check, 512-bank plan, cached CLI rerun.
//   2. Hardware (hardware.ts): Tang Nano 9K Fmax for 1/4/16/64 banks (nextpnr open timing model, median of placement
//      seeds 1,2,3), the largest bank count that fits, a one-LUT ceiling reference; Zynq-7020 Yosys counts for 256 and
//      512 banks.
//   3. The published ATOMiK figures beside ours (sections.ts writes the Markdown).
//   4. Host link (link.ts): deltas per second over the UART at 115200 and 3 000 000 baud, single and BATCH frames, in
//      device time (free-running co-simulation), and on the wall clock on the real-time virtual board at 115200.
// Options (common.ts): --quick (placement seed 1 only, a shorter fit search), --skip-hw (no hardware: sections 1 and 4), --fit-budget S
// (seconds the fit search may start new attempts for), --jobs N (flows at a time, default: the number of cores).
// The machine shows CPU steal (../shared/TOOLCHAIN.md): speed figures are medians, and compared models run interleaved.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findTool, type FoundTool } from '../generator/tools/tools.js';
import { BENCH, errText, OUT, r1, r2, say, T0, TOOL_IDS } from './common.js';
import { fitSearch, laneSearch, runHardware } from './hardware.js';
import { runLinkBench } from './link.js';
import { resultsMarkdown } from './sections.js';
import { CACHED_RUNS, cli, CLI_ARGS, measureSpeed, type CliRun } from './speed.js';

async function probeTools(): Promise<Map<string, FoundTool | string>> {
  const tools = new Map<string, FoundTool | string>();
  for (const id of TOOL_IDS) tools.set(id, await findTool(id).catch((e: unknown) => `missing: ${errText(e)}`));
  return tools;
}

async function main(): Promise<void> {
  rmSync(join(OUT, 'plan512'), { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const tools = await probeTools();
  const speed = await measureSpeed();
  const link = await runLinkBench(OUT, say);

  // the hardware, and the first, uncached CLI run, which shares the pool
  let cliFirst: CliRun | undefined;
  const hw = await runHardware(async () => {
    say('CLI: first run of the tang9k 16-bank design (fills the cache)');
    cliFirst = await cli(CLI_ARGS);
    say(`CLI: first run ${r1(cliFirst.seconds)} s, ${cliFirst.ok ? 'ok' : `failed: ${cliFirst.tail}`}`);
  });

  say(`CLI: ${CACHED_RUNS} cached runs, timed`);
  const cliCached: CliRun[] = [];
  for (let i = 0; cliFirst?.ok === true && i < CACHED_RUNS; i++) cliCached.push(await cli(CLI_ARGS));
  if (cliCached.length) say(`CLI: cached runs ${cliCached.map((c) => r2(c.seconds)).join(', ')} s`);

  const lanes = await laneSearch();
  const fit = await fitSearch(hw.tang.get(64));
  const totalSeconds = (performance.now() - T0) / 1000;

  writeFileSync(join(BENCH, 'results.md'), resultsMarkdown({ tools, speed, link, cliFirst, cliCached, hw, fit, lanes, totalSeconds }));
  say(`wrote bench/results.md (${r1(totalSeconds)} s)`);
}

await main();
