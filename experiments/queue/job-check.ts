/**
 * What a queue worker checks before it runs a job taken from Redis, which anyone who can write to the
 * queue could have put there: the job type must be the one known type, its inputs must pass the job
 * schema (`jobInputsSchema`) and hash to the job's own hash, and any file it names (a learned agent's
 * model folder, a scenario file) must lie under one of the worker's allowed roots. Code and paths to
 * load (env modules) come only from the worker's own command line, never from the queue.
 */
import { existsSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { z } from 'zod';
import { parseMemberName } from '../../env/scenarios/generator.js';
import { listScenarios } from '../../env/sim/scenario.js';
import { jobInputsSchema, type JobFile } from '../job-file.js';
import { jobHash } from '../sweep.js';
import { JOB_NAME } from './protocol.js';

const dataSchema = z.object({ job: jobInputsSchema }).strict();

/** A job the worker will not run; the message is recorded as the job's error. */
export class RefusedJob extends Error {
  override name = 'RefusedJob';
}

/** The folders a job may name files under: each as its real path (symbolic links resolved). */
export function allowedRoots(dirs: readonly string[]): string[] {
  return dirs.map((d) => (existsSync(d) ? realpathSync(d) : resolve(d)));
}

function inside(path: string, roots: readonly string[]): boolean {
  const p = resolve(path);
  const real = existsSync(p) ? realpathSync(p) : p;
  return roots.some((r) => {
    const rel = relative(r, real);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  });
}

let shipped: Set<string> | undefined;

/** Whether a `scenario` kwarg names a file (not a shipped scenario or a generated family member). */
function scenarioFile(s: string): boolean {
  shipped ??= new Set(listScenarios());
  if (shipped.has(s) && !s.includes('/')) return false;
  try {
    if (parseMemberName(s)) return false;
  } catch { /* `<word>:<rest>` that is no family member: a file name */ }
  return true;
}

/** The job's inputs, checked; throws `RefusedJob` with a one-line reason. */
export function checkQueueJob(name: string, data: unknown, roots: readonly string[]): JobFile['job'] {
  if (name !== JOB_NAME) throw new RefusedJob(`unknown job type ${JSON.stringify(name)}; this worker runs only ${JOB_NAME}`);
  const r = dataSchema.safeParse(data);
  if (!r.success) {
    const iss = r.error.issues[0]!;
    throw new RefusedJob(`job data: ${iss.path.map(String).join('.') || '(root)'}: ${iss.message}`);
  }
  // the job as sent, not zod's copy: its keys keep the collector's order, so the job file's text is
  // the one a local run writes whatever order the schema lists them in
  const job = (data as { job: JobFile['job'] }).job;
  const h = jobHash({ envSpec: job.inputEnvSpec, agent: job.agent, seed: job.seed, ...(job.maxSteps !== null ? { maxSteps: job.maxSteps } : {}) });
  if (h !== job.hash) throw new RefusedJob(`job ${job.hash}: its inputs hash to ${h}, not to its id`);
  const where = `job ${job.hash}`;
  const model = /^\s*(?:ppo|dqn):(.*)$/.exec(job.agent);
  if (model && !inside(model[1]!.trim(), roots)) throw new RefusedJob(`${where}: model folder ${JSON.stringify(model[1]!.trim())} is outside the worker's allowed roots (${roots.join(', ')}; add one with --allow-root)`);
  const sc = job.inputEnvSpec.kwargs.scenario;
  if (typeof sc === 'string' && scenarioFile(sc) && !inside(sc, roots)) throw new RefusedJob(`${where}: scenario file ${JSON.stringify(sc)} is outside the worker's allowed roots (${roots.join(', ')}; add one with --allow-root)`);
  return job;
}
