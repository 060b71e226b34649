// Sipeed Tang Nano 4K (Gowin GW1NSR-4C, QN48P package: a Cortex-M3 and HyperRAM in the package).
// Sources:
// - Sipeed wiki hardware/en/tang/Tang-Nano-4K/Nano-4K.md: spec table (4608 logic units, 3456 registers, 180 Kbit
//   B-SRAM, 2 PLLs), "Tang Nano 4K uses the onboard BL702 for jtag"; no USB-UART to the FPGA is documented (Sipeed
//   suggests a serial port for the Cortex-M3).
// - litex-boards platforms/sipeed_tang_nano_4k.py: GW1NSR-LV4CQN48PC7/I6, device name GW1NSR-4C; clk27 on 45
//   (LVCMOS33), user_led on 10 (LVCMOS33), user_btn 14 and 15 (LVCMOS18), SPI flash on 1 2 47 48 8 9 (LVCMOS33);
//   header connectors P6 / P7 (P7 holds 39 and 40); openFPGALoader -b tangnano4k; no serial port.
// - Sipeed TangNano-4K-example: key_blink (led_o on 10 LVCMOS33 BANK_VCCIO=3.3, keys 14 and 15 with PULL_MODE=UP,
//   BANK_VCCIO=1.8, read inverted: active low); cm3_led (reset_n_i on 15, PULL_MODE=UP).
// - Apicula examples/himbaechel (tangnano4k: nextpnr --device GW1NSR-LV4CQN48PC7/I6, gowin_pack -d GW1NS-4; a PLLVR
//   example) and its chip database: banks 0 (pins 1-10), 1 (39-48), 2 (27-35) and 3 (13-23); 45 is LPLL_T_IN, 10 is
//   MODE1.
import type { Board, Pin } from './types.js';

const key = (pin: string, note: string): Pin => ({ pin, io: 'LVCMOS18', pull: 'up', activeLow: true, note });

export const tangnano4k: Board<'tangnano4k'> = {
  id: 'tangnano4k',
  title: 'Sipeed Tang Nano 4K',
  vendor: 'Sipeed',
  family: 'gowin',
  part: 'GW1NSR-LV4CQN48PC7/I6',
  device: 'GW1NSR-4C',
  packFamily: 'GW1NS-4',
  lutInputs: 4,
  // bram: 180 Kbit of B-SRAM = 10 blocks of 18 Kbit (Sipeed spec table); dsp: Sipeed's table lists no multipliers,
  // the count is nextpnr-himbaechel's GW1NS-4 database (16 MULT18X18 bels). No distributed RAM (see notes).
  capacity: { luts: 4608, flipFlops: 3456, bram: 10, dsp: 16 },
  clock: { port: 'clk_27m', pin: { pin: '45', io: 'LVCMOS33', pull: 'none', note: '27 MHz oscillator (the left PLL\'s input pin)' }, mhz: 27 },
  uart: {
    // bank 1 holds the oscillator (45) and the flash pins 47 / 48, which litex-boards drives at LVCMOS33
    rx: { pin: '39', io: 'LVCMOS33', pull: 'up', note: 'FPGA RX on header P7: connect the adapter\'s TX' },
    tx: { pin: '40', io: 'LVCMOS33', pull: 'none', note: 'FPGA TX on header P7: connect the adapter\'s RX' },
    note: 'No USB-UART reaches the FPGA (the on-board BL702 is the JTAG programmer only): connect an external 3.3 V USB-UART adapter to header pins 39 (FPGA RX) and 40 (FPGA TX) and GND.',
    // the adapter sets the limit; 115200 is the conservative rate every adapter carries
    maxBaud: 115_200,
  },
  leds: [{ pin: '10', io: 'LVCMOS33', pull: 'none', activeLow: false, note: 'the one user LED (pin 10, also MODE1)' }],
  buttons: {
    KEY0: key('14', 'key on pin 14 (1.8 V bank 3)'),
    KEY1: key('15', 'key on pin 15 (1.8 V bank 3); Sipeed\'s Cortex-M3 example uses it as reset'),
  },
  defaultResetButton: 'KEY1',
  // 27 x 3 / 1 = 81 MHz, ODIV 8: VCO 648 MHz, inside the 600-1200 the vendor tools enforce (the Tang Nano 9K's clock)
  pll: { kind: 'gowin-pllvr', defaultMHz: 81 },
  flow: 'gowin-open',
  programmer: {
    sram: ['-b', 'tangnano4k'],
    flash: ['-b', 'tangnano4k', '-f'],
    note: 'openFPGALoader\'s board list gives tangnano4k flash as IF/EF: the GW1NSR-4C\'s internal flash (-f) and the external SPI flash.',
  },
  notes: [
    'Host UART: no source found documents a UART between the BL702 and the FPGA, so the host link is an external ' +
      'USB-UART adapter on header pins 39 / 40 (bank 1, 3.3 V); the pins are this board file\'s choice, not Sipeed\'s.',
    'LED polarity: litex-boards drives user_led active high (used here); Sipeed\'s examples only blink it. With one LED ' +
      'the top shows the heartbeat.',
    'Key names KEY0 / KEY1 follow key[0] / key[1] of Sipeed\'s key_blink example; both active low with pull-ups.',
    'PLL: the GW1NS has the PLLVR, the rPLL with a regulator enable; nextpnr-himbaechel places it and gowin_pack sets ' +
      'it (clocking kind gowin-pllvr). VCO kept to 600-1200 MHz: LiteX notes the vendor compiler enforces 600 although ' +
      'the data sheet says 400.',
  ],
};
