/**
 * What the collector (`sweep --queue`) and the workers (`worker --queue`) agree on in Redis:
 * * each sweep has its own BullMQ queue, named from the sweep's hash (the hash of its jobs' hashes,
 *   so rerunning the same sweep finds the same queue and the jobs it left there);
 * * a sorted set `iocm-gym:sweeps` lists the queues that have work (score: when the collector listed
 *   it), so that a worker started with only the Redis URL finds them (it looks every second, and at
 *   once when the collector announces a sweep on the channel of the same name);
 * * a queue job is named `iocm-gym/job@1`, its id is the sweep job's content hash (BullMQ adds a job
 *   id only once, so a job is never queued twice), its data the job's inputs, and its result the job
 *   file's text, which the collector writes as the local pool's workers would have.
 */
import { createHash } from 'node:crypto';
import { connect as netConnect } from 'node:net';
import { Redis } from 'ioredis';
import type { JobFile } from '../job-file.js';
import type { JobTiming } from '../volatile.js';
import { UsageError, formatError } from '../errors.js';
import { redact, type RedisTarget } from './redis-url.js';

export const JOB_NAME = 'iocm-gym/job@1';
export const SWEEPS_KEY = 'iocm-gym:sweeps';
/** Where the collector announces a newly listed sweep, so that idle workers start on it at once. */
export const SWEEPS_CHANNEL = 'iocm-gym:sweeps';

export interface QueueJobData { job: JobFile['job'] }
/**
 * `worker`: `<host>:<pid>` of the worker process that ran the job (for the collector's count);
 * `timing`: its wall times, for the collector's `timings.csv` (absent from workers of before they were sent).
 */
export interface QueueJobResult { text: string; worker: string; timing?: JobTiming }

/** The queue of a sweep: its name derives from the set of its jobs' hashes. */
export function queueName(jobHashes: readonly string[]): string {
  const h = createHash('sha256').update([...new Set(jobHashes)].sort().join('\n')).digest('hex').slice(0, 16);
  return `iocm-gym-sweep-${h}`;
}

/**
 * Checks that Redis answers (and accepts the password), failing fast with a
 * one-line usage error: ioredis would otherwise retry an unreachable host for ever.
 */
export async function checkReachable(target: RedisTarget, flag = '--queue'): Promise<void> {
  // first the TCP connection alone: an unreachable host fails here, and leaves no ioredis timer behind
  const { host = '127.0.0.1', port = 6379 } = target.connection;
  try {
    await new Promise<void>((resolve, reject) => {
      const sock = netConnect({ host, port });
      const timer = setTimeout(() => { sock.destroy(); reject(Object.assign(new Error('no answer in 5 s'), { code: 'ETIMEDOUT' })); }, 5000);
      sock.once('connect', () => { clearTimeout(timer); sock.destroy(); resolve(); });
      sock.once('error', (e) => { clearTimeout(timer); reject(e); });
    });
  } catch (e) {
    throw new UsageError(`${flag} ${target.shown}: cannot use Redis (${(e as NodeJS.ErrnoException).code ?? formatError(e)})`);
  }
  const client = new Redis({ ...target.connection, lazyConnect: true, connectTimeout: 5000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  // the socket's error (ECONNREFUSED, ENOTFOUND, …) says more than the rejected call's "Connection is closed"
  let socketError: NodeJS.ErrnoException | undefined;
  client.on('error', (e: NodeJS.ErrnoException) => { socketError ??= e; });
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    client.disconnect();
    const code = socketError?.code ?? (e as NodeJS.ErrnoException).code ?? socketError?.message;
    throw new UsageError(`${flag} ${target.shown}: cannot use Redis (${redact(code ?? formatError(e))})`);
  }
  client.disconnect();
}

/** A connection for the long run: it reconnects after a network blip, and commands wait for it. */
export function connect(target: RedisTarget): Redis {
  const client = new Redis({ ...target.connection, maxRetriesPerRequest: null });
  client.on('error', () => undefined); // a lost connection shows in the commands that wait for it
  return client;
}
