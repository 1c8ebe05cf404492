/**
 * A child process of the sweep benchmark (`bench/experiments.ts`): runs a sweep config's jobs one after
 * the other in this thread (no pool) into a temporary folder and prints the wall time in seconds.
 * Two of these side by side against one alone measure what the machine itself gives two copies of the
 * same work, the ceiling for any pool's speed-up.
 *
 * Usage: `node dist/bench/sweep-child.js '<sweep config JSON>'`
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../env/index.js';
import { planSweep, runSweep } from '../experiments/sweep.js';

const plan = await planSweep(JSON.parse(process.argv[2] ?? '{}'), { where: 'bench child' });
const dir = mkdtempSync(join(tmpdir(), 'bench-sweep-child-'));
try {
  const t0 = performance.now();
  await runSweep(plan, { out: dir, workers: 0 });
  process.stdout.write(`${((performance.now() - t0) / 1000).toFixed(3)}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
