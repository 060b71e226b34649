// The atomik-gen package API: everything `import ... from 'atomik-gen'` gives, each export listed in README.md
// ("Package API"; test/package.test.ts holds the two to each other). The declarations need no @types/node.

// The design: what a config file holds, its checks and defaults.
export { defineDesign, resolveDesign, designDigest, LIMITS, DEFAULTS, MODES, ARCHS, HOSTS } from './generator/design/design.js';
export type { Design, DesignInput, Mode, Arch, Host } from './generator/design/design.js';
export { BOARDS, findBoard } from './boards/index.js';
export { defineBoard } from './generator/design/board-schema.js';
export type { BoardFilePath } from './generator/design/board-schema.js';
export type { Board, BoardId } from './boards/index.js';

// The flow from code: plan, write, run (the main job's stages, verify included), with progress lines if wanted.
export { buildPlan, STAGES } from './generator/plan/plan.js';
export type { BuildPlan, PlannedFile, Stage, ToolCommand } from './generator/plan/plan.js';
export { writePlan } from './generator/run/write.js';
export { runJob } from './generator/run/pipeline.js';
export type { JobOptions, JobResult, CheckRunners } from './generator/run/pipeline.js';
export { createProgress } from './generator/run/progress.js';
export type { Progress, ProgressStream } from './generator/run/progress.js';
export { PIPELINE_CHECKS } from './verify/stage.js';

// The host driver: a programmed board (or the UART co-simulation) over a serial port.
export { AtomikDevice, DeviceError } from './host/device.js';
export type { DeviceOptions, DeviceInfo, DeviceCounters, DeviceMode, DeviceTransport, DeviceErrorKind, FrameKind } from './host/device.js';

// The golden models: the algebra and the core cycle by cycle, the UART host protocol, the AXI4-Lite register map.
export { AtomikContext, CoreModel, HostModel, AxilModel } from './verify/index.js';
export type { CoreInputs, CoreOutputs, CoreParams } from './verify/index.js';

// The simulations to drive from code: the cross-check against the golden model, the board top on a pseudo-terminal
// (the virtual board of `atomik-gen sim`: real time by default, or free-running).
export { crossCheck } from './verify/index.js';
export type { CrossCheckOptions, CrossCheckResult, Mismatch } from './verify/index.js';
export { buildUartPtySim, startUartPtySim, UartPtySim, uartPtyTiming } from './sim/uart-pty.js';
export type { UartPtyBuildOptions, UartPtyTiming } from './sim/uart-pty.js';

// The wire protocols, errors and the version.
export { OPCODES, INFO_FIELDS, STATUS_CLEAN, SYNC_REPLY, COUNTER_BITS, payloadBytes } from './generator/protocol/uart.js';
export { AXIL_REGISTERS, AXIL_COMMANDS, STATUS_FIELDS as AXIL_STATUS_FIELDS, AXIL_ID, axilWords } from './generator/protocol/axil-map.js';
export type { AxilRegister, AxilCommand, AxilWord } from './generator/protocol/axil-map.js';
export { AtomikError } from './generator/common/errors.js';
export { GENERATOR_VERSION } from './generator/common/version.js';
