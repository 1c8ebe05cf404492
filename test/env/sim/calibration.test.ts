/**
 * Calibration of the detailed simulator against the published trends (docs/model.md §15, the calibration table).
 * Short runs: 50 ms warm-up + 100 ms measured per configuration; the simulator is deterministic, so the
 * figures do not change from run to run. Tolerances are written next to each check.
 */
import { describe, it, expect } from '@jest/globals';
import { loadScenario, type Scenario } from '../../../env/sim/scenario.js';
import { bestStaticX, perVmScores, phaseScenario, relativeScore, runStatic } from '../../../env/sim/measure.js';
import type { EpochMetrics } from '../../../env/sim/counters.js';
import { HostSim } from '../../../env/sim/host.js';

const WARMUP_S = 0.05, MEASURE_S = 0.1, SEED = 1;
const cache = new Map<string, EpochMetrics>();

function run(s: Scenario, x: number): EpochMetrics {
  const key = `${s.name}/${x}`;
  let m = cache.get(key);
  if (!m) {
    m = runStatic(s, { seed: SEED, ioCores: x, durationS: MEASURE_S, warmupS: WARMUP_S }).totals.metrics;
    cache.set(key, m);
  }
  return m;
}
const named = (n: string) => loadScenario(n);

/** Scores of x = 0..4 relative to the baseline, and the best x (fewest cores within 2 % of the top). */
function sweep(s: Scenario): { rel: number[]; best: number } {
  const wl = s.phases[0]!.workloads;
  const ref = perVmScores(run(s, 0), wl);
  const rel = [0, 1, 2, 3, 4].map((x) => relativeScore(perVmScores(run(s, x), wl), ref));
  return { rel, best: bestStaticX(rel) };
}

describe('calibration (published trends)', () => {
  it('1. TCP_RR, 7 VMs: one I/O core gives >= 1.2x the baseline transactions/s and lower mean latency', () => {
    const s = named('elvis-rr-7vm');
    const base = run(s, 0), side = run(s, 1);
    expect(side.transactionsPerSec / base.transactionsPerSec).toBeGreaterThanOrEqual(1.2);
    expect(side.latencyUs.mean).toBeLessThan(base.latencyUs.mean);
  });

  it('2. ELVIS workloads, 7 VMs: the best side-core configuration beats the baseline by 1.2x-3x', () => {
    for (const wl of ['stream', 'rr', 'memcached', 'apache']) {
      const { rel } = sweep(named(`elvis-${wl}-7vm`));
      const best = Math.max(...rel.slice(1));
      expect([wl, best >= 1.2 && best <= 3]).toEqual([wl, true]);
    }
  });

  // Known gap (docs/model.md §14, `npx tsx experiments/rr-scaling.ts`): ELVIS's abstract says the baseline's
  // latency and throughput "significantly degrade with increasing number of guests". The model's baseline
  // TCP_RR per-VM rate falls only ≈ 4 % from 1 to 7 VMs with the ELVIS scenarios' polling guests
  // (26.0 K → 24.9 K tx/s per VM; 6 % with halting guests and idle states limited to C1), less than
  // side-core's, because the only costs that grow with the number of guests here are CPU sharing on the
  // VM cores, and 1-byte RR leaves little to share on 8 cores. The reason it cannot pass: the model
  // charges no VM exit when a woken vhost thread preempts a vCPU running in guest mode (the reschedule
  // IPI forces an external-interrupt exit, arch/x86/kvm/vmx.c PIN_BASED_EXT_INTR_MASK): 1.46 such
  // preemptions per transaction at 7 VMs, ≈ 4 µs per transaction if all on the path. The simulator's
  // dynamics are not changed in this round, so the published trend stays the expectation, as a failing test.
  it.failing('3a. (known gap with polling guests) baseline per-VM TCP_RR degrades from 1 to 7 VMs, more than side-core', () => {
    const one = run(named('elvis-rr-1vm'), 0), seven = run(named('elvis-rr-7vm'), 0);
    expect(seven.transactionsPerSec / 7).toBeLessThanOrEqual(0.9 * one.transactionsPerSec);
    expect(seven.latencyUs.mean).toBeGreaterThanOrEqual(1.1 * one.latencyUs.mean);
    const b = seven.transactionsPerSec / one.transactionsPerSec;
    const s = run(named('elvis-rr-7vm'), 1).transactionsPerSec / run(named('elvis-rr-1vm'), 1).transactionsPerSec;
    expect(s).toBeGreaterThan(b);
  });

  it('3. baseline per-VM results degrade from 1 to 7 VMs; side-core stays nearly flat until it saturates', () => {
    for (const wl of ['memcached']) {
      const one = run(named(`elvis-${wl}-1vm`), 0), seven = run(named(`elvis-${wl}-7vm`), 0);
      // per-VM transactions/s at least 10 % lower and mean latency at least 10 % higher with 7 VMs
      expect([wl, seven.transactionsPerSec / 7 <= 0.9 * one.transactionsPerSec]).toEqual([wl, true]);
      expect([wl, seven.latencyUs.mean >= 1.1 * one.latencyUs.mean]).toEqual([wl, true]);
    }
    for (const wl of ['rr', 'apache']) {
      // one I/O core, far from saturated: per-VM transactions/s within 12 % from 1 to 7 VMs
      const one = run(named(`elvis-${wl}-1vm`), 1), seven = run(named(`elvis-${wl}-7vm`), 1);
      expect([wl, seven.transactionsPerSec / 7 >= 0.88 * one.transactionsPerSec]).toEqual([wl, true]);
    }
    // streaming saturates one I/O core: per-VM throughput then falls as VMs are added
    const st1 = run(named('elvis-stream-1vm'), 1).throughputGbps, st7 = run(named('elvis-stream-7vm'), 1).throughputGbps / 7;
    expect(st7).toBeLessThan(0.5 * st1);
  });

  it('4. I/O-heavy baseline runs show hundreds of thousands of VM exits per second', () => {
    for (const wl of ['stream', 'rr', 'memcached']) {
      const m = run(named(`elvis-${wl}-7vm`), 0);
      expect([wl, m.exitsPerSec >= 1e5]).toEqual([wl, true]);
    }
  });

  it('5. the best static I/O-core count differs between workloads', () => {
    const cpu = sweep(phaseScenario(named('paper'), 3)).best; // CPU-bound VMs with little I/O
    const rr = sweep(named('elvis-rr-7vm')).best;
    const stream = sweep(named('elvis-stream-7vm')).best;
    // CPU-bound: no I/O core; RR: one (two are within a few % of it); many-VM streaming: three or more
    expect(cpu).toBe(0);
    expect([1, 2]).toContain(rr);
    expect(stream).toBeGreaterThanOrEqual(3);
    expect(new Set([cpu, rr, stream]).size).toBe(3);
  });

  it('6. cycle accounting closes exactly and bytes are conserved (sent = received + in flight)', () => {
    for (const x of [0, 2]) {
      const sim = new HostSim(named('mixed'), { seed: SEED, ioCores: x });
      sim.advance(60e6);
      sim.setIoCores(x === 0 ? 1 : 0);
      sim.advance(40e6);
      const acc = sim.cycleAccounts();
      for (const c of acc.perCore) expect(c).toBe(acc.elapsed);
      expect(Object.values(acc.byCategory).reduce((a, b) => a + b, 0)).toBe(acc.elapsed * sim.nCores);
      const by = sim.byteAccounts();
      expect(by.sent).toBe(by.received + by.inQueues + by.onWire);
    }
  });
});
