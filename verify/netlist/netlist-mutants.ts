// Netlist mutants: faults a synthesis or packing tool could make, injected into the core's mapped Gowin netlist, each of
// which the netlist check (the core against the golden model, cycle by cycle) must catch and report with its first
// failing cycle. Every mutant names its cell by what it drives, found through the netlist's wiring from one of the core's
// output bits (the output buffer's input is a flip-flop's Q; that flip-flop's D comes from a LUT or an ALU), so the
// same mutant applies to any design of any size; a mutant whose cell cannot be found stops the run (it would count as a
// kill it never earned).
import { join } from 'node:path';
import { AtomikError } from '../../generator/common/errors.js';
import type { BuildPlan } from '../../generator/plan/plan.js';
import { recordOwned } from '../../generator/run/folder.js';
import type { FindToolOptions } from '../../generator/tools/tools.js';
import { crossCheck, type Simulator } from '../core/crosscheck.js';
import { coreNetlist } from './netlists.js';

/** One cell instance of Yosys's write_verilog output. */
interface Cell {
  readonly type: string;
  readonly name: string;
  /** Parameter text (`.INIT(16'hff80)`), empty when none. */
  readonly params: string;
  /** Port -> connected expression. */
  readonly conns: Map<string, string>;
  /** Where the cell's text starts and ends in the netlist. */
  readonly start: number;
  readonly end: number;
}

const CELL_RE = /^ {2}([A-Za-z_][A-Za-z0-9_$]*)(?: #\(\n([\s\S]*?)\n {2}\))? (\S+|\\\S+ ) \(\n([\s\S]*?)\n {2}\);\n/gm;

function parseCells(netlist: string): Cell[] {
  const cells: Cell[] = [];
  for (const m of netlist.matchAll(CELL_RE)) {
    const conns = new Map<string, string>();
    for (const c of m[4]!.matchAll(/^\s*\.([A-Za-z_][A-Za-z0-9_]*)\((.*)\),?$/gm)) conns.set(c[1]!, c[2]!);
    cells.push({ type: m[1]!, name: m[3]!.trim(), params: (m[2] ?? '').trim(), conns, start: m.index!, end: m.index! + m[0].length });
  }
  return cells;
}

function render(c: Cell, type: string, params: string, conns: ReadonlyMap<string, string>): string {
  const p = params ? ` #(\n    ${params}\n  )` : '';
  const body = [...conns].map(([k, v]) => `    .${k}(${v})`).join(',\n');
  return `  ${type}${p} ${c.name.startsWith('\\') ? `${c.name} ` : c.name} (\n${body}\n  );\n`;
}

function replaceCell(netlist: string, c: Cell, text: string): string {
  return netlist.slice(0, c.start) + text + netlist.slice(c.end);
}

/** The flip-flop behind an output bit of the core (through its output buffer). */
function registerOf(cells: readonly Cell[], port: string): Cell {
  const obuf = cells.find((c) => c.type === 'OBUF' && c.conns.get('O') === port);
  const net = obuf?.conns.get('I') ?? port;
  const ff = cells.find((c) => /^DFF/.test(c.type) && c.conns.get('Q') === net);
  if (!ff) throw new Error(`netlist mutant: no flip-flop drives ${port}`);
  return ff;
}

/** The cell driving a net (a LUT's F, an ALU's SUM, a MUX's O). */
function driverOf(cells: readonly Cell[], net: string | undefined): Cell | undefined {
  if (net === undefined) return undefined;
  return cells.find((c) => c.conns.get('F') === net || c.conns.get('SUM') === net || c.conns.get('O') === net);
}

/** The first of `ports` whose register (or a register before it in a pipeline) takes D from a cell `accept` takes. */
function drivenFrom(cells: readonly Cell[], ports: readonly string[], accept: (c: Cell) => boolean): { port: string; ff: Cell; cell: Cell } {
  for (const port of ports) {
    let ff = registerOf(cells, port);
    // through a pipeline of registers (the output stages) to the first logic cell
    for (let hop = 0; hop < 8; hop++) {
      const d = ff.conns.get('D');
      const cell = driverOf(cells, d);
      if (cell) {
        if (accept(cell)) return { port, ff, cell };
        break;
      }
      const before = cells.find((c) => /^DFF/.test(c.type) && c.conns.get('Q') === d);
      if (!before) break;
      ff = before;
    }
  }
  throw new Error(`netlist mutant: none of ${ports[0]}..${ports.at(-1)} is fed by the cell kind the mutant needs`);
}

const bits = (name: string, n: number) => Array.from({ length: n }, (_, i) => `${name}[${i}]`);

/** A LUT's INIT as a number and its width in bits. */
function lutInit(c: Cell): { value: number; width: number } {
  const m = /\.INIT\((\d+)'h([0-9a-fA-F]+)\)/.exec(c.params) ?? /\.INIT\((\d+)'b([01]+)\)/.exec(c.params);
  if (!m) throw new Error(`netlist mutant: ${c.name} has no INIT`);
  const width = Number(m[1]);
  return { value: Number.parseInt(m[2]!, c.params.includes(`'h`) ? 16 : 2), width };
}

const hexInit = (width: number, value: number) => `.INIT(${width}'h${value.toString(16).padStart(Math.ceil(width / 4), '0')})`;

/** The INIT of a LUT with inputs I0 and I1 exchanged. */
function swappedInit(value: number, width: number): number {
  let out = 0;
  for (let row = 0; row < width; row++) {
    const b0 = row & 1;
    const b1 = (row >> 1) & 1;
    const swapped = (row & ~3) | (b0 << 1) | b1;
    if ((value >> swapped) & 1) out |= 1 << row;
  }
  return out;
}

export interface NetlistMutant {
  readonly name: string;
  readonly description: string;
  /** The mutated netlist and the cell it changed. */
  apply(netlist: string, width: number): { text: string; cell: string };
}

export const NETLIST_MUTANTS: readonly NetlistMutant[] = [
  {
    name: 'lut-init-bit',
    description: 'one truth-table bit (input row 0) of the LUT feeding a resp_state register flipped',
    apply(netlist, width) {
      const cells = parseCells(netlist);
      const { cell } = drivenFrom(cells, bits('resp_state', width), (c) => /^LUT\d$/.test(c.type));
      const { value, width: w } = lutInit(cell);
      return { text: replaceCell(netlist, cell, render(cell, cell.type, hexInit(w, value ^ 1), cell.conns)), cell: cell.name };
    },
  },
  {
    name: 'lut-swap-inputs',
    description: 'inputs I0 and I1 of a LUT feeding a resp_state or ref_value register exchanged (a LUT whose function they change)',
    apply(netlist, width) {
      const cells = parseCells(netlist);
      const { cell } = drivenFrom(cells, [...bits('resp_state', width), ...bits('ref_value', width)], (c) => {
        if (!/^LUT[2-4]$/.test(c.type) || !c.conns.has('I0') || !c.conns.has('I1')) return false;
        const { value, width: w } = lutInit(c);
        return swappedInit(value, w) !== value;
      });
      const conns = new Map(cell.conns);
      conns.set('I0', cell.conns.get('I1')!);
      conns.set('I1', cell.conns.get('I0')!);
      return { text: replaceCell(netlist, cell, render(cell, cell.type, cell.params, conns)), cell: cell.name };
    },
  },
  {
    name: 'dff-stuck-d',
    description: 'the D input of the ref_value[0] flip-flop stuck at 0',
    apply(netlist) {
      const cells = parseCells(netlist);
      const ff = registerOf(cells, 'ref_value[0]');
      const conns = new Map(ff.conns);
      conns.set('D', "1'b0");
      return { text: replaceCell(netlist, ff, render(ff, ff.type, ff.params, conns)), cell: ff.name };
    },
  },
  {
    name: 'dff-drop-reset',
    description: 'the reset of the cycle_count[0] flip-flop dropped (DFFR -> DFF)',
    apply(netlist) {
      const cells = parseCells(netlist);
      const ff = registerOf(cells, 'cycle_count[0]');
      if (!ff.conns.has('RESET')) throw new Error(`netlist mutant: ${ff.name} (${ff.type}) has no RESET`);
      const conns = new Map([...ff.conns].filter(([k]) => k !== 'RESET'));
      return { text: replaceCell(netlist, ff, render(ff, ff.type.replace(/R(E?)$/, '$1'), ff.params, conns)), cell: ff.name };
    },
  },
  {
    name: 'dff-drop-enable',
    description: 'the clock enable of a ref_value flip-flop dropped (DFFRE -> DFFR: it loads every cycle)',
    apply(netlist, width) {
      const cells = parseCells(netlist);
      const port = bits('ref_value', width).find((p) => registerOf(cells, p).conns.has('CE'));
      if (!port) throw new Error('netlist mutant: no ref_value flip-flop has a clock enable');
      const ff = registerOf(cells, port);
      const conns = new Map([...ff.conns].filter(([k]) => k !== 'CE'));
      return { text: replaceCell(netlist, ff, render(ff, ff.type.replace(/E$/, ''), ff.params, conns)), cell: ff.name };
    },
  },
  {
    name: 'alu-mode',
    description: 'the ALU adding into a cycle_count bit switched from ADDSUB (2) to SUB (1)',
    apply(netlist) {
      const cells = parseCells(netlist);
      const { cell } = drivenFrom(cells, bits('cycle_count', 48).slice(1), (c) => c.type === 'ALU' && /ALU_MODE\(32'sd2\)|ALU_MODE\(2\)/.test(c.params));
      return { text: replaceCell(netlist, cell, render(cell, cell.type, cell.params.replace(/ALU_MODE\([^)]*\)/, "ALU_MODE(32'sd1)"), cell.conns)), cell: cell.name };
    },
  },
];

export interface NetlistMutantResult {
  readonly name: string;
  readonly description: string;
  readonly cell: string;
  readonly killed: boolean;
  /** The first cycle whose outputs differ from the golden model, and on which signal. */
  readonly firstFailingCycle: number | null;
  readonly signal: string | null;
  readonly seconds: number;
}

/** The simulator the mutants run in: Icarus compiles a netlist in a fraction of a second, and a fault shows early. */
export const NETLIST_MUTANT_SIM: Simulator = 'icarus';
/** Cycles each mutant runs when none are asked for: every mutant of the list shows within the first ten. */
export const NETLIST_MUTANT_CYCLES = 600;

export interface NetlistMutantsOptions {
  readonly plan: BuildPlan;
  /** Cycles each mutant (and the unmutated netlist first) runs. */
  readonly cycles: number;
  readonly seed: number;
  readonly tools?: FindToolOptions;
  readonly progress?: (line: string) => void;
}

export interface NetlistMutantsResult {
  /** The unmutated netlist passed the same check (else no kill would mean anything). */
  readonly baselinePassed: boolean;
  readonly results: readonly NetlistMutantResult[];
  readonly killed: number;
  readonly total: number;
}

/** Synthesizes the core once, checks the netlist as it is, then each mutant of it; every mutant must be caught. */
export async function runNetlistMutants(opts: NetlistMutantsOptions): Promise<NetlistMutantsResult> {
  const { plan } = opts;
  if (plan.board.family !== 'gowin') throw new AtomikError(`the netlist mutants are written for Gowin cells, not ${plan.board.family}`, { where: 'netlist mutants' });
  const say = opts.progress ?? (() => {});
  recordOwned(plan.outDir, ['sim/netlist-core/']);
  const n = await coreNetlist(plan, join(plan.outDir, 'sim', 'netlist-core'), opts.tools);
  const netlist = n.files.find((f) => f.path === n.netlist)!;
  const check = (simName: string, text: string) =>
    crossCheck({
      design: plan.design,
      outDir: plan.outDir,
      cycles: opts.cycles,
      seed: opts.seed,
      sim: NETLIST_MUTANT_SIM,
      dut: { files: n.files.map((f) => (f === netlist ? { ...f, text } : f)), simName },
      waveform: false,
      tools: opts.tools,
    });
  const base = await check('netlist-mutant-none', netlist.text);
  say(`netlist mutants: the unmutated netlist ${base.mismatch ? `FAILS in cycle ${base.mismatch.cycle}` : `passes ${base.cycles} cycles`}`);
  const results: NetlistMutantResult[] = [];
  for (const m of NETLIST_MUTANTS) {
    const started = performance.now();
    const { text, cell } = m.apply(netlist.text, plan.design.width);
    if (text === netlist.text) throw new Error(`netlist mutant ${m.name} changed nothing`);
    const r = await check(`netlist-mutant-${m.name}`, text);
    const result: NetlistMutantResult = {
      name: m.name,
      description: m.description,
      cell,
      killed: r.mismatch !== null,
      firstFailingCycle: r.mismatch?.cycle ?? null,
      signal: r.mismatch?.signal ?? null,
      seconds: (performance.now() - started) / 1000,
    };
    say(`  ${result.killed ? 'killed' : 'SURVIVED'}  ${m.name.padEnd(16)} ${result.killed ? `first failing cycle ${result.firstFailingCycle} (${result.signal})` : ''}  [${cell}]`);
    results.push(result);
  }
  const killed = results.filter((r) => r.killed).length;
  return { baselinePassed: base.mismatch === null, results, killed, total: results.length };
}
