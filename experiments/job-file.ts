/**
 * A sweep's job file (`<out>/jobs/<hash>.json`): a run record plus the job's inputs, and its light
 * entry. Its own module so that the pool's tasks can build one without loading the sweep planner.
 */
import { z } from 'zod';
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

const envSpecSchema = z.object({
  id: z.string().min(1),
  rewardThreshold: z.number().nullable(),
  nondeterministic: z.boolean(),
  maxEpisodeSteps: z.number().int().positive().nullable(),
  orderEnforce: z.boolean(),
  disableEnvChecker: z.boolean(),
  kwargs: z.record(z.string(), z.unknown()),
  additionalWrappers: z.array(z.object({ name: z.string().min(1), kwargs: z.record(z.string(), z.unknown()) }).strict()),
}).strict();

/**
 * A job's inputs (`JobFile.job`) as plain data from outside this process (a job queue): the shape is
 * checked here; what the env and agent make of the values is checked when they are built, as for any job.
 */
export const jobInputsSchema = z.object({
  hash: z.string().regex(/^[0-9a-f]{24}$/, { error: 'must be 24 hex digits' }),
  agent: z.string().min(1).max(4096),
  seed: z.number().int().nonnegative(),
  maxSteps: z.number().int().positive().nullable(),
  scenario: z.string().max(4096),
  variant: z.string().max(4096),
  inputEnvSpec: envSpecSchema,
}).strict();

// the schema and the type describe the same thing
const _sameShape: (x: z.output<typeof jobInputsSchema>) => JobFile['job'] = (x) => x;
void _sameShape;
