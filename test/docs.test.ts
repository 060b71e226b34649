// The README must match the code it documents: the design flags, the boards, the stages and the tool overrides.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BOARDS } from '../boards/index.js';
import { AXIL_REGISTERS, axilMarkdownTable } from '../generator/protocol/axil-map.js';
import { DEFAULTS, DESIGN_FLAGS, HOSTS, LIMITS } from '../generator/design/design.js';
import { STAGES, stageTimeoutTable } from '../generator/plan/plan.js';
import { OPCODES } from '../generator/protocol/uart.js';
import { TOOLS } from '../generator/tools/tools.js';
import { packageRoot } from '../generator/common/version.js';

const readme = readFileSync(join(packageRoot(), 'README.md'), 'utf8');

describe('README matches the code', () => {
  it('documents every design flag with its field, and the defaults', () => {
    for (const [flag, spec] of Object.entries(DESIGN_FLAGS)) {
      expect(readme).toMatch(new RegExp(`\\| \`${spec.field.replace('.', '\\.')}\` \\| \`--${flag}\` \\|`));
    }
    expect(readme).toContain(`| \`${DEFAULTS.board}\` |`);
    expect(readme).toContain(`whole number ${LIMITS.width.min}..${LIMITS.width.max}`);
    expect(readme).toContain(`up to ${LIMITS.banks.max}`);
  });

  it('lists every board with its part', () => {
    for (const b of BOARDS) expect(readme).toMatch(new RegExp(`\\| \`${b.id}\` \\| .*${b.part.replace(/[/]/g, '\\/')}`));
  });

  it('lists every opcode of the host protocol, with its payload', () => {
    for (const op of OPCODES) expect(readme).toMatch(new RegExp(`\\| \`${op.letter}\` \\| ${op.payload ? '(value|delta)' : '-'} \\|`));
  });

  it('lists every host in the design-fields table', () => {
    const row = readme.split('\n').find((l) => l.startsWith('| `host` |'));
    for (const h of HOSTS) expect(row).toContain(`\`${h}\``);
  });

  it('holds the AXI4-Lite register map exactly as generator/protocol/axil-map.ts renders it', () => {
    expect(readme).toContain(axilMarkdownTable());
    for (const r of AXIL_REGISTERS) expect(readme).toMatch(new RegExp(`\\| 0x${r.offset.toString(16).toUpperCase().padStart(2, '0')}( \\+ 4k)? \\| \`${r.name}k?\` \\| ${r.access} \\|`));
  });

  it('holds the default stage time limits exactly as generator/plan/plan.ts computes them', () => {
    expect(readme).toContain(`<!-- stage-timeouts:start -->\n${stageTimeoutTable()}\n<!-- stage-timeouts:end -->`);
  });

  it('names every stage and every tool override variable', () => {
    for (const s of STAGES) expect(readme).toContain(`\`${s}\``);
    for (const t of Object.values(TOOLS)) expect(readme).toContain(t.envVar);
  });
});
