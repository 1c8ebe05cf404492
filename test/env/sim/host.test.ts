import { describe, it, expect } from '@jest/globals';
import { HostSim } from '../../../env/sim/host.js';
import { iocmStats, phaseScenario, runStatic } from '../../../env/sim/measure.js';
import { loadScenario, type Scenario } from '../../../env/sim/scenario.js';

/** A shipped scenario with halting guests (`guestIdle: 'hlt'`) instead of its own idle mode. */
function halting(name: string): Scenario {
  const s = loadScenario(name);
  return { ...s, host: { ...s.host, guestIdle: 'hlt' } };
}

const mixed = {
  name: 'mix-test', host: { nics: 2 }, vms: 7, phases: [
    { durationS: 0.1, workload: { type: 'tcp_rr' }, perVm: [null, { type: 'tcp_stream_tx', segmentBytes: 1448 }, { type: 'memcached' }, { type: 'cpu', ioRatePerSec: 2000 }, { type: 'tcp_stream_rx' }, { type: 'apache' }, { type: 'udp_rr', ratePerSec: 20000 }] },
    { durationS: 0.1, workload: { type: 'memcached' } },
  ],
};

/** A fixed script of advances and reconfigurations, returning every epoch reading as JSON. */
function script(sim: HostSim, steps: [number, number | null][]): string {
  const out: string[] = [];
  for (const [dtMs, x] of steps) {
    sim.advance(dtMs * 1e6);
    if (x !== null) sim.setIoCores(x);
    out.push(JSON.stringify(sim.readEpoch()));
  }
  return out.join('\n');
}
const STEPS: [number, number | null][] = [[15, 2], [15, 3], [10, 1], [10, 0], [15, 4], [20, null], [15, 1]];

describe('HostSim mechanics', () => {
  it('is deterministic: same seed and actions give identical readings; another seed differs', () => {
    const a = script(new HostSim(mixed, { seed: 7, ioCores: 0 }), STEPS);
    const b = script(new HostSim(mixed, { seed: 7, ioCores: 0 }), STEPS);
    const c = script(new HostSim(mixed, { seed: 8, ioCores: 0 }), STEPS);
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('restores a snapshot exactly (bit-identical future), also through structuredClone', () => {
    const sim = new HostSim(mixed, { seed: 3, ioCores: 1 });
    sim.advance(45e6);
    sim.setIoCores(2);
    sim.advance(5e6);
    const snap = structuredClone(sim.getState());
    const a = script(sim, STEPS);
    sim.setState(snap);
    const b = script(sim, STEPS);
    expect(b).toBe(a);
    const other = new HostSim(mixed, { seed: 99, ioCores: 0 });
    other.setState(snap);
    expect(script(other, STEPS)).toBe(a);
  });

  it('accounts every cycle of every core exactly, and conserves bytes', () => {
    const sim = new HostSim(mixed, { seed: 5, ioCores: 0 });
    script(sim, STEPS);
    const acc = sim.cycleAccounts();
    expect(acc.elapsed).toBeGreaterThan(0);
    for (const c of acc.perCore) expect(c).toBe(acc.elapsed);
    for (const v of Object.values(acc.byCategory)) expect(Number.isInteger(v)).toBe(true); // whole cycles
    const sum = Object.values(acc.byCategory).reduce((x, y) => x + y, 0);
    expect(sum).toBe(acc.elapsed * sim.nCores);
    const by = sim.byteAccounts();
    expect(by.sent).toBeGreaterThan(1e6);
    expect(by.sent).toBe(by.received + by.inQueues + by.onWire);
  });

  it('reports the counters IOcm reads, consistent with each other', () => {
    const sim = new HostSim('elvis-memcached-7vm', { seed: 1, ioCores: 2 });
    sim.advance(50e6);
    sim.readEpoch();
    sim.advance(100e6);
    const { counters: c, metrics: m, phase } = sim.readEpoch();
    expect(phase).toBe(0);
    expect(c.tscCycles).toBe(Math.round(100e6 * 2.2));
    expect(c.wallNs).toBeCloseTo(100e6, 3);
    expect(c.ioCores).toBe(2);
    expect(c.workerThreads).toBe(2);
    expect(c.vmCoreIdleNs).toHaveLength(6);
    expect(c.workerLoops).toHaveLength(2);
    expect(c.workerWorkCyclesEach.reduce((a, b) => a + b, 0)).toBeCloseTo(c.workerWorkCycles, 0);
    expect(c.workerWorkCycles).toBeLessThanOrEqual(2 * c.tscCycles);
    expect(c.handledBytes).toBeGreaterThan(0);
    expect(c.handledPackets).toBeGreaterThan(0);
    // workers poll all the time: their threads use their cores entirely
    expect(c.vhostCpuNs).toBeCloseTo(2 * c.wallNs, -3);
    for (let w = 0; w < 2; w++) expect(c.workerLoops[w]!).toBeGreaterThanOrEqual(c.workerEmptyPolls[w]!);
    const s = iocmStats(c);
    expect(s.empty).toBeGreaterThanOrEqual(0);
    expect(s.empty).toBeLessThanOrEqual(2);
    expect(m.cpu.vm + m.cpu.io + m.cpu.idle).toBeCloseTo(8, 9);
    expect(m.perVm).toHaveLength(7);
    expect(m.latencyUs.p50).toBeLessThanOrEqual(m.latencyUs.p99);
    expect(m.transactionsPerSec).toBeCloseTo(m.perVm.reduce((a, p) => a + p.transactionsPerSec, 0), 6);
  });

  it('side-core polling removes kick and interrupt exits; the baseline has all of them', () => {
    const base = new HostSim('elvis-memcached-7vm', { seed: 1, ioCores: 0 });
    base.advance(100e6);
    const b = base.readEpoch().metrics.exitsByReason;
    expect(b.io_kick!).toBeGreaterThan(0);
    expect(b.eoi!).toBeGreaterThan(0);
    const side = new HostSim('elvis-memcached-7vm', { seed: 1, ioCores: 2 });
    side.advance(100e6);
    const s = side.readEpoch().metrics.exitsByReason;
    expect(s.io_kick).toBe(0);
    expect(s.irq_injection).toBe(0);
    expect(s.eoi).toBe(0);
    const injected = new HostSim('elvis-memcached-7vm', { seed: 1, ioCores: 2, exitlessInterrupts: false });
    injected.advance(100e6);
    expect(injected.readEpoch().metrics.exitsByReason.eoi!).toBeGreaterThan(0);
  });

  it('makes a reconfiguration visible as a throughput dip while devices are moved', () => {
    // halting guests (the ELVIS scenario's polling guests hide part of the dip in their spare cycles)
    const sim = new HostSim(halting('elvis-rr-7vm'), { seed: 2, ioCores: 1 });
    sim.advance(50e6);
    sim.readEpoch();
    sim.advance(2e6);
    const before = sim.readEpoch().metrics.transactionsPerSec;
    sim.setIoCores(2); // devices 1, 3, 5 move to the new worker, one after the other
    sim.advance(1e6);
    const during = sim.readEpoch().metrics.transactionsPerSec;
    sim.advance(20e6);
    sim.readEpoch();
    sim.advance(2e6);
    const after = sim.readEpoch().metrics.transactionsPerSec;
    expect(after).toBeGreaterThan(0.95 * before);
    expect(during).toBeLessThan(0.85 * Math.min(before, after));
  });

  it('changes workloads at phase boundaries', () => {
    const sim = new HostSim(mixed, { seed: 1, ioCores: 1 });
    sim.advance(100e6 - 1);
    expect(sim.readEpoch().phase).toBe(0);
    sim.advance(50e6);
    expect(sim.readEpoch().phase).toBe(1);
    sim.advance(50e6);
    const m = sim.readEpoch().metrics;
    for (const p of m.perVm) expect(p.transactionsPerSec).toBeGreaterThan(1000);
  });

  it("gives IOcm's rules the signals they expect (docs/iocm-policy.md §2)", () => {
    const stats = (s: Parameters<typeof runStatic>[0], x: number) =>
      iocmStats(runStatic(s, { seed: 1, ioCores: x, durationS: 0.05, warmupS: 0.05 }).lastEpoch.counters);
    // heavy I/O in the baseline: vhost threads use more than half a core → start side-core
    expect(stats(loadScenario('elvis-memcached-7vm'), 0).overallIoRatio).toBeGreaterThan(0.5);
    // light load on one I/O core: it is less than 20 % busy → back to the baseline
    const light = stats(phaseScenario(loadScenario('paper'), 0, 1), 1);
    expect(1 - light.empty).toBeLessThan(0.2);
    // memcached on one I/O core: no idle I/O capacity while the VMs have idle cores → add a core. With
    // halting guests only: polling guests (the ELVIS scenarios' default) keep every VM core busy, so
    // IOcm sees no idle VM capacity at all
    const mc = stats(halting('elvis-memcached-7vm'), 1);
    expect(mc.empty).toBeLessThan(0.12);
    expect(mc.vmIdle).toBeGreaterThan(1);
    expect(stats(loadScenario('elvis-memcached-7vm'), 1).vmIdle).toBeLessThan(0.01);
    // small packets on RR: the average packet is far below IOcm's 1,600 B shrink threshold
    expect(stats(loadScenario('elvis-rr-2vm'), 1).avgBytesPerPacket).toBeLessThan(1600);
  });

  it('serves a request to a descheduled computing vCPU as soon as the vCPU runs again, not after its compute chunk', () => {
    // two CPU-bound VMs (one vCPU each, light open-loop requests) share one VM core (2 cores, 1 I/O core):
    // each vCPU waits ~half of the time in the runqueue, and requests arrive then too
    const scen = { name: 'irq-queued', host: { cores: 2, maxIoCores: 1 }, vms: 2, phases: [{ durationS: 1, workload: { type: 'cpu', ioRatePerSec: 2000 } }] };
    const sim = new HostSim(scen, { seed: 4, ioCores: 1 });
    // white box: observe the interrupt, the vCPU's next dispatch and the request's service
    type Internals = {
      S: { thState: Uint8Array; rxIrqEn: Uint8Array };
      k: { now: number };
      vmVcpu0: Int32Array;
      signalGuest(v: number): void;
      dispatch(c: number, t: number, fromIdle: boolean): boolean;
      appDone(v: number): void;
    };
    const h = sim as unknown as Internals;
    const signal = h.signalGuest.bind(h), dispatch = h.dispatch.bind(h), appDone = h.appDone.bind(h);
    const QUEUED = 1;
    const pending = [false, false], dispatchedAt = [-1, -1];
    const delays: number[] = [];
    h.signalGuest = (v) => {
      if (h.S.rxIrqEn[v] && h.S.thState[h.vmVcpu0[v]!] === QUEUED) pending[v] = true; // an interrupt, vCPU queued
      signal(v);
    };
    h.dispatch = (c, t, fromIdle) => {
      const v = t === h.vmVcpu0[0] ? 0 : t === h.vmVcpu0[1] ? 1 : -1;
      if (v >= 0 && pending[v] && dispatchedAt[v]! < 0) dispatchedAt[v] = h.k.now;
      return dispatch(c, t, fromIdle);
    };
    h.appDone = (v) => {
      if (dispatchedAt[v]! >= 0) delays.push((h.k.now - dispatchedAt[v]!) / sim.ghz);
      pending[v] = false; dispatchedAt[v] = -1;
      appDone(v);
    };
    sim.advance(1e9);
    expect(delays.length).toBeGreaterThan(50); // about one per off period (12 ms slices)
    // dispatch → first request served: the context switch, the softirq of the ≈ 24 requests that arrived
    // during the off period and the first one's handling (22–55 µs); before, the vCPU first finished the
    // rest of its 3 ms compute chunk (median 2.6 ms, up to 3.0 ms)
    expect(Math.max(...delays)).toBeLessThan(100e3);
    // the computation still gets the whole core (less the I/O work)
    expect(sim.readEpoch().metrics.guestComputeCores!).toBeGreaterThan(0.98);
  });

  it('rejects out-of-range I/O core counts', () => {
    expect(() => new HostSim('elvis-rr-7vm', { seed: 1, ioCores: 5 })).toThrow(/ioCores must be an integer in \[0, 4\]/);
    const sim = new HostSim('elvis-rr-7vm', { seed: 1, ioCores: 0 });
    expect(() => sim.setIoCores(-1)).toThrow(RangeError);
    expect(() => sim.setIoCores(1.5)).toThrow(RangeError);
  });
});
