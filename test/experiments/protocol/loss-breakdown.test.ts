/** The per-epoch loss breakdown on hand-made runs; every expected value is worked out in the comments. */
import { describe, expect, it } from '@jest/globals';
import { epochClass, lossBreakdown, phaseStarts, type EpochRun } from '../../../experiments/protocol/loss-breakdown.js';

const run = (agent: string, rewards: number[], ioCores: number[], reconfigured: boolean[], phase = [0, 0, 0, 1, 1, 1]): EpochRun => ({
  agent, scenario: 'A', seed: 0, rewards, ioCores, phase, reconfigured,
});
const F = false, T = true;

describe('phaseStarts / epochClass', () => {
  it('marks the first epochs of each phase (the episode start included) as reaction, unless they switch', () => {
    expect(phaseStarts([0, 0, 0, 1, 1, 1])).toEqual([0, 0, 0, 3, 3, 3]);
    const r = run('a', [0, 0, 0, 0, 0, 0], [2, 2, 2, 3, 3, 2], [T, F, F, F, F, T]);
    const starts = phaseStarts(r.phase);
    // reaction window 1 epoch: t = 0 switches, t = 3 is a phase's first epoch; t = 5 switches
    expect([0, 1, 2, 3, 4, 5].map((t) => epochClass(r, starts, t, 2, 1))).toEqual(['switch', 'steady, same count', 'steady, same count', 'reaction', 'steady, other count', 'switch']);
  });
});

describe('lossBreakdown', () => {
  // Fixed counts: static:2 returns 6 × 1 = 6, static:3 returns 0.9 × 3 + 1.0 × 3 = 5.7, so static:2 is
  // the reference. The oracle returns 6.6.
  const runs = [
    run('static:2', [1, 1, 1, 1, 1, 1], [2, 2, 2, 2, 2, 2], [T, F, F, F, F, F]),
    run('static:3', [0.9, 0.9, 0.9, 1.0, 1.0, 1.0], [3, 3, 3, 3, 3, 3], [T, F, F, F, F, F]),
    run('oracle', [1, 1, 1, 1.2, 1.2, 1.2], [2, 2, 2, 4, 4, 4], [T, F, F, T, F, F]),
    // the agent: at 2 for phase 0, switches to 4 in epoch 3 (0.5), then 1.2 twice; return 5.9
    run('ppo', [1, 1, 1, 0.5, 1.2, 1.2], [2, 2, 2, 4, 4, 4], [T, F, F, T, F, F]),
  ];
  it('splits (agent − best fixed) / oracle over the classes, and they add up', () => {
    const [b] = lossBreakdown(runs, { agents: ['ppo'], fixed: ['static:2', 'static:3'], oracle: 'oracle', reactionEpochs: 1 });
    // total (5.9 − 6) / 6.6
    expect(b!.gap).toBeCloseTo(-0.1 / 6.6, 12);
    // switch epochs 0 (1 − 1) and 3 (0.5 − 1): −0.5 / 6.6
    expect(b!.classes.switch.gap).toBeCloseTo(-0.5 / 6.6, 12);
    expect(b!.classes.switch.epochShare).toBeCloseTo(2 / 6, 12);
    // steady at 2 (epochs 1, 2): 0; steady at 4 (epochs 4, 5): +0.4 / 6.6; no reaction epoch left over
    expect(b!.classes['steady, same count'].gap).toBe(0);
    expect(b!.classes['steady, other count'].gap).toBeCloseTo(0.4 / 6.6, 12);
    expect(b!.classes.reaction.epochShare).toBe(0);
    // every steady epoch is at the oracle's count
    expect(b!.steadyAtOracleCount).toBe(1);
  });
  it('splits the gap to the oracle into novel and familiar epochs when the runs mark them', () => {
    const marked = runs.map((r) => (r.agent === 'ppo' ? { ...r, novel: [F, F, F, T, T, T] } : r));
    const [b] = lossBreakdown(marked, { agents: ['ppo'], fixed: ['static:2', 'static:3'], oracle: 'oracle', reactionEpochs: 1 });
    // vs the oracle: phase 0 equal (0), phase 1: 0.5 − 1.2 = −0.7, then 0 and 0
    expect(b!.vsOracle!.familiar.gap).toBe(0);
    expect(b!.vsOracle!.novel.gap).toBeCloseTo(-0.7 / 6.6, 12);
    expect(b!.vsOracle!.novel.epochShare).toBe(0.5);
    // unmarked runs give no split
    expect(lossBreakdown(runs, { agents: ['ppo'], fixed: ['static:2'], oracle: 'oracle', reactionEpochs: 1 })[0]!.vsOracle).toBeUndefined();
  });
  it('names a scenario whose reference runs are missing', () => {
    expect(() => lossBreakdown(runs.filter((r) => r.agent !== 'oracle'), { agents: ['ppo'], fixed: ['static:2'], oracle: 'oracle', reactionEpochs: 1 })).toThrow(/A seed 0 lacks oracle/);
  });
});
