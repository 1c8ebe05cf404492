/**
 * Sweeps on a Redis queue (`sweep --queue`, `worker --queue`) against the local pool, on a throwaway
 * `redis-server` on 127.0.0.1 (skipped when none is installed):
 * * overhead per job: a fast-tier sweep of short jobs (iocm and static:1-3 × 2 seeds on
 *   `IOCM_BENCH_QUEUE_FAST`, default `train:0-127`, 1,024 jobs of ≈ 4 ms) on a local pool of one
 *   thread, and on one worker process of one thread; (queue − pool) ÷ jobs. Both warmed up first by
 *   another sweep (a pool kept open, a worker left running, as a user's workers are), so the figure is
 *   the queue's own cost: Redis round trips, the job file's text through Redis, the collector's checks;
 * * the speed-up of two worker processes of one thread each against one, for that sweep and for a
 *   CPU-bound one (16 detailed-tier jobs, 2 s of `elvis-rr-4vm`), `IOCM_BENCH_QUEUE_REPS` (default 2)
 *   times each, the median of the ratios.
 * `IOCM_BENCH_QUEUE_PARTS` (default `overhead,fast,detailed`) picks some of them.
 * Worker processes run the compiled CLI (`bin/iocm-gym.js`), as `npm run bench` builds it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import '../env/index.js';
import { packageRoot } from '../experiments/paths.js';
import { withPool } from '../experiments/pool.js';
import { hasRedisServer, startLocalRedis } from '../experiments/queue/local-redis.js';
import { planSweep, runSweep, type SweepConfig, type SweepPlan } from '../experiments/sweep.js';
import type { Benchmark } from './benchmark.js';

const FAST_JOBS = { agents: ['iocm', 'static:1', 'static:2', 'static:3'], seeds: 2, envParams: { fidelity: 'fast' } };

interface Worker { child: ChildProcess; stop: () => Promise<void> }

function startWorker(url: string): Worker {
  const child = spawn(process.execPath, [join(packageRoot(), 'bin', 'iocm-gym.js'), 'worker', '--queue', url, '--concurrency', '1'], { stdio: 'ignore' });
  return {
    child,
    stop: async () => {
      if (child.exitCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await gone;
    },
  };
}

/**
 * CPU seconds a process has used so far (Linux: /proc/<pid>/stat, user + system, in clock ticks of
 * 1/100 s); NaN elsewhere. On a shared machine the wall times move with the load, the CPU time much less.
 */
function cpuSecondsOf(pid: number | undefined): number {
  try {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const rest = f.slice(f.lastIndexOf(')') + 2).split(' ');
    return (Number(rest[11]) + Number(rest[12])) / 100;
  } catch {
    return NaN;
  }
}

/** This process's CPU seconds (its threads included). */
function ownCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

async function seconds(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

function reps(): number {
  const n = Number(process.env.IOCM_BENCH_QUEUE_REPS ?? 2);
  return Number.isInteger(n) && n > 0 ? n : 2;
}

async function median(xs: number[]): Promise<number> {
  const { median: m } = await import('mathjs');
  return m(xs);
}

/** Another sweep of the same kind, to warm a pool's or a worker's threads up (other seeds: other jobs). */
async function warmup(config: SweepConfig): Promise<SweepPlan> {
  return planSweep({ ...config, seeds: [1000, 1001] }, { where: 'bench' });
}

async function overhead(url: string, redisPid: number, scratch: string): Promise<void> {
  const config: SweepConfig = { ...FAST_JOBS, scenarios: [process.env.IOCM_BENCH_QUEUE_FAST ?? 'train:0-127'] };
  const plan = await planSweep(config, { where: 'bench' });
  const warm = await warmup(config);
  const out = (tag: string): string => mkdtempSync(join(scratch, `${tag}-`));
  const pool: number[] = [];
  const queue: number[] = [];
  const poolCpu: number[] = [];
  const queueCpu: number[] = [];
  const w = startWorker(url);
  /** CPU seconds of everything a queue sweep uses: this process (the collector), the worker, Redis. */
  const parts = (): number[] => [ownCpuSeconds(), cpuSecondsOf(w.child.pid), cpuSecondsOf(redisPid)];
  const split: number[][] = [];
  try {
    await runSweep(warm, { out: out('warm-q'), queue: url });
    await withPool(1, async (p) => {
      await runSweep(warm, { out: out('warm-p'), pool: p });
      for (let r = 0; r < reps(); r++) {
        let c0 = ownCpuSeconds();
        pool.push(await seconds(() => runSweep(plan, { out: out('pool'), pool: p })));
        poolCpu.push(ownCpuSeconds() - c0);
        const p0 = parts();
        queue.push(await seconds(() => runSweep(plan, { out: out('queue'), queue: url })));
        const d = parts().map((x, i) => x - p0[i]!);
        split.push(d);
        queueCpu.push(d[0]! + d[1]! + d[2]!);
      }
    });
  } finally {
    await w.stop();
  }
  const [tp, tq] = [await median(pool), await median(queue)];
  const n = plan.jobs.length;
  console.log(`queue.fast_pool_1_thread: ${tp.toFixed(2)} s (${n.toLocaleString('en-US')} jobs; runs ${pool.map((x) => x.toFixed(2)).join(', ')} s)`);
  console.log(`queue.fast_queue_1_worker: ${tq.toFixed(2)} s (one worker process of one thread; runs ${queue.map((x) => x.toFixed(2)).join(', ')} s)`);
  console.log(`queue.overhead_per_job: ${(((tq - tp) / n) * 1000).toFixed(2)} ms wall (the pool's ${((tp / n) * 1000).toFixed(2)} ms per job; medians of ${pool.length} runs each, both warmed up; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')})`);
  const [cp, cq] = [await median(poolCpu), await median(queueCpu)];
  console.log(`queue.overhead_cpu_per_job: ${(((cq - cp) / n) * 1000).toFixed(2)} ms CPU (collector + worker + Redis ${cq.toFixed(2)} CPU-s against the pool's ${cp.toFixed(2)} CPU-s = ${((cp / n) * 1000).toFixed(2)} ms per job; medians; per job, collector / worker process / Redis: ${split.map((d) => d.map((x) => ((x / n) * 1000).toFixed(2)).join(' / ')).join(', ')} ms)`);
}

async function speedup(label: string, config: SweepConfig, url: string, scratch: string): Promise<void> {
  const plan = await planSweep(config, { where: 'bench' });
  const warm = await warmup(config);
  const one: number[] = [];
  const two: number[] = [];
  const w1 = startWorker(url);
  try {
    await runSweep(warm, { out: mkdtempSync(join(scratch, 'warm-')), queue: url });
    for (let r = 0; r < reps(); r++) {
      one.push(await seconds(() => runSweep(plan, { out: mkdtempSync(join(scratch, `${label}-1-`)), queue: url })));
      const w2 = startWorker(url);
      try {
        // the second worker warms up on a sweep of its own kind first, as the first one did
        await runSweep(warm, { out: mkdtempSync(join(scratch, 'warm-')), queue: url });
        two.push(await seconds(() => runSweep(plan, { out: mkdtempSync(join(scratch, `${label}-2-`)), queue: url })));
      } finally {
        await w2.stop();
      }
    }
  } finally {
    await w1.stop();
  }
  const ratios = one.map((t, i) => t / two[i]!);
  console.log(`queue.${label}_1_worker: ${(await median(one)).toFixed(2)} s (${plan.jobs.length.toLocaleString('en-US')} jobs; runs ${one.map((x) => x.toFixed(2)).join(', ')} s)`);
  console.log(`queue.${label}_2_workers: ${(await median(two)).toFixed(2)} s (two worker processes of one thread; runs ${two.map((x) => x.toFixed(2)).join(', ')} s)`);
  console.log(`queue.${label}_speedup_1_to_2: ${(await median(ratios)).toFixed(2)}x (median of ${ratios.length}: ${ratios.map((x) => x.toFixed(2)).join(', ')}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')})`);
}

export const queueBench: Benchmark = {
  name: 'queue',
  description: 'sweeps on a Redis queue: overhead per job against the local pool; speed-up of two worker processes against one',
  run: async () => {
    if (!hasRedisServer()) {
      console.log('queue: skipped (no redis-server; Debian: apt-get install -y redis-server)');
      return;
    }
    const redis = await startLocalRedis();
    const scratch = mkdtempSync(join(tmpdir(), 'iocm-bench-queue-'));
    try {
      const parts = (process.env.IOCM_BENCH_QUEUE_PARTS ?? 'overhead,fast,detailed').split(',');
      if (parts.includes('overhead')) await overhead(redis.url, redis.pid, scratch);
      if (parts.includes('fast')) await speedup('fast', { ...FAST_JOBS, scenarios: [process.env.IOCM_BENCH_QUEUE_FAST ?? 'train:0-127'] }, redis.url, scratch);
      if (parts.includes('detailed')) await speedup('detailed', { scenarios: ['elvis-rr-4vm'], envParams: { fidelity: 'detailed' }, agents: ['static:1', 'static:2', 'static:3', 'static:4'], seeds: 4, maxSteps: 20 }, redis.url, scratch);
    } finally {
      await redis.stop();
      rmSync(scratch, { recursive: true, force: true });
    }
  },
};
