/**
 * The command line of this process's `iocm-gym` invocation, as the report shows it ("regenerate this
 * run"): the CLI records its arguments when it starts, and the report quotes them for a POSIX shell.
 */
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

/** `iocm-gym <args…>` as typed (quoted), or null when no CLI invocation was recorded (a library call). */
export function commandLine(): string | null {
  return args ? ['iocm-gym', ...args].map(shellQuote).join(' ') : null;
}
