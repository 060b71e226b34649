// The board top's port list, one entry per port bit, as the constraint templates print it.
import type { Board, IoStandard, Pin } from '../../boards/types.js';

/** PULL_MODE spelling of the Gowin .cst files; the .xdc template does not print pulls. */
export type PullMode = 'UP' | 'DOWN' | 'NONE';

export interface PortPin {
  /** Port bit as the constraint file names it: `rst_btn`, `led[0]`. */
  readonly name: string;
  readonly pin: string;
  readonly io: IoStandard;
  readonly pull: PullMode;
  readonly direction: 'input' | 'output';
  readonly activeLow: boolean;
  /** One line for the constraint file, saying what the pin is. */
  readonly comment: string;
}

export interface TopPortOptions {
  /** Button name from `board.buttons` used as the reset input (`board.defaultResetButton` when the design names none). */
  readonly resetButton: string;
  /** 'uart' adds the host UART pins. */
  readonly host: 'uart' | 'none';
}

/** The board oscillator as the constraint templates need it. */
export interface ClockConstraint {
  readonly port: string;
  readonly mhz: number;
  /** Period in ns with three decimals, as constraint files print it (27 MHz: "37.037"). */
  readonly periodNs: string;
}

const PULL_MODES: Readonly<Record<NonNullable<Pin['pull']>, PullMode>> = { up: 'UP', down: 'DOWN', none: 'NONE' };

function portPin(name: string, pin: Pin, direction: PortPin['direction'], comment: string): PortPin {
  return {
    name,
    pin: pin.pin,
    io: pin.io,
    pull: PULL_MODES[pin.pull ?? 'none'],
    direction,
    activeLow: pin.activeLow ?? false,
    comment,
  };
}

function polarity(pin: Pin): string {
  return pin.activeLow ? 'active low' : 'active high';
}

/** The ports of the board top, in a fixed order: clock, reset button, UART (when asked for), LEDs. */
export function topPorts(board: Board, opts: TopPortOptions): PortPin[] {
  const button = board.buttons[opts.resetButton];
  if (button === undefined) {
    const valid = Object.keys(board.buttons).join(', ');
    throw new Error(
      `board ${board.id} has no button "${opts.resetButton}" to use as reset; valid buttons: ${valid} ` +
        `(default ${board.defaultResetButton})`,
    );
  }
  const ports: PortPin[] = [
    portPin(board.clock.port, board.clock.pin, 'input', `${board.clock.mhz} MHz board oscillator`),
    portPin('rst_btn', button, 'input', `reset: button ${opts.resetButton}, ${polarity(button)}`),
  ];
  if (opts.host === 'uart') {
    ports.push(portPin('uart_rx', board.uart.rx, 'input', 'UART from the host (FPGA RX)'));
    ports.push(portPin('uart_tx', board.uart.tx, 'output', 'UART to the host (FPGA TX)'));
  }
  board.leds.forEach((led, i) => {
    ports.push(portPin(`led[${i}]`, led, 'output', `LED ${i}, ${polarity(led)}`));
  });
  return ports;
}

/** The oscillator clock for the constraint templates. */
export function oscillatorClock(board: Board): ClockConstraint {
  return { port: board.clock.port, mhz: board.clock.mhz, periodNs: (1000 / board.clock.mhz).toFixed(3) };
}
