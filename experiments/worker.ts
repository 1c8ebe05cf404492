/**
 * A pool worker thread: receives `{id, task}`, runs it with `runTask`, answers `{id, ok, result, ms}` or
 * `{id, ok: false, error, usage, ms}`. Loaded as compiled JS from dist/, or from the TypeScript sources
 * through tsx when the pool itself runs from sources (jest, tsx); see `pool.ts`.
 */
import { parentPort } from 'node:worker_threads';
import { UsageError } from './errors.js';
import { runTask, type PoolTask } from './tasks.js';

const port = parentPort;
if (!port) throw new Error('experiments/worker: must run in a worker thread');

// Tasks run one after the other, in the order they came (the pool may send one ahead); `ms` is the
// task's own run time, without its wait behind the one before.
let last: Promise<void> = Promise.resolve();
port.on('message', (msg: { id: number; task: PoolTask }) => {
  last = last.then(async () => {
    const t0 = performance.now();
    try {
      const result = await runTask(msg.task);
      port.postMessage({ id: msg.id, ok: true, result, ms: performance.now() - t0 });
    } catch (err) {
      port.postMessage({ id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err), usage: err instanceof UsageError, ms: performance.now() - t0 });
    }
  });
});
port.postMessage({ ready: true });
