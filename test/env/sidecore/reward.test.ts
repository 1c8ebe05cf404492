/**
 * The SideCore rewards and `idealPerformance`, the normaliser behind every headline score, on a
 * hand-made scenario with round cost numbers, so that every expected value below is worked out by hand
 * from the definitions in env/sidecore/reward.ts (and docs/model.md).
 */
import { describe, expect, it } from '@jest/globals';
import { computeReward, idealPerformance, type RewardParams } from '../../../env/sidecore/reward.js';
import { DEFAULT_COSTS, type Costs } from '../../../env/sim/costs.js';
import type { EpochCounters, EpochMetrics } from '../../../env/index.js';
import type { Scenario, Workload, WorkloadType } from '../../../env/sim/scenario.js';

function wl(type: WorkloadType, o: Partial<Workload> = {}): Workload {
  return { type, requestBytes: 0, responseBytes: 0, getRatio: 0, valueBytes: 0, keyBytes: 0, appCycles: 0, outstanding: 0, ratePerSec: 0, messageBytes: 0, windowBytes: 0, segmentBytes: 0, cpuBound: type === 'cpu', ...o };
}

const rr = (o: Partial<Workload>): Workload => wl('tcp_rr', { requestBytes: 100, responseBytes: 100, appCycles: 1000, ...o });

/** 2 GHz, 2 NICs of 10 Gbit/s; VM i uses NIC i mod 2. */
const SCENARIO: Scenario = {
  name: 'hand', description: 'hand-computed reward test', durationS: 3,
  host: { cores: 8, ghz: 2, nics: 2, nicGbps: 10, exitlessInterrupts: false, minIoCores: 0, maxIoCores: 4 },
  vms: [{ name: 'a', vcpus: 1 }, { name: 'b', vcpus: 2 }, { name: 'c', vcpus: 1 }, { name: 'd', vcpus: 1 }],
  phases: [
    // NIC 0: a and c send; NIC 1: b sends, d receives (full duplex: they do not share).
    { name: 'streams', durationS: 1, workloads: [wl('tcp_stream_tx'), wl('tcp_stream_tx'), wl('tcp_stream_tx'), wl('tcp_stream_rx')] },
    { name: 'transactions', durationS: 1, workloads: [rr({ outstanding: 1 }), rr({ outstanding: 100 }), rr({ ratePerSec: 5000 }), wl('cpu')] },
    { name: 'half idle', durationS: 1, workloads: [wl('idle'), rr({ outstanding: 1 }), wl('idle'), wl('cpu')] },
  ],
};

/** Round numbers: goodput = 10 × 1000 / 1250 = 8 Gbit/s per NIC and direction; 9,000 guest cycles per transaction. */
const COSTS: Costs = {
  ...DEFAULT_COSTS,
  mssBytes: 1000, frameOverheadBytes: 250,
  guestRxPerPacketCycles: 2000, guestTxPerPacketCycles: 3000, guestSyscallCycles: 1000, guestPerByteCycles: 5,
  wireLatencyNs: 10_000, remoteTurnaroundNs: 20_000,
};

// One transaction: 2000 + 3000 + 2 × 1000 + 5 × (100 + 100) + 1000 app = 9000 cycles = 4.5 µs at 2 GHz;
// round trip 2 × 10 µs wire + 20 µs remote + 4.5 µs = 44.5 µs.
const RTT_S = 44.5e-6;

describe('idealPerformance', () => {
  const ideal = idealPerformance(SCENARIO, COSTS);

  it('streams: the NIC goodput shared by the VMs sending (or receiving) on the same NIC', () => {
    expect(Array.from(ideal[0]!)).toEqual([4, 8, 4, 8]);
  });

  it('transactions: min(outstanding / round trip, vCPUs × clock / cycles per transaction); open loop: the offered rate; cpu: vCPUs', () => {
    const [a, b, c, d] = ideal[1]!;
    expect(a).toBeCloseTo(1 / RTT_S, 6); // 22,471.9 /s: latency-bound (CPU bound would be 222,222 /s)
    expect(b).toBeCloseTo((2 * 2e9) / 9000, 6); // 444,444.4 /s: CPU-bound (100 / 44.5 µs = 2.25 M/s)
    expect(c).toBe(5000);
    expect(d).toBe(1);
  });

  it('idle VMs have no ideal (0), and the default cost table is DEFAULT_COSTS', () => {
    expect(ideal[2]![0]).toBe(0);
    expect(ideal[2]![2]).toBe(0);
    expect(idealPerformance(SCENARIO)).toEqual(idealPerformance(SCENARIO, DEFAULT_COSTS));
  });
});

/** Metrics with the given per-VM values and p99 latency. */
function metrics(perVm: Partial<EpochMetrics['perVm'][number]>[], p99 = Number.NaN, tps = 0): EpochMetrics {
  return {
    throughputGbps: 0, transactionsPerSec: tps, latencyUs: { mean: p99, p50: p99, p99 }, exitsPerSec: 0, exitsByReason: {}, interruptsPerSec: 0,
    contextSwitchesPerSec: 0, cpu: { vm: 0, io: 0, idle: 0 },
    perVm: perVm.map((m) => ({ throughputGbps: 0, transactionsPerSec: 0, latencyUsMean: 0, ...m })),
  };
}

const COUNTERS = { vqBytes: 3e9, tscCycles: 6e9 } as unknown as EpochCounters;

describe('computeReward', () => {
  const ideal = idealPerformance(SCENARIO, COSTS);
  const app: RewardParams = { kind: 'app', sloUs: 100, sloPenalty: 0.5 };
  const appLatency: RewardParams = { ...app, kind: 'app-latency' };

  it('app: the mean over active VMs of metric ÷ ideal', () => {
    // 2/4, 8/8, 1/4, 4/8 → (0.5 + 1 + 0.25 + 0.5) / 4
    const m = metrics([{ throughputGbps: 2 }, { throughputGbps: 8 }, { throughputGbps: 1 }, { throughputGbps: 4 }]);
    expect(computeReward(app, SCENARIO, ideal, 0, COUNTERS, m)).toBeCloseTo(0.5625, 12);
    // transactions/s ÷ ideal, and the cpu VM's guest compute ÷ its vCPUs: (0.5 + 0.25 + 0.8 + 0.5) / 4
    const t = metrics([{ transactionsPerSec: 0.5 / RTT_S }, { transactionsPerSec: (0.25 * 4e9) / 9000 }, { transactionsPerSec: 4000 }, { guestComputeCores: 0.5 }]);
    expect(computeReward(app, SCENARIO, ideal, 1, COUNTERS, t)).toBeCloseTo(0.5125, 9);
  });

  it('app: idle VMs do not count', () => {
    // Only b (2 vCPUs, 1 outstanding: ideal 1 / 44.5 µs) and d count: (0.6 + 0.2) / 2
    const m = metrics([{}, { transactionsPerSec: 0.6 / RTT_S }, {}, { guestComputeCores: 0.2 }]);
    expect(computeReward(app, SCENARIO, ideal, 2, COUNTERS, m)).toBeCloseTo(0.4, 9);
  });

  it('app-latency: app − sloPenalty × max(0, p99 / sloUs − 1), only when transactions completed', () => {
    const perVm = [{ transactionsPerSec: 0.5 / RTT_S }, { transactionsPerSec: (0.25 * 4e9) / 9000 }, { transactionsPerSec: 4000 }, { guestComputeCores: 0.5 }];
    // p99 250 µs against a 100 µs SLO: penalty 0.5 × (2.5 − 1) = 0.75
    expect(computeReward(appLatency, SCENARIO, ideal, 1, COUNTERS, metrics(perVm, 250, 1000))).toBeCloseTo(0.5125 - 0.75, 9);
    // p99 within the SLO: no penalty
    expect(computeReward(appLatency, SCENARIO, ideal, 1, COUNTERS, metrics(perVm, 80, 1000))).toBeCloseTo(0.5125, 9);
    // no transaction completed, or no p99: no penalty
    expect(computeReward(appLatency, SCENARIO, ideal, 1, COUNTERS, metrics(perVm, 250, 0))).toBeCloseTo(0.5125, 9);
    expect(computeReward(appLatency, SCENARIO, ideal, 1, COUNTERS, metrics(perVm, Number.NaN, 1000))).toBeCloseTo(0.5125, 9);
  });

  it('bpc: virtqueue bytes per host cycle', () => {
    expect(computeReward({ ...app, kind: 'bpc' }, SCENARIO, ideal, 0, COUNTERS, metrics([{}, {}, {}, {}]))).toBe(0.5);
  });
});
