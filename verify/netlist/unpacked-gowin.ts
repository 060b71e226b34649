// The bitstream unpacked back into a netlist a simulator runs, for the Gowin families: Apicula's gowin_unpack writes the
// configured chip as LUT4, DFF*, ALU, IBUF/OBUF and PLL cells joined by the routing as assigns, its ports named after
// the pads' places on the die (R17C47_IA: row 17, column 47, input of IOB A). A wrapper gives it the RTL top's ports
// (mapped through the IOB bels nextpnr placed them on), and what Apicula 0.32's unpacker leaves out or gets wrong is
// filled in, each repair listed in the check's notes:
// - nets of a wire that spans tiles are macros it never declares, and the PLL's ports use the macro names bare;
// - the clock taps read spine n + 3 of their row where the packer wrote spine n (the GW1N-9C's global clock);
// - the PLL's CLKIN is left out (the PLL is a stand-in here anyway: sim/stubs/ passes its input through);
// - the ALU slices' modes: it reads nearly every ALU slice as "C2L" (the carry handed to logic) and drops the LUT of
//   every ALU slice, so every counter's carry logic would be lost. The ALU layer is rebuilt from nextpnr's routed
//   netlist, by bel: each slice's mode and LUT (RAW_ALU_LUT) come from there, its inputs A..D, its SUM output and its
//   carry wires, like every LUT, flip-flop, IO buffer and routing wire, from the bitstream;
// - the long wires (LT0x taps, LBOx, LBxx branches: the network nextpnr fans high-fanout enables and resets out on) are
//   read and never driven: each such wire is driven from the cell output nextpnr's routing puts on it (by bel);
// - a LUT whose truth table is all ones has no fuse set, so it reads as an unused LUT and no cell is written for it
//   (nextpnr's constant-1 pass-through LUTs): a LUT output a flip-flop takes and nothing drives is tied to 1.
/** nextpnr's Yosys-style JSON: what this file reads of it. */
interface NetlistJson {
  readonly modules: Readonly<Record<string, {
    readonly ports: Readonly<Record<string, { readonly direction: 'input' | 'output' | 'inout'; readonly bits: readonly (number | string)[] }>>;
    readonly cells: Readonly<Record<string, {
      readonly type: string;
      readonly attributes?: Readonly<Record<string, string>>;
      readonly connections: Readonly<Record<string, readonly (number | string)[]>>;
    }>>;
  }>>;
}

/** One bit of a top port and where it sits on the die. */
export interface PinPlace {
  /** The port as the RTL names it, with the bit for a bus: `clk_27m`, `led[3]`. */
  readonly port: string;
  readonly name: string;
  readonly bit: number | null;
  readonly direction: 'input' | 'output';
  /** The IOB bel nextpnr placed it on (`X46Y16/IOBA`). */
  readonly bel: string;
  /** The unpacked netlist's port for it (`R17C47_IA`). */
  readonly unpackedPort: string;
}

/** Where every top port bit sits on the die, from nextpnr-himbaechel's routed netlist (its IOB cells' bels). */
export function gowinPinPlaces(routed: unknown): PinPlace[] {
  const json = routed as NetlistJson;
  const module = Object.values(json.modules ?? {})[0];
  if (!module) throw new Error('the routed netlist has no module');
  const byBit = new Map<number | string, { bel: string }>();
  for (const cell of Object.values(module.cells)) {
    const bel = cell.attributes?.NEXTPNR_BEL;
    if (!bel || !/\/IOB[A-Z]$/.test(bel)) continue;
    // the pad side of an input buffer is its I, of an output buffer its O (IOBUF: IO)
    for (const pin of ['I', 'O', 'IO']) {
      const bits = cell.connections[pin];
      if (bits && bits.length === 1 && (cell.type === 'IBUF' ? pin === 'I' : cell.type === 'OBUF' ? pin === 'O' : pin === 'IO')) byBit.set(bits[0]!, { bel });
    }
  }
  const places: PinPlace[] = [];
  for (const [name, port] of Object.entries(module.ports)) {
    const direction = port.direction;
    if (direction === 'inout') throw new Error(`the top port ${name} is bidirectional: not supported in the unpacked netlist's wrapper`);
    port.bits.forEach((b, i) => {
      const at = byBit.get(b);
      if (!at) throw new Error(`no IOB in the routed netlist drives or takes the top port ${name}${port.bits.length > 1 ? `[${i}]` : ''}`);
      const m = /^X(\d+)Y(\d+)\/IOB([A-Z])$/.exec(at.bel);
      if (!m) throw new Error(`unexpected IOB bel name ${at.bel}`);
      const row = Number(m[2]) + 1;
      const col = Number(m[1]) + 1;
      const bit = port.bits.length > 1 ? i : null;
      places.push({
        port: bit === null ? name : `${name}[${bit}]`,
        name,
        bit,
        direction,
        bel: at.bel,
        unpackedPort: `R${row}C${col}_${direction === 'input' ? 'I' : 'O'}${m[3]}`,
      });
    });
  }
  return places;
}

/** The input ports (`input NAME;` lines) of a module's text. */
function inputPorts(text: string): string[] {
  return [...text.matchAll(/^\s*input\s+(?:wire\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*;/gm)].map((m) => m[1]!);
}

/**
 * The unpacked netlist, ready to simulate as `<name>_top`: the unpacked module (renamed), its PLL given the clock
 * pin's buffered input, and a wrapper with the RTL top's ports. `clockPort` is the board's oscillator port.
 */
export function wrapUnpackedGowin(opts: {
  readonly unpacked: string;
  /** nextpnr's routed netlist the bitstream was packed from (the ALU modes). */
  readonly routed: unknown;
  readonly places: readonly PinPlace[];
  readonly top: string;
  readonly clockPort: string;
}): { netlist: string; wrapper: string; notes: string[] } {
  const notes: string[] = [];
  const inner = `${opts.top}_unpacked`;
  let text = opts.unpacked.replace(/^module\s+top\s*\(/m, `module ${inner}(`);
  if (text === opts.unpacked) throw new Error('the unpacked netlist has no module "top"');

  text = rebuildAlus(text, opts.routed, notes);
  text = resolveMacroNets(text, notes);
  text = joinClockSpines(text, notes);
  text = joinLongWires(text, opts.routed, notes);
  text = constantOneLuts(text, notes);

  // the PLL's input: the clock pin's input buffer output
  const clock = opts.places.find((p) => p.name === opts.clockPort);
  if (!clock) throw new Error(`the clock port ${opts.clockPort} is not among the routed netlist's IOBs`);
  const ibuf = new RegExp(`^IBUF\\s+\\S+\\s*\\(\\s*\\.O\\(([^)]+)\\),\\s*\\.I\\(${clock.unpackedPort}\\)\\s*\\);`, 'm').exec(text);
  if (!ibuf) throw new Error(`the unpacked netlist has no input buffer on ${clock.unpackedPort} (the clock pin ${clock.bel})`);
  const pllRe = /^(rPLL|PLLVR|PLLA)\s+(\S+)\s*\(/gm;
  const plls = [...text.matchAll(pllRe)];
  for (const pll of plls) {
    const start = pll.index! + pll[0].length;
    const end = text.indexOf(');', start);
    const body = text.slice(start, end);
    if (/\.CLKIN\(/.test(body)) continue;
    text = `${text.slice(0, start)}\n.CLKIN(${ibuf[1]}),${text.slice(start)}`;
    notes.push(`${pll[1]} ${pll[2]}: CLKIN connected to ${ibuf[1]}, the input buffer of the clock pin ${clock.unpackedPort} (the unpacker leaves it out)`);
  }

  const own = new Set(opts.places.map((p) => p.unpackedPort));
  const unused = inputPorts(text).filter((p) => !own.has(p));
  const byName = new Map<string, PinPlace[]>();
  for (const p of opts.places) byName.set(p.name, [...(byName.get(p.name) ?? []), p]);
  const decls = [...byName.entries()].map(([name, bits]) => {
    const dir = bits[0]!.direction;
    const width = bits[0]!.bit === null ? '' : `[${Math.max(...bits.map((b) => b.bit!))}:0] `;
    return `    ${dir} wire ${width}${name}`;
  });
  const conns = [
    ...opts.places.map((p) => `        .${p.unpackedPort}(${p.port})`),
    // unused pads read as their pull-ups would: high
    ...unused.map((p) => `        .${p}(1'b1)`),
  ];
  const wrapper = [
    '// Generated by atomik-gen for the bitstream-level netlist check (verify/netlist/unpacked-gowin.ts).',
    `// The unpacked bitstream (module ${inner}, pads named by their place on the die) under the RTL top's ports.`,
    ...opts.places.map((p) => `//   ${p.port.padEnd(12)} ${p.direction.padEnd(6)} ${p.bel.padEnd(14)} ${p.unpackedPort}`),
    `module ${opts.top} (`,
    decls.join(',\n'),
    ');',
    `    ${inner} chip (`,
    conns.join(',\n'),
    '    );',
    'endmodule',
    '',
  ].join('\n');
  return { netlist: text, wrapper, notes };
}

/**
 * Apicula 0.32 writes the nets of a wire that spans tiles as macros (`define R10C47_rPLLCLKOUTF4 R10C45_F4) and uses
 * them with a backtick, except in the PLL's port list, where the bare name makes an implicit net cut off from the rest;
 * and it never declares the nets the macros stand for. Bare uses of a macro name become its net, and every net a macro
 * stands for is declared.
 */
export function resolveMacroNets(text: string, notes: string[]): string {
  const macros = new Map<string, string>();
  for (const m of text.matchAll(/^`define\s+(\S+)\s+(\S+)\s*$/gm)) macros.set(m[1]!, m[2]!);
  if (macros.size === 0) return text;
  const declared = new Set([...text.matchAll(/^\s*(?:wire|input|output|inout)\s+(?:\[[^\]]*\]\s*)?([A-Za-z_][A-Za-z0-9_]*)\s*;/gm)].map((m) => m[1]!));
  let bare = 0;
  const out = text.replace(/(^`define\s+\S+\s+\S+\s*$)|(`?)\b(R\d+C\d+_[A-Za-z0-9_]+)\b/gm, (all, define: string | undefined, tick: string, name: string) => {
    if (define !== undefined || tick === '`' || declared.has(name)) return all;
    const net = macros.get(name);
    if (net === undefined) return all;
    bare++;
    return net;
  });
  const missing = [...new Set(macros.values())].filter((n) => !declared.has(n));
  if (bare > 0) notes.push(`${bare} bare use(s) of a net macro (the PLL's ports) replaced by the net it stands for`);
  if (missing.length > 0) notes.push(`${missing.length} net(s) the macros stand for declared (the unpacker leaves them undeclared)`);
  const decl = missing.map((n) => `wire ${n};`).join('\n');
  // the declarations go right after the module's port list
  return out.replace(/^(module\s[^;]*;\s*\n)/m, `$1${decl}${decl ? '\n' : ''}`);
}

/**
 * The unpacked netlist's nets as its `assign`s use them: `net` resolves a name through the `define macros, `driven`
 * holds the nets assigned to, `read` the nets assigned from.
 */
function assignedNets(text: string): { net: (name: string) => string; driven: Set<string>; read: Set<string> } {
  const macros = new Map<string, string>();
  for (const m of text.matchAll(/^`define\s+(\S+)\s+(\S+)\s*$/gm)) macros.set(m[1]!, m[2]!);
  const net = (n: string) => {
    let x = n.trim().replace(/^`/, '');
    for (let i = 0; i < 8 && macros.has(x); i++) x = macros.get(x)!;
    return x;
  };
  const driven = new Set<string>();
  const read = new Set<string>();
  for (const m of text.matchAll(/^assign\s+(\S+)\s*=\s*(\S+?)\s*;/gm)) {
    driven.add(net(m[1]!));
    read.add(net(m[2]!));
  }
  return { net, driven, read };
}

/**
 * The global clock: Apicula 0.32's gowin_unpack reads the GW1N-9C's clock taps (GT00) as taking spine n + 3 of their
 * row where gowin_pack wrote spine n (nextpnr routed X19Y19/GT00/SPINE16, the unpacked tap reads R20C20_SPINE19; the
 * pad clock's SPINE0 comes back as SPINE3), so the spines the taps read are driven by nothing. Each spine net that is
 * read and never driven is tied to the driven spine n - 3 of the same row, when there is exactly one.
 */
export function joinClockSpines(text: string, notes: string[]): string {
  const { driven, read } = assignedNets(text);
  const spine = /^R(\d+)C(\d+)_SPINE(\d+)$/;
  const drivenSpines = [...driven].map((n) => spine.exec(n)).filter((m): m is RegExpExecArray => m !== null);
  const ties: string[] = [];
  for (const name of [...read].sort()) {
    const m = spine.exec(name);
    if (!m || driven.has(name)) continue;
    const want = Number(m[3]) - 3;
    const sources = drivenSpines.filter((d) => d[1] === m[1] && Number(d[3]) === want);
    if (sources.length === 1) ties.push(`assign ${name} = ${sources[0]![0]};`);
  }
  if (ties.length === 0) return text;
  notes.push(`${ties.length} clock spine(s) read by a tap and driven by nothing tied to the driven spine three below in the same row (${ties.map((t) => t.replace(/^assign (\S+) = (\S+);$/, '$1 <- $2')).join(', ')})`);
  return text.replace(/^endmodule\b/m, `// atomik-gen: clock spines (see the notes)\n${ties.join('\n')}\nendmodule`);
}

interface RoutedCell {
  readonly type: string;
  readonly port_directions?: Readonly<Record<string, string>>;
  readonly parameters?: Readonly<Record<string, string>>;
  readonly attributes?: Readonly<Record<string, string>>;
  readonly connections: Readonly<Record<string, readonly (number | string)[]>>;
}

/** A parameter of nextpnr's JSON as a number (bit strings) or the string itself ("C2L"). */
function paramValue(v: string | undefined): number | string | undefined {
  if (v === undefined) return undefined;
  return /^[01]+$/.test(v) ? Number.parseInt(v, 2) : v.trim();
}

/**
 * Every ALU cell of the unpacked netlist taken out and the routed netlist's ALU cells put in their place, by bel
 * (X<c>Y<r>/ALU<i> is tile R<r+1>C<c+1>, slice i), on the tile's wires: I0/I1/I3 from its A-D inputs as the mode
 * wires them, SUM on F<i>, the carry from CIN<i> to CIN<i+1> (to the next tile's CIN0 from slice 5). The chain ends
 * become assigns: a C2L head starts the carry at 0, ONE2C at 1, a C2L tail hands CIN<i> to F<i>.
 */
export function rebuildAlus(text: string, routed: unknown, notes: string[]): string {
  const aluRe = /^ALU\s+(R\d+C\d+_ALU_\d+)\s*\([^;]*?\);\s*\n(?:defparam\s+\1\.\S+\s*=\s*[^;]*;\s*\n)*/gm;
  const unpackedModes = new Map<string, string>();
  for (const m of text.matchAll(/^defparam\s+(R\d+C\d+_ALU_\d+)\.ALU_MODE\s*=\s*([^;]*);/gm)) unpackedModes.set(m[1]!, m[2]!.trim());
  const removed = [...text.matchAll(aluRe)].length;
  const stripped = text.replace(aluRe, '');
  const module = Object.values((routed as { modules?: Record<string, { cells: Record<string, RoutedCell> }> }).modules ?? {})[0];
  const lines: string[] = [];
  let c2lRead = 0;
  let placed = 0;
  const declared = new Set([...text.matchAll(/^\s*(?:wire|input|output)\s+(?:\[[^\]]*\]\s*)?([A-Za-z_][A-Za-z0-9_]*)\s*;/gm)].map((m) => m[1]!));
  const used = new Set<string>();
  const w = (name: string) => {
    used.add(name);
    return name;
  };
  for (const [cellName, cell] of Object.entries(module?.cells ?? {})) {
    if (cell.type !== 'ALU') continue;
    const bel = /^X(\d+)Y(\d+)\/ALU(\d)$/.exec(cell.attributes?.NEXTPNR_BEL ?? '');
    if (!bel) throw new Error(`the routed ALU ${cellName} has no ALU bel (${cell.attributes?.NEXTPNR_BEL ?? 'none'})`);
    const row = Number(bel[2]) + 1;
    const col = Number(bel[1]) + 1;
    const i = Number(bel[3]);
    const tile = `R${row}C${col}`;
    const name = `${tile}_ALU_${i}`;
    if (unpackedModes.get(name) === '9' && !/\.SUM\(/.test(text.slice(text.indexOf(`ALU ${name} `), text.indexOf(`ALU ${name} `) + 400))) c2lRead++;
    const cin = w(`${tile}_CIN${i}`);
    const next = w(i < 5 ? `${tile}_CIN${i + 1}` : `R${row}C${col + 1}_CIN0`);
    const has = (port: string) => (cell.connections[port]?.length ?? 0) > 0;
    const mode = paramValue(cell.parameters?.ALU_MODE);
    if (mode === 'C2L') {
      if (has('SUM')) lines.push(`assign ${w(`${tile}_F${i}`)} = ${cin};   // ${name}: C2L tail, the carry to logic`);
      else if (has('COUT')) lines.push(`assign ${next} = 1'b0;   // ${name}: C2L head, carry in 0`);
      continue;
    }
    if (mode === 'ONE2C') {
      lines.push(`assign ${next} = 1'b1;   // ${name}: ONE2C head, carry in 1`);
      continue;
    }
    // a head whose carry comes from logic (CIN_NETTYPE LOGIC) has no mode, only its LUT: the LUT decides
    const raw0 = cell.parameters?.RAW_ALU_LUT;
    if (typeof mode !== 'number' && !(mode === undefined && raw0 && /^[01]+$/.test(raw0))) {
      throw new Error(`the routed ALU ${cellName} has ALU_MODE ${String(cell.parameters?.ALU_MODE)}, which the check does not model`);
    }
    // I0..I3 are the slice's A..D: the bitstream's routing drives them; an input nextpnr left unconnected reads 0
    const input = (port: string, wire: string) => (has(port) ? w(`${tile}_${wire}${i}`) : "1'b0");
    const raw = cell.parameters?.RAW_ALU_LUT;
    const params = [`.ALU_MODE(${mode ?? 0})`, ...(raw && /^[01]+$/.test(raw) ? [`.RAW_ALU_LUT(${raw.length}'b${raw})`] : [])];
    const conns = [
      `.SUM(${w(`${tile}_F${i}`)})`,
      `.COUT(${next})`,
      `.CIN(${cin})`,
      `.I0(${input('I0', 'A')})`,
      `.I1(${input('I1', 'B')})`,
      `.I2(${input('I2', 'C')})`,
      `.I3(${input('I3', 'D')})`,
    ];
    lines.push(`ALU #(${params.join(', ')}) ${name} (${conns.join(', ')});`);
    placed++;
  }
  notes.push(
    `ALU layer rebuilt from the routed netlist: ${removed} unpacked ALU cell(s) (${c2lRead} read as C2L) replaced by ${placed} ALU cell(s) and ${lines.length - placed} chain end(s)`,
  );
  // a name that is a macro (a wire spanning tiles) is left to resolveMacroNets, which turns it into its net
  const macros = new Set([...text.matchAll(/^`define\s+(\S+)\s/gm)].map((m) => m[1]!));
  const undeclared = [...used].filter((n) => !declared.has(n) && !macros.has(n));
  const block = [
    '// atomik-gen: the ALU layer, rebuilt from nextpnr\'s routed netlist (see the notes)',
    ...undeclared.map((n) => `wire ${n};`),
    ...lines,
  ].join('\n');
  return stripped.replace(/^endmodule\b/m, `${block}\nendmodule`);
}

/** The unpacked netlist's wire for a cell output at a routed bel (X<c>Y<r>/LUT3 -> R<r+1>C<c+1>_F3), if it has one. */
function outputWire(bel: string, type: string): string | undefined {
  const m = /^X(\d+)Y(\d+)\/([A-Z]+)(\d+)$/.exec(bel);
  if (!m) return undefined;
  const tile = `R${Number(m[2]) + 1}C${Number(m[1]) + 1}`;
  const i = Number(m[4]);
  if (m[3] === 'LUT' || m[3] === 'ALU') return `${tile}_F${i}`;
  if (m[3] === 'DFF') return `${tile}_Q${i}`;
  return type.startsWith('MUX2') ? `${tile}_OF${i}` : undefined;
}

/**
 * Every wire the unpacked netlist reads and nothing drives, that nextpnr's routing of a net passes through (the
 * routed netlist's ROUTING: wire, pip, strength triples), driven from that net's driving cell output.
 */
export function joinLongWires(text: string, routed: unknown, notes: string[]): string {
  const { driven, read } = assignedNets(text);
  const longWire = /^R\d+C\d+_(LT0\d|LBO\d|LB\d\d)$/;
  const wanted = [...read].filter((w) => longWire.test(w) && !driven.has(w));
  if (wanted.length === 0) return text;
  const module = Object.values((routed as { modules?: Record<string, RoutedModule> }).modules ?? {})[0];
  if (!module) return text;
  // the driving cell output of every net, by bit
  const driver = new Map<number | string, string>();
  for (const c of Object.values(module.cells)) {
    const bel = c.attributes?.NEXTPNR_BEL;
    if (!bel) continue;
    for (const [port, bits] of Object.entries(c.connections)) {
      if (c.port_directions?.[port] !== 'output' || bits.length !== 1) continue;
      const w = outputWire(bel, c.type);
      if (w) driver.set(bits[0]!, w);
    }
  }
  // the routed nets' wires, as the unpacked netlist names them
  const onWire = new Map<string, string>();
  for (const n of Object.values(module.netnames ?? {})) {
    const routing = n.attributes?.ROUTING;
    const src = n.bits.length === 1 ? driver.get(n.bits[0]!) : undefined;
    if (!routing || !src) continue;
    for (const part of routing.split(';')) {
      for (const w of part.split('/').length >= 2 ? [part] : []) {
        const m = /^X(\d+)Y(\d+)\/([A-Z0-9_]+)(?:\/([A-Z0-9_]+))?$/.exec(w);
        if (!m) continue;
        const tile = `R${Number(m[2]) + 1}C${Number(m[1]) + 1}`;
        for (const name of [m[3]!, m[4]].filter((x): x is string => x !== undefined)) onWire.set(`${tile}_${name}`, src);
      }
    }
  }
  const ties = wanted.sort().flatMap((w) => (onWire.has(w) ? [`assign ${w} = ${onWire.get(w)!};`] : []));
  notes.push(`${ties.length} of ${wanted.length} long wire(s) read and driven by nothing driven from the cell output nextpnr routed onto them`);
  if (ties.length === 0) return text;
  return text.replace(/^endmodule\b/m, `// atomik-gen: long wires (see the notes)\n${ties.join('\n')}\nendmodule`);
}

interface RoutedModule {
  readonly cells: Readonly<Record<string, RoutedCell>>;
  readonly netnames?: Readonly<Record<string, { readonly bits: readonly (number | string)[]; readonly attributes?: Readonly<Record<string, string>> }>>;
}

const OUTPUT_PORTS = new Set(['F', 'Q', 'O', 'OF', 'SUM', 'COUT', 'DO', 'CLKOUT', 'CLKOUTP', 'CLKOUTD', 'CLKOUTD3', 'LOCK']);

/** Every LUT output (R<r>C<c>_F<i>) a flip-flop takes and nothing drives, tied to 1 (see the file comment). */
export function constantOneLuts(text: string, notes: string[]): string {
  const { net, driven } = assignedNets(text);
  const read = new Set<string>();
  for (const m of text.matchAll(/\.([A-Z][A-Z0-9_]*)\(\{?([^()]*?)\}?\)/g)) {
    const names = m[2]!.split(',').map(net).filter((n) => /^R\d+C\d+_/.test(n));
    // what a flip-flop takes on D: nextpnr's constant-1 pass-through LUTs feed flip-flops
    for (const n of names) (OUTPUT_PORTS.has(m[1]!) ? driven : m[1] === 'D' ? read : new Set<string>()).add(n);
  }
  const ties = [...read].filter((n) => /^R\d+C\d+_F[0-7]$/.test(n) && !driven.has(n)).sort();
  if (ties.length === 0) return text;
  notes.push(`${ties.length} LUT output(s) a flip-flop takes and nothing drives tied to 1 (an all-ones LUT has no fuse set, and the unpacker writes no cell for it)`);
  return text.replace(/^endmodule\b/m, `// atomik-gen: all-ones LUTs (see the notes)\n${ties.map((n) => `assign ${n} = 1'b1;`).join('\n')}\nendmodule`);
}
