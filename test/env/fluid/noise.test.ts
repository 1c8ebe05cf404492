/** The fast tier's epoch-to-epoch noise: a pure function of (seed, time, quantity), calibrated, consistent, state-free. */
import { describe, expect, it } from '@jest/globals';
import { FluidHost } from '../../../env/fluid/host.js';
import { NOISE_SIGMA, normalAt } from '../../../env/fluid/noise.js';
import type { HostReading } from '../../../env/host-model.js';
import { loadScenario } from '../../../env/scenarios/scenario.js';

const EPOCH = 100e6;

function readings(h: FluidHost, n: number, moves: Record<number, number> = {}): HostReading[] {
  const out: HostReading[] = [];
  for (let e = 0; e < n; e++) {
    if (moves[e] !== undefined) h.setIoCores(moves[e]!);
    h.advance(EPOCH);
    out.push(h.readEpoch());
  }
  return out;
}

const sd = (xs: number[]): { mean: number; sd: number } => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean, sd: Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) };
};

describe('normalAt (counter-based normal deviates)', () => {
  it('is a pure function of its key', () => {
    expect(normalAt(7, 3e8, 1)).toBe(normalAt(7, 3e8, 1));
    expect(normalAt(7, 3e8, 1)).not.toBe(normalAt(8, 3e8, 1));
    expect(normalAt(7, 3e8, 1)).not.toBe(normalAt(7, 4e8, 1));
    expect(normalAt(7, 3e8, 1)).not.toBe(normalAt(7, 3e8, 2));
  });

  it('is standard normal over many keys: mean 0, sd 1, 2.5 % beyond ±1.96 each side', () => {
    const z: number[] = [];
    for (let k = 1; k <= 20000; k++) z.push(normalAt(1, k * EPOCH, 1));
    const s = sd(z);
    // 20,000 draws: the mean's standard error is 0.007, the sd's 0.005
    expect(Math.abs(s.mean)).toBeLessThan(0.03);
    expect(Math.abs(s.sd - 1)).toBeLessThan(0.03);
    const hi = z.filter((v) => v > 1.96).length / z.length, lo = z.filter((v) => v < -1.96).length / z.length;
    expect(Math.abs(hi - 0.025)).toBeLessThan(0.005);
    expect(Math.abs(lo - 0.025)).toBeLessThan(0.005);
  });
});

describe('FluidHost noise', () => {
  it('same seed and calls give bit-identical readings; another seed differs; noise: false is the exact model', () => {
    const a = readings(new FluidHost('paper', { seed: 5, ioCores: 1 }), 12, { 4: 2 });
    const b = readings(new FluidHost('paper', { seed: 5, ioCores: 1 }), 12, { 4: 2 });
    const c = readings(new FluidHost('paper', { seed: 6, ioCores: 1 }), 12, { 4: 2 });
    const exact = readings(new FluidHost('paper', { seed: 5, ioCores: 1, noise: false }), 12, { 4: 2 });
    const exact2 = readings(new FluidHost('paper', { seed: 6, ioCores: 1, noise: false }), 12, { 4: 2 });
    expect(a).toEqual(b);
    expect(a.map((r) => r.metrics.transactionsPerSec)).not.toEqual(c.map((r) => r.metrics.transactionsPerSec));
    expect(exact).toEqual(exact2);
    expect(a.map((r) => r.counters.handledBytes)).not.toEqual(exact.map((r) => r.counters.handledBytes));
  });

  it('keeps nothing in the state: a noisy and an exact host have the same snapshots', () => {
    const a = new FluidHost('paper', { seed: 5, ioCores: 1 }), b = new FluidHost('paper', { seed: 5, ioCores: 1, noise: false });
    readings(a, 9, { 3: 3, 6: 0 });
    readings(b, 9, { 3: 3, 6: 0 });
    expect(a.getState()).toEqual(b.getState());
  });

  it('two paths that reach the same configuration read the same noise from then on (the oracle merges them)', () => {
    // path 1: 1 → 2 at epoch 1; path 2: 1 → 3 → 2. Both at x = 2 from epoch 3 with no transient left.
    const p = new FluidHost('elvis-rr-7vm', { seed: 2, ioCores: 1 }), q = new FluidHost('elvis-rr-7vm', { seed: 2, ioCores: 1 });
    readings(p, 3, { 1: 2 });
    readings(q, 3, { 1: 3, 2: 2 });
    const s = p.getState();
    q.setState(s);
    expect(readings(p, 5)).toEqual(readings(q, 5));
  });

  it('scatters a steady reading by the calibrated σ per family, around the exact value', () => {
    // 400 epochs of a steady baseline: the sample CV of each family is σ within sampling error (±4 σ/√(2·400) ≈ ±14 %)
    // halting guests: with the ELVIS scenario's polling guests the VM cores have no idle time for the vhost
    // threads' CPU to scatter into
    const base = loadScenario('elvis-rr-7vm');
    const sc = { ...base, host: { ...base.host, guestIdle: 'hlt' as const } };
    const noisy = readings(new FluidHost(sc, { seed: 3, ioCores: 0 }), 400);
    const exact = readings(new FluidHost(sc, { seed: 3, ioCores: 0, noise: false }), 2)[1]!;
    const check = (get: (r: HostReading) => number, sigma: number): void => {
      const s = sd(noisy.slice(1).map(get));
      expect(Math.abs(s.sd / s.mean / sigma - 1)).toBeLessThan(0.15);
      expect(Math.abs(s.mean / get(exact) - 1)).toBeLessThan(4 * sigma / Math.sqrt(399) + sigma * sigma);
    };
    check((r) => r.metrics.transactionsPerSec, NOISE_SIGMA.throughput);
    check((r) => r.counters.handledBytes, NOISE_SIGMA.throughput);
    check((r) => r.counters.vhostCpuNs, NOISE_SIGMA.vhostCpu);
    check((r) => r.metrics.latencyUs.mean, NOISE_SIGMA.latencyMean);
    check((r) => r.metrics.latencyUs.p99, NOISE_SIGMA.latencyP99);
  });

  it('keeps the counters consistent: bytes per packet exact, cycle accounts add up, nothing negative, p99 ≥ p50', () => {
    const noisy = readings(new FluidHost('paper', { seed: 9, ioCores: 0 }), 60, { 10: 2, 25: 4, 40: 1, 50: 0 });
    const exact = readings(new FluidHost('paper', { seed: 9, ioCores: 0, noise: false }), 60, { 10: 2, 25: 4, 40: 1, 50: 0 });
    noisy.forEach((r, i) => {
      const e = exact[i]!, c = r.counters, m = r.metrics;
      if (e.counters.handledPackets > 0) expect(c.handledBytes / c.handledPackets).toBeCloseTo(e.counters.handledBytes / e.counters.handledPackets, 6);
      const cyc = Object.values(m.cycles!);
      expect(Math.min(...cyc)).toBeGreaterThanOrEqual(0);
      expect(Math.abs(cyc.reduce((a, b) => a + b, 0) / (8 * c.tscCycles) - 1)).toBeLessThan(1e-9);
      expect(Math.abs(m.cpu.vm + m.cpu.io + m.cpu.idle - 8)).toBeLessThan(1e-9);
      for (const v of [c.handledBytes, c.handledPackets, c.vqBytes, c.vhostCpuNs, c.workerWorkCycles, ...c.vmCoreIdleNs, m.exitsPerSec, m.interruptsPerSec]) expect(v).toBeGreaterThanOrEqual(0);
      expect(m.exitsPerSec).toBeCloseTo(Object.values(m.exitsByReason).reduce((a, b) => a + b, 0), 6);
      if (Number.isFinite(m.latencyUs.p99)) expect(m.latencyUs.p99).toBeGreaterThanOrEqual(m.latencyUs.p50);
    });
  });
});
