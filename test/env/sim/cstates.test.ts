/**
 * The idle-state choice (env/sim/cstates.ts) against hand computations from Linux 3.18's menu governor
 * rules and intel_idle's Sandy Bridge table (C1 2/2 µs, C1E 10/20, C3 80/211, C6 104/345, C7 109/345
 * exit/residency), and the wake-up path it lengthens: the exitless-I/O paper (Gordon et al., SYSTOR 2012)
 * reports side-core (exitless) TCP_RR latency ≈ 25 µs below the baseline (15–35 µs).
 */
import { describe, it, expect } from '@jest/globals';
import { idleExitNs } from '../../../env/sim/cstates.js';
import { DEFAULT_COSTS } from '../../../env/sim/costs.js';
import { loadScenario, type Scenario } from '../../../env/sim/scenario.js';
import { runStatic } from '../../../env/sim/measure.js';
import type { EpochMetrics } from '../../../env/sim/counters.js';
import { FluidHost } from '../../../env/fluid/host.js';

const S = DEFAULT_COSTS.cStates;

describe('idleExitNs (menu governor over snb_cstates)', () => {
  it('picks the deepest state whose residency fits the predicted idle time on an unloaded core', () => {
    expect(idleExitNs(S, 1000, 0)).toBe(0); // < C1's 2 µs residency: the polling state
    expect(idleExitNs(S, 5000, 0)).toBe(2000); // C1
    expect(idleExitNs(S, 30_000, 0)).toBe(10_000); // C1E (20 ≤ 30 < 211)
    expect(idleExitNs(S, 250_000, 0)).toBe(80_000); // C3 (211 ≤ 250 < 345)
    expect(idleExitNs(S, 400_000, 0)).toBe(109_000); // C7
  });

  it('a loaded core is more reluctant: exit latency ≤ predicted / (1 + 2·⌊5u⌋)', () => {
    // u = 0.5: multiplier 1 + 2·2 = 5 → limit 30/5 = 6 µs → C1 instead of C1E
    expect(idleExitNs(S, 30_000, 0.5)).toBe(2000);
    // u = 0.2: multiplier 3 → 250/3 = 83 µs → C3 still allowed
    expect(idleExitNs(S, 250_000, 0.2)).toBe(80_000);
    // u = 0.6: multiplier 7 → 250/7 = 35.7 µs → C1E
    expect(idleExitNs(S, 250_000, 0.6)).toBe(10_000);
  });
});

const WARMUP_S = 0.05, MEASURE_S = 0.1, SEED = 1;
const halting = (): Scenario => {
  const s = loadScenario('elvis-rr-1vm');
  return { ...s, host: { ...s.host, guestIdle: 'hlt' } };
};
const detailed = (s: Scenario, x: number): EpochMetrics => runStatic(s, { seed: SEED, ioCores: x, durationS: MEASURE_S, warmupS: WARMUP_S }).totals.metrics;
const fast = (s: Scenario, x: number): EpochMetrics => {
  const h = new FluidHost(s, { seed: SEED, ioCores: x });
  h.advance(WARMUP_S * 1e9);
  h.readEpoch();
  h.advance(MEASURE_S * 1e9);
  return h.readEpoch().metrics;
};

describe('wake-up path: baseline vs side-core latency, 1 VM TCP_RR 1 B, halting guest (SYSTOR 2012: ≈ 25 µs, 15–35)', () => {
  for (const [tier, run] of [['detailed', detailed], ['fast', fast]] as const) {
    it(`${tier} tier: the side-core gain in mean latency is within 15–35 µs`, () => {
      const s = halting();
      const gap = run(s, 0).latencyUs.mean - run(s, 1).latencyUs.mean;
      expect(gap).toBeGreaterThanOrEqual(15);
      expect(gap).toBeLessThanOrEqual(35);
    });
  }
});
