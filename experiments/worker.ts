/**
 * A pool worker thread: receives `[{id, task}, …]`, runs each with `runTask`, answers `{replies}`, one
 * `Reply` per task. Loaded as compiled JS from dist/, or from the TypeScript sources through tsx when
 * the pool itself runs from sources (jest, tsx); see `pool.ts`.
 */
import { parentPort } from 'node:worker_threads';
import { UsageError } from './errors.js';
import type { Reply } from './pool.js';
import { runTask, type PoolTask } from './tasks.js';

const port = parentPort;
if (!port) throw new Error('experiments/worker: must run in a worker thread');

// A message carries one or more tasks; they run one after the other, messages in the order they came
// (the pool may send one ahead), and one message answers them all. `ms` is a task's own run time,
// without its wait behind the ones before.
let last: Promise<void> = Promise.resolve();
port.on('message', (msg: { id: number; task: PoolTask }[]) => {
  last = last.then(async () => {
    const replies: Reply[] = [];
    for (const { id, task } of msg) {
      const t0 = performance.now();
      try {
        const result = await runTask(task);
        replies.push({ id, ok: true, result, ms: performance.now() - t0 });
      } catch (err) {
        replies.push({ id, ok: false, error: err instanceof Error ? err.message : String(err), usage: err instanceof UsageError, ms: performance.now() - t0 });
      }
    }
    port.postMessage({ replies });
  });
});
port.postMessage({ ready: true });
