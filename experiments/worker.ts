/**
 * A pool worker thread: receives `{id, task}`, runs it with `runTask`, answers `{id, ok, result}` or
 * `{id, ok: false, error, usage}`. Loaded as compiled JS from dist/, or from the TypeScript sources
 * through tsx when the pool itself runs from sources (jest, tsx); see `pool.ts`.
 */
import { parentPort } from 'node:worker_threads';
import { UsageError } from './errors.js';
import { runTask, type PoolTask } from './tasks.js';

const port = parentPort;
if (!port) throw new Error('experiments/worker: must run in a worker thread');

port.on('message', (msg: { id: number; task: PoolTask }) => {
  runTask(msg.task).then(
    (result) => port.postMessage({ id: msg.id, ok: true, result }),
    (err: unknown) => port.postMessage({ id: msg.id, ok: false, error: err instanceof Error ? err.message : String(err), usage: err instanceof UsageError }),
  );
});
port.postMessage({ ready: true });
