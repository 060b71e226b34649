// A small WebAssembly assembler for the golden model's kernels (model-kernel.ts, stimulus-kernel.ts): the instructions
// they use as functions returning their bytes, and a module of exported functions over one imported memory. Kernels are
// assembled at run time for one design shape (offsets and counts become constants), so there is no build step and no
// dependency. The encoding is the WebAssembly binary format (webassembly.github.io/spec, "Binary Format").

export const I32 = 0x7f;
export const I64 = 0x7e;
export const F64 = 0x7c;
export const V128 = 0x7b;
const EMPTY = 0x40;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(value: number | bigint): number[] {
  let n = BigInt(value);
  const out: number[] = [];
  for (;;) {
    const b = Number(n & 0x7fn);
    n >>= 7n;
    if ((n === 0n && (b & 0x40) === 0) || (n === -1n && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const str = (s: string) => [...uleb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))]; // ASCII names
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];

/** Instructions, each a function of its immediates returning its bytes; loads and stores take a constant offset. */
export const op = {
  block: () => [0x02, EMPTY],
  loop: () => [0x03, EMPTY],
  if: () => [0x04, EMPTY],
  else: () => [0x05],
  end: () => [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  return: () => [0x0f],
  select: () => [0x1b],
  get: (local: number) => [0x20, ...uleb(local)],
  set: (local: number) => [0x21, ...uleb(local)],
  tee: (local: number) => [0x22, ...uleb(local)],
  i32Load: (offset = 0) => [0x28, 2, ...uleb(offset)],
  i64Load: (offset = 0) => [0x29, 3, ...uleb(offset)],
  f64Load: (offset = 0) => [0x2b, 3, ...uleb(offset)],
  i32Store: (offset = 0) => [0x36, 2, ...uleb(offset)],
  i64Store: (offset = 0) => [0x37, 3, ...uleb(offset)],
  i32Const: (v: number) => [0x41, ...sleb(v)],
  i64Const: (v: number | bigint) => [0x42, ...sleb(v)],
  i32Eqz: () => [0x45],
  i32Eq: () => [0x46],
  i32Ne: () => [0x47],
  i32LtU: () => [0x49],
  i32GtU: () => [0x4b],
  i32GeU: () => [0x4f],
  i64Eqz: () => [0x50],
  f64Lt: () => [0x63],
  i32Ctz: () => [0x68],
  i32Popcnt: () => [0x69],
  i32Add: () => [0x6a],
  i32Sub: () => [0x6b],
  i32Mul: () => [0x6c],
  i32And: () => [0x71],
  i32Or: () => [0x72],
  i32Xor: () => [0x73],
  i32Shl: () => [0x74],
  i32ShrU: () => [0x76],
  i32Rotl: () => [0x77],
  i64Add: () => [0x7c],
  i64And: () => [0x83],
  i64Xor: () => [0x85],
  i64ExtendI32U: () => [0xad],
  f64ConvertI32U: () => [0xb8],
  memoryCopy: () => [0xfc, 0x0a, 0x00, 0x00],
  memoryFill: () => [0xfc, 0x0b, 0x00],
  v128Load: (offset = 0) => [0xfd, 0x00, 4, ...uleb(offset)],
  v128Store: (offset = 0) => [0xfd, 0x0b, 4, ...uleb(offset)],
  v128Zero: () => [0xfd, 0x0c, ...new Array<number>(16).fill(0)],
  v128Xor: () => [0xfd, 0x51],
  i64x2ExtractLane: (lane: number) => [0xfd, 0x1d, lane],
};

export interface WasmFunction {
  readonly name: string;
  readonly params: readonly number[];
  readonly results: readonly number[];
  /** Locals after the parameters: [count, type] runs. */
  readonly locals: readonly (readonly [number, number])[];
  /** The instructions, without the final `end`. */
  readonly body: readonly number[];
}

/** A module of exported functions over one memory it imports as env.memory. */
function moduleBytes(functions: readonly WasmFunction[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]);
  const bodies = functions.map((f) => {
    const body = [...vec(f.locals.map(([n, t]) => [...uleb(n), t])), ...f.body, ...op.end()];
    return [...uleb(body.length), ...body];
  });
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // "\0asm", version 1
    ...section(1, vec(types)),
    ...section(2, vec([[...str('env'), ...str('memory'), 0x02, 0x00, ...uleb(1)]])), // imported memory, >= 1 page
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(7, vec(functions.map((f, i) => [...str(f.name), 0x00, ...uleb(i)]))),
    ...section(10, vec(bodies)),
  ]);
}

/** Compiled modules by key (a process sees a handful of design shapes). */
const compiled = new Map<string, WebAssembly.Module>();

/** Instantiates the module `functions()` assembles (compiled once per key) over `memory`; returns its exports. */
export function instantiate(key: string, functions: () => readonly WasmFunction[], memory: WebAssembly.Memory): WebAssembly.Exports {
  let module = compiled.get(key);
  if (module === undefined) {
    module = new WebAssembly.Module(moduleBytes(functions()));
    compiled.set(key, module);
  }
  return new WebAssembly.Instance(module, { env: { memory } }).exports;
}
