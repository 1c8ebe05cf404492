/**
 * Regenerates the trained models the headline comparison (`iocm-gym paper`, `npm start`) picks up:
 * `results/models/ppo/` and `results/models/dqn/`, trained on the generated `train` scenario family
 * (train:0-49) of SideCore-v1 (fast tier, `app` reward, absolute actions), with fixed seeds.
 *
 *   npm run train-models                                                  # = npx tsx experiments/train-models.ts: both models
 *   npx tsx experiments/train-models.ts --algos dqn --out /tmp/models    # one model elsewhere
 *   npx tsx experiments/train-models.ts --ppo-steps 100000 --dqn-steps 50000 --out /tmp/m   # a quick smoke run
 *
 * Options: --algos ppo,dqn  --out results/models  --scenarios train  --validation train:50-59  --seed 1
 *          --ppo-steps / --dqn-steps (STEPS)  --ppo-eval-every / --dqn-eval-every (EVAL_EVERY)
 *          --action-mode absolute  --history 1
 *
 * Training scenarios (`--scenarios`, default the `train` family = train:0-49) are trained on; the
 * validation scenarios (train:50-59: the same family, never trained on) choose the checkpoint: every
 * EVAL_EVERY steps the greedy policy runs one episode (reset seed 0) of each, and the best so far is
 * saved as the model. `paper`, `mixed` and `heldout:*` are the test set: not used here at all.
 *
 * Each model directory gets: the tfjs networks and `agent.json` (Args, EnvSpec, spaces, backend, steps;
 * written by `PPO.save` / `DQN.save`), `training.json` (how it was trained: the command, the env kwargs,
 * every training and validation scenario, the Args, steps, seed, wall time, backend, the saved
 * checkpoint), `training-curve.csv` (one row per training episode: global step, scenario, return,
 * length, mean reward per step), `validation.csv` (one row per checkpoint) and
 * `training-curve.png/.svg` (mean reward per step, 20-episode moving average, validation points).
 *
 * Training uses `MultiScenarioEnv` (`experiments/multi-scenario.ts`): every episode of every sub-env
 * runs a scenario drawn from the list with the env's seeded generator, so the whole family is seen.
 *
 * Why these settings (docs/experiments.md, "Trained models", has the table of what was tried):
 * * absolute actions (Discrete(maxIoCores + 1)): the best count is a function of the workload, so a
 *   policy can jump to it in one step; delta actions need several steps per change.
 * * γ = 0.9 (CleanRL: 0.99): the reward lies in [0, 1] every epoch and a configuration's effect shows in
 *   the next epoch, so the horizon that matters is a few epochs (switching costs). With γ = 0.99 the
 *   returns are ≈ 75, and with value clipping (±0.2 per update) and Adam steps of ~lr the critic never
 *   catches up (explained variance stayed 0; PPO settled on static:2).
 * * PPO without value-loss clipping and with lr 1e-3: the same reason, faster critic.
 *
 * Determinism: the same options on the same tfjs backend (wasm, single-threaded) give bit-identical
 * weights (checked by training twice and comparing `weights.bin`; see docs/experiments.md).
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify/sync';
import '../env/index.js';
import { EnvSpec, make, type EnvSpecJSON } from '../env/core/registry.js';
import { DQN, type DqnArgs } from '../agents/dqn.js';
import { backendInfo } from '../agents/nn/backend.js';
import { PPO, type PpoArgs } from '../agents/ppo.js';
import { DEFAULT_ENV_ID, envSpecFor, expandScenarios, splitList } from './envs.js';
import { validate as greedyReturn } from './protocol/train.js';
import { makeDirs, writeFileAtomic } from './io.js';
import { replaceDir, tempModelDir } from './model-dir.js';
import { multiScenarioSource } from './multi-scenario.js';
import { lineChartSpec, writeChart } from './plot/index.js';

/** Env steps per model (the budget that fits ≈ 15 min per model on the shared 2-core machine). */
const STEPS = { ppo: 800_000, dqn: 300_000 } as const;

/** Args that differ from the CleanRL defaults in `agents/ppo.ts` / `agents/dqn.ts`. */
const PPO_ARGS: Partial<PpoArgs> = { gamma: 0.9, clipVloss: false, learningRate: 1e-3 };
const DQN_ARGS: Partial<DqnArgs> = { gamma: 0.9 };

/** Env steps between validation evaluations (checkpoints). */
const EVAL_EVERY = { ppo: 50_000, dqn: 25_000 } as const;

/** A bad flag: one line on stderr and exit code 2, as the CLI does. */
function fail(msg: string): never {
  process.stderr.write(`train-models: ${msg}\n`);
  process.exit(2);
}

/** `--name` as an integer ≥ min. */
function int(name: string, text: string, min: number): number {
  const v = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(v) || v < min) fail(`--${name} must be an integer ≥ ${min}, got ${JSON.stringify(text)}`);
  return v;
}

/** Runs `f`, turning its error into a one-line `fail`. */
function orFail<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    return fail((e as Error).message.split('\n')[0] ?? String(e));
  }
}

const { values: opt } = orFail(() => parseArgs({
  options: {
    algos: { type: 'string', default: 'ppo,dqn' },
    out: { type: 'string', default: 'results/models' },
    scenarios: { type: 'string', default: 'train' },
    seed: { type: 'string', default: '1' },
    'ppo-steps': { type: 'string', default: String(STEPS.ppo) },
    'dqn-steps': { type: 'string', default: String(STEPS.dqn) },
    'action-mode': { type: 'string', default: 'absolute' },
    history: { type: 'string', default: '1' },
    validation: { type: 'string', default: 'train:50-59' },
    'ppo-eval-every': { type: 'string', default: String(EVAL_EVERY.ppo) },
    'dqn-eval-every': { type: 'string', default: String(EVAL_EVERY.dqn) },
  },
}));

const algos = splitList(opt.algos);
for (const a of algos) if (a !== 'ppo' && a !== 'dqn') fail(`--algos: unknown algorithm ${JSON.stringify(a)} (ppo, dqn)`);
const seed = int('seed', opt.seed, 0);
const history = int('history', opt.history, 1);
const budgets = { ppo: int('ppo-steps', opt['ppo-steps'], 1), dqn: int('dqn-steps', opt['dqn-steps'], 1) };
const evalEvery = { ppo: int('ppo-eval-every', opt['ppo-eval-every'], 1), dqn: int('dqn-eval-every', opt['dqn-eval-every'], 1) };
const actionMode = opt['action-mode'];
if (actionMode !== 'absolute' && actionMode !== 'delta') fail(`--action-mode: absolute or delta, got ${JSON.stringify(actionMode)}`);
const envKwargs = { fidelity: 'fast', reward: 'app', actionMode, history };
const scenarios = orFail(() => expandScenarios(splitList(opt.scenarios)));
const specs = orFail(() => scenarios.map((s) => envSpecFor(DEFAULT_ENV_ID, { ...envKwargs, scenario: s })));
const validation = orFail(() => expandScenarios(splitList(opt.validation)));
for (const v of validation) if (scenarios.includes(v)) fail(`--validation: ${v} is also a training scenario`);
const valSpecs = orFail(() => validation.map((s) => envSpecFor(DEFAULT_ENV_ID, { ...envKwargs, scenario: s })));
const command = `npx tsx experiments/train-models.ts ${process.argv.slice(2).join(' ')}`.trim();

/** Greedy return of one episode (reset seed 0) in each validation scenario; their sum. */
const validate = (model: PPO | DQN): number => greedyReturn(model, valSpecs);

for (const algo of algos) {
  const steps = budgets[algo as 'ppo' | 'dqn'];
  // Built in a temporary sibling folder and renamed over <out>/<algo> when complete (model-dir.ts):
  // an interrupted regeneration leaves the committed model as it was.
  const finalDir = join(opt.out, algo);
  makeDirs(opt.out);
  const dir = tempModelDir(resolve(finalDir));
  const rows: { episode: number; global_step: number; scenario: string; return: number; length: number; mean_reward: number }[] = [];
  // Each finished episode's scenario: the env reports it when the episode ends, in the same order as
  // the learner's onEpisode calls (sub-envs step in order, and their episodes are logged in order).
  const ended: string[] = [];
  const t0 = performance.now();
  let lastPrint = t0;
  const onEpisode = (e: { globalStep: number; episodicReturn: number; episodicLength: number }): void => {
    rows.push({ episode: rows.length, global_step: e.globalStep, scenario: ended.shift() ?? (scenarios.length === 1 ? scenarios[0]! : ''), return: e.episodicReturn, length: e.episodicLength, mean_reward: e.episodicReturn / e.episodicLength });
    const now = performance.now();
    if (now - lastPrint > 30_000) {
      lastPrint = now;
      const last = rows.slice(-20);
      const m = last.reduce((a, r) => a + r.mean_reward, 0) / last.length;
      process.stdout.write(`${algo} step ${e.globalStep}/${steps}: mean reward per step (last 20 episodes) ${m.toFixed(4)} [${((now - t0) / 1000).toFixed(0)} s]\n`);
    }
  };
  const source = multiScenarioSource(specs, (name) => ended.push(name));
  const model = algo === 'ppo' ? await PPO.create(source, { ...PPO_ARGS, seed }) : await DQN.create(source, { ...DQN_ARGS, seed });
  // Checkpoints: every evalEvery steps the greedy policy is scored on the validation scenarios (train
  // members not trained on); the best so far is saved as the model (SB3 EvalCallback style).
  const evalEveryAlgo: number = evalEvery[algo as 'ppo' | 'dqn'];
  const valRows: { global_step: number; validation_return: number; validation_mean_reward: number; best: number; wall_s: number }[] = [];
  const valSteps = valSpecs.reduce((a, s) => a + stepsOf(s), 0);
  let nextEval = evalEveryAlgo, best = -Infinity, bestStep = -1, evalS = 0;
  const checkpoint = async (globalStep: number): Promise<void> => {
    const te = performance.now();
    const v = validate(model);
    const isBest = v > best;
    if (isBest) {
      best = v;
      bestStep = globalStep;
      await model.save(dir);
    }
    evalS += (performance.now() - te) / 1000;
    valRows.push({ global_step: globalStep, validation_return: v, validation_mean_reward: v / valSteps, best: isBest ? 1 : 0, wall_s: Math.round((performance.now() - t0) / 100) / 10 });
    process.stdout.write(`${algo} step ${globalStep}: validation mean reward per step ${(v / valSteps).toFixed(4)}${isBest ? ' (best so far, saved)' : ''}\n`);
  };
  const onUpdate = async (s: { globalStep: number }): Promise<void> => {
    if (s.globalStep < nextEval) return;
    nextEval = (Math.floor(s.globalStep / evalEveryAlgo) + 1) * evalEveryAlgo;
    await checkpoint(s.globalStep);
  };
  if (model instanceof PPO) await model.learn(steps, { onEpisode, onUpdate });
  else await model.learn(steps, { onEpisode, onUpdate });
  if (valRows.at(-1)?.global_step !== model.globalStep) await checkpoint(model.globalStep); // the final model
  const finalValidation = valRows.at(-1)!.validation_return;
  const wallS = (performance.now() - t0) / 1000;
  writeFileAtomic(join(dir, 'validation.csv'), stringify(valRows, { header: true }));
  writeFileAtomic(join(dir, 'training-curve.csv'), stringify(rows, { header: true, columns: ['episode', 'global_step', 'scenario', 'return', 'length', 'mean_reward'] }));
  const win: number[] = [];
  const curve = rows.map((r) => {
    win.push(r.mean_reward);
    if (win.length > 20) win.shift();
    return { step: r.global_step, reward: win.reduce((a, b) => a + b, 0) / win.length, series: '20-episode mean' };
  });
  const points = rows.map((r) => ({ step: r.global_step, reward: r.mean_reward, series: 'episode' }));
  await writeChart(
    lineChartSpec(
      [
        { rows: points, x: 'step', y: 'reward', color: 'series', opacity: 0.25 },
        { rows: curve, x: 'step', y: 'reward', color: 'series' },
        { rows: valRows.map((r) => ({ step: r.global_step, reward: r.validation_mean_reward, series: `validation (${validation.length} scenarios, greedy)` })), x: 'step', y: 'reward', color: 'series', points: true },
      ],
      { title: `${algo.toUpperCase()} on SideCore-v1 (${opt.scenarios}, ${scenarios.length} scenarios): mean reward per step (training episodes; greedy validation checkpoints)`, xTitle: 'env steps', yTitle: 'mean reward per step', width: 560, height: 260, legend: 'bottom' },
    ),
    join(dir, 'training-curve.png'),
    { svgPath: join(dir, 'training-curve.svg') },
  );
  writeFileAtomic(join(dir, 'training.json'), JSON.stringify({
    command, algo, seed, steps: model.globalStep, stepBudget: steps, wallSeconds: Math.round(wallS * 10) / 10, validationSeconds: Math.round(evalS * 10) / 10, episodes: rows.length,
    env: DEFAULT_ENV_ID, envKwargs, scenarioArg: opt.scenarios, scenarios,
    validation: { scenarios: validation, resetSeed: 0, evalEvery: evalEveryAlgo, savedCheckpointStep: bestStep, savedCheckpointReturn: best, finalModelReturn: finalValidation, steps: valSteps },
    args: model.args, ...backendInfo(),
  }, null, 2) + '\n');
  replaceDir(dir, resolve(finalDir));
  process.stdout.write(`${algo}: ${model.globalStep} steps on ${scenarios.length} scenarios in ${wallS.toFixed(0)} s, ${rows.length} episodes; saved the checkpoint of step ${bestStep} (best validation return ${best.toFixed(2)}; final model ${finalValidation.toFixed(2)}) to ${finalDir} (use it as ${algo}:${finalDir})\n`);
  model.dispose();
}


/** Steps in one episode of a SideCore spec. */
function stepsOf(spec: EnvSpecJSON): number {
  const env = make(EnvSpec.fromJSON(spec));
  const n = (env.unwrapped as unknown as { episodeSteps: number }).episodeSteps;
  env.close();
  return n;
}
