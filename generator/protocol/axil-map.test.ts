// The AXI4-Lite register map (axil-map.ts): its invariants, its ties to the protocol table, and the C header made from
// it, compiled and run with the machine's C compiler when there is one.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AXIL_COMMANDS,
  AXIL_DATA_BITS,
  AXIL_DEFAULT_ADDR_WIDTH,
  AXIL_ID,
  AXIL_MAP_BITS,
  AXIL_REGISTERS,
  INFO_FIELD_BITS,
  INFO_WORDS,
  STATUS_FIELDS,
  VALUE_SLOTS,
  axilWordAt,
  axilWords,
  infoWords,
  valueWordBits,
  valueWords,
} from './axil-map.js';
import { LIMITS, resolveDesign, type DesignInput } from '../design/design.js';
import { buildPlan } from '../plan/plan.js';
import { encodeInfo, INFO_BYTES, INFO_FIELDS, LINE_INFO_FIELDS, opcodeByByte } from './uart.js';

describe('the AXI4-Lite register map', () => {
  it('puts every word at its own aligned offset inside the map, with room for the widest value', () => {
    const widest = axilWords(256);
    expect(new Set(widest.map((w) => w.offset)).size).toBe(widest.length);
    for (const w of widest) {
      expect(w.offset % 4, w.name).toBe(0);
      expect(w.offset, w.name).toBeLessThan(2 ** AXIL_MAP_BITS);
    }
    for (const r of AXIL_REGISTERS.filter((x) => x.block)) {
      const others = AXIL_REGISTERS.filter((x) => x !== r).map((x) => x.offset);
      for (let k = 0; k < VALUE_SLOTS; k++) expect(others, `${r.name}${k}`).not.toContain(r.offset + 4 * k);
    }
    expect(AXIL_DEFAULT_ADDR_WIDTH).toBeGreaterThanOrEqual(AXIL_MAP_BITS);
    expect(VALUE_SLOTS * AXIL_DATA_BITS).toBeGreaterThanOrEqual(LIMITS.width.max);
  });

  it('maps a width to ceil(W/32) words, the top one holding what is left', () => {
    expect([1, 8, 32, 33, 40, 64, 128, 256].map(valueWords)).toEqual([1, 1, 1, 2, 2, 2, 4, 8]);
    expect(valueWordBits(40, 0)).toBe(32);
    expect(valueWordBits(40, 1)).toBe(8);
    expect(valueWordBits(8, 0)).toBe(8);
    expect(axilWords(40).filter((w) => w.register.name === 'DATA').map((w) => w.name)).toEqual(['DATA0', 'DATA1']);
  });

  it('finds a word by address, ignoring bits 1:0; holes and addresses above the map have none', () => {
    expect(axilWordAt(64, 0x40)?.name).toBe('DATA0');
    expect(axilWordAt(64, 0x43)?.name).toBe('DATA0');
    expect(axilWordAt(64, 0x48)).toBeUndefined(); // DATA2 of a 64-bit design
    expect(axilWordAt(256, 0x5c)?.name).toBe('DATA7');
    expect(axilWordAt(64, 0x1c)).toBeUndefined();
    expect(axilWordAt(64, 0x100)).toBeUndefined();
    expect(axilWordAt(64, 0x1000)?.name).toBe('ID'); // above ADDR_WIDTH: the slave never sees those bits
  });

  it('takes its commands from the protocol table: the opcode bytes of the core operations', () => {
    expect(AXIL_COMMANDS.map((c) => c.name)).toEqual(['LOAD', 'ACCUM', 'READ', 'ROLLBACK', 'SWAP', 'SWAP_KEEP']);
    for (const c of AXIL_COMMANDS) {
      const op = opcodeByByte(c.code);
      expect(op.action, c.name).toBe(c.action);
      expect(c.result, c.name).toBe(op.reply === 'state');
    }
    expect(new Set(AXIL_COMMANDS.map((c) => c.action))).toEqual(new Set(['load', 'accum', 'read', 'swap', 'swap-keep']));
  });

  it('shows the UART INFO reply in the INFO words, big-endian', () => {
    const bytes = encodeInfo({ protocol: 2, version: '0.1.0', banks: 12, width: 40, mode: 'parallel', pipeline: 1, frameTimeoutMs: 0, baud: 0 });
    expect(bytes).toHaveLength(INFO_BYTES);
    const words = infoWords(bytes);
    const field = (name: string) => {
      const f = INFO_FIELD_BITS.find((x) => x.name === name)!;
      return Math.floor(words[f.word]! / 2 ** f.lsb) % 2 ** f.bits;
    };
    expect(field('width')).toBe(40);
    expect(field('banks')).toBe(12);
    expect(field('mode')).toBe(1);
    // every INFO field but the UART line's, which an AXI4-Lite design has none of
    expect(INFO_FIELD_BITS.map((f) => f.name)).toEqual(INFO_FIELDS.map((f) => f.name).filter((n) => !LINE_INFO_FIELDS.includes(n)));
    expect(INFO_WORDS).toBe(3);
  });

  it('keeps the STATUS bits apart and the ID readable', () => {
    expect(new Set(STATUS_FIELDS.map((f) => f.lsb)).size).toBe(STATUS_FIELDS.length);
    expect(String.fromCharCode(AXIL_ID >>> 24, (AXIL_ID >>> 16) & 0xff, (AXIL_ID >>> 8) & 0xff)).toBe('ATK');
  });
});

// ---- the C header ----------------------------------------------------------------------------------------------------

function findCompiler(): string | undefined {
  for (const cc of ['cc', 'gcc', 'clang']) {
    try {
      execFileSync(cc, ['--version'], { stdio: 'ignore' });
      return cc;
    } catch {
      // not this one
    }
  }
  return undefined;
}

const cc = findCompiler();
const root = mkdtempSync(join(tmpdir(), 'atomik-axil-header-'));

function header(input: DesignInput): { text: string; path: string; name: string } {
  const design = resolveDesign({ board: 'zynq7020', host: 'axi-lite', ...input });
  const plan = buildPlan(design, join(root, 'out'));
  const file = plan.files.find((f) => f.path === `include/${design.name}_regs.h`);
  if (!file) throw new Error('no C header in the plan');
  return { text: file.content, path: file.path, name: design.name };
}

describe('the C header', () => {
  const designs: DesignInput[] = [
    { banks: 16, width: 64 },
    { banks: 8, width: 40, mode: 'parallel' },
    { banks: 3, width: 256, mode: 'parallel', name: 'acc256' },
    { banks: 1, width: 8 },
  ];

  it('starts with the generated-file header and is the same for the same design', () => {
    const a = header(designs[0]!);
    expect(a.text.split('\n')[0]).toMatch(/^\/\/ Generated by atomik-gen \d+\.\d+\.\d+\. Do not edit/);
    expect(a.text).toMatch(/^\/\/ Design digest sha256:[0-9a-f]{64}$/m);
    expect(header(designs[0]!).text).toBe(a.text);
  });

  it.skipIf(!cc).each(designs)('compiles with -std=c99 -Wall -Wextra -Werror -pedantic: %j', (input) => {
    const h = header(input);
    const dir = mkdtempSync(join(root, 'syntax-'));
    writeFileSync(join(dir, 'regs.h'), h.text);
    execFileSync(cc!, ['-std=c99', '-Wall', '-Wextra', '-Werror', '-pedantic', '-fsyntax-only', '-x', 'c', join(dir, 'regs.h')], { stdio: 'pipe' });
  });

  it.skipIf(!cc)('gives the offsets, codes and bits of the map, and its helpers work on a register file in memory', () => {
    const h = header({ banks: 8, width: 40, mode: 'parallel' });
    const P = 'ATOMIK';
    const dir = mkdtempSync(join(root, 'run-'));
    writeFileSync(join(dir, 'regs.h'), h.text);
    const words = axilWords(40);
    const program = [
      '#include <inttypes.h>',
      '#include <stdio.h>',
      '#include "regs.h"',
      'static uint32_t regs[64];',
      'int main(void) {',
      '    const uintptr_t base = (uintptr_t)regs;',
      '    uint32_t v[ATOMIK_VALUE_WORDS] = { 0x11223344u, 0x55u };',
      '    uint64_t cycles, deltas;',
      ...words.map((w) => {
        const m = /^(DATA|RESULT|REF)(\d+)$/.exec(w.name);
        const macro = m ? `${P}_REG_${m[1]}(${m[2]})` : `${P}_REG_${w.name}`;
        return `    printf("reg ${w.name} %u\\n", (unsigned)${macro});`;
      }),
      ...AXIL_COMMANDS.map((c) => `    printf("cmd ${c.name} %u\\n", (unsigned)${P}_CMD_${c.name});`),
      ...STATUS_FIELDS.map((f) => `    printf("status ${f.name} %u\\n", (unsigned)${P}_STATUS_${f.name});`),
      `    printf("words %u mask %u id %u\\n", (unsigned)${P}_VALUE_WORDS, (unsigned)${P}_TOP_WORD_MASK, (unsigned)${P}_ID_VALUE);`,
      '    atomik_set_data(base, v);',
      `    printf("data %u %u\\n", (unsigned)regs[${P}_REG_DATA(0) / 4], (unsigned)regs[${P}_REG_DATA(1) / 4]);`,
      `    regs[${P}_REG_CYCLE_LO / 4] = 5u; regs[${P}_REG_CYCLE_HI / 4] = 1u; regs[${P}_REG_DELTA_LO / 4] = 7u; regs[${P}_REG_DELTA_HI / 4] = 2u;`,
      '    atomik_counters(base, &cycles, &deltas);',
      '    printf("counters %" PRIu64 " %" PRIu64 "\\n", cycles, deltas);',
      `    regs[${P}_REG_ID / 4] = ${P}_ID_VALUE;`,
      '    printf("probe %d\\n", atomik_probe(base));',
      '    return 0;',
      '}',
      '',
    ].join('\n');
    writeFileSync(join(dir, 'main.c'), program);
    const exe = join(dir, 'main');
    execFileSync(cc!, ['-std=c99', '-Wall', '-Wextra', '-Werror', '-pedantic', '-o', exe, join(dir, 'main.c')], { stdio: 'pipe' });
    const lines = execFileSync(exe, { encoding: 'utf8' }).trim().split('\n');
    const expected = [
      ...words.map((w) => `reg ${w.name} ${w.offset}`),
      ...AXIL_COMMANDS.map((c) => `cmd ${c.name} ${c.code}`),
      ...STATUS_FIELDS.map((f) => `status ${f.name} ${2 ** f.lsb}`),
      `words 2 mask 255 id ${AXIL_ID}`,
      `data ${0x11223344} ${0x55}`,
      `counters ${2 ** 32 + 5} ${2 * 2 ** 32 + 7}`,
      'probe 1',
    ];
    expect(lines).toEqual(expected);
  });
});
