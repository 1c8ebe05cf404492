import { describe, expect, it } from '@jest/globals';
import '../../experiments/fixtures/phased-toy.js';
import { TOY_MODULE } from '../../experiments/fixtures/phased-toy.js';
import { decisionPoints, gridActions, oracleProblem, segmentRange } from '../../../agents/oracle/index.js';
import { envSpecFor } from '../../../experiments/envs.js';

// Phases of 3, 2 and 3 steps: phase starts 0, 3, 5; horizon 8.
const pr = oracleProblem(envSpecFor('PhasedToy-v0', { phaseSteps: [3, 2, 3] }), 0, [TOY_MODULE]);

describe('decision grid', () => {
  it('has a point every k epochs and at every phase start', () => {
    expect(decisionPoints(pr, 1)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(decisionPoints(pr, 2)).toEqual([0, 2, 3, 4, 5, 6]);
    expect(decisionPoints(pr, 4)).toEqual([0, 3, 4, 5]);
    // coarser than the episode: the phase starts alone (the per-phase oracle's grid)
    expect(decisionPoints(pr, 100)).toEqual([0, 3, 5]);
  });

  it('cuts the episode into segments between points and plays one configuration per segment', () => {
    const pts = decisionPoints(pr, 4);
    expect([0, 1, 2, 3].map((j) => segmentRange(pts, pr.horizon, j))).toEqual([[0, 3], [3, 4], [4, 5], [5, 8]]);
    expect(gridActions(pts, pr.horizon, [2, 0, 1, 2])).toEqual([2, 2, 2, 0, 1, 2, 2, 2]);
  });

  it('refuses a spacing that is not a whole number of epochs ≥ 1', () => {
    expect(() => decisionPoints(pr, 0)).toThrow(/whole number of epochs ≥ 1, got 0/);
    expect(() => decisionPoints(pr, 1.5)).toThrow(/got 1.5/);
  });
});
