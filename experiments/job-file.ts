/**
 * A sweep's job file (`<out>/jobs/<hash>.json`): a run record plus the job's inputs, and its light
 * entry. Its own module so that the pool's tasks can build one without loading the sweep planner.
 */
import type { EnvSpecJSON } from '../env/core/registry.js';
import type { RunRecord } from './record.js';
import type { JobTiming } from './volatile.js';

export interface JobFile extends RunRecord {
  job: { hash: string; agent: string; seed: number; maxSteps: number | null; scenario: string; variant: string; inputEnvSpec: EnvSpecJSON };
}

/**
 * A job file without its per-step arrays (actions, rewards, trace): what the tables need, and what a
 * sweep keeps in memory per job. `readJob` gives the whole file (the figures read the few they plot).
 */
export type JobEntry = Omit<JobFile, 'actions' | 'rewards' | 'trace'> & {
  /** Wall times, when the job ran in this process's sweep (not kept in the file: volatile.ts). */
  timing?: JobTiming;
};

export function jobEntry(f: JobFile): JobEntry {
  const { actions: _a, rewards: _r, trace: _t, ...entry } = f;
  return entry;
}
