// The import direction of the code base: dependency-cruiser checks the rules of .dependency-cruiser.cjs
// (no import cycles; each folder imports only its own folder and the folders below it in the order).
import Module, { createRequire, register } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../generator/common/version.js';

const root = packageRoot();
/** What is cruised: the TypeScript sources and their tests. */
const SCOPE = ['index.ts', 'boards', 'generator', 'sim', 'verify', 'host', 'cli', 'bench', 'test'];
const EXCLUDED = /(^|\/)(node_modules|dist|out)\//;

/**
 * dependency-cruiser 18 parses TypeScript with the compiler API of TypeScript 2 to 6, which the native
 * `typescript` 7 package does not ship; without one it quietly skips the .ts files. Until it reads TypeScript 7,
 * hand it the TypeScript 6 that ts-morph bundles, for the imports dependency-cruiser makes and for nothing else.
 */
function lendTypeScript6(): void {
  const require = createRequire(join(root, 'package.json'));
  const { version } = require('typescript/package.json') as { version: string };
  if (Number(version.split('.')[0]) < 7) return;
  const ts6 = join(dirname(createRequire(require.resolve('ts-morph')).resolve('@ts-morph/common')), 'typescript.js');
  const inCruiser = '/node_modules/dependency-cruiser/';
  // require(): its version check reads `typescript/package.json`, which the compiler module answers too (it has `version`).
  const cjs = Module as unknown as { _resolveFilename: (request: string, parent?: { filename?: string }, ...rest: unknown[]) => string };
  const resolveFilename = cjs._resolveFilename;
  cjs._resolveFilename = function (request, parent, ...rest) {
    const wanted = request === 'typescript' || request === 'typescript/package.json';
    if (wanted && parent?.filename?.replaceAll('\\', '/').includes(inCruiser)) return ts6;
    return resolveFilename.call(this, request, parent, ...rest);
  };
  // import(): a resolve hook.
  const hook = `export async function resolve(specifier, context, next) {
    if (specifier === 'typescript' && context.parentURL?.includes(${JSON.stringify(inCruiser)})) return { url: ${JSON.stringify(pathToFileURL(ts6).href)}, shortCircuit: true };
    return next(specifier, context);
  }`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
}

type Cruiser = Pick<typeof import('dependency-cruiser'), 'cruise'> & {
  readOptions: typeof import('dependency-cruiser/config-utl/extract-depcruise-options').default;
  readTsConfig: typeof import('dependency-cruiser/config-utl/extract-ts-config').default;
};
let cruiser: Promise<Cruiser> | undefined;

function loadCruiser(): Promise<Cruiser> {
  cruiser ??= (async () => {
    lendTypeScript6();
    const { cruise, getAvailableTranspilers } = await import('dependency-cruiser');
    const typescript = getAvailableTranspilers().find((t) => t.name === 'typescript');
    if (!typescript?.available) throw new Error(`dependency-cruiser has no TypeScript compiler API: ${JSON.stringify(typescript)}`);
    const { default: readOptions } = await import('dependency-cruiser/config-utl/extract-depcruise-options');
    const { default: readTsConfig } = await import('dependency-cruiser/config-utl/extract-ts-config');
    return { cruise, readOptions, readTsConfig };
  })();
  return cruiser;
}

/** Cruises the scope under baseDir with the rules of .dependency-cruiser.cjs; the violations as `from -> to (rule)`. */
async function cruiseTree(baseDir: string): Promise<{ sources: string[]; violations: string[] }> {
  const { cruise, readOptions, readTsConfig } = await loadCruiser();
  // tsConfig.fileName is read relative to the working folder, so it is made absolute.
  const tsconfig = join(baseDir, 'tsconfig.test.json');
  const { output } = await cruise(
    SCOPE.filter((p) => existsSync(join(baseDir, p))),
    { ...(await readOptions(join(root, '.dependency-cruiser.cjs'))), baseDir, tsConfig: { fileName: tsconfig } },
    {},
    { tsConfig: readTsConfig(tsconfig) },
  );
  if (typeof output === 'string') throw new Error(`dependency-cruiser gave text, not a result: ${output}`);
  return {
    sources: output.modules.map((m) => m.source),
    violations: [...new Set(output.summary.violations.map((v) => `${v.from} -> ${v.to} (${v.rule.name})`))].sort(),
  };
}

/** The .ts files in scope on disk. */
function tsFiles(baseDir: string): string[] {
  return SCOPE.flatMap((p) =>
    p.endsWith('.ts') ? [p] : readdirSync(join(baseDir, p), { recursive: true, encoding: 'utf8' }).map((f) => `${p}/${f.replaceAll('\\', '/')}`),
  ).filter((f) => f.endsWith('.ts') && !EXCLUDED.test(f));
}

function writeTree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'atomik-architecture-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe('import direction (.dependency-cruiser.cjs)', () => {
  it('holds in this tree: no import cycles, and every import points down the folder order', async () => {
    const { sources, violations } = await cruiseTree(root);
    expect(tsFiles(root).filter((f) => !sources.includes(f)), '.ts files dependency-cruiser did not read').toEqual([]);
    expect(violations, `${violations.length} import rule violations (from -> to (rule))`).toEqual([]);
  });

  it('reports a type-only cycle and imports upwards, and lets modules import downwards and tests import anything', async () => {
    const dir = writeTree({
      'tsconfig.test.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' }, include: ['**/*.ts'] }),
      'generator/design/a.ts': "import type { B } from './b.js';\nexport interface A { b?: B }\n",
      'generator/design/b.ts': "import type { A } from './a.js';\nexport interface B { a?: A }\n",
      'generator/rtl/rtl.ts': "import type { A } from '../design/a.js';\nexport const rtl = (a: A): string => String(a);\n",
      'generator/protocol/map.ts': "import type { A } from '../design/a.js';\nexport type Map = A;\n",
      'host/device.ts': "import { rtl } from '../generator/rtl/rtl.js';\nexport const device = rtl({});\n",
      'host/device.test.ts': "import { rtl } from '../generator/rtl/rtl.js';\nexport const check = rtl({});\n",
    });
    try {
      expect((await cruiseTree(dir)).violations).toEqual([
        expect.stringMatching(/^generator\/design\/(a\.ts -> generator\/design\/b|b\.ts -> generator\/design\/a)\.ts \(no-circular\)$/),
        'generator/protocol/map.ts -> generator/design/a.ts (order-generator-protocol)',
        'host/device.ts -> generator/rtl/rtl.ts (host-protocol-only)',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
