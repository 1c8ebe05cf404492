import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { EnvSpec, make, parseEnvId, pprintRegistry, register, registry, spec } from '../../../env/core/registry.js';
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
    expect(msg(() => make('CartPole'))).toBe('Environment id "CartPole" is unversioned; use one of: CartPole-v1');
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

  it('refuses an id it cannot find and a registered id twice', () => {
    expect(() => EnvSpec.fromJSON({ ...spec('CartPole-v1').toJSON(), id: 'Gone-v3' })).toThrow("Environment Gone doesn't exist");
    expect(() => register('CartPole-v1', { entryPoint: () => new CounterEnv() })).toThrow('already registered');
  });

  it('lists the registry', () => {
    expect(registry.has('CartPole-v1')).toBe(true);
    expect(pprintRegistry()).toContain('CartPole-v1');
  });
});
