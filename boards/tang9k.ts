// Sipeed Tang Nano 9K (Gowin GW1NR-9, QN88P package).
// Sources: Sipeed wiki Nano-9K.md spec table (LUT/FF/BSRAM/multiplier counts), Sipeed TangNano-9K-example .cst files,
// amaranth-boards tang_nano_9k.py, litex-boards sipeed_tang_nano_9k.py, openFPGALoader doc/boards.yml (tangnano9k).
import type { Board, Pin } from './types.js';

// LEDs and buttons sit on bank 3, which the board powers at 1.8 V (litex-boards: IOStandard LVCMOS18).
const led = (pin: string): Pin => ({ pin, io: 'LVCMOS18', pull: 'none', activeLow: true });

export const tang9k: Board<'tang9k'> = {
  id: 'tang9k',
  title: 'Sipeed Tang Nano 9K',
  vendor: 'Sipeed',
  family: 'gowin',
  part: 'GW1NR-LV9QN88PC6/I5',
  device: 'GW1NR-9C',
  packFamily: 'GW1N-9C',
  lutInputs: 4,
  // dsp counts 18x18 multipliers (Sipeed spec table: "18 x 18 Multiplier | 20"); bram counts 18 Kbit BSRAM blocks.
  capacity: { luts: 8640, flipFlops: 6480, bram: 26, dsp: 20 },
  clock: { port: 'clk_27m', pin: { pin: '52', io: 'LVCMOS33', pull: 'none', note: '27 MHz crystal oscillator' }, mhz: 27 },
  uart: {
    // RX idles high; the pull-up keeps it there while the BL702 is not driving (amaranth-boards uses PULL_MODE=UP).
    rx: { pin: '18', io: 'LVCMOS33', pull: 'up', note: 'FPGA RX, from the BL702 USB-UART TX' },
    tx: { pin: '17', io: 'LVCMOS33', pull: 'none', note: 'FPGA TX, to the BL702 USB-UART RX' },
    note: 'On-board BL702 USB-JTAG/UART bridge; the UART is the second interface of the USB device.',
    // sipeed/TangNano-9K-example issue 7: the BL702 bridge carries up to 3 Mbit/s cleanly (115200 is only the default).
    maxBaud: 3_000_000,
  },
  leds: [led('10'), led('11'), led('13'), led('14'), led('15'), led('16')],
  buttons: {
    S1: { pin: '4', io: 'LVCMOS18', pull: 'up', activeLow: true, note: 'S1 on pin 4 (see board notes)' },
    S2: { pin: '3', io: 'LVCMOS18', pull: 'up', activeLow: true, note: 'S2 on pin 3 (see board notes)' },
  },
  defaultResetButton: 'S1',
  pll: { kind: 'gowin-rpll', defaultMHz: 81 }, // 27 x 3 / 1, ODIV 8: an exact rPLL point
  flow: 'gowin-open',
  programmer: {
    sram: ['-b', 'tangnano9k'],
    flash: ['-b', 'tangnano9k', '-f'],
  },
  notes: [
    'Buttons: the buttons are on pins 3 and 4 in every source; none of Sipeed\'s own documents found names them S1/S2 in ' +
      'text (the wiki pinout is an image). Sipeed\'s LED and picotiny examples use pin 4 as the reset input, its UART ' +
      'example uses pin 3. Sources that name them say S1 = pin 4, S2 = pin 3 (LinuxCNC-RIO TangNano9K pin table, ' +
      'and the ATOMiK pinout document), so S1 (pin 4) is the default reset. ATOMiK\'s constraint file used pin 3 (S2).',
    'Multipliers: the GW1NR-9 has 20 18x18 multipliers (Sipeed spec table); whether the open flow maps to them depends ' +
      'on the Yosys/nextpnr version.',
  ],
};
