/**
 * `iocm-gym/agents`: the I/O-core managers behind one `Agent` interface, the spec parser that builds
 * them from strings (`iocm`, `static:2`, `ppo:<dir>`, …), the learners and the exhaustive-search oracles.
 */
export type { Agent, Transition } from './agent.js';
export { StaticAgent } from './static.js';
export { RandomAgent } from './random.js';
export * from './iocm/index.js';
export { PPO, PPO_DEFAULTS, type PpoArgs, type PpoUpdateStats, type EpisodeLog, type LearnCallbacks } from './ppo.js';
export { DQN, DQN_DEFAULTS, type DqnArgs, type DqnTrainStats } from './dqn.js';
export { LearnedAgent, loadLearnedAgent, type LearnedAlgo, type LoadLearnedOptions } from './learned.js';
export type { EnvSource } from './nn/saved.js';
export { AGENT_SPEC_FORMS, AgentSpecError, parseAgentSpec, parseSpecParams, type AgentSpecContext } from './spec.js';
export {
  ActionLogAgent, oracleProblem, runSchedule, scheduleActions, solveDynamic, solveOracle, solveStatic,
  type DynamicOptions, type OracleKind, type OracleProblem, type OracleResult, type ParallelMap,
} from './oracle/index.js';
