/**
 * Per-VM vCPU time (`perVm[].cpuCores`) adds up to the host's `cpu.vm` on both tiers, also with guests
 * that spin when idle (`guestIdle: 'poll'`), where most VM-core time is the idle loop of no one
 * transaction. The fast tier spreads that spin (and cache refills taken from idle time) over the VMs
 * (`FluidHost.spreadVmCpu`); the detailed tier counts each vCPU thread's run time to its VM.
 */
import { describe, it, expect } from '@jest/globals';
import { FluidHost } from '../../../env/fluid/host.js';
import { HostSim } from '../../../env/sim/host.js';
import type { HostModel, ReconfigManager } from '../../../env/host-model.js';

// 20 ms: long enough for every VM to complete transactions on the detailed tier, short enough for a test
const EPOCH = 20e6;
/**
 * Relative tolerance of Σ per VM vs cpu.vm: both are sums of the same few dozen doubles of ≤ 1e9 cycles
 * in a different order, so they differ by rounding only (≈ 1e-15 relative); 1e-12 leaves room for that
 * and fails on any cycle left unattributed (one refill alone is ≥ 1e-5 of an epoch).
 */
const REL = 1e-12;

const TIERS: [string, (x: number, manager: ReconfigManager) => HostModel][] = [
  ['fast', (x, manager) => new FluidHost('elvis-rr-7vm', { seed: 1, ioCores: x, manager })],
  ['detailed', (x, manager) => new HostSim('elvis-rr-7vm', { seed: 1, ioCores: x, manager })],
];

function sumPerVm(h: HostModel) {
  const r = h.readEpoch();
  return { vm: r.metrics.cpu.vm, sum: r.metrics.perVm.reduce((s, p) => s + p.cpuCores!, 0), perVm: r.metrics.perVm.map((p) => p.cpuCores!) };
}

describe.each(TIERS)('%s tier, polling guests (elvis-rr-7vm)', (_tier, make) => {
  it.each([0, 1, 3])('per-VM cpuCores add up to cpu.vm at %i I/O cores', (x) => {
    const h = make(x, 'none');
    h.advance(EPOCH);
    const { vm, sum } = sumPerVm(h);
    expect(vm).toBeGreaterThan(1); // the spin is there to be counted
    expect(Math.abs(sum - vm)).toBeLessThanOrEqual(REL * vm);
  });

  it('and across a reconfiguration under the IOcm manager (cache refills, manager samples)', () => {
    const h = make(1, 'iocm');
    h.advance(EPOCH);
    h.readEpoch();
    h.setIoCores(2);
    h.advance(EPOCH);
    const { vm, sum } = sumPerVm(h);
    expect(Math.abs(sum - vm)).toBeLessThanOrEqual(REL * vm);
  });

  it('with one I/O core, each 1-vCPU VM spins on a VM core of its own: ≈ 1 core per VM', () => {
    // 7 VMs × 1 vCPU on the 7 VM cores left by one I/O core: no vCPU ever sleeps or waits for a core
    const h = make(1, 'none');
    h.advance(EPOCH);
    for (const c of sumPerVm(h).perVm) expect(c).toBeCloseTo(1, 2);
  });
});
