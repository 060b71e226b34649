// Sipeed Tang Nano 20K (Gowin GW2AR-18, QN88 package, 64 Mbit SDRAM in the package).
// Sources:
// - Sipeed wiki hardware/en/tang/tang-nano-20k/nano-20k.md: spec table (20736 LUT4, 15552 FF, 46 B-SRAM, 48 18x18
//   multipliers), "BL616 ... USB to UART for FPGA", 6 LEDs "Low voltage level enable".
// - Sipeed TangNano-20K-example: uart/src/top.cst (clk 4, rst 88, uart_rx 70, uart_tx 69, all LVCMOS33) with
//   uart/src/uart_top.v (`rst_n = !rst`: the button reads 1 when pressed); picorv32/src/top.v (`.resetn(!resetn)` on
//   pin 88, the same polarity); led/flow_led (LEDs 15-20, driven inverted).
// - litex-boards platforms/sipeed_tang_nano_20k.py: clk27 on 4, serial rx 70 / tx 69, led_n 15-20, btn 88 and 87, all
//   LVCMOS33; part GW2AR-LV18QN88C8/I7, device name GW2AR-18C.
// - Apicula examples/himbaechel/Makefile.himbaechel (tangnano20k: nextpnr --device GW2AR-LV18QN88C8/I7 --vopt
//   family=GW2A-18C, gowin_pack -d GW2A-18C; INV_BTN=1, buttons active high) and tangnano20k.cst (clk 4, LEDs 15-20,
//   buttons 87 and 88).
// - Button names: S1 = pin 88, S2 = pin 87 (pin tables of projects for this board; a constraint comment names pin 87
//   "MODE1_KEY2"). Pins 87 and 88 are also the MODE1 / MODE0 configuration inputs (Apicula's chip database).
// - openFPGALoader doc/boards.yml and litex-boards: `-b tangnano20k`.
import type { Board, Pin } from './types.js';

// LEDs on bank 6, buttons on bank 3, UART on bank 1, the oscillator on bank 7: 3.3 V in litex-boards and Sipeed's
// IDE-generated constraint file (picorv32: BANK_VCCIO=3.3 on pins 4, 15, 69 and 88).
const led = (pin: string): Pin => ({ pin, io: 'LVCMOS33', pull: 'none', activeLow: true });
const button = (pin: string, note: string): Pin => ({ pin, io: 'LVCMOS33', pull: 'down', activeLow: false, note });

export const tangnano20k: Board<'tangnano20k'> = {
  id: 'tangnano20k',
  title: 'Sipeed Tang Nano 20K',
  vendor: 'Sipeed',
  family: 'gowin',
  part: 'GW2AR-LV18QN88C8/I7',
  device: 'GW2AR-18C',
  packFamily: 'GW2A-18C',
  lutInputs: 4,
  // dsp counts 18x18 multipliers, bram 18 Kbit B-SRAM blocks (Sipeed spec table)
  capacity: { luts: 20736, flipFlops: 15552, bram: 46, dsp: 48 },
  clock: { port: 'clk_27m', pin: { pin: '4', io: 'LVCMOS33', pull: 'none', note: '27 MHz crystal oscillator' }, mhz: 27 },
  uart: {
    rx: { pin: '70', io: 'LVCMOS33', pull: 'up', note: 'FPGA RX, from the BL616 USB-UART TX' },
    tx: { pin: '69', io: 'LVCMOS33', pull: 'none', note: 'FPGA TX, to the BL616 USB-UART RX' },
    note: 'On-board BL616 debugger: JTAG and a USB-UART for the FPGA on one USB-C port (its firmware presents an FT2232-style device).',
    // No measured figure found for this bridge. The BL616 firmware emulates an FTDI FT2232D (harbaum/MiSTeryNano
    // bl616/README.md), whose UART is specified up to 3 Mbaud: taken as the ceiling, not measured here.
    maxBaud: 3_000_000,
  },
  leds: [led('15'), led('16'), led('17'), led('18'), led('19'), led('20')],
  buttons: {
    S1: button('88', 'S1 on pin 88 (also MODE0), reads 1 when pressed'),
    S2: button('87', 'S2 on pin 87 (also MODE1), reads 1 when pressed'),
  },
  defaultResetButton: 'S1',
  // 27 x 3 / 1 = 81 MHz, ODIV 8: VCO 648 MHz, inside the GW2A's 500-1250 (the same core clock as the Tang Nano 9K's)
  pll: { kind: 'gowin-rpll-gw2a', defaultMHz: 81 },
  flow: 'gowin-open',
  programmer: {
    sram: ['-b', 'tangnano20k'],
    flash: ['-b', 'tangnano20k', '-f'],
    note: 'Flash writes go to the external 64 Mbit SPI flash the board boots from (Sipeed: "uses the external Flash to save the firmware"); they need an openFPGALoader recent enough to know the tangnano20k board.',
  },
  notes: [
    'Buttons: active high (Sipeed\'s UART and picorv32 examples invert the pin to get an active-low reset; Apicula\'s ' +
      'examples build the Tang Nano 20K with INV_BTN=1). Sipeed\'s picorv32 constraint file puts PULL_MODE=UP on pin 88; ' +
      'a pull-down is used here, which keeps an unpressed button low.',
    'LED bank voltage: Sipeed\'s flow_led example writes BANK_VCCIO=1.8 for pins 15-20; litex-boards and Sipeed\'s ' +
      'IDE-generated picorv32 constraints use LVCMOS33 / 3.3 V, as here.',
    'PLL: the GW2AR has the rPLL of the GW1N with wider limits (PFD 3-500, VCO 500-1250, CLKOUT 3.90625-625 MHz); ' +
      'nextpnr-himbaechel places it and gowin_pack sets it (clocking kind gowin-rpll-gw2a).',
  ],
};
