// The README's "Layout" table names every folder there is, and only folders there are.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../generator/common/version.js';

const root = packageRoot();
/** Folders with their own rows for each subfolder that holds TypeScript. */
const SPLIT = ['generator', 'verify', 'sim'];
const UNLISTED = new Set(['node_modules', 'dist', 'out']);

/** The first column of the table under `## Layout`: `generator/design/`, `index.ts`, ... */
function layoutRows(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Layout\n'));
  if (!section) throw new Error('README.md has no "## Layout" section');
  return [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!);
}

const isDir = (path: string) => existsSync(path) && statSync(path).isDirectory();

function holdsTypeScript(dir: string): boolean {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).some((f) => f.endsWith('.ts'));
}

/** The folders the table must name: top-level folders git tracks, and the TypeScript subfolders of SPLIT. */
function expectedFolders(): string[] {
  const tracked = execFileSync('git', ['ls-files'], { cwd: root, encoding: 'utf8' }).split('\n');
  const top = new Set(tracked.filter((f) => f.includes('/')).map((f) => f.slice(0, f.indexOf('/'))));
  const topLevel = [...top].filter((d) => !d.startsWith('.') && !UNLISTED.has(d) && isDir(join(root, d))).map((d) => `${d}/`);
  const split = SPLIT.flatMap((d) =>
    readdirSync(join(root, d), { withFileTypes: true })
      .filter((e) => e.isDirectory() && holdsTypeScript(join(root, d, e.name)))
      .map((e) => `${d}/${e.name}/`),
  );
  return [...topLevel, ...split];
}

describe('README "Layout" table', () => {
  it('names only folders (and root files) that exist', () => {
    const extra = layoutRows().filter((row) => (row.endsWith('/') ? !isDir(join(root, row)) : !existsSync(join(root, row))));
    expect(extra, 'rows of README.md "## Layout" naming nothing in the repo').toEqual([]);
  });

  it('names every top-level folder, and every subfolder of generator/, verify/ and sim/ that holds TypeScript', () => {
    const rows = new Set(layoutRows());
    const missing = expectedFolders().filter((f) => !rows.has(f));
    expect(missing, 'folders missing from README.md "## Layout"').toEqual([]);
  });
});
