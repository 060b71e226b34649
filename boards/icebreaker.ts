// 1BitSquared iCEBreaker (Lattice iCE40UP5K, SG48 package).
// Sources:
// - Pins: YosysHQ/icestorm examples/icebreaker/icebreaker.pcf (CLK 35, RX 6, TX 9, BTN_N 10, LEDR_N 11, LEDG_N 37),
//   amaranth-boards amaranth_boards/icebreaker.py (clk12 pin 35 at 12 MHz; LEDs 11 and 37 inverted, led_r = 11,
//   led_g = 37; button 10 inverted; UART rx 6, tx 9 with PULLUP; device iCE40UP5K, package SG48), litex-boards
//   litex_boards/platforms/1bitsquared_icebreaker.py (clk12 35; user_led_n 11 and 37; user_btn_n 10; serial rx 6,
//   tx 9; "ice40-up5k-sg48"; every IO LVCMOS33).
// - PLL: the litex-boards target (targets/1bitsquared_icebreaker.py) uses SB_PLL40_PAD on clk12; nextpnr-ice40 0.11
//   refuses an SB_PLL40_CORE fed from pin 35 ("conflicts with input ... on pin 35: did you mean to use a PAD PLL?"),
//   so the top uses the PAD variant.
// - Capacity: nextpnr-ice40's chip database for --up5k, as its --report gives it (ICESTORM_LC 5280, ICESTORM_RAM 30,
//   ICESTORM_DSP 8, ICESTORM_SPRAM 4); Lattice's iCE40 UltraPlus Family Data Sheet (FPGA-DS-02008) gives the same
//   5280 LUT4s, 120 Kbit of EBR (30 blocks of 4 Kbit), 8 DSP blocks and 1 Mbit of SPRAM for the UP5K.
// - Programmer: openFPGALoader's board list (doc/boards.yml: the iCEBreaker is `ice40_generic`, "Memory: NA, Flash:
//   AS") and its Lattice notes (iCE40: "a direct access to the flash (SPI)", `-b ice40_generic`); the Debian
//   openFPGALoader 0.10 installed here lists ice40_generic and icebreaker-bitsy, no `icebreaker`.
import type { Board, Pin } from './types.js';

// Every iCEBreaker IO bank used here is at 3.3 V (litex-boards: IOStandard LVCMOS33 throughout). A PCF has no IO
// standard of its own: this is the bank voltage, for the reader and the pin checks, not something the PCF prints.
const led = (pin: string, note: string): Pin => ({ pin, io: 'LVCMOS33', pull: 'none', activeLow: true, note });

export const icebreaker: Board<'icebreaker'> = {
  id: 'icebreaker',
  title: '1BitSquared iCEBreaker',
  vendor: '1BitSquared',
  family: 'ice40',
  part: 'iCE40UP5K-SG48',
  device: 'iCE40UP5K',
  // nextpnr-ice40 --up5k; the package is nextpnr's --package
  packFamily: 'up5k',
  package: 'sg48',
  lutInputs: 4,
  // luts and flipFlops: 5280 logic cells, each one LUT4 and one flip-flop; bram counts 4 Kbit EBR blocks (SB_RAM40_4K);
  // dsp counts the SB_MAC16 blocks. The 4 SPRAM blocks (256 Kbit each) are not counted here.
  capacity: { luts: 5280, flipFlops: 5280, bram: 30, dsp: 8 },
  clock: {
    port: 'clk_12m',
    pin: { pin: '35', io: 'LVCMOS33', pull: 'none', note: '12 MHz oscillator; the pin is the PLL\'s input pad' },
    mhz: 12,
  },
  uart: {
    // RX idles high; the pull-up keeps it there while the FT2232H is not driving (amaranth-boards pulls both UART pins up).
    rx: { pin: '6', io: 'LVCMOS33', pull: 'up', note: 'FPGA RX, from the FT2232H UART TX' },
    tx: { pin: '9', io: 'LVCMOS33', pull: 'none', note: 'FPGA TX, to the FT2232H UART RX' },
    note: 'On-board FTDI FT2232H: one channel programs the SPI flash, the other is the host UART.',
    // A conservative ceiling: 3 Mbaud, the usual FTDI UART maximum (the FT232R data sheet's). The FT2232H is a Hi-Speed
    // part rated higher, but its data-sheet figure was not re-read here. 3 Mbaud is 10 core clocks a bit at the default 30 MHz.
    maxBaud: 3_000_000,
  },
  leds: [led('11', 'LEDR_N, red'), led('37', 'LEDG_N, green')],
  buttons: {
    // The user button; an internal pull-up is enabled too (harmless beside a board pull-up, needed without one).
    BTN_N: { pin: '10', io: 'LVCMOS33', pull: 'up', activeLow: true, note: 'user button, active low' },
  },
  defaultResetButton: 'BTN_N',
  // 12 MHz, DIVR 0, DIVF 79, DIVQ 5: VCO 960 MHz / 32, an exact point. nextpnr-ice40 0.11 routes the default design
  // (16 x 64 bits) and 4 x 32 bits at 45-47 MHz (the 48-bit counters' carry chains limit it), so 30 MHz leaves room.
  pll: { kind: 'ice40-sb-pll40-pad', defaultMHz: 30 },
  flow: 'ice40-open',
  programmer: {
    sram: ['-b', 'ice40_generic'],
    flash: ['-b', 'ice40_generic', '-f'],
    note:
      'openFPGALoader programs the iCEBreaker through the FT2232H\'s SPI pins as the board "ice40_generic" (it has no ' +
      '"icebreaker" name) and always writes the SPI flash the iCE40 boots from (its board list: Memory NA, Flash AS): ' +
      'without --flash too, and the design stays after a power cycle.',
  },
  notes: [
    'LEDs: led[0] is the red LED (pin 11), led[1] the green one (pin 37), both active low, in amaranth-boards\' order.',
    'The break-off section (5 LEDs, 3 buttons on PMOD2) is not used: once snapped off, those pins are a plain PMOD.',
    'UART pulls: amaranth-boards pulls up both UART pins, litex-boards only TX (pin 9); the FPGA RX (pin 6) is pulled up ' +
      'here, since it is the input that must idle high.',
  ],
};
