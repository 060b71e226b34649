// Zynq-7020 programmable logic on a PYNQ-Z2-style carrier (xc7z020clg400-1).
// Pins from the PYNQ-Z2 master constraints (pynq-z2_v1.0.xdc, as copied into public projects): sysclk H16, led[0..3]
// R14 P14 N16 M14, btn[0..3] D19 D20 L20 L19, PmodA ja[0] Y18 / ja[1] Y19, all LVCMOS33.
// Speed-grade -1 clocking limits live in generator/clocking/pll.ts. openFPGALoader: board "pynq_z2" (doc/boards.yml).
import type { Board, Pin } from './types.js';

const led = (pin: string): Pin => ({ pin, io: 'LVCMOS33', pull: 'none', activeLow: false });
// PYNQ-Z2 buttons read 1 when pressed (active high); the master XDC asks for no internal pull, nor do we.
const button = (pin: string): Pin => ({ pin, io: 'LVCMOS33', pull: 'none', activeLow: false });

export const zynq7020: Board<'zynq7020'> = {
  id: 'zynq7020',
  title: 'Zynq-7020 PL on a PYNQ-Z2-style carrier',
  vendor: 'TUL (PYNQ-Z2); also Digilent PYNQ-Z1, Zybo Z7-20, Arty Z7-20 parts',
  family: 'xilinx',
  part: 'xc7z020clg400-1',
  device: 'xc7z020clg400-1',
  packFamily: 'xc7',
  lutInputs: 6,
  // bram counts 36 Kbit blocks, dsp counts DSP48E1 slices.
  capacity: { luts: 53200, flipFlops: 106400, bram: 140, dsp: 220 },
  clock: { port: 'clk_125m', pin: { pin: 'H16', io: 'LVCMOS33', pull: 'none', note: '125 MHz PL clock' }, mhz: 125 },
  uart: {
    rx: { pin: 'Y18', io: 'LVCMOS33', pull: 'none', note: 'PMOD A pin JA1, FPGA RX (connect the adapter TX here)' },
    tx: { pin: 'Y19', io: 'LVCMOS33', pull: 'none', note: 'PMOD A pin JA2, FPGA TX (connect the adapter RX here)' },
    note:
      'The PYNQ-Z2 USB-UART is wired to the PS (MIO), not the PL, so the host UART goes on PMOD A: JA1 (Y18) is the FPGA ' +
      'RX, JA2 (Y19) the FPGA TX; use a 3.3 V USB-UART adapter. On the PYNQ-Z2 these two pins are shared with the ' +
      'Raspberry Pi header (GPIO4/GPIO5). No internal pull-up is applied: keep the adapter connected so RX idles high.',
    // The link is the user's adapter; FTDI's FT232R data sheet gives 3 Mbaud as its most, the common adapters' ceiling.
    maxBaud: 3_000_000,
  },
  leds: [led('R14'), led('P14'), led('N16'), led('M14')],
  buttons: { BTN0: button('D19'), BTN1: button('D20'), BTN2: button('L20'), BTN3: button('L19') },
  defaultResetButton: 'BTN0',
  pll: { kind: 'xilinx-mmcme2', defaultMHz: 200 },
  flow: 'xilinx-yosys-vivado',
  programmer: {
    sram: ['-b', 'pynq_z2'],
    flash: ['-b', 'pynq_z2', '-f'],
    note:
      'openFPGALoader lists pynq_z2 with Memory OK and Flash NA: only SRAM loading works. The flash arguments are kept ' +
      'for symmetry but a Zynq boots its PL from the PS boot image (FSBL), so do not offer them as a working command.',
  },
  notes: [
    'Pins checked against the PYNQ-Z2 master XDC: clock H16, LD0-LD3 R14 P14 N16 M14, BTN0-BTN3 D19 D20 L20 L19, ' +
      'PmodA JA1 Y18, JA2 Y19 (LVCMOS33).',
    'The ALINX AX7020 used by the published ATOMiK results is xc7z020clg400-2; this board is the -1 speed grade.',
  ],
};
