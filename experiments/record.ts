/**
 * The run record: everything one episode of one agent produced, and everything needed to re-run it
 * (CompilerGym-style, `docs/anchors.md` §2): `{envSpec JSON, seed, action log}`
 * reproduces the episode, and `replay` checks every recorded reward against a re-run, bit for bit.
 *
 * File format `iocm-gym/run@2` (JSON, one object):
 * * `envSpec` — `EnvSpec.toJSON()` of the env the agent ran in (id, kwargs incl. scenario, action mode,
 *   fidelity, reward; wrappers); `seed` — the reset seed.
 * * `agent` — `{spec, actionMode, describe}`: the agent spec string, the action mode, `Agent.describe()`.
 * * `actions`, `rewards` — one value per step, run-length encoded (`Runs`: `[[value, count], …]`;
 *   rewards as JSON numbers, which round-trip doubles exactly).
 * * `trace` — per-epoch columns, each run-length encoded likewise (for SideCore `ioCores`, `phase`,
 *   `throughputGbps`, `transactionsPerSec`, `p99Us`, `exitsPerSec`, `reconfigured`); NaN is written as
 *   null. In memory the trace also has `step`, `action` and `reward`; the file leaves them out, as they
 *   are the step index, `actions` and `rewards`.
 * * `summary` — see {@link RunSummary}.
 * * `provenance` — package version, git commit, Node version, platform, wall time, the learned agent's
 *   tfjs backend (inside `agent.describe`).
 *
 * Why run-length encoding: the fast tier's epochs repeat their values until the phase or the I/O cores
 * change, so a 930-step episode has 40–60 runs per column. Written plain (run@1, still read), a record
 * was ≈ 100 kB and a 2,048-job sweep wrote 200 MB; encoded, a heuristic's or a static count's record
 * is 1.5–5 kB (a learned agent's, switching every few epochs, up to ≈ 90 kB).
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { EnvSpecJSON } from '../env/core/registry.js';
import { UsageError } from './errors.js';

export const RUN_FORMAT = 'iocm-gym/run@2';
/** The first format, per-step columns written plain: still read. */
const RUN_FORMAT_1 = 'iocm-gym/run@1';

/** A per-step column, run-length encoded: `[value, count]` for each run of equal values (`Object.is`). */
export type Runs<T = number | boolean | null> = [T, number][];

/** Encodes a column as runs (NaN is one value here and null in the JSON). */
export function toRuns<T extends number | boolean | null>(xs: readonly T[]): Runs<T> {
  const runs: Runs<T> = [];
  let last: [T, number] | undefined;
  for (const x of xs) {
    if (last !== undefined && Object.is(last[0], x)) last[1]++;
    else runs.push(last = [x, 1]);
  }
  return runs;
}

/** Decodes runs into the column. */
export function fromRuns<T>(runs: readonly (readonly [T, number])[]): T[] {
  const xs: T[] = [];
  for (const [v, n] of runs) for (let i = 0; i < n; i++) xs.push(v);
  return xs;
}

/** The trace columns a file leaves out: they equal the step index, `actions` and `rewards`. */
const IMPLIED_TRACE = ['step', 'action', 'reward'] as const;

/**
 * A record (or a job file, any extra keys kept) as the file holds it: `actions`, `rewards` and the
 * trace columns as runs, the implied trace columns left out. `JSON.stringify` it to write the file.
 */
export function encodeRunRecord<R extends RunRecord>(rec: R): Omit<R, 'actions' | 'rewards' | 'trace'> & { actions: Runs<number>; rewards: Runs<number>; trace: Record<string, Runs> } {
  const trace: Record<string, Runs> = {};
  for (const [k, col] of Object.entries(rec.trace)) if (!(IMPLIED_TRACE as readonly string[]).includes(k)) trace[k] = toRuns(col);
  return { ...rec, actions: toRuns(rec.actions), rewards: toRuns(rec.rewards), trace };
}

export interface RunSummary {
  /** Episode return: Σ rewards. */
  score: number;
  steps: number;
  meanReward: number;
  /** Means over the epochs (SideCore; NaN elsewhere). p99Us: transaction-weighted mean of the per-epoch p99 latencies (latency.ts). */
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
const cell = z.union([z.number(), z.boolean(), z.null()]);
const runsOf = <T extends z.ZodType>(v: T) => z.array(z.tuple([v, z.number().int().positive()]));
const recordFields = {
  envSpec: z.object({ id: z.string(), kwargs: z.record(z.string(), z.unknown()) }).passthrough(),
  seed: z.number().int().nonnegative(),
  agent: z.object({ spec: z.string(), actionMode: z.enum(['delta', 'absolute']), describe: z.record(z.string(), z.unknown()) }),
  summary: z.object({ score: num, steps: z.number() }).passthrough(),
  provenance: z.record(z.string(), z.unknown()),
};
/** A run@2 file (per-step columns as runs). */
export const runRecordSchema = z.object({
  format: z.literal(RUN_FORMAT),
  ...recordFields,
  actions: runsOf(z.number()),
  rewards: runsOf(num),
  trace: z.record(z.string(), runsOf(cell)),
});
/** A run@1 file (per-step columns plain). */
const runRecordSchema1 = z.object({
  format: z.literal(RUN_FORMAT_1),
  ...recordFields,
  actions: z.array(z.number()),
  rewards: z.array(num),
  trace: z.record(z.string(), z.array(cell)),
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

/**
 * Validates parsed JSON as a run record, run@2 or run@1, and gives it as held in memory: per-step
 * columns plain, the implied trace columns back, `format` the current one (keys the format does not
 * name are dropped).
 */
export function validateRunRecord(raw: unknown, where = 'run record'): RunRecord {
  const v1 = (raw as { format?: unknown } | null)?.format === RUN_FORMAT_1;
  const r = v1 ? runRecordSchema1.safeParse(raw) : runRecordSchema.safeParse(raw);
  if (!r.success) {
    const iss = r.error.issues[0]!;
    throw new UsageError(`${where}: not a ${v1 ? RUN_FORMAT_1 : RUN_FORMAT} record (${iss.path.map(String).join('.') || 'top level'}: ${iss.message})`);
  }
  let rec: RunRecord;
  if (r.data.format === RUN_FORMAT_1) {
    rec = { ...r.data, format: RUN_FORMAT } as unknown as RunRecord;
  } else {
    const d = r.data;
    const actions = fromRuns(d.actions);
    const rewards = fromRuns(d.rewards) as number[];
    const trace: RunRecord['trace'] = {};
    if (Object.keys(d.trace).length > 0) {
      trace.step = actions.map((_, i) => i);
      trace.action = actions.slice();
      trace.reward = rewards.map((x) => (x !== null && Number.isFinite(x) ? x : null));
    }
    for (const [k, runs] of Object.entries(d.trace)) trace[k] = fromRuns(runs);
    rec = { ...d, actions, rewards, trace } as unknown as RunRecord;
  }
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
