import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { readConfigFile } from './config-file.js';
import { resolveDesign } from './design.js';
import { AtomikError } from '../common/errors.js';

// readFileSync fails as the file system says for paths named so (root reads any file, so EACCES cannot be made real)
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const failing = (path: unknown): string | undefined => /(EACCES|EPERM|EIO)\.config\.ts$/.exec(String(path))?.[1];
  return {
    ...fs,
    readFileSync: ((path: unknown, ...rest: unknown[]) => {
      const code = failing(path);
      if (code) throw Object.assign(new Error(`${code}: failed, open '${String(path)}'`), { code, path: String(path), syscall: 'open' });
      return (fs.readFileSync as (...a: unknown[]) => unknown)(path, ...rest);
    }) as typeof fs.readFileSync,
  };
});

function configFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'atomik-config-'));
  const path = join(dir, 'atomik.config.ts');
  writeFileSync(path, text);
  return path;
}

function failure(fn: () => unknown): AtomikError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AtomikError) return err;
    throw err;
  }
  throw new Error('expected an error');
}

describe('atomik.config.ts, read without running it', () => {
  it('reads defineDesign({...}) with nested board options', () => {
    const path = configFile(`import { defineDesign } from 'atomik-gen';
export default defineDesign({
  board: 'tang9k',
  banks: 8,
  width: 32,
  mode: "parallel",
  pipeline: 'auto',
  boardOptions: { resetButton: 'S2' },
});
`);
    const config = readConfigFile(path);
    expect(config.values).toEqual({ board: 'tang9k', banks: 8, width: 32, mode: 'parallel', pipeline: 'auto', boardOptions: { resetButton: 'S2' } });
    expect(resolveDesign(config.values, config.locate)).toMatchObject({ banks: 8, width: 32, resetButton: 'S2' });
  });

  it('points a syntax error at file:line:column', () => {
    const path = configFile(`export default defineDesign({\n  banks: 16,\n  width: 64\n  mode: 'parallel',\n});\n`);
    const err = failure(() => readConfigFile(path));
    expect(err.where).toMatch(/atomik\.config\.ts:4:3$/);
    expect(err.message).toMatch(/syntax error: ',' expected/);
  });

  it('points a wrong field value at its position', () => {
    const path = configFile(`export default {\n  board: 'tang9k',\n  banks: 0,\n};\n`);
    const config = readConfigFile(path);
    const err = failure(() => resolveDesign(config.values, config.locate));
    expect(err.where).toMatch(/atomik\.config\.ts:3:10$/);
    expect(err.message).toMatch(/banks must be a whole number/);
  });

  it('points an unknown field at its position and lists the known ones', () => {
    const path = configFile(`export default defineDesign({ board: 'tang9k', bankz: 4 });\n`);
    const config = readConfigFile(path);
    const err = failure(() => resolveDesign(config.values, config.locate));
    expect(err.where).toMatch(/:1:55$/);
    expect(err.hint).toMatch(/known fields: .*banks/);
  });

  it('refuses values it would have to run, and a file with no default export', () => {
    const computed = failure(() => readConfigFile(configFile(`const n = 4;\nexport default { banks: n * 2 };\n`)));
    expect(computed.message).toMatch(/banks must be a literal value/);
    expect(computed.where).toMatch(/:2:25$/);
    expect(failure(() => readConfigFile(configFile(`export const banks = 4;\n`))).message).toBe('no default export');
    expect(failure(() => readConfigFile('/nonexistent/atomik.config.ts')).message).toBe('config file not found');
  });

  // `__proto__: {...}` would give the object a prototype (tools: { __proto__: { yosys: '/evil' } } would then pass every
  // own-key check and still run /evil); `constructor` and `prototype` name built-in machinery. None is ever a key here.
  it.each([
    ['tools: { constructor: "x" }', 'unknown tool "constructor"', 'tools: verilator, iverilog'],
    ['tools: { __proto__: { yosys: "/evil" } }', 'unknown tool "__proto__"', 'tools: verilator'],
    ['tools: { "__proto__": { yosys: "/evil" } }', 'unknown tool "__proto__"', 'tools: verilator'],
    ["'__proto__': { banks: 4 }", 'unknown design field "__proto__"', 'design fields: board, banks'],
    ['constructor: 1', 'unknown design field "constructor"', 'design fields: board'],
    ['prototype: {}', 'unknown design field "prototype"', 'design fields: board'],
    ['__pro\\u0074o__: {}', 'unknown design field "__proto__"', 'design fields: board'],
    ['boardOptions: { prototype: "S1" }', 'unknown board option "prototype"', 'board options: resetButton'],
    ['boardOptions: { x: { constructor: 1 } }', 'unknown field "constructor"', 'remove it'],
  ])('refuses the key in `%s` at its file:line:column', (entry, message, hint) => {
    const path = configFile(`export default defineDesign({\n  board: 'tang9k',\n  ${entry},\n});\n`);
    const err = failure(() => readConfigFile(path, { known: { tools: { what: 'tool', keys: ['verilator', 'iverilog', 'yosys'] } } }));
    expect(err.message).toBe(`${message}: a built-in JavaScript name, not allowed as a key`);
    expect(err.where).toMatch(/atomik\.config\.ts:3:\d+$/);
    expect(err.hint).toContain(hint);
  });

  it('builds objects that no key can give a prototype, refuses a key given twice and computed keys', () => {
    const config = readConfigFile(configFile(`export default { boardOptions: { resetButton: 'S2' }, tools: { yosys: '/y' } };\n`));
    for (const o of [config.values, config.values.boardOptions, config.values.tools]) expect(Object.getPrototypeOf(o)).toBe(Object.prototype);
    expect(Object.keys(config.values)).toEqual(['boardOptions', 'tools']);
    const twice = failure(() => readConfigFile(configFile(`export default { banks: 4,\n  banks: 8 };\n`)));
    expect(twice.message).toBe('"banks" is given twice');
    expect(twice.where).toMatch(/:2:3$/);
    const computed = failure(() => readConfigFile(configFile(`export default { ['__proto__']: {} };\n`)));
    expect(computed.message).toMatch(/a key must be a plain name or a string/);
    expect(computed.where).toMatch(/:1:18$/);
  });

  it('says in one line that a folder, or an unreadable file, is no config file, naming the path', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomik-config-'));
    const folder = join(dir, 'atomik.config.ts');
    mkdirSync(folder);
    const isDir = failure(() => readConfigFile(folder));
    expect(isDir.oneLine()).toMatch(/atomik\.config\.ts: is a folder, not a config file \(give --config the path of an atomik\.config\.ts file\)$/);
    for (const [code, message] of [['EACCES', 'permission denied reading the config file'], ['EPERM', 'not permitted to read the config file'], ['EIO', 'cannot read the config file (EIO)']]) {
      const path = join(dir, `${code}.config.ts`);
      writeFileSync(path, 'export default {};\n');
      const err = failure(() => readConfigFile(path));
      expect(err.message).toBe(message);
      expect(err.where).toMatch(new RegExp(`${code}\\.config\\.ts$`));
      expect(err.oneLine()).not.toContain('\n');
    }
  });

  it.skipIf(process.getuid?.() === 0)('refuses a config file it may not read (real permissions; not as root)', () => {
    const path = configFile('export default {};\n');
    chmodSync(path, 0o000);
    expect(failure(() => readConfigFile(path)).message).toBe('permission denied reading the config file');
  });
});
