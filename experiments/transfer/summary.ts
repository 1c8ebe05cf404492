/**
 * The transfer study's tables, from its runs: per agent the score on the fast and on the detailed tier,
 * each divided by the fast-tier cost-aware oracle's return on the same scenario and seed, the difference
 * (detailed − fast), their means over scenarios × seeds with a bootstrap 95 % interval and the min/max,
 * and whether the agents rank in the same order on both tiers. Pure: rows in, numbers and Markdown out.
 */
import { mean, stratifiedBootstrap, type Interval } from '../protocol/stats.js';

export type Tier = 'fast' | 'detailed';

/** One agent on one scenario and seed, on both tiers. */
export interface TransferRow {
  agent: string;
  scenario: string;
  seed: number;
  /** What ran (`static:3` for best-fixed, the model folder for a learned agent, the schedule's size). */
  ran: string;
  fast: number;
  detailed: number;
  /** The fast-tier cost-aware oracle's return on this scenario and seed (the normaliser). */
  oracleFast: number;
  reconfigurationsFast: number;
  reconfigurationsDetailed: number;
}

export interface AgentTransfer {
  agent: string;
  /** Scenario × seed cells. */
  cells: number;
  fast: Interval & { min: number; max: number };
  detailed: Interval & { min: number; max: number };
  /** detailed − fast, per cell, then aggregated. */
  diff: Interval & { min: number; max: number };
  /** Rank on each tier: 1 + the agents whose mean normalised score is higher by more than the tie tolerance. */
  rankFast: number;
  rankDetailed: number;
}

export interface TransferSummary {
  scenarios: string[];
  seeds: number[];
  agents: AgentTransfer[];
  /** Agents best first, by mean normalised score on each tier. */
  rankingFast: string[];
  rankingDetailed: string[];
  sameRanking: boolean;
  /** Pairs [a, b] with a ahead of b on the fast tier and behind it on the detailed tier, both by more than the tie tolerance. */
  swapped: [string, string][];
  /** Per scenario and agent: mean normalised score over seeds on each tier. */
  perScenario: { scenario: string; agent: string; fast: number; detailed: number }[];
}

export interface TransferSummaryOptions {
  /** Agents in table order. */
  agents: string[];
  bootstrap: { reps: number; seed: number };
  /** Two mean normalised scores closer than this tie (0.001 = 0.1 % of the fast-tier oracle's return). */
  tieTolerance: number;
}

/** A row's normalised score on a tier. */
export function normalised(r: TransferRow, tier: Tier): number {
  return r[tier] / r.oracleFast;
}

function aggregate(xs: number[], o: TransferSummaryOptions): Interval & { min: number; max: number } {
  // one task, the cells as its runs: a plain bootstrap of the mean over the cells
  const ci = stratifiedBootstrap([xs], (m) => mean(m[0]!), o.bootstrap);
  return { ...ci, min: Math.min(...xs), max: Math.max(...xs) };
}

/** Agents best first by `score`; equal scores keep table order. */
function ranking(agents: readonly string[], score: (a: string) => number): string[] {
  return [...agents].sort((a, b) => (score(b) - score(a)) || (agents.indexOf(a) - agents.indexOf(b)));
}

export function summariseTransfer(rows: readonly TransferRow[], o: TransferSummaryOptions): TransferSummary {
  const agents = o.agents.filter((a) => rows.some((r) => r.agent === a));
  const scenarios = [...new Set(rows.map((r) => r.scenario))];
  const seeds = [...new Set(rows.map((r) => r.seed))];
  const of = (a: string): TransferRow[] => rows.filter((r) => r.agent === a);
  const meanOf = (a: string, tier: Tier): number => mean(of(a).map((r) => normalised(r, tier)));
  const rankingFast = ranking(agents, (a) => meanOf(a, 'fast'));
  const rankingDetailed = ranking(agents, (a) => meanOf(a, 'detailed'));
  const tol = o.tieTolerance;
  const ahead = (a: string, b: string, tier: Tier): boolean => meanOf(a, tier) - meanOf(b, tier) > tol;
  const rank = (a: string, tier: Tier): number => 1 + agents.filter((b) => ahead(b, a, tier)).length;
  const swapped: [string, string][] = [];
  for (const a of rankingFast) {
    for (const b of agents) if (ahead(a, b, 'fast') && ahead(b, a, 'detailed')) swapped.push([a, b]);
  }
  const table: AgentTransfer[] = agents.map((a) => {
    const rs = of(a);
    const f = rs.map((r) => normalised(r, 'fast')), d = rs.map((r) => normalised(r, 'detailed'));
    return {
      agent: a, cells: rs.length,
      fast: aggregate(f, o), detailed: aggregate(d, o), diff: aggregate(d.map((x, i) => x - f[i]!), o),
      rankFast: rank(a, 'fast'), rankDetailed: rank(a, 'detailed'),
    };
  });
  const perScenario = scenarios.flatMap((scenario) => agents.map((agent) => {
    const rs = rows.filter((r) => r.agent === agent && r.scenario === scenario);
    return { scenario, agent, fast: mean(rs.map((r) => normalised(r, 'fast'))), detailed: mean(rs.map((r) => normalised(r, 'detailed'))) };
  }));
  return { scenarios, seeds, agents: table, rankingFast, rankingDetailed, sameRanking: swapped.length === 0, swapped, perScenario };
}

const f3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '–');
/** With its sign; a value that rounds to zero is ±0.000, not −0.000. */
const signed = (x: number): string => {
  if (!Number.isFinite(x)) return '–';
  const t = Math.abs(x).toFixed(3);
  return Number(t) === 0 ? `±${t}` : `${x > 0 ? '+' : '−'}${t}`;
};
const ci = (i: Interval, fmt: (x: number) => string): string => `${fmt(i.point)} [${fmt(i.lo)}, ${fmt(i.hi)}]`;

export function transferMarkdown(s: TransferSummary, o: { title: string; notes: string[]; tieTolerance: number }): string {
  const lines = [`# ${o.title}`, '', ...o.notes.flatMap((n) => [n, '']), '## Scores relative to the fast-tier oracle', ''];
  lines.push(`Mean over ${s.scenarios.length} scenario(s) × ${s.seeds.length} seed(s) with a bootstrap 95 % interval over those cells; min … max over the cells.`, '');
  lines.push('| agent | cells | fast | detailed | detailed − fast | min … max (detailed − fast) | rank fast | rank detailed |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const a of s.agents) {
    lines.push(`| ${a.agent} | ${a.cells} | ${ci(a.fast, f3)} | ${ci(a.detailed, f3)} | ${ci(a.diff, signed)} | ${signed(a.diff.min)} … ${signed(a.diff.max)} | ${a.rankFast} | ${a.rankDetailed} |`);
  }
  const meanOn = (a: string, tier: Tier): number => s.agents.find((x) => x.agent === a)![tier].point;
  // consecutive agents whose means tie are joined by ≈
  const order = (r: string[], tier: Tier): string => r.map((a, i) => (i === 0 ? a : `${meanOn(r[i - 1]!, tier) - meanOn(a, tier) > o.tieTolerance ? ' > ' : ' ≈ '}${a}`)).join('');
  lines.push('', `Ranking on the fast tier: ${order(s.rankingFast, 'fast')}.`, `Ranking on the detailed tier: ${order(s.rankingDetailed, 'detailed')}.`);
  lines.push(`Means within ${o.tieTolerance} of each other tie (equal ranks); a pair counts as swapped only when it is ordered one way on one tier and the other way on the other, both by more than that.`);
  lines.push(s.sameRanking
    ? '**No pair of agents swaps between the tiers.**'
    : `**The ranking differs between the tiers**: ${s.swapped.map(([a, b]) => `${a} is ahead of ${b} on the fast tier and behind it on the detailed tier`).join('; ')}.`);
  lines.push('', '## Per scenario (mean over seeds)', '');
  lines.push('| scenario | agent | fast | detailed | detailed − fast |', '|---|---|---:|---:|---:|');
  for (const p of s.perScenario) lines.push(`| ${p.scenario} | ${p.agent} | ${f3(p.fast)} | ${f3(p.detailed)} | ${signed(p.detailed - p.fast)} |`);
  return lines.join('\n') + '\n';
}
