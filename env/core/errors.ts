/**
 * The error type of a bad input given by a user (a flag, a file, a name, an agent spec). It lives at the
 * bottom of the layering so that every layer can throw it: the CLI (`experiments/`) reports it as one
 * line with exit code 2; any other error is a failure of the run (exit 1).
 */
export class UsageError extends Error {
  override name = 'UsageError';
}
