import { describe, expect, it } from '@jest/globals';
import { checkEnv } from '../../../env/core/checker.js';
import { CounterEnv } from './testing-env.js';

describe('checkEnv', () => {
  it('passes a correct env', () => {
    expect(checkEnv(new CounterEnv(), { skipRenderCheck: true })).toEqual([]);
    expect(checkEnv(new CounterEnv())).toEqual(['render check skipped: the env has no spec (build it with make)']);
  });

  it('catches an env that returns its internal buffer', () => {
    expect(() => checkEnv(new CounterEnv({ aliasObs: true }))).toThrow('fresh-buffers');
  });

  it('catches an env that ignores the seed', () => {
    expect(() => checkEnv(new CounterEnv({ ignoreSeed: true }))).toThrow('reset-seed');
  });

  it('catches a snapshot that misses part of the state', () => {
    const env = new CounterEnv();
    env.getState = () => ({ t: env.t, x: env.x, rng: Rng0 });
    expect(() => checkEnv(env)).toThrow('state-restore');
  });

  it('catches non-deterministic infos', () => {
    let calls = 0;
    expect(() => checkEnv(new CounterEnv({ info: () => ({ calls: calls++ }) }))).toThrow('step-determinism');
  });

  it('lets close() be called twice', () => {
    const env = new CounterEnv();
    expect(() => checkEnv(env)).not.toThrow();
    expect(() => env.close()).not.toThrow();
  });
});

// A fixed generator state: restoring it instead of the real one breaks the env's future.
import { Rng } from '../../../env/core/rng.js';
const Rng0 = Rng.fromSeed(0).getState();

// Gymnasium 1.x utils/env_checker.py checks, and the buffer checks it lacks, restated.
describe('checkEnv beyond the basics', () => {
  it('catches an env that hands out one observation buffer from every reset', () => {
    expect(() => checkEnv(new CounterEnv({ aliasResetObs: true }), { skipRenderCheck: true })).toThrow('two resets returned observations sharing one buffer');
  });

  it('refuses something that is not an Env, and an env without spaces', () => {
    expect(() => checkEnv({} as CounterEnv)).toThrow('checkEnv [env]: the environment must extend Env');
    const env = new CounterEnv();
    Object.defineProperty(env, 'observationSpace', { value: undefined });
    expect(() => checkEnv(env)).toThrow('checkEnv [spaces]: The environment must specify an observation space');
  });
});
