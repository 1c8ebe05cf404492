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
