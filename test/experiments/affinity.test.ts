import { describe, expect, it } from '@jest/globals';
import { AffinityQueue } from '../../experiments/affinity.js';

/** Drains the queue with workers taking turns in `order` (repeated); returns what each worker took. */
function drain(keys: string[], order: number[]): Map<number, number[]> {
  const q = new AffinityQueue(keys);
  const took = new Map<number, number[]>();
  const active = new Set(order);
  for (let t = 0; active.size > 0; t++) {
    const w = order[t % order.length]!;
    if (!active.has(w)) continue;
    const i = q.take(w);
    if (i === undefined) { active.delete(w); continue; }
    (took.get(w) ?? took.set(w, []).get(w)!).push(i);
  }
  return took;
}

describe('AffinityQueue', () => {
  const keys = ['a', 'a', 'a', 'a', 'b', 'b', 'b', 'b', 'c', 'c'];

  it('hands out every task exactly once, in plain order to a single worker', () => {
    const took = drain(keys, [0]);
    expect(took.get(0)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('keeps each worker on one key while it has tasks, then opens the next untaken key', () => {
    const took = drain(keys, [0, 1]);
    // worker 1 finishes b as worker 0 opens c, and helps with c's last task
    expect(took.get(0)).toEqual([0, 1, 2, 3, 8]);
    expect(took.get(1)).toEqual([4, 5, 6, 7, 9]);
    expect([...took.values()].flat().sort((x, y) => x - y)).toEqual(keys.map((_, i) => i));
  });

  it('lets an idle worker help the key with most tasks left, from its far end', () => {
    const took = drain(['a', 'a', 'a', 'a', 'a', 'a'], [0, 1]);
    expect(took.get(0)).toEqual([0, 1, 2]);
    expect(took.get(1)).toEqual([5, 4, 3]);
  });

  it('with a key per task, is the plain task order whatever the workers', () => {
    const q = new AffinityQueue(['0', '1', '2', '3']);
    expect([q.take(0), q.take(1), q.take(1), q.take(0), q.take(0)]).toEqual([0, 1, 2, 3, undefined]);
  });
});
