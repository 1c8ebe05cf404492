/** Runs the iocm-gym CLI in-process (experiments/cli.ts `main`) and captures its exit code, stdout and stderr. */
import { expect } from '@jest/globals';
import { main } from '../../experiments/cli.js';
import { UsageError } from '../../experiments/errors.js';

export interface CliResult { code: number; out: string; err: string }

export async function runCli(args: string[]): Promise<CliResult> {
  let out = '';
  let err = '';
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string | Uint8Array) => { out += String(s); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => { err += String(s); return true; }) as typeof process.stderr.write;
  try {
    return { code: await main(args), out, err };
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
    process.exitCode = undefined;
  }
}

/** Runs the CLI and checks it failed as a usage error: exit 2 and one line on stderr matching `re`. */
export async function expectUsageError(args: string[], re: RegExp): Promise<void> {
  const r = await runCli(args);
  expect({ args, code: r.code }).toEqual({ args, code: 2 });
  expect(r.err).toMatch(re);
  expect(r.err.trimEnd().split('\n')).toHaveLength(1);
}

/** Awaits `p`, expecting it to reject with a one-line `UsageError`; returns its message. */
export async function usageErrorOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    expect((e as Error).message).not.toContain('\n');
    return (e as Error).message;
  }
  throw new Error('expected a UsageError');
}
