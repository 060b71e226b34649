// Progress lines: without colour (a pipe, a file, CI) byte for byte the plain lines; with colour, the result words
// coloured and nothing else changed.
import { describe, expect, it } from 'vitest';
import { sink } from '../../test/support.js';
import { createProgress } from './progress.js';

function drive(color: boolean, live: boolean): string {
  const out = sink();
  const p = createProgress(out.stream, live, color);
  p.start('lint', 'verilator');
  p.done('lint', 1.5, 'no warnings');
  p.cached('synth', 'yosys');
  p.skipped('pnr', 'no vivado');
  p.start('bitstream', 'gowin_pack');
  p.failed('bitstream', 2);
  p.info('stopped');
  return out.text();
}

describe('createProgress', () => {
  it('writes the plain lines, without a single escape code, when colour is off', () => {
    expect(drive(false, false)).toBe(
      [
        'lint: running verilator',
        'lint: done in 1.5 s (no warnings)',
        'synth: cached (yosys)',
        'pnr: skipped: no vivado',
        'bitstream: running gowin_pack',
        'bitstream: failed after 2.0 s',
        'stopped',
        '',
      ].join('\n'),
    );
  });

  it('colours done and cached green, skipped yellow, failed red, and is otherwise the same text', () => {
    const text = drive(true, false);
    expect(text).toContain('lint: \x1b[32mdone\x1b[39m in 1.5 s');
    expect(text).toContain('synth: \x1b[32mcached\x1b[39m (yosys)');
    expect(text).toContain('pnr: \x1b[33mskipped\x1b[39m: no vivado');
    expect(text).toContain('bitstream: \x1b[31mfailed\x1b[39m after 2.0 s');
    expect(text.replace(/\x1b\[\d+m/g, '')).toBe(drive(false, false));
  });

  it('on a terminal: ok in green and !! failed in red on the result lines', () => {
    const text = drive(true, true);
    expect(text).toContain('\x1b[32mok\x1b[39m lint');
    expect(text).toContain('\x1b[31m!!\x1b[39m bitstream');
    expect(text).toContain('\x1b[31mfailed\x1b[39m');
    const plain = drive(false, true);
    expect(plain).toContain('ok lint');
    expect(plain).toContain('!! bitstream');
  });

  it('takes its colour from the stream and the environment by default: none into a pipe', () => {
    const out = sink();
    const saved = process.env.FORCE_COLOR;
    delete process.env.FORCE_COLOR;
    try {
      const p = createProgress(out.stream, false);
      p.done('lint', 1, '');
      expect(out.text()).toBe('lint: done in 1.0 s\n');
    } finally {
      if (saved !== undefined) process.env.FORCE_COLOR = saved;
    }
  });
});
