// Ctrl-C (SIGINT), SIGTERM and SIGHUP: every tool atomik-gen started is stopped with everything it started (each runs
// in a process group of its own, so the terminal's signal does not reach it), the folders it holds are released (their
// locks go at exit), and the process exits with 128 + the signal number, as a shell expects.
import { stopAllTools } from '../generator/tools/exec.js';

const CODES: Readonly<Record<string, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };

let installed = false;

export function installInterruptHandler(): void {
  if (installed) return;
  installed = true;
  for (const [signal, code] of Object.entries(CODES)) {
    process.once(signal as NodeJS.Signals, () => {
      const stopped = stopAllTools();
      const tools = stopped.length === 0 ? '' : `: stopped ${stopped.join(', ')} and everything they started`;
      process.stderr.write(`\natomik-gen: interrupted (${signal})${tools}; a stage that did not finish will run again next time\n`);
      process.exit(code);
    });
  }
}
