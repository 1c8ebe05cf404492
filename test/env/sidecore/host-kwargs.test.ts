/**
 * The host ablation kwargs of SideCore-v1: `cores` and `exitless` override the scenario's host. Absent
 * (or equal to the scenario's values), the env must be exactly the env without them.
 */
import { describe, expect, it } from '@jest/globals';
import { make } from '../../../env/core/registry.js';
import '../../../env/index.js';
import { SideCoreEnv, type SideCoreOptions } from '../../../env/sidecore.js';
import type { EpochCounters } from '../../../env/sim/counters.js';

/** Two phases of `phaseS` seconds each (the detailed tier gets short ones: it simulates every packet). */
function scenario(phaseS: number): Record<string, unknown> {
  return {
    name: 'tiny',
    vms: 3,
    host: { cores: 8, exitlessInterrupts: true },
    phases: [
      { name: 'rr', durationS: phaseS, workload: { type: 'tcp_rr' } },
      { name: 'stream', durationS: phaseS, workload: { type: 'tcp_stream_tx' } },
    ],
  };
}
const tiny = scenario(0.5);

interface Step { reward: number; obs: number[]; counters: EpochCounters }

/** One episode at a fixed absolute action (I/O cores). */
function episode(o: SideCoreOptions, ioCores: number): Step[] {
  const env = new SideCoreEnv({ scenario: o.fidelity === 'detailed' ? scenario(0.2) : tiny, actionMode: 'absolute', ...o });
  env.reset({ seed: 3 });
  const out: Step[] = [];
  for (;;) {
    const r = env.step(ioCores);
    out.push({ reward: r.reward, obs: Array.from(r.obs), counters: r.info.counters as EpochCounters });
    if (r.truncated) return out;
  }
}

describe.each(['fast', 'detailed'] as const)('SideCore-v1 host kwargs (%s tier)', (fidelity) => {
  it("the scenario's own values give bit-identical episodes to not passing the kwargs", () => {
    for (const x of fidelity === 'fast' ? [0, 2] : [2]) {
      const plain = episode({ fidelity }, x);
      const same = episode({ fidelity, cores: 8, exitless: true }, x);
      expect(same.length).toBe(plain.length);
      same.forEach((s, i) => {
        expect(Object.is(s.reward, plain[i]!.reward)).toBe(true);
        expect(s.obs).toEqual(plain[i]!.obs);
      });
    }
  });

  it('cores: 16 puts 16 − x cores on the VM side', () => {
    // the VM cores are the host's cores minus the I/O cores (docs/model.md), one idle reading each
    for (const x of fidelity === 'fast' ? [0, 1, 3] : [1]) {
      const steps = episode({ fidelity, cores: 16 }, x);
      for (const s of steps) expect(s.counters.vmCoreIdleNs.length).toBe(16 - x);
    }
  });
});

describe('SideCore-v1 cores and exitless', () => {
  it('cores sets the host and the default maxIoCores = min(4, cores − 1)', () => {
    const cases: [number, number][] = [[16, 4], [5, 4], [4, 3], [2, 1]];
    for (const [cores, max] of cases) {
      const env = new SideCoreEnv({ scenario: tiny, cores });
      expect(env.scenario.host.cores).toBe(cores);
      expect(env.maxIoCores).toBe(max);
    }
    // an explicit maxIoCores is checked against the overridden core count
    expect(new SideCoreEnv({ scenario: tiny, cores: 16, maxIoCores: 8 }).maxIoCores).toBe(8);
    expect(() => new SideCoreEnv({ scenario: tiny, cores: 4, maxIoCores: 4 })).toThrow(/maxIoCores 4 leaves no VM core on a 4-core host/);
  });

  it('exitless: false turns exitless interrupts off: side-core request/response gets slower', () => {
    // without exitless delivery every interrupt to a VM costs an injection exit and an EOI exit
    // (docs/model.md), so the same 1-I/O-core configuration completes fewer transactions
    const sum = (xs: Step[]): number => xs.reduce((a, s) => a + s.reward, 0);
    const on = episode({ noise: false }, 1), off = episode({ noise: false, exitless: false }, 1);
    expect(new SideCoreEnv({ scenario: tiny, exitless: false }).scenario.host.exitlessInterrupts).toBe(false);
    expect(sum(off)).toBeLessThan(sum(on));
  });

  it('refuses bad values at make, naming the kwarg', () => {
    for (const [kw, bad] of [['cores', 1], ['cores', 65], ['cores', 8.5], ['cores', '16'], ['exitless', 'no']] as const) {
      expect(() => make('SideCore-v1', { scenario: tiny, [kw]: bad })).toThrow(new RegExp(kw));
    }
  });
});
