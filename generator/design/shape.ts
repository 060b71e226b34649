// The resolved design as every later step reads it, and the quantities derived from it (lanes, tree leaves, where the
// input stage sits, the core's modules). design.ts validates input into this; resources.ts and the RTL read it.
import { INPUT_STAGES } from './merge-tree.js';

export const MODES = ['round-robin', 'parallel'] as const;
export const HOSTS = ['uart', 'none', 'axi-lite'] as const;
export type Mode = (typeof MODES)[number];
export type Host = (typeof HOSTS)[number];
export const ARCHS = ['banked', 'reduce'] as const;
export type Arch = (typeof ARCHS)[number];

/** A validated design with every default filled in. */
export interface Design {
  readonly name: string;
  readonly board: string;
  readonly banks: number;
  readonly width: number;
  readonly mode: Mode;
  readonly arch: Arch;
  /** The core clock the PLL produces, in MHz. */
  readonly clockMHz: number;
  /** Merge-tree register stages, resolved from `auto`. */
  readonly pipeline: number;
  readonly host: Host;
  readonly bench: boolean;
  readonly resetButton: string;
  /** UART line rate (8N1); 0 when the host interface is not the UART. */
  readonly baud: number;
  /** UART frame timeout in ms: a partial frame with no new byte for this long is dropped; 0 without a UART. */
  readonly frameTimeoutMs: number;
}

/** Names a field's location for error messages: a flag, or file:line:column in a config file. */
export type Locate = (path: readonly PropertyKey[]) => string;

/** Lanes into the core: one per bank in parallel mode, one in round-robin mode. */
export function laneCount(design: Design): number {
  return design.mode === 'parallel' ? design.banks : 1;
}

/** Leaves of the XOR tree: the banks (banked), or the lanes whose deltas it reduces (reduce). */
export function treeLeaves(arch: Arch, mode: Mode, banks: number): number {
  return arch === 'reduce' ? (mode === 'parallel' ? banks : 1) : banks;
}

/**
 * Where the core's input stage sits. Round-robin `banked`, and any one-leaf tree, register the decoded operation and the
 * delta in front of the state (a few registers). With several lanes (`parallel` banked, `reduce` over several lanes) it
 * is one more register stage of the XOR tree instead, at a level far narrower than lanes x W bits: same latency, far
 * fewer flip-flops.
 */
export function inputStageInTree(arch: Arch, mode: Mode, leaves: number): boolean {
  return leaves > 1 && (arch === 'reduce' || mode === 'parallel');
}

/** Register stages of the XOR tree as built: the design's pipeline, plus the input stage when it sits in the tree. */
export function treeRegisterStages(design: Design): number {
  const leaves = treeLeaves(design.arch, design.mode, design.banks);
  return design.pipeline + (inputStageInTree(design.arch, design.mode, leaves) ? INPUT_STAGES : 0);
}

/** The core's RTL modules, in dependency order: the bank module only where there are banks. */
export function coreModules(design: Design): string[] {
  return design.arch === 'banked' ? ['bank', 'merge_tree', 'counter', 'core'] : ['merge_tree', 'counter', 'core'];
}

