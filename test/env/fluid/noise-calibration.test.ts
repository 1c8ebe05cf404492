/** Calibration of the fast tier's noise: its epoch-to-epoch scatter against the detailed tier's, measured here. */
import { describe, expect, it } from '@jest/globals';
import { FluidHost } from '../../../env/fluid/host.js';
import { HostSim } from '../../../env/sim/host.js';
import { loadScenario } from '../../../env/scenarios/scenario.js';

const EPOCH = 100e6;

function cvOf(xs: number[]): number {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) / mean;
}

function tps(h: FluidHost | HostSim, warmupNs: number, n: number): number[] {
  h.advance(warmupNs); h.readEpoch();
  const out: number[] = [];
  for (let e = 0; e < n; e++) { h.advance(EPOCH); out.push(h.readEpoch().metrics.transactionsPerSec); }
  return out;
}

describe('noise calibration against the detailed tier', () => {
  it('the fast tier scatters transactions/s like the detailed tier does on a 7-VM TCP_RR side-core host (CV within 2×)', () => {
    // the detailed tier's own scatter, measured here with another seed than the σ table's
    const simTps = tps(new HostSim(loadScenario('elvis-rr-7vm'), { seed: 4, ioCores: 1 }), 50e6, 20);
    const fast = tps(new FluidHost('elvis-rr-7vm', { seed: 4, ioCores: 1 }), 0, 200);
    const ratio = cvOf(fast) / cvOf(simTps);
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});
