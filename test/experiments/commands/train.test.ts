/**
 * `iocm-gym train` as a user meets it: the output folder is never mixed with another run, the steps
 * actually trained are the ones announced and recorded, a non-finite model is refused, and Ctrl-C saves
 * a checkpoint from which `--resume` ends with the same model as a run never interrupted.
 */
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { trainCommand } from '../../../experiments/commands/train.js';
import { tempDir } from '../../temp-dirs.js';
import { expectUsageError, runCli } from '../run-cli.js';

const cliFixture = fileURLToPath(new URL('../fixtures/cli.ts', import.meta.url));
const modelsDir = fileURLToPath(new URL('../../../results/models', import.meta.url));
const CARTPOLE = ['--env', 'CartPole-v1', '--quiet', '--no-plots'];
const agentJson = (dir: string): { args: Record<string, unknown>; training: Record<string, unknown> } => JSON.parse(readFileSync(join(dir, 'agent.json'), 'utf8'));

describe('train --out', () => {
  it('refuses a non-empty folder unless --force, and --force leaves nothing of the old contents', async () => {
    const out = join(tempDir('train-out-'), 'model');
    mkdirSync(join(out, 'q'), { recursive: true });
    writeFileSync(join(out, 'q', 'model.json'), '{}');
    await expectUsageError(['train', '--agent', 'ppo', '--steps', '512', '--out', out, ...CARTPOLE], /--out .* is not empty: give a new or empty folder, or --force/);
    expect(readdirSync(out)).toEqual(['q']);
    const r = await runCli(['train', '--agent', 'ppo', '--steps', '512', '--out', out, '--force', ...CARTPOLE]);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['actor', 'agent.json', 'critic', 'training-curve.csv']);
    // Built beside the target and renamed into place: no temporary folder is left.
    expect(readdirSync(join(out, '..'))).toEqual(['model']);
  });

  it('points a folder holding an interrupted run to --resume, and --resume refuses a finished model', async () => {
    const out = join(tempDir('train-ckpt-'), 'm');
    mkdirSync(join(out, 'checkpoint'), { recursive: true });
    writeFileSync(join(out, 'checkpoint', 'state.json'), '{}');
    await expectUsageError(['train', '--agent', 'dqn', '--steps', '20000', '--out', out, ...CARTPOLE], /holds an interrupted training run: continue it with `iocm-gym train --resume/);
    await expectUsageError(['train', '--resume', join(modelsDir, 'ppo')], /no interrupted training run there/);
    await expectUsageError(['train', '--resume', out, '--steps', '5'], /--resume continues the interrupted run with its own options; drop --steps/);
    await expectUsageError(['train', '--agent', 'ppo', '--out', out], /train needs --agent, --steps and --out/);
  });

  it('--help does not suggest the model `npm start` uses as --out', async () => {
    // The CLI's yargs exits the process after --help: read the help of a parser with exitProcess(false).
    const parser = yargs(['train', '--help']).exitProcess(false).command(trainCommand);
    const help = await new Promise<string>((resolve) => { void parser.parse(['train', '--help'], (_e: unknown, _a: unknown, output: string) => resolve(output)); });
    expect(help).toMatch(/--out/);
    expect(help).toMatch(/--resume/);
    expect(help).not.toMatch(/results\/models/);
  });
});

describe('train --steps says what it trains', () => {
  it('PPO rounds a budget below one rollout up to 512 steps, says so, and records what it did', async () => {
    const out = join(tempDir('train-ppo-'), 'm');
    const r = await runCli(['train', '--agent', 'ppo', '--steps', '100', '--out', out, '--env', 'CartPole-v1', '--no-plots']);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/--steps 100 rounded up to 512: PPO trains in whole rollouts of numEnvs × numSteps = 4 × 128 = 512 steps/);
    const j = agentJson(out);
    // One rollout, one update of 4 epochs × 4 minibatches.
    expect(j.training).toEqual({ requestedSteps: 512, steps: 512, updates: 1, gradientSteps: 16, complete: true });
    expect(j.args.totalTimesteps).toBe(512);
  });

  it('PPO rounds 5000 up to 5120 (10 rollouts), not down to 4608', async () => {
    const out = join(tempDir('train-ppo2-'), 'm');
    const r = await runCli(['train', '--agent', 'ppo', '--steps', '5000', '--out', out, '--json', ...CARTPOLE, '--args', '{"updateEpochs":1}']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ requestedSteps: 5000, steps: 5120, training: { steps: 5120, updates: 10, gradientSteps: 40, complete: true } });
  });

  it('DQN refuses a budget that ends before its first gradient step', async () => {
    const out = join(tempDir('train-dqn-'), 'm');
    // Defaults: learningStarts 10000, trainFrequency 10: the first gradient step is at step index 10010.
    await expectUsageError(['train', '--agent', 'dqn', '--steps', '5000', '--out', out, ...CARTPOLE], /--steps 5000: DQN would take no gradient step .* give --steps 10011 or more/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('a model with non-finite weights', () => {
  it('is refused when an agent spec loads it: one line, exit 2, nothing written', async () => {
    const dir = tempDir('nan-model-');
    const model = join(dir, 'ppo');
    cpSync(join(modelsDir, 'ppo'), model, { recursive: true });
    const w = readFileSync(join(model, 'actor', 'weights.bin'));
    w.writeFloatLE(Number.NaN, 40);
    writeFileSync(join(model, 'actor', 'weights.bin'), w);
    const out = join(dir, 'ev');
    await expectUsageError(['evaluate', '--agents', `ppo:${model}`, '--scenarios', 'paper', '--seeds', '1', '--max-steps', '2', '--oracle', 'none', '--out', out, '--workers', '1', '--quiet'],
      /corrupt actor network in .*: weight .* holds NaN \(non-finite weights/);
    expect(existsSync(out)).toBe(false);
  });
});

describe('Ctrl-C during train', () => {
  it('saves a checkpoint and says how to continue; --resume ends with the model of an uninterrupted run', async () => {
    const dir = tempDir('train-int-');
    const run = ['--agent', 'dqn', '--steps', '16000', '--env', 'CartPole-v1', '--no-plots', '--args', '{"learningStarts":100,"hidden":[16],"batchSize":32}'];
    const straight = await runCli(['train', ...run, '--out', join(dir, 'straight'), '--quiet']);
    expect(straight.code).toBe(0);

    const out = join(dir, 'interrupted');
    const child = spawn(process.execPath, ['--import', 'tsx', cliFixture, 'train', ...run, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    // interrupt 300 ms after training starts: inside the run (16,000 steps take 1.5-2 s on a fast
    // machine, several times that on a slow one) whatever the machine's speed
    const started = new Promise<void>((r) => child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); if (/Ctrl-C saves a checkpoint/.test(stderr)) r(); }));
    await Promise.race([started, exited]);
    await new Promise((r) => setTimeout(r, 300));
    expect({ finishedBeforeTheInterrupt: child.exitCode !== null, stderr }).toMatchObject({ finishedBeforeTheInterrupt: false });
    child.kill('SIGINT');
    const code = await exited;
    expect({ code, stderr }).toMatchObject({ code: 130 });
    expect(stderr).toMatch(/train: interrupted at step \d+ of 16000; checkpoint saved in .*; continue with: iocm-gym train --resume /);
    expect(agentJson(out).training).toMatchObject({ requestedSteps: 16000, complete: false });
    expect(readdirSync(dir).sort()).toEqual(['interrupted', 'straight']); // no temporary folder left

    const resumed = await runCli(['train', '--resume', out, '--quiet']);
    expect(resumed.code).toBe(0);
    expect(existsSync(join(out, 'checkpoint'))).toBe(false);
    expect(agentJson(out).training).toEqual(agentJson(join(dir, 'straight')).training);
    expect(readFileSync(join(out, 'q', 'weights.bin')).equals(readFileSync(join(dir, 'straight', 'q', 'weights.bin')))).toBe(true);
    expect(readFileSync(join(out, 'training-curve.csv'), 'utf8')).toBe(readFileSync(join(dir, 'straight', 'training-curve.csv'), 'utf8'));
  });
});
