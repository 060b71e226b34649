// The netlists the deeper verification levels simulate, each as Verilog beside the cell models it needs:
// - the core's mapped netlist: the flow's own synthesis script (the vendor flow renders it for the core as top) with a
//   `write_verilog` after it, simulated as `<name>_core` against the golden model cycle by cycle;
// - the board top after synthesis: the netlist the flow handed to place and route (Yosys's JSON), written as Verilog;
// - the board top after place and route: nextpnr's routed netlist (its --write JSON), written as Verilog;
// - the board top from the bitstream: gowin_unpack's netlist, wrapped and repaired (unpacked-gowin.ts).
// The three board-top netlists run under the UART bus-functional model (netlist-items.ts).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Board } from '../../boards/types.js';
import { AtomikError } from '../../generator/common/errors.js';
import { coreModules } from '../../generator/design/design.js';
import type { BuildPlan } from '../../generator/plan/plan.js';
import { howItEnded, runBounded } from '../../generator/tools/exec.js';
import { findTool, type FindToolOptions } from '../../generator/tools/tools.js';
import { flowOf } from '../../generator/vendors/index.js';
import { SYNTH_SCRIPT } from '../../generator/vendors/yosys.js';
import type { SourceFile } from '../../sim/sim-files.js';
import { cellLibrary, modulesOf } from './cells.js';
import { GOWIN_PLACED_MODELS, GOWIN_PLACED_MODULES } from './placed-models.js';
import { cellInterfaces, jsonToVerilog } from './json-netlist.js';
import { gowinPinPlaces, wrapUnpackedGowin } from './unpacked-gowin.js';

/** A tool run of a netlist step takes seconds; this long means it hangs. */
const STEP_TIMEOUT_MS = 30 * 60 * 1000;

/** The levels below the RTL, in flow order. */
export const NETLIST_LEVELS = ['synth', 'pnr', 'bitstream'] as const;
export type NetlistLevel = (typeof NETLIST_LEVELS)[number];

/** A netlist ready to simulate: the sources (netlist, wrappers, cell models, stand-ins) and what was done to it. */
export interface SimulatableNetlist {
  readonly files: readonly SourceFile[];
  /** The netlist file itself, relative to the output folder. */
  readonly netlist: string;
  /** Repairs and facts worth knowing (an unpacker's gaps the check filled in). */
  readonly notes: readonly string[];
}

async function runTool(tool: 'yosys' | 'gowin_unpack', args: readonly string[], cwd: string, log: string, tools?: FindToolOptions): Promise<void> {
  const found = await findTool(tool, tools);
  // a fixed hash seed: gowin_unpack names each multi-tile wire after one of its tiles picked through a set, so the
  // netlist (and the simulator build it makes) changes from run to run without one
  const r = await runBounded(found.path, args, { cwd, timeoutMs: STEP_TIMEOUT_MS, env: { ...process.env, PYTHONHASHSEED: '0' } });
  mkdirSync(dirname(log), { recursive: true });
  writeFileSync(log, `$ ${found.path} ${args.join(' ')}\n${r.all}\n`);
  if (r.exitCode !== 0) {
    const tail = r.all.trimEnd().split('\n').slice(-12).map((l) => `  | ${l}`).join('\n');
    throw new AtomikError(`${tool} ${howItEnded(r)}\n${tail}\n  full log: ${log}`, { where: 'netlist check' });
  }
}

/** The stand-ins (sim/stubs/, as the plan copies them) of the vendor primitives the board top holds (its PLL). */
function standIns(plan: BuildPlan): SourceFile[] {
  return plan.files.filter((f) => f.role === 'stub').map((f) => ({ path: `netlist/${f.path.split('/').pop()!}`, text: f.content }));
}

async function library(board: Board, replaced: readonly string[], tools?: FindToolOptions): Promise<SourceFile> {
  const lib = await cellLibrary(board, replaced, tools);
  return { path: 'netlist/cells_sim.v', text: lib.cellsSim };
}

/**
 * The core synthesized alone by the flow's own synthesis script, written as Verilog (`<dir>/netlist/core.v`), with
 * the family's cell models: the DUT of the cycle-by-cycle check against the golden model.
 */
export async function coreNetlist(plan: BuildPlan, dir: string, tools?: FindToolOptions, edit?: (netlist: string) => string): Promise<SimulatableNetlist> {
  const { design, board } = plan;
  const top = `${design.name}_core`;
  const rtlFiles = coreModules(design).map((m) => `rtl/${design.name}_${m}.v`);
  const flow = flowOf(board).plan({ board, top, rtlFiles, blockDesign: false, header: [`The core alone, for the netlist check (atomik-gen verify).`], params: plan.params });
  const script = flow.files.find((f) => f.path === SYNTH_SCRIPT);
  if (!script) throw new Error(`internal: the ${board.flow} flow plans no ${SYNTH_SCRIPT}`);
  for (const path of rtlFiles) {
    const file = plan.files.find((f) => f.path === path);
    if (!file) throw new Error(`internal: the plan has no ${path}`);
    writeIn(dir, path, file.content);
  }
  for (const sub of ['build', 'reports', 'netlist']) mkdirSync(join(dir, sub), { recursive: true });
  writeIn(dir, SYNTH_SCRIPT, `${script.content.trimEnd()}\n# the mapped netlist as Verilog, for the netlist check\nwrite_verilog -noattr netlist/core.v\n`);
  await runTool('yosys', ['-q', '-s', SYNTH_SCRIPT], dir, join(dir, 'logs', 'synth.log'), tools);
  let text = readFileSync(join(dir, 'netlist', 'core.v'), 'utf8');
  if (edit) text = edit(text);
  return {
    files: [{ path: 'netlist/core.v', text }, await library(board, [], tools)],
    netlist: 'netlist/core.v',
    notes: [`${board.flow} synthesis script with ${top} as its top`],
  };
}

/** The synthesized, routed or unpacked file of a plan, relative to its output folder; undefined when the flow has none. */
export function flowFile(plan: BuildPlan, level: NetlistLevel): string | undefined {
  const stage = (name: string) => plan.stages.find((s) => s.name === name && s.variant === undefined);
  if (level === 'synth') return stage('synth')?.outputs.find((o) => o.endsWith('.json') && !o.startsWith('reports/'));
  // the routed design the bitstream was packed from (the kept seed's), else the pnr stage's
  const routed = stage('bitstream')?.inputs[0] ?? stage('pnr')?.outputs[0];
  if (level === 'pnr') return routed?.endsWith('.json') ? routed : undefined;
  return stage('bitstream')?.result?.path;
}

/** Why a level's board-top netlist cannot be simulated for this plan, or undefined when it can. */
export function topNetlistGap(plan: BuildPlan, level: NetlistLevel): string | undefined {
  const { board, design } = plan;
  if (design.host !== 'uart') return `the board-top checks drive the UART; host ${design.host} has none (the core's netlist is checked)`;
  if (design.bench) return 'the bench top feeds the lanes from its own generator, not the UART (the core\'s netlist is checked)';
  const file = flowFile(plan, level);
  if (board.family === 'xilinx' && level !== 'synth') return `place and route and the bitstream of the ${board.flow} flow are Vivado's (the open flow ends with Yosys's synthesis)`;
  if (level === 'bitstream') {
    if (board.family === 'ice40') return 'iceunpack turns the bitstream into IceStorm ASCII, and the step from there to Verilog (icebox_vlog) ships with no package atomik-gen installs';
    if (board.family === 'ecp5') return 'ecpunpack turns the bitstream into Project Trellis\'s textual configuration; no tool turns that back into a netlist';
    if (!file || board.family !== 'gowin') return `the ${board.flow} flow writes no bitstream with the open tools`;
    return undefined;
  }
  if (level === 'pnr' && !file) return `the ${board.flow} flow writes the routed design in a form no simulator reads (no nextpnr --write JSON)`;
  if (level === 'synth' && !file) return `the ${board.flow} flow writes no netlist of the board top (its synthesis only counts resources)`;
  if (board.family !== 'gowin') return `the board-top netlist checks are written and run for the Gowin cells only (the ${board.family} core's netlist is checked)`;
  return undefined;
}

/** The board top's netlist of a level, as `<name>_top`, with its cell models and stand-ins, under `dir`. */
export async function topNetlist(plan: BuildPlan, level: NetlistLevel, dir: string, tools?: FindToolOptions): Promise<SimulatableNetlist> {
  const gap = topNetlistGap(plan, level);
  if (gap) throw new AtomikError(`no ${level}-level netlist of the board top: ${gap}`, { where: 'netlist check' });
  const out = plan.outDir;
  const top = plan.top;
  const file = flowFile(plan, level)!;
  if (!existsSync(join(out, file))) throw new AtomikError(`${file} is missing: the ${level} stage has not run`, { where: 'netlist check', hint: 'run the flow to that stage first' });
  const stubs = standIns(plan);
  const stubModules = stubs.flatMap((s) => modulesOf(s.text));
  const placed = plan.board.family === 'gowin' && level !== 'synth';
  const replaced = [...stubModules, ...(placed ? GOWIN_PLACED_MODULES : [])];
  const models: SourceFile[] = [await library(plan.board, replaced, tools), ...stubs, ...(placed ? [{ path: 'netlist/placed_models.v', text: GOWIN_PLACED_MODELS }] : [])];
  mkdirSync(join(dir, 'netlist'), { recursive: true });

  if (level === 'bitstream') {
    const unpacked = join(dir, 'netlist', 'unpacked.v');
    await runTool('gowin_unpack', ['-d', plan.board.packFamily, '-o', unpacked, join(out, file)], dir, join(dir, 'logs', 'unpack.log'), tools);
    const routed = JSON.parse(readFileSync(join(out, flowFile(plan, 'pnr')!), 'utf8')) as unknown;
    const wrapped = wrapUnpackedGowin({ unpacked: readFileSync(unpacked, 'utf8'), routed, places: gowinPinPlaces(routed), top, clockPort: plan.board.clock.port });
    return {
      files: [{ path: 'netlist/top_wrapper.v', text: wrapped.wrapper }, { path: 'netlist/unpacked_repaired.v', text: wrapped.netlist }, ...models],
      netlist: 'netlist/unpacked_repaired.v',
      notes: wrapped.notes,
    };
  }
  // the JSON as structural Verilog, the module named like the RTL top (json-netlist.ts)
  const v = `netlist/${level}.v`;
  const json = JSON.parse(readFileSync(join(out, file), 'utf8')) as { modules?: Record<string, { attributes?: Record<string, string> }> };
  const names = Object.keys(json.modules ?? {});
  const moduleName = names.includes(top) ? top : names.length === 1 ? names[0] : names.find((n) => json.modules![n]!.attributes?.top !== undefined);
  const header = `// Generated by atomik-gen for the ${level}-level netlist check: ${file} as Verilog (verify/netlist/json-netlist.ts).`;
  const dropped = new Map<string, number>();
  const text = jsonToVerilog(json, top, header, moduleName, cellInterfaces(models.map((m) => m.text).join('\n')), dropped);
  const notes = dropped.size > 0 ? [`what no cell model has, left out: ${[...dropped].map(([k, n]) => `${k} (${n})`).join(', ')}`] : [];
  writeIn(dir, v, text);
  return { files: [{ path: v, text }, ...models], netlist: v, notes };
}

function writeIn(dir: string, path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}
