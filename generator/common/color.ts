// Colour on a terminal. picocolors makes the escape codes; when to use them is decided here, per stream, by one rule:
// FORCE_COLOR decides when it is set (`0` or `false`: never; anything else, the empty string included: always), else
// NO_COLOR set to anything but the empty string means never (no-color.org), else colour only on a terminal (a TTY,
// TERM not `dumb`). Text written without colour is byte for byte what it would be with no colour support at all.
import picocolors from 'picocolors';

/** The colour functions: each wraps a text in escape codes, or returns it as it is when colour is off. */
export type Colors = ReturnType<typeof picocolors.createColors>;

/** What the rule needs to know of a stream. */
export interface ColorTarget {
  readonly isTTY?: boolean;
}

/** Whether text written to `stream` gets colour. */
export function useColor(stream: ColorTarget, env: Readonly<Record<string, string | undefined>> = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** The colour functions, colouring or not. */
export function colors(enabled: boolean): Colors {
  return picocolors.createColors(enabled);
}

/** The colour functions for text written to `stream` (see useColor). */
export function colorsFor(stream: ColorTarget, env: Readonly<Record<string, string | undefined>> = process.env): Colors {
  return colors(useColor(stream, env));
}
