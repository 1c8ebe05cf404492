/**
 * The tables of a sweep / evaluation, from its job files (in job order, so they do not depend on the
 * order the jobs finished in):
 *
 * * `runs.csv` — one row per run: job hash, agent, scenario, env variant, seed, steps, score (episode
 *   return), score relative to the dynamic oracle of the same scenario, variant and seed, mean reward,
 *   throughput (Gbit/s), transactions/s, p99 latency (µs; {@link P99_DEFINITION}), exits/s, mean I/O
 *   cores, reconfigurations, and the job file. Wall times are not here but in `timings.csv`
 *   (`volatile.ts`), so that rerunning unchanged jobs rewrites identical tables.
 * * `summary.csv` — one row per agent × scenario × variant: n, mean, std and 95% CI half-width (t-based)
 *   of the score, mean and CI of the score relative to the oracle, and the means of the other metrics.
 * * `summary.md` — the same as Markdown tables, one per scenario (and variant), mean ± 95% CI, the best
 *   non-oracle score in bold.
 */
import { stringify } from 'csv-stringify/sync';
import { join, relative } from 'node:path';
import { writeFileAtomic } from './io.js';
import { loadMath, summarize, type Summary } from './stats.js';
import type { JobEntry } from './sweep.js';
import { P99_DEFINITION, P99_HEADER } from './latency.js';

export const ORACLE_AGENT = 'oracle';

export interface RunRow {
  job: string;
  agent: string;
  scenario: string;
  variant: string;
  seed: number;
  steps: number;
  score: number;
  relOracle: number;
  meanReward: number;
  throughputGbps: number;
  transactionsPerSec: number;
  p99Us: number;
  exitsPerSec: number;
  meanIoCores: number;
  reconfigurations: number;
  record: string;
}

export interface SummaryRow {
  agent: string;
  scenario: string;
  variant: string;
  score: Summary;
  relOracle: Summary;
  throughputGbps: number;
  transactionsPerSec: number;
  p99Us: number;
  exitsPerSec: number;
  reconfigurations: number;
  meanIoCores: number;
}

const isOracle = (a: string): boolean => a === 'oracle' || a === 'oracle-dynamic' || a === 'oracle-dp';

/** Canonical agent label: `oracle-dynamic` and `oracle-dp` are shown as `oracle`. */
function label(agent: string): string {
  return agent === 'oracle-dynamic' || agent === 'oracle-dp' ? 'oracle' : agent;
}

export function runRows(records: readonly JobEntry[], outDir: string): RunRow[] {
  const oracle = new Map<string, number>();
  for (const r of records) if (isOracle(r.job.agent)) oracle.set(`${r.job.scenario}|${r.job.variant}|${r.job.seed}`, r.summary.score);
  return records.map((r) => {
    const o = oracle.get(`${r.job.scenario}|${r.job.variant}|${r.job.seed}`);
    const s = r.summary;
    return {
      job: r.job.hash, agent: label(r.job.agent), scenario: r.job.scenario, variant: r.job.variant, seed: r.seed, steps: s.steps,
      score: s.score, relOracle: o !== undefined && o !== 0 ? s.score / o : NaN, meanReward: s.meanReward,
      throughputGbps: s.throughputGbps, transactionsPerSec: s.transactionsPerSec, p99Us: s.p99Us, exitsPerSec: s.exitsPerSec,
      meanIoCores: s.meanIoCores, reconfigurations: s.reconfigurations,
      record: relative(outDir, join(outDir, 'jobs', `${r.job.hash}.json`)),
    };
  });
}

export async function summaryRows(rows: readonly RunRow[]): Promise<SummaryRow[]> {
  await loadMath();
  const groups = new Map<string, RunRow[]>();
  for (const r of rows) {
    const k = `${r.scenario}\u0000${r.variant}\u0000${r.agent}`;
    (groups.get(k) ?? groups.set(k, []).get(k)!).push(r);
  }
  const mean = (xs: number[]): number => summarize(xs).mean;
  return [...groups.values()].map((g) => ({
    agent: g[0]!.agent, scenario: g[0]!.scenario, variant: g[0]!.variant,
    score: summarize(g.map((r) => r.score)), relOracle: summarize(g.map((r) => r.relOracle)),
    throughputGbps: mean(g.map((r) => r.throughputGbps)), transactionsPerSec: mean(g.map((r) => r.transactionsPerSec)),
    p99Us: mean(g.map((r) => r.p99Us)), exitsPerSec: mean(g.map((r) => r.exitsPerSec)),
    reconfigurations: mean(g.map((r) => r.reconfigurations)), meanIoCores: mean(g.map((r) => r.meanIoCores)),
  }));
}

const cell = (x: number, d = 4): string => (Number.isFinite(x) ? String(Number(x.toFixed(d))) : '');

export function runsCsv(rows: readonly RunRow[]): string {
  return stringify(rows.map((r) => [r.job, r.agent, r.scenario, r.variant, r.seed, r.steps, cell(r.score, 6), cell(r.relOracle, 6), cell(r.meanReward, 6),
    cell(r.throughputGbps), cell(r.transactionsPerSec, 1), cell(r.p99Us, 2), cell(r.exitsPerSec, 1), cell(r.meanIoCores, 3), r.reconfigurations, r.record]), {
    header: true,
    columns: ['job', 'agent', 'scenario', 'variant', 'seed', 'steps', 'score', 'score_rel_oracle', 'mean_reward', 'throughput_gbps', 'transactions_per_s', 'p99_us', 'exits_per_s', 'mean_io_cores', 'reconfigurations', 'record'],
  });
}

export function summaryCsv(rows: readonly SummaryRow[]): string {
  return stringify(rows.map((r) => [r.agent, r.scenario, r.variant, r.score.n, cell(r.score.mean, 6), cell(r.score.std, 6), cell(r.score.ci95, 6),
    cell(r.relOracle.mean, 6), cell(r.relOracle.ci95, 6), cell(r.throughputGbps), cell(r.transactionsPerSec, 1), cell(r.p99Us, 2), cell(r.exitsPerSec, 1), cell(r.reconfigurations, 2), cell(r.meanIoCores, 3)]), {
    header: true,
    columns: ['agent', 'scenario', 'variant', 'n', 'score_mean', 'score_std', 'score_ci95', 'rel_oracle_mean', 'rel_oracle_ci95', 'throughput_gbps', 'transactions_per_s', 'p99_us', 'exits_per_s', 'reconfigurations', 'mean_io_cores'],
  });
}

function pm(s: Summary, d: number): string {
  if (!Number.isFinite(s.mean)) return '–';
  return Number.isFinite(s.ci95) ? `${s.mean.toFixed(d)} ± ${s.ci95.toFixed(d)}` : s.mean.toFixed(d);
}

const f = (x: number, d: number): string => (Number.isFinite(x) ? x.toFixed(d) : '–');

/** Whether any row has more than one seed (else no confidence interval can be claimed). */
const severalSeeds = (rows: readonly SummaryRow[]): boolean => rows.some((r) => r.score.n > 1);
/** Whether the dynamic oracle ran (else "vs oracle" is empty and the overall table compares agents). */
const withOracle = (rows: readonly SummaryRow[]): boolean => rows.some((r) => Number.isFinite(r.relOracle.mean));

function groupByScenario(rows: readonly SummaryRow[]): Map<string, SummaryRow[]> {
  const groups = new Map<string, SummaryRow[]>();
  for (const r of rows) {
    const k = r.variant ? `${r.scenario} (${r.variant})` : r.scenario;
    (groups.get(k) ?? groups.set(k, []).get(k)!).push(r);
  }
  return groups;
}

/** One scenario's table. */
function scenarioTable(k: string, g: readonly SummaryRow[], oracle: boolean): string[] {
  const best = Math.max(...g.filter((r) => !r.agent.startsWith('oracle')).map((r) => r.score.mean).filter(Number.isFinite));
  const out = [`## ${k}`, '', `| agent | n | score | ${oracle ? 'vs oracle | ' : ''}throughput (Gbit/s) | ${P99_HEADER} | exits/s | reconf. | mean I/O cores |`, `|---|---:|---:|${oracle ? '---:|' : ''}---:|---:|---:|---:|---:|`];
  for (const r of g) {
    const sc = pm(r.score, 2);
    const bold = !r.agent.startsWith('oracle') && r.score.mean === best;
    out.push(`| ${r.agent} | ${r.score.n} | ${bold ? `**${sc}**` : sc} | ${oracle ? `${pm(r.relOracle, 3)} | ` : ''}${f(r.throughputGbps, 2)} | ${f(r.p99Us, 1)} | ${f(r.exitsPerSec, 0)} | ${f(r.reconfigurations, 1)} | ${f(r.meanIoCores, 2)} |`);
  }
  out.push('');
  return out;
}

/** Markdown: one table per scenario (and env variant), after the overall table when there are several. */
export function summaryMarkdown(rows: readonly SummaryRow[], title = 'Results', notes: string[] = []): string {
  const out: string[] = [`# ${title}`, ''];
  for (const n of notes) out.push(n);
  if (notes.length) out.push('');
  const oracle = withOracle(rows);
  out.push([
    severalSeeds(rows) ? 'Score: episode return (Σ per-epoch reward), mean ± 95% CI (t-based) over seeds (no CI where n = 1).' : 'Score: episode return (Σ per-epoch reward), one seed (n = 1), so no confidence interval.',
    oracle ? '"vs oracle": score / the dynamic oracle\'s score on the same scenario and seed.' : 'No oracle ran, so there is no "vs oracle" column.',
    `Throughput and exits/s: means over epochs and seeds; ${P99_DEFINITION}, mean over seeds. Reconf.: I/O-core changes per episode. Best non-oracle score in bold.`,
  ].join(' '), '');
  const groups = groupByScenario(rows);
  if (groups.size > 1) out.push(...overallMarkdown(rows, groups));
  for (const [k, g] of groups) out.push(...scenarioTable(k, g, oracle));
  return out.join('\n');
}

/**
 * What a command prints on the terminal: the overall table when there are several scenarios, else the
 * one scenario's table (summary.md has them all; 300 scenarios made 2,717 lines).
 */
export function terminalSummary(rows: readonly SummaryRow[]): string {
  const groups = groupByScenario(rows);
  if (groups.size > 1) return overallMarkdown(rows, groups).join('\n');
  const [k, g] = [...groups][0] ?? ['(no runs)', []];
  return scenarioTable(k, g, withOracle(rows)).join('\n');
}

export interface OverallRow { agent: string; scenarios: number; meanRel: number; minRel: number; best: number }

/**
 * Per agent over all scenarios: the mean and the worst of its per-scenario mean score relative to the
 * dynamic oracle, or, when no oracle ran (`reference: 'best agent'`), relative to the best non-oracle
 * agent's mean score on the scenario; and on how many scenarios it has the best non-oracle score.
 */
export function overallRows(rows: readonly SummaryRow[]): OverallRow[] {
  const byScenario = new Map<string, SummaryRow[]>();
  for (const r of rows) {
    const k = `${r.scenario}\u0000${r.variant}`;
    (byScenario.get(k) ?? byScenario.set(k, []).get(k)!).push(r);
  }
  const oracle = withOracle(rows);
  const bestIn = new Map<string, number>();
  const rel = new Map<string, number[]>();
  for (const g of byScenario.values()) {
    const best = Math.max(...g.filter((r) => !r.agent.startsWith('oracle')).map((r) => r.score.mean).filter(Number.isFinite));
    for (const r of g) {
      if (!r.agent.startsWith('oracle') && r.score.mean === best) bestIn.set(r.agent, (bestIn.get(r.agent) ?? 0) + 1);
      // without an oracle: relative to the best agent, where that is a positive score (else undefined)
      const x = oracle ? r.relOracle.mean : best > 0 ? r.score.mean / best : NaN;
      if (Number.isFinite(x)) (rel.get(r.agent) ?? rel.set(r.agent, []).get(r.agent)!).push(x);
    }
  }
  const agents = [...new Set(rows.map((r) => r.agent))];
  return agents.map((agent) => {
    const xs = rel.get(agent) ?? [];
    return {
      agent, scenarios: rows.filter((r) => r.agent === agent && Number.isFinite(r.score.mean)).length,
      meanRel: xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN, minRel: xs.length ? Math.min(...xs) : NaN, best: bestIn.get(agent) ?? 0,
    };
  });
}

function overallMarkdown(rows: readonly SummaryRow[], groups: ReadonlyMap<string, SummaryRow[]>): string[] {
  const ref = withOracle(rows) ? 'oracle' : 'best agent';
  const out = [`## Overall (${groups.size} scenarios)`, '',
    withOracle(rows)
      ? 'Per agent: the mean and the worst over scenarios of its mean score relative to the dynamic oracle, and on how many scenarios it has the best non-oracle score (ties count for each).'
      : 'No oracle ran: per agent, the mean and the worst over scenarios of its mean score relative to the best agent\'s on the scenario, and on how many scenarios it is that best agent (ties count for each).',
    '', `| agent | scenarios | mean vs ${ref} | worst vs ${ref} | best non-oracle on |`, '|---|---:|---:|---:|---:|'];
  for (const r of overallRows(rows)) {
    out.push(`| ${r.agent} | ${r.scenarios} | ${f(r.meanRel, 3)} | ${f(r.minRel, 3)} | ${r.agent.startsWith('oracle') ? '–' : r.best} |`);
  }
  out.push('');
  return out;
}

export interface WrittenTables {
  runs: RunRow[];
  summary: SummaryRow[];
  files: string[];
}

/** Writes runs.csv, summary.csv and summary.md atomically into `outDir`. */
export async function writeTables(records: readonly JobEntry[], outDir: string, title?: string, notes: string[] = []): Promise<WrittenTables> {
  const runs = runRows(records, outDir);
  const summary = await summaryRows(runs);
  const files = [join(outDir, 'runs.csv'), join(outDir, 'summary.csv'), join(outDir, 'summary.md')];
  writeFileAtomic(files[0]!, runsCsv(runs));
  writeFileAtomic(files[1]!, summaryCsv(summary));
  writeFileAtomic(files[2]!, summaryMarkdown(summary, title, notes));
  return { runs, summary, files };
}
