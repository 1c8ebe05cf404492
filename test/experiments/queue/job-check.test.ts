import { describe, expect, it } from '@jest/globals';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import '../fixtures/phased-toy.js';
import { envSpecFor } from '../../../experiments/envs.js';
import type { JobFile } from '../../../experiments/job-file.js';
import { RefusedJob, allowedRoots, checkQueueJob } from '../../../experiments/queue/job-check.js';
import { JOB_NAME } from '../../../experiments/queue/protocol.js';
import { jobHash } from '../../../experiments/sweep.js';
import { tempDir } from '../../temp-dirs.js';

const spec = envSpecFor('PhasedToy-v0', {});

function job(agent: string, kwargs: Record<string, unknown> = {}): JobFile['job'] {
  const inputEnvSpec = { ...spec, kwargs: { ...spec.kwargs, ...kwargs } };
  return { hash: jobHash({ envSpec: inputEnvSpec, agent, seed: 1 }), agent, seed: 1, maxSteps: null, scenario: 'PhasedToy-v0', variant: '', inputEnvSpec };
}

function refused(name: string, data: unknown, roots: string[]): string {
  try {
    checkQueueJob(name, data, roots);
  } catch (e) {
    expect(e).toBeInstanceOf(RefusedJob);
    return (e as Error).message;
  }
  throw new Error('expected the job to be refused');
}

describe('a queue worker checks every job before running it', () => {
  const root = tempDir('roots-');
  const allowed = join(root, 'allowed');
  const elsewhere = join(root, 'elsewhere');
  mkdirSync(join(allowed, 'model'), { recursive: true });
  mkdirSync(join(elsewhere, 'model'), { recursive: true });
  symlinkSync(join(elsewhere, 'model'), join(allowed, 'link'));
  const roots = allowedRoots([allowed]);

  it('accepts a job of the known type whose inputs hash to its id', () => {
    const j = job('static:1');
    expect(checkQueueJob(JOB_NAME, { job: j }, roots)).toEqual(j);
    expect(checkQueueJob(JOB_NAME, { job: job(`ppo:${join(allowed, 'model')}`) }, roots).agent).toBe(`ppo:${join(allowed, 'model')}`);
  });

  it('refuses other job types, malformed inputs and inputs that do not match the id', () => {
    expect(refused('run-script', { job: job('static:1') }, roots)).toMatch(/unknown job type "run-script"/);
    expect(refused(JOB_NAME, { job: { ...job('static:1'), seed: -1 } }, roots)).toMatch(/^job data: job\.seed: /);
    expect(refused(JOB_NAME, { job: job('static:1'), envModules: ['/tmp/evil.js'] }, roots)).toMatch(/^job data: \(root\): .*envModules/);
    expect(refused(JOB_NAME, { job: { ...job('static:1'), agent: 'static:2' } }, roots)).toMatch(/its inputs hash to [0-9a-f]{24}, not to its id/);
  });

  it('refuses model folders and scenario files outside the allowed roots, through symbolic links too', () => {
    expect(refused(JOB_NAME, { job: job(`dqn:${join(elsewhere, 'model')}`) }, roots)).toMatch(/model folder ".*elsewhere\/model" is outside the worker's allowed roots/);
    expect(refused(JOB_NAME, { job: job(`ppo:${join(allowed, '..', 'elsewhere', 'model')}`) }, roots)).toMatch(/outside the worker's allowed roots/);
    expect(refused(JOB_NAME, { job: job(`ppo:${join(allowed, 'link')}`) }, roots)).toMatch(/outside the worker's allowed roots/);
    expect(refused(JOB_NAME, { job: job('iocm', { scenario: '/etc/passwd' }) }, roots)).toMatch(/scenario file "\/etc\/passwd" is outside/);
    // shipped scenarios and generated family members name no file
    expect(checkQueueJob(JOB_NAME, { job: job('iocm', { scenario: 'paper' }) }, roots).agent).toBe('iocm');
    expect(checkQueueJob(JOB_NAME, { job: job('iocm', { scenario: 'train:3' }) }, roots).agent).toBe('iocm');
  });
});
