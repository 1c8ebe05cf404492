/**
 * The protocol's tables, from the evaluation runs: per env variant a main table (per agent: normalised
 * score as IQM and mean with stratified-bootstrap 95 % intervals across training seeds × test
 * scenarios, win/tie/loss against IOcm and against the best fixed count in hindsight, switches per
 * minute), the learned agents per training seed, and with several variants how scores and switching
 * move between them. Pure: rows in, numbers and Markdown out.
 */
import { aggregateIqm, aggregateMean, bestInHindsight, mean, stratifiedBootstrap, switchesPerMinute, winTieLoss, type Interval, type ScoreMatrix, type WinTieLoss } from './stats.js';

/** One evaluation run. */
export interface EvalRow {
  variant: string;
  /** The agent as reported: `ppo` for every training seed of PPO, else its spec. */
  agent: string;
  /** The training seed of a learned agent; the evaluation seed otherwise. */
  run: number;
  scenario: string;
  evalSeed: number;
  score: number;
  steps: number;
  reconfigurations: number;
  epochMs: number;
  switchPenalty: number;
}

export interface SummaryOptions {
  /** Agents in table order. */
  agents: string[];
  /** Learned agents (their runs are training seeds). */
  learned: string[];
  /** The fixed counts (`baseline`, `static:x`) whose per-scenario maximum is the best fixed count in hindsight. */
  fixed: string[];
  /** The agent whose score normalises every score (an oracle), or undefined: the best fixed count. */
  normaliser?: string;
  /** The heuristic the others are compared with (`iocm`), if evaluated. */
  heuristic?: string;
  tieTolerance: number;
  bootstrap: { reps: number; seed: number };
}

export interface AgentSummary {
  agent: string;
  runs: number;
  iqm: Interval;
  mean: Interval;
  /** Mean over scenarios of the agent's score over the best fixed count's. */
  vsBestFixed: number;
  wtlHeuristic?: WinTieLoss;
  wtlBestFixed: WinTieLoss;
  switchesPerMin: number;
  /** Mean reward per step before the switch penalty (the application performance alone). */
  unpricedRewardPerStep: number;
  /** Per test scenario (in `VariantSummary.scenarios` order): the normalised score, mean over runs. */
  perScenario: number[];
  /** Learned agents: per training seed, the mean normalised score and switches per minute. */
  perRun?: { run: number; mean: number; iqm: number; switchesPerMin: number }[];
}

export interface VariantSummary {
  variant: string;
  scenarios: string[];
  normaliser: string;
  agents: AgentSummary[];
}

const key = (scenario: string, evalSeed: number): string => `${scenario}\u0000${evalSeed}`;

/**
 * The row name of the best fixed count in hindsight: per scenario and evaluation seed the fixed count
 * (`baseline`, `static:x`) with the highest score there. A choice no run-time manager can make, shown
 * beside the agents as a reference (never in bold).
 */
export const BEST_FIXED = 'best fixed (hindsight)';

/** Per (variant, scenario, evaluation seed), a copy of the best fixed count's row, named {@link BEST_FIXED}. */
export function bestFixedRows(rows: readonly EvalRow[], fixed: readonly string[]): EvalRow[] {
  const best = new Map<string, EvalRow>();
  for (const r of rows) {
    if (!fixed.includes(r.agent)) continue;
    const k = `${r.variant}\u0000${key(r.scenario, r.evalSeed)}`;
    const b = best.get(k);
    if (!b || r.score > b.score) best.set(k, r);
  }
  return [...best.values()].map((r) => ({ ...r, agent: BEST_FIXED }));
}

/** Summaries per variant, in the order variants first appear in `rows`; with fixed counts, a {@link BEST_FIXED} row after them. */
export function summarise(rows: readonly EvalRow[], o: SummaryOptions): VariantSummary[] {
  const variants = [...new Set(rows.map((r) => r.variant))];
  const lastFixed = o.agents.reduce((at, a, i) => (o.fixed.includes(a) ? i : at), -1);
  const withBest: SummaryOptions = lastFixed < 0 ? o : { ...o, agents: [...o.agents.slice(0, lastFixed + 1), BEST_FIXED, ...o.agents.slice(lastFixed + 1)] };
  const all = lastFixed < 0 ? rows : [...rows, ...bestFixedRows(rows, o.fixed)];
  return variants.map((variant) => summariseVariant(all.filter((r) => r.variant === variant), variant, withBest));
}

function summariseVariant(rows: readonly EvalRow[], variant: string, o: SummaryOptions): VariantSummary {
  const scenarios = [...new Set(rows.map((r) => r.scenario))];
  const evalSeeds = [...new Set(rows.map((r) => r.evalSeed))];
  const scoreOf = (agent: string): Map<string, number> => new Map(rows.filter((r) => r.agent === agent).map((r) => [key(r.scenario, r.evalSeed), r.score]));
  // per (scenario, eval seed): the best fixed count in hindsight, and the normaliser
  const fixedScores = o.fixed.map(scoreOf);
  const bestFixed = new Map<string, number>();
  for (const sc of scenarios) {
    for (const s of evalSeeds) {
      const k = key(sc, s);
      bestFixed.set(k, bestInHindsight(fixedScores.map((m) => [m.get(k) ?? NaN]))[0] ?? NaN);
    }
  }
  const norm = o.normaliser ? scoreOf(o.normaliser) : bestFixed;
  // per scenario, the mean over eval seeds of a reference score
  const perScenario = (m: Map<string, number>): number[] => scenarios.map((sc) => mean(evalSeeds.map((s) => m.get(key(sc, s)) ?? NaN)));
  const bestFixedPerScenario = perScenario(bestFixed);
  const heuristicPerScenario = o.heuristic && rows.some((r) => r.agent === o.heuristic) ? perScenario(scoreOf(o.heuristic)) : undefined;
  const agents: AgentSummary[] = [];
  for (const agent of o.agents) {
    const mine = rows.filter((r) => r.agent === agent);
    if (mine.length === 0) continue;
    const learned = o.learned.includes(agent);
    const runs = [...new Set(mine.map((r) => r.run))].sort((a, b) => a - b);
    // matrix[scenario][run]: normalised score, averaged over eval seeds for a learned agent
    const cell = (sc: string, run: number): number => {
      const xs = mine.filter((r) => r.scenario === sc && r.run === run).map((r) => r.score / (norm.get(key(sc, r.evalSeed)) ?? NaN));
      return mean(xs);
    };
    const matrix: ScoreMatrix = scenarios.map((sc) => runs.map((run) => cell(sc, run)).filter((x) => !Number.isNaN(x)));
    const bs = { reps: o.bootstrap.reps, seed: o.bootstrap.seed };
    const rawPerScenario = scenarios.map((sc) => mean(mine.filter((r) => r.scenario === sc).map((r) => r.score)));
    const spm = mine.map((r) => switchesPerMinute(r.reconfigurations, r.steps, r.epochMs));
    const s: AgentSummary = {
      agent, runs: runs.length,
      iqm: stratifiedBootstrap(matrix, aggregateIqm, bs),
      mean: stratifiedBootstrap(matrix, aggregateMean, bs),
      vsBestFixed: mean(rawPerScenario.map((x, i) => x / bestFixedPerScenario[i]!)),
      wtlBestFixed: winTieLoss(rawPerScenario, bestFixedPerScenario, o.tieTolerance),
      switchesPerMin: mean(spm),
      perScenario: matrix.map((xs) => mean(xs)),
      unpricedRewardPerStep: mean(mine.map((r) => (r.score + r.switchPenalty * r.reconfigurations) / r.steps)),
    };
    if (heuristicPerScenario && agent !== o.heuristic) s.wtlHeuristic = winTieLoss(rawPerScenario, heuristicPerScenario, o.tieTolerance);
    if (learned) {
      s.perRun = runs.map((run) => {
        const xs = scenarios.map((sc) => cell(sc, run));
        const mr = mine.filter((r) => r.run === run);
        return { run, mean: mean(xs), iqm: aggregateIqm([xs]), switchesPerMin: mean(mr.map((r) => switchesPerMinute(r.reconfigurations, r.steps, r.epochMs))) };
      });
    }
    agents.push(s);
  }
  return { variant, scenarios, normaliser: o.normaliser ?? 'best fixed count in hindsight', agents };
}

const f3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '–');
const f1 = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '–');
const ci = (i: Interval): string => `${f3(i.point)} [${f3(i.lo)}, ${f3(i.hi)}]`;
const wtl = (w: WinTieLoss | undefined): string => (w ? `${w.win} / ${w.tie} / ${w.loss}` : '–');

/** The summary as Markdown (best IQM and mean among the non-normalising agents in bold). */
export function summaryMarkdown(vs: readonly VariantSummary[], o: SummaryOptions & { title: string; notes: string[] }): string {
  const out: string[] = [`# ${o.title}`, '', ...o.notes.flatMap((n) => [n, '']), ''];
  for (const v of vs) {
    const contenders = v.agents.filter((a) => a.agent !== o.normaliser && a.agent !== BEST_FIXED && !a.agent.startsWith('oracle'));
    const bestIqm = Math.max(...contenders.map((a) => a.iqm.point));
    const bestMean = Math.max(...contenders.map((a) => a.mean.point));
    const bold = (s: string, on: boolean): string => (on ? `**${s}**` : s);
    out.push(`## ${v.variant ? `Variant ${v.variant}` : 'Results'}`, '');
    out.push(`${v.scenarios.length} test scenarios; scores relative to ${v.normaliser} on the same scenario and evaluation seed; intervals: stratified bootstrap 95 % (${o.bootstrap.reps} replicates, seed ${o.bootstrap.seed}); ties within ${(o.tieTolerance * 100).toPrecision(2)} %.`, '');
    out.push(`| agent | runs | IQM [95 % CI] | mean [95 % CI] | mean vs best fixed | W/T/L vs ${o.heuristic ?? 'heuristic'} | W/T/L vs best fixed | switches/min | reward/step before penalty |`);
    out.push('|---|---:|---|---|---:|---:|---:|---:|---:|');
    for (const a of v.agents) {
      const contender = contenders.includes(a);
      out.push(`| ${a.agent} | ${a.runs} | ${bold(ci(a.iqm), contender && a.iqm.point === bestIqm)} | ${bold(ci(a.mean), contender && a.mean.point === bestMean)} | ${f3(a.vsBestFixed)} | ${wtl(a.wtlHeuristic)} | ${wtl(a.wtlBestFixed)} | ${f1(a.switchesPerMin)} | ${f3(a.unpricedRewardPerStep)} |`);
    }
    const perRun = v.agents.filter((a) => a.perRun);
    if (perRun.length) {
      out.push('', 'Learned agents per training seed (normalised score over the test scenarios):', '', '| agent | training seed | mean | IQM | switches/min |', '|---|---:|---:|---:|---:|');
      for (const a of perRun) for (const r of a.perRun!) out.push(`| ${a.agent} | ${r.run} | ${f3(r.mean)} | ${f3(r.iqm)} | ${f1(r.switchesPerMin)} |`);
    }
    out.push('');
  }
  if (vs.length > 1) {
    out.push('## Across variants', '', 'How the normalised score (IQM) and the switching move from one variant to the next (each variant trained and evaluated on its own):', '');
    out.push(`| agent | ${vs.map((v) => `${v.variant}: IQM · switches/min`).join(' | ')} |`, `|---|${vs.map(() => '---:').join('|')}|`);
    const names = [...new Set(vs.flatMap((v) => v.agents.map((a) => a.agent)))];
    for (const n of names) {
      out.push(`| ${n} | ${vs.map((v) => { const a = v.agents.find((x) => x.agent === n); return a ? `${f3(a.iqm.point)} · ${f1(a.switchesPerMin)}` : '–'; }).join(' | ')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}
