/**
 * Two jest projects: `fast` (everything but the slow suites) and `slow`. `npm test` runs both;
 * `npm test -- --selectProjects fast` runs the fast one (under a minute on two cores) while iterating.
 *
 * A suite is slow when it takes 5 s or more on the project machine (per-file times from
 * `npx jest --json --outputFile=times.json`, `endTime − startTime` of each entry of `testResults`):
 * long simulations, training runs, CLI runs that train or sweep, and loading the trained models.
 */
const SLOW = [
  'test/env/sim/calibration.test.ts',
  'test/env/sim/guest-idle.test.ts',
  'test/env/fluid/agreement.test.ts',
  'test/env/sim/host.test.ts',
  'test/env/sidecore.test.ts',
  'test/experiments/sweep.test.ts',
  'test/agents/ppo.test.ts',
  'test/agents/dqn.test.ts',
  'test/agents/nn/checkpoint.test.ts',
  'test/experiments/multi-scenario.test.ts',
  'test/experiments/cli.test.ts',
  'test/experiments/commands/train.test.ts',
  'test/agents/oracle/oracle.test.ts',
  'test/agents/learned.test.ts',
  'test/env/fluid/host.test.ts',
  'test/env/fluid/per-vm-cpu.test.ts',
  'test/env/fluid/noise-calibration.test.ts',
  'test/env/fluid/agreement-transients.test.ts',
  'test/env/sim/scenario.test.ts',
  'test/package.test.ts',
  'test/experiments/queue/collector.test.ts',
  'test/experiments/report-html/browser.test.ts',
  'test/experiments/protocol/run.test.ts',
  'test/agents/oracle/dp.test.ts',
  'test/agents/oracle/future-key.test.ts',
  'test/env/sidecore/switching.test.ts',
  'test/experiments/volatile.test.ts',
  'test/experiments/commands/evaluate.test.ts',
  'test/experiments/commands/oracle.test.ts',
  'test/experiments/commands/simulate.test.ts',
  'test/env/sim/calibration-counters.test.ts',
  'test/env/sim/reconfig.test.ts',
  'test/env/sim/cstates.test.ts',
  'test/experiments/cli-bad-input.test.ts',
  'test/experiments/queue/threads.test.ts',
  'test/experiments/transfer/run.test.ts',
];

const common = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['@swc/jest', {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'es6' },
      sourceMaps: 'inline',
    }],
  },
};

const slowPaths = SLOW.map((p) => `<rootDir>/${p}`);

/** @type {import('jest').Config} */
export default {
  projects: [
    { ...common, displayName: 'fast', testMatch: ['**/*.test.ts'], testPathIgnorePatterns: ['/node_modules/', ...SLOW.map((p) => `/${p.replace(/\./g, '\\.')}$`)] },
    { ...common, displayName: 'slow', testMatch: slowPaths },
  ],
  testTimeout: 60000,
  // Two workers use both cores of the project machine (jest's default leaves one idle).
  maxWorkers: 2,
};
