/**
 * The transfer study's tables on rows whose means, differences and rankings are worked out by hand.
 */
import { describe, expect, it } from '@jest/globals';
import { normalised, summariseTransfer, transferMarkdown, type TransferRow } from '../../../experiments/transfer/summary.js';

const row = (agent: string, seed: number, fast: number, detailed: number, scenario = 's1'): TransferRow => ({
  agent, scenario, seed, ran: agent, fast, detailed, oracleFast: 10, reconfigurationsFast: 0, reconfigurationsDetailed: 0,
});
const opts = { agents: ['A', 'B'], bootstrap: { reps: 500, seed: 0 }, tieTolerance: 0.001 };
const md = { title: 't', notes: [], tieTolerance: 0.001 };

describe('summariseTransfer', () => {
  // A: fast 0.9, 0.8 (mean 0.85); detailed 0.7, 0.8 (mean 0.75); differences −0.2, 0 (mean −0.1)
  // B: fast 0.8, 0.8 (mean 0.8);  detailed 0.9, 0.9 (mean 0.9);  differences +0.1, +0.1
  const rows = [row('A', 0, 9, 7), row('A', 1, 8, 8), row('B', 0, 8, 9), row('B', 1, 8, 9)];
  const s = summariseTransfer(rows, opts);
  const A = s.agents.find((a) => a.agent === 'A')!, B = s.agents.find((a) => a.agent === 'B')!;

  it('divides by the fast-tier oracle on both tiers', () => {
    expect(normalised(rows[0]!, 'fast')).toBeCloseTo(0.9, 12);
    expect(normalised(rows[0]!, 'detailed')).toBeCloseTo(0.7, 12);
  });

  it('means, differences and min/max over the cells', () => {
    expect(A.cells).toBe(2);
    expect(A.fast.point).toBeCloseTo(0.85, 12);
    expect(A.detailed.point).toBeCloseTo(0.75, 12);
    expect(A.diff.point).toBeCloseTo(-0.1, 12);
    expect(A.diff.min).toBeCloseTo(-0.2, 12);
    expect(A.diff.max).toBeCloseTo(0, 12);
    expect(B.diff.point).toBeCloseTo(0.1, 12);
  });

  it('bootstrap intervals lie within the cells and collapse when the cells agree', () => {
    expect(A.fast.lo).toBeGreaterThanOrEqual(0.8 - 1e-12);
    expect(A.fast.hi).toBeLessThanOrEqual(0.9 + 1e-12);
    expect(A.fast.lo).toBeLessThan(A.fast.hi);
    expect(B.fast.lo).toBeCloseTo(0.8, 12);
    expect(B.fast.hi).toBeCloseTo(0.8, 12);
  });

  it('ranks on each tier and names the pair that swapped', () => {
    expect(s.rankingFast).toEqual(['A', 'B']);
    expect(s.rankingDetailed).toEqual(['B', 'A']);
    expect([A.rankFast, A.rankDetailed, B.rankFast, B.rankDetailed]).toEqual([1, 2, 2, 1]);
    expect(s.sameRanking).toBe(false);
    expect(s.swapped).toEqual([['A', 'B']]);
    const text = transferMarkdown(s, md);
    expect(text).toContain('A is ahead of B on the fast tier and behind it on the detailed tier');
    expect(text).toMatch(/\| A \| 2 \| 0\.850 \[.*\] \| 0\.750 \[.*\] \| −0\.100 \[.*\] \| −0\.200 … ±0\.000 \| 1 \| 2 \|/);
  });

  it('the same order on both tiers; equal scores keep table order', () => {
    const same = summariseTransfer([row('A', 0, 8, 7), row('B', 0, 8, 7), row('C', 0, 9, 9)], { ...opts, agents: ['A', 'B', 'C'] });
    expect(same.rankingFast).toEqual(['C', 'A', 'B']);
    expect(same.rankingDetailed).toEqual(['C', 'A', 'B']);
    expect(same.sameRanking).toBe(true);
    expect(transferMarkdown(same, md)).toContain('No pair of agents swaps');
  });

  it('means within the tie tolerance tie: equal ranks, no swap', () => {
    // fast: A 0.9000, B 0.9005 (0.0005 apart: a tie); detailed: A 0.9, B 0.8 (A ahead)
    const tied = summariseTransfer([row('A', 0, 9, 9), row('B', 0, 9.005, 8)], opts);
    expect(tied.agents.map((a) => [a.agent, a.rankFast, a.rankDetailed])).toEqual([['A', 1, 1], ['B', 1, 2]]);
    expect(tied.swapped).toEqual([]);
    expect(tied.sameRanking).toBe(true);
    expect(transferMarkdown(tied, md)).toContain('Ranking on the fast tier: B ≈ A.');
    expect(transferMarkdown(tied, md)).toContain('Ranking on the detailed tier: A > B.');
  });

  it('per scenario: the mean over seeds', () => {
    const two = summariseTransfer([row('A', 0, 9, 7), row('A', 1, 8, 8), row('A', 0, 5, 6, 's2')], { ...opts, agents: ['A'] });
    expect(two.perScenario.map((p) => [p.scenario, p.fast, p.detailed])).toEqual([['s1', expect.closeTo(0.85, 12), expect.closeTo(0.75, 12)], ['s2', expect.closeTo(0.5, 12), expect.closeTo(0.6, 12)]]);
  });
});
