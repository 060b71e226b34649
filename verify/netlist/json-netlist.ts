// A Yosys-style JSON netlist (what Yosys writes for nextpnr, and what nextpnr writes back with --write) as structural
// Verilog: one wire per net bit, one instance per cell, the top's ports assigned to their bits. Yosys's own read_json
// stops on nextpnr-himbaechel's routed netlists (a cell and a net of the same name), so the check writes it itself.

interface JsonModule {
  readonly ports: Readonly<Record<string, { readonly direction: 'input' | 'output' | 'inout'; readonly bits: readonly (number | string)[] }>>;
  readonly cells: Readonly<Record<string, {
    readonly type: string;
    readonly parameters?: Readonly<Record<string, string | number>>;
    readonly port_directions?: Readonly<Record<string, string>>;
    readonly connections: Readonly<Record<string, readonly (number | string)[]>>;
  }>>;
}

/** A Verilog identifier for any name: escaped when it is not a plain one. */
function ident(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_$]*$/.test(name) ? name : `\\${name.replace(/\s/g, '_')} `;
}

/** A bit of the netlist: a net, or a constant ("0", "1", "x", "z"). */
function bitExpr(bit: number | string): string {
  if (typeof bit === 'number') return `n${bit}`;
  return bit === '1' ? "1'b1" : bit === '0' ? "1'b0" : bit === 'z' ? "1'bz" : "1'bx";
}

/** A list of bits, least significant first, as a Verilog expression. */
function bitsExpr(bits: readonly (number | string)[]): string {
  return bits.length === 1 ? bitExpr(bits[0]!) : `{${[...bits].reverse().map(bitExpr).join(', ')}}`;
}

/** A JSON parameter: a bit string (Yosys writes a string parameter of only 0/1 with a trailing space), or a string. */
function paramExpr(value: string | number): string {
  if (typeof value === 'number') return String(value);
  if (/^[01xz]+$/.test(value)) return `${value.length}'b${value}`;
  return `"${value.replace(/ $/, '').replace(/["\\]/g, '\\$&')}"`;
}

/** The ports and parameters of each cell model, by module name. */
export type CellInterfaces = ReadonlyMap<string, { readonly ports: ReadonlySet<string>; readonly params: ReadonlySet<string> }>;

/** Each module's ports (from its header, ANSI or not) and parameters (`parameter` anywhere in it). */
export function cellInterfaces(models: string): CellInterfaces {
  const out = new Map<string, { ports: Set<string>; params: Set<string> }>();
  for (const m of models.matchAll(/^\s*module\s+([A-Za-z_][A-Za-z0-9_$]*)([\s\S]*?)^\s*endmodule\b/gm)) {
    const body = m[2]!;
    const header = /^\s*(?:#\s*\(([\s\S]*?)\)\s*)?\(([\s\S]*?)\)\s*;/.exec(body);
    const ports = new Set<string>();
    for (const p of (header?.[2] ?? '').replace(/\/\/.*$/gm, '').split(',')) {
      const name = p.trim().replace(/\[[^\]]*\]/g, ' ').trim().split(/\s+/).pop();
      if (name && /^[A-Za-z_]/.test(name)) ports.add(name);
    }
    const params = new Set([...body.matchAll(/\bparameter\s+(?:(?:integer|real|string|signed)\s+)?(?:\[[^\]]*\]\s*)?([A-Za-z_][A-Za-z0-9_$]*)/g)].map((x) => x[1]!));
    out.set(m[1]!, { ports, params });
  }
  return out;
}

/**
 * The netlist's module `moduleName` (default: the only one) as Verilog named `top`. With `known`, a cell's connections
 * and parameters that its model does not have are left out and counted in `dropped` (nextpnr adds its own: the IO
 * buffers' NET_* settings, the bottom IO row's BOTTOM_IO_PORT_A/B pins, the ALU's RAW_ALU_LUT, a LUT RAM's CE).
 */
export function jsonToVerilog(json: unknown, top: string, header: string, moduleName?: string, known?: CellInterfaces, dropped?: Map<string, number>): string {
  const modules = (json as { modules?: Record<string, JsonModule> }).modules ?? {};
  const name = moduleName ?? Object.keys(modules)[0];
  const m = name === undefined ? undefined : modules[name];
  if (!m) throw new Error(`the JSON netlist has no module ${moduleName ?? ''}`.trim());
  const nets = new Set<number>();
  const note = (bits: readonly (number | string)[]) => bits.forEach((b) => typeof b === 'number' && nets.add(b));
  for (const p of Object.values(m.ports)) note(p.bits);
  for (const c of Object.values(m.cells)) if (c.type !== '$scopeinfo') for (const bits of Object.values(c.connections)) note(bits);

  const lines: string[] = [header, `module ${top} (${Object.keys(m.ports).map(ident).join(', ')});`];
  for (const [p, port] of Object.entries(m.ports)) {
    const range = port.bits.length > 1 ? `[${port.bits.length - 1}:0] ` : '';
    lines.push(`    ${port.direction} wire ${range}${ident(p)};`);
  }
  for (const n of [...nets].sort((a, b) => a - b)) lines.push(`    wire n${n};`);
  for (const [p, port] of Object.entries(m.ports)) {
    port.bits.forEach((b, i) => {
      const sel = port.bits.length > 1 ? `${ident(p)}[${i}]` : ident(p);
      if (port.direction === 'input') {
        if (typeof b === 'number') lines.push(`    assign n${b} = ${sel};`);
      } else lines.push(`    assign ${sel} = ${bitExpr(b)};`);
    });
  }
  for (const [cellName, c] of Object.entries(m.cells)) {
    // Yosys's record of the hierarchy it flattened: no logic
    if (c.type === '$scopeinfo') continue;
    const model = known?.get(c.type);
    const keep = (what: 'port' | 'parameter', set: ReadonlySet<string> | undefined, key: string) => {
      if (!set || set.has(key)) return true;
      const k = `${c.type} ${what} ${key}`;
      dropped?.set(k, (dropped.get(k) ?? 0) + 1);
      return false;
    };
    const params = Object.entries(c.parameters ?? {})
      .filter(([k]) => keep('parameter', model?.params, k))
      .map(([k, v]) => `.${k}(${paramExpr(v)})`);
    // an input nextpnr left unconnected (a constant it folded into the cell) reads 0
    const conns = Object.entries(c.connections)
      .filter(([port, bits]) => (bits.length > 0 || c.port_directions?.[port] === 'input') && keep('port', model?.ports, port))
      .map(([port, bits]) => `.${port}(${bits.length > 0 ? bitsExpr(bits) : "1'b0"})`);
    lines.push(`    ${c.type} ${params.length > 0 ? `#(${params.join(', ')}) ` : ''}${ident(cellName)} (${conns.join(', ')});`);
  }
  lines.push('endmodule', '');
  return lines.join('\n');
}
