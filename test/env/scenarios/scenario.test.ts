import { describe, it, expect } from '@jest/globals';
import { isScenario, loadScenario, phaseAt, phaseEnds } from '../../../env/scenarios/scenario.js';

describe('phaseAt and phaseEnds', () => {
  it('finds the phase holding a time; the last phase at and after the end', () => {
    const ends = [20, 40, 45];
    expect(phaseAt(ends, 0)).toBe(0);
    expect(phaseAt(ends, 19.999)).toBe(0);
    expect(phaseAt(ends, 20)).toBe(1); // a phase starts at its predecessor's end
    expect(phaseAt(ends, 44.9)).toBe(2);
    expect(phaseAt(ends, 45)).toBe(2);
    expect(phaseAt(ends, 1e9)).toBe(2);
    expect(phaseAt([10], 3)).toBe(0);
  });

  it('phaseEnds are the cumulative durations (paper: six 20 s phases)', () => {
    expect(phaseEnds(loadScenario('paper'))).toEqual([20, 40, 60, 80, 100, 120]);
  });

  it('isScenario tells a loaded scenario from a name or a raw spec', () => {
    expect(isScenario(loadScenario('mixed'))).toBe(true);
    expect(isScenario('mixed')).toBe(false);
    expect(isScenario({ name: 'x', vms: 1, phases: [{ durationS: 1, workload: { type: 'idle' } }] })).toBe(false);
  });
});
