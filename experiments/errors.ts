/**
 * Errors that reach the user. A `UsageError` is a bad flag, file or name given by the user (exit 2);
 * anything else is a failure of the run (exit 1). Both print one line, never a stack trace.
 */
import type { z } from 'zod';
import { UsageError } from '../env/core/errors.js';

export { UsageError };

/** One line for the terminal: the message of an Error, or the value itself. */
export function formatError(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.name;
  return String(err);
}

/** Parses `raw` with a config schema; the first problem becomes a one-line UsageError naming `where` and the field. */
export function parseConfig<S extends z.ZodType>(schema: S, raw: unknown, where: string): z.infer<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const iss = r.error.issues[0]!;
  const path = iss.path.map(String).join('.');
  const msg = iss.code === 'unrecognized_keys' ? `unknown field(s) ${iss.keys.join(', ')}` : iss.message;
  throw new UsageError(`${where}: ${path ? path + ': ' : ''}${msg}`);
}
