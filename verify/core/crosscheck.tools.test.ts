// [real tools] The generated core in Verilator and in Icarus Verilog against CoreModel, every output on every cycle,
// over the grid of issue 3 (banks {1, 2, 3, 16, 64} x widths {1, 8, 64, 128} x both modes x pipeline auto and 0), a few
// `reduce` designs, and a
// deliberately broken core that must produce the mismatch report and a waveform.
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalDesign, resolveDesign, type Design, type DesignInput } from '../../generator/design/design.js';
import type { Coverage } from './compare.js';
import { crossCheck } from './crosscheck.js';
import { TIME_PER_CYCLE } from '../../sim/harness.js';

const root = mkdtempSync(join(tmpdir(), 'atomik-crosscheck-'));

const BANKS = [1, 2, 3, 16, 64];
const WIDTHS = [1, 8, 64, 128];
const MODES = ['round-robin', 'parallel'] as const;
const PIPELINES = ['auto', 0] as const;

/** The grid as resolved designs; points that resolve to the same design (1 or 2 banks: auto = 0 stages) appear once. */
function grid(): Design[] {
  const seen = new Map<string, Design>();
  for (const banks of BANKS) {
    for (const width of WIDTHS) {
      for (const mode of MODES) {
        for (const pipeline of PIPELINES) {
          const input: DesignInput = { board: 'zynq7020', host: 'none', banks, width, mode, arch: 'banked', pipeline };
          const design = resolveDesign(input);
          seen.set(canonicalDesign(design), design);
        }
      }
    }
  }
  // the reduce architecture (the same model checks it): one lane, a few lanes, many lanes, odd widths, both pipelines
  for (const [banks, width, mode] of [[16, 64, 'round-robin'], [3, 8, 'parallel'], [16, 64, 'parallel'], [64, 13, 'parallel']] as const) {
    for (const pipeline of PIPELINES) {
      const design = resolveDesign({ board: 'zynq7020', host: 'none', banks, width, mode, arch: 'reduce', pipeline });
      seen.set(canonicalDesign(design), design);
    }
  }
  return [...seen.values()];
}

const designs = grid().map((design, index) => ({
  design,
  seed: 1000 + index,
  label: `${design.banks} x ${design.width}, ${design.mode}, ${design.arch}, P=${design.pipeline}`,
}));
/** Every operation, busy cycles, responses (clean ones too) and deltas happened: the run compared something. */
function expectEverythingExercised(coverage: Coverage): void {
  const none = Object.entries(coverage).filter(([, n]) => n === 0).map(([k]) => k);
  expect(none).toEqual([]);
}

const dirOf = (d: Design, sim: string) => join(root, `b${d.banks}-w${d.width}-${d.mode}-${d.arch}-p${d.pipeline}-${sim}`);

describe('[real tools] Verilator: 16 banks x 64 bits, 2 000 000 cycles', () => {
  // Runs first and alone: it also fills Verilator's runtime-object cache for the grid's builds.
  it('every cycle matches the model; the rate is reported', async () => {
    const design = resolveDesign({ board: 'tang9k', banks: 16, width: 64 });
    const result = await crossCheck({ design, outDir: join(root, 'tang9k-b16-w64'), cycles: 2_000_000, seed: 1, sim: 'verilator' });
    expect(result.mismatch?.report ?? null).toBeNull();
    expect(result.cycles).toBe(2_000_000);
    console.info(`verilator 16 x 64 round-robin: ${(result.cyclesPerSecond / 1e6).toFixed(2)} M cycles/s compared, build ${result.buildSeconds.toFixed(1)} s`);
    // a loose floor (the target is 10 M/s on an idle machine, npm run bench measures it): catches a pathological
    // slowdown, not noise
    expect(result.cyclesPerSecond).toBeGreaterThan(500_000);
    // the same design again reuses the build
    const again = await crossCheck({ design, outDir: join(root, 'tang9k-b16-w64'), cycles: 10_000, seed: 2, sim: 'verilator' });
    expect(again.buildReused).toBe(true);
    expect(again.mismatch).toBeNull();
  }, 600_000);
});

describe(`[real tools] Verilator cross-check, grid of ${designs.length} designs x 20 000 cycles`, () => {
  it.concurrent.each(designs)('$label', async ({ design, seed }) => {
    const result = await crossCheck({ design, outDir: dirOf(design, 'verilator'), cycles: 20_000, seed, sim: 'verilator' });
    expect(result.mismatch?.report ?? null).toBeNull();
    expect(result.cycles).toBe(20_000);
    expectEverythingExercised(result.coverage);
  }, 600_000);
});

describe(`[real tools] Icarus cross-check, the same grid x 2 000 cycles`, () => {
  it.concurrent.each(designs)('$label', async ({ design, seed }) => {
    const result = await crossCheck({ design, outDir: dirOf(design, 'icarus'), cycles: 2_000, seed, sim: 'icarus' });
    expect(result.mismatch?.report ?? null).toBeNull();
    expect(result.cycles).toBe(2_000);
    expectEverythingExercised(result.coverage);
  }, 600_000);
});

describe('[real tools] a broken core is caught, reported and traced', () => {
  const design = resolveDesign({ board: 'zynq7020', host: 'none', banks: 4, width: 16, mode: 'parallel', arch: 'banked' });
  /** One XOR of the merge tree's first level turned into an OR. */
  const orInTree = (file: string, text: string) => {
    if (!file.endsWith('_merge_tree.v')) return text;
    const broken = text.replace(/\] \^ lvl0\[/, '] | lvl0[');
    if (broken === text) throw new Error('the mutation found nothing to change');
    return broken;
  };
  /** The bank's XOR turned into an OR. */
  const orInBank = (file: string, text: string) => (file.endsWith('_bank.v') ? text.replace('acc ^ delta', 'acc | delta') : text);

  let sanity: Awaited<ReturnType<typeof crossCheck>>;
  beforeAll(async () => {
    sanity = await crossCheck({ design, outDir: join(root, 'unbroken'), cycles: 5_000, seed: 3, sim: 'verilator' });
  }, 300_000);

  it.each([
    { sim: 'verilator' as const, mutate: orInBank, what: 'bank XOR -> OR' },
    { sim: 'verilator' as const, mutate: orInTree, what: 'merge-tree XOR -> OR' },
    { sim: 'icarus' as const, mutate: orInBank, what: 'bank XOR -> OR' },
    { sim: 'icarus' as const, mutate: orInTree, what: 'merge-tree XOR -> OR' },
  ])('$sim: $what', async ({ sim, mutate, what }) => {
    expect(sanity.mismatch).toBeNull();
    const outDir = join(root, `broken-${sim}-${what.split(' ')[0]}`);
    const result = await crossCheck({ design, outDir, cycles: 20_000, seed: 3, sim, editRtl: mutate });
    const m = result.mismatch;
    expect(m).not.toBeNull();
    if (!m) return;
    expect(m.seed).toBe(3);
    expect(m.sim).toBe(sim);
    expect(m.cycle).toBeGreaterThan(0);
    expect(result.cycles).toBe(m.cycle + 1);
    expect(m.signals.map((s) => s.signal)).toContain(m.signal);
    expect(m.expected).not.toBe(m.actual);
    expect(m.report).toContain(`cycle ${m.cycle}, seed 3`);
    expect(m.report).toContain(`${m.signal}: expected ${m.expected}, actual ${m.actual}`);
    expect(m.inputs.at(-1)).toMatch(new RegExp(`^${m.cycle}: rst=`));
    expect(m.waveform).not.toBeNull();
    const vcd = m.waveform!;
    expect(existsSync(vcd)).toBe(true);
    expect(statSync(vcd).size).toBeGreaterThan(0);
    const text = readFileSync(vcd, 'utf8');
    expect(text).toContain('$enddefinitions');
    expect(text).toContain(`#${TIME_PER_CYCLE * m.cycle}\n`);
    expect(m.window.from).toBeLessThanOrEqual(m.cycle);
    expect(m.window.to).toBeGreaterThanOrEqual(m.cycle);
  }, 300_000);

  it('both simulators find the same first mismatch', async () => {
    const [v, i] = await Promise.all(
      (['verilator', 'icarus'] as const).map((sim) =>
        crossCheck({ design, outDir: join(root, `agree-${sim}`), cycles: 3_000, seed: 11, sim, editRtl: orInBank }),
      ),
    );
    expect(v!.mismatch?.cycle).toBeDefined();
    expect(i!.mismatch?.cycle).toBe(v!.mismatch?.cycle);
    expect(i!.mismatch?.signals).toEqual(v!.mismatch?.signals);
  }, 300_000);
});
