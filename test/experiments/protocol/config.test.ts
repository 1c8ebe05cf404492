/**
 * The protocol config's variants: `envParams` lists are axes of a grid, and `variants` (whole kwargs
 * objects) are applied on top of every grid point, so "the default plus one-kwarg ablations" can be said.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { UsageError } from '../../../experiments/errors.js';
import { parseProtocolConfig, variantLabel } from '../../../experiments/protocol/config.js';

const base = {
  train: { scenarios: ['train:0-1'], validation: ['train:2'], seeds: 1, learners: [{ algo: 'ppo', steps: 10 }] },
  test: { scenarios: ['heldout:100'] },
};

function usageError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
}

describe('protocol config variants', () => {
  it('without variants, the envParams grid alone (axes in key order)', () => {
    const p = parseProtocolConfig({ ...base, envParams: { fidelity: 'fast', switchPenalty: [0, 0.1], noise: [true, false] } });
    expect(p.variants).toEqual([
      { fidelity: 'fast', switchPenalty: 0, noise: true }, { fidelity: 'fast', switchPenalty: 0, noise: false },
      { fidelity: 'fast', switchPenalty: 0.1, noise: true }, { fidelity: 'fast', switchPenalty: 0.1, noise: false },
    ]);
  });

  it('whole variants: the default plus single-kwarg ablations', () => {
    const p = parseProtocolConfig({ ...base, envParams: { fidelity: 'fast' }, variants: [{}, { epochMs: 50 }, { exitless: false }, { cores: 16 }] });
    expect(p.variants).toEqual([
      { fidelity: 'fast' }, { fidelity: 'fast', epochMs: 50 }, { fidelity: 'fast', exitless: false }, { fidelity: 'fast', cores: 16 },
    ]);
    expect(p.variants.map(variantLabel)).toEqual(['fidelity=fast', 'fidelity=fast,epochMs=50', 'fidelity=fast,exitless=false', 'fidelity=fast,cores=16']);
  });

  it('whole variants apply on top of every grid point', () => {
    const p = parseProtocolConfig({ ...base, envParams: { switchPenalty: [0, 0.1] }, variants: [{}, { cores: 16, exitless: false }] });
    expect(p.variants).toEqual([
      { switchPenalty: 0 }, { switchPenalty: 0, cores: 16, exitless: false },
      { switchPenalty: 0.1 }, { switchPenalty: 0.1, cores: 16, exitless: false },
    ]);
  });

  it('refuses bad variants in one line naming the place', () => {
    const bad = (variants: unknown, envParams: Record<string, unknown> = {}): string => usageError(() => parseProtocolConfig({ ...base, envParams, variants }, 'a.json'));
    expect(bad([])).toMatch(/^a\.json: variants: an empty list gives no variant/);
    expect(bad([{}, { scenario: 'paper' }])).toBe('a.json: variants[1].scenario: set by the protocol (scenarios under train/test; actionMode and history under train)');
    expect(bad([{ reward: 'bpc' }], { reward: 'app' })).toBe('a.json: variants[0].reward: also in envParams; give it in one place');
    expect(bad([{}, { cores: 16 }, {}])).toBe('a.json: variants[2]: {} is listed twice');
    expect(bad([{ cores: 16, exitless: false }, { exitless: false, cores: 16 }])).toMatch(/^a\.json: variants\[1\]: .* is listed twice$/);
    // a variant is one point: its values are scalars, not axes
    expect(bad([{ cores: [8, 16] }])).toMatch(/^a\.json: variants\.0\.cores: /);
    expect(bad({ cores: 16 })).toMatch(/^a\.json: variants: .*expected array/);
  });
});

describe('experiments/configs/ablations.json', () => {
  const read = (f: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`../../../experiments/configs/${f}`, import.meta.url), 'utf8')) as Record<string, unknown>;

  it('is the protocol with the default and three single-kwarg ablations, PPO as in protocol.json', () => {
    const a = read('ablations.json'), main = read('protocol.json');
    const p = parseProtocolConfig(a, 'ablations.json');
    expect(p.variants.map(variantLabel)).toEqual([
      'fidelity=fast,reward=app', 'fidelity=fast,reward=app,epochMs=50', 'fidelity=fast,reward=app,exitless=false', 'fidelity=fast,reward=app,cores=16',
    ]);
    const mainTrain = main.train as { learners: { algo: string }[] };
    const ppo = mainTrain.learners.find((l) => l.algo === 'ppo');
    expect(p.config.train.learners).toEqual([ppo]);
    expect(p.trainSeeds).toEqual([1, 2, 3]);
    expect(p.testScenarios).toHaveLength(50);
    expect([p.testScenarios[0], p.testScenarios[49]]).toEqual(['heldout:100', 'heldout:149']);
    expect(p.testSeeds).toEqual([0, 1, 2]);
    expect([p.config.agents, p.config.oracles, p.config.out]).toEqual([['iocm'], ['oracle', 'oracle-static'], 'results/ablations']);
  });
});
