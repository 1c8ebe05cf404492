/**
 * The `iocm-gym` command line (yargs). Each subcommand lives in its own module under
 * `experiments/commands/` and is registered here; this file only wires them together and turns
 * usage errors into a one-line message with exit code 2.
 */
import yargs from 'yargs';
import { packageVersion } from './paths.js';
import { commands } from './commands/index.js';
import { UsageError, formatError } from './errors.js';
import { setInvocation } from './report-html/invocation.js';

/** Options that take comma-separated lists and may also be repeated (`--agents a --agents b`). */
const LIST_OPTIONS = new Set(['agents', 'scenarios', 'env-modules', 'oracle', 'allow-root', 'cost']);

/** A single-valued option given twice arrives as an array; say so instead of failing obscurely later. */
function rejectRepeatedOptions(argv: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(argv)) {
    if (k === '_' || k === '$0' || /[A-Z]/.test(k) || LIST_OPTIONS.has(k) || !Array.isArray(v)) continue;
    throw new UsageError(`--${k} is given ${v.length} times; give it once`);
  }
}

/** The text given for `--flag` on the command line (`--flag text` or `--flag=text`), if any. */
function givenText(argv: readonly string[], flag: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === `--${flag}`) return argv[i + 1];
    if (a.startsWith(`--${flag}=`)) return a.slice(flag.length + 3);
  }
  return undefined;
}

/**
 * yargs turns the text of a number option that is not a number into NaN; name the option and what was
 * typed, instead of letting a later check report "got NaN".
 */
function rejectNonNumbers(raw: readonly string[]): (argv: Record<string, unknown>) => void {
  return (argv) => {
    for (const [k, v] of Object.entries(argv)) {
      if (/[A-Z]/.test(k) || !(typeof v === 'number' && Number.isNaN(v))) continue;
      const text = givenText(raw, k);
      throw new UsageError(`--${k} must be a number, got ${text === undefined ? 'no value' : JSON.stringify(text)}`);
    }
  };
}

/**
 * An option that takes a value but was given none (`--seed` last, followed by another option, or
 * `--seed=`) would silently get its default (a number) or an empty string; say which option lacks its
 * value instead. Boolean flags parse to true/false and are not affected.
 */
function rejectMissingValues(raw: readonly string[]): (argv: Record<string, unknown>) => void {
  return (argv) => {
    for (let i = 0; i < raw.length; i++) {
      const m = /^--([a-z][a-z0-9-]*)(=.*)?$/.exec(raw[i]!);
      if (!m || !(m[1]! in argv) || typeof argv[m[1]!] === 'boolean') continue;
      const next = raw[i + 1];
      const missing = m[2] !== undefined ? m[2] === '=' : next === undefined || next.startsWith('--');
      if (missing) throw new UsageError(`--${m[1]} needs a value`);
    }
  };
}

export async function main(argv: string[]): Promise<number> {
  setInvocation(argv); // report.html shows the command that regenerates a run
  const parser = yargs(argv)
    .scriptName('iocm-gym')
    .usage('$0 <command> [options]\n\nA gym of a virtualization host with side-core paravirtual I/O.')
    .version(packageVersion())
    .strict()
    .demandCommand(1, 'Give a command; see --help.')
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      // yargs calls this for its own parse errors (msg) and for errors thrown by handlers (err).
      // Throwing stops yargs here, so no handler runs after a usage error; main() prints it once.
      // Some yargs messages span lines ("Invalid values:\n  Argument: …"); keep them on one.
      if (err) throw err;
      throw new UsageError(String(msg ?? 'invalid usage').replace(/\s*\n\s*/g, ' ').trim());
    });
  parser.middleware(rejectRepeatedOptions, true);
  parser.middleware(rejectMissingValues(argv), true);
  parser.middleware(rejectNonNumbers(argv), true);
  for (const c of commands) parser.command(c);
  try {
    await parser.parseAsync();
  } catch (err) {
    process.stderr.write(`iocm-gym: ${formatError(err)}\n`);
    return err instanceof UsageError ? 2 : 1;
  }
  return (process.exitCode as number | undefined) ?? 0;
}
