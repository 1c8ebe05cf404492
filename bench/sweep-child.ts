/**
 * A child process of the sweep benchmark (`bench/experiments.ts`): runs a sweep config's jobs (all, or
 * part k of n: the plan's envs dealt out in turn, an env's jobs kept together as the pool's affinity
 * queue keeps them on one worker; with fewer envs than parts, the jobs dealt out in turn) one after the
 * other in this thread (no pool) into a temporary folder and prints the wall time in seconds. Two of
 * these side by side, each with half the jobs, against one with all of them alone, measure what the
 * machine gives a sweep split in two fresh JavaScript runtimes: the ceiling for any pool's speed-up.
 *
 * Usage: `node dist/bench/sweep-child.js '<sweep config JSON>' [k/n]`
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../env/index.js';
import { canonicalJson } from '../experiments/canonical-json.js';
import { planSweep, runSweep } from '../experiments/sweep.js';

const full = await planSweep(JSON.parse(process.argv[2] ?? '{}'), { where: 'bench child' });
const [k, n] = (process.argv[3] ?? '0/1').split('/').map(Number) as [number, number];
if (!(Number.isInteger(k) && Number.isInteger(n) && n > 0 && k >= 0 && k < n)) throw new Error(`sweep-child: part must be k/n with 0 <= k < n, got ${process.argv[3]}`);
const envIndex = new Map<string, number>();
for (const j of full.jobs) {
  const key = canonicalJson(j.envSpec);
  if (!envIndex.has(key)) envIndex.set(key, envIndex.size);
}
// fewer envs than parts (one scenario, many agents and seeds): the jobs one by one instead
const plan = { ...full, jobs: full.jobs.filter((j, i) => (envIndex.size >= n ? envIndex.get(canonicalJson(j.envSpec))! : i) % n === k) };
// Under the bench's scratch folder (IOCM_BENCH_SCRATCH), the files stay for the bench to remove once
// every sweep is timed (see bench/experiments.ts); run by hand, the child removes its own.
const scratch = process.env.IOCM_BENCH_SCRATCH;
const dir = mkdtempSync(join(scratch ?? tmpdir(), 'child-'));
try {
  const t0 = performance.now();
  await runSweep(plan, { out: join(dir, 'sweep'), workers: 0 });
  process.stdout.write(`${((performance.now() - t0) / 1000).toFixed(3)}\n`);
} finally {
  if (scratch === undefined) rmSync(dir, { recursive: true, force: true });
}
