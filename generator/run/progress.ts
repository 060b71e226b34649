// Progress of long steps. On a terminal: one live line per running stage (spinner, elapsed time, the tool's latest
// line), replaced by a result line when it ends. Elsewhere (CI, pipes): plain lines, one when a stage starts and one
// when it ends. On a terminal (or with FORCE_COLOR) the result words are coloured: ok/done/cached green, failed red,
// skipped yellow; without colour every line is byte for byte as before.
import { colors, useColor } from '../common/color.js';

export interface Progress {
  start(stage: string, detail: string): void;
  /** A line of the running tool's output. */
  output(stage: string, line: string): void;
  done(stage: string, seconds: number, detail: string): void;
  cached(stage: string, detail: string): void;
  skipped(stage: string, reason: string): void;
  failed(stage: string, seconds: number): void;
  info(line: string): void;
}

const FRAMES = ['-', '\\', '|', '/'];

/** Where progress goes: process.stdout or process.stderr, or any stream that takes text. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

/**
 * Progress lines on `stream`: live lines on a terminal outside CI, else plain lines; coloured when `color` (by default
 * what the stream and the environment allow, generator/common/color.ts).
 */
export function createProgress(
  stream: ProgressStream = process.stdout,
  live = stream.isTTY === true && process.env.CI !== 'true',
  color = useColor(stream),
): Progress {
  const write = (s: string) => stream.write(s);
  const c = colors(color);
  if (!live) {
    return {
      start: (stage, detail) => write(`${stage}: running ${detail}\n`),
      output: () => {},
      done: (stage, seconds, detail) => write(`${stage}: ${c.green('done')} in ${seconds.toFixed(1)} s${detail ? ` (${detail})` : ''}\n`),
      cached: (stage, detail) => write(`${stage}: ${c.green('cached')}${detail ? ` (${detail})` : ''}\n`),
      skipped: (stage, reason) => write(`${stage}: ${c.yellow('skipped')}: ${reason}\n`),
      failed: (stage, seconds) => write(`${stage}: ${c.red('failed')} after ${seconds.toFixed(1)} s\n`),
      info: (line) => write(`${line}\n`),
    };
  }
  let timer: NodeJS.Timeout | undefined;
  let current: { stage: string; detail: string; started: number; last: string } | undefined;
  let frame = 0;
  const width = () => Math.max(40, (stream.columns ?? 100) - 1);
  const draw = () => {
    if (!current) return;
    const elapsed = ((performance.now() - current.started) / 1000).toFixed(1);
    const text = `${FRAMES[frame++ % FRAMES.length]} ${current.stage.padEnd(9)} ${elapsed.padStart(6)} s  ${current.detail}${current.last ? `  | ${current.last}` : ''}`;
    write(`\r\x1b[2K${text.slice(0, width())}`);
  };
  const settle = (line: string) => {
    if (timer) clearInterval(timer);
    timer = undefined;
    current = undefined;
    write(`\r\x1b[2K${line}\n`);
  };
  return {
    start(stage, detail) {
      current = { stage, detail, started: performance.now(), last: '' };
      draw();
      timer = setInterval(draw, 100);
      timer.unref();
    },
    output(_stage, line) {
      if (current && line.trim()) current.last = line.trim();
    },
    done: (stage, seconds, detail) => settle(`${c.green('ok')} ${stage.padEnd(9)} ${seconds.toFixed(1).padStart(6)} s  ${detail}`),
    cached: (stage, detail) => settle(`${c.green('ok')} ${stage.padEnd(9)} cached    ${detail}`),
    skipped: (stage, reason) => settle(`${c.yellow('--')} ${stage.padEnd(9)} skipped   ${reason}`),
    failed: (stage, seconds) => settle(`${c.red('!!')} ${stage.padEnd(9)} ${seconds.toFixed(1).padStart(6)} s  ${c.red('failed')}`),
    info: (line) => (current ? undefined : write(`${line}\n`)),
  };
}

/** Discards everything (library use, tests). */
export const silentProgress: Progress = {
  start: () => {},
  output: () => {},
  done: () => {},
  cached: () => {},
  skipped: () => {},
  failed: () => {},
  info: () => {},
};
