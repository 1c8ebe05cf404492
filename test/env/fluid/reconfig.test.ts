/**
 * Reconfiguration costs of the fast tier (`FluidHost.setIoCores` and the manager's share of each
 * segment) against a hand computation from the cost table (docs/model.md §9, docs/fluid.md §7).
 */
import { describe, it, expect } from '@jest/globals';
import { FluidHost } from '../../../env/fluid/host.js';
import { DEFAULT_COSTS } from '../../../env/sim/costs.js';
import type { ReconfigManager } from '../../../env/host-model.js';

const EPOCH = 100e6;
const move = DEFAULT_COSTS.deviceMoveNs, mgr = DEFAULT_COSTS.managerCpuNsPerSample;

function oneChange(manager: ReconfigManager, from: number, to: number, scenario = 'elvis-rr-7vm', costs = {}) {
  const h = new FluidHost(scenario, { seed: 1, ioCores: from, manager, costs, noise: false }); // the exact model's costs
  h.advance(EPOCH);
  const first = h.readEpoch();
  h.setIoCores(to);
  h.advance(EPOCH);
  return { first, second: h.readEpoch() };
}

describe('FluidHost reconfiguration costs', () => {
  it('stalls the moved devices (ideal manager) or every device (IOcm re-mapping), one after the other', () => {
    expect(oneChange('ideal', 1, 2).second.reconfig).toEqual({ reconfigurations: 1, stallNs: (1 + 2 + 3) * move, managerCpuNs: mgr });
    expect(oneChange('iocm', 1, 2).second.reconfig!.stallNs).toBeCloseTo(28 * move, 3);
    // 2 → 3: VM d from d mod 2 to d mod 3 — VMs 2, 3, 4, 5 move (0, 1 and 6 keep their worker)
    expect(oneChange('ideal', 2, 3).second.reconfig!.stallNs).toBeCloseTo((1 + 2 + 3 + 4) * move, 3);
  });

  it("charges the manager's 280 µs per 100 ms to worker 0 in side-core mode, exactly", () => {
    const a = oneChange('ideal', 1, 1).first, b = oneChange('none', 1, 1).first;
    const extra = a.counters.workerWorkCyclesEach[0]! - b.counters.workerWorkCyclesEach[0]!;
    expect(extra).toBeCloseTo(mgr * 2.2, 3); // ns × GHz
    expect(a.reconfig!.managerCpuNs).toBeCloseTo(mgr, 6);
    expect(b.reconfig!.managerCpuNs).toBe(0);
  });

  it('charges a NIC interrupt that moves: paper (2 NICs) 0 → 1 moves NIC 1 from core 0 to core 1', () => {
    // NIC j's label is j mod (x + 1): NIC 1 is on core 0 in the baseline and on core 1 with one I/O
    // core. Without migrations, the refill is the only context-switch-like charge of the change.
    const ctx = (irq: number) => oneChange('none', 0, 1, 'paper', { migrationCycles: 0, irqMoveCycles: irq }).second.metrics.cycles!['vmContextSwitch']!;
    expect(ctx(DEFAULT_COSTS.irqMoveCycles) - ctx(0)).toBeCloseTo(DEFAULT_COSTS.irqMoveCycles, 3);
  });
});
