// The plan's own files: build.sh (the tool stages as runnable command lines) and build.json (the plan as data).
import { createHash } from 'node:crypto';
import { relative, resolve } from 'node:path';
import { commentBlock, renderTemplate } from '../common/render.js';
import { packageRoot } from '../common/version.js';
import { canonicalDesign } from '../design/design.js';
import { TOOLS, type ToolId } from '../tools/tools.js';
import type { BuildPlan } from './types.js';

/** Folders the stages write into (build.sh makes them too). */
export const RUN_DIRS = ['build', 'reports', 'logs'] as const;

function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./=:+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
/** `VAR="${VAR:-...}"`: the override, else the first native command on PATH, else the project's own copy. */
function toolAssignment(id: ToolId, root: string): string {
  const spec = TOOLS[id];
  const native = spec.commands.map((c) => `command -v ${c}`).join(' || ');
  const fallback = spec.projectCopy ? ` || echo ${root}/${spec.projectCopy}` : ` || echo ${spec.commands[0]}`;
  return `${spec.envVar}="\${${spec.envVar}:-$(${native}${fallback})}"`;
}

export function buildScript(plan: BuildPlan, lines: string[]): string {
  const used = [...new Set(plan.stages.flatMap((s) => s.commands.map((c) => c.tool)))];
  const root = relative(resolve(plan.outDir), packageRoot()).split('\\').join('/') || '.';
  const tools = used.map((id) => ({ assign: toolAssignment(id, root) }));
  return renderTemplate('scripts/build.sh.hbs', {
    header: commentBlock(lines, '#'),
    tools,
    dirs: RUN_DIRS,
    // the in-process checks (the cross-check) are atomik-gen's own, not a command line
    stages: plan.stages
      .filter((s) => s.commands.length > 0)
      .map((s) => ({
        name: s.name,
        description: s.description,
        optional: s.skipWithoutTool ?? '',
        commands: s.commands.map((c) => ({ line: `"$${TOOLS[c.tool].envVar}" ${c.args.map(shellQuote).join(' ')}` })),
      })),
  });
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** build.json: the plan without file contents (their sha256 instead). Key order is fixed, so the bytes are stable. */
export function planJson(plan: BuildPlan): string {
  const json = {
    generator: plan.generator,
    digest: plan.digest,
    design: JSON.parse(canonicalDesign(plan.design)) as unknown,
    board: { id: plan.board.id, part: plan.board.part, family: plan.board.packFamily },
    params: plan.params,
    top: plan.top,
    files: plan.files.map((f) => ({ path: f.path, role: f.role, sha256: sha256(f.content), bytes: Buffer.byteLength(f.content) })),
    stages: plan.stages.map((s) => ({
      name: s.name,
      description: s.description,
      optional: s.skipWithoutTool ?? '',
      commands: s.commands,
      ...(s.check ? { check: s.check } : {}),
      inputs: s.inputs,
      outputs: s.outputs,
      ...(s.skipWithoutTool ? { skipWithoutTool: s.skipWithoutTool } : {}),
    })),
  };
  return JSON.stringify(json, null, 2) + '\n';
}
