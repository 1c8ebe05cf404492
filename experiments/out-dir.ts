/**
 * Output folders of sweeps, evaluations and `paper`: claimed before anything is written.
 *
 * * A folder that is neither empty nor a results folder of this tool (one with `sweep.json`) is
 *   refused: a mistyped `--out ~` must not scatter runs.csv, figures and a jobs/ folder into it.
 * * While a command writes a folder, the folder holds a lock file, `.iocm-gym.lock` (the owner's pid,
 *   host and command), created exclusively (O_EXCL). A second command that claims the folder is
 *   refused with the owner's pid; a lock whose process is gone (killed with SIGKILL, a crashed
 *   machine's pid on this host) is stale and taken over. The lock is removed when the command ends, on
 *   Ctrl-C too (signals.ts), and at process exit.
 *
 * Claims nest within a process (runExperiment claims, then runSweep inside it): the lock is removed
 * when the last claim is released.
 */
import { closeSync, existsSync, openSync, readFileSync, readdirSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UsageError } from './errors.js';
import { ensureWritableDir } from './io.js';
import { onInterruptCleanup } from './signals.js';
import { redact } from './queue/redis-url.js';

export const LOCK_FILE = '.iocm-gym.lock';
/** The file that marks a folder as a results folder of sweep, evaluate or paper. */
export const MANIFEST_FILE = 'sweep.json';
/** The file that marks a folder as a results folder of `protocol`. */
export const PROTOCOL_MANIFEST_FILE = 'protocol.json';

interface LockInfo { pid: number; host: string; command: string; started: string }

const held = new Map<string, number>();
let exitHooked = false;

/** Whether a process with this pid runs on this host (EPERM: it runs, as another user). */
export function processAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): LockInfo | undefined {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockInfo>;
    if (typeof v.pid !== 'number') return undefined;
    return { pid: v.pid, host: String(v.host ?? ''), command: String(v.command ?? '?'), started: String(v.started ?? '?') };
  } catch {
    return undefined; // torn or foreign: treated as stale
  }
}

/** Entries that do not make a folder "not empty": our own lock, temporary files. */
const ignorable = (name: string): boolean => name === LOCK_FILE || (name.startsWith('.') && name.endsWith('.tmp'));

/** Throws unless `abs` is empty or a results folder of this tool. */
export function checkNotForeign(abs: string, shown: string, flag = '--out'): void {
  const names = readdirSync(abs).filter((n) => !ignorable(n));
  if (names.length === 0 || names.includes(MANIFEST_FILE) || names.includes(PROTOCOL_MANIFEST_FILE)) return;
  const list = names.slice(0, 3).join(', ') + (names.length > 3 ? `, … (${names.length} entries)` : '');
  throw new UsageError(`${flag} ${shown}: not empty and not a results folder of iocm-gym (holds ${list}); choose a new or empty folder`);
}

function tryCreateLock(path: string, info: LockInfo): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
  try { writeSync(fd, JSON.stringify(info) + '\n'); } finally { closeSync(fd); }
  return true;
}

function removeLock(path: string): void {
  try { unlinkSync(path); } catch { /* gone */ }
}

/**
 * Claims the output folder `dir` for `command`: creates it if missing, checks that it is writable and
 * not a foreign folder, and takes its lock. Returns the release function (idempotent).
 */
export function claimOutDir(dir: string, command = commandLine(), flag = '--out'): { abs: string; release: () => void } {
  const abs = ensureWritableDir(dir, flag);
  const lock = join(abs, LOCK_FILE);
  const n = held.get(lock);
  if (n !== undefined) {
    held.set(lock, n + 1);
    return { abs, release: once(() => releaseOne(lock)) };
  }
  checkNotForeign(abs, dir, flag);
  const info: LockInfo = { pid: process.pid, host: hostname(), command, started: new Date().toISOString() };
  for (let attempt = 0; !tryCreateLock(lock, info); attempt++) {
    const owner = readLock(lock);
    const alive = owner !== undefined && owner.host === info.host && processAlive(owner.pid) && owner.pid !== process.pid;
    // a lock of another host cannot be checked: refuse it too, naming the host
    if (owner !== undefined && owner.host !== info.host) {
      throw new UsageError(`${flag} ${dir}: in use by ${owner.command} (pid ${owner.pid} on ${owner.host}, since ${owner.started}); if that process is gone, delete ${lock}`);
    }
    if (alive) throw new UsageError(`${flag} ${dir}: in use by ${owner.command} (pid ${owner.pid}, since ${owner.started}); wait for it to finish or stop it`);
    if (attempt >= 2) throw new UsageError(`${flag} ${dir}: cannot take the lock ${lock}`);
    removeLock(lock); // stale: its process is gone
  }
  held.set(lock, 1);
  const offInterrupt = onInterruptCleanup(() => removeLock(lock));
  if (!exitHooked) {
    exitHooked = true;
    process.on('exit', () => { for (const l of held.keys()) removeLock(l); });
  }
  return {
    abs,
    release: once(() => {
      if (releaseOne(lock)) offInterrupt();
    }),
  };
}

/** This process's command line, shortened and without passwords, for the lock file and the refusal message. */
function commandLine(): string {
  const c = redact(['iocm-gym', ...process.argv.slice(2)].join(' '));
  return c.length > 120 ? c.slice(0, 117) + '...' : c;
}

/** Drops one claim; removes the lock file when it was the last (returns whether it was). */
function releaseOne(lock: string): boolean {
  const n = held.get(lock) ?? 0;
  if (n > 1) { held.set(lock, n - 1); return false; }
  held.delete(lock);
  if (existsSync(lock)) removeLock(lock);
  return true;
}

function once(f: () => void): () => void {
  let done = false;
  return () => { if (!done) { done = true; f(); } };
}
