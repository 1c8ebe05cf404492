/**
 * Warnings from the checkers and wrappers, printed once per distinct message to stderr (Gymnasium's
 * `logger.warn`). Tests capture them with `captureWarnings`.
 */
const seen = new Set<string>();
let sink: ((msg: string) => void) | undefined;

export function warn(msg: string): void {
  if (sink) return sink(msg);
  if (seen.has(msg)) return;
  seen.add(msg);
  process.stderr.write(`WARN: ${msg}\n`);
}

/** Runs `fn` and returns the warnings it raised (nothing is printed meanwhile). */
export function captureWarnings<T>(fn: () => T): { result: T; warnings: string[] } {
  const prev = sink;
  const warnings: string[] = [];
  sink = (m) => void warnings.push(m);
  try {
    return { result: fn(), warnings };
  } finally {
    sink = prev;
  }
}
