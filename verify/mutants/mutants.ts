// Mutation testing: small, named faults injected into the rendered RTL, each of which the verification must catch.
// A mutant is one exact text edit on one generated file: the text to find must occur exactly once in that file, or the
// run stops with an error (a mutant that silently does not apply would count as a kill it never earned). A mutant is
// killed when a check reports a mismatch: first the cycle-by-cycle cross-check of the core (Verilator), when the
// mutant is in a core file, then the UART end-to-end check of the board top.
//
// The edits are written for one design shape (`MUTANT_DESIGN`: 5 banks x 16 bits, round-robin, banked, pipeline 2): an odd
// bank count (the merge tree has an odd node to drop), a pointer of 3 bits (so a late wrap reaches a bank that does not
// exist), a registered first tree level, a width that is a whole number of bytes. Their texts are derived from the
// design (widths, indices), so a design of the same shape with other sizes works too; any other design fails loudly.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { findBoard } from '../../boards/index.js';
import { resolveDesign, type Design } from '../../generator/design/design.js';
import { buildPlan } from '../../generator/plan/plan.js';
import { coreModules } from '../../generator/design/design.js';
import { payloadBytes } from '../../generator/protocol/uart.js';
import { rtlContext } from '../../generator/rtl/context.js';
import { crossCheck } from '../core/crosscheck.js';
import { uartEndToEnd } from '../uart/uart-e2e.js';

export type MutantCheck = 'crosscheck' | 'uart-e2e';

export interface Mutant {
  readonly name: string;
  readonly description: string;
  /** The generated file, relative to the design's `rtl/` folder (`<name>_core.v`, ...). */
  readonly file: string;
  /** Exact text, found exactly once in the file ... */
  readonly find: string;
  /** ... and what it becomes. */
  readonly replace: string;
}

export interface MutantResult {
  readonly name: string;
  /** The check that reported a mismatch, or null: the mutant survived. */
  readonly killedBy: MutantCheck | null;
  readonly description: string;
  readonly file: string;
  /** The mismatch, in one line. */
  readonly detail: string;
  readonly seconds: number;
}

export interface MutantsResult {
  readonly killed: number;
  readonly total: number;
  readonly results: readonly MutantResult[];
}

/** The design the mutant list is written for (a reachable slow clock: 29 cycles per UART bit). */
export const MUTANT_DESIGN: Design = resolveDesign({ board: 'tang9k', banks: 5, width: 16, mode: 'round-robin', arch: 'banked', pipeline: 2, clockMHz: 3.375 });

const CORE_MODULES = coreModules(MUTANT_DESIGN);

/** The mutants for a design of MUTANT_DESIGN's shape. */
// Long on purpose: one flat list of mutants, each a find / replace in the RTL; it reads best in one place.
export function mutantsFor(design: Design): Mutant[] {
  const board = findBoard(design.board);
  if (!board) throw new Error(`internal: unknown board ${design.board}`);
  const ctx = rtlContext(design, board);
  const { W, N, name } = ctx;
  const file = (m: string) => `${name}_${m}.v`;
  const level1 = ctx.tree.levels[0];
  const registered = ctx.tree.levels.find((l) => l.registered);
  const stuckBank = Math.min(2, N - 1);
  const stuckBit = Math.min(5, W - 1);
  const P = payloadBytes(W);
  const bytesLsbFirst = Array.from({ length: P }, (_, k) => `resp_state[${8 * k + 7}:${8 * k}]`).join(', ');
  return [
    {
      name: 'bank-xor-to-or',
      description: 'the bank accumulates with OR instead of XOR',
      file: file('bank'),
      find: 'acc <= acc ^ delta;',
      replace: 'acc <= acc | delta;',
    },
    {
      name: 'merge-tree-drops-bank',
      description: `bank ${N - 1} (the odd node of tree level 1) is left out of the merge tree`,
      file: file('merge_tree'),
      find: `assign lvl1_x[${level1 ? level1.oddLsb : 0} +: ${W}] = lvl0[${(N - 1) * W} +: ${W}];`,
      replace: `assign lvl1_x[${level1 ? level1.oddLsb : 0} +: ${W}] = ${W}'d0;`,
    },
    {
      name: 'accumulator-bit-stuck-at-0',
      description: `bit ${stuckBit} of bank ${stuckBank}'s accumulator is stuck at 0 where the merge tree reads it`,
      file: file('merge_tree'),
      find: `wire [${N * W - 1}:0] lvl0 = banks;`,
      replace: `wire [${N * W - 1}:0] lvl0 = banks & ~(${N * W}'d1 << ${stuckBank * W + stuckBit});`,
    },
    {
      name: 'pointer-no-wrap',
      description: `the one-hot round-robin pointer shifts out after bank ${N - 1} instead of wrapping to bank 0, so later deltas are lost`,
      file: file('core'),
      find: `ptr_oh <= take_ctrl ? ${N}'d2 : {ptr_oh[${N - 2}:0], ptr_oh[${N - 1}]};`,
      replace: `ptr_oh <= take_ctrl ? ${N}'d2 : {ptr_oh[${N - 2}:0], 1'b0};`,
    },
    {
      name: 'load-loses-clear',
      description: 'LOAD no longer clears the banks (nor restarts the pointer); SWAP still does',
      file: file('core'),
      find: 'wire take_ctrl  = ready_q && (ctrl_op != OP_NONE);',
      replace: 'wire take_ctrl  = ready_q && (ctrl_op != OP_NONE) && (ctrl_op != OP_LOAD);',
    },
    {
      name: 'pipeline-register-skipped',
      description: `merge-tree level ${registered?.index ?? '?'} loses its register (combinational): the tree is a cycle early against the reference`,
      file: file('merge_tree'),
      find: registered
        ? [
            `    reg [${registered.bitsMsb}:0] lvl${registered.index};`,
            '    always @(posedge clk) begin',
            `        if (rst) lvl${registered.index} <= ${registered.bits}'d0;`,
            `        else     lvl${registered.index} <= lvl${registered.index}_x;`,
            '    end',
          ].join('\n')
        : '(the design has no registered tree level)',
      replace: registered ? `    wire [${registered.bitsMsb}:0] lvl${registered.index} = lvl${registered.index}_x;` : '',
    },
    {
      name: 'clean-flag-inverted',
      description: 'the clean flag is inverted',
      file: file('core'),
      find: `out_clean <= (st2_nz == ${ctx.nz2Groups}'d0);`,
      replace: `out_clean <= (st2_nz != ${ctx.nz2Groups}'d0);`,
    },
    {
      name: 'reply-little-endian',
      description: 'READ and SWAP replies go out least significant byte first',
      file: file('host_uart'),
      find: `v_state[RBITS-${8 * P} +: ${W}] = resp_state;`,
      replace: W % 8 === 0 ? `v_state[RBITS-${8 * P} +: ${W}] = {${bytesLsbFirst}};` : '(needs a width of whole bytes)',
    },
    {
      name: 'payload-little-endian',
      description: 'payload bytes are taken least significant byte first',
      file: file('host_uart'),
      find: `p_val <= {p_val[${W - 1}-8:0], pk_byte};`,
      replace: `p_val <= {pk_byte, p_val[${W - 1}:8]};`,
    },
    {
      name: 'swap-keep-loses-state',
      description: 'SWAP-keep leaves the reference as it was instead of taking the sampled state',
      file: file('core'),
      find: 'ref_q[LO +: NB] <= out_state[LO +: NB];',
      replace: 'ref_q[LO +: NB] <= ref_q[LO +: NB];',
    },
    {
      name: 'delta-counter-stuck',
      description: 'the delta counter never counts',
      file: file('core'),
      find: '.step(accepted)',
      replace: ".step(1'b0)",
    },
    {
      name: 'counter-carry-unaligned',
      description: "a counter's upper pieces step whenever the pieces below them are all ones, not only as piece 0 wraps",
      file: file('counter'),
      find: 'if (step && top && below[k])',
      replace: 'if (step && below[k])',
    },
    {
      name: 'read-latency-short',
      description: 'resp_valid comes one cycle early',
      file: file('core'),
      find: `assign resp_valid = read_pipe[${ctx.readPipeMsb}];`,
      replace: `assign resp_valid = read_pipe[${ctx.readPipeMsb - 1}];`,
    },
    {
      name: 'uart-timeout-never-fires',
      description: 'the inter-byte timeout never fires, so a partial frame is never dropped',
      file: file('host_uart'),
      find: "if (tmo_hit) tmo_out <= 1'b1;",
      replace: "if (1'b0)    tmo_out <= 1'b1;",
    },
    {
      name: 'uart-stop-bit-ignored',
      description: 'the receiver never reports a low stop bit (the byte is kept, the partial frame too)',
      file: file('uart_rx'),
      find: 'ferr  <= ~rx_s;',
      replace: "ferr  <= 1'b0;",
    },
    {
      name: 'batch-count-off-by-one',
      description: 'the frame tracker expects one BATCH value more than its count byte says, so the next frame becomes that value',
      file: file('host_uart'),
      find: "a_less  <= rx_data - 8'd1;",
      replace: 'a_less  <= rx_data;',
    },
  ];
}

/** Applies a mutant to a file's text; throws unless its text occurs exactly once. */
export function applyMutant(m: Mutant, text: string): string {
  const at = text.indexOf(m.find);
  if (at < 0) throw new Error(`mutant ${m.name} does not apply: its text is not in ${m.file}:\n${m.find}`);
  if (text.indexOf(m.find, at + 1) >= 0) throw new Error(`mutant ${m.name} is ambiguous: its text occurs more than once in ${m.file}:\n${m.find}`);
  return text.slice(0, at) + m.replace + text.slice(at + m.find.length);
}

export interface RunMutantsOptions {
  /** Default MUTANT_DESIGN. */
  readonly design?: Design;
  readonly outDir: string;
  /** Cross-check cycles per mutant (default 20 000). */
  readonly cycles?: number;
  readonly seed?: number;
  /** Random UART frames per mutant after the directed block (default 150). */
  readonly uartFrames?: number;
  /** Mutants run side by side (default: the processor count, at most 4). */
  readonly concurrency?: number;
  readonly progress?: (line: string) => void;
}

export async function runMutants(opts: RunMutantsOptions): Promise<MutantsResult> {
  const design = opts.design ?? MUTANT_DESIGN;
  if (design.host !== 'uart') throw new Error('mutation testing needs a design with the UART host: some mutants live there');
  const seed = opts.seed ?? 1;
  const cycles = opts.cycles ?? 20_000;
  const frames = opts.uartFrames ?? 150;
  const say = opts.progress ?? (() => {});
  const mutants = mutantsFor(design);

  // every mutant must apply to the rendered text before anything runs
  const plan = buildPlan(design, opts.outDir);
  for (const m of mutants) {
    const f = plan.files.find((x) => x.path === `rtl/${m.file}`);
    if (!f) throw new Error(`mutant ${m.name}: the design has no file rtl/${m.file}`);
    applyMutant(m, f.content);
  }
  const names = new Set(mutants.map((m) => m.name));
  if (names.size !== mutants.length) throw new Error('internal: two mutants share a name');

  // the unmutated design must pass both checks, or a "kill" would mean nothing
  const [cc, ue] = await Promise.all([
    crossCheck({ design, outDir: join(opts.outDir, 'unmutated', 'crosscheck'), cycles, seed, sim: 'verilator' }),
    uartEndToEnd({ design, outDir: join(opts.outDir, 'unmutated', 'uart-e2e'), seed, frames }),
  ]);
  if (cc.mismatch) throw new Error(`the unmutated design fails the cross-check:\n${cc.mismatch.report}`);
  if (ue.mismatch) throw new Error(`the unmutated design fails the UART end-to-end check:\n${ue.mismatch.report}`);
  say(`mutants: the unmutated design passes both checks; ${mutants.length} mutants`);

  const runOne = async (m: Mutant): Promise<MutantResult> => {
    const started = performance.now();
    const outDir = join(opts.outDir, m.name);
    let applied = 0;
    const editRtl = (file: string, text: string) => {
      if (file !== m.file) return text;
      applied++;
      return applyMutant(m, text);
    };
    const checks: MutantCheck[] = CORE_MODULES.some((c) => m.file === `${design.name}_${c}.v`) ? ['crosscheck', 'uart-e2e'] : ['uart-e2e'];
    let killedBy: MutantCheck | null = null;
    let detail = 'survived: no check reported a mismatch';
    for (const check of checks) {
      applied = 0;
      if (check === 'crosscheck') {
        const r = await crossCheck({ design, outDir, cycles, seed, sim: 'verilator', editRtl });
        if (r.mismatch) detail = `cycle ${r.mismatch.cycle}: ${r.mismatch.signal} expected ${r.mismatch.expected}, actual ${r.mismatch.actual}`;
        if (r.mismatch) killedBy = check;
      } else {
        const r = await uartEndToEnd({ design, outDir, seed, frames, editRtl, waveform: false });
        if (r.mismatch) detail = `frame ${r.mismatch.frame} (${r.mismatch.label}): expected ${r.mismatch.expected}, actual ${r.mismatch.actual}`;
        if (r.mismatch) killedBy = check;
      }
      if (applied !== 1) throw new Error(`internal: mutant ${m.name} was applied ${applied} times in the ${check} run`);
      if (killedBy) break;
    }
    const seconds = (performance.now() - started) / 1000;
    say(`mutant ${m.name}: ${killedBy ? `killed by ${killedBy}, ${detail}` : 'SURVIVED'} (${seconds.toFixed(1)} s)`);
    return { name: m.name, killedBy, description: m.description, file: m.file, detail, seconds };
  };

  const concurrency = Math.max(1, opts.concurrency ?? Math.min(4, availableParallelism()));
  const results: MutantResult[] = new Array(mutants.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, mutants.length) }, async () => {
      while (next < mutants.length) {
        const i = next++;
        results[i] = await runOne(mutants[i]!);
      }
    }),
  );
  const killed = results.filter((r) => r.killedBy !== null).length;
  say(`mutants: killed ${killed}/${results.length}`);
  return { killed, total: results.length, results };
}
