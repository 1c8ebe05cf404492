/**
 * One `iocm-gym train` run, new or resumed: build the envs, train, write the model folder atomically
 * (`model-dir.ts`), and on Ctrl-C (SIGINT/SIGTERM) stop at the next update, save a checkpoint into the
 * output folder and say how to continue (`train --resume <dir>`).
 *
 * The checkpoint (`agents/nn/learner.ts`) holds the weights, the optimizer, the step counters, the
 * generator and the env actions so far (DQN: also its replay buffer and target network); its `extra`
 * JSON holds the run's options (`TrainPlan`) and the training curve so far, so `--resume` needs no other
 * flag. A resumed run ends with the same model as a run never interrupted.
 */
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { EpisodeLog } from '../agents/nn/learner.js';
import type { TrainingRecord } from '../agents/nn/saved.js';
import type { DQN } from '../agents/dqn.js';
import type { PPO } from '../agents/ppo.js';
import { UsageError } from './errors.js';
import { envSpecFor } from './envs.js';
import { onInterrupt, writeFileAtomic } from './io.js';
import { replaceDir, tempModelDir } from './model-dir.js';
import { multiScenarioSource } from './multi-scenario.js';
import { progressBar } from './progress.js';

/** Everything a run needs; saved in the checkpoint so that `--resume` rebuilds the same run. */
export interface TrainPlan {
  agent: 'ppo' | 'dqn';
  env: string;
  /** Scenario names (empty for an env without scenarios). */
  scenarios: string[];
  /** Env kwargs given on the command line (fidelity, reward, actionMode, history). */
  envKwargs: Record<string, unknown>;
  seed: number;
  /** Env steps the user asked for. */
  requestedSteps: number;
  /** Env steps the run takes (PPO: rounded up to whole rollouts). */
  steps: number;
  /** Algorithm Args given with --args. */
  algoArgs: Record<string, unknown>;
  plots: boolean;
}

interface CheckpointExtra {
  plan: TrainPlan;
  episodes: EpisodeLog[];
}

export interface TrainOutput {
  quiet: boolean;
  json: boolean;
}

export interface TrainResult {
  out: string;
  episodes: number;
  wallS: number;
  files: string[];
  training: TrainingRecord;
  interrupted: boolean;
}

function specsOf(plan: TrainPlan): ReturnType<typeof envSpecFor>[] {
  return plan.scenarios.length ? plan.scenarios.map((s) => envSpecFor(plan.env, { ...plan.envKwargs, scenario: s })) : [envSpecFor(plan.env, plan.envKwargs)];
}

/** Checks a plan read back from a checkpoint (it went through JSON and a user's disk). */
export function checkPlan(x: unknown, dir: string): TrainPlan {
  const p = x as Partial<TrainPlan> | null;
  const ok = !!p && (p.agent === 'ppo' || p.agent === 'dqn') && typeof p.env === 'string' && Array.isArray(p.scenarios) && p.scenarios.every((s) => typeof s === 'string')
    && !!p.envKwargs && typeof p.envKwargs === 'object' && Number.isSafeInteger(p.seed) && Number.isSafeInteger(p.steps) && Number.isSafeInteger(p.requestedSteps)
    && !!p.algoArgs && typeof p.algoArgs === 'object' && typeof p.plots === 'boolean';
  if (!ok) throw new UsageError(`--resume ${dir}: the checkpoint's run options are missing or corrupt`);
  return p as TrainPlan;
}

/**
 * Trains `plan` into `out` (absolute): a new run, or, with `resumeFrom`, the interrupted run whose
 * checkpoint is in that folder (then `out` is the same folder).
 */
export async function runTraining(plan: TrainPlan, out: string, o: TrainOutput, resumeFrom?: { dir: string; episodes: EpisodeLog[] }): Promise<TrainResult> {
  // Ctrl-C handling from the start: the hook asks the learner to stop at its next update and waits
  // until the checkpoint is written (io.ts then removes temporary files and exits 130).
  let stopRequested = false, working = false;
  let settle: () => void = () => {};
  const settled = new Promise<void>((r) => { settle = r; });
  const bar = progressBar(`train ${plan.agent}`, o.quiet || o.json);
  const removeHook = onInterrupt(async () => {
    stopRequested = true;
    bar.stop();
    if (process.stderr.isTTY) process.stderr.write('\x1b[?25h\x1b[?7h'); // cursor on, line wrap on
    if (working) await settled;
  });
  try {
    return await train(plan, out, o, resumeFrom, bar, () => stopRequested, (w) => { working = w; });
  } finally {
    settle();
    removeHook();
  }
}

async function train(
  plan: TrainPlan, out: string, o: TrainOutput, resumeFrom: { dir: string; episodes: EpisodeLog[] } | undefined,
  bar: ReturnType<typeof progressBar>, stopRequested: () => boolean, setWorking: (w: boolean) => void,
): Promise<TrainResult> {
  const source = multiScenarioSource(specsOf(plan));
  const episodes: EpisodeLog[] = resumeFrom ? [...resumeFrom.episodes] : [];
  const t0 = performance.now();
  setWorking(true);
  let model: PPO | DQN;
  try {
    if (plan.agent === 'ppo') {
      const { PPO } = await import('../agents/ppo.js');
      model = resumeFrom ? await PPO.load(resumeFrom.dir, { env: source }) : await PPO.create(source, { ...plan.algoArgs, seed: plan.seed });
    } else {
      const { DQN } = await import('../agents/dqn.js');
      model = resumeFrom ? await DQN.load(resumeFrom.dir, { env: source }) : await DQN.create(source, { ...plan.algoArgs, seed: plan.seed });
    }
    if (resumeFrom) await model.restoreCheckpoint(resumeFrom.dir);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`${resumeFrom ? `--resume ${resumeFrom.dir}` : 'train'}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!o.quiet && !o.json) {
    const from = resumeFrom ? `resuming at step ${model.globalStep} of ${plan.steps}` : `${plan.steps} steps`;
    process.stderr.write(`train: ${plan.agent} ${from}; Ctrl-C saves a checkpoint (continue with: iocm-gym train --resume ${out})\n`);
  }
  bar.start(plan.steps, model.globalStep);
  const onEpisode = (e: EpisodeLog): void => { episodes.push(e); };
  const onUpdate = async (s: { globalStep: number }): Promise<boolean> => {
    const last = episodes.slice(-10);
    const mean = last.length ? last.reduce((a, e) => a + e.episodicReturn, 0) / last.length : NaN;
    bar.update(Math.min(s.globalStep, plan.steps), { what: Number.isFinite(mean) ? `mean return (last 10 episodes) ${mean.toFixed(2)}` : '' });
    // Let a pending SIGINT/SIGTERM be handled here, between two updates, where the state is consistent.
    await new Promise((r) => setImmediate(r));
    return !stopRequested();
  };
  try {
    if (model.algo === 'ppo') {
      const ppo = model as PPO;
      if (resumeFrom) await ppo.resumeLearning({ onEpisode, onUpdate });
      else await ppo.learn(plan.steps, { onEpisode, onUpdate });
    } else {
      const dqn = model as DQN;
      if (resumeFrom) await dqn.resumeLearning({ onEpisode, onUpdate });
      else await dqn.learn(plan.steps, { onEpisode, onUpdate });
    }
  } catch (e) {
    bar.stop();
    model.dispose();
    if (e instanceof UsageError) throw e;
    throw new Error(`train: ${(e as Error).message.split('\n')[0]}`);
  }
  bar.stop();
  const interrupted = model.runInProgress;
  const tmp = tempModelDir(out);
  const curve = stringify(episodes.map((e, i) => [i, e.globalStep, e.episodicReturn, e.episodicLength]), { header: true, columns: ['episode', 'global_step', 'return', 'length'] });
  writeFileAtomic(join(tmp, 'training-curve.csv'), curve);
  const files = [join(out, 'training-curve.csv')];
  if (interrupted) {
    const extra: CheckpointExtra = { plan, episodes };
    await model.saveCheckpoint(tmp, extra);
  } else {
    await model.save(tmp);
    if (plan.plots && episodes.length > 0) {
      const { writeFigure } = await import('./plots.js');
      const names = plan.scenarios.length > 3 ? `${plan.scenarios.length} scenarios (${plan.scenarios.slice(0, 2).join(', ')}, …)` : plan.scenarios.join(', ') || plan.env;
      const spec = {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: `${plan.agent.toUpperCase()} on ${names}: episode return during training`,
        width: 560, height: 260, data: { values: episodes.map((e) => ({ step: e.globalStep, ret: e.episodicReturn })) },
        layer: [
          { mark: { type: 'point', size: 12, opacity: 0.4 }, encoding: { x: { field: 'step', type: 'quantitative', title: 'env steps' }, y: { field: 'ret', type: 'quantitative', title: 'episode return', scale: { zero: false } } } },
          { mark: { type: 'line', color: 'black' }, transform: [{ window: [{ op: 'mean', field: 'ret', as: 'avg' }], frame: [-9, 0] }], encoding: { x: { field: 'step', type: 'quantitative' }, y: { field: 'avg', type: 'quantitative' } } },
        ],
      };
      const written = await writeFigure(spec as never, join(tmp, 'training-curve'));
      files.push(...written.map((f) => join(out, f.slice(tmp.length + 1))));
    }
  }
  replaceDir(tmp, out);
  const training = { ...model.training };
  model.dispose();
  setWorking(false);
  const wallS = (performance.now() - t0) / 1000;
  if (interrupted) {
    process.stderr.write(`train: interrupted at step ${training.steps} of ${plan.steps}; checkpoint saved in ${out}; continue with: iocm-gym train --resume ${out}\n`);
    process.exitCode = 130;
  }
  return { out, episodes: episodes.length, wallS, files, training, interrupted };
}

/** The plan and curve saved in a checkpoint's `extra`. */
export function checkpointExtra(extra: unknown, dir: string): CheckpointExtra {
  const e = extra as Partial<CheckpointExtra> | null;
  const plan = checkPlan(e?.plan, dir);
  if (!Array.isArray(e?.episodes)) throw new UsageError(`--resume ${dir}: the checkpoint's training curve is missing`);
  return { plan, episodes: e.episodes };
}
