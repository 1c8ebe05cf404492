import { describe, expect, it } from '@jest/globals';
import '../../experiments/fixtures/phased-toy.js';
import { TOY_MODULE } from '../../experiments/fixtures/phased-toy.js';
import { bruteForce, oracleProblem, solveDynamic, solveStatic, scheduleActions, splitDepth, type OracleProblem } from '../../../agents/oracle/index.js';
import { envSpecFor } from '../../../experiments/envs.js';
import { withPool } from '../../../experiments/pool.js';
import { replayRecord, runEpisode } from '../../../experiments/runner.js';

const toy = (kwargs: Record<string, unknown>, seed = 3): OracleProblem => oracleProblem(envSpecFor('PhasedToy-v0', kwargs), seed, [TOY_MODULE]);

// Two short phases on 2 VMs (0.2 s each at 100 ms epochs) on the detailed tier.
const tinyScenario = {
  name: 'tiny-oracle', vms: 2,
  phases: [
    { name: 'rr', durationS: 0.2, workload: { type: 'tcp_rr' } },
    { name: 'stream', durationS: 0.2, workload: { type: 'tcp_stream_tx' } },
  ],
};

describe('oracle problem', () => {
  it('reads phases, horizon and configurations from the env, in the absolute action mode', () => {
    const pr = toy({ phaseSteps: [3, 2, 3] });
    expect(pr.envSpec.kwargs.actionMode).toBe('absolute');
    expect(pr.configs).toEqual([0, 1, 2]);
    expect(pr.phaseStarts).toEqual([0, 3, 5]);
    expect(pr.horizon).toBe(8);
    expect(scheduleActions(pr, [2, 0, 1])).toEqual([2, 2, 2, 0, 0, 1, 1, 1]);
  });

  it('refuses an env without phases', () => {
    expect(() => oracleProblem(envSpecFor('CartPole-v1'), 0)).toThrow(/has no phases/);
  });
});

describe('per-phase oracle (oracle-phase)', () => {
  it('equals brute force without prefix sharing (schedule and bit-identical total), with prefix sharing, with and without state merging', async () => {
    for (const kw of [{ phaseSteps: [3, 2, 3] }, { phaseSteps: [2, 2, 2, 2], switchCost: 0.1 }, { phaseSteps: [4, 1, 3], switchCost: 2 }, { phaseSteps: [2, 3, 2, 2], memoryless: true }]) {
      const pr = toy(kw);
      const dyn = await solveDynamic(pr, { merge: false });
      const bf = bruteForce(pr);
      expect(dyn.schedule).toEqual(bf.best);
      expect(Object.is(dyn.score, bf.total)).toBe(true);
      const merged = await solveDynamic(pr);
      expect(merged.schedule).toEqual(bf.best);
      expect(Object.is(merged.score, bf.total)).toBe(true);
      // A tiny frontier forces the depth-first fallback inside the merged search.
      const fallback = await solveDynamic(pr, { maxFrontier: 4 });
      expect(fallback.merging!.fellBackAtPhase).not.toBeNull();
      expect(fallback.schedule).toEqual(bf.best);
      expect(Object.is(fallback.score, bf.total)).toBe(true);
      const K = pr.configs.length, P = pr.phaseStarts.length;
      expect(dyn.spaceSize).toBe(K ** P);
      expect(bf.leaves).toBe(K ** P);
      // Prefix sharing: |C| + |C|² + … + |C|^P phase simulations.
      let sims = 0;
      for (let d = 1; d <= P; d++) sims += K ** d;
      expect(dyn.evaluations.phaseSims).toBe(sims);
      if (kw.memoryless) {
        // States depend only on the configuration: at most |C| per phase boundary.
        expect(merged.merging!.distinctStates).toEqual([1, 3, 3, 3]);
        expect(merged.evaluations.phaseSims).toBe(K + 3 * K * K);
      } else {
        expect(merged.merging!.merged).toBe(0);
      }
    }
  });

  it('is at least as good as the static oracle and the best constant configuration', async () => {
    for (const kw of [{ switchCost: 0 }, { switchCost: 0.6 }, { switchCost: 3 }, { phaseSteps: [1, 5, 2], noiseScale: 0.5 }]) {
      for (const seed of [0, 1]) {
        const pr = toy(kw, seed);
        const dyn = await solveDynamic(pr);
        const st = await solveStatic(pr);
        expect(dyn.score).toBeGreaterThanOrEqual(st.score);
        expect(dyn.score).toBeGreaterThanOrEqual(st.bestConstant!.total);
        expect(st.perPhase).toHaveLength(pr.phaseStarts.length);
        expect(st.spaceSize).toBe(pr.configs.length * pr.phaseStarts.length);
      }
    }
  });

  it('gives the same answer on 2 worker threads as in this thread', async () => {
    const pr = toy({ phaseSteps: [2, 3, 2, 2] });
    const one = await solveDynamic(pr, { merge: false });
    const [two, st2, mergedTwo] = await withPool(2, async (pool) => [
      await solveDynamic(pr, { map: pool.oracleMap(), workers: 2, merge: false }), await solveStatic(pr, pool.oracleMap()),
      await solveDynamic(pr, { map: pool.oracleMap(), workers: 2 }),
    ]);
    expect(splitDepth(pr, 2)).toBe(2);
    expect(two.tasks).toBe(9);
    expect(two.schedule).toEqual(one.schedule);
    expect(Object.is(two.score, one.score)).toBe(true);
    expect(mergedTwo.schedule).toEqual(one.schedule);
    expect(Object.is(mergedTwo.score, one.score)).toBe(true);
    const st1 = await solveStatic(pr);
    expect(st2.schedule).toEqual(st1.schedule);
    expect(Object.is(st2.score, st1.score)).toBe(true);
  });

  it('is replayable as an action log: an oracle run record replays reward for reward', async () => {
    const spec = envSpecFor('PhasedToy-v0', { phaseSteps: [3, 2, 3] });
    for (const agent of ['oracle-phase', 'oracle-static']) {
      const rec = await runEpisode(spec, agent, 5);
      expect(rec.actions).toHaveLength(8);
      expect(rec.agent.actionMode).toBe('absolute');
      expect(rec.envSpec.kwargs.actionMode).toBe('absolute');
      const rep = replayRecord(rec);
      expect(rep.ok).toBe(true);
      const pr = toy({ phaseSteps: [3, 2, 3] }, 5);
      const best = agent === 'oracle-phase' ? (await solveDynamic(pr)).score : (await solveStatic(pr)).score;
      expect(Object.is(rec.summary.score, best)).toBe(true);
    }
  });

  it('equals brute force on a tiny SideCore scenario (detailed tier)', async () => {
    const pr = oracleProblem(envSpecFor('SideCore-v1', { scenario: tinyScenario, fidelity: 'detailed', maxIoCores: 2 }), 7);
    expect(pr.configs).toEqual([0, 1, 2]);
    expect(pr.phaseStarts).toEqual([0, 2]);
    const dyn = await solveDynamic(pr);
    const bf = bruteForce(pr);
    expect(dyn.schedule).toEqual(bf.best);
    expect(Object.is(dyn.score, bf.total)).toBe(true);
    const tree = await solveDynamic(pr, { merge: false });
    expect(tree.schedule).toEqual(bf.best);
    expect(Object.is(tree.score, bf.total)).toBe(true);
    const st = await solveStatic(pr);
    expect(dyn.score).toBeGreaterThanOrEqual(st.score);
  });
});
