// Radiona ULX3S with the Lattice ECP5 LFE5U-85F (CABGA381 package, speed grade 6).
// Sources:
// - emard/ulx3s doc/constraints/ulx3s_v20.lpf (boards v2.x and v3.0.x): clk_25mhz G2; FT231X serial ftdi_txd M1 ("FPGA
//   receives from ftdi"), ftdi_rxd L4 ("FPGA transmits to ftdi"), both PULLMODE=UP; led[0..7] B2 C2 C1 D2 D1 E2 E1 H3,
//   DRIVE=4; btn[0] D6 BTN_PWRn (inverted logic, PULLMODE=UP), btn[1..6] R1 FIRE1, T1 FIRE2, R18 UP, V1 DOWN, U1 LEFT,
//   H16 RIGHT, PULLMODE=DOWN; all LVCMOS33.
// - amaranth-boards ulx3s.py: package BG381, speed 6, LFE5U-12F/25F/45F/85F platforms; clk25 G2 25 MHz; LEDs active
//   high; buttons R1 T1 R18 V1 U1 H16 active high with PULLMODE=DOWN, button_pwr D6 active low; UART rx M1, tx L4;
//   programs with `openFPGALoader -b ulx3s`.
// - litex-boards radiona_ulx3s.py: part <device>-6BG381C; rst R1 (FIRE1); serial tx L4, rx M1; user_led B2 ... H3.
// - openFPGALoader src/board.hpp and doc/boards.yml: board "ulx3s", JTAG bit-banged through the FT231X (Memory OK,
//   Flash OK); "ulx3s_dfu" for boards with the DFU bootloader.
// - Lattice ECP5 and ECP5-5G Family Data Sheet (FPGA-DS-02012), table 1.1: LFE5U-85 has 84K LUTs (41 820 slices of
//   two LUT4s and two flip-flops), 208 sysMEM blocks of 18 Kbit, 156 18x18 multipliers; nextpnr-ecp5 reports 83 640
//   TRELLIS_COMB and 83 640 TRELLIS_FF bels for the 85k device.
// - FTDI FT231X data sheet: "data transfer rates from 300 baud to 3 Mbaud".
import type { Board, Pin } from './types.js';

const led = (pin: string): Pin => ({ pin, io: 'LVCMOS33', pull: 'none', activeLow: false });
// The buttons pull their pin high when pressed; every source asks for the internal pull-down (PULLMODE=DOWN).
const button = (pin: string, note: string): Pin => ({ pin, io: 'LVCMOS33', pull: 'down', activeLow: false, note });

export const ulx3s: Board<'ulx3s'> = {
  id: 'ulx3s',
  title: 'Radiona ULX3S',
  vendor: 'Radiona',
  family: 'ecp5',
  part: 'LFE5U-85F-6BG381C',
  device: 'LFE5U-85F',
  packFamily: '85k',
  package: 'CABGA381',
  lutInputs: 4,
  // luts and flipFlops: two per slice, 41 820 slices; bram counts 18 Kbit EBR blocks (DP16KD); dsp counts 18x18 multipliers.
  capacity: { luts: 83640, flipFlops: 83640, bram: 208, dsp: 156 },
  clock: { port: 'clk_25m', pin: { pin: 'G2', io: 'LVCMOS33', pull: 'none', note: '25 MHz oscillator' }, mhz: 25 },
  uart: {
    rx: { pin: 'M1', io: 'LVCMOS33', pull: 'up', note: 'FPGA RX, from the FT231X TXD (ftdi_txd in the board lpf)' },
    tx: { pin: 'L4', io: 'LVCMOS33', pull: 'none', note: 'FPGA TX, to the FT231X RXD (ftdi_rxd in the board lpf)' },
    note: 'On-board FT231X USB-UART (the US1 connector); the same chip is the JTAG programmer, so close the serial port while programming.',
    // FTDI FT231X data sheet: 300 baud to 3 Mbaud.
    maxBaud: 3_000_000,
  },
  leds: [led('B2'), led('C2'), led('C1'), led('D2'), led('D1'), led('E2'), led('E1'), led('H3')],
  buttons: {
    FIRE1: button('R1', 'FIRE1 (btn[1] in the board lpf)'),
    FIRE2: button('T1', 'FIRE2 (btn[2])'),
    UP: button('R18', 'UP (btn[3])'),
    DOWN: button('V1', 'DOWN (btn[4])'),
    LEFT: button('U1', 'LEFT (btn[5])'),
    RIGHT: button('H16', 'RIGHT (btn[6])'),
  },
  defaultResetButton: 'FIRE1',
  pll: { kind: 'ecp5-ehxplll', defaultMHz: 100 }, // 25 / 1 x 4 = 100 MHz, CLKOP_DIV 6, VCO 600 MHz: an exact EHXPLLL point
  flow: 'ecp5-open',
  programmer: {
    sram: ['-b', 'ulx3s'],
    flash: ['-b', 'ulx3s', '-f'],
    note:
      'openFPGALoader drives JTAG through the FT231X (bit-bang mode), the chip that also carries the host UART: close ' +
      'the serial port while programming. A board with the DFU bootloader in its flash is "-b ulx3s_dfu" instead.',
  },
  notes: [
    'Reset: FIRE1 (R1) is the default, as litex-boards uses it. PWR (D6, BTN_PWRn, active low) is left out: it is ' +
      'part of the board\'s power control, and no source uses it as a user button.',
    'The 12F, 25F and 45F variants have the same pins and package (parts LFE5U-12F/25F/45F-6BG381C, nextpnr-ecp5 ' +
      '--12k/--25k/--45k, smaller capacity per the family data sheet); only the 85F is a board id here, since every ' +
      'board id must pass a bitstream run.',
    'Pins checked against ulx3s_v20.lpf (boards v2.x and v3.0.x); amaranth-boards and litex-boards agree on every pin used here.',
  ],
};
