/**
 * `schedule:<a>x<n>,<a>x<n>,…` — plays a fixed schedule of I/O-core counts open-loop: count a for n
 * epochs, then the next, never looking at the observation. `schedule:2x300,3x900` asks for 2 I/O cores
 * for 300 epochs, then 3 for 900. It is how a schedule found on one tier is replayed on the other (the
 * fast-tier oracle's action log on the detailed tier, `iocm-gym transfer`); the spec holds the whole
 * schedule, so a job that runs it is keyed by its content.
 *
 * Action mode: **absolute** (the counts are targets, as for `static:<x>` and the oracles). The agent
 * refuses to act past the end of its schedule: an episode longer than the schedule is an error, not a
 * silently repeated last count.
 */
import type { Agent } from './agent.js';

export interface ScheduleRun {
  /** The I/O-core count. */
  count: number;
  /** For how many consecutive epochs. */
  epochs: number;
}

/** `a x n` pairs, comma-separated; throws a one-line Error naming the bad part. */
export function parseSchedule(text: string): ScheduleRun[] {
  if (text.trim() === '') throw new Error('the schedule is empty; give <count>x<epochs>,… (e.g. 2x300,3x900)');
  return text.split(',').map((part) => {
    const m = /^\s*(\d+)\s*x\s*(\d+)\s*$/.exec(part);
    if (!m) throw new Error(`expected <count>x<epochs>, got ${JSON.stringify(part)}`);
    const count = Number(m[1]), epochs = Number(m[2]);
    if (!Number.isSafeInteger(count) || !Number.isSafeInteger(epochs)) throw new Error(`${JSON.stringify(part)}: number too large`);
    if (epochs < 1) throw new Error(`${JSON.stringify(part)}: a count must last at least 1 epoch`);
    return { count, epochs };
  });
}

/** An action log as a schedule spec's argument: consecutive equal actions merged (`[2,2,3]` → `2x2,3x1`). */
export function formatSchedule(actions: readonly number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < actions.length) {
    const a = actions[i]!;
    if (!Number.isSafeInteger(a) || a < 0) throw new Error(`schedule: action ${i} is ${a}, not a non-negative integer count`);
    let j = i + 1;
    while (j < actions.length && actions[j] === a) j++;
    parts.push(`${a}x${j - i}`);
    i = j;
  }
  return parts.join(',');
}

export class ScheduleAgent implements Agent<unknown, number> {
  readonly actionMode = 'absolute' as const;
  private run = 0;
  private left: number;

  constructor(readonly runs: readonly ScheduleRun[], readonly spec: string) {
    if (runs.length === 0) throw new Error('schedule: no runs');
    this.left = runs[0]!.epochs;
  }

  /** The total number of epochs the schedule covers. */
  get length(): number {
    return this.runs.reduce((s, r) => s + r.epochs, 0);
  }

  /** The largest count the schedule asks for (checked against the env's action space). */
  get maxCount(): number {
    return Math.max(...this.runs.map((r) => r.count));
  }

  reset(): void {
    this.run = 0;
    this.left = this.runs[0]!.epochs;
  }

  act(): number {
    while (this.left === 0) {
      this.run++;
      const r = this.runs[this.run];
      if (r === undefined) throw new Error(`${this.spec.slice(0, 60)}…: the schedule covers ${this.length} epochs and the episode asked for more`);
      this.left = r.epochs;
    }
    this.left--;
    return this.runs[this.run]!.count;
  }

  describe(): Record<string, unknown> {
    return { agent: 'schedule', epochs: this.length, changes: this.runs.length - 1, actionMode: 'absolute' };
  }
}
