/** The one-line ScenarioError message `f` throws (fails the test if it throws something else or nothing). */
import { expect } from '@jest/globals';
import { ScenarioError } from '../../env/sim/scenario.js';

export function scenarioErrorOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    const m = (e as Error).message;
    expect(m).not.toContain('\n');
    return m;
  }
  throw new Error('expected a ScenarioError');
}
