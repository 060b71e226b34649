// nextpnr, shared by the open flows (Gowin, iCE40, ECP5): its --report JSON read into our resources and clocks, and the
// place-and-route and pack stages every open flow has. A flow module gives its bel names and its tools' own arguments.
import type { ToolId } from '../tools/tools.js';
import type { Stage } from '../tools/stage.js';
import { DEFAULT_SEED, round2, use, type ClockTiming, type FlowParams, type ResourceUse } from './types.js';

interface NextpnrReport {
  utilization?: Record<string, { used: number; available: number }>;
  fmax?: Record<string, { achieved: number; constraint: number }>;
}

/**
 * nextpnr's --report JSON (never its log: the log prints a pre-route "Max frequency" first): the bels of `bels` that
 * were used, by our names, and each clock's Fmax against its constraint. `requiredBel`: a bel every report of this
 * architecture has (a report of another architecture lacks it). ECP5 names a clock after the net it promoted to the
 * global network ("$glbnet$clk"): the prefix is dropped.
 */
export function parseNextpnrUtilization(
  json: unknown,
  bels: Readonly<Record<string, string>>,
  requiredBel?: string,
): { resources: ResourceUse[]; clocks: ClockTiming[] } {
  const report = json as NextpnrReport | null;
  if (!report || typeof report !== 'object' || !report.utilization) throw new Error('not a nextpnr --report JSON (no "utilization")');
  if (requiredBel !== undefined && !report.utilization[requiredBel]) throw new Error(`not a report of this nextpnr architecture (no ${requiredBel} utilization)`);
  const resources: ResourceUse[] = [];
  for (const [bel, name] of Object.entries(bels)) {
    const u = report.utilization[bel];
    if (u) resources.push(use(name, u.used, u.available));
  }
  const clocks = Object.entries(report.fmax ?? {}).map(([net, f]) => ({
    clock: net.replace(/^\$glbnet\$/, ''),
    constraintMHz: round2(f.constraint),
    fmaxMHz: round2(f.achieved),
    met: f.achieved >= f.constraint,
  }));
  return { resources, clocks };
}

/**
 * The files of one placement run: another seed's routed design and report are named apart, so several seeds share one
 * folder (and one synthesis). The bitstream has one name whatever the seed: it is packed from the seed that is kept.
 */
export function seedFiles(top: string, params: FlowParams, routedExt: string, bitstreamExt: string): { routed: string; report: string; bitstream: string } {
  const tag = params.seed === DEFAULT_SEED ? '' : `.seed${params.seed}`;
  return { routed: `build/${top}${tag}.${routedExt}`, report: `reports/pnr${tag}.report.json`, bitstream: `build/${top}.${bitstreamExt}` };
}

export interface OpenFlowStages {
  /** The nextpnr variant. */
  readonly pnrTool: ToolId;
  /** Its device, package and constraint arguments, before the common ones. */
  readonly deviceArgs: readonly string[];
  /** The option that writes the routed design (`--write`, `--asc`, `--textcfg`). */
  readonly routedOption: string;
  readonly netlist: string;
  readonly constraints: string;
  readonly files: { readonly routed: string; readonly report: string; readonly bitstream: string };
  readonly params: FlowParams;
  /** The packer and its arguments (the routed design in, the bitstream out). */
  readonly packTool: ToolId;
  readonly packArgs: readonly string[];
  /** What the packer packs for, for the stage's description. */
  readonly packFor: string;
}

/** The pnr and bitstream stages of an open flow. */
export function openFlowStages(o: OpenFlowStages): Stage[] {
  const { routed, report, bitstream } = o.files;
  return [
    {
      name: 'pnr',
      description: `${o.pnrTool} place and route at ${o.params.targetMHz} MHz`,
      commands: [
        {
          tool: o.pnrTool,
          args: [
            ...o.deviceArgs,
            '--json', o.netlist,
            o.routedOption, routed,
            '--report', report,
            '--freq', String(o.params.targetMHz),
            '--seed', String(o.params.seed),
            // write the report even when timing fails; the report then says whether the constraint was met
            '--timing-allow-fail',
          ],
        },
      ],
      inputs: [o.netlist, o.constraints],
      outputs: [routed, report],
      result: { kind: 'nextpnr-report', path: report },
      // another seed's log and cache stamp are its own
      ...(o.params.seed === DEFAULT_SEED ? {} : { variant: `seed${o.params.seed}` }),
    },
    {
      name: 'bitstream',
      description: `${o.packTool} for ${o.packFor}`,
      commands: [{ tool: o.packTool, args: [...o.packArgs] }],
      inputs: [routed],
      outputs: [bitstream],
      result: { kind: 'bitstream', path: bitstream },
    },
  ];
}
