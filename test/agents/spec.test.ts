import { describe, expect, it, beforeAll, afterAll } from '@jest/globals';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../../env/index.js';
import { make } from '../../env/core/registry.js';
import { Discrete } from '../../env/core/spaces/index.js';
import { UsageError } from '../../experiments/errors.js';
import { AgentSpecError, parseAgentSpec } from '../../agents/spec.js';
import { StaticAgent } from '../../agents/static.js';
import { RandomAgent } from '../../agents/random.js';
import { LearnedAgent } from '../../agents/learned.js';
import { PPO } from '../../agents/ppo.js';
import { DQN } from '../../agents/dqn.js';
import { initBackend } from '../../agents/nn/backend.js';
import { MaskedEnv } from './helpers.js';

let root = '';
let ppoDir = '', dqnDir = '';

beforeAll(async () => {
  await initBackend('wasm');
  root = mkdtempSync(join(tmpdir(), 'spec-'));
  ppoDir = join(root, 'ppo');
  dqnDir = join(root, 'dqn');
  const p = await PPO.create('CartPole-v1', { seed: 1, numEnvs: 1, numSteps: 8, numMinibatches: 1, updateEpochs: 1, hidden: [8] });
  await p.save(ppoDir);
  p.dispose();
  const d = await DQN.create('CartPole-v1', { seed: 1, hidden: [8] });
  await d.save(dqnDir);
  d.dispose();
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

/** The error of a spec, checked to be a one-line AgentSpecError (a UsageError: exit code 2). */
async function specError(spec: string, ctx = {}): Promise<string> {
  try {
    await parseAgentSpec(spec, ctx);
  } catch (err) {
    expect(err).toBeInstanceOf(AgentSpecError);
    expect(err).toBeInstanceOf(UsageError);
    const msg = (err as Error).message;
    expect(msg).not.toMatch(/\n/);
    return msg;
  }
  throw new Error(`spec ${spec} was accepted`);
}

const cartpole = () => make<Float32Array, number>('CartPole-v1');

describe('parseAgentSpec', () => {
  it('rejects unknown specs, listing the accepted forms', async () => {
    const msg = await specError('greedy');
    expect(msg).toMatch(/unknown agent spec "greedy"/);
    expect(msg).toMatch(/iocm:<param>=<value>/);
    expect(msg).toMatch(/ppo:<model dir>/);
    expect(await specError('')).toMatch(/unknown agent spec ""/);
  });

  it('static:<x> and baseline', async () => {
    const s = await parseAgentSpec('static:3');
    expect(s).toBeInstanceOf(StaticAgent);
    expect(s.spec).toBe('static:3');
    expect(s.act(null, {})).toBe(3);
    expect(s.describe?.()).toMatchObject({ target: 3, actionMode: 'absolute' });
    expect(s.actionMode).toBe('absolute');
    const b = await parseAgentSpec('baseline');
    expect(b.act(null, {})).toBe(0);
    expect(b.spec).toBe('baseline');
    expect(await specError('static')).toMatch(/static needs <x>/);
    expect(await specError('static:')).toMatch(/static needs <x>/);
    expect(await specError('static:-1')).toMatch(/non-negative integer, got "-1"/);
    expect(await specError('static:two')).toMatch(/non-negative integer, got "two"/);
    expect(await specError('static:1.5')).toMatch(/non-negative integer/);
    expect(await specError('baseline:2')).toMatch(/takes no argument/);
    const env = { observationSpace: cartpole().observationSpace, actionSpace: new Discrete(4) };
    expect(await specError('static:4', { env })).toMatch(/outside the env's action space Discrete\(4\)/);
    expect((await parseAgentSpec('static:3', { env })).act(null, {})).toBe(3);
  });

  it('iocm: I/O-core bounds the spec sets must fit the env (0 … its maxIoCores in the absolute mode)', async () => {
    const env = { observationSpace: cartpole().observationSpace, actionSpace: new Discrete(5) }; // maxIoCores 4
    expect(await specError('iocm:maxIoCores=99', { env })).toBe('agent spec "iocm:maxIoCores=99": maxIoCores 99 is more than the env\'s 4 I/O cores (action space Discrete(5))');
    expect(await specError('iocm:minIoCores=3,maxIoCores=1', { env })).toMatch(/'minIoCores' must be ≤ maxIoCores \(1\), got '3'/);
    // the default bounds are not the user's: the env caps them as before
    expect((await parseAgentSpec('iocm', { env: { ...env, actionSpace: new Discrete(3) } })).spec).toBe('iocm');
    expect((await parseAgentSpec('iocm:maxIoCores=4', { env })).spec).toBe('iocm:maxIoCores=4');
  });

  it('random: seeded, deterministic, honours the action mask', async () => {
    const env = new MaskedEnv();
    const ctx = { env, seed: 7 };
    const a = await parseAgentSpec('random', ctx), b = await parseAgentSpec('random', ctx);
    expect(a).toBeInstanceOf(RandomAgent);
    let { info } = env.reset({ seed: 0 });
    const seqA: number[] = [], seqB: number[] = [];
    for (let t = 0; t < 300; t++) {
      const x = a.act(null, info);
      seqA.push(x);
      seqB.push(b.act(null, info));
      const r = env.step(x); // throws on a masked action
      info = r.truncated ? env.reset().info : r.info;
    }
    expect(seqA).toEqual(seqB);
    expect(new Set(seqA).size).toBe(4);
    expect(env.maskedTaken).toBe(0);
    // reset(seed) restarts the stream; the spec's seed overrides the context's.
    a.reset?.(11);
    b.reset?.(11);
    expect([a.act(null, {}), a.act(null, {})]).toEqual([b.act(null, {}), b.act(null, {})]);
    const c = await parseAgentSpec('random:seed=3', ctx);
    expect(c.describe?.()).toMatchObject({ seed: 3 });
    expect(await specError('random:foo=1')).toMatch(/no parameter "foo"/);
    expect(await specError('random:seed=x')).toMatch(/seed must be a non-negative integer/);
    const bare = await parseAgentSpec('random');
    expect(() => bare.act(null, {})).toThrow(/needs the env's action space or an info\.actionMask/);
    expect(bare.act(null, { actionMask: Uint8Array.from([0, 0, 1]) })).toBe(2);
  });

  it('iocm and iocm:<param>=<value>,…', async () => {
    const a = await parseAgentSpec('iocm');
    expect(a.spec).toBe('iocm');
    const b = await parseAgentSpec('iocm:bugCompatible=true');
    expect(b.spec).toBe('iocm:bugCompatible=true');
    expect(await specError('iocm:')).toMatch(/expected iocm or iocm:<param>=<value>/);
    expect(await specError('iocm:bugCompatible')).toMatch(/expected <param>=<value>, got "bugCompatible"/);
    expect(await specError('iocm:bugCompatible=true,bugCompatible=false')).toMatch(/given twice/);
    expect(await specError('iocm:noSuchParam=1')).toMatch(/noSuchParam/);
  });

  it('ppo:<dir> and dqn:<dir> act greedily like the saved model', async () => {
    const env = cartpole();
    const p = await PPO.load(ppoDir);
    const agent = await parseAgentSpec(`ppo:${ppoDir}`, { env });
    expect(agent).toBeInstanceOf(LearnedAgent);
    expect(agent.spec).toBe(`ppo:${ppoDir}`);
    expect(agent.describe?.()).toMatchObject({ agent: 'ppo', backend: 'wasm', modelDir: ppoDir });
    let { obs, info } = env.reset({ seed: 2 });
    for (let t = 0; t < 100; t++) {
      const x = agent.act(obs, info);
      expect(x).toBe(p.predict(obs, info));
      const r = env.step(x);
      ({ obs, info } = r.terminated || r.truncated ? env.reset() : r);
    }
    p.dispose();
    (agent as LearnedAgent).dispose();
    const d = await parseAgentSpec(`dqn:${dqnDir}`, { env });
    expect([0, 1]).toContain(d.act(env.reset({ seed: 0 }).obs, {}));
    (d as LearnedAgent).dispose();
  });

  it('names the problem with a model directory in one line', async () => {
    expect(await specError('ppo')).toMatch(/ppo needs <model dir>/);
    expect(await specError('dqn:')).toMatch(/dqn needs <model dir>/);
    expect(await specError(`ppo:${join(root, 'nope')}`)).toMatch(/model directory .*nope does not exist/);
    expect(await specError(`dqn:${ppoDir}`)).toMatch(/holds a ppo model, not dqn/);
    expect(await specError(`ppo:${root}`)).toMatch(/is not a saved model directory: no agent\.json/);
    // A model trained for another observation/action shape.
    const msg = await specError(`ppo:${ppoDir}`, { env: new MaskedEnv() });
    expect(msg).toMatch(/trained for observations of size 4 and 2 actions \(CartPole-v1\), but this env has observations of size 3 and Discrete\(4\)/);
    // Corrupt files.
    const bad = join(root, 'bad');
    cpSync(ppoDir, bad, { recursive: true });
    writeFileSync(join(bad, 'actor', 'weights.bin'), new Uint8Array(12));
    expect(await specError(`ppo:${bad}`)).toMatch(/cannot load the actor network .*corrupt weights/);
    rmSync(join(bad, 'critic'), { recursive: true });
    writeFileSync(join(bad, 'agent.json'), '{"format": "iocm-gym-agent", ');
    expect(await specError(`ppo:${bad}`)).toMatch(/corrupt .*agent\.json/);
    cpSync(join(ppoDir, 'agent.json'), join(bad, 'agent.json'));
    cpSync(join(ppoDir, 'actor'), join(bad, 'actor'), { recursive: true });
    expect(await specError(`ppo:${bad}`)).toMatch(/cannot load the critic network .*missing .*model\.json/);
  });
});
