/**
 * Reconfiguration costs of the detailed tier (env/sim/reconfig.ts) against a hand computation from the
 * cost table (docs/model.md §9): the device stall of one change, with IOcm's re-mapping of every device
 * and with a manager that moves only the devices whose worker changes, and the manager's CPU per sample.
 */
import { describe, it, expect } from '@jest/globals';
import { HostSim } from '../../../env/sim/host.js';
import { DEFAULT_COSTS } from '../../../env/sim/costs.js';
import type { ReconfigManager } from '../../../env/host-model.js';

const EPOCH = 100e6;
const move = DEFAULT_COSTS.deviceMoveNs, mgr = DEFAULT_COSTS.managerCpuNsPerSample;

/** elvis-rr-7vm (7 VMs), one epoch at 1 I/O core, then a change to 2 and one more epoch. */
function oneChange(manager: ReconfigManager) {
  const h = new HostSim('elvis-rr-7vm', { seed: 1, ioCores: 1, manager });
  h.advance(EPOCH);
  const first = h.readEpoch();
  h.setIoCores(2);
  h.advance(EPOCH);
  return { first, second: h.readEpoch(), h };
}

describe('HostSim reconfiguration costs', () => {
  it('stalls only the moved devices with an ideal manager: 1 → 2 moves VMs 1, 3, 5 one after the other', () => {
    // VM d goes from worker d mod 1 = 0 to d mod 2: VMs 1, 3, 5 move; the k-th waits k moves
    const r = oneChange('ideal').second.reconfig!;
    expect(r.reconfigurations).toBe(1);
    expect(r.stallNs).toBe((1 + 2 + 3) * move);
  });

  it("stalls every device with IOcm's re-mapping: the k-th of 7 devices waits k moves", () => {
    const r = oneChange('iocm').second.reconfig!;
    expect(r.stallNs).toBe((1 + 2 + 3 + 4 + 5 + 6 + 7) * move);
  });

  it('charges the manager one sample per 100 ms on core 0, and nothing without a manager', () => {
    const withMgr = oneChange('ideal');
    expect(withMgr.first.reconfig!.managerCpuNs).toBe(mgr);
    expect(withMgr.second.reconfig!.managerCpuNs).toBe(mgr);
    const none = oneChange('none');
    expect(none.first.reconfig!.managerCpuNs).toBe(0);
    expect(none.second.reconfig).toEqual({ reconfigurations: 1, stallNs: (1 + 2 + 3) * move, managerCpuNs: 0 });
  });

  it("stops the only I/O worker for the manager's sample: TCP_RR loses 280 µs of 100 ms of transactions", () => {
    // elvis-rr-7vm at 1 I/O core: every VM's I/O goes through worker 0 on core 0, which runs the
    // manager's 280 µs sample in the epoch [100, 200) ms; a closed loop makes no progress meanwhile,
    // so the epoch's transactions fall by 280 µs / 100 ms = 0.28 % (± 0.1 % for the queue refill).
    const tps = (manager: ReconfigManager): number => {
      const h = new HostSim('elvis-rr-7vm', { seed: 1, ioCores: 1, manager });
      h.advance(EPOCH - 1e6); h.readEpoch(); // the sample at 100 ms falls in the next window
      h.advance(EPOCH);
      return h.readEpoch().metrics.transactionsPerSec;
    };
    const ratio = tps('ideal') / tps('none');
    expect(ratio).toBeGreaterThan(1 - mgr / EPOCH - 0.001);
    expect(ratio).toBeLessThan(1 - mgr / EPOCH + 0.001);
  });

  it('keeps snapshots exact with the manager sampling', () => {
    const h = new HostSim('elvis-rr-7vm', { seed: 3, ioCores: 1, manager: 'iocm' });
    h.advance(50e6);
    const s = h.getState();
    h.setIoCores(3); h.advance(EPOCH); const a = h.readEpoch();
    h.setState(s);
    h.setIoCores(3); h.advance(EPOCH); const b = h.readEpoch();
    expect(b).toEqual(a);
  });
});
