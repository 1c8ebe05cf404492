/**
 * Every environment registration of iocm-gym, in one place (Gymnasium's `envs/__init__.py`).
 * Importing this module fills the registry; `make(id)` then builds any of these ids.
 * Ids are versioned and bumped on any change of dynamics.
 */
import { register, registry } from './core/registry.js';
import { CartPoleEnv, cartPoleKwargs, type CartPoleOptions } from './classic/cartpole.js';
import { SideCoreEnv, sideCoreKwargs, type SideCoreOptions } from './sidecore.js';

if (!registry.has('CartPole-v1')) {
  register('CartPole-v1', {
    entryPoint: (kwargs) => new CartPoleEnv(kwargs as CartPoleOptions),
    kwargsSchema: cartPoleKwargs,
    maxEpisodeSteps: 500,
    rewardThreshold: 475.0,
  });
}

if (!registry.has('SideCore-v1')) {
  // Episodes end with the scenario (the env truncates itself), so make adds no TimeLimit.
  register('SideCore-v1', {
    entryPoint: (kwargs) => new SideCoreEnv(kwargs as SideCoreOptions),
    kwargsSchema: sideCoreKwargs,
  });
}

export * from './core/index.js';
export { SideCoreEnv, type SideCoreOptions } from './sidecore.js';
export { CartPoleEnv } from './classic/cartpole.js';
// What a host reports each epoch: agents that read `info.counters` (IOcm) import these types from here.
export type { EpochCounters, EpochMetrics } from './sim/counters.js';
