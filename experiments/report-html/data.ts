/**
 * The data behind `report.html`, built from a sweep's summary rows and job files. Kept compact so that
 * a report of 300 scenarios × 10 agents stays a few megabytes and opens in about a second:
 *
 * * the summary (`ReportData`): per scenario and agent one short array of figures, the overall rows,
 *   the oracle searches; parsed when the page loads;
 * * per scenario one `TimelineData` (the smallest seed's run of every agent): per-step columns kept
 *   run-length encoded as the run records hold them, flattened to `[value, count, value, count, …]`,
 *   values rounded to {@link SIGNIFICANT} significant digits (the page shows them as they are stored).
 *   The page parses a scenario's timeline only when it is opened.
 */
import { EnvSpec, make } from '../../env/core/registry.js';
import '../../env/index.js';
import { ORACLE_AGENT, overallRows, type SummaryRow } from '../report.js';
import type { JobEntry, JobFile } from '../job-file.js';
import { toRuns, type Runs } from '../record.js';

export const REPORT_FORMAT = 'iocm-gym/report@1';

/** Significant digits kept of the per-step values (throughput, latency, reward) in the timelines. */
export const SIGNIFICANT = 5;

/** Per agent on one scenario: figures of its summary row (null when the agent has no run there). */
export type Cell = [
  scoreMean: number | null, scoreCi95: number | null, relMean: number | null, relCi95: number | null, switches: number | null,
  throughputGbps: number | null, p99Us: number | null, exitsPerSec: number | null, meanIoCores: number | null, n: number,
];

export interface ScenarioInfo {
  /** The scenario's label (with its env variant when the sweep has more than one). */
  label: string;
  scenario: string;
  variant: string;
  /** Per agent (in `ReportData.agents` order). */
  cells: (Cell | null)[];
  /** Index into the timelines (null: no per-step trace for this scenario). */
  timeline: number | null;
}

export interface OverallInfo {
  agent: string;
  scenarios: number;
  meanRel: number | null;
  minRel: number | null;
  /** Scenarios where it has the best non-oracle mean score (null for the oracles). */
  best: number | null;
  meanScore: number | null;
  /** Mean over scenarios of its I/O-core changes per episode. */
  switches: number | null;
  meanIoCores: number | null;
}

export interface OracleSearch {
  scenario: number;
  kind: string;
  seed: number;
  space: string;
  spaceSize: number | null;
  steps: number | null;
  phaseSims: number | null;
  schedule: string;
  score: number | null;
}

export interface ReportData {
  format: typeof REPORT_FORMAT;
  title: string;
  /** The command that regenerates the run (null when unknown). */
  command: string | null;
  notes: string[];
  provenance: { package: string | null; gitCommit: string | null; node: string | null; fidelity: string | null };
  runs: number;
  seeds: number[];
  agents: string[];
  scenarios: ScenarioInfo[];
  overall: OverallInfo[];
  oracles: OracleSearch[];
}

export interface TimelineSeries {
  agent: string;
  /** Run-length encoded columns, flattened `[value, count, …]`; null stands for NaN. */
  io: (number | null)[];
  tp: (number | null)[];
  p99: (number | null)[];
  reward: (number | null)[];
  switches: number;
}

export interface TimelineData {
  scenario: number;
  seed: number;
  steps: number;
  /** Seconds per step (the env's epoch). */
  epochS: number;
  /** Phases as `[name, first step, end step)`. */
  phases: [string, number, number][];
  series: TimelineSeries[];
}

const fin = (x: number | undefined): number | null => (x !== undefined && Number.isFinite(x) ? x : null);

/** `x` rounded to `digits` significant digits (null for NaN, ±Infinity and missing values). */
export function roundSignificant(x: number | boolean | null | undefined, digits = SIGNIFICANT): number | null {
  if (typeof x === 'boolean') return x ? 1 : 0;
  if (x === null || x === undefined || !Number.isFinite(x)) return null;
  if (x === 0) return 0;
  return Number(x.toPrecision(digits));
}

type Value = number | boolean | null;

/** Runs flattened to `[value, count, value, count, …]` after `round`, runs that become equal merged. */
export function flatRuns(runs: Runs, round: (x: Value) => number | null): (number | null)[] {
  const out: (number | null)[] = [];
  for (const [x, c] of runs) {
    const v = round(x);
    const n = out.length;
    if (n > 0 && Object.is(out[n - 2], v)) out[n - 1] = (out[n - 1] as number) + c;
    else out.push(v, c);
  }
  return out;
}

const stepsOf = (runs: Runs): number => runs.reduce((s, r) => s + r[1], 0);

/**
 * Steps on which the I/O-core count changed: the trace's `reconfigured` flags when it has them (they
 * count a change on the first step too, from the env's initial count), else changes between steps.
 */
export function countSwitches(io: Runs, reconfigured?: Runs): number {
  if (reconfigured && stepsOf(reconfigured) === stepsOf(io)) return reconfigured.reduce((s, [v, c]) => s + (v === true || v === 1 ? c : 0), 0);
  return Math.max(0, io.length - 1);
}

const agentLabel = (a: string): string => (a === 'oracle-dynamic' ? ORACLE_AGENT : a);
export const scenarioKey = (scenario: string, variant: string): string => `${scenario}\u0000${variant}`;

/** The phase names of the env a record ran in (none when the env cannot be built here, e.g. from an unloaded env module). */
export function phaseNames(envSpec: JobFile['envSpec']): string[] {
  try {
    const env = make(EnvSpec.fromJSON(envSpec), {}, { disableEnvChecker: true });
    try {
      const sc = (env.unwrapped as { scenario?: { phases?: { name?: string }[] } }).scenario;
      return (sc?.phases ?? []).map((p, i) => p.name ?? `phase ${i}`);
    } finally {
      env.close();
    }
  } catch {
    return [];
  }
}

/** Phases from a trace's phase column (as runs): `[name, first step, end step)` per run of equal phase index. */
export function phaseBands(phase: Runs, names: readonly string[]): [string, number, number][] {
  const out: [string, number, number][] = [];
  let t = 0;
  let prev: Value | undefined;
  for (const [p, c] of phase) {
    const last = out[out.length - 1];
    if (last && Object.is(p, prev)) last[2] = t + c; // a file may split one run in two
    else out.push([typeof p === 'number' ? names[p] ?? `phase ${p}` : 'phase ?', t, t + c]);
    prev = p;
    t += c;
  }
  return out;
}

/** The per-step columns a timeline shows, as runs (how job files hold them). */
export const TIMELINE_COLUMNS = ['ioCores', 'phase', 'throughputGbps', 'p99Us', 'reward', 'reconfigured'] as const;

/** One agent's run as the timeline needs it. */
export interface TimelineSource {
  agent: string;
  seed: number;
  envSpec: JobFile['envSpec'];
  cols: Partial<Record<(typeof TIMELINE_COLUMNS)[number], Runs>>;
}

/** A record held in memory (per-step columns plain) as a timeline source. */
export function timelineSource(f: JobFile): TimelineSource {
  const cols: TimelineSource['cols'] = {};
  for (const k of TIMELINE_COLUMNS) {
    const col = k === 'reward' ? f.trace.reward ?? f.rewards : f.trace[k];
    if (col && col.length) cols[k] = toRuns(col);
  }
  return { agent: f.job.agent, seed: f.seed, envSpec: f.envSpec, cols };
}

/** The timeline of one scenario: for its smallest seed, each agent's per-step columns. */
export function timelineData(scenario: number, sources: readonly TimelineSource[]): TimelineData | null {
  const withTrace = sources.filter((f) => (f.cols.ioCores ?? []).length > 0);
  const first = withTrace[0];
  if (!first) return null;
  const steps = Math.max(...withTrace.map((f) => stepsOf(f.cols.ioCores!)));
  const epochS = Number((first.envSpec.kwargs as { epochMs?: unknown }).epochMs ?? 100) / 1000;
  const names = phaseNames(first.envSpec);
  const phase = withTrace.find((f) => f.cols.phase && stepsOf(f.cols.phase) === steps)?.cols.phase ?? [];
  const exact = (x: Value): number | null => (typeof x === 'boolean' ? (x ? 1 : 0) : x !== null && Number.isFinite(x) ? x : null);
  const rounded = (x: Value): number | null => roundSignificant(x);
  return {
    scenario, seed: first.seed, steps, epochS: Number.isFinite(epochS) && epochS > 0 ? epochS : 0.1,
    phases: phaseBands(phase, names),
    series: withTrace.map((f) => ({
      agent: agentLabel(f.agent),
      io: flatRuns(f.cols.ioCores!, exact),
      tp: flatRuns(f.cols.throughputGbps ?? [], rounded),
      p99: flatRuns(f.cols.p99Us ?? [], rounded),
      reward: flatRuns(f.cols.reward ?? [], rounded),
      switches: countSwitches(f.cols.ioCores!, f.cols.reconfigured),
    })),
  };
}

interface OracleDescribe { oracle?: string; space?: string; spaceSize?: number; evaluations?: { steps?: number; phaseSims?: number }; schedule?: number[]; phases?: string[] }

/**
 * What an oracle run's record says about its search (undefined for other agents). Not its wall time:
 * that goes to `timings.csv` (volatile.ts), so that a rerun rewrites the report byte for byte.
 */
export function oracleSearch(scenario: number, r: JobEntry): OracleSearch | undefined {
  const d = r.agent.describe as OracleDescribe;
  if (!d.oracle) return undefined;
  return {
    scenario, kind: d.oracle, seed: r.seed, space: d.space ?? '', spaceSize: fin(d.spaceSize), steps: fin(d.evaluations?.steps),
    phaseSims: fin(d.evaluations?.phaseSims),
    schedule: (d.schedule ?? []).map((c, i) => `${d.phases?.[i] ?? i}=${c}`).join(' '), score: fin(r.summary.score),
  };
}

export interface ReportInput {
  title: string;
  command: string | null;
  notes?: readonly string[];
  records: readonly JobEntry[];
  summary: readonly SummaryRow[];
}

/** The report's summary data, and per scenario the records of its smallest seed (to read the timelines from). */
export function reportData(inp: ReportInput): { data: ReportData; timelineJobs: { scenario: number; jobs: JobEntry[] }[] } {
  const agents = [...new Set(inp.summary.map((r) => r.agent))];
  const several = new Set(inp.summary.map((r) => r.variant)).size > 1;
  const scenarios: ScenarioInfo[] = [];
  const index = new Map<string, number>();
  for (const r of inp.summary) {
    const k = scenarioKey(r.scenario, r.variant);
    let i = index.get(k);
    if (i === undefined) {
      i = scenarios.length;
      index.set(k, i);
      scenarios.push({ label: several && r.variant ? `${r.scenario} (${r.variant})` : r.scenario, scenario: r.scenario, variant: r.variant, cells: agents.map(() => null), timeline: null });
    }
    scenarios[i]!.cells[agents.indexOf(r.agent)] = [
      fin(r.score.mean), fin(r.score.ci95), fin(r.relOracle.mean), fin(r.relOracle.ci95), fin(r.reconfigurations),
      fin(r.throughputGbps), fin(r.p99Us), fin(r.exitsPerSec), fin(r.meanIoCores), r.score.n,
    ];
  }
  const byScenario = new Map<number, JobEntry[]>();
  const oracles: OracleSearch[] = [];
  for (const r of inp.records) {
    const i = index.get(scenarioKey(r.job.scenario, r.job.variant));
    if (i === undefined) continue;
    (byScenario.get(i) ?? byScenario.set(i, []).get(i)!).push(r);
    const o = oracleSearch(i, r);
    if (o) oracles.push(o);
  }
  const timelineJobs: { scenario: number; jobs: JobEntry[] }[] = [];
  for (const [i, g] of [...byScenario].sort((a, b) => a[0] - b[0])) {
    const seed = Math.min(...g.map((r) => r.seed));
    const seen = new Set<string>();
    const jobs = g.filter((r) => r.seed === seed && !seen.has(r.job.agent) && seen.add(r.job.agent));
    timelineJobs.push({ scenario: i, jobs });
  }
  const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);
  const of = (a: number, k: number): number[] => scenarios.map((s) => s.cells[a]?.[k] ?? null).filter((x): x is number => x !== null);
  const overall: OverallInfo[] = overallRows(inp.summary).map((o) => {
    const a = agents.indexOf(o.agent);
    return {
      // scenarios it ran on (overallRows counts those with a score relative to the oracle: none without one)
      agent: o.agent, scenarios: scenarios.filter((sc) => sc.cells[a] !== null).length, meanRel: fin(o.meanRel), minRel: fin(o.minRel), best: o.agent.startsWith('oracle') ? null : o.best,
      meanScore: mean(of(a, 0)), switches: mean(of(a, 4)), meanIoCores: mean(of(a, 8)),
    };
  });
  const p = (inp.records[0]?.provenance ?? {}) as { package?: unknown; gitCommit?: unknown; node?: unknown };
  const str = (x: unknown): string | null => (typeof x === 'string' && x ? x : null);
  const fidelity = str((inp.records[0]?.envSpec.kwargs as { fidelity?: unknown } | undefined)?.fidelity);
  return {
    data: {
      format: REPORT_FORMAT, title: inp.title, command: inp.command, notes: [...(inp.notes ?? [])],
      provenance: { package: str(p.package), gitCommit: str(p.gitCommit), node: str(p.node), fidelity },
      runs: inp.records.length, seeds: [...new Set(inp.records.map((r) => r.seed))].sort((a, b) => a - b),
      agents, scenarios, overall, oracles,
    },
    timelineJobs,
  };
}
