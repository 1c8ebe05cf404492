import { describe, expect, it } from '@jest/globals';
import '../../experiments/fixtures/phased-toy.js';
import { TOY_MODULE } from '../../experiments/fixtures/phased-toy.js';
import {
  buildEnv, decisionPoints, gridActions, oracleProblem, solveCostAware, solveDp, solveDynamic, solveStatic, type OracleProblem,
} from '../../../agents/oracle/index.js';
import { envSpecFor } from '../../../experiments/envs.js';
import { withPool } from '../../../experiments/pool.js';
import { replayRecord, runEpisode } from '../../../experiments/runner.js';

const toy = (kwargs: Record<string, unknown>, seed = 3): OracleProblem => oracleProblem(envSpecFor('PhasedToy-v0', kwargs), seed, [TOY_MODULE]);

/**
 * The reference: every schedule on the grid (|C|^J), each played from the reset without snapshots,
 * its total added step by step; the first best in lexicographic order wins.
 */
function bruteForceGrid(pr: OracleProblem, every: number): { best: number[]; total: number; schedules: number } {
  const pts = decisionPoints(pr, every);
  const K = pr.configs.length, J = pts.length;
  let best: number[] = [], bestTotal = -Infinity, schedules = 0;
  const idx = new Array<number>(J).fill(0);
  const env = buildEnv(pr.envSpec);
  for (;;) {
    const schedule = idx.map((i) => pr.configs[i]!);
    env.reset({ seed: pr.seed });
    let total = 0;
    for (const a of gridActions(pts, pr.horizon, schedule)) total += env.step(a).reward;
    schedules++;
    if (total > bestTotal) { bestTotal = total; best = schedule; }
    let d = J - 1;
    while (d >= 0 && idx[d] === K - 1) idx[d--] = 0;
    if (d < 0) break;
    idx[d]! += 1;
  }
  env.close();
  return { best, total: bestTotal, schedules };
}

describe('cost-aware dynamic oracle', () => {
  it('equals brute force over every schedule on the grid (schedule and bit-identical total)', async () => {
    const cases: [Record<string, unknown>, number][] = [
      [{ phaseSteps: [3, 2, 3] }, 1], [{ phaseSteps: [2, 2, 2], switchCost: 0.1 }, 1], [{ phaseSteps: [3, 1, 2], switchCost: 2 }, 1],
      [{ phaseSteps: [2, 3, 2], memoryless: true }, 1], [{ phaseSteps: [5, 4], switchCost: 0 }, 2], [{ phaseSteps: [6, 3], noiseScale: 0.5 }, 3],
    ];
    for (const [kw, every] of cases) {
      const pr = toy(kw);
      const dp = await solveDp(pr, { every, maxStates: 1e6 });
      const bf = bruteForceGrid(pr, every);
      expect(dp.schedule).toEqual(bf.best);
      expect(Object.is(dp.score, bf.total)).toBe(true);
      expect(dp.stats.exact).toBe(true);
      expect(dp.spaceLog10).toBeCloseTo(Math.log10(bf.schedules), 9);
    }
  });

  it('merges paths reaching the same state: at most |C| states per decision point when the state is the configuration', async () => {
    // Memoryless toy: a state is (x, step, RNG), the RNG advancing once per step whatever x is.
    const pr = toy({ phaseSteps: [2, 3, 2, 2], memoryless: true });
    const dp = await solveDp(pr);
    const K = 3, J = 9;
    expect(dp.stats.maxStates).toBe(K);
    // K from the root, then K·K from each later point
    expect(dp.evaluations.phaseSims).toBe(K + (J - 1) * K * K);
    // merging at every point but the last (whose states are not kept): K·K children into K states
    expect(dp.stats.merged).toBe((J - 2) * (K * K - K));
    // The toy with heat carries the past in a real number: nothing merges, levels grow as K^j.
    const hot = await solveDp(toy({ phaseSteps: [3, 2, 3] }), { maxStates: 1e6 });
    expect(hot.stats.merged).toBe(0);
    expect(hot.stats.maxStates).toBe(K ** 7);
  });

  it('hand-computed optimum and bound: toy without noise or heat, switch cost 0.6', async () => {
    // Rewards per step (TABLE): phase 0 (3 steps) x=0,1,2 → 1, .55, .2; phase 1 (2 steps) → .2, .62, 1;
    // phase 2 (3 steps) → .5, 1, .45; −0.6 on a step that changes x; x starts at 0.
    // Best: 0,0,0 | 2,2 | 1,1,1 = 3 + (0.4 + 1) + (0.4 + 1 + 1) = 6.8; every mid-phase change only adds a cost.
    // Bound: per step the best configuration held from the reset: 3·1 + 2·1 + 3·1 = 8 (its one switch
    // is at step 0, where x = 0 is best anyway).
    const pr = toy({ phaseSteps: [3, 2, 3], memoryless: true, noiseScale: 0 });
    const dp = await solveCostAware(pr);
    expect(dp.score).toBeCloseTo(6.8, 12);
    expect(dp.schedule).toEqual([0, 0, 0, 2, 2, 1, 1, 1]);
    expect(dp.dp!.changes).toEqual([[0, 0], [3, 2], [5, 1]]);
    // x starts at 0 and the first segment keeps it: two switches
    expect(dp.switches).toBe(2);
    expect(dp.dp!.steadyBound).toBeCloseTo(8, 12);
    expect(dp.bound!).toBeCloseTo(8, 12);
    expect(dp.dp!.boundExceeded).toBe(0);
  });

  it('bound ≥ its score ≥ the per-phase oracle ≥ the static oracle, with and without carried state', async () => {
    for (const kw of [{ switchCost: 0 }, { switchCost: 0.6 }, { switchCost: 3 }, { phaseSteps: [1, 5, 2], noiseScale: 0.5 }, { phaseSteps: [3, 3, 3], memoryless: true }]) {
      for (const seed of [0, 1]) {
        const pr = toy(kw, seed);
        const dp = await solveCostAware(pr, { maxStates: 1e6 });
        const phase = await solveDynamic(pr);
        const st = await solveStatic(pr);
        expect(dp.bound!).toBeGreaterThanOrEqual(dp.score);
        expect(dp.score).toBeGreaterThanOrEqual(phase.score);
        expect(phase.score).toBeGreaterThanOrEqual(st.score);
        // the grid holds the phase starts, so the per-phase schedules are candidates
        for (const s of pr.phaseStarts) expect(dp.decisionPoints).toContain(s);
      }
    }
  });

  it('says when it is not exact: a level above maxStates keeps its best states only', async () => {
    const pr = toy({ phaseSteps: [3, 2, 3] });
    const exact = await solveDp(pr, { maxStates: 1e6 });
    const cut = await solveDp(pr, { maxStates: 4 });
    expect(cut.stats.exact).toBe(false);
    expect(cut.stats.pruned).toBeGreaterThan(0);
    expect(cut.stats.maxStates).toBe(4);
    expect(cut.score).toBeLessThanOrEqual(exact.score);
  });

  it('gives the same answer on 2 worker threads as in this thread, bit for bit', async () => {
    const pr = toy({ phaseSteps: [2, 3, 2], noiseScale: 0.3 });
    const one = await solveCostAware(pr, { maxStates: 1e6 });
    const two = await withPool(2, async (pool) => solveCostAware(pr, { map: pool.oracleMap(), workers: 2, maxStates: 1e6 }));
    expect(two.tasks).toBeGreaterThan(one.tasks);
    expect(two.schedule).toEqual(one.schedule);
    expect(Object.is(two.score, one.score)).toBe(true);
    expect(Object.is(two.bound, one.bound)).toBe(true);
  });

  it('equals brute force on a tiny SideCore scenario (fast tier), merging to one state per I/O-core count', async () => {
    const tiny = {
      name: 'tiny-dp', vms: 2,
      phases: [{ name: 'rr', durationS: 0.2, workload: { type: 'tcp_rr' } }, { name: 'stream', durationS: 0.3, workload: { type: 'tcp_stream_tx' } }],
    };
    const pr = oracleProblem(envSpecFor('SideCore-v1', { scenario: tiny, maxIoCores: 2 }), 7);
    expect(pr.configs).toEqual([0, 1, 2]);
    const dp = await solveCostAware(pr);
    const bf = bruteForceGrid(pr, 1);
    expect(bf.schedules).toBe(3 ** 5);
    expect(dp.schedule).toEqual(bf.best);
    expect(Object.is(dp.score, bf.total)).toBe(true);
    expect(dp.dp!.maxStates).toBeLessThanOrEqual(3);
    expect(dp.score).toBeGreaterThanOrEqual((await solveDynamic(pr)).score);
    expect(dp.bound!).toBeGreaterThanOrEqual(dp.score);
  });

  it('runs as the `oracle` agent: its run record replays reward for reward and scores what the search found', async () => {
    const spec = envSpecFor('PhasedToy-v0', { phaseSteps: [3, 2, 3] });
    for (const agent of ['oracle', 'oracle-dp']) {
      const rec = await runEpisode(spec, agent, 5);
      expect(rec.actions).toHaveLength(8);
      expect(replayRecord(rec).ok).toBe(true);
      const d = rec.agent.describe as { oracle: string; dp: { exact: boolean } };
      expect(d.oracle).toBe('dp');
      const dp = await solveCostAware(toy({ phaseSteps: [3, 2, 3] }, 5));
      expect(Object.is(rec.summary.score, dp.score)).toBe(true);
    }
  });
});

describe('cost-aware dynamic oracle: switches', () => {
  it('counts a first-step move away from the starting configuration, as the env counts reconfigurations', async () => {
    // request/response, then CPU-bound: the schedule leaves the baseline (0 I/O cores) at step 0
    const sc = { name: 'rr-cpu', vms: 3, phases: [{ name: 'rr', durationS: 0.5, workload: { type: 'tcp_rr' } }, { name: 'cpu', durationS: 0.5, workload: { type: 'cpu' } }] };
    const spec = envSpecFor('SideCore-v1', { scenario: sc, noise: false, actionMode: 'absolute' });
    const r = await solveCostAware(oracleProblem(spec, 0, []));
    expect(r.dp!.changes[0]![1]).not.toBe(0);
    const rec = await runEpisode(spec, 'oracle', 0);
    expect(r.switches).toBe(rec.summary.reconfigurations);
    expect(r.switches).toBe(r.dp!.changes.length);
  });
});
