// Reads `atomik.config.ts` without running it: ts-morph parses the file, the default export's object literal is read
// value by value, and every error points at file:line:column. Only literal values are allowed, so a config file is
// plain data that any tool can read and check.
import { readFileSync, existsSync } from 'node:fs';
import { relative } from 'node:path';
import { Node, Project, SyntaxKind, ts, type Expression, type ObjectLiteralExpression } from 'ts-morph';
import type { Locate } from './design.js';
import { AtomikError } from '../common/errors.js';

export interface ConfigFile {
  readonly path: string;
  /** The design fields as written. */
  readonly values: Record<string, unknown>;
  /** file:line:column of a field path, or of the whole object when the path is not in the file. */
  readonly locate: Locate;
}

export const DEFAULT_CONFIG_NAME = 'atomik.config.ts';

export function readConfigFile(path: string): ConfigFile {
  const shown = relative(process.cwd(), path) || path;
  if (!existsSync(path)) {
    throw new AtomikError(`config file not found`, { where: shown, hint: 'check the --config path' });
  }
  const text = readFileSync(path, 'utf8');
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
      hint: 'fix the config file',
    });
  }

  const exported = file.getExportAssignment((e) => !e.isExportEquals());
  if (!exported) {
    throw new AtomikError('no default export', {
      where: `${shown}:1:1`,
      hint: 'write `export default defineDesign({ board: "tang9k", banks: 16 })`',
    });
  }
  const object = designObject(exported.getExpression(), at);
  const positions = new Map<string, number>();
  const values = readObject(object, [], positions, at);
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
function designObject(expr: Expression, at: (pos: number) => string): ObjectLiteralExpression {
  let e: Node = expr;
  for (;;) {
    if (Node.isSatisfiesExpression(e) || Node.isAsExpression(e) || Node.isParenthesizedExpression(e)) {
      e = e.getExpression();
    } else if (Node.isCallExpression(e) && e.getExpression().getText() === 'defineDesign' && e.getArguments().length === 1) {
      e = e.getArguments()[0]!;
    } else break;
  }
  if (!Node.isObjectLiteralExpression(e)) {
    throw new AtomikError('the default export must be defineDesign({ ... }) or an object literal', {
      where: at(e.getStart()),
    });
  }
  return e;
}

function readObject(
  object: ObjectLiteralExpression,
  path: string[],
  positions: Map<string, number>,
  at: (pos: number) => string,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const prop of object.getProperties()) {
    if (!Node.isPropertyAssignment(prop)) {
      throw new AtomikError('only `field: value` entries are allowed here (no spreads, shorthand or methods)', {
        where: at(prop.getStart()),
      });
    }
    const nameNode = prop.getNameNode();
    const key = Node.isStringLiteral(nameNode) ? nameNode.getLiteralValue() : nameNode.getText();
    const here = [...path, key];
    positions.set(here.join('.'), prop.getInitializerOrThrow().getStart());
    out[key] = readValue(prop.getInitializerOrThrow(), here, positions, at);
  }
  return out;
}

function readValue(e: Expression, path: string[], positions: Map<string, number>, at: (pos: number) => string): unknown {
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
    case SyntaxKind.ObjectLiteralExpression:
      return readObject(e.asKindOrThrow(SyntaxKind.ObjectLiteralExpression), path, positions, at);
    case SyntaxKind.AsExpression:
    case SyntaxKind.SatisfiesExpression:
    case SyntaxKind.ParenthesizedExpression:
      return readValue((e as unknown as { getExpression(): Expression }).getExpression(), path, positions, at);
  }
  throw new AtomikError(`${path.join('.')} must be a literal value (a number, a string, true/false or { ... }), got \`${e.getText()}\``, {
    where: at(e.getStart()),
    hint: 'the config file is read, not run',
  });
}
