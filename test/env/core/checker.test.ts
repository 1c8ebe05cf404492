import { describe, expect, it } from '@jest/globals';
import { checkEnv } from '../../../env/core/checker.js';
import { CounterEnv } from './testing-env.js';
import { Box } from '../../../env/core/spaces/index.js';
import { Env, type ResetArgs, type ResetResult, type StepResult } from '../../../env/core/env.js';

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

describe('checkEnv on Box action spaces (Gymnasium check_space_limit)', () => {
  /** A stateless env with the given action Box: only the spaces check can warn. */
  class BoxActionEnv extends Env<Float32Array, Float32Array> {
    readonly observationSpace = new Box(-1, 1, [1]);
    constructor(readonly actionSpace: Box) {
      super();
    }
    override reset(args: ResetArgs = {}): ResetResult<Float32Array> {
      this.seedReset(args.seed);
      return { obs: new Float32Array([this.npRandom.uniform(-1, 1)]), info: {} };
    }
    override step(): StepResult<Float32Array> {
      return { obs: new Float32Array([this.npRandom.uniform(-1, 1)]), reward: 0, terminated: false, truncated: false, info: {} };
    }
  }
  const warnsAbout = (b: Box) => checkEnv(new BoxActionEnv(b), { skipRenderCheck: true }).some((w) => w.includes('not normalised'));

  it('accepts [-1, 1], [0, 1] and symmetric [-0.5, 0.5]; warns on [0, 2], [-2, 2] and [-1, 0.5]', () => {
    expect(warnsAbout(new Box(-1, 1, [2]))).toBe(false);
    expect(warnsAbout(new Box(0, 1, [2]))).toBe(false);
    expect(warnsAbout(new Box(-0.5, 0.5, [2]))).toBe(false);
    expect(warnsAbout(new Box(0, 2, [2]))).toBe(true);
    expect(warnsAbout(new Box(-2, 2, [2]))).toBe(true);
    expect(warnsAbout(new Box(-1, 0.5, [2]))).toBe(true);
  });
});
