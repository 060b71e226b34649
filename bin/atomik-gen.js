#!/usr/bin/env node
// Entry point of the `atomik-gen` command: runs the compiled CLI (npm install builds it; `npm run build` rebuilds).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write('atomik-gen: error: not built yet (run: npm run build, or npm run setup)\n');
  process.exit(1);
}
const { main } = await import(cli.href);
process.exitCode = await main();
