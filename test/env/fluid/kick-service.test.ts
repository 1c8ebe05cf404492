/**
 * The fast tier's kick-to-service estimate (steady.ts `writeKickToService`, docs/fluid.md §6) against
 * its formula computed by hand from the reading and the cost table.
 */
import { describe, it, expect } from '@jest/globals';
import { FluidHost } from '../../../env/fluid/host.js';
import { DEFAULT_COSTS } from '../../../env/sim/costs.js';

function reading(scenario: string, ioCores: number) {
  const h = new FluidHost(scenario, { seed: 1, ioCores, noise: false }); // the exact model
  h.advance(100e6);
  return h.readEpoch();
}

describe('fast tier kick-to-service estimate', () => {
  it('side-core: half the worker\'s polling round (queues × (empty poll + loop)), stretched by 1 / (1 − its work fraction)', () => {
    for (const [scenario, queues] of [['elvis-rr-1vm', 2], ['elvis-rr-7vm', 14]] as const) {
      const r = reading(scenario, 1);
      const rho = r.counters.workerWorkCyclesEach[0]! / r.counters.tscCycles; // one worker, no manager
      const E = DEFAULT_COSTS.emptyPollCycles + DEFAULT_COSTS.workerLoopCycles;
      const expectUs = (queues * E) / 2 / (1 - rho) / 2.2 / 1000;
      expect(r.metrics.kickToServiceUs!.mean).toBeCloseTo(expectUs, 9);
      expect(r.metrics.kickToServiceUs!.p99).toBeNaN(); // the model keeps no distribution of this wait
      // one TX post (the response) per transaction
      expect(r.metrics.kickToServiceUs!.perSec / r.metrics.transactionsPerSec).toBeCloseTo(1, 6);
    }
  });

  it('host-wide is the post-weighted mean of the VMs', () => {
    const m = reading('mixed', 2).metrics;
    let s = 0, n = 0;
    for (const p of m.perVm) if (p.kickToServiceUs!.perSec > 0) { s += p.kickToServiceUs!.mean * p.kickToServiceUs!.perSec; n += p.kickToServiceUs!.perSec; }
    expect(m.kickToServiceUs!.mean).toBeCloseTo(s / n, 9);
    expect(m.kickToServiceUs!.perSec).toBeCloseTo(n, 6);
  });

  it('baseline: waking the vhost thread makes the wait far longer than side-core polling (1 VM TCP_RR)', () => {
    expect(reading('elvis-rr-1vm', 0).metrics.kickToServiceUs!.mean).toBeGreaterThan(5 * reading('elvis-rr-1vm', 1).metrics.kickToServiceUs!.mean);
  });
});
