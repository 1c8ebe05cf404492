import { describe, expect, it } from '@jest/globals';
import '../../../env/index.js';
import { make } from '../../../env/core/registry.js';
import {
  ACTIVE_TYPES, FAMILIES, FAMILY_DEFAULT_SIZE, HELDOUT_PAIRS, expandFamilyEntry, familyOf, generateScenarioSpec,
  heldoutPairsIn, parseMemberName,
} from '../../../env/scenarios/generator.js';
import { WORKLOAD_TYPES, generateScenario, loadScenario, type Scenario } from '../../../env/scenarios/scenario.js';
import { scenarioErrorOf } from '../scenario-error.js';

/** The first n members of a family (validated by loadScenario inside generateScenario). */
const members = (family: 'train' | 'heldout', n: number): Scenario[] => Array.from({ length: n }, (_, i) => generateScenario(family, i));
const train = members('train', 500);
const heldout = members('heldout', 100);

const errorOf = scenarioErrorOf;

describe('scenario families (env/scenarios/generator.ts)', () => {
  it('a name always means the same scenario', () => {
    expect(generateScenarioSpec('heldout', 3)).toEqual(generateScenarioSpec('heldout', 3));
    expect(loadScenario('heldout:3')).toEqual(generateScenario('heldout', 3));
    expect(loadScenario('train:17')).toEqual(train[17]);
    expect(loadScenario('train:17').name).toBe('train:17');
    // Different members and families differ (no shared seeds).
    const key = (s: Scenario): string => JSON.stringify({ ...s, name: '', description: '' });
    expect(new Set(train.map(key)).size).toBe(train.length);
    expect(key(generateScenario('train', 3))).not.toBe(key(generateScenario('heldout', 3)));
  });

  it('every member is valid and within the documented ranges', () => {
    const seenTypes = new Set<string>();
    const bad: string[] = [];
    const check = (ok: boolean, what: string, s: Scenario): void => { if (!ok) bad.push(`${s.name}: ${what}`); };
    for (const [family, list] of [['train', train], ['heldout', heldout]] as const) {
      for (const s of list) {
        const h = s.host;
        check(h.cores === 8 && h.ghz === 2.2 && h.nicGbps === 10 && h.exitlessInterrupts && h.minIoCores === 0 && h.maxIoCores === 4, 'default host', s);
        check(h.nics === 1 || h.nics === 2, 'nics 1 or 2', s);
        check(s.vms.length >= (family === 'heldout' ? 2 : 1) && s.vms.length <= 7, 'VM count', s);
        check(s.vms.every((v) => v.vcpus === s.vms[0]!.vcpus && (v.vcpus === 1 || v.vcpus === 2)), 'vCPUs', s);
        check(s.phases.length >= 3 && s.phases.length <= 8, 'phase count', s);
        check(s.durationS <= 150, 'duration <= 150 s', s);
        for (const p of s.phases) {
          check(Number.isInteger(p.durationS) && p.durationS >= 5 && p.durationS <= 30, `phase ${p.name} length`, s);
          check(p.workloads.length === s.vms.length, 'one workload per VM', s);
          for (const w of p.workloads) seenTypes.add(w.type);
        }
      }
    }
    expect(bad).toEqual([]);
    expect([...seenTypes].sort()).toEqual([...WORKLOAD_TYPES].sort());
  });

  it('train and heldout are disjoint by the documented property (held-out pairs), 500 × 100', () => {
    expect(train.filter((s) => heldoutPairsIn(s).length > 0).map((s) => s.name)).toEqual([]);
    expect(heldout.filter((s) => heldoutPairsIn(s).length === 0).map((s) => s.name)).toEqual([]);
    expect(train.every((s) => familyOf(s) === 'train')).toBe(true);
    expect(heldout.every((s) => familyOf(s) === 'heldout')).toBe(true);
    // Hence no heldout member equals a train member, content-wise.
    const key = (s: Scenario): string => JSON.stringify(s.phases);
    const trainKeys = new Set(train.map(key));
    expect(heldout.filter((s) => trainKeys.has(key(s)))).toEqual([]);
    // Every held-out pair occurs in heldout; every other pair of active types occurs in train.
    const pairsOf = (list: Scenario[]): Set<string> => {
      const out = new Set<string>();
      for (const s of list) for (const p of s.phases) {
        const ts = [...new Set(p.workloads.map((w) => w.type))].sort();
        for (const a of ts) for (const b of ts) if (a < b) out.add(`${a}+${b}`);
      }
      return out;
    };
    const held = HELDOUT_PAIRS.map(([a, b]) => [a, b].sort().join('+'));
    const inHeldout = pairsOf(heldout);
    for (const p of held) expect(inHeldout).toContain(p);
    const inTrain = pairsOf(train);
    for (const a of ACTIVE_TYPES) for (const b of ACTIVE_TYPES) {
      if (a < b && !held.includes(`${a}+${b}`)) expect(inTrain).toContain(`${a}+${b}`);
    }
  });

  it('the shipped scenarios: paper is train-like, mixed co-locates held-out pairs', () => {
    expect(familyOf(loadScenario('paper'))).toBe('train');
    expect(familyOf(loadScenario('mixed'))).toBe('heldout');
  });

  it('SideCore-v1 runs a heldout member (fast tier); spaces match the paper scenario', () => {
    const env = make<Float32Array, number>('SideCore-v1', { scenario: 'heldout:3' });
    const paper = make<Float32Array, number>('SideCore-v1', { scenario: 'paper' });
    try {
      expect(env.observationSpace.equals(paper.observationSpace)).toBe(true);
      expect(env.actionSpace.equals(paper.actionSpace)).toBe(true);
      expect((env.unwrapped as unknown as { scenario: Scenario }).scenario.name).toBe('heldout:3');
      let { obs } = env.reset({ seed: 0 });
      for (let t = 0; t < 10; t++) {
        const r = env.step(0);
        expect(Number.isFinite(r.reward)).toBe(true);
        expect(env.observationSpace.contains(r.obs)).toBe(true);
        obs = r.obs;
      }
      expect(obs.length).toBeGreaterThan(0);
      expect(env.spec!.toJSON().kwargs.scenario).toBe('heldout:3');
    } finally {
      env.close();
      paper.close();
    }
  });

  it('bad names are one-line errors naming the problem', () => {
    expect(errorOf(() => loadScenario('heldout:-1'))).toMatch(/heldout:-1.*index must be an integer in \[0, /);
    expect(errorOf(() => loadScenario('train:abc'))).toMatch(/train:abc.*index must be an integer/);
    expect(errorOf(() => loadScenario('train:1.5'))).toMatch(/index must be an integer/);
    expect(errorOf(() => loadScenario('train:99999999999'))).toMatch(/index must be an integer/);
    expect(errorOf(() => loadScenario('nofamily:3'))).toMatch(/unknown scenario family 'nofamily' \(families: train, heldout\)/);
    expect(errorOf(() => loadScenario('train'))).toMatch(/'train' is a family of scenarios; name one member/);
    expect(errorOf(() => loadScenario('train:0-9'))).toMatch(/is a range of scenarios/);
    expect(errorOf(() => generateScenarioSpec('heldout', -1))).toMatch(/heldout index must be an integer/);
    expect(errorOf(() => generateScenarioSpec('test' as 'train', 0))).toMatch(/unknown scenario family 'test'/);
    expect(errorOf(() => loadScenario('no-such'))).toMatch(/no shipped scenario or file named 'no-such'.*generated: train:<i>, heldout:<i>/);
    expect(parseMemberName('paper')).toBeNull();
    expect(parseMemberName('./x.json')).toBeNull();
    expect(parseMemberName('heldout:007')).toEqual({ family: 'heldout', index: 7 });
  });

  it('list entries: families, members and ranges', () => {
    expect(FAMILIES).toEqual(['train', 'heldout']);
    expect(expandFamilyEntry('train')).toEqual(Array.from({ length: FAMILY_DEFAULT_SIZE.train }, (_, i) => `train:${i}`));
    expect(expandFamilyEntry('heldout')).toHaveLength(10);
    expect(expandFamilyEntry('train:0-2')).toEqual(['train:0', 'train:1', 'train:2']);
    expect(expandFamilyEntry('heldout:5-5')).toEqual(['heldout:5']);
    expect(expandFamilyEntry('heldout:07')).toEqual(['heldout:7']);
    expect(expandFamilyEntry('paper')).toBeNull();
    expect(expandFamilyEntry('elvis-rr-*')).toBeNull();
    expect(errorOf(() => expandFamilyEntry('train:9-2'))).toMatch(/empty range/);
    expect(errorOf(() => expandFamilyEntry('train:0-99999'))).toMatch(/at most 10000 members/);
    expect(errorOf(() => expandFamilyEntry('nofamily:0-3'))).toMatch(/unknown scenario family 'nofamily'/);
    expect(errorOf(() => expandFamilyEntry('heldout:-1'))).toMatch(/index must be an integer/);
    expect(errorOf(() => expandFamilyEntry('train:a-b'))).toMatch(/index must be an integer/);
  });
});
