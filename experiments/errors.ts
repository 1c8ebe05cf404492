/**
 * Errors that reach the user. A `UsageError` is a bad flag, file or name given by the user (exit 2);
 * anything else is a failure of the run (exit 1). Both print one line, never a stack trace.
 */
export { UsageError } from '../env/core/errors.js';

/** One line for the terminal: the message of an Error, or the value itself. */
export function formatError(err: unknown): string {
  if (err instanceof Error) return err.message.split('\n')[0] ?? err.name;
  return String(err);
}
