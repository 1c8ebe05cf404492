/**
 * Output folders: a foreign non-empty folder is refused, a folder another live process writes is
 * refused with its pid, a stale lock (its process gone) is taken over, and the lock goes with the claim.
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { LOCK_FILE, claimOutDir, processAlive } from '../../experiments/out-dir.js';
import { UsageError } from '../../experiments/errors.js';
import { tempDir } from '../temp-dirs.js';

function refusal(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('claimOutDir', () => {
  it('accepts a new folder, an empty one and a results folder; refuses a foreign one, naming what it holds', () => {
    const dir = tempDir('outdir-');
    claimOutDir(join(dir, 'new')).release();
    mkdirSync(join(dir, 'empty'));
    claimOutDir(join(dir, 'empty')).release();
    mkdirSync(join(dir, 'results'));
    writeFileSync(join(dir, 'results', 'sweep.json'), '{}');
    writeFileSync(join(dir, 'results', 'notes.txt'), 'mine');
    claimOutDir(join(dir, 'results')).release();
    mkdirSync(join(dir, 'home'));
    writeFileSync(join(dir, 'home', 'thesis.tex'), 'x');
    const m = refusal(() => claimOutDir(join(dir, 'home')));
    expect(m).toMatch(/^--out .*home: not empty and not a results folder of iocm-gym \(holds thesis\.tex\); choose a new or empty folder$/);
  });

  it('holds a lock while claimed, nests within a process, and removes it on the last release', () => {
    const dir = join(tempDir('outdir-'), 'o');
    const a = claimOutDir(dir, 'iocm-gym sweep A');
    const lock = join(dir, LOCK_FILE);
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: process.pid, host: hostname(), command: 'iocm-gym sweep A' });
    const b = claimOutDir(dir, 'inner');
    b.release();
    expect(existsSync(lock)).toBe(true);
    a.release();
    a.release(); // idempotent
    expect(existsSync(lock)).toBe(false);
  });

  it('refuses a folder locked by a live process, takes over a stale lock', () => {
    const dir = tempDir('outdir-');
    const lock = join(dir, LOCK_FILE);
    // a live process: this test's parent (not this process, whose own claims nest)
    writeFileSync(lock, JSON.stringify({ pid: process.ppid, host: hostname(), command: 'iocm-gym sweep --config other.json', started: '2026-01-01T00:00:00.000Z' }));
    expect(processAlive(process.ppid)).toBe(true);
    expect(refusal(() => claimOutDir(dir))).toBe(`--out ${dir}: in use by iocm-gym sweep --config other.json (pid ${process.ppid}, since 2026-01-01T00:00:00.000Z); wait for it to finish or stop it`);
    // killed with SIGKILL: its pid is gone
    const dead = deadPid();
    expect(processAlive(dead)).toBe(false);
    writeFileSync(lock, JSON.stringify({ pid: dead, host: hostname(), command: 'iocm-gym sweep', started: '2026-01-01T00:00:00.000Z' }));
    const c = claimOutDir(dir);
    expect(JSON.parse(readFileSync(lock, 'utf8')).pid).toBe(process.pid);
    c.release();
    // a torn lock file is stale too
    writeFileSync(lock, '{"pid":');
    claimOutDir(dir).release();
  });
});
