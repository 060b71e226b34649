// buildReport on result files a misbehaving tool left: one clear error naming the file and the stage, never a stack trace.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AtomikError } from '../common/errors.js';
import { resolveDesign } from '../design/design.js';
import { buildPlan } from '../plan/plan.js';
import { buildReport, type StageResult } from './report.js';

const ran = (stage: StageResult['stage']): StageResult => ({ stage, status: 'ran', seconds: 1, producedInSeconds: 1, tools: [], log: `logs/${stage}.log` });

describe('buildReport on a bad result file', () => {
  const out = mkdtempSync(join(tmpdir(), 'atomik-report-'));
  const plan = buildPlan(resolveDesign({ board: 'tang9k', banks: 2 }), out);
  mkdirSync(join(out, 'reports'), { recursive: true });

  it.each([
    ['garbage', '{ not json', /cannot read reports\/synth\.stat\.json: .*JSON/],
    ['another tool\'s JSON', '{"modules": {}}', /cannot read reports\/synth\.stat\.json: Yosys stat has no module atomik_top/],
  ])('%s from synthesis is one AtomikError naming the file and the stage', (_what, text, message) => {
    writeFileSync(join(out, 'reports', 'synth.stat.json'), text);
    let caught: unknown;
    try {
      buildReport(plan, [ran('synth')]);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AtomikError);
    expect((caught as AtomikError).oneLine()).toMatch(/^synth stage: /);
    expect((caught as AtomikError).oneLine()).toMatch(message);
  });
});
