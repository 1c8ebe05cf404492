/** Helpers shared by the experiment commands: flag checks and output. */
import { UsageError } from '../errors.js';
import { toJson } from '../io.js';
import { defaultWorkers } from '../pool.js';

export function printJson(v: unknown): void {
  process.stdout.write(toJson(v) + '\n');
}

export function positiveInt(v: unknown, flag: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got ${String(v)}`);
  return n;
}

export function nonNegativeInt(v: unknown, flag: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`${flag} must be a non-negative integer, got ${String(v)}`);
  return n;
}

export function workersFlag(v: unknown): number {
  return v === undefined ? defaultWorkers() : positiveInt(v, '--workers');
}

/** The output directory: `--out`, else the config's `"out"` (a one-line usage error without either). */
export function outDir(flag: string | undefined, fromConfig: unknown): string {
  const out = flag ?? (typeof fromConfig === 'string' ? fromConfig : undefined);
  if (!out) throw new UsageError('give --out <dir> (or "out" in the config)');
  return out;
}

/** `--timelines <n|all>`: how many timeline figures to draw (undefined: the default). */
export function timelinesFlag(v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (v === 'all') return Infinity;
  if (!/^\d+$/.test(String(v))) throw new UsageError(`--timelines must be a count or all, got ${JSON.stringify(v)}`);
  return Number(v);
}

export const TIMELINES_OPTION = { type: 'string', describe: 'timeline figures to draw, one per scenario: a count or all (default 16)' } as const;
