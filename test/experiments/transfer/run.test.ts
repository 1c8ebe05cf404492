/**
 * The transfer study end to end at a tiny scale: a 2.5 s scenario, 2 seeds, the committed models, IOcm,
 * the best fixed count and the oracle's schedule on both tiers; then resumed, and refused on bad input.
 */
import { describe, expect, it, beforeAll } from '@jest/globals';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withPool } from '../../../experiments/pool.js';
import { runEpisode } from '../../../experiments/runner.js';
import { readJob } from '../../../experiments/sweep.js';
import { runTransfer, type TransferResult } from '../../../experiments/transfer/run.js';
import { expectUsageError, usageErrorOf } from '../run-cli.js';
import { tempDir } from '../../temp-dirs.js';

const dir = tempDir('transfer-');
const scenario = join(dir, 'tiny.json');
writeFileSync(scenario, JSON.stringify({
  name: 'tiny', vms: 2,
  phases: [{ name: 'stream', durationS: 1.5, workload: { type: 'tcp_stream_tx' } }, { name: 'rr', durationS: 1, workload: { type: 'tcp_rr' } }],
}));
const config = { name: 'tiny', scenarios: [scenario], seeds: 2, models: ['results/models'], agents: ['iocm'], bootstrap: { reps: 100, seed: 0 } };

describe('runTransfer', () => {
  const out = join(dir, 'out');
  let res: TransferResult;
  let lines: string[] = [];
  type Job = { job: { agent: string; scenario: string }; seed: number; summary: { score: number }; actions: number[]; envSpec: { kwargs: Record<string, unknown> } };
  const jobsOf = (tier: string): Job[] => {
    const sweep = JSON.parse(readFileSync(join(out, tier, 'sweep.json'), 'utf8')) as { jobs: { hash: string }[] };
    return sweep.jobs.map((j) => readJob(join(out, tier), j.hash) as unknown as Job);
  };

  beforeAll(async () => {
    res = await withPool(2, (pool) => runTransfer(config, { out, pool, log: (l) => lines.push(l) }));
  });

  it('runs every agent on both tiers and writes the tables', () => {
    // fast: ppo, dqn, iocm, baseline, static:1-4, oracle = 9 agents × 2 seeds; detailed: ppo, dqn, iocm, best-fixed, schedule
    expect(res.runs).toEqual({ fast: 18, detailed: 10 });
    expect(res.summary.agents.map((a) => a.agent)).toEqual(['dqn', 'ppo', 'iocm', 'best-fixed', 'oracle-schedule']);
    expect(readFileSync(join(out, 'scores.csv'), 'utf8').trim().split('\n')).toHaveLength(1 + 5 * 2);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('| oracle-schedule | 2 | 1.000 [1.000, 1.000] |');
    expect(lines.some((l) => /^transfer: detailed tier: 10\/10 runs$/.test(l))).toBe(true);
    for (const j of jobsOf('detailed')) expect(j.envSpec.kwargs.fidelity).toBe('detailed');
    for (const j of jobsOf('fast')) expect(j.envSpec.kwargs.fidelity).toBe('fast');
  });

  it('best-fixed is the fixed count with the best FAST-tier return, run as that count on the detailed tier', () => {
    const fast = jobsOf('fast'), detailed = jobsOf('detailed');
    const csv = readFileSync(join(out, 'scores.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    for (const seed of [0, 1]) {
      const fixed = fast.filter((j) => j.seed === seed && /^(baseline|static:\d)$/.test(j.job.agent));
      expect(fixed).toHaveLength(5);
      const best = fixed.reduce((a, b) => (b.summary.score > a.summary.score ? b : a));
      const rowOf = csv.find((r) => r[0] === 'best-fixed' && r[2] === String(seed))!;
      expect(rowOf[3]).toBe(best.job.agent);
      expect(Number(rowOf[4])).toBe(best.summary.score);
      expect(detailed.some((j) => j.seed === seed && j.job.agent === best.job.agent)).toBe(true);
    }
  });

  it('the oracle-schedule row replays the fast oracle\'s action log, which on the fast tier is the oracle bit for bit', async () => {
    const fast = jobsOf('fast'), detailed = jobsOf('detailed');
    for (const seed of [0, 1]) {
      const oracle = fast.find((j) => j.seed === seed && j.job.agent === 'oracle')!;
      const replay = detailed.find((j) => j.seed === seed && j.job.agent.startsWith('schedule:'))!;
      expect(replay.actions).toEqual(oracle.actions);
      const fastSpec = { ...(replay.envSpec as unknown as Record<string, unknown>), kwargs: { ...replay.envSpec.kwargs, fidelity: 'fast' } };
      const again = await runEpisode(fastSpec as never, replay.job.agent, seed, { trace: false });
      expect(Object.is(again.summary.score, oracle.summary.score)).toBe(true);
    }
  });

  it('with one model per algorithm, every seed uses it', () => {
    const detailed = jobsOf('detailed');
    expect(detailed.filter((j) => j.job.agent === 'ppo:results/models/ppo').map((j) => j.seed)).toEqual([0, 1]);
  });

  it('--resume runs nothing again and rewrites the same tables; without it the folder is refused', async () => {
    const md = readFileSync(join(out, 'summary.md'), 'utf8');
    const again = await withPool(1, (pool) => runTransfer(config, { out, pool, resume: true }));
    expect(again.ran).toEqual({ fast: 0, detailed: 0 });
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toBe(md);
    expect(await usageErrorOf(runTransfer(config, { out }))).toMatch(/already holds a transfer study; pass --resume/);
  });

  it('refuses a foreign folder before writing', async () => {
    const foreign = join(dir, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'x');
    expect(await usageErrorOf(runTransfer(config, { out: foreign }))).toMatch(/not empty and not a transfer study/);
  });
});

describe('iocm-gym transfer: bad input is one line and exit 2', () => {
  const write = (name: string, v: unknown): string => {
    const p = join(dir, name);
    writeFileSync(p, typeof v === 'string' ? v : JSON.stringify(v));
    return p;
  };

  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['an unknown field', { ...config, agent: ['iocm'] }, /unknown field\(s\) agent/],
    ['no scenarios', { ...config, scenarios: [] }, /scenarios:/],
    ['a repeated seed', { ...config, seeds: [1, 1] }, /seeds: a seed is listed twice/],
    ['a missing models folder', { ...config, models: [join(dir, 'nothing-here')] }, /models: .*nothing-here: no such folder/],
    ['a folder without models', { ...config, models: [dir] }, /holds no model folder/],
    ['an oracle among the agents', { ...config, agents: ['oracle'] }, /run by the study itself/],
    ['a learned agent among the agents', { ...config, agents: ['ppo:results/models/ppo'] }, /give learned models under "models"/],
    ['the fidelity in envParams', { ...config, envParams: { fidelity: 'fast' } }, /envParams.fidelity: set by the study/],
    ['an unknown agent', { ...config, agents: ['nope'] }, /unknown agent spec "nope"/],
    ['an unknown scenario', { ...config, scenarios: ['no-such-scenario'] }, /no-such-scenario/],
  ])('%s', async (_what, cfg, re) => {
    const out = join(dir, `bad-${Math.random().toString(36).slice(2)}`);
    await expectUsageError(['transfer', '--config', write('bad.json', cfg), '--out', out], re);
    expect(existsSync(out)).toBe(false);
  });
});
