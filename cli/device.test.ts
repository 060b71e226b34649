// `atomik-gen program` and `atomik-gen device`: the command modules on their own. Failing cases need no board:
// no bitstream, no openFPGALoader, and (with openFPGALoader installed) no board plugged in. `device` against a fake
// board (test/fake-board.ts) for its output; `device bench` against the UART co-simulation is in
// host/device.tools.test.ts.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { describe, expect, it } from 'vitest';
import { AtomikError } from '../generator/common/errors.js';
import { findTool } from '../generator/tools/tools.js';
import { lineLimit, MAX_BATCH } from '../generator/protocol/uart.js';
import { benchBytesPerDelta, benchDeltas, deviceCommand, formatWord, parseWord, programCommand, runDevice, runProgram, type BenchReport, type DeviceArgs } from './device.js';
import { FAKE_CYCLES_PER_FRAME, FakeBoard } from '../test/fake-board.js';
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

/** `device` against a fake board: what it prints. */
async function onFake(args: Omit<DeviceArgs, 'port'>, board = new FakeBoard(64)): Promise<{ text: string; board: FakeBoard }> {
  const out = sink();
  await runDevice({ port: 'fake', timeoutMs: 200, ...args }, out.stream, { transport: board });
  return { text: out.text(), board };
}

describe('device against a fake board', () => {
  it('info names the line; --json prints the same as data', async () => {
    expect((await onFake({ action: 'info' })).text).toBe('fake: 64-bit, 4 bank(s), round-robin, pipeline 1, UART 115200 baud, frame timeout 50 ms, generated by atomik-gen 0.1.0, protocol 2\n');
    const json = JSON.parse((await onFake({ action: 'info', json: true })).text) as Record<string, unknown>;
    expect(json).toEqual({ port: 'fake', protocol: 2, version: '0.1.0', width: 64, banks: 4, mode: 'round-robin', pipeline: 1, frameTimeoutMs: 50, baud: 115200 });
  });

  it('accum sends one BATCH frame; read and counters show it, also as JSON', async () => {
    const board = new FakeBoard(8);
    await onFake({ action: 'accum', values: ['0x5', '0xf0'] }, board);
    expect(board.frames.slice(-2)).toEqual(['B', 'P']);
    expect((await onFake({ action: 'read' }, board)).text).toBe('0xf5\n');
    expect(JSON.parse((await onFake({ action: 'read', json: true }, board)).text)).toEqual({ state: '0xf5' });
    expect(JSON.parse((await onFake({ action: 'counters', json: true }, board)).text)).toMatchObject({ deltas: 2 });
  });

  it('bench: single and batched runs, each measured over the link, in device time and beside the line limit', async () => {
    const { text, board } = await onFake({ action: 'bench', count: 600, batch: 300, clockMHz: 1 });
    console.log(text);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('bench: fake: 64-bit, 4 bank(s), round-robin, pipeline 1, UART 115200 baud, frame timeout 50 ms, generated by atomik-gen 0.1.0, protocol 2; device clock 1 MHz (--clock-mhz)');
    expect(lines[1]).toBe('bench: 600 deltas of 64 bits per run, in writes of 300 (each write fenced by SYNC); state and delta counter checked after each run');
    expect(lines[2]).toBe('bench: single frames (A, 9 bytes per delta):');
    expect(lines[3]).toMatch(/^bench: {3}measured over the link +[\d ]+ deltas\/s {2}\(600 deltas in \d+\.\d{3} s, wall clock\)$/);
    // between the two COUNTERS: 600 A frames, 2 SYNC and the second COUNTERS
    expect(Math.round(600e6 / (603 * Number(FAKE_CYCLES_PER_FRAME)))).toBe(9950);
    expect(lines[4]).toBe('bench:   device time                 9 950 deltas/s  (60300 core cycles counted by the device at 1 MHz)');
    expect(lines[5]).toBe('bench:   line limit, computed        1 280 deltas/s  (9 bytes per delta at 115200 baud, 10 bits a byte; not a measurement)');
    const bytes = benchBytesPerDelta(64, 'batch', 600, 300);
    expect(bytes).toBe((2 * (2 + 255 * 8) + 2 * (2 + 45 * 8)) / 600);
    expect(lines[6]).toBe(`bench: batched frames (B, up to 255 deltas per frame, ${Number(bytes.toFixed(3))} bytes per delta):`);
    expect(lines[7]).toMatch(/^bench: {3}measured over the link/);
    // two writes, each two BATCH frames and a SYNC, then the COUNTERS
    expect(lines[8]).toMatch(/^bench: {3}device time +857 143 deltas\/s {2}\(700 core cycles counted by the device at 1 MHz\)$/);
    expect(lines[9]).toBe(`bench:   line limit, computed        1 438 deltas/s  (${Number(bytes.toFixed(3))} bytes per delta at 115200 baud, 10 bits a byte; not a measurement)`);
    expect(lines[10]).toBe('bench: published ATOMiK host scripts: at most about 1 280 deltas/s (64-bit A frames at 115200 baud)');
    expect(lines).toHaveLength(11);
    expect(board.model.read()).toBe(benchDeltas(600, 64).reduce((a, d) => a ^ d, 0n));
  });

  it('bench --json: the runs with their figures and bases; without --clock-mhz device time is null', async () => {
    const { text } = await onFake({ action: 'bench', count: 2 * MAX_BATCH, batch: 2 * MAX_BATCH, frames: 'batch', json: true });
    const r = JSON.parse(text) as BenchReport;
    expect(r.kind).toBe('atomik-device-bench');
    expect(r.clockMHz).toBeNull();
    expect(r.skipped).toEqual([]);
    expect(r.runs).toHaveLength(1);
    const run = r.runs[0]!;
    expect(run).toMatchObject({ frames: 'batch', count: 510, batch: 510, checked: { state: true, deltaCounter: true } });
    expect(run.link.basis).toBe('measured');
    expect(run.link.deltasPerSecond).toBeGreaterThan(0);
    expect(run.deviceTime).toEqual({ cycles: 4 * Number(FAKE_CYCLES_PER_FRAME), clockMHz: null, deltasPerSecond: null, basis: 'measured' });
    // full frames: the line limit is lineLimit's for 255 deltas a frame
    expect(run.lineLimit).toEqual({ deltasPerSecond: lineLimit(115200, 64, MAX_BATCH), baud: 115200, bytesPerDelta: 2042 / 255, basis: 'computed' });
  });

  it('bench on a protocol-1 device: single frames only, the batched run skipped with the reason; --frames batch is an error', async () => {
    const { text } = await onFake({ action: 'bench', count: 20, batch: 10 }, new FakeBoard(64, { protocol: 1 }));
    expect(text).toContain('bench: single frames (A, 9 bytes per delta):');
    expect(text).not.toContain('bench: batched frames (B');
    expect(text).toContain('bench: batched frames skipped: the device speaks protocol 1, which has no BATCH frames');
    expect(text).toContain('device time                   n/a           (');
    await expect(onFake({ action: 'bench', count: 20, frames: 'batch' }, new FakeBoard(64, { protocol: 1 }))).rejects.toMatchObject({
      message: 'the device speaks protocol 1, which has no BATCH frames',
      hint: expect.stringMatching(/--frames single/),
    });
  });

  it('bench notes a port opened at another rate than the device\'s line', async () => {
    const { text } = await onFake({ action: 'bench', count: 10, frames: 'single' }, new FakeBoard(64, { baud: 3_000_000 }));
    expect(text).toContain("bench: note: the port is opened at 115200 baud, the device's line is 3000000 baud; on a serial port they must agree (--baud 3000000)");
    expect(text).toMatch(/line limit, computed +33 333 deltas\/s {2}\(9 bytes per delta at 3000000 baud/);
  });

  it('refuses a --clock-mhz that is not a positive number before opening the port', async () => {
    await expect(runDevice({ port: '/dev/atomik-no-such-port', action: 'bench', clockMHz: -1 }, sink().stream)).rejects.toMatchObject({ where: '--clock-mhz' });
  });
});
