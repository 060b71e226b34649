import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readConfigFile } from './config-file.js';
import { resolveDesign } from './design.js';
import { AtomikError } from '../common/errors.js';

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
});
