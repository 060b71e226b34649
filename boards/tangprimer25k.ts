// Sipeed Tang Primer 25K on its Dock board (Gowin GW5A-25, MBGA121N package).
// Sources:
// - Sipeed wiki hardware/en/tang/tang-primer-25k/primer-25k.md: core board spec table (GW5A-LV25MG121, 23040 LUT4,
//   23040 FF, 56 B-SRAM, 28 18x18 multipliers, 6 PLLs, device version A), the Dock's "onboard high-speed debugger,
//   supports JTAG+UART" (FTDI drivers), two buttons on the Dock.
// - litex-boards platforms/sipeed_tang_primer_25k.py: GW5A-LV25MG121NC1/I0, device name GW5A-25A; clk50 on E2;
//   Dock serial rx J1:19 = B3, tx J1:21 = C3; leds J1:17 = E8 ("Pin READY") and J1:25 = D7 ("Pin DONE"); buttons
//   J1:37 = H11 and J1:39 = H10; all LVCMOS33; use_cpu_as_gpio for the clock pin, use_ready/done_as_gpio for the LEDs;
//   openFPGALoader -b tangprimer25k.
// - Sipeed TangPrimer-25K-example litex/src/sipeed_tang_primer_25k.cst: clk50 E2, serial_rx B3, serial_tx C3, rst H11
//   with PULL_MODE=DOWN, LVCMOS33.
// - Apicula examples/gw5a: Makefile (gowin_pack -d GW5A-25A --sspi_as_gpio --cpu_as_gpio; nextpnr --vopt
//   sspi_as_gpio), big-shift-primer25k.cst and big-shift.v (reset H11, PULL_MODE=DOWN, active high), primer25k.cst
//   (H10 and H11 with PULL_MODE=DOWN), clock-PLLA.v (the PLLA this board's top uses). Apicula's chip database: E2 is
//   also SSPI_WPN and CPU data D07, E8 is READY, D7 is DONE.
import type { Board, Pin } from './types.js';

const led = (pin: string, note: string): Pin => ({ pin, io: 'LVCMOS33', pull: 'none', activeLow: false, note });
const button = (pin: string, note: string): Pin => ({ pin, io: 'LVCMOS33', pull: 'down', activeLow: false, note });

export const tangprimer25k: Board<'tangprimer25k'> = {
  id: 'tangprimer25k',
  title: 'Sipeed Tang Primer 25K (Dock)',
  vendor: 'Sipeed',
  family: 'gowin',
  part: 'GW5A-LV25MG121NC1/I0',
  device: 'GW5A-25A',
  packFamily: 'GW5A-25A',
  lutInputs: 4,
  // dsp counts 18x18 multipliers, bram B-SRAM blocks (Sipeed spec table)
  capacity: { luts: 23040, flipFlops: 23040, bram: 56, dsp: 28 },
  clock: { port: 'clk_50m', pin: { pin: 'E2', io: 'LVCMOS33', pull: 'none', note: '50 MHz oscillator (E2 is also a configuration pin: SSPI_WPN / D07)' }, mhz: 50 },
  uart: {
    rx: { pin: 'B3', io: 'LVCMOS33', pull: 'up', note: 'FPGA RX, from the Dock debugger\'s USB-UART TX (J1:19)' },
    tx: { pin: 'C3', io: 'LVCMOS33', pull: 'none', note: 'FPGA TX, to the Dock debugger\'s USB-UART RX (J1:21)' },
    note: 'The Dock\'s on-board debugger (USB-C): JTAG and a USB-UART, presented as an FTDI device.',
    // No figure found for this debugger; 3 Mbaud, the FT2232-class UART ceiling, is taken as a conservative bound,
    // not measured here.
    maxBaud: 3_000_000,
  },
  leds: [led('E8', 'core board LED on the READY pin'), led('D7', 'core board LED on the DONE pin')],
  buttons: {
    BTN0: button('H11', 'Dock button on J1:37, reads 1 when pressed'),
    BTN1: button('H10', 'Dock button on J1:39, reads 1 when pressed'),
  },
  defaultResetButton: 'BTN0',
  // 50 / 1 x 16 = VCO 800 MHz (the lowest in range), ODIV0 8: 100 MHz, an exact PLLA point
  pll: { kind: 'gowin-plla', defaultMHz: 100 },
  flow: 'gowin-open',
  programmer: {
    sram: ['-b', 'tangprimer25k'],
    flash: ['-b', 'tangprimer25k', '-f'],
    note: 'Flash writes go to the core board\'s 64 Mbit NOR flash (Sipeed); the openFPGALoader board list read here has no flash entry for tangprimer25k, so they need a recent openFPGALoader (Sipeed documents flashing with its own programmer).',
  },
  notes: [
    'UART direction: litex-boards, Sipeed\'s LiteX constraint file and Apicula\'s Primer 25K guide all give FPGA RX = B3 ' +
      'and TX = C3 (used here); Sipeed\'s own UART example constraint file has them the other way round.',
    'Buttons: active high with pull-downs, as Sipeed\'s LiteX constraint file (rst on H11, PULL_MODE=DOWN) and Apicula\'s ' +
      'tested examples have them; litex-boards names them btn_n (active low). Names BTN0 / BTN1 follow litex-boards\' order.',
    'LEDs: the Dock has none; the two on the core board sit on the READY and DONE configuration pins (litex-boards). ' +
      'Active high as litex-boards drives them; not confirmed from a schematic. Sipeed\'s LiteX constraint file puts its ' +
      'led0 on L6 (J1:30) instead.',
    'IO standard: LVCMOS33 as in every Sipeed and litex-boards constraint file for this board; an Apicula guide for the ' +
      'Primer 25K claims GW5A banks run at 1.8 V, which the board files do not bear out.',
    'Dual-purpose pins: the GW5A-25 packer always releases the SSPI pins (so nextpnr is told sspi_as_gpio), the clock ' +
      'pin E2 needs --cpu_as_gpio and the LEDs --ready_as_gpio --done_as_gpio; the flow passes them (generator/vendors/gowin).',
    'PLL: the GW5A has the PLLA (CLKOUT0 = CLKIN / IDIV x FBDIV x MDIV / ODIV0), which nextpnr-himbaechel places and ' +
      'gowin_pack sets (clocking kind gowin-plla; VCO kept to 800-1600 MHz).',
  ],
};
