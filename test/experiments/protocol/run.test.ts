/**
 * The evaluation protocol end to end at a tiny scale: PPO with 2 training seeds × 512 steps on two
 * `train` scenarios (validation on a third), two env variants (switch penalty 0 and 0.01), every agent
 * tested on two `heldout` scenarios; then resumed, and refused when the split leaks.
 */
import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { withPool } from '../../../experiments/pool.js';
import { runProtocol } from '../../../experiments/protocol/run.js';
import { BEST_FIXED, type AgentSummary } from '../../../experiments/protocol/summary.js';
import { expectUsageError, usageErrorOf } from '../run-cli.js';
import { tempDir } from '../../temp-dirs.js';

const config = {
  name: 'tiny',
  envParams: { fidelity: 'fast', switchPenalty: [0, 0.01] },
  train: {
    scenarios: ['train:0-1'], validation: ['train:2'], seeds: 2,
    learners: [{ algo: 'ppo', steps: 512, evalEvery: 256, args: { numEnvs: 2, numSteps: 64, numMinibatches: 2, updateEpochs: 1, hidden: [16], gamma: 0.9 } }],
  },
  test: { scenarios: ['heldout:100-101'], seeds: 1 },
  agents: ['iocm'],
  oracles: ['oracle-static'],
  bootstrap: { reps: 200, seed: 0 },
};

describe('runProtocol', () => {
  it('trains per seed, tests every agent, summarises, and resumes without redoing anything', async () => {
    const out = join(tempDir('protocol-'), 'run');
    await withPool(1, async (pool) => {
      const lines: string[] = [];
      const r = await runProtocol(config, { out, pool, log: (l) => lines.push(l) });
      expect(r.trained).toBe(4); // 2 seeds × 2 variants
      expect(readdirSync(join(out, 'models')).filter((d) => !d.startsWith('.')).length).toBe(4);
      // ppo ×2 seeds, iocm, baseline, static:1-4, oracle-static: 9 runs per scenario and variant
      expect(r.evalRuns).toBe(2 * 2 * 9);
      expect(lines.some((l) => /train \[1\/4\] ppo seed 1 .*validation return/.test(l))).toBe(true);
      for (const f of r.files) expect(existsSync(f)).toBe(true);
      expect(r.summary.map((v) => v.variant)).toEqual(['fidelity=fast,switchPenalty=0', 'fidelity=fast,switchPenalty=0.01']);
      const [free, priced] = r.summary as [typeof r.summary[0], typeof r.summary[0]];
      const get = (v: typeof free, a: string): AgentSummary => v.agents.find((x) => x.agent === a)!;
      expect(free.agents.map((a) => a.agent)).toEqual(['ppo', 'iocm', 'baseline', 'static:1', 'static:2', 'static:3', 'static:4', BEST_FIXED, 'oracle-static']);
      // runs: training seeds for PPO, the one evaluation seed for the others
      expect(get(free, 'ppo').runs).toBe(2);
      expect(get(free, 'ppo').perRun!.map((p) => p.run)).toEqual([1, 2]);
      expect(get(free, 'iocm').runs).toBe(1);
      // the normaliser scores exactly 1, and an agent with one run has a zero-width interval
      expect(get(free, 'oracle-static').iqm).toEqual({ point: 1, lo: 1, hi: 1 });
      const io = get(free, 'iocm').mean;
      expect(io.lo).toBe(io.point);
      const ppo = get(free, 'ppo').iqm;
      expect(ppo.lo).toBeLessThanOrEqual(ppo.point);
      expect(ppo.hi).toBeGreaterThanOrEqual(ppo.point);
      for (const a of free.agents) {
        const w = a.wtlBestFixed;
        expect(w.win + w.tie + w.loss).toBe(2);
        if (a.agent !== 'iocm') expect(a.wtlHeuristic!.win + a.wtlHeuristic!.tie + a.wtlHeuristic!.loss).toBe(2);
      }
      // no fixed count beats the best fixed count in hindsight, and on each scenario one of them ties it
      const fixed = free.agents.filter((a) => a.agent === 'baseline' || a.agent.startsWith('static:'));
      expect(fixed.every((a) => a.wtlBestFixed.win === 0)).toBe(true);
      expect(fixed.reduce((n, a) => n + a.wtlBestFixed.tie, 0)).toBeGreaterThanOrEqual(2);
      // switches per minute: baseline never switches; static:2 switches once (from the baseline it starts in)
      // (the variant column is quoted and holds commas: read the columns after the scenario from the end)
      const csv = readFileSync(join(out, 'scores.csv'), 'utf8').trim().split('\n').slice(1);
      const stepsOf = (sc: string): number => Number(csv.find((l) => l.includes(`,${sc},`))!.split(',').at(-4));
      expect(get(free, 'baseline').switchesPerMin).toBe(0);
      const expected = ((1 / (stepsOf('heldout:100') * 0.1 / 60)) + (1 / (stepsOf('heldout:101') * 0.1 / 60))) / 2;
      expect(get(free, 'static:2').switchesPerMin).toBeCloseTo(expected, 12);
      // the penalty costs static:2 exactly one penalty per episode; its reward before the penalty is unchanged
      expect(get(priced, 'static:2').unpricedRewardPerStep).toBeCloseTo(get(free, 'static:2').unpricedRewardPerStep, 12);
      expect(r.markdown).toContain('## Across variants');
      expect(r.markdown).toContain('Fewer than 3 training seeds (2)');
      expect(r.markdown).toMatch(/\| ppo \| 2 \| /);

      // resumed: nothing is trained or run again, the same summary comes out
      const again = await runProtocol(config, { out, pool, resume: true });
      expect([again.trained, again.trainingsKept, again.evalRan]).toEqual([0, 4, 0]);
      expect(again.markdown).toBe(r.markdown);
      // without --resume an output that holds a run is refused
      expect(await usageErrorOf(runProtocol(config, { out, pool }))).toMatch(/already holds a protocol run; pass --resume/);
    });
  }, 120_000);

  it('refuses a leaking split and bad fields in one line, before writing anything', async () => {
    const out = join(tempDir('protocol-bad-'), 'never');
    expect(await usageErrorOf(runProtocol({ ...config, test: { scenarios: ['train:1', 'heldout:100'] } }, { out, where: 'p.json' }))).toBe('p.json: test.scenarios: train:1 is also a training or validation scenario');
    expect(await usageErrorOf(runProtocol({ ...config, train: { ...config.train, validation: ['train:1'] } }, { out, where: 'p.json' }))).toBe('p.json: train.validation: train:1 is also a training scenario');
    expect(await usageErrorOf(runProtocol({ ...config, train: { ...config.train, learners: [{ algo: 'ppo', steps: 10, args: { gama: 0.9 } }] } }, { out, where: 'p.json' }))).toMatch(/ppo has no arg "gama"/);
    expect(await usageErrorOf(runProtocol({ ...config, colour: 1 }, { out, where: 'p.json' }))).toBe('p.json: unknown field(s) colour');
    expect(await usageErrorOf(runProtocol({ ...config, envParams: { switchPenalty: -1 } }, { out, where: 'p.json' }))).toMatch(/switchPenalty/);
    expect(await usageErrorOf(runProtocol({ ...config, agents: ['magic'] }, { out, where: 'p.json' }))).toMatch(/magic/);
    expect(await usageErrorOf(runProtocol({ ...config, envParams: { minDwellEpochs: [0, 5] } }, { out, where: 'p.json' }))).toMatch(/^p\.json: agents: iocm does not read the action mask, so it cannot run with minDwellEpochs 5/);
    expect(existsSync(out)).toBe(false);
  });

  it('the command reports a missing config as a usage error', async () => {
    await expectUsageError(['protocol', '--config', '/nonexistent/p.json', '--out', '/tmp/x'], /--config \/nonexistent\/p\.json: cannot read/);
  });
});
