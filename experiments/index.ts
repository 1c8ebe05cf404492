/**
 * `iocm-gym/experiments`: the runner for scripts. `runEpisode` runs one agent spec in one env spec from
 * one seed and returns its run record; `replayRecord` re-checks a record reward for reward; `evaluate`
 * runs agents × scenarios × seeds against the oracles and writes the tables; `planSweep` + `runSweep`
 * run a sweep grid (the `sweep` command's config format) on a worker pool, resumably.
 */
export { runEpisode, replayRecord, type RunOptions, type StepReport, type ReplayResult } from './runner.js';
export { evaluate, type EvaluateOptions } from './evaluate.js';
export { runExperiment, type ExperimentOptions, type ExperimentResult } from './experiment.js';
export { planSweep, readSweepConfig, runSweep, sweepConfigSchema, type Job, type SweepConfig, type SweepOutcome, type SweepPlan, type RunSweepOptions, type SweepProgress } from './sweep.js';
export { envSpecFor, expandScenarios, DEFAULT_ENV_ID } from './envs.js';
export { MultiScenarioEnv, multiScenarioSource } from './multi-scenario.js';
export { RUN_FORMAT, type RunRecord, type RunSummary } from './record.js';
export type { SummaryRow } from './report.js';
export { UsageError } from './errors.js';
