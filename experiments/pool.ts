/**
 * A worker-thread pool for experiments (plain data in and out; `npm run bench -- experiments` measures
 * its speed-up from 1 to 2 workers). Default size `os.availableParallelism()`. Tasks are handed out in
 * order as workers finish theirs (short tasks several to a message and one message ahead, so a worker never waits for the main
 * thread between them, and the main thread wakes once per message, not per task); `map`
 * returns the results in task order and calls `onResult` as each one finishes, so the outcome is the
 * same as a sequential run's whatever the number of workers. Size 0 runs every task in this thread
 * (same code path as the workers).
 *
 * Workers load compiled JS (`dist/experiments/worker.js`) when this module is compiled JS, and the
 * TypeScript sources through tsx's `tsImport` when it runs from sources (jest, `npx tsx`): Node 20
 * ignores `--import tsx` in a worker's execArgv, so the worker starts from a one-line bootstrap that
 * loads tsx's API and imports `worker.ts` through it.
 */
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { OracleTask, ParallelMap } from '../agents/oracle/index.js';
import { AffinityQueue } from './affinity.js';
import { UsageError } from './errors.js';
import { onInterrupt } from './io.js';
import { runTask, type PoolTask } from './tasks.js';

export function defaultWorkers(): number {
  return availableParallelism();
}

export function spawnWorker(): Worker {
  const self = import.meta.url;
  if (self.endsWith('.ts')) {
    const entry = new URL('./worker.ts', self).href;
    // require.resolve gives tsx's CJS build; the worker needs the ESM one next to it.
    const api = pathToFileURL(createRequire(self).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
    const code = `import(${JSON.stringify(api)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}));`;
    return new Worker(code, { eval: true });
  }
  return new Worker(new URL('./worker.js', self));
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  dead?: Error;
}

/** `ms`: how long the worker ran the task (its queue time excluded). */
export interface Reply { id: number; ok: boolean; result?: unknown; error?: string; usage?: boolean; ms?: number }
/** What a worker posts: that it is ready, or the replies to one message's tasks. */
type WorkerMessage = { ready: true } | { replies: Reply[] };

/**
 * Tasks typically shorter than this get a second message of tasks sent ahead to their worker, which
 * starts it as soon as it finishes the first instead of waiting a round trip through the main thread
 * (about 0.2 ms on this machine, 5–8 % of a warmed-up fast-tier job). Longer tasks do not: the round
 * trip is lost in them, and a task sent ahead could keep one worker busy at the end while the other has
 * none.
 */
export const SEND_AHEAD_BELOW_MS = 50;
/**
 * Short tasks go out several to a message, about this many milliseconds of work per message, at most
 * MAX_BATCH: each message costs the main thread ≈ 0.3 ms (structured clone, a wake-up, the promise
 * chain), which for 4 ms fast-tier jobs was 7 % of the sweep's CPU time, taken from the workers' cores.
 */
export const BATCH_MS = 20;
export const MAX_BATCH = 16;
/** The weight of the newest task in the typical task time (it forgets a 1 s outlier within ~60 tasks). */
export const TASK_MS_WEIGHT = 0.1;

export class WorkerPool {
  private slots: Slot[] = [];
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; slot: Slot }>();
  private nextId = 0;
  private closed = false;
  /**
   * A task's typical run time in the workers, an exponentially weighted mean over the tasks answered
   * in this `map` (for SEND_AHEAD_BELOW_MS and BATCH_MS; undefined before the first answer). Not the
   * plain mean: a cold worker's first tasks load modules and run unoptimised code, up to a second
   * each, and a plain mean kept 4 ms jobs looking like 15 ms ones for their first thousand.
   */
  private taskMs: number | undefined;
  private unhook: (() => void) | undefined;

  constructor(readonly size: number = defaultWorkers()) {
    if (!Number.isInteger(size) || size < 0) throw new UsageError(`workers must be a non-negative integer, got ${size}`);
  }

  /** Starts workers up to `size` (no more than `needed`). */
  private start(needed: number): void {
    // on Ctrl-C the workers stop before the temporary files they may be writing are removed
    if (this.slots.length < Math.min(this.size, needed)) this.unhook ??= onInterrupt(() => this.close());
    while (this.slots.length < Math.min(this.size, needed)) {
      const worker = spawnWorker();
      let onReady!: () => void;
      let onFailed!: (e: Error) => void;
      const slot: Slot = { worker, ready: new Promise<void>((r, j) => { onReady = r; onFailed = j; }) };
      slot.ready.catch(() => undefined);
      worker.on('message', (m: WorkerMessage) => {
        if ('ready' in m) return onReady();
        for (const r of m.replies) {
          const p = this.pending.get(r.id);
          if (!p) continue;
          this.pending.delete(r.id);
          if (r.ms !== undefined) this.taskMs = this.taskMs === undefined ? r.ms : this.taskMs + TASK_MS_WEIGHT * (r.ms - this.taskMs);
          if (r.ok) p.resolve(r.result);
          else p.reject(r.usage ? new UsageError(r.error ?? 'error') : new Error(r.error ?? 'error'));
        }
      });
      const fail = (e: Error): void => {
        slot.dead = e;
        onFailed(e);
        for (const [id, p] of this.pending) if (p.slot === slot) { this.pending.delete(id); p.reject(e); }
      };
      worker.on('error', fail);
      worker.on('exit', (code) => { if (!this.closed) fail(new Error(`experiments: a pool worker exited (code ${code})`)); });
      this.slots.push(slot);
    }
  }

  /** Sends tasks to a worker in one message; a promise per task. */
  private async send(slot: Slot, tasks: readonly PoolTask[]): Promise<Promise<unknown>[]> {
    await slot.ready;
    const msg = tasks.map((task) => ({ id: this.nextId++, task }));
    const answers = msg.map(({ id }) => new Promise((resolve, reject) => { this.pending.set(id, { resolve, reject, slot }); }));
    // all of a message's answers settle at once and are read in order: none is an unhandled rejection meanwhile
    for (const a of answers) a.catch(() => undefined);
    slot.worker.postMessage(msg);
    return answers;
  }

  /**
   * Runs every task; results in task order; `onResult(i, r)` as each finishes. Rejects on the first
   * error. With `keys` (one per task), each worker keeps to the tasks of one key while it can
   * (`AffinityQueue`), so what a worker caches per key is derived by as few workers as possible.
   * While tasks are short, each worker has a second message of tasks waiting (`SEND_AHEAD_BELOW_MS`),
   * and a message carries about BATCH_MS of them.
   */
  async map<R = unknown>(tasks: readonly PoolTask[], onResult?: (i: number, r: R) => void | Promise<void>, keys?: readonly string[]): Promise<R[]> {
    if (this.closed) throw new Error('WorkerPool: closed');
    const results = new Array<R>(tasks.length);
    if (tasks.length === 0) return results;
    if (this.size === 0) {
      for (let i = 0; i < tasks.length; i++) {
        results[i] = (await runTask(tasks[i]!)) as R;
        await onResult?.(i, results[i]!);
      }
      return results;
    }
    if (keys !== undefined && keys.length !== tasks.length) throw new Error(`WorkerPool.map: ${keys.length} keys for ${tasks.length} tasks`);
    this.start(tasks.length);
    this.taskMs = undefined;
    // without keys, every task is its own key: plain task order
    const queue = new AffinityQueue(keys ?? tasks.map((_, i) => String(i)));
    let failed: Error | undefined;
    let left = tasks.length;
    const typicalMs = (): number => this.taskMs ?? Infinity;
    // each worker has one message of tasks in flight, or two once the tasks prove short; short tasks go
    // several to a message
    const drive = async (slot: Slot, w: number): Promise<void> => {
      const inFlight = new Set<Promise<void>>();
      for (;;) {
        while (!failed && inFlight.size < (typicalMs() < SEND_AHEAD_BELOW_MS ? 2 : 1)) {
          const batch: number[] = [];
          // no more than a fair share of what is left, so that no worker is left holding a long tail
          const size = Math.min(MAX_BATCH, Math.max(1, Math.floor(BATCH_MS / typicalMs())), Math.max(1, Math.floor(left / (2 * this.slots.length))));
          for (let i = queue.take(w); i !== undefined; i = batch.length < size ? queue.take(w) : undefined) batch.push(i);
          left -= batch.length;
          if (batch.length === 0) break;
          const p: Promise<void> = this.send(slot, batch.map((i) => tasks[i]!))
            .then(async (answers) => {
              // in task order within the message, as the worker runs them
              for (let k = 0; k < batch.length; k++) {
                const i = batch[k]!;
                const r = await answers[k]!.catch((e: unknown) => { failed ??= e as Error; return undefined; });
                if (failed) continue;
                results[i] = r as R;
                await onResult?.(i, results[i]!);
              }
            })
            .catch((e: unknown) => { failed ??= e as Error; })
            .finally(() => { inFlight.delete(p); });
          inFlight.add(p);
        }
        if (inFlight.size === 0) return;
        await Promise.race(inFlight);
      }
    };
    await Promise.all(this.slots.map((slot, w) => drive(slot, w)));
    if (failed) throw failed;
    return results;
  }

  /** A ParallelMap for the oracle's searches. */
  oracleMap(): ParallelMap {
    return (tasks: OracleTask[]) => this.map(tasks);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unhook?.();
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots = [];
  }
}

/** Runs `fn` with a pool of `size` workers, closing it afterwards. */
export async function withPool<T>(size: number, fn: (pool: WorkerPool) => Promise<T>): Promise<T> {
  const pool = new WorkerPool(size);
  try {
    return await fn(pool);
  } finally {
    await pool.close();
  }
}
