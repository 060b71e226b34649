// `atomik-gen sim`: the virtual board. The design's board top runs under Verilator with its UART on a pseudo-terminal
// (sim/uart-pty.ts), in real time, so `atomik-gen device --port <path>`, the host library and any serial program talk
// to it as to a programmed board. What the board's LEDs would show is logged; Ctrl-C stops it in order.
// `--free-run`: as fast as the simulator goes at the design's own clock, idle time skipped.
import type { Argv, CommandModule } from 'yargs';
import { AtomikError } from '../generator/common/errors.js';
import { shownPath as shown } from '../generator/common/shown.js';
import type { Design } from '../generator/design/design.js';
import { buildPlan } from '../generator/plan/plan.js';
import { uartClocks } from '../generator/protocol/uart.js';
import { withFolder } from '../generator/run/folder.js';
import type { FindToolOptions } from '../generator/tools/tools.js';
import { buildUartPtySim, REAL_TIME_CLOCK_LIMIT_HZ, UartPtySim, uartPtyTiming } from '../sim/uart-pty.js';
import { designFromArgs, withDesignFlags, type Args } from './design-flags.js';
import { catchInterrupt } from './interrupt.js';
import { say } from './say.js';

function mhz(hz: number): string {
  return `${hz / 1e6} MHz`;
}

/** Builds the design's virtual board and runs it until interrupted. */
export async function runVirtualBoard(design: Design, outDir: string, opts: { freeRun: boolean; tools?: FindToolOptions }): Promise<void> {
  const timing = uartPtyTiming(design, opts.freeRun);
  const board = uartClocks(design.clockMHz, design);
  say(`sim: the ${design.board} board top, ${design.banks} bank(s) x ${design.width} bit(s), ${design.mode}, ${design.baud} baud, frame timeout ${design.frameTimeoutMs} ms`);
  if (timing.realTime) {
    say(
      `sim: real time: a ${mhz(timing.clockHz)} virtual clock, ${timing.clksPerBit} cycles per bit (the board: ${board.clksPerBit} at ` +
        `${design.clockMHz} MHz), so byte timing and the frame timeout are the board's in wall-clock time`,
    );
    if (timing.clockHz > REAL_TIME_CLOCK_LIMIT_HZ) {
      say(
        `sim: ${design.baud} baud needs a ${mhz(timing.clockHz)} virtual clock, more than a simulation keeps up with (about ` +
          `${mhz(REAL_TIME_CLOCK_LIMIT_HZ)}): the board will run behind real time and say by how much; --free-run runs it as fast as it can`,
      );
    }
  } else {
    say(`sim: free-running at the ${design.clockMHz} MHz core clock (${timing.clksPerBit} cycles per bit), idle time skipped: device time is not wall time`);
  }
  await withFolder(outDir, async () => {
    const build = await buildUartPtySim({ plan: buildPlan(design, outDir), freeRun: opts.freeRun, progress: say, ...(opts.tools ? { tools: opts.tools } : {}) });
    say(build.reused ? `sim: reusing the build in ${shown(build.binary)}` : `sim: built in ${build.seconds.toFixed(1)} s`);
    const sim = await UartPtySim.start(build.binary);
    const interrupt = catchInterrupt();
    try {
      say(`virtual board: ${sim.path} (Ctrl-C to stop)`);
      sim.follow((line) => say(line.replace(/^harness: /, 'virtual board: ')));
      const ended = await Promise.race([interrupt.signal.then((signal) => ({ signal })), sim.exited.then((how) => ({ how }))]);
      if ('how' in ended) {
        throw new AtomikError(`the virtual board stopped by itself (${ended.how})`, { where: shown(build.binary), hint: 'its last lines are above' });
      }
      await sim.stop(ended.signal === 'SIGINT' ? 'SIGINT' : 'SIGTERM');
    } finally {
      interrupt.release();
    }
  });
}

export const simCommand: CommandModule<object, Args> = {
  command: 'sim',
  describe: "run the design's board top as a virtual board on a pseudo-terminal, in real time (Verilator)",
  builder: (y: Argv<object>) =>
    withDesignFlags(y)
      .option('free-run', { type: 'boolean', describe: "as fast as the simulator goes at the design's own clock, idle time skipped (not real time)" })
      .example('$0 sim --banks 16', 'prints the device path, e.g. /dev/pts/7: then `atomik-gen device --port /dev/pts/7 info` in another terminal')
      .example('$0 sim --baud 460800 --frame-timeout-ms 20', 'a faster line and a shorter frame timeout, both in wall-clock time') as Argv<Args>,
  handler: (argv) => {
    const { design, outDir, tools } = designFromArgs(argv);
    return runVirtualBoard(design, outDir, { freeRun: argv['free-run'] === true, tools });
  },
};
