/**
 * The run record: everything one episode of one agent produced, and everything needed to re-run it
 * (CompilerGym-style, `../shared/research/gym-anchors.md` §7): `{envSpec JSON, seed, action log}`
 * reproduces the episode, and `replay` checks every recorded reward against a re-run, bit for bit.
 *
 * File format `iocm-gym/run@1` (JSON, one object):
 * * `envSpec` — `EnvSpec.toJSON()` of the env the agent ran in (id, kwargs incl. scenario, action mode,
 *   fidelity, reward; wrappers); `seed` — the reset seed.
 * * `agent` — `{spec, actionMode, describe}`: the agent spec string, the action mode, `Agent.describe()`.
 * * `actions[]`, `rewards[]` — one entry per step (rewards as JSON numbers, which round-trip doubles
 *   exactly).
 * * `trace` — per-epoch columns (`step`, `action`, `reward`; for SideCore also `ioCores`, `phase`,
 *   `throughputGbps`, `transactionsPerSec`, `p99Us`, `exitsPerSec`, `reconfigured`); NaN is written as null.
 * * `summary` — see {@link RunSummary}.
 * * `provenance` — package version, git commit, Node version, platform, wall time, the learned agent's
 *   tfjs backend (inside `agent.describe`).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { EnvSpecJSON } from '../env/core/registry.js';
import { UsageError } from './errors.js';

export const RUN_FORMAT = 'iocm-gym/run@1';

export interface RunSummary {
  /** Episode return: Σ rewards. */
  score: number;
  steps: number;
  meanReward: number;
  /** Means over the epochs (SideCore; NaN elsewhere). p99Us: mean of the per-epoch p99 latencies. */
  throughputGbps: number;
  transactionsPerSec: number;
  p99Us: number;
  exitsPerSec: number;
  meanIoCores: number;
  /** Steps on which the I/O-core count changed. */
  reconfigurations: number;
  terminated: boolean;
  truncated: boolean;
}

export interface RunRecord {
  format: typeof RUN_FORMAT;
  envSpec: EnvSpecJSON;
  seed: number;
  agent: { spec: string; actionMode: 'delta' | 'absolute'; describe: Record<string, unknown> };
  actions: number[];
  rewards: number[];
  trace: Record<string, (number | boolean | null)[]>;
  summary: RunSummary;
  provenance: Record<string, unknown>;
}

const num = z.number().nullable();
export const runRecordSchema = z.object({
  format: z.literal(RUN_FORMAT),
  envSpec: z.object({ id: z.string(), kwargs: z.record(z.string(), z.unknown()) }).passthrough(),
  seed: z.number().int().nonnegative(),
  agent: z.object({ spec: z.string(), actionMode: z.enum(['delta', 'absolute']), describe: z.record(z.string(), z.unknown()) }),
  actions: z.array(z.number()),
  rewards: z.array(num),
  trace: z.record(z.string(), z.array(z.union([z.number(), z.boolean(), z.null()]))),
  summary: z.object({ score: num, steps: z.number() }).passthrough(),
  provenance: z.record(z.string(), z.unknown()),
});

/** Parses and validates a run record (a one-line UsageError naming the file when it is not one). */
export function parseRunRecord(text: string, where = 'run record'): RunRecord {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${where}: not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
  return validateRunRecord(raw, where);
}

/** Validates parsed JSON as a run record (keys the format does not name are dropped). */
export function validateRunRecord(raw: unknown, where = 'run record'): RunRecord {
  const r = runRecordSchema.safeParse(raw);
  if (!r.success) {
    const iss = r.error.issues[0]!;
    throw new UsageError(`${where}: not a ${RUN_FORMAT} record (${iss.path.map(String).join('.') || 'top level'}: ${iss.message})`);
  }
  const rec = r.data as unknown as RunRecord;
  if (rec.actions.length !== rec.rewards.length) throw new UsageError(`${where}: ${rec.actions.length} actions but ${rec.rewards.length} rewards`);
  return restoreNaNs(rec);
}

/** null stands for NaN in JSON. */
function restoreNaNs(rec: RunRecord): RunRecord {
  rec.rewards = rec.rewards.map((x) => (x === null ? NaN : x));
  const s = rec.summary as unknown as Record<string, unknown>;
  for (const k of Object.keys(s)) if (s[k] === null) s[k] = NaN;
  return rec;
}

export function readRunRecord(path: string): RunRecord {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsageError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  return parseRunRecord(text, path);
}
