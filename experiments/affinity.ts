/**
 * The order in which pool workers take tasks that carry an affinity key (a sweep job's env spec).
 *
 * Why: a worker thread caches what it derived from an env spec (the fast tier's steady states and
 * latency tables, per scenario), and for short fast-tier episodes that derivation costs more than the
 * episode. Handed out in plain order, the jobs of one scenario alternate between the workers, so every
 * worker derives every scenario and two workers do nearly twice the work of one. Here each worker
 * keeps to one key's tasks, in order, while it has some; then it opens the next key nobody has taken;
 * when every key is taken it helps the key with the most tasks left, from that key's far end, so the
 * owner and the helper meet in the middle. Every task is taken exactly once, and with one worker the
 * order is the plain order.
 */
export class AffinityQueue {
  /** Task indices per key, in task order; `lo`/`hi` the next untaken from the front and the back. */
  private readonly groups: { tasks: number[]; lo: number; hi: number; opened: boolean }[] = [];
  private readonly current = new Map<number, number>();
  private nextUnopened = 0;

  constructor(keys: readonly string[]) {
    const byKey = new Map<string, number[]>();
    keys.forEach((k, i) => {
      let g = byKey.get(k);
      if (!g) { g = []; byKey.set(k, g); }
      g.push(i);
    });
    for (const tasks of byKey.values()) this.groups.push({ tasks, lo: 0, hi: tasks.length - 1, opened: false });
  }

  /** The next task for `worker` (any id that stays the same for one worker), or undefined when none is left. */
  take(worker: number): number | undefined {
    const cur = this.current.get(worker);
    if (cur !== undefined) {
      const g = this.groups[cur]!;
      if (g.lo <= g.hi) return g.tasks[g.lo++];
    }
    while (this.nextUnopened < this.groups.length && this.groups[this.nextUnopened]!.opened) this.nextUnopened++;
    if (this.nextUnopened < this.groups.length) {
      const gi = this.nextUnopened++;
      const g = this.groups[gi]!;
      g.opened = true;
      this.current.set(worker, gi);
      return g.tasks[g.lo++];
    }
    // help the key with the most tasks left, from its far end
    let best = -1, left = 0;
    this.groups.forEach((g, gi) => { if (g.hi - g.lo + 1 > left) { left = g.hi - g.lo + 1; best = gi; } });
    if (best < 0) return undefined;
    const g = this.groups[best]!;
    this.current.delete(worker);
    return g.tasks[g.hi--];
  }
}
