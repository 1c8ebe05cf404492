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
  wallMs: number | null;
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

/** A column run-length encoded and flattened: `[value, count, value, count, …]` (runs of equal rounded values merged). */
export function flatRuns(col: readonly (number | boolean | null)[], round: (x: number | boolean | null) => number | null): (number | null)[] {
  const out: (number | null)[] = [];
  for (const x of col) {
    const v = round(x);
    const n = out.length;
    if (n > 0 && Object.is(out[n - 2], v)) out[n - 1] = (out[n - 1] as number) + 1;
    else out.push(v, 1);
  }
  return out;
}

/**
 * Steps on which the I/O-core count changed: the trace's `reconfigured` flags when it has them (they
 * count a change on the first step too, from the env's initial count), else changes between steps.
 */
export function countSwitches(io: readonly (number | boolean | null)[], reconfigured?: readonly (number | boolean | null)[]): number {
  let n = 0;
  if (reconfigured && reconfigured.length === io.length) {
    for (const r of reconfigured) if (r === true || r === 1) n++;
    return n;
  }
  for (let i = 1; i < io.length; i++) if (!Object.is(io[i], io[i - 1])) n++;
  return n;
}

const agentLabel = (a: string): string => (a === 'oracle-dynamic' ? ORACLE_AGENT : a);
export const scenarioKey = (scenario: string, variant: string): string => `${scenario}\u0000${variant}`;

/** The phase names of the env a record ran in (`phase <i>` when the env cannot be built here, e.g. from an unloaded env module). */
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

/** Phases from a trace's phase column: `[name, first step, end step)` per run of equal phase index. */
export function phaseBands(phaseCol: readonly (number | boolean | null)[], names: readonly string[]): [string, number, number][] {
  const out: [string, number, number][] = [];
  for (let i = 0; i < phaseCol.length; i++) {
    const p = phaseCol[i];
    const last = out[out.length - 1];
    if (last && i > 0 && Object.is(phaseCol[i - 1], p)) { last[2] = i + 1; continue; }
    const name = typeof p === 'number' ? names[p] ?? `phase ${p}` : 'phase ?';
    out.push([name, i, i + 1]);
  }
  return out;
}

/** The timeline of one scenario: for its smallest seed, each agent's per-step columns. */
export function timelineData(scenario: number, files: readonly JobFile[]): TimelineData | null {
  const withTrace = files.filter((f) => (f.trace.ioCores ?? []).length > 0);
  const first = withTrace[0];
  if (!first) return null;
  const steps = Math.max(...withTrace.map((f) => f.trace.ioCores!.length));
  const epochS = Number((first.envSpec.kwargs as { epochMs?: unknown }).epochMs ?? 100) / 1000;
  const names = phaseNames(first.envSpec);
  const phaseCol = withTrace.find((f) => (f.trace.phase ?? []).length === steps)?.trace.phase ?? [];
  const exact = (x: number | boolean | null): number | null => (typeof x === 'boolean' ? (x ? 1 : 0) : x !== null && Number.isFinite(x) ? x : null);
  const rounded = (x: number | boolean | null): number | null => roundSignificant(x);
  return {
    scenario, seed: first.seed, steps, epochS: Number.isFinite(epochS) && epochS > 0 ? epochS : 0.1,
    phases: phaseBands(phaseCol, names),
    series: withTrace.map((f) => ({
      agent: agentLabel(f.job.agent),
      io: flatRuns(f.trace.ioCores!, exact),
      tp: flatRuns(f.trace.throughputGbps ?? [], rounded),
      p99: flatRuns(f.trace.p99Us ?? [], rounded),
      reward: flatRuns(f.trace.reward ?? [], rounded),
      switches: countSwitches(f.trace.ioCores!, f.trace.reconfigured),
    })),
  };
}

interface OracleDescribe { oracle?: string; space?: string; spaceSize?: number; evaluations?: { steps?: number; phaseSims?: number }; searchWallMs?: number; schedule?: number[]; phases?: string[] }

/** What an oracle run's record says about its search (undefined for other agents). */
export function oracleSearch(scenario: number, r: JobEntry): OracleSearch | undefined {
  const d = r.agent.describe as OracleDescribe;
  if (!d.oracle) return undefined;
  return {
    scenario, kind: d.oracle, seed: r.seed, space: d.space ?? '', spaceSize: fin(d.spaceSize), steps: fin(d.evaluations?.steps),
    phaseSims: fin(d.evaluations?.phaseSims), wallMs: fin(d.searchWallMs),
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
      agent: o.agent, scenarios: o.scenarios, meanRel: fin(o.meanRel), minRel: fin(o.minRel), best: o.agent.startsWith('oracle') ? null : o.best,
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
