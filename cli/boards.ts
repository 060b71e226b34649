// `atomik-gen boards`: the known boards, their parts, clocks and flows (`--json`: every board's full record).
import type { Argv, CommandModule } from 'yargs';
import { BOARDS } from '../boards/index.js';
import { say } from './say.js';

export const boardsCommand: CommandModule<object, { json?: boolean }> = {
  command: 'boards',
  describe: 'list the known boards',
  builder: (y: Argv<object>) =>
    y
      .option('json', { type: 'boolean', describe: 'print every board as JSON (part, capacity, clock, pins, programmer arguments)' })
      .example('$0 boards', 'the boards, one block each')
      .example('$0 boards --json', 'the same as JSON, for scripts'),
  handler: (argv) => {
    if (argv.json === true) {
      process.stdout.write(JSON.stringify(BOARDS, null, 2) + '\n');
      return;
    }
    for (const b of BOARDS) {
      say(`${b.id.padEnd(10)} ${b.title}`);
      say(`${''.padEnd(10)} part ${b.part} (device ${b.device}, family ${b.packFamily}), ${b.capacity.luts} LUT${b.lutInputs}, ${b.capacity.flipFlops} FF`);
      say(`${''.padEnd(10)} clock ${b.clock.mhz} MHz on ${b.clock.pin.pin}, default core clock ${b.pll.defaultMHz} MHz (${b.pll.kind}), flow ${b.flow}`);
      say(`${''.padEnd(10)} reset button ${b.defaultResetButton} (buttons: ${Object.keys(b.buttons).join(', ')})`);
    }
  },
};
