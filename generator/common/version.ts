import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding atomik-gen's package.json (works from generator/*.ts and from dist/generator/*.js). */
let cachedRoot: string | undefined;

export function packageRoot(): string {
  cachedRoot ??= findPackageRoot();
  return cachedRoot;
}

function findPackageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string };
      if (pkg.name === 'atomik-gen') return dir;
    } catch {
      // not here: keep walking up
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('atomik-gen: cannot find its own package.json');
    dir = up;
  }
}

export const GENERATOR_VERSION: string = (
  JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }
).version;
