import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOY_MODULE } from '../fixtures/phased-toy.js';
import '../fixtures/failing-toy.js';
import { freePort } from '../../../experiments/queue/local-redis.js';
import { writeTables } from '../../../experiments/report.js';
import { planSweep, runSweep, type SweepOutcome, type SweepPlan } from '../../../experiments/sweep.js';
import { expectUsageError } from '../run-cli.js';
import { tempDir } from '../../temp-dirs.js';
import { testRedis } from './test-redis.js';

const toyPath = fileURLToPath(TOY_MODULE);
const failingPath = fileURLToPath(new URL('../fixtures/failing-toy.ts', import.meta.url));
const cliFixture = fileURLToPath(new URL('../fixtures/cli.ts', import.meta.url));
const tmp = (): string => tempDir('queue-');

let redis: Awaited<ReturnType<typeof testRedis>>;
beforeAll(async () => { redis = await testRedis(); });
afterAll(async () => { await redis?.stop(); });

/** A worker process from the sources; its stderr is kept for the assertions. */
function startWorker(envModule: string): { child: ChildProcess; log: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', cliFixture, 'worker', '--queue', redis.url, '--concurrency', '1', '--env-modules', envModule, '--lock-ms', '2000'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
  return { child, log: () => log };
}

async function stopWorker(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  child.kill(signal);
  return exited;
}

const jobFiles = (out: string): string[] => (existsSync(join(out, 'jobs')) ? readdirSync(join(out, 'jobs')).filter((f) => f.endsWith('.json')).sort() : []);
/** A job file's bytes but for its wall times (the only values that differ between two runs). */
const sansWallTimes = (path: string): string => readFileSync(path, 'utf8').replace(/"(wallMs|searchWallMs)":\d+/g, '"$1":0');

async function untilFiles(out: string, n: number, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (jobFiles(out).length < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

describe('sweep --queue with worker processes', () => {
  // 16 jobs of ≈ 200 ms (8 steps × 25 ms spin): a worker killed after the first few is mid-job
  let plan: SweepPlan;
  let local: string;
  let localRun: SweepOutcome;
  beforeAll(async () => {
    plan = await planSweep({ env: 'PhasedToy-v0', envParams: { spinMs: 25 }, agents: ['random', 'static:0', 'static:1', 'oracle-phase'], seeds: 4, envModules: [toyPath] });
    localRun = await runSweep(plan, { out: tmp(), workers: 0 });
    local = localRun.out;
  }, 120_000);

  it('a worker killed mid-job: its jobs go to the other worker, every job is written once, files equal the local run\'s', async () => {
    const out = tmp();
    // a resumed sweep skips jobs whichever mode ran them: 3 files from the local run
    mkdirSync(join(out, 'jobs'), { recursive: true });
    const fromLocal = jobFiles(local).slice(0, 3);
    for (const f of fromLocal) copyFileSync(join(local, 'jobs', f), join(out, 'jobs', f));
    copyFileSync(join(local, 'sweep.json'), join(out, 'sweep.json')); // what makes the folder a results folder
    const w1 = startWorker(toyPath);
    const w2 = startWorker(toyPath);
    try {
      const run = runSweep(plan, { out, queue: redis.url, resume: true });
      await untilFiles(out, 3 + 3);
      expect(await stopWorker(w1.child, 'SIGKILL')).toBeNull();
      const res = await run;
      expect(res.failed).toEqual([]);
      expect({ ran: res.ran, skipped: res.skipped }).toEqual({ ran: 13, skipped: 3 });
      expect(jobFiles(out)).toEqual(jobFiles(local));
      expect(readdirSync(join(out, 'jobs')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      for (const f of jobFiles(local)) expect(sansWallTimes(join(out, 'jobs', f))).toBe(sansWallTimes(join(local, 'jobs', f)));
      // and so are the tables: summary.csv whole, runs.csv but for its wall_ms and record (a path) columns
      const [q, l] = [await writeTables(res.records, out), await writeTables(localRun.records, local)];
      const strip = (path: string): string => readFileSync(path, 'utf8').split('\n').map((row) => row.split(',').slice(0, -2).join(',')).join('\n');
      expect(strip(q.files[0]!)).toBe(strip(l.files[0]!));
      expect(readFileSync(q.files[1]!, 'utf8')).toBe(readFileSync(l.files[1]!, 'utf8'));
      // the workers send each job's wall times with its file: timings.csv has a row per job run here
      const timings = readFileSync(join(out, 'timings.csv'), 'utf8').trim().split('\n').slice(1);
      expect(timings).toHaveLength(13);
      for (const row of timings) expect(Number(row.split(',')[5])).toBeGreaterThanOrEqual(0);
      // the sweep is done: the worker leaves its queue
      const deadline = Date.now() + 10_000;
      while (!/done: \d+ job\(s\) run here, 0 failed/.test(w2.log()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(w2.log()).toMatch(/done: \d+ job\(s\) run here, 0 failed/);
    } finally {
      await stopWorker(w1.child, 'SIGKILL');
      expect(await stopWorker(w2.child)).toBe(143);
    }
  }, 180_000);

  it('the collector killed: rerunning it resumes from Redis and the folder, and rewrites no finished file', async () => {
    const dir = tmp();
    const out = join(dir, 'out');
    const cfg = join(dir, 'sweep.json');
    writeFileSync(cfg, JSON.stringify({ env: 'PhasedToy-v0', envParams: { spinMs: 25 }, agents: ['random', 'static:0', 'static:1', 'oracle-phase'], seeds: 4, envModules: [toyPath] }));
    const w = startWorker(toyPath);
    try {
      const collector = spawn(process.execPath, ['--import', 'tsx', cliFixture, 'sweep', '--config', cfg, '--out', out, '--queue', redis.url, '--no-plots', '--quiet'], { stdio: 'ignore' });
      await untilFiles(out, 4);
      const gone = new Promise((r) => collector.once('exit', r));
      collector.kill('SIGKILL');
      await gone;
      const before = new Map(jobFiles(out).map((f) => [f, statSync(join(out, 'jobs', f)).mtimeMs]));
      expect(before.size).toBeGreaterThanOrEqual(4);
      expect(before.size).toBeLessThan(16);
      // the worker goes on meanwhile; its results wait in Redis for the collector
      await new Promise((r) => setTimeout(r, 1000));
      const res = await runSweep(plan, { out, queue: redis.url, resume: true });
      expect(res.failed).toEqual([]);
      expect(res.skipped).toBe(before.size);
      expect(res.ran + res.skipped).toBe(16);
      expect(jobFiles(out)).toEqual(jobFiles(local));
      for (const [f, m] of before) expect(statSync(join(out, 'jobs', f)).mtimeMs).toBe(m);
      for (const f of jobFiles(local)) expect(sansWallTimes(join(out, 'jobs', f))).toBe(sansWallTimes(join(local, 'jobs', f)));
    } finally {
      await stopWorker(w.child);
    }
  }, 180_000);

  it('a job that throws is recorded as failed with its error, and the sweep goes on', async () => {
    const failing = await planSweep({ env: 'FailingToy-v0', envParams: { failSeed: 1 }, agents: ['static:0', 'static:1'], seeds: 3, envModules: [failingPath] });
    const w = startWorker(failingPath);
    try {
      const res = await runSweep(failing, { out: tmp(), queue: redis.url });
      expect(res.failed?.map((f) => f.error)).toEqual(['FailingToy: the episode of seed 1 fails by design', 'FailingToy: the episode of seed 1 fails by design']);
      expect(res.failed?.map((f) => f.hash).sort()).toEqual(failing.jobs.filter((j) => j.seed === 1).map((j) => j.hash).sort());
      expect(res.jobs.map((j) => j.seed)).toEqual([0, 2, 0, 2]);
      expect(res.ran).toBe(4);
      expect(jobFiles(res.out)).toHaveLength(4);
    } finally {
      await stopWorker(w.child);
    }
  }, 180_000);
});

describe('a bad --queue is a one-line usage error (exit 2) that shows no password', () => {
  const cfg = join(tmp(), 'sweep.json');
  writeFileSync(cfg, JSON.stringify({ env: 'PhasedToy-v0', agents: ['static:0'], seeds: 1, envModules: [toyPath] }));

  it('refuses a URL that is not redis:// or rediss://', async () => {
    await expectUsageError(['sweep', '--config', cfg, '--out', join(tmp(), 'o'), '--queue', 'http://:hunter2@127.0.0.1:6379'], /^iocm-gym: --queue: the scheme must be redis:\/\/ or rediss:\/\/, got "http" in http:\/\/:\*\*\*@127\.0\.0\.1:6379$/m);
    await expectUsageError(['worker', '--queue', 'redis://127.0.0.1/db0'], /--queue: the path must be a database number/);
    await expectUsageError(['sweep', '--config', cfg, '--out', join(tmp(), 'o'), '--queue', redis.url, '--workers', '2'], /--workers does not apply with --queue/);
  });

  it('says so when Redis cannot be reached, before writing anything', async () => {
    const port = await freePort();
    const out = join(tmp(), 'o');
    await expectUsageError(['sweep', '--config', cfg, '--out', out, '--queue', `redis://:hunter2@127.0.0.1:${port}`], new RegExp(`^iocm-gym: --queue redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port}: cannot use Redis \\(ECONNREFUSED\\)$`, 'm'));
    await expectUsageError(['worker', '--queue', `redis://127.0.0.1:${port}`, '--concurrency', '1'], /cannot use Redis \(ECONNREFUSED\)/);
    expect(existsSync(out)).toBe(false);
  });
});
