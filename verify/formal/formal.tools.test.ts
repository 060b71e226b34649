// [real tools] The formal proof through Yosys `sat -tempinduct`: the core equals a single accumulator, for banks
// {2, 4, 16} x width 64 in both modes (`banked`), one lane and 2, 4, 16 lanes (`reduce`, the default architecture),
// pipeline auto; and faults put into the generated RTL are refused with a counterexample. Timings go to the console.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveDesign, type Arch, type Mode } from '../../generator/design/design.js';
import { readLatencyOf } from '../../generator/design/merge-tree.js';
import { prepareFormal, runFormal, xorTreeLevels } from './formal.js';

const root = mkdtempSync(join(tmpdir(), 'atomik-formal-'));
const timings: string[] = [];

function design(banks: number, mode: Mode, arch: Arch = 'banked') {
  return resolveDesign({ board: 'tang9k', banks, width: 64, mode, arch, host: 'none' });
}

afterAll(() => {
  if (timings.length > 0) console.log(`formal proof timings:\n  ${timings.join('\n  ')}`);
});

describe('xorTreeLevels (the harness tree)', () => {
  it.each([1, 2, 3, 5, 16, 17])('covers every one of %i leaves once', (leaves) => {
    const levels = xorTreeLevels(leaves);
    let nodes = leaves;
    for (const level of levels) {
      expect(level.inputs).toBe(nodes);
      expect(2 * level.pairs + (level.odd ? 1 : 0)).toBe(level.inputs);
      nodes = level.nodes;
    }
    expect(nodes).toBe(1);
    expect(levels.filter((l) => l.root).length).toBe(leaves > 1 ? 1 : 0);
  });
});

const grid = [
  ...[2, 4, 16].flatMap((banks) => (['round-robin', 'parallel'] as const).map((mode) => ({ banks, mode, arch: 'banked' as Arch }))),
  // reduce (the default architecture): one lane, and 2, 4 and 16 lanes into the pipelined lane tree
  { banks: 16, mode: 'round-robin' as const, arch: 'reduce' as Arch },
  ...[2, 4, 16].map((banks) => ({ banks, mode: 'parallel' as const, arch: 'reduce' as Arch })),
];

describe.concurrent('[real tools] formal: N banks equal a single accumulator (yosys sat -tempinduct)', () => {
  it.each(grid)('$banks banks x 64 bits, $mode, $arch, pipeline auto: proven by induction', async ({ banks, mode, arch }) => {
    const d = design(banks, mode, arch);
    const prepared = prepareFormal({ design: d, outDir: join(root, `b${banks}-${mode}-${arch}`) });
    const result = await runFormal(prepared);
    timings.push(`${banks} ${arch === 'reduce' ? 'lanes' : 'banks'}, ${mode}, ${arch}, pipeline ${d.pipeline}: ${result.seconds.toFixed(1)} s, k = ${result.depth}`);
    expect(result.proven, `${result.method}\nlog: ${result.log}`).toBe(true);
    expect(result.method).toMatch(/unbounded/);
    // the theorem's window reaches over a READ's whole path (read latency + 1)
    expect(result.depth).toBeGreaterThanOrEqual(readLatencyOf(d.pipeline) + 1);
    expect(result.counterexample).toBeUndefined();
    const log = readFileSync(result.log, 'utf8');
    // every phase closed its induction step; none of the harness's references into the core was left undriven
    expect(log.match(/Induction step proven: SUCCESS!/g)?.length).toBe(prepared.phases.length);
    expect(log).not.toMatch(/has no driver/);
  }, 600_000);

  // Faults put into the rendered RTL: each must be refused with a counterexample from reset, not just an open induction.
  const mutants = [
    {
      what: 'bank clear removed (LOAD / SWAP leave the banks alone)',
      banks: 4,
      mode: 'parallel' as const,
      file: 'bank',
      from: /if \(rst \|\| zero\)/,
      to: 'if (rst)',
    },
    {
      what: 'bank clear removed, round-robin',
      banks: 4,
      mode: 'round-robin' as const,
      file: 'bank',
      from: /if \(rst \|\| zero\)/,
      to: 'if (rst)',
    },
    {
      what: 'merge tree: an XOR turned into OR',
      banks: 4,
      mode: 'round-robin' as const,
      file: 'merge_tree',
      from: /\] \^ lvl0\[/,
      to: '] | lvl0[',
    },
    {
      what: 'lane tree: an XOR turned into OR (reduce)',
      banks: 4,
      mode: 'parallel' as const,
      arch: 'reduce' as Arch,
      file: 'merge_tree',
      from: /\] \^ lvl0\[/,
      to: '] | lvl0[',
    },
  ];
  it.each(mutants)('mutant refused: $what ($banks banks, $mode)', async ({ banks, mode, arch, file, from, to }) => {
    const d = design(banks, mode, arch);
    const prepared = prepareFormal({ design: d, outDir: join(root, `mutant-${file}-${banks}-${mode}-${d.arch}`) });
    const path = join(prepared.outDir, `rtl/${d.name}_${file}.v`);
    const text = readFileSync(path, 'utf8');
    expect(text).toMatch(from);
    writeFileSync(path, text.replace(from, to));
    const result = await runFormal(prepared);
    timings.push(`mutant ${file} (${banks} banks, ${mode}, ${d.arch}): refused in ${result.seconds.toFixed(1)} s`);
    expect(result.proven).toBe(false);
    expect(result.method).toMatch(/real counterexample/);
    expect(result.counterexample).toBeDefined();
    expect(existsSync(result.counterexample!)).toBe(true);
    expect(existsSync(result.log)).toBe(true);
  }, 600_000);
});
