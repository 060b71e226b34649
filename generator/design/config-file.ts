// Reads `atomik.config.ts` without running it: ts-morph parses the file, the default export's object literal is read
// value by value, and every error points at file:line:column. Only literal values are allowed, so a config file is
// plain data that any tool can read and check. A board file of the user's project (board-file.ts) is read by the same
// machinery (readLiteralFile), with arrays allowed.
import { readFileSync, existsSync } from 'node:fs';
import { Node, Project, SyntaxKind, ts, type Expression, type ObjectLiteralExpression, type PropertyAssignment } from 'ts-morph';
import { BOARD_OPTIONS, DESIGN_FIELDS, RESERVED_KEYS, type Locate } from './design.js';
import { AtomikError } from '../common/errors.js';
import { shownPath } from '../common/shown.js';

export interface ConfigFile {
  readonly path: string;
  /** The design fields as written. */
  readonly values: Record<string, unknown>;
  /** file:line:column of a field path, or of the whole object when the path is not in the file. */
  readonly locate: Locate;
}

/** A file read by readLiteralFile: the default export's values as written, and where each one is. */
export type LiteralFile = ConfigFile;

export const DEFAULT_CONFIG_NAME = 'atomik.config.ts';

/** The keys an object at a path may hold (`''` is the top level), for the message when a reserved key is met there. */
export type KnownKeys = Readonly<Record<string, { readonly what: string; readonly keys: readonly string[] }>>;

export interface ReadConfigOptions {
  /** More known keys by path (the CLI adds the tool ids under `tools`); the design fields and board options are built in. */
  readonly known?: KnownKeys;
}

const BUILT_IN_KEYS: KnownKeys = {
  '': { what: 'design field', keys: DESIGN_FIELDS },
  boardOptions: { what: 'board option', keys: BOARD_OPTIONS },
};

/** What kind of file readLiteralFile reads, for its messages. */
export interface LiteralFileKind {
  /** `config file`, `board file`: in messages. */
  readonly what: string;
  /** The identity function the default export may be wrapped in (`defineDesign`, `defineBoard`). */
  readonly define: string;
  /** How the default export is written, for the message when there is none. */
  readonly example: string;
  /** What to do about a path that names no readable file (`check the --config path`). */
  readonly pathHint: string;
  /** What to do about a folder given as the file. */
  readonly folderHint: string;
  /** The keys an object at a path may hold, for the message when a reserved key is met there. */
  readonly known: KnownKeys;
  /** Array literals (`[1, 2]`) as values: a board file's LEDs and programmer arguments; a config file has none. */
  readonly arrays?: boolean;
}

/** Why a file cannot be read, in plain words and what to do, by Node's error code. */
function readFailure(code: string, kind: LiteralFileKind): readonly [string, string] | undefined {
  switch (code) {
    case 'EISDIR':
      return [`is a folder, not a ${kind.what}`, kind.folderHint];
    case 'EACCES':
      return [`permission denied reading the ${kind.what}`, 'make it readable (chmod u+r) or run as its owner'];
    case 'EPERM':
      return [`not permitted to read the ${kind.what}`, 'check its permissions'];
    case 'ENOTDIR':
      return ['a part of the path is a file, not a folder', kind.pathHint];
    case 'ENOENT':
      return [`${kind.what} not found`, kind.pathHint];
    case 'ELOOP':
      return ['too many symbolic links in the path', kind.pathHint];
    case 'ENAMETOOLONG':
      return ['the path is too long', kind.pathHint];
  }
  return undefined;
}

function readText(path: string, shown: string, kind: LiteralFileKind): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const known = code === undefined ? undefined : readFailure(code, kind);
    if (known) throw new AtomikError(known[0], { where: shown, hint: known[1], cause: err });
    throw new AtomikError(`cannot read the ${kind.what} (${code ?? (err as Error).message})`, { where: shown, hint: kind.pathHint, cause: err });
  }
}

const CONFIG_KIND: Omit<LiteralFileKind, 'known'> = {
  what: 'config file',
  define: 'defineDesign',
  example: 'export default defineDesign({ board: "tang9k", banks: 16 })',
  pathHint: 'check the --config path',
  folderHint: 'give --config the path of an atomik.config.ts file',
};

export function readConfigFile(path: string, options: ReadConfigOptions = {}): ConfigFile {
  return readLiteralFile(path, { ...CONFIG_KIND, known: { ...BUILT_IN_KEYS, ...options.known } });
}

/**
 * Reads the default export of a TypeScript file without running it: `export default <define>({ ... })` or an object
 * literal, literal values only. Every error is an AtomikError at the file's line and column.
 */
export function readLiteralFile(path: string, kind: LiteralFileKind): LiteralFile {
  const shown = shownPath(path);
  if (!existsSync(path)) {
    throw new AtomikError(`${kind.what} not found`, { where: shown, hint: kind.pathHint });
  }
  const text = readText(path, shown, kind);
  const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { allowJs: true } });
  const file = project.createSourceFile('/config.ts', text);
  const at = (pos: number) => {
    const { line, column } = file.getLineAndColumnAtPos(pos);
    return `${shown}:${line}:${column}`;
  };

  const syntax = project.getProgram().compilerObject.getSyntacticDiagnostics(file.compilerNode);
  const first = syntax[0];
  if (first) {
    throw new AtomikError(`syntax error: ${ts.flattenDiagnosticMessageText(first.messageText, ' ')}`, {
      where: at(first.start ?? 0),
      hint: `fix the ${kind.what}`,
    });
  }

  const exported = file.getExportAssignment((e) => !e.isExportEquals());
  if (!exported) {
    throw new AtomikError('no default export', {
      where: `${shown}:1:1`,
      hint: `write \`${kind.example}\``,
    });
  }
  const object = defaultObject(exported.getExpression(), at, kind);
  const positions = new Map<string, number>();
  const values = readObject(object, [], { positions, at, kind });
  const locate: Locate = (path) => {
    for (let n = path.length; n > 0; n--) {
      const pos = positions.get(path.slice(0, n).map(String).join('.'));
      if (pos !== undefined) return at(pos);
    }
    return at(object.getStart());
  };
  return { path, values, locate };
}

/** The object literal of `export default defineDesign({...})` or `export default {...}` (with `satisfies`/`as`). */
function defaultObject(expr: Expression, at: (pos: number) => string, kind: LiteralFileKind): ObjectLiteralExpression {
  let e: Node = expr;
  for (;;) {
    if (Node.isSatisfiesExpression(e) || Node.isAsExpression(e) || Node.isParenthesizedExpression(e)) {
      e = e.getExpression();
    } else if (Node.isCallExpression(e) && e.getExpression().getText() === kind.define && e.getArguments().length === 1) {
      e = e.getArguments()[0]!;
    } else break;
  }
  if (!Node.isObjectLiteralExpression(e)) {
    throw new AtomikError(`the default export must be ${kind.define}({ ... }) or an object literal`, {
      where: at(e.getStart()),
    });
  }
  return e;
}

interface ReadContext {
  readonly positions: Map<string, number>;
  readonly at: (pos: number) => string;
  readonly kind: LiteralFileKind;
}

/** A value's path as the file writes it: `uart.rx.pin`, `leds[2].io`. */
function pathText(path: readonly string[]): string {
  return path.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : `${i === 0 ? '' : '.'}${p}`)).join('');
}

/** The key of `field: value` as JavaScript reads it: identifiers unescaped, string and number literals by value. */
function keyOf(prop: PropertyAssignment, ctx: ReadContext): string {
  const nameNode = prop.getNameNode();
  if (Node.isStringLiteral(nameNode) || Node.isNoSubstitutionTemplateLiteral(nameNode)) return nameNode.getLiteralValue();
  if (Node.isNumericLiteral(nameNode)) return String(nameNode.getLiteralValue());
  if (Node.isIdentifier(nameNode)) return nameNode.compilerNode.text; // `\u0061` in an identifier is the letter a
  throw new AtomikError(`a key must be a plain name or a string, got \`${nameNode.getText()}\``, {
    where: ctx.at(nameNode.getStart()),
    hint: `the ${ctx.kind.what} is read, not run: no computed keys`,
  });
}

function readObject(object: ObjectLiteralExpression, path: string[], ctx: ReadContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const prop of object.getProperties()) {
    if (!Node.isPropertyAssignment(prop)) {
      throw new AtomikError('only `field: value` entries are allowed here (no spreads, shorthand or methods)', {
        where: ctx.at(prop.getStart()),
      });
    }
    const key = keyOf(prop, ctx);
    if (RESERVED_KEYS.includes(key)) {
      // `__proto__: {...}` would set the object's prototype, and `constructor`/`prototype` name built-in machinery
      const known = ctx.kind.known[path.join('.')];
      throw new AtomikError(`unknown ${known?.what ?? 'field'} "${key}": a built-in JavaScript name, not allowed as a key`, {
        where: ctx.at(prop.getNameNode().getStart()),
        hint: known ? `${known.what}s: ${known.keys.join(', ')}` : 'remove it',
      });
    }
    if (Object.hasOwn(out, key)) {
      throw new AtomikError(`"${pathText([...path, key])}" is given twice`, { where: ctx.at(prop.getNameNode().getStart()), hint: 'keep one' });
    }
    const here = [...path, key];
    ctx.positions.set(here.join('.'), prop.getInitializerOrThrow().getStart());
    // defined, not assigned: no key can reach a setter (such as __proto__'s) on the way in
    Object.defineProperty(out, key, { value: readValue(prop.getInitializerOrThrow(), here, ctx), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function readValue(e: Expression, path: string[], ctx: ReadContext): unknown {
  switch (e.getKind()) {
    case SyntaxKind.StringLiteral:
    case SyntaxKind.NoSubstitutionTemplateLiteral:
      return e.asKindOrThrow(e.getKind() as SyntaxKind.StringLiteral).getLiteralValue();
    case SyntaxKind.NumericLiteral:
      return e.asKindOrThrow(SyntaxKind.NumericLiteral).getLiteralValue();
    case SyntaxKind.TrueKeyword:
      return true;
    case SyntaxKind.FalseKeyword:
      return false;
    case SyntaxKind.PrefixUnaryExpression: {
      const u = e.asKindOrThrow(SyntaxKind.PrefixUnaryExpression);
      const operand = u.getOperand();
      if (u.getOperatorToken() === SyntaxKind.MinusToken && Node.isNumericLiteral(operand)) return -operand.getLiteralValue();
      break;
    }
    case SyntaxKind.BinaryExpression: {
      // a long string split over lines: 'one ' + 'two', literals only
      const b = e.asKindOrThrow(SyntaxKind.BinaryExpression);
      if (b.getOperatorToken().getKind() !== SyntaxKind.PlusToken) break;
      const [left, right] = [readValue(b.getLeft(), path, ctx), readValue(b.getRight(), path, ctx)];
      if (typeof left === 'string' && typeof right === 'string') return left + right;
      break;
    }
    case SyntaxKind.ObjectLiteralExpression:
      return readObject(e.asKindOrThrow(SyntaxKind.ObjectLiteralExpression), path, ctx);
    case SyntaxKind.ArrayLiteralExpression: {
      if (!ctx.kind.arrays) break;
      return e
        .asKindOrThrow(SyntaxKind.ArrayLiteralExpression)
        .getElements()
        .map((element, i) => {
          const here = [...path, String(i)];
          ctx.positions.set(here.join('.'), element.getStart());
          if (Node.isSpreadElement(element) || Node.isOmittedExpression(element)) {
            throw new AtomikError(`${pathText(here)}: only values are allowed in a list (no spreads or holes)`, { where: ctx.at(element.getStart()) });
          }
          return readValue(element, here, ctx);
        });
    }
    case SyntaxKind.AsExpression:
    case SyntaxKind.SatisfiesExpression:
    case SyntaxKind.ParenthesizedExpression:
      return readValue((e as unknown as { getExpression(): Expression }).getExpression(), path, ctx);
  }
  const literals = ctx.kind.arrays ? 'a number, a string, true/false, [ ... ] or { ... }' : 'a number, a string, true/false or { ... }';
  throw new AtomikError(`${pathText(path)} must be a literal value (${literals}), got \`${e.getText()}\``, {
    where: ctx.at(e.getStart()),
    hint: `the ${ctx.kind.what} is read, not run`,
  });
}
