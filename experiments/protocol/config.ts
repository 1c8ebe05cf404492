/**
 * The evaluation protocol's config file (JSON), validated at the boundary: a bad field is one line
 * naming it. What may be tuned on (`train.scenarios`, `train.validation`) and what is only tested on
 * (`test.scenarios`) are declared here, and a test scenario that is also a training or validation
 * scenario is refused.
 *
 * ```json
 * { "name": "protocol",
 *   "envParams": { "fidelity": "fast", "switchPenalty": [0, 0.01] },   // a list is a variant axis
 *   "variants": [{}, { "epochMs": 50 }, { "cores": 16 }],   // optional: whole variants, each on top of every grid point
 *   "train": { "scenarios": ["train"], "validation": ["train:50-59"], "seeds": [1, 2, 3],
 *              "actionMode": "absolute", "history": 1,
 *              "learners": [{ "algo": "ppo", "steps": 800000, "evalEvery": 50000,
 *                             "args": { "gamma": 0.9, "clipVloss": false, "learningRate": 0.001 } }] },
 *   "test": { "scenarios": ["heldout:100-199"], "seeds": 1 },
 *   "agents": ["iocm"],                       // besides the learned ones, baseline, static:1..max and the oracles
 *   "oracles": ["oracle", "oracle-static"],   // the first one normalises the scores; [] → best fixed count
 *   "tieTolerance": 0.001,
 *   "bootstrap": { "reps": 2000, "seed": 0 } }
 * ```
 */
import { z } from 'zod';
import { DEFAULT_ENV_ID, expandScenarios } from '../envs.js';
import { UsageError, parseConfig } from '../errors.js';

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const axis = z.union([scalar, z.array(scalar).min(1, { error: 'an empty list gives no variant' })]);
const scenarioList = z.array(z.string().min(1)).min(1);
/** Relative difference within which two mean scores tie in a ranking (0.001 = 0.1 %); the transfer study's too. */
export const tieToleranceSchema = z.number().min(0).max(0.5).default(0.001);
/** The bootstrap of the score intervals: resamples and their seed; the transfer study's too. */
export const bootstrapSchema = z.object({ reps: z.number().int().min(1).max(1_000_000).default(2000), seed: z.number().int().nonnegative().default(0) }).strict().default({ reps: 2000, seed: 0 });
const seedList = z.union([z.number().int().min(1).max(1000), z.array(z.number().int().nonnegative()).min(1)]);

const learner = z.object({
  algo: z.enum(['ppo', 'dqn']),
  steps: z.number().int().positive(),
  /** Env steps between validation checkpoints (the best is kept); default: one at the end. */
  evalEvery: z.number().int().positive().optional(),
  /** Args of the algorithm that differ from its defaults (agents/ppo.ts, agents/dqn.ts). */
  args: z.record(z.string(), z.unknown()).default({}),
}).strict();

export const protocolConfigSchema = z.object({
  name: z.string().default('protocol'),
  env: z.string().min(1).default(DEFAULT_ENV_ID),
  envParams: z.record(z.string(), axis).default({}),
  /**
   * Whole variants (kwargs objects), each applied on top of every grid point of `envParams`: the way to
   * say "the default plus one-kwarg ablations", which a grid of axes cannot. Absent: the grid alone.
   */
  variants: z.array(z.record(z.string(), scalar)).min(1, { error: 'an empty list gives no variant' }).optional(),
  train: z.object({
    scenarios: scenarioList,
    validation: scenarioList,
    /** Training seeds: N (seeds 1 … N) or a list. */
    seeds: seedList,
    actionMode: z.enum(['delta', 'absolute']).default('absolute'),
    history: z.number().int().min(1).max(64).default(1),
    learners: z.array(learner).min(1),
  }).strict(),
  test: z.object({
    scenarios: scenarioList,
    /** Evaluation (reset) seeds: N (seeds 0 … N−1) or a list. */
    seeds: seedList.default(1),
  }).strict(),
  agents: z.array(z.string().min(1)).default(['iocm']),
  /** Include baseline and static:1 … maxIoCores (the fixed counts; needed for the best fixed count). */
  staticCounts: z.boolean().default(true),
  oracles: z.array(z.enum(['oracle', 'oracle-dynamic', 'oracle-static', 'oracle-phase'])).default(['oracle', 'oracle-static']),
  /** Relative difference within which two scores tie (0.001 = 0.1 %). */
  tieTolerance: tieToleranceSchema,
  bootstrap: bootstrapSchema,
  out: z.string().optional(),
}).strict();

export type ProtocolConfigInput = z.input<typeof protocolConfigSchema>;
export type ProtocolConfig = z.output<typeof protocolConfigSchema>;

export interface ProtocolPlanBase {
  config: ProtocolConfig;
  trainScenarios: string[];
  validationScenarios: string[];
  testScenarios: string[];
  trainSeeds: number[];
  testSeeds: number[];
  /** One kwargs object per grid point of `envParams` (a list is an axis) and whole variant, in grid order. */
  variants: Record<string, unknown>[];
}

function seedsOf(s: number | number[], first: number): number[] {
  return typeof s === 'number' ? Array.from({ length: s }, (_, i) => first + i) : [...new Set(s)];
}

export function variantLabel(v: Record<string, unknown>): string {
  return Object.entries(v).map(([k, x]) => `${k}=${String(x)}`).join(',');
}

/** Validates a raw config and expands its lists; a one-line UsageError on bad input. */
export function parseProtocolConfig(raw: unknown, where = 'protocol config'): ProtocolPlanBase {
  const config = parseConfig(protocolConfigSchema, raw, where);
  const fixedByProtocol = (k: string, at: string): void => {
    if (['scenario', 'actionMode', 'history'].includes(k)) throw new UsageError(`${where}: ${at}.${k}: set by the protocol (scenarios under train/test; actionMode and history under train)`);
  };
  for (const k of Object.keys(config.envParams)) fixedByProtocol(k, 'envParams');
  config.variants?.forEach((v, i) => {
    for (const k of Object.keys(v)) {
      fixedByProtocol(k, `variants[${i}]`);
      if (k in config.envParams) throw new UsageError(`${where}: variants[${i}].${k}: also in envParams; give it in one place`);
    }
  });
  const expand = (xs: string[], field: string): string[] => {
    try {
      return expandScenarios(xs);
    } catch (e) {
      throw new UsageError(`${where}: ${field}: ${(e as Error).message}`);
    }
  };
  const trainScenarios = expand(config.train.scenarios, 'train.scenarios');
  const validationScenarios = expand(config.train.validation, 'train.validation');
  const testScenarios = expand(config.test.scenarios, 'test.scenarios');
  // The split is the point of the protocol: nothing tuned on may be tested on.
  const tuned = new Set([...trainScenarios, ...validationScenarios]);
  const leak = testScenarios.find((s) => tuned.has(s));
  if (leak !== undefined) throw new UsageError(`${where}: test.scenarios: ${leak} is also a training or validation scenario`);
  const overlap = validationScenarios.find((s) => trainScenarios.includes(s));
  if (overlap !== undefined) throw new UsageError(`${where}: train.validation: ${overlap} is also a training scenario`);
  const algos = config.train.learners.map((l) => l.algo);
  const dup = algos.find((a, i) => algos.indexOf(a) !== i);
  if (dup) throw new UsageError(`${where}: train.learners: ${dup} is listed twice`);
  let variants: Record<string, unknown>[] = [{}];
  for (const [k, v] of Object.entries(config.envParams)) {
    const vals = Array.isArray(v) ? v : [v];
    variants = variants.flatMap((o) => vals.map((x) => ({ ...o, [k]: x })));
  }
  if (config.variants !== undefined) {
    const whole = config.variants;
    // two equal variants would train the same models and merge their rows in the tables
    const keys = whole.map((w) => JSON.stringify(Object.entries(w).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
    const twice = keys.findIndex((k, i) => keys.indexOf(k) !== i);
    if (twice >= 0) throw new UsageError(`${where}: variants[${twice}]: ${JSON.stringify(whole[twice])} is listed twice`);
    variants = variants.flatMap((o) => whole.map((w) => ({ ...o, ...w })));
  }
  return {
    config, trainScenarios, validationScenarios, testScenarios, variants,
    trainSeeds: seedsOf(config.train.seeds, 1), testSeeds: seedsOf(config.test.seeds, 0),
  };
}
