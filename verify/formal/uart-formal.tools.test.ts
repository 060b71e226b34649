// [real tools] The UART host's formal proof through Yosys `sat -tempinduct`, at the designs' own parameters: the
// default design (one lane, 703 clocks per bit: the split bit timer) and a 4-lane design on a fast line (27 clocks per
// bit: the single-counter timer, the lane pointer); and faults put into the generated RTL are refused with a
// counterexample. Timings go to the console.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveDesign } from '../../generator/design/design.js';
import { uartClocks } from '../../generator/protocol/uart.js';
import { runFormal } from './formal.js';
import { prepareUartFormal } from './uart-formal.js';

const root = mkdtempSync(join(tmpdir(), 'atomik-uart-formal-'));
const timings: string[] = [];

afterAll(() => {
  if (timings.length > 0) console.log(`UART proof timings:\n  ${timings.join('\n  ')}`);
});

const designs = [
  { what: 'the default design', input: {} },
  { what: '4 lanes at 3 Mbaud', input: { banks: 4, mode: 'parallel', arch: 'reduce', baud: 3_000_000 } },
];

describe.concurrent('[real tools] formal: the UART host (yosys sat -tempinduct)', () => {
  it.each(designs)('$what: receiver, framing, FIFO and parser proven by induction', async ({ what, input }) => {
    const d = resolveDesign({ board: 'tang9k', ...input });
    const prepared = prepareUartFormal({ design: d, outDir: join(root, what.replace(/\W+/g, '-')) });
    const result = await runFormal(prepared);
    const { clksPerBit } = uartClocks(d.clockMHz, d);
    timings.push(`${what} (${clksPerBit} clocks per bit): ${result.seconds.toFixed(1)} s`);
    expect(result.proven, `${result.method}\nlog: ${result.log}`).toBe(true);
    expect(result.method).toMatch(/unbounded/);
    expect(result.counterexample).toBeUndefined();
    const log = readFileSync(result.log, 'utf8');
    expect(log.match(/Induction step proven: SUCCESS!/g)?.length).toBe(4);
    expect(log).not.toMatch(/has no driver/);
    // the proof is at the design's own line timing, not a stand-in
    expect(readFileSync(join(prepared.outDir, prepared.harness), 'utf8')).toContain(`localparam integer N  = ${clksPerBit};`);
  }, 600_000);

  // Faults put into the rendered RTL: each must fail the proof with a counterexample (VCD) from the phase it breaks.
  const mutants = [
    {
      what: 'the parser carries out every payload byte, not only the last of a value',
      file: 'host_uart',
      from: 'pk_first ? pk_now : pk_end',
      to: "pk_first ? pk_now : 1'b1",
      phase: 'the parser and exec',
      real: true,
    },
    {
      what: 'a carried-out frame stays pending (carried out again)',
      file: 'host_uart',
      from: "if (go) ex_pending <= 1'b0;",
      to: '',
      phase: 'the parser and exec',
      real: true,
    },
    {
      what: 'the receiver never flags a bad stop bit',
      file: 'uart_rx',
      from: 'ferr  <= ~rx_s;',
      to: "ferr  <= 1'b0;",
      phase: 'the receiver',
      real: false,
    },
  ];
  it.each(mutants)('mutant refused: $what', async ({ what, file, from, to, phase, real }) => {
    const d = resolveDesign({ board: 'tang9k' });
    const prepared = prepareUartFormal({ design: d, outDir: join(root, `mutant-${what.replace(/\W+/g, '-')}`) });
    const path = join(prepared.outDir, `rtl/${d.name}_${file}.v`);
    const text = readFileSync(path, 'utf8');
    expect(text).toContain(from);
    writeFileSync(path, text.replace(from, to));
    const result = await runFormal(prepared);
    timings.push(`mutant (${what}): refused in ${result.seconds.toFixed(1)} s`);
    expect(result.proven).toBe(false);
    // the failing phase is named, with a real counterexample from reset where one is a few cycles deep (a byte on the
    // line takes thousands of cycles: there the induction step's counterexample is what the VCD holds)
    expect(result.method).toMatch(new RegExp(`${phase}[^;]*: ${real ? 'an assertion fails' : 'induction not closed'}`));
    expect(result.counterexample).toBeDefined();
    expect(existsSync(result.counterexample!)).toBe(true);
  }, 600_000);
});
