import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { CartPoleEnv } from '../../../env/classic/cartpole.js';
import { captureWarnings } from '../../../env/core/logger.js';
import { make } from '../../../env/core/registry.js';
import '../../../env/index.js';

interface Transition {
  episode: number;
  t: number;
  state: number[];
  action: number;
  next_state: number[];
  next_obs: number[];
  reward: number;
  terminated: boolean;
  truncated: boolean;
}
interface Trace {
  episodes: { seed: number; reset_state: number[]; reset_obs: number[] }[];
  transitions: Transition[];
}
const trace = JSON.parse(readFileSync(new URL('../../data/gymnasium-cartpole-trace.json', import.meta.url), 'utf8')) as Trace;

/** The env with its hidden float64 state set directly. */
function envAt(state: number[]): CartPoleEnv {
  const env = new CartPoleEnv();
  env.reset({ seed: 0 });
  env.setState({ ...env.getState(), state, stepsBeyondTerminated: null });
  return env;
}

describe('CartPole-v1 against Gymnasium 1.4.0', () => {
  it('reproduces the seeded reset state and observation of every recorded episode exactly', () => {
    for (const ep of trace.episodes) {
      const env = new CartPoleEnv();
      const { obs } = env.reset({ seed: ep.seed });
      expect(env.getState().state).toEqual(ep.reset_state);
      expect(Array.from(obs)).toEqual(ep.reset_obs);
    }
  });

  it(`reproduces all ${trace.transitions.length} recorded transitions within 1e-12`, () => {
    let worst = 0;
    for (const tr of trace.transitions) {
      const env = envAt(tr.state);
      const r = env.step(tr.action);
      const next = env.getState().state!;
      for (let i = 0; i < 4; i++) worst = Math.max(worst, Math.abs(next[i]! - tr.next_state[i]!));
      expect(r.reward).toBe(tr.reward);
      expect(r.terminated).toBe(tr.terminated);
      expect(r.truncated).toBe(tr.truncated);
      for (let i = 0; i < 4; i++) expect(Math.abs(r.obs[i]! - tr.next_obs[i]!)).toBeLessThanOrEqual(Math.abs(tr.next_obs[i]!) * 1.2e-7);
    }
    expect(worst).toBeLessThanOrEqual(1e-12);
  });

  it('replays the recorded episodes from their seeds and actions', () => {
    for (const ep of trace.episodes) {
      const steps = trace.transitions.filter((t) => t.episode === trace.episodes.indexOf(ep));
      if (steps.length === 0) continue;
      const env = new CartPoleEnv();
      env.reset({ seed: ep.seed });
      for (const tr of steps) {
        const r = env.step(tr.action);
        expect(r.terminated).toBe(tr.terminated);
        const s = env.getState().state!;
        for (let i = 0; i < 4; i++) expect(Math.abs(s[i]! - tr.next_state[i]!)).toBeLessThanOrEqual(1e-12);
      }
    }
  });
});

describe('CartPole-v1 episode ends', () => {
  it('terminates when |x| exceeds 2.4', () => {
    expect(envAt([2.399, 1, 0, 0]).step(1).terminated).toBe(true); // x + 0.02 * 1 > 2.4
    expect(envAt([-2.399, -1, 0, 0]).step(0).terminated).toBe(true);
    expect(envAt([2.3, 1, 0, 0]).step(1).terminated).toBe(false);
  });

  it('terminates when |θ| exceeds 12°', () => {
    const lim = (12 * 2 * Math.PI) / 360;
    expect(envAt([0, 0, lim - 0.001, 1]).step(1).terminated).toBe(true);
    expect(envAt([0, 0, -lim + 0.001, -1]).step(0).terminated).toBe(true);
    expect(envAt([0, 0, lim - 0.1, 0]).step(1).terminated).toBe(false);
  });

  it('is truncated at 500 steps by make, never earlier', () => {
    const env = make('CartPole-v1');
    env.reset({ seed: 0 });
    const u = env.unwrapped as CartPoleEnv;
    let r;
    for (let t = 1; t <= 500; t++) {
      u.setState({ ...u.getState(), state: [0, 0, 0, 0] }); // keep the pole upright
      r = env.step(t % 2);
      expect(r.truncated).toBe(t === 500);
    }
  });

  it('rewards 1 per step including the terminating one, 0 after it (Sutton-Barto variant: 0 and -1)', () => {
    const env = envAt([2.399, 1, 0, 0]);
    expect(env.step(1).reward).toBe(1);
    expect(env.step(1).reward).toBe(0);
    const sb = new CartPoleEnv({ suttonBartoReward: true });
    sb.reset({ seed: 0 });
    expect(sb.step(1).reward).toBe(0);
    sb.setState({ ...sb.getState(), state: [2.399, 1, 0, 0] });
    expect(sb.step(1).reward).toBe(-1);
  });

  it('rejects actions outside Discrete(2) with a one-line error', () => {
    const env = make('CartPole-v1');
    env.reset({ seed: 0 });
    expect(() => env.step(2)).toThrow('action 2 is not in Discrete(2)');
    const u = new CartPoleEnv();
    u.reset({ seed: 0 });
    expect(() => u.step(-1)).toThrow('CartPole: action -1 is not in Discrete(2)');
  });

  it('renders an ansi line', () => {
    const env = make('CartPole-v1', {}, { renderMode: 'ansi' });
    env.reset({ seed: 0 });
    expect(env.render()).toMatch(/^\|[-#]+\| {2}x=/);
  });

  it('warns, as Gymnasium does, when render() is called without a render mode', () => {
    const env = new CartPoleEnv();
    env.reset({ seed: 0 });
    const { result, warnings } = captureWarnings(() => env.render());
    expect(result).toBeUndefined();
    expect(warnings).toEqual([expect.stringContaining('You are calling render method without specifying any render mode')]);
  });
});

describe('CartPole-v1 spaces', () => {
  it('has Gymnasium’s observation space: ±4.8, ±∞, ±24° in radians, ±∞ (float32)', () => {
    const s = new CartPoleEnv().observationSpace;
    const theta = Math.fround((2 * 12 * 2 * Math.PI) / 360);
    expect(Array.from(s.high)).toEqual([Math.fround(4.8), Infinity, theta, Infinity]);
    expect(Array.from(s.low)).toEqual([-Math.fround(4.8), -Infinity, -theta, -Infinity]);
    expect(s.boundedAbove).toEqual([true, false, true, false]);
    expect(s.dtype).toBe('float32');
    expect(s.contains(new Float32Array([0, 1e30, 0, -1e30]))).toBe(true);
    expect(s.contains(new Float32Array([5, 0, 0, 0]))).toBe(false);
  });

  it('survives the JSON round trip of its spec and space with infinite bounds', () => {
    const env = make('CartPole-v1');
    const j = JSON.parse(JSON.stringify(env.observationSpace.toJSON())) as { high: (number | null)[] };
    expect(j.high[1]).toBeNull();
  });
});
