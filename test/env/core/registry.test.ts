import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { EnvSpec, make, parseEnvId, pprintRegistry, register, registerWrapper, registry, spec } from '../../../env/core/registry.js';
import { NormalizeReward, TransformReward } from '../../../env/core/wrappers/reward.js';
import { captureWarnings } from '../../../env/core/logger.js';
import { RecordEpisodeStatistics, TimeLimit } from '../../../env/core/wrappers/common.js';
import '../../../env/index.js';
import { CounterEnv } from './testing-env.js';

register('test/Counter-v0', {
  entryPoint: (kw) => new CounterEnv(kw as { terminateAt?: number }),
  kwargsSchema: z.object({ terminateAt: z.number().int().positive().optional(), renderMode: z.enum(['ansi']).optional() }).strict(),
  maxEpisodeSteps: 5,
});

describe('ids', () => {
  it('parse namespace, name and version', () => {
    expect(parseEnvId('CartPole-v1')).toEqual({ namespace: undefined, name: 'CartPole', version: 1 });
    expect(parseEnvId('ns/My-Env-v12')).toEqual({ namespace: 'ns', name: 'My-Env', version: 12 });
    expect(parseEnvId('Plain')).toEqual({ namespace: undefined, name: 'Plain', version: undefined });
    expect(() => parseEnvId('bad id!')).toThrow('Malformed environment id');
  });
});

describe('make', () => {
  it('wraps in PassiveEnvChecker → OrderEnforcing → TimeLimit and records the spec', () => {
    const env = make('test/Counter-v0', { terminateAt: 100 });
    expect(String(env)).toBe('<TimeLimit<OrderEnforcing<PassiveEnvChecker<CounterEnv<test/Counter-v0>>>>>');
    expect(env.spec?.kwargs).toEqual({ terminateAt: 100 });
    env.reset({ seed: 1 });
    const flags = Array.from({ length: 5 }, () => env.step(1).truncated);
    expect(flags).toEqual([false, false, false, false, true]);
  });

  it('overrides or disables the time limit', () => {
    expect(String(make('test/Counter-v0', {}, { maxEpisodeSteps: -1 }))).not.toContain('TimeLimit');
    const e = make('test/Counter-v0', {}, { maxEpisodeSteps: 2 });
    e.reset();
    e.step(1);
    expect(e.step(1).truncated).toBe(true);
    expect(() => make('test/Counter-v0', {}, { maxEpisodeSteps: 0 })).toThrow('maxEpisodeSteps must be a positive integer or -1');
  });

  it('gives one-line errors for unknown, unversioned or missing-version ids and bad kwargs', () => {
    const msg = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(msg(() => make('Nope-v0'))).toMatch(/^Environment Nope doesn't exist\./);
    expect(msg(() => make('cartpole-v1'))).toContain('Did you mean CartPole-v1');
    expect(msg(() => make('CartPole-v0'))).toBe("Environment version v0 of CartPole doesn't exist; available: CartPole-v1");
    expect(msg(() => make('CartPole-v1', { foo: 1 }))).toBe('CartPole-v1: unknown kwarg "foo"');
    expect(msg(() => make('test/Counter-v0', { terminateAt: -3 }))).toMatch(/^test\/Counter-v0: kwarg "terminateAt": /);
    expect(msg(() => make('CartPole-v1', {}, { renderMode: 'human' }))).toContain('renderMode');
    for (const m of [msg(() => make('Nope-v0')), msg(() => make('CartPole-v1', { foo: 1 }))]) expect(m).not.toContain('\n');
  });
});

describe('EnvSpec', () => {
  it('round-trips through JSON and rebuilds the same env', () => {
    const env = make('test/Counter-v0', { terminateAt: 3 });
    const json = JSON.stringify(env.spec!.toJSON());
    const back = EnvSpec.fromJSON(json);
    expect(back.toJSON()).toEqual(env.spec!.toJSON());
    const env2 = back.make();
    env.reset({ seed: 4 });
    env2.reset({ seed: 4 });
    expect(env2.step(2)).toEqual(env.step(2));
  });

  it('refuses an id it cannot find', () => {
    expect(() => EnvSpec.fromJSON({ ...spec('CartPole-v1').toJSON(), id: 'Gone-v3' })).toThrow("Environment Gone doesn't exist");
  });

  it('lists the registry', () => {
    expect(registry.has('CartPole-v1')).toBe(true);
    expect(pprintRegistry()).toContain('CartPole-v1');
  });
});

// Gymnasium 1.x tests/envs/registration (test_register.py, test_make.py, test_env_spec.py), restated.
describe('register and make as Gymnasium', () => {
  const entryPoint = () => new CounterEnv();

  it('parses the ids Gymnasium parses, and refuses malformed ones', () => {
    expect(parseEnvId('MyAwesomeEnv-vfinal-v0')).toEqual({ namespace: undefined, name: 'MyAwesomeEnv-vfinal', version: 0 });
    expect(parseEnvId('MyAwesomeEnv-vfinal')).toEqual({ namespace: undefined, name: 'MyAwesomeEnv-vfinal', version: undefined });
    expect(parseEnvId('MyAwesomeEnv--')).toEqual({ namespace: undefined, name: 'MyAwesomeEnv--', version: undefined });
    expect(parseEnvId('MyAwesomeEnv-v')).toEqual({ namespace: undefined, name: 'MyAwesomeEnv-v', version: undefined });
    for (const bad of ['\u201cBreakout-v0\u201d', 'MyNotSoAwesomeEnv-vNone\n', 'MyNamespace///MyNotSoAwesomeEnv-vNone']) {
      expect(() => register(bad, { entryPoint })).toThrow('Malformed environment id');
    }
  });

  it('refuses mixing versioned and unversioned ids of one name, either way round', () => {
    register('Test/MyEnv-v0', { entryPoint });
    expect(() => register('Test/MyEnv', { entryPoint })).toThrow(
      "Can't register the unversioned environment `Test/MyEnv` when the versioned environment `Test/MyEnv-v0` of the same name already exists",
    );
    registry.delete('Test/MyEnv-v0');
    register('Test/MyEnv', { entryPoint });
    expect(() => register('Test/MyEnv-v0', { entryPoint })).toThrow(
      "Can't register the versioned environment `Test/MyEnv-v0` when the unversioned environment `Test/MyEnv` of the same name already exists",
    );
    registry.delete('Test/MyEnv');
  });

  it('re-registering an id replaces it with a warning', () => {
    register('Test/Again-v0', { entryPoint, maxEpisodeSteps: 3 });
    const { warnings } = captureWarnings(() => register('Test/Again-v0', { entryPoint, maxEpisodeSteps: 7 }));
    expect(warnings).toEqual(['Overriding environment Test/Again-v0 already in registry']);
    expect(spec('Test/Again-v0').maxEpisodeSteps).toBe(7);
    registry.delete('Test/Again-v0');
  });

  it('makes the latest version for an unversioned id, with a warning', () => {
    for (const v of [1, 3, 5]) register(`Ns/Versioned-v${v}`, { entryPoint });
    const { result: env, warnings } = captureWarnings(() => make('Ns/Versioned'));
    expect(env.spec!.id).toBe('Ns/Versioned-v5');
    expect(warnings).toEqual(['Using the latest versioned environment `Ns/Versioned-v5` instead of the unversioned environment `Ns/Versioned`']);
    expect(() => make('Ns/Versioned-v6')).toThrow('available: Ns/Versioned-v1, Ns/Versioned-v3, Ns/Versioned-v5');
    for (const v of [1, 3, 5]) registry.delete(`Ns/Versioned-v${v}`);
  });

  it('passes kwargs unchecked to an entry point registered without a schema', () => {
    let got: Record<string, unknown> | undefined;
    register('Test/Kw-v0', { entryPoint: (kw) => ((got = kw), new CounterEnv(kw as { terminateAt?: number })), kwargs: { terminateAt: 2 } });
    const env = make('Test/Kw-v0', { extra: 'x' });
    expect(got).toEqual({ terminateAt: 2, extra: 'x' });
    expect(env.spec!.kwargs).toEqual({ terminateAt: 2, extra: 'x' });
    registry.delete('Test/Kw-v0');
  });

  it('refuses an entry point that is not a function', () => {
    expect(() => register('Test/NoEntry-v0', { entryPoint: 'module:Env' as unknown as () => CounterEnv })).toThrow('entryPoint must be a function');
  });
});

describe('EnvSpec equality and the specs of wrapped envs', () => {
  it('equals its JSON round trip, and differs when a field differs', () => {
    const s = make('CartPole-v1').spec!;
    expect(EnvSpec.fromJSON(JSON.stringify(s.toJSON())).equals(s)).toBe(true);
    expect(spec('CartPole-v1').equals(EnvSpec.fromJSON(spec('CartPole-v1').toJSON()))).toBe(true);
    expect(s.equals(s.with({ maxEpisodeSteps: 10 }))).toBe(false);
    expect(s.equals(s.with({ kwargs: { suttonBartoReward: true } }))).toBe(false);
    expect(s.equals(spec('test/Counter-v0'))).toBe(false);
    expect(s.equals(s.toJSON())).toBe(false);
  });

  it('TimeLimit(env, 10).spec reports 10 steps', () => {
    const env = new TimeLimit(make('CartPole-v1'), 10);
    expect(env.spec!.maxEpisodeSteps).toBe(10);
    expect(env.spec!.id).toBe('CartPole-v1');
    expect(make(env.spec!).spec!.maxEpisodeSteps).toBe(10);
  });
});

// Gymnasium's spec stack (tests/envs/registration/test_env_spec.py), restated.
describe('the spec of a wrapped env lists its wrappers, and make rebuilds them', () => {
  it('records NormalizeReward and RecordEpisodeStatistics, round-trips through JSON and rebuilds the stack', () => {
    const env = new NormalizeReward(new RecordEpisodeStatistics(make('CartPole-v1'), 7), 0.8);
    const s = env.spec!;
    expect(s.additionalWrappers).toEqual([
      { name: 'RecordEpisodeStatistics', kwargs: { bufferLength: 7, statsKey: 'episode' } },
      { name: 'NormalizeReward', kwargs: { gamma: 0.8, epsilon: 1e-8 } },
    ]);
    const back = EnvSpec.fromJSON(JSON.stringify(s.toJSON()));
    expect(back.equals(s)).toBe(true);
    const again = make(back);
    expect(again).toBeInstanceOf(NormalizeReward);
    expect((again as NormalizeReward<unknown, unknown>).gamma).toBe(0.8);
    expect((again as NormalizeReward<unknown, unknown>).env).toBeInstanceOf(RecordEpisodeStatistics);
    expect(again.spec!.equals(s)).toBe(true);
    expect(again.unwrapped.spec!.additionalWrappers).toEqual([]);
    const a = env.reset({ seed: 42 }), b = again.reset({ seed: 42 });
    expect(b.obs).toEqual(a.obs);
    expect(again.step(1)).toEqual(env.step(1));
  });

  it('leaves out the wrappers make adds and the ones holding functions', () => {
    expect(make('CartPole-v1').spec!.additionalWrappers).toEqual([]);
    expect(new TransformReward(make('CartPole-v1'), (r) => 2 * r).spec!.additionalWrappers).toEqual([]);
  });

  it('records a registered custom wrapper applied by make', () => {
    registerWrapper('Test/Double', (env) => new TransformReward(env, (r) => 2 * r));
    register('Test/Wrapped-v0', { entryPoint: () => new CounterEnv(), additionalWrappers: [{ name: 'Test/Double', kwargs: {} }] });
    const env = make('Test/Wrapped-v0');
    expect(env.spec!.additionalWrappers).toEqual([{ name: 'Test/Double', kwargs: {} }]);
    env.reset({ seed: 0 });
    expect(env.step(2).reward).toBe(4);
    registry.delete('Test/Wrapped-v0');
  });
});
