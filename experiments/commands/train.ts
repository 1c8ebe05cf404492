/**
 * `iocm-gym train --agent ppo|dqn --scenarios <s1,s2|family> --steps N --out <dir>`: trains a PPO or
 * DQN agent (`agents/ppo.ts`, `agents/dqn.ts`, CleanRL defaults) on the SideCore env and saves it into
 * `<dir>` (then usable as `ppo:<dir>` / `dqn:<dir>`). With several scenarios every training episode
 * runs one drawn from the list (`MultiScenarioEnv`, seeded), so all of them are trained on. `--args`
 * overrides Args of the algorithm (JSON). Writes `<dir>/training-curve.csv` (one row per finished
 * training episode: global_step, return, length) and `<dir>/training-curve.{png,svg}`; a progress bar
 * shows the steps.
 */
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../errors.js';
import { DEFAULT_ENV_ID, envSpecFor, expandScenarios, splitList } from '../envs.js';
import { ensureWritableDir, writeFileAtomic } from '../io.js';
import { multiScenarioSource } from '../multi-scenario.js';
import { progressBar } from '../progress.js';
import { positiveInt, nonNegativeInt, printJson } from './common.js';

interface TrainArgs { agent: string; scenarios: string; steps: number; out: string; seed: number; env: string; fidelity?: string; reward?: string; 'action-mode'?: string; history?: number; args?: string; plots: boolean; quiet: boolean; json: boolean }

/** `--args`: a JSON object whose keys are Args of the algorithm (the seed has its own flag). */
async function parseAlgoArgs(agent: string, text: string | undefined): Promise<Record<string, unknown>> {
  if (text === undefined) return {};
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--args: not JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new UsageError(`--args: expected a JSON object, got ${text}`);
  const defaults: object = agent === 'ppo' ? (await import('../../agents/ppo.js')).PPO_DEFAULTS : (await import('../../agents/dqn.js')).DQN_DEFAULTS;
  for (const k of Object.keys(v)) {
    if (k === 'seed') throw new UsageError('--args: give the seed with --seed');
    if (!(k in defaults)) throw new UsageError(`--args: ${agent} has no arg ${JSON.stringify(k)} (args: ${Object.keys(defaults).filter((x) => x !== 'seed').join(', ')})`);
  }
  return v as Record<string, unknown>;
}

export const trainCommand: CommandModule<object, TrainArgs> = {
  command: 'train',
  describe: 'Train a PPO or DQN agent on scenarios and save it (with its training curve)',
  builder: (y: Argv<object>) =>
    y
      .option('agent', { type: 'string', demandOption: true, choices: ['ppo', 'dqn'], describe: 'algorithm' })
      .option('scenarios', { type: 'string', default: 'paper', describe: 'comma-separated scenario names or paths, `all`, a shipped family `prefix*`, or a generated family `train`, `heldout`, `train:0-9`, `heldout:3`' })
      .option('steps', { type: 'number', demandOption: true, describe: 'env steps to train for' })
      .option('out', { type: 'string', demandOption: true, describe: 'model directory (e.g. results/models/ppo)' })
      .option('seed', { type: 'number', default: 1, describe: 'training seed' })
      .option('env', { type: 'string', default: DEFAULT_ENV_ID, describe: 'environment id' })
      .option('fidelity', { type: 'string', describe: 'SideCore tier: fast | detailed (default: the env\'s)' })
      .option('reward', { type: 'string', describe: 'SideCore reward: app | bpc | app-latency' })
      .option('action-mode', { type: 'string', describe: 'SideCore actions: delta (±1 I/O core) | absolute (the I/O-core count) (default: the env\'s, delta)' })
      .option('history', { type: 'number', describe: 'SideCore observation: statistics frames stacked (default: the env\'s, 1)' })
      .option('args', { type: 'string', describe: 'JSON object of algorithm Args overriding the CleanRL defaults, e.g. \'{"gamma":0.9}\' (keys of PpoArgs / DqnArgs)' })
      .option('plots', { type: 'boolean', default: true, describe: 'draw the training curve (--no-plots to skip)' })
      .option('quiet', { type: 'boolean', default: false, describe: 'no progress bar' })
      .option('json', { type: 'boolean', default: false, describe: 'print a JSON summary' }) as unknown as Argv<TrainArgs>,
  handler: async (argv) => {
    const steps = positiveInt(argv.steps, '--steps');
    const seed = nonNegativeInt(argv.seed, '--seed');
    const base: Record<string, unknown> = {};
    if (argv.fidelity !== undefined) base.fidelity = argv.fidelity;
    if (argv.reward !== undefined) base.reward = argv.reward;
    if (argv['action-mode'] !== undefined) base.actionMode = argv['action-mode'];
    if (argv.history !== undefined) base.history = positiveInt(argv.history, '--history');
    const algoArgs = await parseAlgoArgs(argv.agent, argv.args);
    const sideCore = argv.env.startsWith('SideCore-');
    const scenarios = sideCore ? expandScenarios(splitList(argv.scenarios)) : [undefined];
    const specs = scenarios.map((s) => envSpecFor(argv.env, s === undefined ? base : { ...base, scenario: s }));
    const out = ensureWritableDir(argv.out); // after the inputs are checked: a bad scenario leaves no empty folder
    const source = multiScenarioSource(specs);
    const episodes: { globalStep: number; episodicReturn: number; episodicLength: number }[] = [];
    const bar = progressBar(`train ${argv.agent}`, argv.quiet || argv.json);
    bar.start(steps);
    const t0 = performance.now();
    let model;
    const onEpisode = (e: { globalStep: number; episodicReturn: number; episodicLength: number }): void => { episodes.push(e); };
    const onUpdate = (s: { globalStep: number }): void => {
      const last = episodes.slice(-10);
      const mean = last.length ? last.reduce((a, e) => a + e.episodicReturn, 0) / last.length : NaN;
      bar.update(Math.min(s.globalStep, steps), { what: Number.isFinite(mean) ? `mean return (last 10 episodes) ${mean.toFixed(2)}` : '' });
    };
    try {
      if (argv.agent === 'ppo') {
        const { PPO } = await import('../../agents/ppo.js');
        const ppo = await PPO.create(source, { ...algoArgs, seed });
        await ppo.learn(steps, { onEpisode, onUpdate });
        model = ppo;
      } else {
        const { DQN } = await import('../../agents/dqn.js');
        const dqn = await DQN.create(source, { ...algoArgs, seed });
        await dqn.learn(steps, { onEpisode, onUpdate });
        model = dqn;
      }
    } catch (e) {
      bar.stop();
      if (e instanceof UsageError) throw e;
      throw new Error(`train: ${(e as Error).message.split('\n')[0]}`);
    }
    bar.update(steps);
    bar.stop();
    await model.save(out);
    const curve = stringify(episodes.map((e, i) => [i, e.globalStep, e.episodicReturn, e.episodicLength]), { header: true, columns: ['episode', 'global_step', 'return', 'length'] });
    writeFileAtomic(join(out, 'training-curve.csv'), curve);
    const files = [join(out, 'training-curve.csv')];
    if (argv.plots && episodes.length > 0) {
      const { writeFigure } = await import('../plots.js');
      const spec = {
        $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
        title: `${argv.agent.toUpperCase()} on ${scenarios.filter((s) => s !== undefined).join(', ') || argv.env}: episode return during training`,
        width: 560, height: 260, data: { values: episodes.map((e) => ({ step: e.globalStep, ret: e.episodicReturn })) },
        layer: [
          { mark: { type: 'point', size: 12, opacity: 0.4 }, encoding: { x: { field: 'step', type: 'quantitative', title: 'env steps' }, y: { field: 'ret', type: 'quantitative', title: 'episode return', scale: { zero: false } } } },
          { mark: { type: 'line', color: 'black' }, transform: [{ window: [{ op: 'mean', field: 'ret', as: 'avg' }], frame: [-9, 0] }], encoding: { x: { field: 'step', type: 'quantitative' }, y: { field: 'avg', type: 'quantitative' } } },
        ],
      };
      files.push(...(await writeFigure(spec as never, join(out, 'training-curve'))));
    }
    const wallS = (performance.now() - t0) / 1000;
    model.dispose();
    if (argv.json) return printJson({ agent: argv.agent, out, steps, episodes: episodes.length, wallS, files });
    process.stdout.write(`train: ${argv.agent} for ${steps} steps on ${specs.length} scenario(s) in ${wallS.toFixed(1)} s, ${episodes.length} episodes; saved ${out} (use it as ${argv.agent}:${argv.out}); wrote ${files.join(', ')}\n`);
  },
};
