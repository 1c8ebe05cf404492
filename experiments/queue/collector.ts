/**
 * The collector of a sweep run on a Redis queue (`sweep --queue redis://…`): the queue stands in for
 * the local pool in `runSweep`. It lists the sweep's queue for the workers, adds the jobs that have no
 * file yet (a job id is the job's hash, so a job already in the queue is not added twice), then takes
 * the finished ones out of Redis as they come, checks each result, writes it as the job's file
 * (atomically, the text the worker's thread made, so the file is the one a local run writes) and only
 * then removes it from Redis. Killed at any point, a rerun with `--resume` finds every job either in a
 * file or in Redis (waiting, running or finished) and runs none twice into the files.
 *
 * A job that fails (it threw, or a worker refused it) is recorded with its error and removed from the
 * queue; the sweep goes on, and a rerun with `--resume` queues it again.
 */
import { Queue, type Job as BullJob } from 'bullmq';
import { canonicalJson } from '../canonical-json.js';
import { writeFileAtomic } from '../io.js';
import { jobEntry, type JobEntry, type JobFile } from '../job-file.js';
import { validateRunRecord } from '../record.js';
import type { JobTask } from '../tasks.js';
import { formatError } from '../errors.js';
import { JOB_NAME, SWEEPS_CHANNEL, SWEEPS_KEY, checkReachable, connect, queueName, type QueueJobData, type QueueJobResult } from './protocol.js';
import { parseRedisUrl, redact } from './redis-url.js';

export interface FailedJob { hash: string; error: string }

/** How often the collector looks for finished jobs when the last look found none. */
const POLL_MS = 100;
/** Jobs taken from Redis, or added to it, per round trip. */
const CHUNK = 200;

export interface QueueRunHooks {
  /** Each finished job, as the pool's `onResult`: the task's index and its entry. */
  onResult: (k: number, entry: JobEntry) => void;
  /** The number of distinct worker processes that have sent results, when it grows. */
  onWorkers?: (n: number) => void;
}

/** A worker's result as a job file: checked to be a run record of exactly this job. */
function checkResult(rv: unknown, task: JobTask): { text: string; entry: JobEntry; worker: string } {
  const r = rv as Partial<QueueJobResult> | null;
  if (!r || typeof r.text !== 'string' || typeof r.worker !== 'string') throw new Error('the result is not a job file');
  const raw = JSON.parse(r.text) as { job?: unknown };
  if (canonicalJson(raw.job) !== canonicalJson(task.job)) throw new Error('the result is the file of another job');
  const rec = validateRunRecord(raw, `job ${task.job.hash}`) as JobFile;
  rec.job = task.job;
  const entry = jobEntry(rec);
  const t = r.timing;
  // the wall times go to timings.csv only; a result without them (or with nonsense) leaves its row out
  if (t && Number.isFinite(t.wallMs) && (t.searchWallMs === undefined || Number.isFinite(t.searchWallMs))) {
    entry.timing = { wallMs: t.wallMs, ...(t.searchWallMs !== undefined ? { searchWallMs: t.searchWallMs } : {}) };
  }
  return { text: r.text, entry, worker: r.worker };
}

/**
 * Runs `tasks` (the sweep's jobs without a file) on the queue at `url`; `allHashes` (every job of the
 * sweep) names the queue. Returns the jobs that failed.
 */
export async function runOnQueue(url: string, allHashes: readonly string[], tasks: readonly JobTask[], hooks: QueueRunHooks): Promise<FailedJob[]> {
  const target = parseRedisUrl(url);
  await checkReachable(target);
  const client = connect(target);
  const name = queueName(allHashes);
  const queue = new Queue<QueueJobData, QueueJobResult>(name, { connection: target.connection });
  // a connection error is retried by ioredis; one that lasts fails the commands below, which end the sweep
  queue.on('error', () => undefined);
  const failed: FailedJob[] = [];
  try {
    const index = new Map(tasks.map((t, k) => [t.job.hash, k]));
    const left = new Set(index.keys());
    const workers = new Set<string>();
    hooks.onWorkers?.(0);
    // listed before the jobs are added: a worker that sees the jobs also serves the queue
    await client.zadd(SWEEPS_KEY, 'NX', Date.now(), name);
    const hashes = [...index.keys()];
    for (let i = 0; i < hashes.length; i += CHUNK) {
      const chunk = hashes.slice(i, i + CHUNK);
      const states = await Promise.all(chunk.map((h) => queue.getJobState(h)));
      const add: string[] = [];
      for (let c = 0; c < chunk.length; c++) {
        const h = chunk[c]!;
        // a job that failed in an earlier run is queued afresh; waiting, running and finished ones stay
        if (states[c] === 'failed') await queue.remove(h);
        if (states[c] === 'failed' || states[c] === 'unknown') add.push(h);
      }
      await queue.addBulk(add.map((h) => ({
        name: JOB_NAME, data: { job: tasks[index.get(h)!]!.job },
        opts: { jobId: h, attempts: 1, removeOnComplete: false, removeOnFail: false },
      })));
    }
    await client.publish(SWEEPS_CHANNEL, name);
    while (left.size > 0) {
      let got = 0;
      const take = (job: BullJob<QueueJobData, QueueJobResult> | undefined, ok: boolean): void => {
        if (!job?.id) return;
        const k = index.get(job.id);
        if (k !== undefined && left.has(job.id)) {
          got++;
          left.delete(job.id);
          const task = tasks[k]!;
          if (ok) {
            let r: ReturnType<typeof checkResult>;
            try {
              r = checkResult(job.returnvalue, task);
            } catch (e) {
              failed.push({ hash: job.id, error: `invalid result: ${formatError(e)}` });
              return;
            }
            // a file that cannot be written ends the sweep (the job stays in Redis for --resume)
            writeFileAtomic(task.file, r.text, { fsync: false });
            if (!workers.has(r.worker)) { workers.add(r.worker); hooks.onWorkers?.(workers.size); }
            hooks.onResult(k, r.entry);
          } else {
            failed.push({ hash: job.id, error: job.failedReason || 'failed' });
          }
        }
      };
      const completed = await queue.getJobs(['completed'], 0, CHUNK - 1, true);
      for (const job of completed) take(job, true);
      const failedNow = await queue.getJobs(['failed'], 0, CHUNK - 1, true);
      for (const job of failedNow) take(job, false);
      // their files are written (or their failures recorded): Redis need not hold them any more (the
      // removals go out together, one round trip; one that fails is tried again on the next look)
      await Promise.allSettled([...completed, ...failedNow].map((job) => job?.remove()));
      if (got === 0) await new Promise((r) => setTimeout(r, POLL_MS));
    }
    // every job is in a file or recorded as failed: the queue's keys go, and the workers leave it
    await client.zrem(SWEEPS_KEY, name);
    await queue.obliterate({ force: true });
  } catch (e) {
    if (!(e instanceof Error) || (e as NodeJS.ErrnoException).syscall !== undefined) throw e;
    // what Redis or the connection said, on one line and without the password; `--resume` picks up
    throw new Error(`--queue ${target.shown}: ${redact(formatError(e))}; rerun with --resume to continue`);
  } finally {
    await queue.close().catch(() => undefined);
    client.disconnect();
  }
  return failed;
}
