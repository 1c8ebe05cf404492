/**
 * The interrupt handling of long commands: hooks first, then cleanups, then the terminal restored and
 * one line with the command's hint; a real Ctrl-C exits 130 after restoring the cursor.
 */
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RESTORE_TERMINAL, exitCodeFor, installInterruptHandlers, onInterrupt, onInterruptCleanup, runInterrupt } from '../../experiments/signals.js';
import { tempDir } from '../temp-dirs.js';

describe('signals', () => {
  it('runs the hooks, then the cleanups, then prints the hint', async () => {
    const order: string[] = [];
    installInterruptHandlers({ resumeHint: 'rerun with --resume' });
    const off1 = onInterrupt(async () => { await new Promise((r) => setTimeout(r, 20)); order.push('hook'); });
    const off2 = onInterruptCleanup(() => { order.push('cleanup'); });
    let err = '';
    const ew = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string | Uint8Array) => { err += String(s); return true; }) as typeof process.stderr.write;
    try {
      await runInterrupt('SIGINT');
    } finally {
      process.stderr.write = ew;
      off1();
      off2();
    }
    expect(order).toEqual(['hook', 'cleanup']);
    expect(err.trim()).toBe('iocm-gym: interrupted (SIGINT); rerun with --resume');
  });

  it('exit codes are 128 + the signal number', () => {
    expect(exitCodeFor('SIGINT')).toBe(130); // SIGINT = 2
    expect(exitCodeFor('SIGTERM')).toBe(143); // SIGTERM = 15
  });

  it('the escape sequences show the cursor and turn line wrap on (DECTCEM, DECAWM)', () => {
    expect(RESTORE_TERMINAL).toBe('\x1b[?25h\x1b[?7h');
  });

  it('a Ctrl-C in a child process exits 130, runs its cleanup and restores a terminal', async () => {
    const dir = tempDir('signals-');
    const marker = join(dir, 'cleaned');
    const script = join(dir, 'child.ts');
    const signals = fileURLToPath(new URL('../../experiments/signals.ts', import.meta.url));
    // stderr is a pipe here: the child pretends it is a terminal, as a bar had hidden the cursor
    writeFileSync(script, [
      `import { writeFileSync } from 'node:fs';`,
      `import { installInterruptHandlers, onInterruptCleanup } from ${JSON.stringify(signals)};`,
      `Object.defineProperty(process.stderr, 'isTTY', { value: true });`,
      `installInterruptHandlers({ resumeHint: 'nothing to resume' });`,
      `onInterruptCleanup(() => writeFileSync(${JSON.stringify(marker)}, 'x'));`,
      `process.stderr.write('\\x1b[?25l');`,
      `process.stdout.write('ready\\n');`,
      `setInterval(() => {}, 1000);`,
    ].join('\n'));
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    await new Promise<void>((r) => child.stdout.on('data', () => r()));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(code).toBe(130);
    expect(existsSync(marker)).toBe(true);
    // the cursor, hidden first, is shown again before the last line
    expect(err.lastIndexOf(RESTORE_TERMINAL)).toBeGreaterThan(err.indexOf('\x1b[?25l'));
    expect(err).toMatch(/interrupted \(SIGINT\); nothing to resume\n$/);
  }, 30_000);
});
