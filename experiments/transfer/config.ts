/**
 * The transfer study's config file (JSON), validated at the boundary: a bad field is one line naming it.
 *
 * ```json
 * { "name": "transfer",
 *   "scenarios": ["paper", "heldout:100-104"],
 *   "seeds": [0, 1, 2],                        // a count N (seeds 0 … N−1) or a list
 *   "models": ["results/test/models"],         // model folders, or folders of model folders
 *   "agents": ["iocm"],                        // besides the learned ones, best-fixed and oracle-schedule
 *   "envParams": { "switchPenalty": 0 },       // SideCore kwargs both tiers share (no lists)
 *   "tieTolerance": 0.001,                     // means closer than this tie in the rankings
 *   "bootstrap": { "reps": 2000, "seed": 0 } }
 * ```
 *
 * Paths in `models` are relative to the working directory (as the protocol's model folders are named
 * in its job files), so that a job's content hash does not depend on where the checkout lives.
 */
import { z } from 'zod';
import { DEFAULT_ENV_ID, expandScenarios } from '../envs.js';
import { UsageError, parseConfig } from '../errors.js';
import { bootstrapSchema, tieToleranceSchema } from '../protocol/config.js';

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const seedList = z.union([
  z.number().int().min(1).max(1000),
  z.array(z.number().int().nonnegative()).min(1).refine((xs) => new Set(xs).size === xs.length, { error: 'a seed is listed twice; seeds must be distinct' }),
]);

export const transferConfigSchema = z.object({
  name: z.string().default('transfer'),
  env: z.string().min(1).default(DEFAULT_ENV_ID),
  scenarios: z.array(z.string().min(1)).min(1),
  seeds: seedList,
  models: z.array(z.string().min(1)).default([]),
  agents: z.array(z.string().min(1)).default(['iocm']),
  envParams: z.record(z.string(), scalar).default({}),
  /** Mean normalised scores closer than this tie in the rankings (0.1 % of the fast-tier oracle's return). */
  tieTolerance: tieToleranceSchema,
  bootstrap: bootstrapSchema,
  out: z.string().optional(),
}).strict();

export type TransferConfigInput = z.input<typeof transferConfigSchema>;
export type TransferConfig = z.output<typeof transferConfigSchema>;

/** The agent names the study adds itself (not to be given under `agents`). */
export const BEST_FIXED = 'best-fixed';
export const ORACLE_SCHEDULE = 'oracle-schedule';

export interface TransferPlanBase {
  config: TransferConfig;
  scenarios: string[];
  seeds: number[];
}

/** Validates a raw config and expands its lists; a one-line UsageError on bad input. */
export function parseTransferConfig(raw: unknown, where = 'transfer config'): TransferPlanBase {
  const config = parseConfig(transferConfigSchema, raw, where);
  for (const k of ['scenario', 'fidelity', 'actionMode']) {
    if (k in config.envParams) throw new UsageError(`${where}: envParams.${k}: set by the study (scenarios under "scenarios"; each run is on both tiers; each agent acts in its own mode)`);
  }
  for (const a of config.agents) {
    const name = a.trim().split(':')[0]!;
    if (['ppo', 'dqn'].includes(name)) throw new UsageError(`${where}: agents: ${a}: give learned models under "models" (their runs are matched to the seeds there)`);
    if (name.startsWith('oracle')) throw new UsageError(`${where}: agents: ${a}: the fast tier's cost-aware oracle is run by the study itself (it normalises the scores; its schedule is the ${ORACLE_SCHEDULE} row)`);
    if ([BEST_FIXED, ORACLE_SCHEDULE].includes(name)) throw new UsageError(`${where}: agents: ${a}: added by the study itself; leave it out`);
  }
  const dup = config.agents.find((a, i) => config.agents.indexOf(a) !== i);
  if (dup !== undefined) throw new UsageError(`${where}: agents: ${dup} is listed twice`);
  let scenarios: string[];
  try {
    scenarios = expandScenarios(config.scenarios);
  } catch (e) {
    throw new UsageError(`${where}: scenarios: ${(e as Error).message}`);
  }
  const seeds = typeof config.seeds === 'number' ? Array.from({ length: config.seeds }, (_, i) => i) : config.seeds;
  return { config, scenarios, seeds };
}
