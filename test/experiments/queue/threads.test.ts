import { describe, expect, it } from '@jest/globals';
import { TOY_MODULE } from '../fixtures/phased-toy.js';
import { ThreadRunner } from '../../../experiments/queue/threads.js';
import { planSweep } from '../../../experiments/sweep.js';
import { runTask, type JobTextAnswer, type JobTextTask } from '../../../experiments/tasks.js';

const sansWallTimes = (text: string): string => text.replace(/"(wallMs|searchWallMs)":\d+/g, '"$1":0');

describe('a queue worker\'s threads', () => {
  it('run jobs handed in one at a time on two threads, batched, and answer each with its own job file', async () => {
    const plan = await planSweep({ env: 'PhasedToy-v0', envParams: { switchCost: [0.2, 1] }, agents: ['random', 'static:1', 'oracle'], seeds: 5, envModules: [TOY_MODULE] });
    const tasks: JobTextTask[] = plan.jobs.map((j) => ({ kind: 'job-text', job: { hash: j.hash, agent: j.agent, seed: j.seed, maxSteps: null, scenario: j.scenario, variant: j.variant, inputEnvSpec: j.envSpec } }));
    const threads = new ThreadRunner(2);
    try {
      const answers = await Promise.all(tasks.map((t) => threads.run({ ...t, envModules: [TOY_MODULE] }) as Promise<JobTextAnswer>));
      const texts = answers.map((a) => a.text);
      for (const a of answers) expect(a.timing.wallMs).toBeGreaterThanOrEqual(0);
      expect(threads.wanted()).toBeGreaterThanOrEqual(2);
      for (let i = 0; i < tasks.length; i++) {
        const here = ((await runTask({ ...tasks[i]!, envModules: [TOY_MODULE] })) as JobTextAnswer).text;
        expect(sansWallTimes(texts[i]!)).toBe(sansWallTimes(here));
        expect((JSON.parse(texts[i]!) as { job: { hash: string } }).job.hash).toBe(tasks[i]!.job.hash);
      }
    } finally {
      await threads.close();
    }
  });

  it('pass a job\'s error on as its own, and keep running the others', async () => {
    const plan = await planSweep({ env: 'PhasedToy-v0', agents: ['static:1'], seeds: 2, envModules: [TOY_MODULE] });
    const j = plan.jobs[0]!;
    const job = { hash: j.hash, agent: j.agent, seed: j.seed, maxSteps: null, scenario: j.scenario, variant: j.variant, inputEnvSpec: j.envSpec };
    const threads = new ThreadRunner(1);
    try {
      const bad = threads.run({ kind: 'job-text', job: { ...job, inputEnvSpec: { ...job.inputEnvSpec, id: 'NoSuchEnv-v0' } }, envModules: [TOY_MODULE] });
      const good = threads.run({ kind: 'job-text', job, envModules: [TOY_MODULE] });
      await expect(bad).rejects.toThrow(/Environment NoSuchEnv doesn't exist/);
      expect(typeof ((await good) as JobTextAnswer).text).toBe('string');
    } finally {
      await threads.close();
    }
  });
});
