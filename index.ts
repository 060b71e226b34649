// The atomik-gen package API.
export { defineDesign, resolveDesign, designDigest, LIMITS, DEFAULTS, MODES, HOSTS } from './generator/design/design.js';
export type { Design, DesignInput, Mode, Host } from './generator/design/design.js';
export { buildPlan, STAGES } from './generator/plan/plan.js';
export type { BuildPlan, PlannedFile, Stage, ToolCommand } from './generator/plan/plan.js';
export { writePlan } from './generator/run/write.js';
export { runStages } from './generator/run/stages.js';
export { AtomikError } from './generator/common/errors.js';
export { OPCODES, INFO_FIELDS, STATUS_CLEAN, SYNC_REPLY, COUNTER_BITS, payloadBytes } from './generator/protocol/uart.js';
export { AXIL_REGISTERS, AXIL_COMMANDS, STATUS_FIELDS as AXIL_STATUS_FIELDS, AXIL_ID, axilWords } from './generator/protocol/axil-map.js';
export type { AxilRegister, AxilCommand, AxilWord } from './generator/protocol/axil-map.js';
export { BOARDS, findBoard } from './boards/index.js';
export type { Board } from './boards/types.js';
export { GENERATOR_VERSION } from './generator/common/version.js';
export { AtomikDevice, DeviceError } from './host/device.js';
export type { DeviceOptions, DeviceInfo, DeviceCounters, DeviceMode, DeviceTransport, DeviceErrorKind } from './host/device.js';
export { AtomikContext, CoreModel, crossCheck } from './verify/index.js';
export type { CoreInputs, CoreOutputs, CoreParams, CrossCheckOptions, CrossCheckResult, Mismatch } from './verify/index.js';
