// The AXI4-Lite host's register map: one table, the single source for the slave RTL (templates/rtl/host_axil.v.hbs),
// the C header (templates/c/regs.h.hbs), the README table and the tests (verify/axil/axil-model.ts predicts from it).
//
// Bus: 32-bit data, byte addresses, one register per 32-bit word (address bits 1:0 are ignored). Every offset is the
// same for every design; only how many words of the value blocks exist depends on the width.
// Responses: OKAY, or SLVERR for an address with no register, a write to a read-only register, or an unknown command
// code (and a sticky error bit in STATUS). SLVERR, not DECERR: DECERR means "no slave here", which is the
// interconnect's answer; this slave exists and refuses the access.
import { fromBigEndianNumber, hex } from './codec.js';
import { COUNTER_BITS, INFO_FIELDS, LINE_INFO_FIELDS, OPCODES, opcodeName, type CoreAction } from './uart.js';

/** Width of the data bus, in bits. */
export const AXIL_DATA_BITS = 32;
/** Version of this register map, in the low byte of ID. */
export const AXIL_MAP_VERSION = 1;
/** ID register: "ATK" and the map version. A constant software can probe for. */
export const AXIL_ID = ((0x41 << 24) | (0x54 << 16) | (0x4b << 8) | AXIL_MAP_VERSION) >>> 0;
/** Address bits the map needs (256 bytes). A wider ADDR_WIDTH decodes the rest as holes. */
export const AXIL_MAP_BITS = 8;
/**
 * Default ADDR_WIDTH: a 4 KiB window, the smallest range Vivado's address editor gives an AXI4-Lite slave, so every
 * address of the window is decoded (no aliases of the map).
 */
export const AXIL_DEFAULT_ADDR_WIDTH = 12;
/** The AXI clock and reset ports of the top (the names Vivado IP integrator associates with the s_axi interface). */
export const AXIL_CLOCK_PORT = 's_axi_aclk';
export const AXIL_RESET_PORT = 's_axi_aresetn';

/** BRESP / RRESP codes (AXI4). */
export const AXI_RESP = { okay: 0, exokay: 1, slverr: 2, decerr: 3 } as const;

/**
 * 32-bit words each value block (DATA, RESULT, REF) has room for: 8, so values of up to 256 bits (the widest design,
 * generator/design LIMITS; axil-map.test.ts checks they agree).
 */
export const VALUE_SLOTS = 8;

export type AxilAccess = 'RO' | 'RW' | 'W1C';

export interface AxilField {
  readonly name: string;
  readonly lsb: number;
  readonly bits: number;
  readonly summary: string;
}

/** One register, or a block of value words (`block`: word k at offset + 4k, k < the design's value words). */
export interface AxilRegister {
  readonly name: string;
  readonly offset: number;
  /** RO: a write answers SLVERR. RW: read and written. W1C: read; writing 1 clears the error bits, the rest ignore writes. */
  readonly access: AxilAccess;
  readonly summary: string;
  readonly block?: true;
  readonly fields?: readonly AxilField[];
}

/** STATUS bits. READY .. CLEAN are read-only; the ERR bits are sticky until reset or a write of 1 (W1C). */
export const STATUS_FIELDS = [
  { name: 'READY', lsb: 0, bits: 1, summary: "the core's `ready`: it takes operations (low while a SWAP-KEEP drains)" },
  { name: 'BUSY', lsb: 1, bits: 1, summary: 'a command is being carried out (its write response is not out yet)' },
  { name: 'RESULT_VALID', lsb: 2, bits: 1, summary: 'RESULT holds the answer of the last READ / SWAP / SWAP-KEEP (low from the start of one until its answer)' },
  { name: 'RESULT_CLEAN', lsb: 3, bits: 1, summary: 'the accumulator was zero when that READ / SWAP was taken' },
  { name: 'CLEAN', lsb: 4, bits: 1, summary: "the core's live `clean` flag (it lags the state by the read latency)" },
  { name: 'ERR_ADDR', lsb: 8, bits: 1, summary: 'W1C: an access got SLVERR for its address (no register there, or a write to a read-only one)' },
  { name: 'ERR_CMD', lsb: 9, bits: 1, summary: 'W1C: a CMD write carried an unknown command code (answered SLVERR, nothing done)' },
] as const satisfies readonly AxilField[];

export type StatusBit = (typeof STATUS_FIELDS)[number]['name'];

export function statusBit(name: StatusBit): number {
  return STATUS_FIELDS.find((f) => f.name === name)!.lsb;
}

// ---- commands ------------------------------------------------------------------------------------------------------

export interface AxilCommand {
  /** C-friendly name: LOAD, ACCUM, READ, ROLLBACK, SWAP, SWAP_KEEP. */
  readonly name: string;
  /** The code written to CMD bits 7:0: the UART opcode byte of the same operation (generator/protocol/uart.ts). */
  readonly code: number;
  readonly action: CoreAction;
  /** The command's answer goes to RESULT (and its write response waits for it). */
  readonly result: boolean;
  readonly summary: string;
}

/** What each command does, in this interface's terms (the protocol table speaks of replies on the UART). */
const COMMAND_EFFECTS: Readonly<Record<string, string>> = {
  LOAD: 'reference = DATA, every bank = 0, bank pointer = 0',
  ACCUM: 'XOR DATA into the next bank (parallel mode: into bank LANE, then LANE steps on)',
  READ: 'RESULT = reference XOR merged accumulator; RESULT_CLEAN = the accumulator was zero',
  ROLLBACK: 'undo the delta in DATA: the same as ACCUM (XOR is its own inverse)',
  SWAP: 'RESULT = the state, then reference = DATA and accumulator = 0',
  SWAP_KEEP: 'RESULT = the state, then reference = that state and accumulator = 0',
};

/**
 * The commands: the opcodes of the host protocol that operate the core and reply nothing or the state. The others
 * (STATUS, REFERENCE, INFO, COUNTERS, SYNC) are registers here, and the write response is the fence SYNC gives. BATCH
 * is a UART framing of ACCUM: over AXI4-Lite every write is already one delta.
 */
export const AXIL_COMMANDS: readonly AxilCommand[] = OPCODES.filter(
  (o) => o.action !== 'none' && !o.counted && (o.reply === 'none' || o.reply === 'state'),
).map((o) => {
  const name = opcodeName(o).replace(/-/g, '_');
  return { name, code: o.byte, action: o.action, result: o.reply === 'state', summary: COMMAND_EFFECTS[name] ?? o.summary };
});

// ---- the map -------------------------------------------------------------------------------------------------------

/** INFO fields in the map: the UART INFO reply's fields up to the line's (an AXI4-Lite design has no UART line). */
const AXIL_INFO_FIELDS = INFO_FIELDS.filter((f) => !LINE_INFO_FIELDS.includes(f.name));
const AXIL_INFO_BYTES = AXIL_INFO_FIELDS.reduce((n, f) => n + f.bytes, 0);

/** INFO words: those INFO bytes, big-endian, four to a word, zero-padded. */
export const INFO_WORDS = Math.ceil(AXIL_INFO_BYTES / 4);

/** Where each INFO field sits: word, bit position and width. */
export const INFO_FIELD_BITS = (() => {
  let byte = 0;
  return AXIL_INFO_FIELDS.map((f) => {
    const first = byte;
    byte += f.bytes;
    const word = Math.floor(first / 4);
    if (Math.floor((byte - 1) / 4) !== word) throw new Error(`internal: INFO field ${f.name} straddles two words`);
    const lsb = 8 * (4 - (byte - 4 * word));
    return { name: f.name, word, lsb, bits: 8 * f.bytes };
  });
})();

const OFFSETS = {
  ID: 0x00,
  INFO: 0x04,
  CMD: 0x10,
  STATUS: 0x14,
  LANE: 0x18,
  CYCLE_LO: 0x20,
  CYCLE_HI: 0x24,
  DELTA_LO: 0x28,
  DELTA_HI: 0x2c,
  DATA: 0x40,
  RESULT: 0x60,
  REF: 0x80,
} as const;

const infoRegisters: AxilRegister[] = Array.from({ length: INFO_WORDS }, (_, w) => {
  const fields = INFO_FIELD_BITS.filter((f) => f.word === w);
  return {
    name: `INFO${w}`,
    offset: OFFSETS.INFO + 4 * w,
    access: 'RO' as const,
    summary: `INFO, as the UART \`I\` reply: ${fields.map((f) => `${f.name} [${f.lsb + f.bits - 1}:${f.lsb}]`).join(', ')}`,
    fields: fields.map((f) => ({ name: f.name, lsb: f.lsb, bits: f.bits, summary: `INFO field ${f.name}` })),
  };
});

const hiHalf = COUNTER_BITS - AXIL_DATA_BITS;

/** The register map, by offset. */
export const AXIL_REGISTERS: readonly AxilRegister[] = [
  { name: 'ID', offset: OFFSETS.ID, access: 'RO', summary: `0x${AXIL_ID.toString(16).toUpperCase()}: "ATK" and the register-map version (${AXIL_MAP_VERSION})` },
  ...infoRegisters,
  {
    name: 'CMD',
    offset: OFFSETS.CMD,
    access: 'RW',
    summary:
      'write a command code to bits 7:0 to run it on DATA (bits 31:8 ignored; nothing happens when WSTRB[0] is 0); ' +
      'the write response comes once it is done; reads give the last command taken',
    fields: [{ name: 'CODE', lsb: 0, bits: 8, summary: 'command code' }],
  },
  { name: 'STATUS', offset: OFFSETS.STATUS, access: 'W1C', summary: 'flags (below); write 1 to an ERR bit to clear it', fields: STATUS_FIELDS },
  {
    name: 'LANE',
    offset: OFFSETS.LANE,
    access: 'RW',
    summary:
      'parallel mode: the lane (bank) the next ACCUM / ROLLBACK goes to; it steps to the next lane after each, wrapping; ' +
      'a number >= lanes selects lane 0. Round-robin mode: reads 0, writes ignored',
  },
  { name: 'CYCLE_LO', offset: OFFSETS.CYCLE_LO, access: 'RO', summary: `cycles since reset, bits 31:0; reading it latches both ${COUNTER_BITS}-bit counters` },
  { name: 'CYCLE_HI', offset: OFFSETS.CYCLE_HI, access: 'RO', summary: `latched cycles, bits ${COUNTER_BITS - 1}:32 (in bits ${hiHalf - 1}:0)` },
  { name: 'DELTA_LO', offset: OFFSETS.DELTA_LO, access: 'RO', summary: 'latched deltas accepted since reset, bits 31:0' },
  { name: 'DELTA_HI', offset: OFFSETS.DELTA_HI, access: 'RO', summary: `latched deltas, bits ${COUNTER_BITS - 1}:32 (in bits ${hiHalf - 1}:0)` },
  { name: 'DATA', offset: OFFSETS.DATA, access: 'RW', block: true, summary: 'the operand of LOAD / ACCUM / ROLLBACK / SWAP: word k holds value bits 32k+31..32k' },
  { name: 'RESULT', offset: OFFSETS.RESULT, access: 'RO', block: true, summary: 'the state the last READ / SWAP / SWAP-KEEP answered, word k as DATA' },
  { name: 'REF', offset: OFFSETS.REF, access: 'RO', block: true, summary: 'the reference register (live), word k as DATA' },
];

/** Bits of the counters' high words. */
export const COUNTER_HI_BITS = hiHalf;

/** One register word of a design's map. */
export interface AxilWord {
  /** ID, INFO0, DATA0, ... */
  readonly name: string;
  /** The register (or block) it belongs to. */
  readonly register: AxilRegister;
  readonly offset: number;
  /** Word index: offset / 4. */
  readonly word: number;
  /** For a block word: its index k. */
  readonly k?: number;
}

/** 32-bit words of a W-bit value. */
export function valueWords(width: number): number {
  return Math.ceil(width / AXIL_DATA_BITS);
}

/** Every word of a design's map, by offset. Block words exist for k < valueWords(width). */
export function axilWords(width: number): AxilWord[] {
  const out: AxilWord[] = [];
  for (const r of AXIL_REGISTERS) {
    if (r.block) {
      for (let k = 0; k < valueWords(width); k++) out.push({ name: `${r.name}${k}`, register: r, offset: r.offset + 4 * k, word: (r.offset >> 2) + k, k });
    } else {
      out.push({ name: r.name, register: r, offset: r.offset, word: r.offset >> 2 });
    }
  }
  return out.sort((a, b) => a.offset - b.offset);
}

/** The word at a byte address (bits 1:0 ignored), or undefined for a hole. `addrWidth` bits are decoded. */
export function axilWordAt(width: number, address: number, addrWidth = AXIL_DEFAULT_ADDR_WIDTH): AxilWord | undefined {
  const a = address % 2 ** addrWidth;
  if (a >= 2 ** AXIL_MAP_BITS) return undefined;
  return axilWords(width).find((w) => w.word === a >>> 2);
}

/** Bits of word k of a W-bit value: 32, or what is left in the top word. */
export function valueWordBits(width: number, k: number): number {
  return Math.min(AXIL_DATA_BITS, width - AXIL_DATA_BITS * k);
}

/** Bits of the LANE register (0 when there is one lane). */
export function laneBits(lanes: number): number {
  return lanes > 1 ? Math.ceil(Math.log2(lanes)) : 0;
}

/** Word k of a value, as the value blocks hold it: bits 32k+31..32k. */
export function valueWord(value: bigint, k: number): number {
  return Number((value >> BigInt(AXIL_DATA_BITS * k)) & 0xffffffffn);
}

/** INFO words from the UART INFO reply's bytes (uart.ts `encodeInfo`). */
export function infoWords(info: readonly number[]): number[] {
  const byte = (at: number) => (at < AXIL_INFO_BYTES ? (info[at] ?? 0) : 0);
  return Array.from({ length: INFO_WORDS }, (_, w) => fromBigEndianNumber(Array.from({ length: 4 }, (_, i) => byte(4 * w + i))));
}

const hex32 = (v: number) => hex(v >>> 0, 8);

/** The ctrl_op encoding of `<name>_core` (docs/ARCHITECTURE.md, "Ports"). */
const CORE_CTRL_OP: Readonly<Record<CoreAction, number>> = { none: 0, load: 1, swap: 2, 'swap-keep': 3, accum: 0, read: 0 };

/** What the register map depends on in a design: its width and its lanes (1, or the banks in parallel mode). */
export interface AxilShape {
  readonly width: number;
  readonly lanes: number;
}

/** What the slave template and the C header need, for a design's shape and its INFO bytes. */
export function axilContext(shape: AxilShape, info: readonly number[]) {
  const W = shape.width;
  const lanes = shape.lanes;
  const lb = laneBits(lanes);
  const words = axilWords(W);
  const wordBits = AXIL_MAP_BITS - 2;
  const K = valueWords(W);
  const infoValues = infoWords(info);
  const status = Object.fromEntries(STATUS_FIELDS.map((f) => [f.name, f.lsb])) as Record<StatusBit, number>;
  const topBits = valueWordBits(W, K - 1);
  return {
    addrWidth: AXIL_DEFAULT_ADDR_WIDTH,
    mapBits: AXIL_MAP_BITS,
    mapBytesHex: hex(2 ** AXIL_MAP_BITS, 3),
    wordBits,
    wordMsb: wordBits - 1,
    idHex: hex32(AXIL_ID),
    mapVersion: AXIL_MAP_VERSION,
    words: words.map((w) => ({ name: w.name, word: w.word, offsetHex: hex(w.offset, 2), access: w.register.access, summary: w.register.summary })),
    registers: AXIL_REGISTERS.map((r) => ({ name: r.name, offsetHex: hex(r.offset, 2), access: r.access, block: r.block === true })),
    infoWords: infoValues.map((v, i) => ({ name: `INFO${i}`, hex: hex32(v) })),
    infoFields: INFO_FIELD_BITS.map((f) => ({ ...f, cName: f.name.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase(), maskHex: hex32(2 ** f.bits - 1) })),
    valueWords: K,
    value: Array.from({ length: K }, (_, k) => {
      const bits = valueWordBits(W, k);
      return { k, lsb: 32 * k, msb: 32 * k + bits - 1, bits, bitsMsb: bits - 1, pad: 32 - bits };
    }),
    topWordBits: topBits,
    topWordMaskHex: hex32(topBits === 32 ? 0xffffffff : 2 ** topBits - 1),
    commands: AXIL_COMMANDS.map((c) => ({
      name: c.name,
      codeHex: hex(c.code),
      ctrlOp: CORE_CTRL_OP[c.action],
      accum: c.action === 'accum' ? 1 : 0,
      read: c.action === 'read' ? 1 : 0,
      result: c.result ? 1 : 0,
      summary: c.summary,
    })),
    status,
    statusFields: STATUS_FIELDS.map((f) => ({ name: f.name, lsb: f.lsb })),
    counterHiBits: COUNTER_HI_BITS,
    counterLoPad: 0,
    counterHiPad: AXIL_DATA_BITS - COUNTER_HI_BITS,
    hasLane: lb > 0,
    laneBits: lb,
    laneMsb: lb - 1,
    lanePad: AXIL_DATA_BITS - lb,
    /** every lb-bit number is a lane: no range check needed */
    laneAllValid: lb > 0 && 2 ** lb === lanes,
    lanesMinus1: lanes - 1,
    resp: { okay: AXI_RESP.okay.toString(2).padStart(2, '0'), slverr: AXI_RESP.slverr.toString(2).padStart(2, '0') },
    clockPort: AXIL_CLOCK_PORT,
    resetPort: AXIL_RESET_PORT,
  };
}

/** The clock of an AXI4-Lite top, as the constraint template prints it: the AXI clock at the design's frequency. */
export function axilClock(design: { readonly clockMHz: number }): { port: string; mhz: number; periodNs: string } {
  return { port: AXIL_CLOCK_PORT, mhz: design.clockMHz, periodNs: (1000 / design.clockMHz).toFixed(3) };
}

/** The README's register table (docs.test.ts checks the README holds exactly these lines). */
export function axilMarkdownTable(): string {
  const rows = AXIL_REGISTERS.map((r) => {
    const offset = r.block ? `0x${hex(r.offset)} + 4k` : `0x${hex(r.offset)}`;
    const name = r.block ? `${r.name}k` : r.name;
    return `| ${offset} | \`${name}\` | ${r.access} | ${r.summary.replace(/\|/g, '\\|')} |`;
  });
  const status = STATUS_FIELDS.map((f) => `| ${f.lsb} | \`${f.name}\` | ${f.summary} |`);
  const commands = AXIL_COMMANDS.map((c) => `| 0x${hex(c.code)} | \`${c.name}\` | ${c.summary} |`);
  return [
    '| offset | register | access | meaning |',
    '|---|---|---|---|',
    ...rows,
    '',
    '| STATUS bit | name | meaning |',
    '|---|---|---|',
    ...status,
    '',
    '| CMD code | command | effect |',
    '|---|---|---|',
    ...commands,
  ].join('\n');
}
