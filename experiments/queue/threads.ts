/**
 * A queue worker's threads: tasks arrive one at a time (one per queue job) and run on the pool's
 * worker threads (`experiments/worker.ts`), so the process's main thread stays free to keep its jobs'
 * locks in Redis alive however long an episode takes. Short tasks are batched as the local pool does
 * (`pool.ts`): once the typical task is shorter than SEND_AHEAD_BELOW_MS, a thread gets a second
 * message ahead and a message carries about BATCH_MS of tasks (at most MAX_BATCH); `wanted()` says how
 * many jobs the worker should hold to keep every thread so fed.
 */
import type { Worker } from 'node:worker_threads';
import { UsageError } from '../errors.js';
import { BATCH_MS, MAX_BATCH, SEND_AHEAD_BELOW_MS, TASK_MS_WEIGHT, spawnWorker, type Reply } from '../pool.js';
import type { PoolTask } from '../tasks.js';

interface Pending { task: PoolTask; resolve: (v: unknown) => void; reject: (e: Error) => void }
interface Thread { worker: Worker; ready: boolean; messages: number; running: Map<number, Pending> }

export class ThreadRunner {
  private threads: Thread[] = [];
  private queue: Pending[] = [];
  private nextId = 0;
  private taskMs: number | undefined;
  private closed = false;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new UsageError(`--concurrency must be a positive integer, got ${size}`);
    for (let i = 0; i < size; i++) this.threads.push(this.spawn());
  }

  private spawn(): Thread {
    const t: Thread = { worker: spawnWorker(), ready: false, messages: 0, running: new Map() };
    t.worker.on('message', (m: { ready: true } | { replies: Reply[] }) => {
      if ('ready' in m) { t.ready = true; this.pump(); return; }
      for (const r of m.replies) {
        const p = t.running.get(r.id);
        if (!p) continue;
        t.running.delete(r.id);
        if (r.ms !== undefined) this.taskMs = this.taskMs === undefined ? r.ms : this.taskMs + TASK_MS_WEIGHT * (r.ms - this.taskMs);
        if (r.ok) p.resolve(r.result); else p.reject(r.usage ? new UsageError(r.error ?? 'error') : new Error(r.error ?? 'error'));
      }
      t.messages--;
      this.pump();
    });
    const lost = (e: Error): void => {
      if (this.closed) return;
      // the thread's tasks fail (their jobs are recorded as failed); a fresh thread takes its place
      for (const p of t.running.values()) p.reject(e);
      const i = this.threads.indexOf(t);
      if (i >= 0) this.threads[i] = this.spawn();
    };
    t.worker.on('error', lost);
    t.worker.on('exit', (code) => lost(new Error(`a worker thread exited (code ${code})`)));
    return t;
  }

  private batchSize(): number {
    const typical = this.taskMs ?? Infinity;
    return Math.min(MAX_BATCH, Math.max(1, Math.floor(BATCH_MS / typical)));
  }

  /** How many jobs to hold so that every thread has its messages full. */
  wanted(): number {
    const short = (this.taskMs ?? Infinity) < SEND_AHEAD_BELOW_MS;
    return this.size * (short ? 2 * this.batchSize() : 1);
  }

  private pump(): void {
    const ahead = (this.taskMs ?? Infinity) < SEND_AHEAD_BELOW_MS ? 2 : 1;
    for (const t of this.threads) {
      while (t.ready && t.messages < ahead && this.queue.length > 0) {
        // no thread takes more than its share of what waits, so none sits idle while another holds a pile
        const n = Math.min(this.batchSize(), Math.max(1, Math.floor(this.queue.length / this.size)));
        const batch = this.queue.splice(0, n);
        const msg = batch.map((p) => { const id = this.nextId++; t.running.set(id, p); return { id, task: p.task }; });
        t.messages++;
        t.worker.postMessage(msg);
      }
    }
  }

  run(task: PoolTask): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('ThreadRunner: closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new Error('worker stopping'));
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }
}
