// The AXI4-Lite host as a model: register writes and reads in, the response and read data the slave must give out.
// It follows the register map (generator/protocol/axil-map.ts) and drives the golden core model (model.ts `CoreModel`) with the
// port operations each command makes, so every RESULT, REF, STATUS flag and delta count comes from the core model.
//
// The model is not cycle-timed: it assumes each access finishes before the next starts (as the end-to-end check
// plays them) and that a read of a "settled" register (STATUS, CYCLE_LO; `settles`) comes at least `settleCycles`
// cycles after the last command finished, so the core's lagging outputs (`clean`, `delta_count`) have caught up. The
// live cycle counter (CYCLE_LO) is left to the caller, who knows when the read happened.
import {
  AXI_RESP,
  AXIL_COMMANDS,
  AXIL_DATA_BITS,
  AXIL_DEFAULT_ADDR_WIDTH,
  AXIL_ID,
  COUNTER_HI_BITS,
  axilWordAt,
  infoWords,
  laneBits,
  statusBit,
  valueWord,
  type AxilWord,
} from '../../generator/protocol/axil-map.js';
import { PROTOCOL_VERSION, encodeInfo } from '../../generator/protocol/uart.js';
import { laneCount, type Design } from '../../generator/design/design.js';
import { GENERATOR_VERSION } from '../../generator/common/version.js';
import { CoreModel, CTRL_OP, type CoreInputs } from '../core/model.js';

export interface AxilReadExpectation {
  readonly resp: number;
  /** The exact data, or null for CYCLE_LO (the live cycle counter: the caller checks it against the read's timing). */
  readonly data: number | null;
}

const U32 = 0xffffffffn;

/** The bytes WSTRB selects, as a 32-bit mask. */
export function strobeMask(strb: number): number {
  let m = 0;
  for (let b = 0; b < 4; b++) if ((strb >> b) & 1) m |= 0xff << (8 * b);
  return m >>> 0;
}

/** Whether a read of this word depends on the core's lagging outputs (see the file comment). */
export function settles(word: AxilWord | undefined): boolean {
  return word?.name === 'STATUS' || word?.name === 'CYCLE_LO';
}

export class AxilModel {
  readonly design: Design;
  readonly lanes: number;
  readonly addrWidth: number;
  /** Idle cycles a settled read needs after the last command (see the file comment). */
  readonly settleCycles: number;
  private core: CoreModel;
  private readonly mask: bigint;
  private readonly info: number[];
  private data = 0n;
  private result = 0n;
  private resultValid = false;
  private resultClean = false;
  private cmdLast = 0;
  private lane = 0;
  private errAddr = false;
  private errCmd = false;
  private snapDelta = 0;

  /** `readLatency`: the core's READ latency (rtl-context.ts); the settling time is derived from it. */
  constructor(design: Design, readLatency: number, addrWidth = AXIL_DEFAULT_ADDR_WIDTH) {
    this.design = design;
    this.lanes = laneCount(design);
    this.addrWidth = addrWidth;
    this.settleCycles = readLatency + 2;
    this.core = new CoreModel(design);
    this.mask = (1n << BigInt(design.width)) - 1n;
    this.info = infoWords(encodeInfo({ ...design, protocol: PROTOCOL_VERSION, version: GENERATOR_VERSION }));
  }

  /** The slave and the core after ARESETn. */
  reset(): void {
    this.core.step({ rst: true });
    this.data = 0n;
    this.result = 0n;
    this.resultValid = false;
    this.resultClean = false;
    this.cmdLast = 0;
    this.lane = 0;
    this.errAddr = false;
    this.errCmd = false;
    this.snapDelta = 0;
  }

  wordAt(address: number): AxilWord | undefined {
    return axilWordAt(this.design.width, address, this.addrWidth);
  }

  /** The current DATA value (what the next command operates on). */
  get operand(): bigint {
    return this.data;
  }

  /** The core's state now, as a READ would answer it. */
  get state(): bigint {
    return this.core.state;
  }

  get currentLane(): number {
    return this.lane;
  }

  /** A write; returns BRESP. */
  write(address: number, data: number, strb: number): number {
    const word = this.wordAt(address);
    const set = (data & strobeMask(strb)) >>> 0;
    const merge = (old: number) => ((old & ~strobeMask(strb)) | set) >>> 0;
    if (!word) return this.refuse('addr');
    switch (word.register.name) {
      case 'DATA': {
        const k = BigInt(AXIL_DATA_BITS * word.k!);
        const old = Number((this.data >> k) & U32);
        this.data = ((this.data & ~(U32 << k)) | (BigInt(merge(old)) << k)) & this.mask;
        return AXI_RESP.okay;
      }
      case 'LANE': {
        const bits = laneBits(this.lanes);
        if (bits > 0) {
          const v = merge(this.lane) & (2 ** bits - 1);
          this.lane = v < this.lanes ? v : 0;
        }
        return AXI_RESP.okay;
      }
      case 'STATUS':
        if ((set >>> statusBit('ERR_ADDR')) & 1) this.errAddr = false;
        if ((set >>> statusBit('ERR_CMD')) & 1) this.errCmd = false;
        return AXI_RESP.okay;
      case 'CMD': {
        if ((strb & 1) === 0) return AXI_RESP.okay;
        const code = data & 0xff;
        const cmd = AXIL_COMMANDS.find((c) => c.code === code);
        if (!cmd) return this.refuse('cmd');
        this.cmdLast = code;
        this.command(cmd.action);
        return AXI_RESP.okay;
      }
      default:
        return this.refuse('addr'); // read-only
    }
  }

  /** A read; returns RRESP and RDATA (null data: CYCLE_LO, see AxilReadExpectation). */
  read(address: number): AxilReadExpectation {
    const word = this.wordAt(address);
    if (!word) {
      this.refuse('addr');
      return { resp: AXI_RESP.slverr, data: 0 };
    }
    const ok = (data: number | bigint): AxilReadExpectation => ({ resp: AXI_RESP.okay, data: Number(BigInt(data) & U32) });
    const block = (v: bigint) => ok(valueWord(v, word.k!));
    const out = this.core.peek();
    switch (word.register.name) {
      case 'ID':
        return ok(AXIL_ID);
      case 'CMD':
        return ok(this.cmdLast);
      case 'STATUS': {
        const bit = (on: boolean, name: Parameters<typeof statusBit>[0]) => (on ? 2 ** statusBit(name) : 0);
        return ok(
          bit(out.ready, 'READY') +
            bit(false, 'BUSY') +
            bit(this.resultValid, 'RESULT_VALID') +
            bit(this.resultClean, 'RESULT_CLEAN') +
            bit(out.clean, 'CLEAN') +
            bit(this.errAddr, 'ERR_ADDR') +
            bit(this.errCmd, 'ERR_CMD'),
        );
      }
      case 'LANE':
        return ok(laneBits(this.lanes) > 0 ? this.lane : 0);
      case 'CYCLE_LO':
        this.snapDelta = out.deltaCount;
        return { resp: AXI_RESP.okay, data: null };
      case 'CYCLE_HI':
        return ok(0); // a simulation never runs 2^32 cycles
      case 'DELTA_LO':
        return ok(this.snapDelta % 2 ** 32);
      case 'DELTA_HI':
        return ok(Math.floor(this.snapDelta / 2 ** 32) % 2 ** COUNTER_HI_BITS);
      case 'DATA':
        return block(this.data);
      case 'RESULT':
        return block(this.result);
      case 'REF':
        return block(this.core.reference);
      default: {
        if (word.register.name.startsWith('INFO')) return ok(this.info[Number(word.register.name.slice(4))] ?? 0);
        throw new Error(`internal: no model of register ${word.name}`);
      }
    }
  }

  private refuse(kind: 'addr' | 'cmd'): number {
    if (kind === 'addr') this.errAddr = true;
    else this.errCmd = true;
    return AXI_RESP.slverr;
  }

  /** One command through the core's handshakes: held until taken, then (for READ / SWAP) until its answer. */
  private command(action: (typeof AXIL_COMMANDS)[number]['action']): void {
    const inputs: CoreInputs =
      action === 'load'
        ? { ctrlOp: CTRL_OP.load, ctrlValue: this.data }
        : action === 'swap'
          ? { ctrlOp: CTRL_OP.swap, ctrlValue: this.data }
          : action === 'swap-keep'
            ? { ctrlOp: CTRL_OP.swapKeep }
            : action === 'read'
              ? { readEn: true }
              : {
                  accEn: Array.from({ length: this.lanes }, (_, i) => i === this.lane),
                  accData: Array.from({ length: this.lanes }, () => this.data),
                };
    const answers = action === 'read' || action === 'swap' || action === 'swap-keep';
    if (answers) this.resultValid = false;
    for (let guard = 0; ; guard++) {
      if (guard > 10_000) throw new Error('internal: the core model never became ready');
      if (this.core.step(inputs).ready) break;
    }
    if (action === 'accum' && laneBits(this.lanes) > 0) this.lane = this.lane === this.lanes - 1 ? 0 : this.lane + 1;
    if (answers) {
      for (let guard = 0; ; guard++) {
        if (guard > 10_000) throw new Error('internal: the core model never answered');
        const out = this.core.step({});
        if (out.respValid) {
          this.result = out.respState;
          this.resultClean = out.respClean;
          this.resultValid = true;
          break;
        }
      }
    }
    for (let i = 0; i < this.settleCycles; i++) this.core.step({});
  }
}
