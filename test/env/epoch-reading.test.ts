import { describe, expect, it } from '@jest/globals';
import { buildReading, type WindowTotals } from '../../env/epoch-reading.js';

/** A 0.1 s window at 2 GHz (2e8 cycles) on a host with one I/O core and two VMs; values chosen by hand. */
function window(): WindowTotals {
  // per-VM fields: good, txn, latSum, compute, cpu, kick, inj, eoi, hlt (stride 9, starting at 3)
  const data = new Float64Array(3 + 2 * 9);
  data.set([1.25e8, 1000, 5e7, 2e7, 1e8, 10, 20, 30, 40], 3);
  data.set([0, 0, 0, 0, 5e7, 0, 0, 0, 1], 12);
  return {
    cycles: 2e8, ns: 1e8, ghz: 2, ioCores: 1, nVm: 2,
    goodBytes: 1.25e8, transactions: 1000, latencySumNs: 5e7, latencyP50Us: 40, latencyP99Us: 90,
    kicks: 10, injections: 20, eois: 30, hlts: 41, interrupts: 500, contextSwitches: 700, computeCycles: 2e7,
    cycleSplit: { vmGuest: 3e8, vmExit: 5e7, vmContextSwitch: 5e7, ioVhost: 0, ioContextSwitch: 0, ioWorkerWork: 1.2e8, ioWorkerPoll: 8e7, idle: 2e8 },
    handledBytes: 9e7, handledPackets: 6e4,
    vmCoreIdleNs: [1e8, 0, 0], workerLoops: [7], workerEmptyPolls: [5], workerWorkCyclesEach: [1.2e8],
    perVm: { data, base: 3, stride: 9, good: 0, txn: 1, latSum: 2, compute: 3, cpu: 4, kick: 5, inj: 6, eoi: 7, hlt: 8 },
  };
}

describe('buildReading', () => {
  it('turns window totals into rates per second and shares of the window', () => {
    const { counters, metrics } = buildReading(window());
    // 1.25e8 bytes in 0.1 s = 10 Gbit/s; 1000 transactions in 0.1 s = 10,000/s; 5e7 ns / 1000 = 50 µs
    expect(metrics.throughputGbps).toBeCloseTo(10, 12);
    expect(metrics.transactionsPerSec).toBeCloseTo(10_000, 9);
    expect(metrics.latencyUs).toEqual({ mean: 50, p50: 40, p99: 90 });
    // 101 exits in 0.1 s
    expect(metrics.exitsPerSec).toBeCloseTo(1010, 9);
    expect(metrics.exitsByReason.hlt).toBeCloseTo(410, 9);
    expect(metrics.interruptsPerSec).toBeCloseTo(5000, 9);
    // 4e8 VM cycles over 2e8 = 2 cores; I/O 2e8 = 1 core; idle 1 core
    expect(metrics.cpu).toEqual({ vm: 2, io: 1, idle: 1 });
    expect(metrics.guestComputeCores).toBeCloseTo(0.1, 15);
    expect(metrics.perVm[0]).toEqual({
      throughputGbps: 10, transactionsPerSec: 10_000, latencyUsMean: 50, guestComputeCores: 0.1,
      exitsByReason: { io_kick: 100, irq_injection: 200, eoi: 300, hlt: 400 }, cpuCores: 0.5,
    });
    expect(metrics.perVm[1]!.latencyUsMean).toBeNaN();
    expect(metrics.perVm[1]!.cpuCores).toBe(0.25);
    expect(Object.keys(metrics.cycles)).toEqual(['vmGuest', 'vmExit', 'vmContextSwitch', 'ioVhost', 'ioContextSwitch', 'ioWorkerWork', 'ioWorkerPoll', 'idle']);
    // counters: the workers' work, their CPU time (work + poll = 2e8 cycles = 1e8 ns), one worker thread
    expect(counters.workerWorkCycles).toBe(1.2e8);
    expect(counters.vhostCpuNs).toBe(1e8);
    expect(counters.workerThreads).toBe(1);
    expect(counters.vqBytes).toBe(9e7);
    expect(counters.tscCycles).toBe(2e8);
  });

  it('counts one vhost thread per VM in the baseline, and no latency without transactions', () => {
    const w = { ...window(), ioCores: 0, transactions: 0, workerLoops: [], workerEmptyPolls: [], workerWorkCyclesEach: [] };
    w.cycleSplit = { ...w.cycleSplit, ioVhost: 3e7, ioContextSwitch: 1e7, ioWorkerWork: 0, ioWorkerPoll: 0 };
    const { counters, metrics } = buildReading(w);
    expect(counters.workerThreads).toBe(2);
    expect(counters.workerWorkCycles).toBe(3e7);
    expect(counters.vhostCpuNs).toBe(2e7);
    expect(metrics.latencyUs.mean).toBeNaN();
    expect(metrics.latencyUs.p99).toBeNaN();
  });

  it('divides by one instead of zero in an empty window', () => {
    const w = { ...window(), cycles: 0, ns: 0, goodBytes: 0 };
    const { metrics } = buildReading(w);
    expect(metrics.cpu.vm).toBe(4e8);
    expect(Number.isFinite(metrics.throughputGbps)).toBe(true);
  });
});
