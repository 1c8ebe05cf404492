/**
 * Files the experiment tools write: every result file is written atomically (to a temporary file in the
 * same directory, flushed, then renamed over the target), so a reader, a crash, a SIGKILL or a Ctrl-C
 * never sees a half-written file. Temporary files are named `.<name>.<pid>.<thread>.<n>.tmp`. On
 * SIGINT/SIGTERM (handled in `signals.ts`) the main thread first runs the interrupt hooks (a worker
 * pool stops its threads, which write job files too), then removes this process's temporary files (its
 * own in flight, and any left in the folders registered with `cleanTempsOnInterrupt`), then exits;
 * `removeStaleTemps(dir)` clears those a killed process left behind (a sweep does it when it resumes).
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, statSync, unlinkSync, writeSync, accessSync, constants } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { isMainThread, threadId } from 'node:worker_threads';
import { UsageError } from './errors.js';
import { onInterrupt as onInterruptHook, onInterruptCleanup } from './signals.js';

const inFlight = new Set<string>();
let counter = 0;
let cleanupInstalled = false;
const tempDirs = new Map<string, number>();

/** Runs `hook` (bounded to 2 s) before the temporary files are removed on SIGINT/SIGTERM; returns its removal. */
export const onInterrupt = onInterruptHook;

/** On SIGINT/SIGTERM, also remove this process's temporary files in `dir` (other threads write there). */
export function cleanTempsOnInterrupt(dir: string): () => void {
  installTempCleanup();
  tempDirs.set(dir, (tempDirs.get(dir) ?? 0) + 1);
  return () => {
    const n = (tempDirs.get(dir) ?? 1) - 1;
    if (n > 0) tempDirs.set(dir, n); else tempDirs.delete(dir);
  };
}

/** Registers, once, the removal of this process's temporary files as an interrupt cleanup (signals.ts). */
function installTempCleanup(): void {
  // signals reach the main thread only; a worker's files are cleaned up from there
  if (cleanupInstalled || !isMainThread) return;
  cleanupInstalled = true;
  onInterruptCleanup(() => {
    for (const f of inFlight) {
      try { unlinkSync(f); } catch { /* already gone */ }
    }
    const mine = `.${process.pid}.`;
    for (const dir of tempDirs.keys()) {
      let names: string[] = [];
      try { names = readdirSync(dir); } catch { /* gone */ }
      for (const f of names) {
        if (f.startsWith('.') && f.endsWith('.tmp') && f.includes(mine)) {
          try { unlinkSync(join(dir, f)); } catch { /* raced */ }
        }
      }
    }
  });
}

/**
 * `mkdir -p` one level at a time: Node's `mkdirSync(dir, {recursive: true})` never returns for a path
 * under /proc (it retries ENOENT forever), so a bad `--out /proc/x` would hang instead of failing.
 */
export function makeDirs(dir: string): void {
  const missing: string[] = [];
  nearestExisting(resolve(dir), missing);
  for (const m of missing.reverse()) {
    try {
      mkdirSync(m);
    } catch (e) {
      // another thread or process made it in the meantime
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
}

/** The nearest existing ancestor of `abs` (itself if it exists); the missing ones, deepest first, into `missing`. */
function nearestExisting(abs: string, missing: string[] = []): string {
  let d = abs;
  while (!existsSync(d)) {
    missing.push(d);
    const up = dirname(d);
    if (up === d) break;
    d = up;
  }
  return d;
}

/**
 * Writes `data` to `path` atomically (temp file in the same directory + fsync + rename). `fsync: false`
 * skips the flush, for files whose reader detects a torn file and can recreate it: the rename still
 * keeps a crash of this process from exposing a partial file; only a power loss can tear it.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array, o: { fsync?: boolean } = {}): void {
  installTempCleanup();
  const dir = dirname(path);
  makeDirs(dir);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${threadId}.${counter++}.tmp`);
  inFlight.add(tmp);
  try {
    const fd = openSync(tmp, 'w');
    try {
      const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let off = 0;
      while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
      if (o.fsync !== false) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* never created */ }
    throw e;
  } finally {
    inFlight.delete(tmp);
  }
}

/** Writes JSON atomically (NaN/±Infinity become null, typed arrays arrays), with a trailing newline. */
export function writeJsonAtomic(path: string, value: unknown, indent = 0, o: { fsync?: boolean } = {}): void {
  writeFileAtomic(path, toJson(value, indent) + '\n', o);
}

/**
 * `JSON.stringify` with NaN/±Infinity as null (as it does itself) and typed arrays as arrays. The
 * replacer is used only when the value holds a typed array: called back for every value, it made
 * writing a run record (≈ 12,000 numbers) cost a sixth of a fast-tier episode.
 */
export function toJson(value: unknown, indent = 0): string {
  return JSON.stringify(value, hasTypedArray(value) ? jsonReplacer : undefined, indent || undefined);
}

function hasTypedArray(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (ArrayBuffer.isView(v)) return true;
  if (Array.isArray(v)) {
    // indexed, not for-of: a job file's arrays hold ~10,000 numbers, and an iterator allocates per item
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (x !== null && typeof x === 'object' && hasTypedArray(x)) return true;
    }
    return false;
  }
  for (const k in v) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== null && typeof x === 'object' && hasTypedArray(x)) return true;
  }
  return false;
}

export function jsonReplacer(_k: string, v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
  return v;
}

/** Removes temporary files a killed writer left in `dir`; returns how many. */
export function removeStaleTemps(dir: string): number {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const f of readdirSync(dir)) {
    if (f.startsWith('.') && f.endsWith('.tmp')) {
      try { unlinkSync(join(dir, f)); n++; } catch { /* raced */ }
    }
  }
  return n;
}

/**
 * Throws unless a file can be created in `dir`: creates and removes an empty temporary file (access(2)
 * alone says yes to root on /proc, read-only bind mounts and the like).
 */
function probeWritable(dir: string): void {
  accessSync(dir, constants.W_OK);
  const probe = join(dir, `.iocm-probe.${process.pid}.${counter++}.tmp`);
  closeSync(openSync(probe, 'wx'));
  unlinkSync(probe);
}

/**
 * Checks, before any work starts, that `dir` exists or can be created and is writable; a one-line
 * `UsageError` otherwise. Creates the directory (and nothing else) when it is missing.
 */
export function ensureWritableDir(dir: string, flag = '--out'): string {
  const abs = resolve(dir);
  try {
    if (existsSync(abs)) {
      if (!statSync(abs).isDirectory()) throw new UsageError(`${flag} ${dir}: exists and is not a directory`);
    } else {
      makeDirs(abs);
    }
    probeWritable(abs);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError(`${flag} ${dir}: not writable (${code})`);
  }
  return abs;
}

/**
 * Checks, before any work starts, that the file `path` can be written later with `writeFileAtomic`:
 * it is not a directory, and its folder (or the nearest existing ancestor, which the write will create
 * folders under) is a writable directory. Creates nothing; a one-line `UsageError` otherwise.
 */
export function checkWritableFile(path: string, flag: string): string {
  const abs = resolve(path);
  const fail = (why: string): never => { throw new UsageError(`${flag} ${path}: ${why}`); };
  if (path === '' || abs.endsWith('/') || path.endsWith('/')) fail('is a directory, not a file');
  try {
    if (existsSync(abs) && statSync(abs).isDirectory()) fail('is a directory, not a file');
    const dir = nearestExisting(dirname(abs));
    if (!statSync(dir).isDirectory()) fail(`${dir} is not a directory`);
    probeWritable(dir);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    fail(`not writable (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return abs;
}
