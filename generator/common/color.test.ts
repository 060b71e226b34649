// When atomik-gen colours its output: FORCE_COLOR decides when set, else NO_COLOR turns colour off, else a terminal.
import { describe, expect, it } from 'vitest';
import { colors, colorsFor, useColor } from './color.js';

const tty = { isTTY: true };
const pipe = { isTTY: false };

describe('useColor', () => {
  it.each([
    ['a terminal', tty, {}, true],
    ['a pipe or a file', pipe, {}, false],
    ['a terminal with TERM=dumb', tty, { TERM: 'dumb' }, false],
    ['a terminal with NO_COLOR=1', tty, { NO_COLOR: '1' }, false],
    ['a terminal with NO_COLOR empty (unset, by no-color.org)', tty, { NO_COLOR: '' }, true],
    ['a pipe with FORCE_COLOR=1', pipe, { FORCE_COLOR: '1' }, true],
    ['a pipe with FORCE_COLOR empty', pipe, { FORCE_COLOR: '' }, true],
    ['a terminal with FORCE_COLOR=0', tty, { FORCE_COLOR: '0' }, false],
    ['a terminal with FORCE_COLOR=false', tty, { FORCE_COLOR: 'false' }, false],
    ['NO_COLOR and FORCE_COLOR=1 (FORCE_COLOR decides)', pipe, { NO_COLOR: '1', FORCE_COLOR: '1' }, true],
  ])('%s: %s', (_what, stream, env, expected) => {
    expect(useColor(stream, env)).toBe(expected);
  });

  it('colours with escape codes, or returns the text as it is', () => {
    expect(colors(true).red('failed')).toBe('\x1b[31mfailed\x1b[39m');
    expect(colors(false).red('failed')).toBe('failed');
    expect(colorsFor(pipe, {}).green('ok')).toBe('ok');
  });
});
