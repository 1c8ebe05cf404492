/**
 * Guest idle mode (`host.guestIdle`, docs/model.md §3–4, §14): halting guests exit once per idle period,
 * polling guests (idle=poll) never exit for idleness and keep their cores busy. Calibration target:
 * ELVIS (Har'El et al., USENIX ATC 2013, §4.3) reports fewer than 800 exits/s host-wide with side-cores
 * under request/response load. Both tiers. Short runs: 50 ms warm-up + 100 ms measured.
 */
import { describe, it, expect } from '@jest/globals';
import { loadScenario, ScenarioError, type Scenario } from '../../../env/sim/scenario.js';
import { runStatic } from '../../../env/sim/measure.js';
import type { EpochMetrics } from '../../../env/sim/counters.js';
import { FluidHost } from '../../../env/fluid/host.js';

const WARMUP_S = 0.05, MEASURE_S = 0.1, SEED = 1;

function withIdle(name: string, guestIdle: 'hlt' | 'poll'): Scenario {
  const s = loadScenario(name);
  return { ...s, host: { ...s.host, guestIdle } };
}

const cache = new Map<string, EpochMetrics>();
function detailed(s: Scenario, x: number): EpochMetrics {
  const key = `${s.name}/${s.host.guestIdle}/${x}`;
  let m = cache.get(key);
  if (!m) {
    m = runStatic(s, { seed: SEED, ioCores: x, durationS: MEASURE_S, warmupS: WARMUP_S }).totals.metrics;
    cache.set(key, m);
  }
  return m;
}

function fast(s: Scenario, x: number): EpochMetrics {
  const h = new FluidHost(s, { seed: SEED, ioCores: x });
  h.advance(WARMUP_S * 1e9);
  h.readEpoch();
  h.advance(MEASURE_S * 1e9);
  return h.readEpoch().metrics;
}

describe('guestIdle scenario option', () => {
  it('the ELVIS scenarios idle by polling; other scenarios keep the Linux default (HLT)', () => {
    expect(loadScenario('elvis-rr-7vm').host.guestIdle).toBe('poll');
    expect(loadScenario('elvis-stream-1vm').host.guestIdle).toBe('poll');
    expect(loadScenario('paper').host.guestIdle ?? 'hlt').toBe('hlt');
  });

  it('rejects an unknown idle mode with a one-line error naming the field', () => {
    const bad = { name: 'x', vms: 1, host: { guestIdle: 'mwait' }, phases: [{ durationS: 1, workload: { type: 'idle' } }] };
    expect(() => loadScenario(bad)).toThrow(ScenarioError);
    expect(() => loadScenario(bad)).toThrow(/host\.guestIdle: guestIdle must be one of hlt, poll/);
  });

  for (const [tier, run] of [['detailed', detailed], ['fast', fast]] as const) {
    describe(`${tier} tier`, () => {
      it('ELVIS: side-core TCP_RR on 7 polling VMs has < 800 exits/s (halting guests: one HLT exit per transaction)', () => {
        const poll = run(withIdle('elvis-rr-7vm', 'poll'), 1);
        const hlt = run(withIdle('elvis-rr-7vm', 'hlt'), 1);
        expect(poll.exitsPerSec).toBeLessThan(800);
        expect(poll.exitsByReason['hlt']).toBe(0);
        // one transaction in flight per VM: the vCPU idles between transactions, so ≈ 1 HLT per transaction
        expect(hlt.exitsByReason['hlt']! / hlt.transactionsPerSec).toBeGreaterThan(0.8);
        expect(hlt.exitsByReason['hlt']! / hlt.transactionsPerSec).toBeLessThan(1.05);
      });

      it('a polling vCPU keeps its core busy: 7 single-vCPU VMs use 7 VM cores, none idle', () => {
        const poll = run(withIdle('elvis-rr-7vm', 'poll'), 1);
        expect(poll.cpu.vm).toBeCloseTo(7, 2);
        expect(poll.cpu.idle).toBeCloseTo(0, 2);
        const hlt = run(withIdle('elvis-rr-7vm', 'hlt'), 1);
        expect(hlt.cpu.idle).toBeGreaterThan(3);
      });

      it('baseline with polling guests: every interrupt finds its vCPU in guest mode and is injected with an exit', () => {
        const m = run(withIdle('elvis-rr-1vm', 'poll'), 0);
        // one request interrupt per transaction (1 in flight): injection and EOI exits ≈ transactions
        expect(m.exitsByReason['irq_injection']! / m.transactionsPerSec).toBeGreaterThan(0.8);
        expect(m.exitsByReason['irq_injection']! / m.transactionsPerSec).toBeLessThan(1.05);
        expect(m.exitsByReason['hlt']).toBe(0);
      });
    });
  }
});
