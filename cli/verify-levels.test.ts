// The verification-level flags, the paths that need no tool: a level the board cannot reach, a level the job stops
// before, an unknown level, mutants below the synthesized netlist. Each is one line, and nothing is written.
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../generator/common/version.js';

const BIN = join(packageRoot(), 'bin', 'atomik-gen.js');
const root = mkdtempSync(join(tmpdir(), 'atomik-levels-'));

async function fails(args: readonly string[]) {
  const out = join(root, `run-${Math.random().toString(36).slice(2)}`);
  const r = await execa('node', [BIN, ...args, '--out', out], { reject: false, env: { ...process.env, CI: 'true' } });
  expect(r.exitCode).toBe(1);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(existsSync(out)).toBe(false);
  return r.stderr;
}

describe('verification levels on the command line', () => {
  it('refuses a level the board\'s open flow does not reach, naming the deepest', async () => {
    const e = await fails(['verify', '--level', 'pnr', '--board', 'zynq7020']);
    expect(e).toContain('--level: the Zynq-7020');
    expect(e).toContain('reaches verification level synth, not pnr');
    expect(e).toContain("Vivado's");
  });

  it('refuses --verify-level below the stage --until stops at', async () => {
    const e = await fails(['--verify-level', 'pnr', '--until', 'synth']);
    expect(e).toContain('--verify-level: --verify-level pnr simulates what the pnr stage makes, and the job stops after synth');
  });

  it('refuses an unknown level and netlist mutants below the synthesized netlist', async () => {
    expect(await fails(['verify', '--level', 'gates'])).toContain('unknown level "gates" (levels: rtl, synth, pnr, bitstream)');
    expect(await fails(['verify', '--level', 'bitstream', '--mutants'])).toContain('use --level synth');
  });
});
