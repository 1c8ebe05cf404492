/**
 * A throwaway Redis for the tests and the bench: `redis-server` on 127.0.0.1, on a free port, in a
 * temporary folder, without persistence; `stop()` ends it by its PID and removes the folder.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface LocalRedis { url: string; pid: number; stop: () => Promise<void> }

/** Whether a `redis-server` binary is on the PATH. */
export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** A TCP port free on 127.0.0.1 right now (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

export async function startLocalRedis(): Promise<LocalRedis> {
  if (!hasRedisServer()) throw new Error('redis-server is not installed (Debian: apt-get install -y redis-server), and IOCM_TEST_REDIS_URL is not set');
  const dir = mkdtempSync(join(tmpdir(), 'iocm-redis-'));
  const port = await freePort();
  const child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d: Buffer) => { log += d.toString(); });
  // ready when it says so; a port taken meanwhile, or any other start failure, ends it
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`redis-server did not start: ${log.slice(-300)}`)), 10_000);
    child.stdout.on('data', () => { if (/Ready to accept connections/.test(log)) { clearTimeout(timer); resolve(); } });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`redis-server exited (code ${code}): ${log.slice(-300)}`)); });
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      const gone = new Promise((r) => child.once('exit', r));
      process.kill(child.pid!, 'SIGTERM');
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { url: `redis://127.0.0.1:${port}`, pid: child.pid!, stop };
}
