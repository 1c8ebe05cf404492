/** Scenario loading lives in `env/scenarios/scenario.ts`; this module re-exports it for existing imports. */
export * from '../scenarios/scenario.js';
