/**
 * Switching priced by the caller: `switchPenalty` (subtracted from the reward on every step that changes
 * the I/O-core count) and `minDwellEpochs` (after a change, further changes are masked for that many
 * steps). Both default to off, which must leave the env's dynamics exactly as without them.
 */
import { describe, expect, it } from '@jest/globals';
import { make } from '../../../env/core/registry.js';
import { Rng } from '../../../env/core/rng.js';
import '../../../env/index.js';
import { SideCoreEnv, type SideCoreOptions } from '../../../env/sidecore.js';
import { withSwitchPenalty } from '../../../env/sidecore/reward.js';

const tiny = {
  name: 'tiny',
  vms: 3,
  phases: [
    { name: 'rr', durationS: 0.5, workload: { type: 'tcp_rr' } },
    { name: 'stream', durationS: 0.5, workload: { type: 'tcp_stream_tx' } },
  ],
};

interface Step { reward: number; obs: number[]; ioCores: number; reconfigured: boolean; mask: number[] }

/** One episode under random masked actions (the action stream seeded by `actSeed`). */
function episode(o: SideCoreOptions, actSeed: number): Step[] {
  const env = new SideCoreEnv({ scenario: tiny, ...o });
  const rng = Rng.fromSeed(actSeed);
  let { info } = env.reset({ seed: 5 });
  const out: Step[] = [];
  for (;;) {
    const mask = Array.from(info.actionMask as Int8Array);
    const feasible = mask.flatMap((m, a) => (m ? [a] : []));
    const r = env.step(feasible[rng.integers(0, feasible.length)]!);
    out.push({ reward: r.reward, obs: Array.from(r.obs), ioCores: r.info.ioCores as number, reconfigured: r.info.reconfigured as boolean, mask: Array.from(r.info.actionMask as Int8Array) });
    info = r.info;
    if (r.truncated) return out;
  }
}

describe.each(['fast', 'detailed'] as const)('SideCore-v1 switching options (%s tier)', (fidelity) => {
  it('the defaults (0, 0) give bit-identical episodes to not passing the options', () => {
    for (const actionMode of ['delta', 'absolute'] as const) {
      const plain = episode({ fidelity, actionMode }, 1);
      const zero = episode({ fidelity, actionMode, switchPenalty: 0, minDwellEpochs: 0 }, 1);
      expect(plain.some((s) => s.reconfigured)).toBe(true);
      expect(zero.length).toBe(plain.length);
      zero.forEach((s, i) => {
        expect(Object.is(s.reward, plain[i]!.reward)).toBe(true);
        expect(s.obs).toEqual(plain[i]!.obs);
      });
    }
  });

  it('switchPenalty subtracts exactly the penalty on reconfiguring steps and changes nothing else', () => {
    const plain = episode({ fidelity, actionMode: 'absolute' }, 2);
    const priced = episode({ fidelity, actionMode: 'absolute', switchPenalty: 0.25 }, 2);
    const switches = plain.filter((s) => s.reconfigured).length;
    expect(switches).toBeGreaterThan(3);
    priced.forEach((s, i) => {
      const p = plain[i]!;
      expect(s.obs).toEqual(p.obs);
      expect(s.ioCores).toBe(p.ioCores);
      expect(s.reward).toBe(p.reconfigured ? p.reward - 0.25 : p.reward);
    });
  });
});

describe('SideCore-v1 minDwellEpochs', () => {
  it('after a change masks further changes for exactly n steps (delta actions)', () => {
    const env = new SideCoreEnv({ scenario: tiny, minDwellEpochs: 3 });
    env.reset({ seed: 0 });
    let r = env.step(1); // baseline → 1 I/O core
    expect(r.info.reconfigured).toBe(true);
    for (let k = 0; k < 3; k++) {
      expect(Array.from(r.info.actionMask as Int8Array)).toEqual([1, 0, 0]);
      expect(() => env.step(1)).toThrow(/masked for \d more step\(s\) \(minDwellEpochs 3\)/);
      r = env.step(0);
    }
    expect(Array.from(r.info.actionMask as Int8Array)).toEqual([1, 1, 1]);
    r = env.step(1);
    expect(r.info.ioCores).toBe(2);
    expect(Array.from(r.info.actionMask as Int8Array)).toEqual([1, 0, 0]);
  });

  it('in absolute mode only the current count stays feasible during the dwell', () => {
    const env = new SideCoreEnv({ scenario: tiny, actionMode: 'absolute', minDwellEpochs: 2 });
    let { info } = env.reset({ seed: 0 });
    expect(Array.from(info.actionMask as Int8Array)).toEqual([1, 1, 1, 1, 1]);
    ({ info } = env.step(3));
    expect(Array.from(info.actionMask as Int8Array)).toEqual([0, 0, 0, 1, 0]);
    ({ info } = env.step(3));
    expect(Array.from(info.actionMask as Int8Array)).toEqual([0, 0, 0, 1, 0]);
    ({ info } = env.step(3));
    expect(Array.from(info.actionMask as Int8Array)).toEqual([1, 1, 1, 1, 1]);
  });

  it('a snapshot taken during a dwell restores it', () => {
    const env = new SideCoreEnv({ scenario: tiny, minDwellEpochs: 4 });
    env.reset({ seed: 0 });
    env.step(1);
    env.step(0);
    const snap = env.getState();
    const other = new SideCoreEnv({ scenario: tiny, minDwellEpochs: 4 });
    other.reset({ seed: 9 });
    other.setState(snap);
    expect(Array.from(other.actionMask())).toEqual([1, 0, 0]);
    other.step(0);
    other.step(0);
    expect(Array.from(other.actionMask())).toEqual([1, 0, 0]);
    other.step(0);
    expect(Array.from(other.actionMask())).toEqual([1, 1, 1]);
  });
});

describe('SideCore-v1 switching kwargs are validated at make', () => {
  it.each([
    [{ switchPenalty: -0.1 }, /switchPenalty/],
    [{ switchPenalty: 'high' }, /switchPenalty/],
    [{ minDwellEpochs: 1.5 }, /minDwellEpochs/],
    [{ minDwellEpochs: -1 }, /minDwellEpochs/],
  ])('%j is a one-line error', (kw, re) => {
    let msg = '';
    try {
      make('SideCore-v1', { scenario: 'paper', ...kw });
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(re);
    expect(msg).not.toContain('\n');
  });
});

describe('withSwitchPenalty', () => {
  it('subtracts the penalty only on a switch', () => {
    expect(withSwitchPenalty(0.75, true, 0.5)).toBe(0.25);
    expect(withSwitchPenalty(0.75, false, 0.5)).toBe(0.75);
    expect(Object.is(withSwitchPenalty(-0, true, 0), -0)).toBe(true);
  });
});
