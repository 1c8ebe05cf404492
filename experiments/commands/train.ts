/**
 * `iocm-gym train --agent ppo|dqn --scenarios <s1,s2|family> --steps N --out <dir>`: trains a PPO or
 * DQN agent (`agents/ppo.ts`, `agents/dqn.ts`, CleanRL defaults) on the SideCore env and saves it into
 * `<dir>` (then usable as `ppo:<dir>` / `dqn:<dir>`). With several scenarios every training episode
 * runs one drawn from the list (`MultiScenarioEnv`, seeded), so all of them are trained on. `--args`
 * overrides Args of the algorithm (JSON). Writes `<dir>/training-curve.csv` (one row per finished
 * training episode: global_step, return, length) and `<dir>/training-curve.{png,svg}`; a progress bar
 * shows the steps. The run itself (atomic model folder, Ctrl-C checkpoint, `--resume`) is in
 * `../train-run.ts`.
 */
import { resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../errors.js';
import { DEFAULT_ENV_ID, envSpecFor, expandScenarios, splitList } from '../envs.js';
import { checkModelOut, holdsCheckpoint } from '../model-dir.js';
import { checkpointExtra, runTraining, type TrainPlan } from '../train-run.js';
import { positiveInt, nonNegativeInt, printJson } from './common.js';

interface TrainArgs { agent?: string; scenarios?: string; steps?: number; out?: string; seed?: number; env?: string; fidelity?: string; reward?: string; 'action-mode'?: string; history?: number; args?: string; force: boolean; resume?: string; plots: boolean; quiet: boolean; json: boolean }

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

/**
 * The steps a run takes: PPO trains in whole rollouts (numEnvs × numSteps), so `--steps` is rounded up
 * to a multiple, with a note; DQN refuses a run that would end before its first gradient step.
 */
async function plannedSteps(agent: 'ppo' | 'dqn', steps: number, algoArgs: Record<string, unknown>, quiet: boolean): Promise<number> {
  if (agent === 'ppo') {
    const { PPO_DEFAULTS } = await import('../../agents/ppo.js');
    const a = { ...PPO_DEFAULTS, ...algoArgs };
    const batch = a.numEnvs * a.numSteps;
    if (!Number.isSafeInteger(batch) || batch < 1) return steps; // PPO.create names the bad Arg
    const planned = Math.ceil(steps / batch) * batch;
    if (planned !== steps && !quiet) process.stderr.write(`train: --steps ${steps} rounded up to ${planned}: PPO trains in whole rollouts of numEnvs × numSteps = ${a.numEnvs} × ${a.numSteps} = ${batch} steps\n`);
    return planned;
  }
  const { DQN_DEFAULTS, dqnGradientSteps } = await import('../../agents/dqn.js');
  const a = { ...DQN_DEFAULTS, ...algoArgs };
  if (Number.isSafeInteger(a.learningStarts) && Number.isSafeInteger(a.trainFrequency) && a.trainFrequency > 0 && dqnGradientSteps(a, steps) === 0) {
    const first = (Math.floor(a.learningStarts / a.trainFrequency) + 1) * a.trainFrequency;
    throw new UsageError(`--steps ${steps}: DQN would take no gradient step (learningStarts = ${a.learningStarts}, trainFrequency = ${a.trainFrequency}: the first is at step ${first}); give --steps ${first + 1} or more, or lower learningStarts with --args`);
  }
  return steps;
}

/** Flags that define a run: `--resume` takes them from the checkpoint instead. */
const RUN_FLAGS = ['agent', 'scenarios', 'steps', 'out', 'seed', 'env', 'fidelity', 'reward', 'action-mode', 'history', 'args', 'force'] as const;

export const trainCommand: CommandModule<object, TrainArgs> = {
  command: 'train',
  describe: 'Train a PPO or DQN agent on scenarios and save it (with its training curve); Ctrl-C saves a checkpoint, --resume continues it',
  builder: (y: Argv<object>) =>
    y
      .option('agent', { type: 'string', choices: ['ppo', 'dqn'], describe: 'algorithm (required unless --resume)' })
      .option('scenarios', { type: 'string', describe: 'comma-separated scenario names or paths, `all`, a shipped family `prefix*`, or a generated family `train`, `heldout`, `train:0-9`, `heldout:3` (default: paper)' })
      .option('steps', { type: 'number', describe: 'env steps to train for (required unless --resume; PPO rounds up to whole rollouts of 512 steps)' })
      .option('out', { type: 'string', describe: 'model directory: a new or empty folder, e.g. models/ppo-run1 (required unless --resume)' })
      .option('force', { type: 'boolean', default: false, describe: 'replace the contents of a non-empty --out' })
      .option('resume', { type: 'string', describe: 'continue the interrupted run whose checkpoint is in this folder (with its own options)' })
      .option('seed', { type: 'number', describe: 'training seed (default 1)' })
      .option('env', { type: 'string', describe: `environment id (default ${DEFAULT_ENV_ID})` })
      .option('fidelity', { type: 'string', describe: 'SideCore tier: fast | detailed (default: the env\'s)' })
      .option('reward', { type: 'string', describe: 'SideCore reward: app | bpc | app-latency' })
      .option('action-mode', { type: 'string', describe: 'SideCore actions: delta (±1 I/O core) | absolute (the I/O-core count) (default: the env\'s, delta)' })
      .option('history', { type: 'number', describe: 'SideCore observation: statistics frames stacked (default: the env\'s, 1)' })
      .option('args', { type: 'string', describe: 'JSON object of algorithm Args overriding the CleanRL defaults, e.g. \'{"gamma":0.9}\' (keys of PpoArgs / DqnArgs)' })
      .option('plots', { type: 'boolean', default: true, describe: 'draw the training curve (--no-plots to skip)' })
      .option('quiet', { type: 'boolean', default: false, describe: 'no progress bar' })
      .option('json', { type: 'boolean', default: false, describe: 'print a JSON summary' }) as unknown as Argv<TrainArgs>,
  handler: async (argv) => {
    let plan: TrainPlan, out: string, resumeFrom: Parameters<typeof runTraining>[3];
    if (argv.resume !== undefined) {
      const given = RUN_FLAGS.filter((f) => f === 'force' ? argv.force : argv[f] !== undefined);
      if (given.length) throw new UsageError(`--resume continues the interrupted run with its own options; drop ${given.map((f) => `--${f}`).join(', ')}`);
      const dir = argv.resume;
      if (!holdsCheckpoint(dir)) throw new UsageError(`--resume ${dir}: no interrupted training run there (no checkpoint/state.json)`);
      const { readCheckpointInfo } = await import('../../agents/nn/learner.js');
      let info;
      try {
        info = readCheckpointInfo(dir);
      } catch (e) {
        throw new UsageError(`--resume ${dir}: ${(e as Error).message.split('\n')[0]}`);
      }
      const extra = checkpointExtra(info.extra, dir);
      plan = { ...extra.plan, plots: argv.plots && extra.plan.plots };
      out = resolve(dir);
      resumeFrom = { dir, episodes: extra.episodes };
    } else {
      if (argv.agent === undefined || argv.steps === undefined || argv.out === undefined) throw new UsageError('train needs --agent, --steps and --out (or --resume <dir> to continue an interrupted run)');
      const agent = argv.agent as 'ppo' | 'dqn';
      const steps = positiveInt(argv.steps, '--steps');
      const seed = nonNegativeInt(argv.seed ?? 1, '--seed');
      const envKwargs: Record<string, unknown> = {};
      if (argv.fidelity !== undefined) envKwargs.fidelity = argv.fidelity;
      if (argv.reward !== undefined) envKwargs.reward = argv.reward;
      if (argv['action-mode'] !== undefined) envKwargs.actionMode = argv['action-mode'];
      if (argv.history !== undefined) envKwargs.history = positiveInt(argv.history, '--history');
      const algoArgs = await parseAlgoArgs(agent, argv.args);
      const env = argv.env ?? DEFAULT_ENV_ID;
      const scenarios = env.startsWith('SideCore-') ? expandScenarios(splitList(argv.scenarios ?? 'paper')) : [];
      // Validates the env id and kwargs of every scenario before anything is written.
      for (const s of scenarios.length ? scenarios : [undefined]) envSpecFor(env, s === undefined ? envKwargs : { ...envKwargs, scenario: s });
      out = checkModelOut(argv.out, argv.force);
      const planned = await plannedSteps(agent, steps, algoArgs, argv.quiet || argv.json);
      plan = { agent, env, scenarios, envKwargs, seed, requestedSteps: steps, steps: planned, algoArgs, plots: argv.plots };
    }
    const r = await runTraining(plan, out, { quiet: argv.quiet, json: argv.json }, resumeFrom);
    const shown = argv.resume ?? argv.out!;
    if (argv.json) return printJson({ agent: plan.agent, out: r.out, requestedSteps: plan.requestedSteps, steps: plan.steps, training: r.training, interrupted: r.interrupted, episodes: r.episodes, wallS: r.wallS, files: r.files });
    if (r.interrupted) return;
    const t = r.training;
    process.stdout.write(`train: ${plan.agent} for ${t.steps} steps (${t.updates} update(s), ${t.gradientSteps} gradient step(s)) on ${plan.scenarios.length || 1} scenario(s) in ${r.wallS.toFixed(1)} s, ${r.episodes} episodes; saved ${r.out} (use it as ${plan.agent}:${shown}); wrote ${r.files.join(', ')}\n`);
  },
};
