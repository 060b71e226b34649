// Sipeed Tang Primer 20K on its Dock board (Gowin GW2A-18, PG256 package; 128 MB DDR3 on the core board).
// Sources:
// - Sipeed wiki hardware/en/tang/tang-primer-20k/primer-20k.md: core board spec table (20736 LUT4, 15552 FF,
//   46 B-SRAM, 48 18x18 multipliers), the Dock's BL702 "USB-JTAG&UART ... provide serial communication", five user
//   keys and six LEDs on the Dock, "LED2 and LED3 is N16 and N14", banks 0, 1 and 7 of the core board at 3.3 V.
// - Sipeed TangPrimer-20K-example: Litex/sipeed_tang_primer_20k/src/sipeed_tang_primer_20k.cst (clk27 H11, serial_rx T13,
//   serial_tx M11, led0-led5 L16 L14 N14 N16 A13 C13 at LVCMOS33, btn_n0 T10 at LVCMOS33, btn_n1-4 T3 T2 D7 C7 at
//   LVCMOS15); UART/src/top.cst (uart_rx T13, uart_tx M11); UART_HELLO (IDE header: GW2A-LV18PG256C8/I7, device
//   GW2A-18, version C).
// - amaranth-boards tang_primer_20k.py (TangPrimer20kDockPlatform): UART rx T13 / tx M11 with PULL_MODE=UP, LEDs
//   C13 A13 N16 N14 L14 L16 inverted (active low), LVCMOS33; buttons T10 (LVCMOS33) and T3 T2 D7 C7 (LVCMOS15),
//   inverted (active low); openFPGALoader -b tangprimer20k.
// - litex-boards platforms/sipeed_tang_primer_20k.py: the same pins through the Dock's SODIMM connector.
// - Apicula examples/himbaechel/Makefile.himbaechel (primer20k: nextpnr --device GW2A-LV18PG256C8/I7 --vopt
//   family=GW2A-18, gowin_pack -d GW2A-18). Apicula's chip database: A13 is READY, C13 DONE, T10 SSPI SI (dual-purpose
//   pins the packer must release; the flow does, generator/vendors/gowin).
import type { Board, Pin } from './types.js';

const led = (pin: string, note: string): Pin => ({ pin, io: 'LVCMOS33', pull: 'none', activeLow: true, note });
const key = (pin: string, io: 'LVCMOS33' | 'LVCMOS15', note: string): Pin => ({ pin, io, pull: 'up', activeLow: true, note });

export const tangprimer20k: Board<'tangprimer20k'> = {
  id: 'tangprimer20k',
  title: 'Sipeed Tang Primer 20K (Dock)',
  vendor: 'Sipeed',
  family: 'gowin',
  part: 'GW2A-LV18PG256C8/I7',
  device: 'GW2A-18C',
  packFamily: 'GW2A-18',
  lutInputs: 4,
  // dsp counts 18x18 multipliers, bram 18 Kbit B-SRAM blocks (Sipeed spec table)
  capacity: { luts: 20736, flipFlops: 15552, bram: 46, dsp: 48 },
  clock: { port: 'clk_27m', pin: { pin: 'H11', io: 'LVCMOS33', pull: 'none', note: '27 MHz oscillator on the core board' }, mhz: 27 },
  uart: {
    rx: { pin: 'T13', io: 'LVCMOS33', pull: 'up', note: 'FPGA RX, from the Dock\'s BL702 USB-UART TX' },
    tx: { pin: 'M11', io: 'LVCMOS33', pull: 'none', note: 'FPGA TX, to the Dock\'s BL702 USB-UART RX' },
    note: 'The Dock\'s BL702 USB-JTAG/UART bridge (USB-C); the UART is the second interface of the USB device.',
    // No figure for this board. The same bridge chip carries 3 Mbit/s on the Tang Nano 9K
    // (sipeed/TangNano-9K-example issue 7); taken as the ceiling, not measured on the Dock.
    maxBaud: 3_000_000,
  },
  // led[2] / led[3]: the Sipeed wiki's reading of the Dock's LED2 / LED3 (N16 / N14); the LiteX constraint file has
  // them the other way round (see notes)
  leds: [
    led('L16', 'LED0'),
    led('L14', 'LED1'),
    led('N16', 'LED2'),
    led('N14', 'LED3'),
    led('A13', 'LED4 (READY pin)'),
    led('C13', 'LED5 (DONE pin)'),
  ],
  buttons: {
    BTN0: key('T10', 'LVCMOS33', 'btn_n0 on T10 (3.3 V bank 3; also SSPI SI)'),
    BTN1: key('T3', 'LVCMOS15', 'btn_n1 on T3 (1.5 V bank 4)'),
    BTN2: key('T2', 'LVCMOS15', 'btn_n2 on T2 (1.5 V bank 4)'),
    BTN3: key('D7', 'LVCMOS15', 'btn_n3 on D7 (1.5 V bank 6)'),
    BTN4: key('C7', 'LVCMOS15', 'btn_n4 on C7 (1.5 V bank 6)'),
  },
  defaultResetButton: 'BTN0',
  // 27 x 3 / 1 = 81 MHz, ODIV 8: VCO 648 MHz, inside the GW2A's 500-1250 (the same core clock as the Tang Nano 9K's)
  pll: { kind: 'gowin-rpll-gw2a', defaultMHz: 81 },
  flow: 'gowin-open',
  programmer: {
    sram: ['-b', 'tangprimer20k'],
    flash: ['-b', 'tangprimer20k', '-f'],
    note: 'Flash writes go to the core board\'s 32 Mbit SPI NOR flash (W25Q32JVS); openFPGALoader\'s board list gives tangprimer20k "Flash: IF". The Dock\'s DIP switch 1 must enable the core board (Sipeed wiki).',
  },
  notes: [
    'Button names BTN0-BTN4 follow the btn_n0-btn_n4 of Sipeed\'s LiteX constraint file; BTN0 (T10) is the only key on ' +
      'a 3.3 V bank and the default reset. All five are active low with pull-ups (amaranth-boards, Sipeed\'s UART example).',
    'LED order: litex-boards and Sipeed\'s LiteX constraint file give LED2 = N14 and LED3 = N16; the Sipeed wiki says ' +
      'the Dock\'s LED2 and LED3 are N16 and N14, which is used here. LED bank voltage: litex-boards writes LVCMOS18 for ' +
      'the LEDs; Sipeed (banks 0, 1, 7 at 3.3 V), its constraint files and amaranth-boards use LVCMOS33, as here.',
    'Chip database: Apicula builds this board with family GW2A-18 (used here); amaranth-boards names the family ' +
      'GW2A-18C, the Gowin IDE device string (device GW2A-18, version C).',
    'The LEDs on A13 and C13 share the READY and DONE configuration pins, and BTN0 the SSPI SI pin: gowin_pack is ' +
      'told to release them as user IO (--ready_as_gpio --done_as_gpio --sspi_as_gpio, with nextpnr\'s sspi_as_gpio).',
    'PLL: the GW2A has the rPLL of the GW1N with wider limits (PFD 3-500, VCO 500-1250, CLKOUT 3.90625-625 MHz); ' +
      'nextpnr-himbaechel places it and gowin_pack sets it (clocking kind gowin-rpll-gw2a).',
  ],
};
