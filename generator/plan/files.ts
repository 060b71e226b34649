// The plan's own files: build.sh (the tool stages as runnable command lines) and build.json (the plan as data).
import { createHash } from 'node:crypto';
import { commentBlock, renderTemplate } from '../common/render.js';
import { canonicalDesign } from '../design/design.js';
import { stageTools, toolsByNeed } from '../tools/stage.js';
import { TOOLS, type ToolId } from '../tools/tools.js';
import type { BuildPlan } from './types.js';

/** Folders the stages write into (build.sh makes them too). */
export const RUN_DIRS = ['build', 'reports', 'logs'] as const;

/** One shell word: as is when it holds nothing the shell would expand or split, else single-quoted. */
export function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./=:+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** One line of a comment: a newline in the text must not end the comment. */
function commentText(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

/** A tool's copy inside the toolchain folder (the folder holding venv/), or '' when setup installs none. */
function toolchainCopy(id: ToolId): string {
  return TOOLS[id].toolchainCopy ?? '';
}

/**
 * build.sh: the stages' command lines with every word quoted, and the tools looked up when it runs (override variable,
 * PATH, $ATOMIK_TOOLCHAIN), so the file says nothing about where atomik-gen is installed or where the output folder is:
 * the same design gives the same bytes everywhere.
 */
export function buildScript(plan: BuildPlan, lines: string[]): string {
  // the in-process checks (the cross-check) are atomik-gen's own, not a command line
  const stages = plan.stages.filter((s) => s.commands.length > 0);
  // a tool only optional stages use may be missing: those stages are skipped; any other tool must be there
  const { needed, optional } = toolsByNeed(stages);
  const required = new Set(needed);
  const tools = [...needed, ...optional].map((id) => ({
    args: [TOOLS[id].envVar, id, required.has(id) ? 'required' : 'optional', toolchainCopy(id), ...TOOLS[id].commands].map(shellQuote).join(' '),
  }));
  return renderTemplate('scripts/build.sh.hbs', {
    header: commentBlock(lines.map(commentText), '#'),
    tools,
    dirs: RUN_DIRS.map(shellQuote).join(' '),
    stages: stages.map((s) => {
      const missable = stageTools(s).filter((id) => !required.has(id));
      return {
        name: s.name,
        description: commentText(s.description),
        optional: commentText(s.skipWithoutTool ?? ''),
        // an optional stage runs when its tools were found, else says why it is skipped
        runIf: missable.map((id) => `[ -n "$${TOOLS[id].envVar}" ]`).join(' && '),
        skipped: shellQuote(`build.sh: skipping ${s.name}: ${commentText(s.skipWithoutTool ?? '')}`),
        commands: s.commands.map((c) => ({ line: `"$${TOOLS[c.tool].envVar}" ${c.args.map(shellQuote).join(' ')}` })),
      };
    }),
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
