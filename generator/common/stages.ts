// The stages of the main job, in order. The names are the vocabulary of --until, the stage cache, the config's
// `timeouts` and the report; generator/tools/stage.ts defines what a stage is.

/** Every stage of the main job, in order; `generate` writes the design, the rest run tools or checks. */
export const STAGES = ['generate', 'lint', 'verify', 'measure', 'synth', 'pnr', 'bitstream'] as const;
export type StageName = (typeof STAGES)[number];
export type RunStageName = Exclude<StageName, 'generate'>;
/** The stages that run a tool or a check (everything after generate). */
export const RUN_STAGES = STAGES.filter((s): s is RunStageName => s !== 'generate');

/** The longest time limit a stage may be given (a week): more is a typo, not a design. */
export const MAX_STAGE_TIMEOUT_SECONDS = 7 * 24 * 3600;
