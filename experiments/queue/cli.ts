/** The few pieces of `sweep --queue` that live in the command: the flag's check and the failed jobs' report. */
import { existsSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { writeJsonAtomic } from '../io.js';
import type { SweepOutcome } from '../sweep.js';
import { checkReachable } from './protocol.js';
import { parseRedisUrl } from './redis-url.js';

/**
 * Checks `--queue` before any work or file: a bad URL, an unreachable Redis or a refused password is a
 * usage error; `--workers` belongs to the workers then.
 */
export async function queueFlag(url: string, workers: unknown): Promise<void> {
  const target = parseRedisUrl(url);
  if (workers !== undefined) throw new UsageError('--workers does not apply with --queue: each worker sets its threads with its own --concurrency');
  await checkReachable(target);
}

/**
 * Writes `<out>/failed.json` (each failed job's hash, labels and error) and says how many failed on
 * stderr, with exit code 1; a sweep with none removes an earlier run's file.
 */
export function reportFailed(o: SweepOutcome): void {
  const file = join(o.out, 'failed.json');
  const failed = o.failed ?? [];
  if (failed.length === 0) {
    if (existsSync(file)) unlinkSync(file);
    return;
  }
  writeJsonAtomic(file, { format: 'iocm-gym/failed@1', failed }, 1);
  process.stderr.write(`sweep: ${failed.length} job(s) failed, first: ${failed[0]!.error.split('\n')[0]} (all in ${file}; rerun with --resume to queue them again)\n`);
  process.exitCode = 1;
}

/** The summary line's "where": the queue, and how many jobs failed there. */
export function queueSummary(o: SweepOutcome): string {
  return `on a Redis queue, ${o.failed?.length ?? 0} failed`;
}
