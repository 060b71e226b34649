// The npm package: its licence and metadata, the files it ships, typings that compile in a plain strict project with
// skipLibCheck off and no @types/node, and exports that are exactly the ones README.md's "Package API" lists.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../generator/common/version.js';

const ROOT = packageRoot();
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  license: string;
  repository: unknown;
  homepage: string;
  bugs: unknown;
  files: string[];
  types: string;
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
};

describe('package metadata', () => {
  it('is MIT licensed, with the licence text in LICENSE', () => {
    expect(pkg.license).toBe('MIT');
    const license = readFileSync(join(ROOT, 'LICENSE'), 'utf8');
    expect(license).toMatch(/^MIT License\n\nCopyright \(c\) 2026 atomik-gen contributors\n/);
    expect(license).toContain('THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND');
  });

  it('names its repository, home page and issue tracker', () => {
    expect(pkg.repository).toEqual({ type: 'git', url: 'git+https://github.com/atomik-gen/atomik-gen.git' });
    expect(pkg.homepage).toBe('https://github.com/atomik-gen/atomik-gen#readme');
    expect(pkg.bugs).toEqual({ url: 'https://github.com/atomik-gen/atomik-gen/issues' });
  });

  it('ships LICENSE, README.md and docs/, and every entry of "files" exists', () => {
    for (const f of ['LICENSE', 'README.md', 'docs', 'dist', 'bin', 'templates']) expect(pkg.files).toContain(f);
    for (const f of pkg.files) expect(existsSync(join(ROOT, f)), f).toBe(true);
  });

  it('packs a fresh build: prepack empties dist/ first, so no file of an older build ships', () => {
    expect(pkg.scripts.prepack).toMatch(/rmSync\('dist'.*&& tsc -p tsconfig\.json$/);
  });
});

/** The names index.ts exports: values (from the module itself) and types (from its `export type { ... }` lines). */
async function exportedNames(): Promise<{ values: string[]; types: string[] }> {
  const values = Object.keys(await import('../index.js')).sort();
  const source = readFileSync(join(ROOT, 'index.ts'), 'utf8');
  const types = [...source.matchAll(/^export type \{([^}]*)\}/gm)]
    .flatMap((m) => m[1]!.split(','))
    .map((s) => s.trim().split(/\s+as\s+/).at(-1)!)
    .filter((s) => s !== '')
    .sort();
  return { values, types };
}

describe('the package API', () => {
  it('exports exactly what README.md "Package API" lists', async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = readme.split(/^## /m).find((s) => s.startsWith('Package API\n'));
    expect(section, 'README.md has a "## Package API" section').toBeDefined();
    const firstColumns = [...section!.matchAll(/^\| (.*?) \| .* \|$/gm)].map((m) => m[1]!).filter((c) => c !== 'exports' && !c.startsWith('---'));
    const listed = firstColumns.flatMap((c) => [...c.matchAll(/`(\w+)`/g)].map((m) => m[1]!)).sort();
    const { values, types } = await exportedNames();
    expect(listed).toEqual([...values, ...types].sort());
  });

  it('exports the host driver, the golden models and the simulations a user drives from code', async () => {
    const { values, types } = await exportedNames();
    for (const name of ['AtomikDevice', 'AtomikContext', 'CoreModel', 'HostModel', 'AxilModel', 'crossCheck', 'startUartPtySim', 'UartPtySim', 'defineDesign']) {
      expect(values).toContain(name);
    }
    for (const name of ['DesignInput', 'BoardId', 'DeviceOptions', 'CrossCheckOptions', 'UartPtyBuildOptions']) expect(types).toContain(name);
  });
});

describe('the typings', () => {
  /**
   * A plain project whose node_modules/atomik-gen is this package (a symlink, as `npm link` makes), compiled with the
   * repository's TypeScript: strict, skipLibCheck off, and no ambient type packages, so a declaration that needs
   * @types/node fails. Every export is used, so every declaration file they reach is checked.
   */
  it('compile in a strict project with skipLibCheck false and without @types/node', async () => {
    expect(existsSync(join(ROOT, 'dist', 'index.d.ts')), 'run npm run build first').toBe(true);
    expect(Object.keys(pkg.dependencies)).not.toContain('@types/node');
    const dir = mkdtempSync(join(tmpdir(), 'atomik-typings-'));
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(ROOT, join(dir, 'node_modules', 'atomik-gen'), 'dir');
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'plain', private: true, type: 'module' }));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, skipLibCheck: false, noEmit: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', types: [] },
        include: ['main.ts'],
      }),
    );
    const { values, types } = await exportedNames();
    writeFileSync(
      join(dir, 'main.ts'),
      [
        `import * as atomik from 'atomik-gen';`,
        `import type { ${types.join(', ')} } from 'atomik-gen';`,
        `export const used = [${values.map((v) => `atomik.${v}`).join(', ')}];`,
        `export type Used = [${types.join(', ')}];`,
        `const input: DesignInput = atomik.defineDesign({ board: 'tang9k', banks: 16 });`,
        `export const board: BoardId | BoardFilePath | undefined = input.board;`,
        `export const mine: Board<'mine'> = atomik.defineBoard({ ...atomik.BOARDS[0], id: 'mine' });`,
      ].join('\n'),
    );
    const r = await execa('node', [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.', '--listFiles'], { cwd: dir, reject: false });
    const errors = r.stdout.split('\n').filter((l) => / error TS\d+:/.test(l));
    expect(errors).toEqual([]);
    expect(r.exitCode).toBe(0);
    const listed = r.stdout.split('\n');
    expect(listed.filter((f) => f.includes('/@types/node/'))).toEqual([]);
    expect(listed.some((f) => f.endsWith('/dist/index.d.ts'))).toBe(true);
  }, 60_000);
});
