// The verification API: the golden model, the stimulus stream and the simulator cross-check.
export { AtomikContext, CoreModel, CTRL_OP, encodeInputs, decodeOutputs } from './model.js';
export type { CoreInputs, CoreOutputs, CtrlOp, CoreMode, CoreParams } from './model.js';
export { recordLayout, outputSignals, CONTROL, FLAGS, COUNTER_WIDTH } from './layout.js';
export type { RecordLayout, Field } from './layout.js';
export { Stimulus, Prng, directedCycles, PUBLISHED_VECTOR, publishedVectorAt } from './stimulus.js';
export { crossCheck } from './crosscheck.js';
export type { CrossCheckOptions, CrossCheckResult, Mismatch, Simulator } from './crosscheck.js';
export type { Coverage, SignalDifference } from './compare.js';
