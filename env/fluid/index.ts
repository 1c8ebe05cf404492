/** The fast tier: a per-epoch analytic model of the host simulated by `env/sim`. See docs/fluid.md. */
export { FluidHost, FLUID_CYCLE_CATEGORIES, type FluidHostOptions, type FluidState } from './host.js';
export { deriveCosts } from './model.js';
export { solveSteady } from './steady.js';
