/**
 * Kick-to-service latency of the detailed tier (env/sim/kick-service.ts): from a guest's TX ring post
 * until a baseline vhost handler or a side-core worker visit starts servicing it, against hand
 * computations from the cost table.
 */
import { describe, it, expect } from '@jest/globals';
import { HostSim } from '../../../env/sim/host.js';
import { DEFAULT_COSTS } from '../../../env/sim/costs.js';
import { kickToService, ksBin, KS_BINS, NKS } from '../../../env/sim/kick-service.js';

/** 1-VM netperf TCP_RR with a polling guest (its vCPU keeps its own core, the vhost thread another). */
const SCENARIO = 'elvis-rr-1vm';

function run(ioCores: number, costs = {}) {
  const h = new HostSim(SCENARIO, { seed: 1, ioCores, costs });
  h.advance(10e6); // warm-up: the first transactions start from an idle host
  h.readEpoch();
  h.advance(50e6);
  return h.readEpoch().metrics;
}

describe('kick-to-service latency, detailed tier', () => {
  it('baseline: the vhost thread wakes on an idle core, so every TX post waits the wake-up: idleWakeNs + the idle state\'s exit', () => {
    // one idle state (polling, exit 0) so the wake-up costs exactly idleWakeNs = 1.5 µs (3,300 cycles at
    // 2.2 GHz); the thread last ran on that core, so no context switch is owed
    const m = run(0, { idleWakeNs: 1500, cStates: [{ name: 'POLL', exitNs: 0, residencyNs: 0 }] });
    expect(m.kickToServiceUs!.mean).toBeCloseTo(1.5, 6);
    expect(m.kickToServiceUs!.p99).toBeCloseTo(1.5, 1); // 5 % histogram bins: within 2.5 %
    // one response message per transaction is posted to the TX ring
    expect(m.kickToServiceUs!.perSec / m.transactionsPerSec).toBeCloseTo(1, 2);
    expect(m.perVm[0]!.kickToServiceUs).toEqual(m.kickToServiceUs);
  });

  it('side-core: a post waits for its queue\'s next poll, at most one polling round (2 queues × (empty poll + loop))', () => {
    const m = run(1);
    const roundUs = (2 * (DEFAULT_COSTS.emptyPollCycles + DEFAULT_COSTS.workerLoopCycles)) / 2.2 / 1000;
    expect(m.kickToServiceUs!.mean).toBeGreaterThan(0);
    expect(m.kickToServiceUs!.mean).toBeLessThanOrEqual(roundUs);
    expect(m.kickToServiceUs!.perSec / m.transactionsPerSec).toBeCloseTo(1, 2);
  });

  it('the baseline\'s wake-up path makes kick-to-service longer than side-core polling (default costs)', () => {
    expect(run(0).kickToServiceUs!.mean).toBeGreaterThan(5 * run(1).kickToServiceUs!.mean);
  });

  it('aggregation: mean and p99 over VMs from sums, counts and histograms', () => {
    const acc = new Float64Array(2 * NKS), hist = new Uint32Array(2 * KS_BINS);
    // VM 0: 99 waits of 1 µs; VM 1: one wait of 100 µs → mean (99 + 100) / 100 = 1.99 µs, p99 = 1 µs's bin
    acc[0] = 99 * 1000; acc[1] = 99; hist[ksBin(1000)] = 99;
    acc[NKS] = 100_000; acc[NKS + 1] = 1; hist[KS_BINS + ksBin(100_000)] = 1;
    const k = kickToService(acc, hist, [0, 1], 0.5);
    expect(k.mean).toBeCloseTo(1.99, 9);
    expect(k.p99).toBeCloseTo(1, 1);
    expect(k.perSec).toBe(200);
    expect(kickToService(acc, hist, [1], 1).p99).toBeCloseTo(100, -1);
    expect(kickToService(new Float64Array(NKS), new Uint32Array(KS_BINS), [0], 1)).toEqual({ mean: NaN, p99: NaN, perSec: 0 });
  });
});
