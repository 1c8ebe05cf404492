/** The options every multi-run command (`protocol`, `transfer`) takes from its caller. */
import type { WorkerPool } from './pool.js';

export interface BatchRunOptions {
  out: string;
  resume?: boolean;
  workers?: number;
  /** Run on this pool (left open) instead of a new one. */
  pool?: WorkerPool;
  /** One progress line at a time (default: none). */
  log?: (line: string) => void;
  /** How to regenerate, for the summary (default: a generic command line). */
  command?: string;
  /** Where the config came from, for error messages. */
  where?: string;
}
