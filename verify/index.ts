// The verification API: the golden model, the stimulus stream and the simulator cross-check.
export { AtomikContext, CoreModel, CTRL_OP, encodeInputs, decodeOutputs } from './model.js';
export type { CoreInputs, CoreOutputs, CtrlOp, CoreMode, CoreParams } from './model.js';
export { recordLayout, outputSignals, CONTROL, FLAGS, COUNTER_WIDTH } from './layout.js';
export type { RecordLayout, Field } from './layout.js';
export { Stimulus, Prng, directedCycles, PUBLISHED_VECTOR, publishedVectorAt } from './stimulus.js';
export { crossCheck } from './crosscheck.js';
export type { CrossCheckOptions, CrossCheckResult, Mismatch, Simulator } from './crosscheck.js';
export type { Coverage, SignalDifference } from './compare.js';
export { HostModel, encodeFrame, parseCounters, uartTiming } from './host-model.js';
export type { ExpectedReply, LineEvent, UartTiming } from './host-model.js';
export { uartStimulus, uartItems, PACING_REPLY_BYTES } from './uart-stimulus.js';
export type { UartItem, UartStimulus } from './uart-stimulus.js';
export { uartEndToEnd, uartBfmHarness, COUNTERS_WINDOW_BYTES } from './uart-e2e.js';
export type { UartEndToEndOptions, UartEndToEndResult, UartMismatch } from './uart-e2e.js';
export { runMutants, mutantsFor, applyMutant, MUTANT_DESIGN } from './mutants.js';
export type { Mutant, MutantCheck, MutantResult, MutantsResult, RunMutantsOptions } from './mutants.js';
