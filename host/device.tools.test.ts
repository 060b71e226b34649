// [real tools] AtomikDevice end to end without hardware: the generated Tang Nano 9K top runs under Verilator with its
// UART bridged to a pseudo-terminal (sim/uart-pty.ts), and the host library opens the slave path through the same
// serialport code path it uses for a real board. The golden model (verify/core/model.ts AtomikContext) predicts every reply.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveDesign, type DesignInput } from '../generator/design/design.js';
import { buildPlan } from '../generator/plan/plan.js';
import { payloadBytes, PROTOCOL_VERSION } from '../generator/protocol/uart.js';
import { runDevice } from '../cli/device.js';
import { startUartPtySim, uartPtyTiming, type UartPtySim } from '../sim/uart-pty.js';
import { AtomikContext } from '../verify/core/model.js';
import { AtomikDevice, DeviceError, openSerialTransport, type DeviceTransport } from './device.js';
import { sink } from '../test/support.js';

const root = mkdtempSync(join(tmpdir(), 'atomik-uart-pty-'));
/** The simulation is slower than the real line (a byte is 10 x 703 cycles at 81 MHz): generous reply deadlines. */
const SIM_TIMEOUT_MS = 8000;

function word(width: number, seed: number): bigint {
  // distinct, full-width test values
  let v = 0n;
  for (let i = 0; i < Math.ceil(width / 16); i++) v = (v << 16n) | BigInt((seed * 40503 + i * 9973 + 12345) & 0xffff);
  return v & ((1n << BigInt(width)) - 1n);
}


const DESIGNS: readonly (DesignInput & { width: number; banks: number; mode: 'round-robin' | 'parallel' })[] = [
  { width: 64, banks: 4, mode: 'round-robin' },
  { width: 128, banks: 4, mode: 'parallel' },
];

describe.each(DESIGNS)('[real tools] UART co-simulation, $width bits, $banks banks, $mode', (input) => {
  const W = input.width;
  let sim: UartPtySim;
  let transport: DeviceTransport;
  let device: AtomikDevice;
  const model = new AtomikContext(W);
  let deltasSinceReset = 0n;
  let clockMHz = 0;

  beforeAll(async () => {
    const design = resolveDesign({ ...input, name: `pty${W}` });
    // the virtual board runs in real time on a virtual clock of its own: its counters count that clock's cycles
    clockMHz = uartPtyTiming(design).clockHz / 1e6;
    const plan = buildPlan(design, join(root, `w${W}`));
    ({ sim } = await startUartPtySim({ plan, maxSeconds: 300 }));
    transport = await openSerialTransport(sim.path, 115200);
    device = await AtomikDevice.connect(transport, { width: W, banks: input.banks, mode: input.mode, timeoutMs: SIM_TIMEOUT_MS });
  });

  afterAll(async () => {
    await device?.close().catch(() => undefined);
    const log = await sim?.stop();
    console.log(`${W}-bit co-simulation: ${log?.trim().split('\n').pop() ?? ''}`);
  });

  it('opens: INFO says the width, banks and mode of the generated design', async () => {
    expect(device.design).toMatchObject({ width: W, banks: input.banks, mode: input.mode, protocol: PROTOCOL_VERSION, baud: 115200, frameTimeoutMs: 50 });
    expect(device.canBatch).toBe(true);
    expect(await device.info()).toEqual(device.design);
  });

  it('load, accum, read, status and reference agree with the golden model', async () => {
    const v = word(W, 1);
    await device.load(v);
    model.load(v);
    expect(await device.read()).toBe(model.read());
    expect(await device.status()).toEqual({ clean: true });
    for (let i = 2; i < 9; i++) {
      const d = word(W, i);
      await device.accum(d);
      model.accum(d);
      deltasSinceReset++;
    }
    expect(await device.read()).toBe(model.read());
    expect(await device.status()).toEqual({ clean: model.isClean() });
    expect(await device.reference()).toBe(model.reference);
    // the all-ones word reaches the top bit of the payload
    const ones = (1n << BigInt(W)) - 1n;
    await device.accum(ones);
    model.accum(ones);
    deltasSinceReset++;
    expect(await device.read()).toBe(model.read());
  });

  it('rollback undoes a delta; undoing every delta leaves it clean', async () => {
    const v = word(W, 20);
    await device.load(v);
    model.load(v);
    const ds = [word(W, 21), word(W, 22), word(W, 23)];
    for (const d of ds) {
      await device.accum(d);
      model.accum(d);
    }
    await device.rollback(ds[1]!);
    model.rollback(ds[1]!);
    deltasSinceReset += 4n;
    expect(await device.read()).toBe(model.read());
    expect((await device.status()).clean).toBe(false);
    for (const d of [ds[0]!, ds[2]!]) {
      await device.rollback(d);
      model.rollback(d);
      deltasSinceReset++;
    }
    expect(await device.status()).toEqual({ clean: true });
    expect(await device.read()).toBe(v);
  });

  it('swap with a value and swap keeping the state return the old state', async () => {
    const d = word(W, 30);
    await device.accum(d);
    model.accum(d);
    deltasSinceReset++;
    const fresh = word(W, 31);
    expect(await device.swap(fresh)).toBe(model.swap(fresh));
    expect(await device.reference()).toBe(fresh);
    expect(await device.status()).toEqual({ clean: true });
    const d2 = word(W, 32);
    await device.accum(d2);
    model.accum(d2);
    deltasSinceReset++;
    expect(await device.swap()).toBe(model.swap());
    expect(await device.reference()).toBe(model.reference);
    expect(await device.read()).toBe(model.read());
    expect(await device.status()).toEqual({ clean: true });
  });

  it('accumMany: one write of BATCH frames (split at 255), fenced by SYNC; single frames when asked', async () => {
    const ds = Array.from({ length: 300 }, (_, i) => word(W, 100 + i));
    await device.accumMany(ds);
    for (const d of ds) model.accum(d);
    deltasSinceReset += BigInt(ds.length);
    expect(await device.read()).toBe(model.read());
    const singles = Array.from({ length: 20 }, (_, i) => word(W, 500 + i));
    await device.accumMany(singles, { frames: 'single' });
    for (const d of singles) model.accum(d);
    deltasSinceReset += BigInt(singles.length);
    expect(await device.read()).toBe(model.read());
  });

  it('counters: cycles advance, deltas count every delta since reset', async () => {
    const a = await device.counters();
    const b = await device.counters();
    expect(a.deltas).toBe(deltasSinceReset);
    expect(b.deltas).toBe(deltasSinceReset);
    expect(b.cycles).toBeGreaterThan(a.cycles);
  });

  it('rejects values wider than the design, before sending anything', async () => {
    await expect(device.load(1n << BigInt(W))).rejects.toThrow(RangeError);
    await expect(device.accum(-1n)).rejects.toThrow(/negative/);
    await expect(device.accumMany([0n, 1n << BigInt(W + 3)])).rejects.toThrow(new RegExp(`delta \\[1\\] 0x[0-9a-f]+ is wider than the ${W}-bit design`));
    expect(await device.read()).toBe(model.read());
  });

  it('times out when the device stays silent, then recovers (drain + SYNC) for the next request', async () => {
    device.timeoutMs = 300;
    sim.pause();
    try {
      const err = await device.read().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(DeviceError);
      const e = err as DeviceError;
      expect(e.kind).toBe('timeout');
      expect(e.command).toBe('READ (R)');
      expect(e.message).toMatch(new RegExp(`no complete reply to READ \\(R\\) within \\d+ ms: expected ${payloadBytes(W)} byte\\(s\\), received 0`));
    } finally {
      sim.resume();
      device.timeoutMs = SIM_TIMEOUT_MS;
    }
    // the late reply to the timed-out READ arrives meanwhile; the recovery drops it
    expect(await device.read()).toBe(model.read());
    expect(await device.status()).toEqual({ clean: model.isClean() });
    const v = word(W, 35);
    await device.load(v);
    model.load(v);
    expect(await device.read()).toBe(v);
  });

  it('a partial frame is dropped after the inter-byte timeout; the next exchange works', async () => {
    // an L frame cut short: the opcode and 3 of its payload bytes, straight onto the port
    await transport.write(Uint8Array.of(0x4c, 0xde, 0xad, 0xbe));
    await sim.waitForLog(/led error_seen on/, 20_000);
    const v = word(W, 40);
    await device.load(v);
    model.load(v);
    expect(await device.read()).toBe(v);
    expect(await device.reference()).toBe(v);
    expect(await device.status()).toEqual({ clean: true });
  });

  it('open checks the design: a width mismatch is a clear error', async () => {
    await device.close();
    const wrong = W === 64 ? 128 : 64;
    await expect(AtomikDevice.open(sim.path, { width: wrong, timeoutMs: SIM_TIMEOUT_MS })).rejects.toThrow(
      new RegExp(`not the expected design: width ${W}, expected ${wrong}`),
    );
    await expect(AtomikDevice.open(sim.path, { width: W, banks: input.banks + 1, timeoutMs: SIM_TIMEOUT_MS })).rejects.toThrow(
      new RegExp(`${input.banks} bank\\(s\\), expected ${input.banks + 1}`),
    );
    device = await AtomikDevice.open(sim.path, { width: W, timeoutMs: SIM_TIMEOUT_MS });
    expect(await device.read()).toBe(model.read());
  });

  // the bench runs once, on the 64-bit design (the figure the published scripts are compared with)
  if (W === 64) it('atomik-gen device bench: single and batched frames, over the link, in device time and the line limit', async () => {
    await device.close();
    const out = sink();
    const count = 300;
    await runDevice({ port: sim.path, action: 'bench', count, batch: 150, clockMHz, timeoutMs: SIM_TIMEOUT_MS }, out.stream);
    const text = out.text();
    console.log(text);
    const figures = (label: string) => [...text.matchAll(new RegExp(`^bench: {3}${label} +([\\d ]+) deltas/s`, 'gm'))].map((m) => Number(m[1]!.replace(/ /g, '')));
    const link = figures('measured over the link');
    const deviceTime = figures('device time');
    const limit = figures('line limit, computed');
    expect(text).toContain('bench: single frames (A, 9 bytes per delta):');
    expect(text).toMatch(/bench: batched frames \(B, up to 255 deltas per frame, /);
    expect(link).toHaveLength(2);
    expect(deviceTime).toHaveLength(2);
    expect(limit).toEqual([1280, 1438]);
    for (const x of link) expect(x).toBeGreaterThan(0);
    // in device time the line cannot beat its limit; batched frames beat single ones
    expect(deviceTime[0]!).toBeLessThanOrEqual(limit[0]!);
    expect(deviceTime[1]!).toBeLessThanOrEqual(limit[1]!);
    expect(deviceTime[1]!).toBeGreaterThan(deviceTime[0]!);
    const read = sink();
    await runDevice({ port: sim.path, action: 'counters', timeoutMs: SIM_TIMEOUT_MS }, read.stream);
    deltasSinceReset += BigInt(2 * count);
    expect(read.text()).toMatch(new RegExp(`deltas ${deltasSinceReset}\\b`));
    device = await AtomikDevice.open(sim.path, { width: W, timeoutMs: SIM_TIMEOUT_MS });
  });
});
