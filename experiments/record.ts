/**
 * The run record: everything one episode of one agent produced, and everything needed to re-run it
 * (CompilerGym-style, `docs/anchors.md` §2): `{envSpec JSON, seed, action log}`
 * reproduces the episode, and `replay` checks every recorded reward against a re-run, bit for bit.
 *
 * File format `iocm-gym/run@3` (JSON, one object):
 * * `envSpec` — `EnvSpec.toJSON()` of the env the agent ran in (id, kwargs incl. scenario, action mode,
 *   fidelity, reward; wrappers); `seed` — the reset seed.
 * * `agent` — `{spec, actionMode, describe}`: the agent spec string, the action mode, `Agent.describe()`.
 * * `actions`, `rewards` — one value per step, run-length encoded (`RunEntries`: a run of two or more
 *   equal values as `[value, count]`, a lone value as itself, e.g. `[[0, 12], 0.91, 0.93, [1, 3]]`;
 *   rewards as JSON numbers, which round-trip doubles exactly). run@2 wrote every run as a pair.
 * * `trace` — per-epoch columns, each run-length encoded likewise (for SideCore `ioCores`, `phase`,
 *   `throughputGbps`, `transactionsPerSec`, `p99Us`, `exitsPerSec`, `reconfigured`); NaN is written as
 *   null. In memory the trace also has `step`, `action` and `reward`; the file leaves them out, as they
 *   are the step index, `actions` and `rewards`.
 * * `summary` — see {@link RunSummary}.
 * * `provenance` — package version, git commit, Node version, platform, wall time, the learned agent's
 *   tfjs backend (inside `agent.describe`).
 *
 * Why run-length encoding: without noise the fast tier's epochs repeat their values until the phase or
 * the I/O cores change, so a 930-step episode has 40–60 runs per column, and the actions, I/O cores
 * and phases repeat with noise too. Written plain (run@1), a record was ≈ 100 kB; encoded, a
 * heuristic's or a static count's noise-free record is 1.5–5 kB. With the noise (the default) rewards
 * and the measured columns change at every step: as pairs (run@2) each such value cost `[…,1]` more than
 * written plain, which is why run@3 writes a lone value as itself. run@1 and run@2 files are still read.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { EnvSpecJSON } from '../env/core/registry.js';
import { UsageError } from './errors.js';

export const RUN_FORMAT = 'iocm-gym/run@3';
/** The first format, per-step columns written plain: still read. */
const RUN_FORMAT_1 = 'iocm-gym/run@1';
/** The second format, every run a `[value, count]` pair: still read. */
export const RUN_FORMAT_2 = 'iocm-gym/run@2';

/** A per-step column, run-length encoded: `[value, count]` for each run of equal values (`Object.is`). */
export type Runs<T = number | boolean | null> = [T, number][];

/** Runs as a run@3 file holds them: a lone value as itself, a run of two or more as `[value, count]`. */
export type RunEntries<T = number | boolean | null> = (T | [T, number])[];

/** Runs in the file form (the values are scalars, so an array entry is always a run). */
export function packRuns<T extends number | boolean | null>(runs: Runs<T>): RunEntries<T> {
  return runs.map((r) => (r[1] === 1 ? r[0] : r));
}

/** The file form back as runs. */
export function unpackRuns<T>(entries: readonly (T | readonly [T, number])[]): Runs<T> {
  return entries.map((e) => (Array.isArray(e) ? [e[0], e[1]] : [e as T, 1]));
}

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
export function encodeRunRecord<R extends RunRecord>(rec: R): Omit<R, 'actions' | 'rewards' | 'trace'> & { actions: RunEntries<number>; rewards: RunEntries<number>; trace: Record<string, RunEntries> } {
  const trace: Record<string, RunEntries> = {};
  for (const [k, col] of Object.entries(rec.trace)) if (!(IMPLIED_TRACE as readonly string[]).includes(k)) trace[k] = packRuns(toRuns(col));
  return { ...rec, actions: packRuns(toRuns(rec.actions)), rewards: packRuns(toRuns(rec.rewards)), trace };
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
const entriesOf = <T extends z.ZodType>(v: T) => z.array(z.union([v, z.tuple([v, z.number().int().positive()])]));
const recordFields = {
  envSpec: z.object({ id: z.string(), kwargs: z.record(z.string(), z.unknown()) }).passthrough(),
  seed: z.number().int().nonnegative(),
  agent: z.object({ spec: z.string(), actionMode: z.enum(['delta', 'absolute']), describe: z.record(z.string(), z.unknown()) }),
  summary: z.object({ score: num, steps: z.number() }).passthrough(),
  provenance: z.record(z.string(), z.unknown()),
};
/** A run@3 file (per-step columns as run entries). */
export const runRecordSchema = z.object({
  format: z.literal(RUN_FORMAT),
  ...recordFields,
  actions: entriesOf(z.number()),
  rewards: entriesOf(num),
  trace: z.record(z.string(), entriesOf(cell)),
});
/** A run@2 file (per-step columns as runs, every one a pair). */
const runRecordSchema2 = z.object({
  format: z.literal(RUN_FORMAT_2),
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
 * Validates parsed JSON as a run record, run@3, run@2 or run@1, and gives it as held in memory: per-step
 * columns plain, the implied trace columns back, `format` the current one (keys the format does not
 * name are dropped).
 */
export function validateRunRecord(raw: unknown, where = 'run record'): RunRecord {
  const format = (raw as { format?: unknown } | null)?.format;
  const version = format === RUN_FORMAT_1 ? RUN_FORMAT_1 : format === RUN_FORMAT_2 ? RUN_FORMAT_2 : RUN_FORMAT;
  const r = version === RUN_FORMAT_1 ? runRecordSchema1.safeParse(raw) : version === RUN_FORMAT_2 ? runRecordSchema2.safeParse(raw) : runRecordSchema.safeParse(raw);
  if (!r.success) {
    const iss = r.error.issues[0]!;
    throw new UsageError(`${where}: not a ${version} record (${iss.path.map(String).join('.') || 'top level'}: ${iss.message})`);
  }
  let rec: RunRecord;
  if (r.data.format === RUN_FORMAT_1) {
    rec = { ...r.data, format: RUN_FORMAT } as unknown as RunRecord;
  } else {
    const d = r.data;
    // run@2 pairs are run@3 entries too (a pair with count 1 reads as a run of one)
    const actions = fromRuns(unpackRuns(d.actions));
    const rewards = fromRuns(unpackRuns(d.rewards)) as number[];
    const trace: RunRecord['trace'] = {};
    if (Object.keys(d.trace).length > 0) {
      trace.step = actions.map((_, i) => i);
      trace.action = actions.slice();
      trace.reward = rewards.map((x) => (x !== null && Number.isFinite(x) ? x : null));
    }
    for (const [k, col] of Object.entries(d.trace)) trace[k] = fromRuns(unpackRuns(col));
    rec = { ...d, format: RUN_FORMAT, actions, rewards, trace } as unknown as RunRecord;
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
