// The scaffolding the bus-functional-model checks share (uart-e2e.ts, axil-e2e.ts): write the design's plan, build its
// board top under Verilator with a harness that plays a script, run it, and on a mismatch rebuild with tracing and
// write a waveform around the failing cycle. What the script holds and how the output is compared is each check's own.
import { writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { howItEnded, runBounded } from '../generator/tools/exec.js';
import type { Design } from '../generator/design/design.js';
import { buildPlan } from '../generator/plan/plan.js';
import type { FindToolOptions } from '../generator/tools/tools.js';
import { recordOwned } from '../generator/run/folder.js';
import { writePlan } from '../generator/run/write.js';
import { TIME_PER_CYCLE } from './harness.js';
import type { SourceFile } from './sim-files.js';
import { buildVerilator, type VerilatorBuild } from './verilator.js';


/** Limit of one scripted harness run (seconds in practice). */
const HARNESS_TIMEOUT_MS = 30 * 60 * 1000;
export interface ScriptedSimOptions {
  readonly design: Design;
  readonly outDir: string;
  /** The simulation folder's name under `<outDir>/sim/` and the prefix of progress lines ("uart-e2e"). */
  readonly name: string;
  /** What the harness's failures are called in errors ("the UART harness"). */
  readonly harnessTitle: string;
  readonly harness: SourceFile;
  /** Simulate the vendor stand-ins (stubs/) too: a board top with a PLL. */
  readonly withStubs: boolean;
  /** Fault injection: gets each RTL file's name and text and returns the text to simulate instead. */
  readonly editRtl?: (file: string, text: string) => string;
  /** Simulate these sources instead of the plan's RTL and stand-ins (a netlist of the board top: verify/netlist/). */
  readonly sources?: readonly SourceFile[];
  readonly progress?: (line: string) => void;
  readonly tools?: FindToolOptions;
  readonly cacheDir?: string;
}

export interface ScriptedSim {
  readonly simDir: string;
  readonly built: VerilatorBuild;
  /** Writes the script, runs the harness on it, keeps its output beside it; returns the output. */
  run(script: string): Promise<{ text: string; scriptPath: string; outputPath: string }>;
  /** Rebuilds with tracing and reruns the last script, writing cycles from..to as `vcdName`; a note says how it went. */
  waveform(from: number, to: number, vcdName: string): Promise<{ path: string | null; note: string }>;
}

export async function scriptedSim(opts: ScriptedSimOptions): Promise<ScriptedSim> {
  const say = opts.progress ?? (() => {});
  const plan = buildPlan(opts.design, opts.outDir);
  writePlan(plan);
  recordOwned(opts.outDir, [`sim/${opts.name}/`]);
  const rtl = opts.sources ?? plan.files
    .filter((f) => f.role === 'rtl' || (opts.withStubs && f.role === 'stub'))
    .map((f): SourceFile => ({ path: f.path, text: f.role === 'rtl' && opts.editRtl ? opts.editRtl(basename(f.path), f.content) : f.content }));
  const simDir = join(opts.outDir, 'sim', opts.name);
  const build = (trace: boolean): Promise<VerilatorBuild> =>
    buildVerilator({ dir: simDir, top: plan.top, rtl, harness: opts.harness, trace, tools: opts.tools, cacheDir: opts.cacheDir, progress: say });
  const built = await build(false);
  say(`${opts.name}: ${built.reused ? 'reusing the build in' : `built in ${built.seconds.toFixed(1)} s,`} ${simDir}`);

  const scriptPath = join(simDir, 'script.txt');
  const outputPath = join(simDir, 'harness-output.txt');
  const exec = async (binary: string, extra: readonly string[]): Promise<string> => {
    const r = await runBounded(binary, [scriptPath, ...extra], { cwd: simDir, timeoutMs: HARNESS_TIMEOUT_MS, maxBuffer: 1 << 28 });
    if (r.exitCode !== 0) throw new Error(`${opts.harnessTitle} ${howItEnded(r)}: ${r.stderr.trim().slice(-2000)}`);
    return r.stdout;
  };
  return {
    simDir,
    built,
    async run(script) {
      writeFileSync(scriptPath, script);
      const text = await exec(built.binary, []);
      writeFileSync(outputPath, text);
      return { text, scriptPath, outputPath };
    },
    async waveform(from, to, vcdName) {
      const vcd = join(simDir, vcdName);
      try {
        const traced = await build(true);
        await exec(traced.binary, ['--trace', vcd, '--from', String(from), '--to', String(to)]);
        return { path: vcd, note: `${vcd} (cycles ${from}..${to}; cycle c starts at ${TIME_PER_CYCLE}*c ns)` };
      } catch (err) {
        return { path: null, note: `not written: ${(err as Error).message}` };
      }
    },
  };
}
