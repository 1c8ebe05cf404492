/**
 * One training run of the protocol: a learner (PPO or DQN, through their public `create / learn / save`
 * API, on `MultiScenarioEnv` as `experiments/train-models.ts` does) trained with one seed on the
 * training scenarios, its checkpoint chosen on the validation scenarios (every `evalEvery` steps the
 * greedy policy runs one episode, reset seed 0, of each; the best so far is the saved model, as in
 * train-models.ts), never on the test scenarios.
 *
 * Atomic and resumable: the model is written into `<dir>.<pid>.tmp-dir` and renamed to `<dir>` when
 * complete (with `training.json` last before the rename), so `<dir>` exists only for a finished run;
 * the directory's name carries the content hash of every input, so a changed input trains anew.
 */
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import { EnvSpec, make, type EnvSpecJSON } from '../../env/core/registry.js';
import { UsageError } from '../errors.js';
import { makeDirs, onInterrupt, writeFileAtomic } from '../io.js';
import { multiScenarioSource } from '../multi-scenario.js';
import { canonicalJson } from '../canonical-json.js';

export interface TrainingJob {
  algo: 'ppo' | 'dqn';
  seed: number;
  steps: number;
  evalEvery?: number;
  args: Record<string, unknown>;
  /** Env id and kwargs shared by every training and validation scenario (scenario excluded). */
  env: string;
  envKwargs: Record<string, unknown>;
  scenarios: string[];
  validation: string[];
}

/** The content hash of a training job's inputs (24 hex digits, as the sweep's job hashes). */
export function trainingHash(j: TrainingJob): string {
  return createHash('sha256').update(canonicalJson({ format: 'iocm-gym/protocol-train@1', ...j })).digest('hex').slice(0, 24);
}

/** Refuses Args the algorithm does not have (a one-line UsageError naming the key). */
export async function checkLearnerArgs(algo: 'ppo' | 'dqn', args: Record<string, unknown>, where: string): Promise<void> {
  const defaults: object = algo === 'ppo' ? (await import('../../agents/ppo.js')).PPO_DEFAULTS : (await import('../../agents/dqn.js')).DQN_DEFAULTS;
  for (const k of Object.keys(args)) {
    if (k === 'seed') throw new UsageError(`${where}: the seed is set by train.seeds`);
    if (k === 'totalTimesteps') throw new UsageError(`${where}: the step budget is set by steps`);
    if (!(k in defaults)) throw new UsageError(`${where}: ${algo} has no arg ${JSON.stringify(k)}`);
  }
}

/** Removes half-written model folders a killed run left under `dir`. */
export function removeStaleTrainingDirs(dir: string): number {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const f of readdirSync(dir)) {
    if (f.endsWith('.tmp-dir')) { rmSync(join(dir, f), { recursive: true, force: true }); n++; }
  }
  return n;
}

export function isTrained(dir: string): boolean {
  return existsSync(join(dir, 'training.json')) && existsSync(join(dir, 'agent.json'));
}

export interface TrainProgress { globalStep: number; steps: number; validation?: number }

/** Greedy return of one episode (reset seed 0) of each validation env, summed. */
export function validate(model: { predict(obs: unknown, info?: Record<string, unknown>, deterministic?: boolean): number }, specs: readonly EnvSpecJSON[]): number {
  let total = 0;
  for (const spec of specs) {
    const env = make<unknown, number>(EnvSpec.fromJSON(spec));
    let { obs, info } = env.reset({ seed: 0 });
    for (;;) {
      const r = env.step(model.predict(obs, info, true));
      total += r.reward;
      if (r.terminated || r.truncated) break;
      obs = r.obs;
      info = r.info;
    }
    env.close();
  }
  return total;
}

/** Trains one job into `dir` (atomically); returns the saved checkpoint's step and validation return. */
export async function trainOne(job: TrainingJob, specs: readonly EnvSpecJSON[], valSpecs: readonly EnvSpecJSON[], dir: string, onProgress?: (p: TrainProgress) => void): Promise<{ savedStep: number; validationReturn: number; wallS: number }> {
  const tmp = join(dirname(dir), `.${basename(dir)}.${process.pid}.tmp-dir`);
  rmSync(tmp, { recursive: true, force: true });
  makeDirs(tmp);
  // Ctrl-C: no half-written model folder stays behind
  const unhook = onInterrupt(async () => { rmSync(tmp, { recursive: true, force: true }); });
  const t0 = performance.now();
  try {
    const source = multiScenarioSource(specs);
    const args = { ...job.args, seed: job.seed };
    const model = job.algo === 'ppo'
      ? await (await import('../../agents/ppo.js')).PPO.create(source, args)
      : await (await import('../../agents/dqn.js')).DQN.create(source, args);
    const evalEvery = job.evalEvery ?? job.steps;
    let nextEval = evalEvery, best = -Infinity, bestStep = -1, lastEvalStep = -1;
    const rows: string[] = ['global_step,validation_return,best'];
    const checkpoint = async (step: number): Promise<void> => {
      const v = validate(model, valSpecs);
      lastEvalStep = step;
      const isBest = v > best;
      if (isBest) { best = v; bestStep = step; await model.save(tmp); }
      rows.push(`${step},${v},${isBest ? 1 : 0}`);
      onProgress?.({ globalStep: step, steps: job.steps, validation: v });
    };
    const onUpdate = async (s: { globalStep: number }): Promise<void> => {
      // learn() chains promises only, which never lets a signal handler run: yield to the event loop
      // once per update (microseconds), so that Ctrl-C stops a long training and removes its folder
      await new Promise<void>((r) => setImmediate(r));
      onProgress?.({ globalStep: s.globalStep, steps: job.steps });
      if (s.globalStep < nextEval) return;
      nextEval = (Math.floor(s.globalStep / evalEvery) + 1) * evalEvery;
      await checkpoint(s.globalStep);
    };
    await model.learn(job.steps, { onUpdate });
    if (lastEvalStep !== model.globalStep) await checkpoint(model.globalStep);
    model.dispose();
    const wallS = (performance.now() - t0) / 1000;
    writeFileAtomic(join(tmp, 'validation.csv'), rows.join('\n') + '\n');
    writeFileAtomic(join(tmp, 'training.json'), JSON.stringify({ format: 'iocm-gym/protocol-training@1', hash: trainingHash(job), job, savedCheckpointStep: bestStep, savedCheckpointReturn: best, wallSeconds: Math.round(wallS * 10) / 10 }, null, 2) + '\n');
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    return { savedStep: bestStep, validationReturn: best, wallS };
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  } finally {
    unhook();
  }
}
