import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOY_MODULE } from './fixtures/phased-toy.js';
import { UsageError } from '../../experiments/errors.js';
import type { JobEntry } from '../../experiments/job-file.js';
import { WorkerPool, withPool } from '../../experiments/pool.js';
import { planSweep } from '../../experiments/sweep.js';
import type { JobTask, PoolTask } from '../../experiments/tasks.js';
import { tempDir } from '../temp-dirs.js';

// Many short tasks: the pool sends each worker a second one ahead of the first's answer.
async function shortTasks(agent?: (i: number) => string): Promise<PoolTask[]> {
  const plan = await planSweep({ env: 'PhasedToy-v0', agents: ['random', 'static:1'], seeds: 20, maxSteps: 5, envModules: [fileURLToPath(TOY_MODULE)] });
  const dir = tempDir('pool-');
  return plan.jobs.map((j, i): JobTask & { envModules: string[] } => ({
    kind: 'job', file: join(dir, `${i}.json`), envModules: plan.envModules,
    job: { hash: j.hash, agent: agent?.(i) ?? j.agent, seed: j.seed, maxSteps: 5, scenario: j.scenario, variant: j.variant, inputEnvSpec: j.envSpec },
  }));
}

describe('WorkerPool', () => {
  it('gives every result once, in task order, the same as in-thread, with tasks sent ahead', async () => {
    const tasks = await shortTasks();
    const inThread = (await new WorkerPool(0).map<JobEntry>(tasks)).map((r) => r.summary);
    const seen: number[] = [];
    const keys = tasks.map((_, i) => String(i % 3));
    const results = await withPool(2, (pool) => pool.map<JobEntry>(tasks, (i) => { seen.push(i); }, keys));
    expect(results.map((r) => r.summary)).toEqual(inThread);
    expect([...seen].sort((a, b) => a - b)).toEqual(tasks.map((_, i) => i));
  });

  it('rejects with the first failing task\'s error, starts nothing new after it, and stays usable', async () => {
    const tasks = await shortTasks((i) => (i === 7 ? 'no-such-agent' : 'static:1'));
    const done: number[] = [];
    await withPool(2, async (pool) => {
      const err = await pool.map(tasks, (i) => { done.push(i); }).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(/no-such-agent/);
      expect(done).not.toContain(7);
      expect(done.length).toBeLessThan(tasks.length);
      // the pool is still usable
      expect(await pool.map(tasks.slice(0, 3))).toHaveLength(3);
    });
  });
});
