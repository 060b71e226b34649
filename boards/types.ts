// The shape every board file fills in. A board is data: adding one touches its file, its index entry and its
// constraint and top templates.

export type IoStandard = 'LVCMOS33' | 'LVCMOS18' | 'LVCMOS25' | 'LVCMOS15' | 'SSTL135_I';

export interface Pin {
  /** Package pin, e.g. "52" on the Tang Nano 9K or "H16" on a Zynq package. */
  readonly pin: string;
  readonly io: IoStandard;
  /** Pull resistor where the board needs one (inputs without an external pull). */
  readonly pull?: 'up' | 'down' | 'none';
  readonly activeLow?: boolean;
  readonly note?: string;
}

export type PllKind = 'gowin-rpll' | 'gowin-rpll-gw2a' | 'gowin-pllvr' | 'gowin-plla' | 'xilinx-mmcme2' | 'ice40-sb-pll40-pad' | 'ecp5-ehxplll';
export type ToolFlow = 'gowin-open' | 'xilinx-yosys-vivado' | 'ice40-open' | 'ecp5-open';
export type Family = 'gowin' | 'xilinx' | 'ice40' | 'ecp5';

export interface Capacity {
  /** Look-up tables (LUT4 on Gowin, LUT6 on 7-series). */
  readonly luts: number;
  readonly flipFlops: number;
  readonly bram: number;
  readonly dsp: number;
}

/** A board; `Id` is its id as a literal type (`Board<'tang9k'>`), from which boards/index.ts derives `BoardId`. */
export interface Board<Id extends string = string> {
  /** Short id used on the command line (`--board`). */
  readonly id: Id;
  readonly title: string;
  readonly vendor: string;
  readonly family: Family;
  /** Full part number as the vendor writes it. */
  readonly part: string;
  /** Device string the vendor IDE uses. */
  readonly device: string;
  /** Family string of the chip database / packer (nextpnr --vopt family=, gowin_pack -d; ECP5: nextpnr-ecp5's size flag without the dashes, '85k' for --85k). */
  readonly packFamily: string;
  /** The package as the place-and-route tool names it (nextpnr-ice40 / nextpnr-ecp5 --package). */
  readonly package?: string;
  readonly lutInputs: 4 | 6;
  readonly capacity: Capacity;
  readonly clock: { readonly port: string; readonly pin: Pin; readonly mhz: number };
  readonly uart: {
    readonly rx: Pin;
    readonly tx: Pin;
    readonly note: string;
    /** The fastest line rate the board's host link (its USB-UART bridge, or the adapter it expects) carries. */
    readonly maxBaud: number;
  };
  /** LEDs in order, led[0] first. */
  readonly leds: readonly Pin[];
  /** Buttons by name. */
  readonly buttons: Readonly<Record<string, Pin>>;
  /** The button used as reset unless the design says otherwise. */
  readonly defaultResetButton: string;
  readonly pll: {
    readonly kind: PllKind;
    /** Core clock used when the design names none, in MHz. */
    readonly defaultMHz: number;
  };
  readonly flow: ToolFlow;
  /** Programmer command arguments (openFPGALoader), bitstream appended. */
  readonly programmer: {
    readonly sram: readonly string[];
    readonly flash: readonly string[];
    /** What the programmer can and cannot do on this board (e.g. no flash writes), for the user. */
    readonly note?: string;
  };
  /** Board facts worth showing a user: where a pin fact came from, where sources disagree. */
  readonly notes?: readonly string[];
}
