/**
 * The TensorFlow.js backend of the learned agents, in one place.
 *
 * * `wasm` (default): `@tensorflow/tfjs` + `@tensorflow/tfjs-backend-wasm`, SIMD, one thread (tfjs turns
 *   wasm threads off in Node). Faster than the pure-JS `cpu` backend for our small MLPs; compare both on
 *   this machine with `npm run bench -- agents` and `IOCM_BENCH_AGENTS_BACKEND=cpu npm run bench -- agents`.
 * * `tensorflow`: `@tensorflow/tfjs-node` (native libtensorflow), used only when the user has installed it
 *   themselves; it is not a dependency of this package. It is loaded by a non-literal dynamic `import()`
 *   so that neither TypeScript nor bundlers require it; when it is absent or its native addon is missing
 *   the error is one line saying so.
 * * `cpu`: the pure-JS backend that ships with tfjs (slow; useful to cross-check the others).
 *
 * Runs are deterministic only on one backend: the same seed on another backend gives other floats. Every
 * output that depends on tfjs records `tf.getBackend()` (see `backendInfo`).
 */
import type { EventEmitter } from 'node:events';
import * as tf from '@tensorflow/tfjs';

export const BACKENDS = ['wasm', 'tensorflow', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

let wasmLoaded = false;

export function isBackendName(x: string): x is BackendName {
  return (BACKENDS as readonly string[]).includes(x);
}

/**
 * Makes `name` the active tfjs backend (idempotent) and returns `tf.getBackend()`. Throws a one-line
 * error for an unknown name, or for `tensorflow` when `@tensorflow/tfjs-node` is not installed.
 */
export async function initBackend(name: string = 'wasm'): Promise<string> {
  if (!isBackendName(name)) throw new Error(`unknown tfjs backend ${JSON.stringify(name)}; use one of: ${BACKENDS.join(', ')}`);
  if (name === 'wasm' && !wasmLoaded) {
    await import('@tensorflow/tfjs-backend-wasm'); // registers the 'wasm' backend
    wasmLoaded = true;
  }
  if (name === 'tensorflow' && tf.findBackend('tensorflow') === null) {
    const moduleName = ['@tensorflow', 'tfjs-node'].join('/'); // non-literal: an optional, user-installed package
    try {
      await import(moduleName);
    } catch (err) {
      const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
      throw new Error(`backend 'tensorflow' needs @tensorflow/tfjs-node, which could not be loaded (install it with npm install @tensorflow/tfjs-node, or use --backend wasm): ${why}`);
    }
    if (tf.findBackend('tensorflow') === null) {
      throw new Error("backend 'tensorflow': @tensorflow/tfjs-node loaded but registered no 'tensorflow' backend (is it the same version as @tensorflow/tfjs?)");
    }
  }
  if (tf.getBackend() !== name) {
    const proc = process as unknown as EventEmitter;
    const events = ['uncaughtException', 'unhandledRejection'];
    const before = events.map((e) => proc.listeners(e));
    const ok = await tf.setBackend(name);
    // The wasm backend's Emscripten runtime installs process handlers that rethrow every uncaught error
    // from inside its minified 100 kB source line, which Node then prints whole. Remove them, restoring
    // Node's normal one-error report (tfjs does not need them: it never calls exit()).
    events.forEach((e, i) => {
      for (const l of proc.listeners(e)) if (!before[i]!.includes(l)) proc.removeListener(e, l as (...args: unknown[]) => void);
    });
    if (!ok) throw new Error(`tfjs backend ${JSON.stringify(name)} failed to initialise`);
  }
  await tf.ready();
  return tf.getBackend();
}

/** What outputs record about the numerics they were computed with. */
export function backendInfo(): { backend: string; tfjsVersion: string } {
  return { backend: tf.getBackend(), tfjsVersion: tf.version.tfjs };
}
