/** The detailed-tier host simulator: public API. See docs/model.md. */
export { HostSim, CYCLE_CATEGORIES, type HostSimOptions, type SimState, type EpochReading } from './host.js';
export { loadScenario, listScenarios, scenariosDir, resolveWorkload, ScenarioError, WORKLOAD_TYPES, type Scenario, type Phase, type Workload, type WorkloadType, type WorkloadSpec } from '../scenarios/scenario.js';
export { DEFAULT_COSTS, DEFAULT_APP_CYCLES, type Costs } from './costs.js';
export { EventHeap } from './heap.js';
export { EventKernel, type EventHandler, type KernelState } from './kernel.js';
export { bestStaticX, BEST_X_TIE, iocmStats, runStatic, phaseScenario, perVmScores, relativeScore, workloadMetric, EPOCH_NS, type IocmStats, type StaticRun } from './measure.js';
export type { EpochCounters, EpochMetrics } from './counters.js';
