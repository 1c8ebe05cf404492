/** The Gymnasium-style core API of iocm-gym: envs, spaces, wrappers, registry, vector envs, checks. */
export * from './env.js';
export * from './rng.js';
export * from './spaces/index.js';
export * from './registry.js';
export * from './wrappers/wrapper.js';
export * from './wrappers/common.js';
export * from './wrappers/observation.js';
export * from './wrappers/reward.js';
export * from './wrappers/action.js';
export * from './vector/sync-vector-env.js';
export { checkEnv, sampleAction, type CheckEnvOptions } from './checker.js';
export { benchmarkStep } from './benchmark.js';
export { RunningMeanStd } from './running-mean-std.js';
export { captureWarnings, warn } from './logger.js';
export { UsageError } from './errors.js';
