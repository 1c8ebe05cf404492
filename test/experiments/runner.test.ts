import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import './fixtures/phased-toy.js';
import { envSpecFor } from '../../experiments/envs.js';
import { writeJsonAtomic } from '../../experiments/io.js';
import { encodeRunRecord, fromRuns, packRuns, parseRunRecord, readRunRecord, toRuns, unpackRuns } from '../../experiments/record.js';
import { replayRecord, runEpisode } from '../../experiments/runner.js';
import { tempDir } from '../temp-dirs.js';

describe('runEpisode', () => {
  it('records actions, rewards, trace and summary on CartPole, deterministically', async () => {
    const spec = envSpecFor('CartPole-v1');
    const a = await runEpisode(spec, 'random', 3);
    const b = await runEpisode(spec, 'random', 3);
    expect(a.actions.length).toBe(a.rewards.length);
    expect(a.actions.length).toBeGreaterThan(5);
    expect(a.actions).toEqual(b.actions);
    expect(a.rewards).toEqual(b.rewards);
    expect(a.summary.score).toBe(a.rewards.length);
    expect(a.summary.terminated || a.summary.truncated).toBe(true);
    expect(a.agent).toMatchObject({ spec: 'random', actionMode: 'delta' });
    expect(a.provenance).toMatchObject({ node: process.version });
    expect(a.trace.reward).toHaveLength(a.rewards.length);
  });

  it('builds the env in the action mode the agent acts in (static: absolute) and traces I/O cores', async () => {
    const spec = envSpecFor('PhasedToy-v0', {});
    const rec = await runEpisode(spec, 'static:2', 0);
    expect(rec.envSpec.kwargs.actionMode).toBe('absolute');
    expect(rec.actions).toEqual(new Array(8).fill(2));
    expect(rec.trace.ioCores).toEqual(new Array(8).fill(2));
    expect(rec.summary.reconfigurations).toBe(1);
    expect(rec.summary.meanIoCores).toBe(2);
    const d = await runEpisode(spec, 'random', 0);
    expect(d.envSpec.kwargs.actionMode).toBe('delta');
  });
});

describe('replay', () => {
  it('re-runs a record from its JSON file and checks every reward; detects a tampered reward or action', async () => {
    const dir = tempDir('replay-');
    const rec = await runEpisode(envSpecFor('PhasedToy-v0', { noiseScale: 0.3 }), 'random', 11);
    const file = join(dir, 'run.json');
    writeJsonAtomic(file, encodeRunRecord(rec));
    const back = readRunRecord(file);
    expect(replayRecord(back)).toMatchObject({ ok: true, steps: 8 });

    const tampered = readRunRecord(file);
    tampered.rewards[4] = tampered.rewards[4]! + 1e-12;
    const t1 = parseRunRecord(JSON.stringify(encodeRunRecord(tampered)));
    const r1 = replayRecord(t1);
    expect(r1.ok).toBe(false);
    expect(r1.mismatch).toMatchObject({ step: 4, what: 'reward' });

    const t2 = parseRunRecord(readFileSync(file, 'utf8'));
    t2.actions[2] = t2.actions[2] === 0 ? 1 : 0;
    const r2 = replayRecord(t2);
    expect(r2.ok).toBe(false);
    expect(r2.mismatch!.step).toBeLessThanOrEqual(2);

    writeFileSync(join(dir, 'bad.json'), '{"format":"iocm-gym/run@2"}');
    expect(() => readRunRecord(join(dir, 'bad.json'))).toThrow(/not a iocm-gym\/run@2 record \(envSpec: /);
    writeFileSync(join(dir, 'bad.json'), '{"format":"iocm-gym/run@1"}');
    expect(() => readRunRecord(join(dir, 'bad.json'))).toThrow(/not a iocm-gym\/run@1 record/);
    expect(() => readRunRecord(join(dir, 'missing.json'))).toThrow(/cannot read \(ENOENT\)/);
  });
});

describe('run record files', () => {
  it('round-trip a SideCore episode through the run-length encoded file, and are a tenth of the plain size', async () => {
    // the fast tier's exact model (noise: false), whose steady epochs repeat: what run-length encoding compresses
    const rec = await runEpisode(envSpecFor('SideCore-v1', { scenario: 'train:3', fidelity: 'fast', noise: false }), 'iocm', 5);
    const text = JSON.stringify(encodeRunRecord(rec));
    const back = parseRunRecord(text);
    expect(back).toEqual(rec);
    expect(Object.keys(back.trace).sort()).toEqual(Object.keys(rec.trace).sort());
    expect(replayRecord(back).ok).toBe(true);
    expect(text.length).toBeLessThan(JSON.stringify(rec).length / 5);
  });

  it('write a lone value as itself, so that a noisy episode (every reward different) is smaller than plain', async () => {
    expect(packRuns(toRuns([1, 1, 2, 3, 3, 3, null]))).toEqual([[1, 2], 2, [3, 3], null]);
    expect(fromRuns(unpackRuns([[1, 2], 2, [3, 3], null]))).toEqual([1, 1, 2, 3, 3, 3, null]);
    const rec = await runEpisode(envSpecFor('SideCore-v1', { scenario: 'train:3', fidelity: 'fast' }), 'iocm', 5);
    const file = encodeRunRecord(rec);
    expect(parseRunRecord(JSON.stringify(file))).toEqual(rec);
    // with noise every reward differs from the one before: each is written as a number, not [number, 1]
    expect(file.rewards.every((e) => typeof e === 'number')).toBe(true);
    const plain = { ...file, actions: rec.actions, rewards: rec.rewards, trace: Object.fromEntries(Object.keys(file.trace).map((k) => [k, rec.trace[k]])) };
    expect(JSON.stringify(file).length).toBeLessThan(JSON.stringify(plain).length);
  });

  it('still reads a run@2 file (every run a [value, count] pair)', async () => {
    const rec = await runEpisode(envSpecFor('PhasedToy-v0', { noiseScale: 0.3 }), 'random', 4);
    const file = encodeRunRecord(rec);
    const pairs = <T>(e: (T | [T, number])[]) => unpackRuns(e);
    const v2 = { ...file, format: 'iocm-gym/run@2', actions: pairs(file.actions), rewards: pairs(file.rewards), trace: Object.fromEntries(Object.entries(file.trace).map(([k, e]) => [k, pairs(e)])) };
    expect(parseRunRecord(JSON.stringify(v2))).toEqual(rec);
  });

  it('still reads a run@1 file (per-step columns plain) and replays it', async () => {
    const rec = await runEpisode(envSpecFor('PhasedToy-v0', { noiseScale: 0.3 }), 'random', 4);
    const back = parseRunRecord(JSON.stringify({ ...rec, format: 'iocm-gym/run@1' }));
    expect(back).toEqual(rec);
    expect(replayRecord(back)).toMatchObject({ ok: true, steps: 8 });
  });

  it('keep NaN, null, booleans and equal neighbours apart in runs', () => {
    const col = [1, 1, NaN, NaN, null, null, true, true, false, 0.1 + 0.2, 0.3, 0.3];
    expect(toRuns(col)).toEqual([[1, 2], [NaN, 2], [null, 2], [true, 2], [false, 1], [0.1 + 0.2, 1], [0.3, 2]]);
    expect(fromRuns(toRuns(col))).toEqual(col);
    expect(toRuns([])).toEqual([]);
  });

  it('reject runs with a bad count, naming the field', () => {
    const bad = { format: 'iocm-gym/run@2', envSpec: { id: 'X', kwargs: {} }, seed: 0, agent: { spec: 'a', actionMode: 'delta', describe: {} }, actions: [[1, 0]], rewards: [], trace: {}, summary: { score: 0, steps: 0 }, provenance: {} };
    expect(() => parseRunRecord(JSON.stringify(bad), 'f.json')).toThrow(/^f\.json: not a iocm-gym\/run@2 record \(actions\.0\.1: /);
  });
});
