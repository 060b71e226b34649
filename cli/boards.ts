// `atomik-gen boards`: the known boards, their parts, clocks and flows.
import type { CommandModule } from 'yargs';
import { BOARDS } from '../boards/index.js';
import { say } from './say.js';

export const boardsCommand: CommandModule = {
  command: 'boards',
  describe: 'list the known boards',
  handler: () => {
    for (const b of BOARDS) {
      say(`${b.id.padEnd(10)} ${b.title}`);
      say(`${''.padEnd(10)} part ${b.part} (device ${b.device}, family ${b.packFamily}), ${b.capacity.luts} LUT${b.lutInputs}, ${b.capacity.flipFlops} FF`);
      say(`${''.padEnd(10)} clock ${b.clock.mhz} MHz on ${b.clock.pin.pin}, default core clock ${b.pll.defaultMHz} MHz (${b.pll.kind}), flow ${b.flow}`);
      say(`${''.padEnd(10)} reset button ${b.defaultResetButton} (buttons: ${Object.keys(b.buttons).join(', ')})`);
    }
  },
};
