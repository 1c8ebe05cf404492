/**
 * Experiment tools: the oracles on the paper scenario(s), fast tier, on all cores (target
 * ≤ 60 s for the static and per-phase ones together, and ≤ 60 s for the cost-aware one), and the sweep speed-up from 1 to 2 worker threads (target ≥ 1.8×) for three
 * sweeps, run with `runSweep` into a scratch folder, pool start-up included. Each sweep is timed
 * `IOCM_BENCH_SWEEP_REPS` (default 3) times per worker count, the counts alternating, and the median
 * of the pairs' speed-ups is the figure (one pair moves by ±20 % with the host's load):
 * * detailed: 64 CPU-bound jobs (4 static counts × `IOCM_BENCH_SWEEP_DETAILED_SEEDS` = 16 seeds, detailed
 *   tier, 2 s of `elvis-rr-4vm`; ≈ 20 s on one worker). Each worker pays its own start-up and JIT
 *   warm-up, which weighs on a sweep of a few seconds (4 seeds: 16 jobs, ≈ 5 s);
 * * fast: the fast tier's kind of sweep, many short episodes: iocm and static:1-3 × 2 seeds on the
 *   generated scenarios `IOCM_BENCH_SWEEP_FAST` (default `train:0-255`, 2,048 jobs of ≈ 4 ms, ≈ 8 s on
 *   one worker). Each worker thread warms V8 up on its own (compiling on background threads, which a
 *   single worker gets from the idle core), a cost fixed per worker: the shorter the sweep, the more it
 *   weighs;
 * * fast_long: the same kind of sweep, 16 times longer (`IOCM_BENCH_SWEEP_FAST_LONG`, default
 *   `train:0-4095`, 32,768 jobs, ≈ 2 min on one worker), where that warm-up is spread thin. It takes
 *   ≈ 3.5 min per pair, so it is timed `IOCM_BENCH_SWEEP_LONG_REPS` (default 2) times per worker count.
 * For the first two sweeps the machine's own ceiling is measured as well (`bench/sweep-child.ts`): all
 * the jobs run in-thread by one child process alone, then each half by a child of its own, side by side; all /
 * the slower half is what the machine gives this sweep split across two fresh JavaScript runtimes (each
 * compiles and warms up its code on its own, as each worker thread does), which no pool can beat.
 * Before them, a compute-bound loop alone and two side by side (`machine_compute_pair`) shows whether
 * the two cores themselves slow each other down.
 * The machine may be shared: the CPU time of the process (workers included) and the load average are
 * printed too, and from them `sweep_*_cpu_bound`, the speed-up if the 2-worker sweep's CPU time had
 * filled every core with no gap: above the target only if one worker leaves the second core nearly
 * idle and two workers need no more CPU time than one. The oracles use `IOCM_BENCH_ORACLE_SCENARIOS`
 * (default `paper`) and need the fast tier; without it they are reported as skipped.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import '../env/index.js';
import { oracleProblem, solveCostAware, solveDynamic, solveStatic } from '../agents/oracle/index.js';
import { envSpecFor } from '../experiments/envs.js';
import { withPool } from '../experiments/pool.js';
import { planSweep, runSweep, type SweepConfig } from '../experiments/sweep.js';
import type { Benchmark } from './benchmark.js';

async function oracles(): Promise<void> {
  const scenarios = (process.env.IOCM_BENCH_ORACLE_SCENARIOS ?? 'paper').split(',');
  const workers = availableParallelism();
  let total = 0;
  for (const sc of scenarios) {
    let spec;
    try {
      spec = envSpecFor('SideCore-v1', { scenario: sc, fidelity: 'fast' });
    } catch (e) {
      console.log(`experiments.oracle.${sc}: skipped (${(e as Error).message})`);
      continue;
    }
    const pr = oracleProblem(spec, 0);
    await withPool(workers, async (pool) => {
      const t0 = performance.now();
      const st = await solveStatic(pr, pool.oracleMap());
      const t1 = performance.now();
      const dyn = await solveDynamic(pr, { map: pool.oracleMap(), workers });
      const t2 = performance.now();
      const dp = await solveCostAware(pr, { map: pool.oracleMap(), workers });
      const t3 = performance.now();
      total += t3 - t0;
      console.log(`experiments.oracle_static.${sc}: ${((t1 - t0) / 1000).toFixed(2)} s (space ${st.spaceSize}, ${st.evaluations.steps.toLocaleString('en-US')} steps, ${workers} workers)`);
      console.log(`experiments.oracle_dynamic.${sc}: ${((t2 - t1) / 1000).toFixed(2)} s (space ${dyn.spaceSize.toLocaleString('en-US')} schedules, ${dyn.evaluations.phaseSims.toLocaleString('en-US')} phase simulations, ${dyn.evaluations.steps.toLocaleString('en-US')} steps = ${Math.round(dyn.evaluations.steps / ((t2 - t1) / 1000)).toLocaleString('en-US')} steps/s, ${dyn.tasks} tasks)`);
      console.log(`experiments.oracle_gap.${sc}: dynamic ${dyn.score.toFixed(3)} vs static ${st.score.toFixed(3)} (bound ${st.bound!.toFixed(3)})`);
      // the cost-aware oracle (a decision every epoch): its own target is ≤ 60 s per scenario
      console.log(`experiments.oracle_dp.${sc}: ${((t3 - t2) / 1000).toFixed(2)} s (10^${dp.spaceLog10!.toFixed(0)} schedules, ${dp.evaluations.phaseSims.toLocaleString('en-US')} segment simulations, ${dp.evaluations.steps.toLocaleString('en-US')} steps, at most ${dp.dp!.maxStates} states per decision point; score ${dp.score.toFixed(3)} vs per-phase ${dyn.score.toFixed(3)}, bound ${dp.bound!.toFixed(3)}; target <= 60 s)`);
    });
  }
  console.log(`experiments.oracles_total: ${(total / 1000).toFixed(2)} s (target <= 60 s)`);
}

/**
 * Times the sweep `reps` times on 1 and on 2 workers, alternating (1, 2 / 2, 1 / 1, 2 …) so that a
 * drift in the host's load falls on both sizes, and gives the median of the pairs' speed-ups. A fresh
 * pool per run: start-up and JIT warm-up included, as a user's sweep has them.
 */
async function sweepSpeedup(label: string, config: SweepConfig, scratch: string, reps: number, ceiling: boolean): Promise<void> {
  const plan = await planSweep(config, { where: 'bench' });
  const wall: Record<1 | 2, number[]> = { 1: [], 2: [] };
  const cpu: Record<1 | 2, number[]> = { 1: [], 2: [] };
  for (let r = 0; r < reps; r++) {
    for (const w of r % 2 === 0 ? [1, 2] as const : [2, 1] as const) {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      await withPool(w, (pool) => runSweep(plan, { out: mkdtempSync(join(scratch, `${label}-${w}-`)), pool }));
      wall[w].push((performance.now() - t0) / 1000);
      const c = process.cpuUsage(c0);
      cpu[w].push((c.user + c.system) / 1e6);
    }
  }
  const ratios = wall[1].map((t, r) => t / wall[2][r]!);
  const { median } = await import('mathjs');
  const [t1, t2, c1, c2] = [median(wall[1]), median(wall[2]), median(cpu[1]), median(cpu[2])];
  const list = (xs: number[], d = 2): string => xs.map((x) => x.toFixed(d)).join(', ');
  const cores = availableParallelism();
  console.log(`experiments.sweep_${label}_1_worker: ${t1.toFixed(2)} s wall, ${c1.toFixed(2)} CPU-s = ${(c1 / t1).toFixed(2)} cores busy (medians of ${reps} runs: ${list(wall[1])} s; ${plan.jobs.length.toLocaleString('en-US')} jobs)`);
  console.log(`experiments.sweep_${label}_2_workers: ${t2.toFixed(2)} s wall, ${c2.toFixed(2)} CPU-s = ${(c2 / t2).toFixed(2)} cores busy (${list(wall[2])} s)`);
  console.log(`experiments.sweep_${label}_speedup_1_to_2: ${median(ratios).toFixed(2)}x (target >= 1.8x; median of ${reps} alternating pairs: ${list(ratios)}; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} on ${cores} cores: other processes on the machine lower it)`);
  console.log(`experiments.sweep_${label}_cpu_bound: ${(t1 / (c2 / cores)).toFixed(2)}x (the speed-up had the ${cores} cores run the 2-worker sweep's ${c2.toFixed(2)} CPU-s with no gap; the one worker kept ${((c1 / t1 - 1) * 100).toFixed(0)} % of a second core busy, so even with no more CPU time no pool could pass ${(cores / (c1 / t1)).toFixed(2)}x; two workers took ${signed((c2 / c1 - 1) * 100)} % CPU time against one)`);
  if (!ceiling) return;
  const alone = await childSeconds(config, '0/1', scratch);
  const [a, b] = await Promise.all([childSeconds(config, '0/2', scratch), childSeconds(config, '1/2', scratch)]);
  console.log(`experiments.sweep_${label}_machine_ceiling: ${(alone / Math.max(a, b)).toFixed(2)}x (the same jobs in-thread, no pool: all in one process ${alone.toFixed(2)} s; each half in a process of its own, side by side, ${a.toFixed(2)} s / ${b.toFixed(2)} s)`);
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(0)}`;
}

/**
 * A compute-bound loop (eight independent floating-point chains, no memory traffic) in one child
 * process alone, then in two side by side: 2 × alone / the slower of the pair. Near 2 when the two
 * cores do not slow each other down; what the sweep ceilings lose beyond it is the rest of the machine.
 */
async function computePair(): Promise<void> {
  const code = '(()=>{const t0=performance.now();let a=1.1,b=1.2,c=1.3,d=1.4,e=1.5,f=1.6,g=1.7,h=1.8;for(let i=0;i<4e8;i++){a=a*0.999999+1e-7;b=b*0.999998+2e-7;c=c*0.999997+3e-7;d=d*0.999996+4e-7;e=e*0.999995+5e-7;f=f*0.999994+6e-7;g=g*0.999993+7e-7;h=h*0.999992+8e-7}if(!(a+b+c+d+e+f+g+h>0))throw 0;console.log((performance.now()-t0)/1000)})()';
  const run = (): Promise<number> => childSecondsOf(['-e', code], 'compute child');
  const alone = await run();
  const [a, b] = await Promise.all([run(), run()]);
  console.log(`experiments.machine_compute_pair: ${((2 * alone) / Math.max(a, b)).toFixed(2)}x (a compute-bound loop: alone ${alone.toFixed(2)} s, two side by side ${a.toFixed(2)} s / ${b.toFixed(2)} s)`);
}

/** Runs part `part` ("k/n") of the config's jobs in a child process, in-thread; its wall time in seconds. */
function childSeconds(config: SweepConfig, part: string, scratch: string): Promise<number> {
  return childSecondsOf([fileURLToPath(new URL('./sweep-child.js', import.meta.url)), JSON.stringify(config), part], 'sweep child', { IOCM_BENCH_SCRATCH: scratch });
}

/** Runs `node <args>` and resolves with the number of seconds it prints. */
function childSecondsOf(args: string[], what: string, env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('error', reject);
    child.on('exit', (code) => {
      const t = Number(out.trim());
      if (code === 0 && Number.isFinite(t)) resolve(t);
      else reject(new Error(`bench: ${what} exited with ${code}`));
    });
  });
}

function positiveIntEnv(name: string, dflt: number): number {
  const raw = process.env[name] ?? String(dflt);
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${JSON.stringify(raw)}`);
  return n;
}

/** Seeds per static count in the detailed-tier sweep (`IOCM_BENCH_SWEEP_DETAILED_SEEDS`, default 16). */
function detailedSeeds(): number {
  return positiveIntEnv('IOCM_BENCH_SWEEP_DETAILED_SEEDS', 16);
}

/** Timed runs of each sweep per worker count (`IOCM_BENCH_SWEEP_REPS`, default 3). */
function sweepReps(): number {
  return positiveIntEnv('IOCM_BENCH_SWEEP_REPS', 3);
}

/** Timed runs of the long fast-tier sweep per worker count (`IOCM_BENCH_SWEEP_LONG_REPS`, default 2). */
function longSweepReps(): number {
  return positiveIntEnv('IOCM_BENCH_SWEEP_LONG_REPS', 2);
}

export const experimentsBench: Benchmark = {
  name: 'experiments',
  description: 'both oracles on the paper scenario (fast tier, all cores); sweep speed-up 1 → 2 workers (a detailed-tier sweep, a short and a long fast-tier sweep)',
  async run() {
    await oracles();
    await computePair();
    // Every sweep's files stay until all are timed: on this machine's ext4 (no journal) creating a file
    // skips every inode deleted in the last minute or more (`recently_deleted`), so deleting a finished
    // sweep's thousands of job files slowed whichever sweep was timed next.
    const scratch = mkdtempSync(join(tmpdir(), 'bench-sweeps-'));
    try {
      await sweepSpeedup('detailed', { scenarios: ['elvis-rr-4vm'], envParams: { fidelity: 'detailed' }, agents: ['static:1', 'static:2', 'static:3', 'static:4'], seeds: detailedSeeds(), maxSteps: 20 }, scratch, sweepReps(), true);
      const fastJobs = { agents: ['iocm', 'static:1', 'static:2', 'static:3'], seeds: 2 };
      await sweepSpeedup('fast', { ...fastJobs, scenarios: [process.env.IOCM_BENCH_SWEEP_FAST ?? 'train:0-255'] }, scratch, sweepReps(), true);
      await sweepSpeedup('fast_long', { ...fastJobs, scenarios: [process.env.IOCM_BENCH_SWEEP_FAST_LONG ?? 'train:0-4095'] }, scratch, longSweepReps(), false);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  },
};
