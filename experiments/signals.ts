/**
 * Ctrl-C (SIGINT) and SIGTERM for long commands. A command calls `installInterruptHandlers()` as its
 * first step, before anything is written or drawn, so an interrupt at any moment:
 *
 * 1. runs the registered hooks (`onInterrupt`: a worker pool stops its threads, a trainer saves a
 *    checkpoint), together bounded to {@link HOOK_TIMEOUT_MS};
 * 2. runs the cleanups (`onInterruptCleanup`: removing this process's temporary files), in order;
 * 3. restores the terminal (a progress bar hides the cursor and may turn off line wrap);
 * 4. prints one line, the command's resume hint if it gave one, and exits 130 (SIGINT) or 143 (SIGTERM).
 *
 * Only the main thread installs handlers (signals reach it alone). A second Ctrl-C while the hooks run
 * exits at once, the terminal restored.
 *
 *   installInterruptHandlers({ resumeHint: 'rerun the same command with --resume to continue' });
 *   const off = onInterrupt(async () => { await saveCheckpoint(); });   // … off() when done
 */
import { isMainThread } from 'node:worker_threads';

/** How long the hooks together may take before the process exits anyway. */
export const HOOK_TIMEOUT_MS = 2000;

/** Shows the cursor (DECTCEM) and turns line wrap back on (DECAWM): what a progress bar may have changed. */
export const RESTORE_TERMINAL = '\x1b[?25h\x1b[?7h';

const hooks = new Set<() => unknown>();
const cleanups = new Set<() => void>();
let installed = false;
let resumeHint = 'finished results are kept';
let interrupted = false;

export interface InterruptOptions {
  /** What the last line says after "interrupted (SIGINT);", e.g. how to continue. */
  resumeHint?: string;
}

/**
 * Installs the SIGINT/SIGTERM handlers (once per process; later calls only update the hint). Call it at
 * the start of every long command.
 */
export function installInterruptHandlers(o: InterruptOptions = {}): void {
  if (o.resumeHint !== undefined) resumeHint = o.resumeHint;
  if (installed || !isMainThread) return;
  installed = true;
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

/** Runs `hook` (bounded, with the others, to HOOK_TIMEOUT_MS) first on an interrupt; returns its removal. */
export function onInterrupt(hook: () => unknown): () => void {
  installInterruptHandlers();
  hooks.add(hook);
  return () => { hooks.delete(hook); };
}

/** Runs `fn` (synchronous) after the hooks on an interrupt; returns its removal. */
export function onInterruptCleanup(fn: () => void): () => void {
  installInterruptHandlers();
  cleanups.add(fn);
  return () => { cleanups.delete(fn); };
}

/** Writes {@link RESTORE_TERMINAL} when stderr is a terminal (harmless otherwise, but kept out of logs). */
export function restoreTerminal(): void {
  if (process.stderr.isTTY) process.stderr.write(RESTORE_TERMINAL);
}

/** The exit code of a process ended by `sig` (128 + its number, as shells report it). */
export function exitCodeFor(sig: NodeJS.Signals): number {
  return sig === 'SIGINT' ? 130 : 143;
}

function onSignal(sig: NodeJS.Signals): void {
  if (interrupted) {
    // a second Ctrl-C: do not wait for the hooks
    restoreTerminal();
    process.exit(exitCodeFor(sig));
  }
  interrupted = true;
  void runInterrupt(sig).then(() => process.exit(exitCodeFor(sig)));
}

/** Steps 1–4 but the exit; exported for tests. */
export async function runInterrupt(sig: NodeJS.Signals): Promise<void> {
  const timeout = new Promise((r) => setTimeout(r, HOOK_TIMEOUT_MS).unref());
  await Promise.race([Promise.allSettled([...hooks].map(async (h) => h())), timeout]);
  for (const c of cleanups) {
    try { c(); } catch { /* best effort: the exit must happen */ }
  }
  restoreTerminal();
  process.stderr.write(`\niocm-gym: interrupted (${sig}); ${resumeHint}\n`);
}
