/**
 * Finds the trained models a transfer config names: each entry is a model folder (it holds the
 * `agent.json` that `iocm-gym train` writes) or a folder of model folders (the protocol's
 * `<out>/models/`, holding `<algo>-seed<s>-<hash>/`), so a config picks up every model trained there.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { UsageError } from '../errors.js';

export interface FoundModel {
  algo: 'ppo' | 'dqn';
  /** The training seed recorded in the model (its `args.seed`), for the tables; NaN when absent. */
  trainSeed: number;
  /** The agent spec, `<algo>:<dir relative to the working directory>`. */
  spec: string;
}

function readModel(dir: string, shown: string, where: string): FoundModel {
  let meta: { algo?: unknown; args?: { seed?: unknown } };
  try {
    meta = JSON.parse(readFileSync(join(dir, 'agent.json'), 'utf8')) as typeof meta;
  } catch (e) {
    throw new UsageError(`${where}: models: ${shown}/agent.json: not a readable model description (${(e as Error).message.split('\n')[0]})`);
  }
  if (meta.algo !== 'ppo' && meta.algo !== 'dqn') throw new UsageError(`${where}: models: ${shown}: agent.json names algo ${JSON.stringify(meta.algo)}, not ppo or dqn`);
  const seed = meta.args?.seed;
  return { algo: meta.algo, trainSeed: typeof seed === 'number' ? seed : NaN, spec: `${meta.algo}:${relative(process.cwd(), dir) || '.'}` };
}

/**
 * The models of every entry, per algorithm sorted by training seed (then folder), duplicates removed.
 * A missing entry, or a folder that is neither a model nor holds any, is a one-line UsageError.
 */
export function findModels(entries: readonly string[], where: string): FoundModel[] {
  const found = new Map<string, FoundModel>();
  for (const e of entries) {
    const dir = resolve(e);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${where}: models: ${e}: no such folder (train models first: iocm-gym train or iocm-gym protocol)`);
    if (existsSync(join(dir, 'agent.json'))) {
      const m = readModel(dir, e, where);
      found.set(m.spec, m);
      continue;
    }
    // the protocol's temporary training folders start with a dot; they are no models
    const subs = readdirSync(dir).filter((n) => !n.startsWith('.') && existsSync(join(dir, n, 'agent.json'))).sort();
    if (subs.length === 0) throw new UsageError(`${where}: models: ${e}: holds no model folder (no agent.json in it or in its subfolders)`);
    for (const n of subs) {
      const m = readModel(join(dir, n), join(e, n), where);
      found.set(m.spec, m);
    }
  }
  const bySeed = (a: FoundModel, b: FoundModel): number => (a.algo === b.algo ? (a.trainSeed - b.trainSeed) || a.spec.localeCompare(b.spec) : a.algo.localeCompare(b.algo));
  return [...found.values()].sort(bySeed);
}

/**
 * The model each evaluation seed of an algorithm uses: the i-th seed (in config order) the i-th model
 * (by training seed), wrapping around when there are fewer models than seeds.
 */
export function modelForRun(models: readonly FoundModel[], seedIndex: number): FoundModel {
  return models[seedIndex % models.length]!;
}
