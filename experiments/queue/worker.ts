/**
 * A queue worker (`worker --queue redis://…`): serves every sweep listed in Redis (`protocol.ts`),
 * running their jobs on its own threads (`threads.ts`) and answering each with the job file's text.
 * It runs until it is stopped (Ctrl-C or SIGTERM).
 *
 * Stalled-job recovery (BullMQ): a worker holds a lock on each job it has taken, renewed every
 * `lockMs / 2` from its main thread (the episodes run on other threads, so a long one does not starve
 * the renewal). A worker that dies stops renewing; after at most `lockMs` its locks lapse, and within
 * the next `lockMs` (the stalled-check interval) a live worker moves the job back to the waiting list,
 * where any worker takes it. A job found stalled more than MAX_STALLED times fails (it kills workers).
 * A job that throws fails at once (attempts: 1): episodes are deterministic, so a retry would throw too.
 */
import { hostname } from 'node:os';
import { Worker, type Job } from 'bullmq';
import { formatError } from '../errors.js';
import { onInterrupt } from '../io.js';
import { importEnvModules, type JobTextAnswer } from '../tasks.js';
import { UsageError } from '../errors.js';
import { checkQueueJob } from './job-check.js';
import { SWEEPS_CHANNEL, SWEEPS_KEY, checkReachable, connect, type QueueJobData, type QueueJobResult } from './protocol.js';
import { redact, type RedisTarget } from './redis-url.js';
import { ThreadRunner } from './threads.js';

/** BullMQ's defaults, kept: 30 s lock, checked for stalled jobs every 30 s. */
export const DEFAULT_LOCK_MS = 30_000;
/** How many times a job may be found stalled (its worker gone) and go back to the waiting list. */
export const MAX_STALLED = 2;
/** How often the worker looks for sweeps that were listed or finished. */
const DISCOVER_MS = 1000;

export interface QueueWorkerOptions {
  target: RedisTarget;
  concurrency: number;
  /** Modules that register env ids, from the worker's own command line (file URLs). */
  envModules: string[];
  /** Real paths of the folders jobs may name files in (`job-check.ts`). */
  roots: string[];
  lockMs?: number;
  log: (line: string) => void;
}

export async function runQueueWorker(o: QueueWorkerOptions): Promise<void> {
  try {
    await importEnvModules(o.envModules);
  } catch (e) {
    throw new UsageError(`--env-modules: ${formatError(e)}`);
  }
  await checkReachable(o.target);
  const client = connect(o.target);
  // a sweep announced on the channel wakes the discovery loop at once
  const sub = connect(o.target);
  let wake: () => void = () => undefined;
  sub.on('message', () => wake());
  await sub.subscribe(SWEEPS_CHANNEL);
  const threads = new ThreadRunner(o.concurrency);
  const id = `${hostname()}:${process.pid}`;
  const lockMs = o.lockMs ?? DEFAULT_LOCK_MS;
  const served = new Map<string, { worker: Worker<QueueJobData, QueueJobResult>; ran: number; failed: number }>();
  let stopping = false;

  const process1 = async (job: Job<QueueJobData, QueueJobResult>, name: string): Promise<QueueJobResult> => {
    const inputs = checkQueueJob(job.name, job.data, o.roots);
    const { text, timing } = await threads.run({ kind: 'job-text', job: inputs, envModules: o.envModules }) as JobTextAnswer;
    // hold as many jobs as keep the threads fed (more once jobs prove short)
    const w = served.get(name)?.worker;
    if (w && w.concurrency !== threads.wanted()) w.concurrency = threads.wanted();
    return { text, worker: id, timing };
  };

  const serve = (name: string): void => {
    const worker = new Worker<QueueJobData, QueueJobResult>(name, (job) => process1(job, name), {
      connection: { ...o.target.connection, maxRetriesPerRequest: null },
      concurrency: threads.wanted(), lockDuration: lockMs, stalledInterval: lockMs, maxStalledCount: MAX_STALLED, name: id,
    });
    const s = { worker, ran: 0, failed: 0 };
    worker.on('completed', () => { s.ran++; });
    worker.on('failed', (job, err) => { s.failed++; o.log(`worker: ${name}: job ${job?.id ?? '?'} failed: ${redact(formatError(err))}`); });
    worker.on('error', (err) => { o.log(`worker: ${name}: ${redact(formatError(err))}`); });
    served.set(name, s);
    o.log(`worker: serving ${name} on ${o.concurrency} thread(s)`);
  };

  const stop = async (): Promise<void> => {
    stopping = true;
    // jobs still running here lapse and go to other workers (stalled-job recovery)
    await Promise.allSettled([...served.values()].map((s) => s.worker.close(true)));
    await threads.close();
    client.disconnect();
    sub.disconnect();
  };
  onInterrupt(stop);

  while (!stopping) {
    let names: string[];
    try {
      names = await client.zrange(SWEEPS_KEY, 0, -1);
    } catch (e) {
      throw new Error(`worker: lost Redis ${o.target.shown} (${redact(formatError(e))})`);
    }
    for (const n of names) if (!served.has(n)) serve(n);
    for (const [n, s] of served) {
      if (names.includes(n)) continue;
      served.delete(n);
      void s.worker.close().then(() => o.log(`worker: ${n} done: ${s.ran} job(s) run here, ${s.failed} failed`));
    }
    await new Promise<void>((r) => {
      const t = setTimeout(r, DISCOVER_MS);
      wake = () => { clearTimeout(t); r(); };
    });
  }
}
