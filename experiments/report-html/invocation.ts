/**
 * The command line of this process's `iocm-gym` invocation, as the report shows it ("regenerate this
 * run"): the CLI records its arguments when it starts, and the report quotes them for a POSIX shell.
 */
import { redact } from '../queue/redis-url.js';

let args: readonly string[] | undefined;

/** Called by the CLI's `main` with its arguments (without `node` and the script). */
export function setInvocation(argv: readonly string[]): void {
  args = [...argv];
}

/** A word quoted for sh when it needs it: `a b` → `'a b'`, `it's` → `'it'\''s'`. */
export function shellQuote(w: string): string {
  if (w !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(w)) return w;
  return `'${w.replace(/'/g, `'\\''`)}'`;
}

/**
 * Flags that change how a run proceeds but not what it writes (every output is the same with any number
 * of workers, on a Redis queue or not, resumed or not, quiet or not), with whether each takes a value.
 */
const RUN_ONLY_FLAGS = new Map([['resume', false], ['quiet', false], ['workers', true], ['queue', true]]);

/** The arguments without the run-only flags (`--resume`, `--quiet`, `--workers n`, `--queue=url`, …). */
function withoutRunOnlyFlags(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const m = /^--(?:no-)?([a-z-]+)(=.*)?$/.exec(argv[i]!);
    const takesValue = m ? RUN_ONLY_FLAGS.get(m[1]!) : undefined;
    if (takesValue === undefined) { out.push(argv[i]!); continue; }
    if (takesValue && m![2] === undefined) i++; // its value is the next word
  }
  return out;
}

/**
 * The command that regenerates this run's outputs: `iocm-gym <args…>` as typed (quoted) less the
 * run-only flags, so that a resumed run writes the same report as the run it continues, and with any
 * password in a URL masked (the report may be mailed); null when no CLI invocation was recorded (a
 * library call).
 */
export function commandLine(): string | null {
  return args ? redact(['iocm-gym', ...withoutRunOnlyFlags(args)].map(shellQuote).join(' ')) : null;
}
