/**
 * Proof that the learned agents learn: PPO and DQN (CleanRL defaults, `agents/ppo.ts`, `agents/dqn.ts`)
 * on CartPole-v1, each trained for up to 500k env steps, then evaluated greedily over 100 episodes.
 * Pass: mean return ≥ 475 (the env's reward threshold; CleanRL reports 490.04 ± 6.12 for ppo.py and
 * 488.69 ± 16.11 for dqn.py).
 *
 *   npx tsx experiments/cartpole-proof.ts                      # both, 500k steps each, seed 1 (≈ 5–10 min)
 *   npx tsx experiments/cartpole-proof.ts --seed 2 --out results/cartpole/seed2   # another seed
 *   npx tsx experiments/cartpole-proof.ts --algos ppo --steps 200000 --out /tmp/cp
 *
 * Options: --algos ppo,dqn  --steps 500000  --seed 1  --eval-every 10000  --eval-episodes 100
 *          --stop-at none  --backend wasm  --out results/cartpole
 *
 * Protocol:
 * 1. Train with the algorithm's default Args (seed `--seed`) for the whole budget, as CleanRL does.
 *    Every `--eval-every` steps the greedy policy is evaluated on 100 episodes (env seeds 500000 …
 *    500099, the same at every checkpoint); these points are the evaluation curve, and the best of
 *    them is saved to `<out>/models/<algo>-best/` (SB3 EvalCallback style). `--stop-at <x>` stops
 *    training once a checkpoint scores ≥ x (off by default).
 * 2. The model at the end of training is saved to `<out>/models/<algo>/`.
 * 3. Final evaluation: both saved models are loaded through the agent-spec parser (`ppo:<dir>`, the
 *    path every CLI command uses) and run for 100 fresh greedy episodes (env seeds 1000000 … 1000099,
 *    never used for selection). Two verdicts, both recorded: `passFinalModel` (the model after the
 *    whole budget, no selection: the strict reading) and `passBestCheckpoint` (the checkpoint an
 *    early-stopping run would keep, "trained for up to N steps", re-evaluated on the fresh seeds).

 * Outputs in `<out>/`: `train_episodes.csv` (every training episode), `eval.csv` (every checkpoint
 * evaluation), `learning_curves.png` (+ `.svg`), `summary.json` (final figures, seeds, steps, wall
 * times, backend), `models/{ppo,dqn}/` (the evaluated models).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'csv-stringify/sync';
import '../env/index.js';
import { make } from '../env/core/registry.js';
import type { Env, Info } from '../env/core/env.js';
import type { Agent } from '../agents/agent.js';
import { DQN } from '../agents/dqn.js';
import { backendInfo, initBackend } from '../agents/nn/backend.js';
import { PPO } from '../agents/ppo.js';
import { parseAgentSpec } from '../agents/spec.js';
import { lineChartSpec, writeChart } from './plot/index.js';

const ENV_ID = 'CartPole-v1';
const THRESHOLD = 475;
const CHECKPOINT_SEED = 500_000;
const FINAL_SEED = 1_000_000;

const { values: opt } = parseArgs({
  options: {
    algos: { type: 'string', default: 'ppo,dqn' },
    steps: { type: 'string', default: '500000' },
    seed: { type: 'string', default: '1' },
    'eval-every': { type: 'string', default: '10000' },
    'eval-episodes': { type: 'string', default: '100' },
    'stop-at': { type: 'string', default: 'none' },
    backend: { type: 'string', default: 'wasm' },
    out: { type: 'string', default: 'results/cartpole' },
  },
});
const algos = opt.algos.split(',').map((a) => a.trim());
for (const a of algos) if (a !== 'ppo' && a !== 'dqn') throw new Error(`--algos: unknown algorithm ${JSON.stringify(a)} (ppo, dqn)`);
const steps = Number(opt.steps), seed = Number(opt.seed), evalEvery = Number(opt['eval-every']);
const evalEpisodes = Number(opt['eval-episodes']), stopAt = opt['stop-at'] === 'none' ? Infinity : Number(opt['stop-at']);
const out = opt.out;

interface EvalResult {
  mean: number;
  std: number;
  min: number;
  max: number;
  returns: number[];
}

/** Runs `episodes` greedy episodes with env seeds seedBase, seedBase + 1, …; population std (NumPy's default). */
function evaluate(act: (obs: unknown, info: Info) => number, episodes: number, seedBase: number, reset?: (s: number) => void): EvalResult {
  const env: Env<unknown, number> = make(ENV_ID);
  const returns: number[] = [];
  for (let k = 0; k < episodes; k++) {
    let { obs, info } = env.reset({ seed: seedBase + k });
    reset?.(seedBase + k);
    let ret = 0;
    for (;;) {
      const r = env.step(act(obs, info));
      ret += r.reward;
      if (r.terminated || r.truncated) break;
      obs = r.obs;
      info = r.info;
    }
    returns.push(ret);
  }
  env.close();
  const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
  const std = Math.sqrt(returns.reduce((a, b) => a + (b - mean) ** 2, 0) / returns.length);
  return { mean, std, min: Math.min(...returns), max: Math.max(...returns), returns };
}

const trainRows: { algo: string; global_step: number; episodic_return: number; episodic_length: number }[] = [];
const evalRows: { algo: string; global_step: number; mean_return: number; std_return: number; episodes: number; wall_s: number }[] = [];
const summary: Record<string, unknown> = {};

await initBackend(opt.backend);
mkdirSync(out, { recursive: true });

for (const algo of algos) {
  const modelDir = join(out, 'models', algo), bestDir = join(out, 'models', `${algo}-best`);
  const t0 = performance.now();
  const agent = algo === 'ppo' ? await PPO.create(ENV_ID, { seed, backend: opt.backend }) : await DQN.create(ENV_ID, { seed, backend: opt.backend });
  let nextEval = evalEvery, best = -Infinity, bestStep = -1, stoppedEarly = false, evalSeconds = 0;
  const onEpisode = (e: { globalStep: number; episodicReturn: number; episodicLength: number }): void => {
    trainRows.push({ algo, global_step: e.globalStep, episodic_return: e.episodicReturn, episodic_length: e.episodicLength });
  };
  const onUpdate = async (s: { globalStep: number }): Promise<boolean> => {
    if (s.globalStep < nextEval) return true;
    nextEval = (Math.floor(s.globalStep / evalEvery) + 1) * evalEvery;
    const te = performance.now();
    const r = evaluate((o, i) => agent.predict(o, i, true), evalEpisodes, CHECKPOINT_SEED);
    evalSeconds += (performance.now() - te) / 1000;
    const wall = (performance.now() - t0) / 1000;
    evalRows.push({ algo, global_step: s.globalStep, mean_return: r.mean, std_return: r.std, episodes: evalEpisodes, wall_s: Math.round(wall * 10) / 10 });
    const recent = trainRows.filter((x) => x.algo === algo).slice(-20);
    const trainMean = recent.reduce((a, x) => a + x.episodic_return, 0) / Math.max(1, recent.length);
    process.stdout.write(`${algo} step ${s.globalStep}: train(20 ep) ${trainMean.toFixed(1)}  eval(${evalEpisodes} ep) ${r.mean.toFixed(1)} ± ${r.std.toFixed(1)}  [${wall.toFixed(0)} s]\n`);
    if (r.mean > best) {
      best = r.mean;
      bestStep = s.globalStep;
      await agent.save(bestDir);
    }
    if (r.mean >= stopAt) {
      stoppedEarly = true;
      return false;
    }
    return true;
  };
  if (agent instanceof PPO) await agent.learn(steps, { onEpisode, onUpdate });
  else await agent.learn(steps, { onEpisode, onUpdate });
  const stepsTrained = agent.globalStep;
  await agent.save(modelDir);
  if (bestStep < 0) {
    // Budget below one evaluation interval: the final model is the only checkpoint.
    bestStep = stepsTrained;
    await agent.save(bestDir);
  }
  const trainWall = (performance.now() - t0) / 1000;
  const args = agent.args;
  agent.dispose();

  // Final evaluation through the agent-spec parser, on seeds never used for selection.
  const finalEval = async (dir: string): Promise<EvalResult> => {
    const probe = make(ENV_ID);
    const loaded: Agent<unknown, number> = await parseAgentSpec(`${algo}:${dir}`, { env: probe, backend: opt.backend });
    probe.close();
    return evaluate((o, i) => loaded.act(o, i), 100, FINAL_SEED, (s) => loaded.reset?.(s));
  };
  const fin = await finalEval(modelDir);
  const fb = await finalEval(bestDir);
  const wall = (performance.now() - t0) / 1000;
  const pass = fin.mean >= THRESHOLD, passBest = fb.mean >= THRESHOLD;
  const fmt = (r: EvalResult): string => `${r.mean.toFixed(2)} ± ${r.std.toFixed(2)} (min ${r.min}, max ${r.max})`;
  process.stdout.write(`${algo} FINAL model (step ${stepsTrained}), 100 fresh episodes: ${fmt(fin)} → ${pass ? 'PASS' : 'FAIL'} (≥ ${THRESHOLD})\n`);
  process.stdout.write(`${algo} best checkpoint (step ${bestStep}, ${best.toFixed(1)} at selection), 100 fresh episodes: ${fmt(fb)} → ${passBest ? 'PASS' : 'FAIL'}  [${wall.toFixed(0)} s]\n`);
  const evalJson = (r: EvalResult, dir: string) => ({ mean: r.mean, std: r.std, min: r.min, max: r.max, episodes: 100, envSeeds: [FINAL_SEED, FINAL_SEED + 99], agentSpec: `${algo}:${dir}` });
  summary[algo] = {
    passFinalModel: pass,
    passBestCheckpoint: passBest,
    finalModel: { globalStep: stepsTrained, eval: evalJson(fin, modelDir) },
    bestCheckpoint: { globalStep: bestStep, selectionEvalMean: best, selectionEnvSeeds: [CHECKPOINT_SEED, CHECKPOINT_SEED + evalEpisodes - 1], eval: evalJson(fb, bestDir) },
    stepsTrained,
    stepBudget: steps,
    stoppedEarly,
    trainingEpisodes: trainRows.filter((x) => x.algo === algo).length,
    wallTimeSeconds: { total: Math.round(wall * 10) / 10, trainingIncludingCheckpointEvals: Math.round(trainWall * 10) / 10, checkpointEvals: Math.round(evalSeconds * 10) / 10 },
    seed,
    args,
  };
}

// Outputs.
writeFileSync(join(out, 'train_episodes.csv'), stringify(trainRows, { header: true }));
writeFileSync(join(out, 'eval.csv'), stringify(evalRows, { header: true }));

const curveRows: Record<string, unknown>[] = [];
for (const algo of algos) {
  const rows = trainRows.filter((x) => x.algo === algo);
  const win: number[] = [];
  rows.forEach((r, i) => {
    win.push(r.episodic_return);
    if (win.length > 20) win.shift();
    if (i % 2 === 0 || i === rows.length - 1) curveRows.push({ step: r.global_step, return: win.reduce((a, b) => a + b, 0) / win.length, curve: `${algo.toUpperCase()} training (20-episode mean)` });
  });
}
const evalCurve = evalRows.map((r) => ({ step: r.global_step, return: r.mean_return, curve: `${r.algo.toUpperCase()} greedy eval (${r.episodes} episodes)` }));
const be = backendInfo();
await writeChart(
  lineChartSpec(
    [
      { rows: curveRows, x: 'step', y: 'return', color: 'curve', opacity: 0.9 },
      { rows: evalCurve, x: 'step', y: 'return', color: 'curve', points: true },
    ],
    {
      title: `${ENV_ID}: PPO and DQN (CleanRL defaults, seed ${seed}, tfjs ${be.backend})`,
      xTitle: 'environment steps', yTitle: 'episodic return', yDomain: [0, 520], width: 720, height: 340,
      rules: [{ y: THRESHOLD, label: `threshold ${THRESHOLD}` }],
      legend: 'bottom',
      colors: Object.fromEntries(algos.flatMap((a) => {
        const [light, dark] = a === 'ppo' ? ['#9ecae1', '#08519c'] : ['#fdae6b', '#a63603'];
        return [[`${a.toUpperCase()} training (20-episode mean)`, light], [`${a.toUpperCase()} greedy eval (${evalEpisodes} episodes)`, dark]];
      })),
    },
  ),
  join(out, 'learning_curves.png'),
  { svgPath: join(out, 'learning_curves.svg') },
);

const full = {
  env: make(ENV_ID).spec?.toJSON(),
  threshold: THRESHOLD,
  reference: { cleanrlPpo: '490.04 ± 6.12', cleanrlDqn: '488.69 ± 16.11' },
  protocol: 'train the step budget (stop early only at stopAt) with checkpoint evaluations every evalEvery steps (100 greedy episodes, fixed seeds); verdicts = 100 fresh greedy episodes (seeds never used for selection), loaded through the agent-spec parser, of the final model (passFinalModel) and of the best checkpoint (passBestCheckpoint)',
  evalEvery, stopAt: Number.isFinite(stopAt) ? stopAt : null,
  ...be,
  node: process.version,
  date: new Date().toISOString(),
  command: `npx tsx experiments/cartpole-proof.ts ${process.argv.slice(2).join(' ')}`.trim(),
  ...summary,
};
writeFileSync(join(out, 'summary.json'), JSON.stringify(full, null, 2) + '\n');
process.stdout.write(`wrote ${out}/{train_episodes.csv,eval.csv,learning_curves.png,learning_curves.svg,summary.json,models/}\n`);
