/**
 * What changes from one run of the same job to the next without the results changing: wall times, the
 * git commit. Job files and tables leave these out, so that rerunning a sweep over unchanged code and
 * inputs rewrites its result files byte for byte (`npm start` leaves `git status` clean); a sweep
 * writes them to `timings.csv` and `run-info.json` beside its results instead.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { writeFileAtomic, writeJsonAtomic } from './io.js';
import type { RunRecord } from './record.js';

/** A job's volatile figures, carried from the worker to the main thread with its entry. */
export interface JobTiming {
  /** The episode's wall time, oracle search included (ms). */
  wallMs: number;
  /** An oracle's search time (ms), for oracle jobs. */
  searchWallMs?: number;
}

/** The files a sweep writes its volatile figures to (results/paper/.gitignore lists them). */
export const VOLATILE_FILES = ['timings.csv', 'run-info.json'] as const;

/** The record without wall times and commit, and those figures apart. */
export function splitVolatile<R extends RunRecord>(rec: R): { stable: R; timing: JobTiming } {
  const { wallMs, gitCommit: _commit, ...provenance } = rec.provenance;
  const { searchWallMs, ...describe } = rec.agent.describe;
  const timing: JobTiming = { wallMs: Number(wallMs ?? NaN), ...(typeof searchWallMs === 'number' ? { searchWallMs } : {}) };
  return { stable: { ...rec, provenance, agent: { ...rec.agent, describe } }, timing };
}

export interface SweepRunInfo {
  wallMs: number;
  workers: number;
  ran: number;
  skipped: number;
}

/**
 * Writes `<out>/timings.csv` (one row per job: wall time, oracle search time; rows of jobs kept from an
 * earlier run stay as they were) and `<out>/run-info.json` (commit, Node, platform, when, how long).
 */
export function writeVolatile(out: string, jobs: readonly { hash: string; agent: string; scenario: string; variant: string; seed: number }[], records: readonly { timing?: JobTiming }[], info: SweepRunInfo, provenance: Record<string, unknown>): void {
  const path = join(out, VOLATILE_FILES[0]);
  const kept = new Map<string, string>();
  if (existsSync(path)) {
    for (const line of readFileSync(path, 'utf8').split('\n').slice(1)) {
      const hash = line.slice(0, line.indexOf(','));
      if (/^[0-9a-f]+$/.test(hash)) kept.set(hash, line);
    }
  }
  const lines: string[] = [];
  const seen = new Set<string>();
  jobs.forEach((j, i) => {
    if (seen.has(j.hash)) return;
    seen.add(j.hash);
    const t = records[i]?.timing;
    if (t) {
      lines.push(stringify([[j.hash, j.agent, j.scenario, j.variant, j.seed, Math.round(t.wallMs), t.searchWallMs ?? '']]).trimEnd());
    } else {
      const old = kept.get(j.hash);
      if (old !== undefined) lines.push(old);
    }
  });
  writeFileAtomic(path, ['job,agent,scenario,variant,seed,wall_ms,oracle_search_ms', ...lines].join('\n') + '\n');
  writeJsonAtomic(join(out, VOLATILE_FILES[1]), { ...provenance, finished: new Date().toISOString(), ...info, wallMs: Math.round(info.wallMs) }, 1);
}
