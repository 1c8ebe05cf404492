/**
 * The units of work the pool runs (plain data in, plain data out): a sweep job (one
 * episode, `runEpisode`) or one piece of an oracle search. `runTask` runs one in the current thread; the
 * worker (`worker.ts`) calls it for each message.
 *
 * A job writes its own job file (atomically, `file`) and answers with the file's light part (`JobEntry`:
 * everything but the per-step arrays). For short fast-tier episodes, writing and re-parsing the full
 * record (≈ 100 kB of JSON before run@2) on the main thread cost about as much as the episode, so a
 * sweep's main thread, not its workers, set the pace.
 */
import '../env/index.js';
import type { EnvSpecJSON } from '../env/core/registry.js';
import { runOracleTask, type OracleTask } from '../agents/oracle/index.js';
import { writeFileAtomic } from './io.js';
import { encodeRunRecord, type RunRecord } from './record.js';
import { jobEntry, type JobFile } from './job-file.js';
import { splitVolatile, type JobTiming } from './volatile.js';

export interface JobTask {
  kind: 'job';
  /** What the job file records about its inputs (`JobFile.job`); `inputEnvSpec` is the env to run. */
  job: JobFile['job'];
  /** Where the job file goes. */
  file: string;
}

/**
 * A sweep job whose file text (and wall times, which the file leaves out) is the answer instead of being
 * written here: a queue worker (`experiments/queue/`) sends it to the collector, which writes the job
 * file on its own machine and the wall times to its `timings.csv`.
 */
export interface JobTextTask {
  kind: 'job-text';
  job: JobFile['job'];
}

/** The answer to a `JobTextTask`. */
export interface JobTextAnswer { text: string; timing: JobTiming }

export type PoolTask = (JobTask | JobTextTask | OracleTask) & { envModules?: string[] };

const imported = new Set<string>();

/** Imports the modules that register extra env ids (once per thread). */
export async function importEnvModules(mods: readonly string[] = []): Promise<void> {
  for (const m of mods) {
    if (imported.has(m)) continue;
    await import(m);
    imported.add(m);
  }
}

/** Runs a sweep job: the job file's text (as `jobs/<hash>.json` holds it) and its light entry. */
async function runJob(j: JobFile['job'], envModules: string[]): Promise<{ text: string; entry: ReturnType<typeof jobEntry>; timing: JobTiming }> {
  // Loaded on first use: the runner pulls in the agents (tfjs), which oracle tasks do not need.
  const { runEpisode } = await import('./runner.js');
  const rec: RunRecord = await runEpisode(j.inputEnvSpec, j.agent, j.seed, {
    ...(j.maxSteps !== null ? { maxSteps: j.maxSteps } : {}),
    envModules,
  });
  // wall times and the commit go back with the entry, not into the file (volatile.ts)
  const { stable, timing } = splitVolatile(rec);
  const file: JobFile = { ...stable, job: j };
  // A run record is plain JSON data (`runEpisode`), so no replacer pass over its numbers.
  return { text: JSON.stringify(encodeRunRecord(file)) + '\n', entry: jobEntry(file), timing };
}

export async function runTask(task: PoolTask): Promise<unknown> {
  await importEnvModules(task.envModules ?? (task.kind === 'job' || task.kind === 'job-text' ? [] : task.problem.envModules));
  if (task.kind === 'job') {
    const { text, entry, timing } = await runJob(task.job, task.envModules ?? []);
    // No fsync: the rename alone keeps a crash or Ctrl-C from leaving a partial file, and a file torn
    // by a power loss fails `readJob`'s checks, so `--resume` runs that job again. Flushing each job
    // cost ≈ 2.7 ms, more than a fast-tier episode.
    writeFileAtomic(task.file, text, { fsync: false });
    return { ...entry, timing };
  }
  if (task.kind === 'job-text') {
    const { text, timing } = await runJob(task.job, task.envModules ?? []);
    return { text, timing } satisfies JobTextAnswer;
  }
  return runOracleTask(task);
}
