/**
 * The model folders `train` writes. A model is built in a temporary sibling folder
 * (`.<name>.train-<pid>.tmp`) and renamed into place when complete, so a reader never sees half a
 * model and a crash leaves the previous folder as it was. A non-empty `--out` is refused unless
 * `--force` (a stale file of another run, say a DQN `q/` beside a new PPO `agent.json`, would
 * otherwise end up in the model), and a folder holding an interrupted run points to `--resume`.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from './errors.js';
import { ensureWritableDir } from './io.js';

/** Whether `dir` holds the checkpoint of an interrupted training run. */
export function holdsCheckpoint(dir: string): boolean {
  return existsSync(join(dir, 'checkpoint', 'state.json'));
}

/**
 * Checks `--out` before any work: a new or empty folder, or any folder with `force`; its parent must
 * be writable (created if missing). Returns the absolute path. One-line `UsageError`s.
 */
export function checkModelOut(out: string, force: boolean): string {
  const abs = resolve(out);
  if (existsSync(abs)) {
    if (!statSync(abs).isDirectory()) throw new UsageError(`--out ${out}: exists and is not a directory`);
    if (readdirSync(abs).length > 0 && !force) {
      if (holdsCheckpoint(abs)) throw new UsageError(`--out ${out} holds an interrupted training run: continue it with \`iocm-gym train --resume ${out}\`, or give --force to replace it`);
      throw new UsageError(`--out ${out} is not empty: give a new or empty folder, or --force to replace what is in it`);
    }
  }
  ensureWritableDir(dirname(abs), '--out');
  return abs;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A fresh temporary folder beside `out` (stale ones of dead processes are removed first). */
export function tempModelDir(out: string): string {
  const parent = dirname(out), name = basename(out);
  for (const prefix of [`.${name}.train-`, `.${name}.old-`]) {
    for (const f of existsSync(parent) ? readdirSync(parent) : []) {
      const pid = Number(f.slice(prefix.length, -'.tmp'.length));
      if (f.startsWith(prefix) && f.endsWith('.tmp') && Number.isInteger(pid) && !alive(pid)) rmSync(join(parent, f), { recursive: true, force: true });
    }
  }
  const tmp = join(parent, `.${name}.train-${process.pid}.tmp`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  return tmp;
}

/** Puts the finished folder `tmp` in place of `out` (which may exist: it is replaced). */
export function replaceDir(tmp: string, out: string): void {
  if (!existsSync(out)) {
    renameSync(tmp, out);
    return;
  }
  const old = join(dirname(out), `.${basename(out)}.old-${process.pid}.tmp`);
  rmSync(old, { recursive: true, force: true });
  renameSync(out, old);
  renameSync(tmp, out);
  rmSync(old, { recursive: true, force: true });
}
