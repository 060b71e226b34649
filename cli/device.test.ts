// `atomik-gen program` and `atomik-gen device`: the command modules on their own. Failing cases need no board:
// no bitstream, no openFPGALoader, and (with openFPGALoader installed) no board plugged in. `device bench` against the
// UART co-simulation is in host/device.tools.test.ts.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { describe, expect, it } from 'vitest';
import { AtomikError } from '../generator/common/errors.js';
import { findTool } from '../generator/tools/tools.js';
import { benchDeltas, deviceCommand, formatWord, parseWord, programCommand, runDevice, runProgram } from './device.js';
import { sink } from '../test/support.js';

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'atomik-program-'));
}


/** A file where the default Tang Nano 9K build puts its bitstream (its content does not matter before the cable). */
function fakeBitstream(out: string): string {
  const path = join(out, 'build', 'atomik_top.fs');
  mkdirSync(join(out, 'build'), { recursive: true });
  writeFileSync(path, 'not a real bitstream\n');
  return path;
}

const hasOpenFpgaLoader = await findTool('openFPGALoader').then(
  () => true,
  () => false,
);

describe('program command', () => {
  it('is a command module, program (device beside it)', () => {
    expect(programCommand.command).toBe('program');
    expect(String(deviceCommand.command)).toMatch(/^device\b/);
  });

  it('fails clearly when no bitstream has been built yet', async () => {
    const out = join(scratch(), 'design');
    await expect(runProgram({ out }, {}, sink().stream)).rejects.toThrow(/no bitstream at .*build\/atomik_top\.fs/);
    await expect(runProgram({ out }, {}, sink().stream)).rejects.toMatchObject({ hint: expect.stringMatching(/build it first/) });
    await expect(runProgram({ out }, { bitstream: join(out, 'missing.fs') }, sink().stream)).rejects.toMatchObject({ where: '--bitstream' });
  });

  it('fails clearly, naming openFPGALoader and its variable, when the programmer is missing', async () => {
    const out = join(scratch(), 'design');
    fakeBitstream(out);
    const env = { ...process.env, ATOMIK_OPENFPGALOADER: '/nowhere/openFPGALoader' };
    const err = await runProgram({ out }, { tools: { env } }, sink().stream).catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(Error);
    expect(err?.message).toMatch(/openFPGALoader is not available/);
    expect(err?.message).toMatch(/ATOMIK_OPENFPGALOADER=\/nowhere\/openFPGALoader: no executable file there/);
  });
});

describe.runIf(hasOpenFpgaLoader)('[real tools] program with openFPGALoader and no board attached', () => {
  it('fails with the programmer output and "is the board plugged in?"', async () => {
    const out = join(scratch(), 'design');
    fakeBitstream(out);
    const printed = sink();
    const err = await runProgram({ out }, {}, printed.stream).catch((e: unknown) => e as Error);
    expect(err?.message).toMatch(/openFPGALoader found no Sipeed Tang Nano 9K \(it exited with code \d+\)/);
    expect(err?.message).toMatch(/\| .*(ftdi|device|cable)/i);
    expect(err?.message).toMatch(/\n  is the board plugged in\?$/);
    expect((err as AtomikError).hint).toMatch(/--detect/);
    expect(printed.text()).toMatch(/-b tangnano9k .*atomik_top\.fs/);
  });

  it('asks for the flash with --flash', async () => {
    const out = join(scratch(), 'design');
    fakeBitstream(out);
    const printed = sink();
    await expect(runProgram({ out }, { flash: true }, printed.stream)).rejects.toThrow(/is the board plugged in\?/);
    expect(printed.text()).toMatch(/-b tangnano9k -f .*atomik_top\.fs/);
  });
});

describe('device command', () => {
  it('parses its arguments: values stay text (hex is not turned into a float)', async () => {
    let seen: Record<string, unknown> | undefined;
    await yargs(['device', 'accum', '0x10', '0xffffffffffffffffff', '--port', '/dev/null', '--width', '72'])
      .command({ ...deviceCommand, handler: (argv) => void (seen = argv) })
      .strict()
      .parseAsync();
    expect(seen?.action).toBe('accum');
    expect(seen?.values).toEqual(['0x10', '0xffffffffffffffffff']);
  });

  it('reads values in decimal and 0x hex, checked against the width', () => {
    expect(parseWord('0x10', 8, 'v')).toBe(16n);
    expect(parseWord('1_000', 16, 'v')).toBe(1000n);
    expect(() => parseWord('0x100', 8, 'v')).toThrow(/wider than the 8-bit design/);
    expect(() => parseWord('ten', 8, 'v')).toThrow(/not a number/);
    expect(formatWord(0xabn, 12)).toBe('0x0ab');
  });

  it('bench deltas are full-width and the same every run', () => {
    const a = benchDeltas(50, 128);
    expect(benchDeltas(50, 128)).toEqual(a);
    expect(new Set(a).size).toBe(50);
    expect(a.some((d) => d >> 64n !== 0n)).toBe(true);
    expect(a.every((d) => d >> 128n === 0n)).toBe(true);
  });

  it('a port that does not exist is a clear error', async () => {
    await expect(runDevice({ port: '/dev/atomik-no-such-port', action: 'read' }, sink().stream)).rejects.toMatchObject({
      message: expect.stringMatching(/cannot open the serial port/),
      hint: expect.stringMatching(/is the board plugged in\?/),
    });
  });
});
