/**
 * The units of work the pool runs (plain data in, plain data out, `node-stack.md` §6): an episode
 * (`runEpisode`) or one piece of an oracle search. `runTask` runs one in the current thread; the
 * worker (`worker.ts`) calls it for each message.
 */
import '../env/index.js';
import type { EnvSpecJSON } from '../env/core/registry.js';
import { runOracleTask, type OracleTask } from '../agents/oracle/index.js';
import type { RunRecord } from './record.js';

export interface EpisodeTask {
  kind: 'episode';
  envSpec: EnvSpecJSON;
  agent: string;
  seed: number;
  maxSteps?: number;
  trace?: boolean;
}

export type PoolTask = (EpisodeTask | OracleTask) & { envModules?: string[] };

const imported = new Set<string>();

/** Imports the modules that register extra env ids (once per thread). */
export async function importEnvModules(mods: readonly string[] = []): Promise<void> {
  for (const m of mods) {
    if (imported.has(m)) continue;
    await import(m);
    imported.add(m);
  }
}

export async function runTask(task: PoolTask): Promise<unknown> {
  await importEnvModules(task.envModules ?? (task.kind !== 'episode' ? task.problem.envModules : []));
  if (task.kind === 'episode') {
    // Loaded on first use: the runner pulls in the agents (tfjs), which oracle tasks do not need.
    const { runEpisode } = await import('./runner.js');
    const rec: RunRecord = await runEpisode(task.envSpec, task.agent, task.seed, {
      ...(task.maxSteps !== undefined ? { maxSteps: task.maxSteps } : {}),
      ...(task.trace !== undefined ? { trace: task.trace } : {}),
      envModules: task.envModules ?? [],
    });
    return rec;
  }
  return runOracleTask(task);
}
