// Ctrl-C (SIGINT), SIGTERM and SIGHUP: every tool atomik-gen started is stopped with everything it started (each runs
// in a process group of its own, so the terminal's signal does not reach it), the folders it holds are released (their
// locks go at exit), and the process exits with 128 + the signal number, as a shell expects. A command whose normal end
// is Ctrl-C (`atomik-gen sim`) takes the first signal instead and stops in order (`catchInterrupt`).
import { stopAllTools } from '../generator/tools/exec.js';

const CODES: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

let installed = false;
/** Set by `catchInterrupt`: the next signal goes there instead of stopping atomik-gen. */
let takeover: ((signal: NodeJS.Signals) => void) | undefined;

export function installInterruptHandler(): void {
  if (installed) return;
  installed = true;
  for (const [signal, code] of Object.entries(CODES)) {
    process.on(signal as NodeJS.Signals, () => {
      const caught = takeover;
      if (caught) {
        takeover = undefined;
        caught(signal as NodeJS.Signals);
        return;
      }
      const stopped = stopAllTools();
      const tools = stopped.length === 0 ? '' : `: stopped ${stopped.join(', ')} and everything they started`;
      process.stderr.write(`\natomik-gen: interrupted (${signal})${tools}; a stage that did not finish will run again next time\n`);
      process.exit(code);
    });
  }
}

/**
 * For a command whose normal end is Ctrl-C (the virtual board of `atomik-gen sim`): the next SIGINT, SIGTERM or SIGHUP
 * resolves `signal` instead of stopping atomik-gen, so the command can stop its work in order; a second one stops
 * atomik-gen as above. `release()` gives the signals back before one came.
 */
export function catchInterrupt(): { readonly signal: Promise<NodeJS.Signals>; release(): void } {
  installInterruptHandler();
  let handler: ((signal: NodeJS.Signals) => void) | undefined;
  const signal = new Promise<NodeJS.Signals>((resolve) => {
    handler = resolve;
  });
  takeover = handler;
  return {
    signal,
    release: () => {
      if (takeover === handler) takeover = undefined;
    },
  };
}
