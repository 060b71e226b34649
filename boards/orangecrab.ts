// Good Stuff Department OrangeCrab r0.2 with the Lattice ECP5 LFE5U-25F (csfBGA285 package, speed grade 8).
// Sources:
// - amaranth-boards orangecrab_r0_2.py: package MG285, speed 8, LFE5U-25F (an 85F variant exists); clk A9 48 MHz
//   LVCMOS33; RGB LED r K4, g M3, b J3, inverted (active low), LVCMOS33; button 0 J17, inverted (active low),
//   IO_TYPE=SSTL135_I; feather header io "0" N17, "1" M18; programmed with dfu-util.
// - litex-boards gsd_orangecrab.py (r0.2): part LFE5U-25F-8MG285C; usr_btn J17 SSTL135_I; user_led K4 M3 J3; the
//   feather "serial" extension puts tx on GPIO:1 (M18) and rx on GPIO:0 (N17), LVCMOS33; programmer DFU 1209:5af0.
// - orangecrab-fpga/orangecrab-examples verilog/blink_reset/orangecrab_r0.2.pcf (an LPF): CLK A9, LED1-3 K4 M3 J3,
//   RST_N V17, BTN_N J17 SSTL135_I; its Makefile runs nextpnr-ecp5 --25k --package CSFBGA285.
// - openFPGALoader src/board.hpp and doc/boards.yml: board "orangeCrab" (that spelling: the name is case-sensitive,
//   `-b orangecrab` is refused with "cannot find board"), cable "dfu", USB 1209:5af0; "Memory: OK (JTAG), Flash: OK (DFU)".
// - gregdavill/foboot v3.0 release notes: hold the button while powering up to start the bootloader; it shows up as a
//   DFU device and writes the bitstream to flash at 0x80000.
// - Lattice ECP5 and ECP5-5G Family Data Sheet (FPGA-DS-02012), table 1.1: LFE5U-25 has 24K LUTs (12 144 slices of two
//   LUT4s and two flip-flops), 56 sysMEM blocks of 18 Kbit, 28 18x18 multipliers.
import type { Board, Pin } from './types.js';

const led = (pin: string, note: string): Pin => ({ pin, io: 'LVCMOS33', pull: 'none', activeLow: true, note });

export const orangecrab: Board<'orangecrab'> = {
  id: 'orangecrab',
  title: 'OrangeCrab r0.2',
  vendor: 'Good Stuff Department (Greg Davill)',
  family: 'ecp5',
  part: 'LFE5U-25F-8MG285C',
  device: 'LFE5U-25F',
  packFamily: '25k',
  package: 'CSFBGA285',
  lutInputs: 4,
  // luts and flipFlops: two per slice, 12 144 slices; bram counts 18 Kbit EBR blocks (DP16KD); dsp counts 18x18 multipliers.
  capacity: { luts: 24288, flipFlops: 24288, bram: 56, dsp: 28 },
  clock: { port: 'clk_48m', pin: { pin: 'A9', io: 'LVCMOS33', pull: 'none', note: '48 MHz oscillator' }, mhz: 48 },
  uart: {
    rx: { pin: 'N17', io: 'LVCMOS33', pull: 'up', note: 'feather header pin 0 (RX), FPGA RX: connect the adapter TX here' },
    tx: { pin: 'M18', io: 'LVCMOS33', pull: 'none', note: 'feather header pin 1 (TX), FPGA TX: connect the adapter RX here' },
    note:
      'The OrangeCrab has no USB-UART: its USB port goes to the FPGA (and to the DFU bootloader). The host UART goes on ' +
      'two feather header pins for an external 3.3 V USB-UART adapter: pin 0 (N17) is the FPGA RX, pin 1 (M18) the FPGA ' +
      'TX, as litex-boards places its feather serial port. The internal pull-up keeps RX idle while no adapter drives it.',
    // The link is the user's adapter; FTDI's FT232R data sheet gives 3 Mbaud as its most, the common adapters' ceiling.
    maxBaud: 3_000_000,
  },
  leds: [led('K4', 'RGB LED, red'), led('M3', 'RGB LED, green'), led('J3', 'RGB LED, blue')],
  buttons: {
    // J17 sits in the 1.35 V DDR3 bank, hence SSTL135_I as in every source. No source sets a pull, and nextpnr-ecp5
    // gives an SSTL input none by default (PULLMODE NONE in its --textcfg): the examples' button works through the
    // board's own pull-up, so none is asked here either.
    BTN0: { pin: 'J17', io: 'SSTL135_I', pull: 'none', activeLow: true, note: 'the user button (btn0), active low' },
  },
  defaultResetButton: 'BTN0',
  pll: { kind: 'ecp5-ehxplll', defaultMHz: 120 }, // 48 / 2 x 5 = 120 MHz, CLKOP_DIV 5, VCO 600 MHz: an exact EHXPLLL point
  flow: 'ecp5-open',
  programmer: {
    sram: ['-b', 'orangeCrab'],
    flash: ['-b', 'orangeCrab'],
    note:
      'openFPGALoader reaches the OrangeCrab through its DFU bootloader (board "orangeCrab", case-sensitive): start the ' +
      'bootloader by holding the button while plugging the board in; the bitstream is written to flash (at 0x80000), ' +
      'from where the bootloader starts it, so the SRAM and flash commands do the same. Loading SRAM directly needs an ' +
      'external JTAG cable on the board\'s JTAG pads.',
  },
  notes: [
    'UART: sources disagree on the feather pins\' direction. litex-boards (feather "serial") and the Adafruit feather ' +
      'convention make pin 0 (N17) the FPGA RX and pin 1 (M18) the FPGA TX, which is used here; an OrangeCrab example ' +
      'LPF found in a public project does the opposite.',
    'Reset button: BTN0 resets the design. The generated top does not drive the PROGRAMN pin (V17), so the button does ' +
      'not return to the bootloader: power-cycle with the button held for that. On r0.2 boards without the external ' +
      'PROGRAMN pull-up (added in r0.2.1, orangecrab-hardware issue 32) a design that leaves V17 undriven can drop back ' +
      'into the bootloader.',
    'The 85F variant (LFE5U-85F-8MG285C) has the same pins; it is not a board id here, since every board id must pass a bitstream run.',
  ],
};
