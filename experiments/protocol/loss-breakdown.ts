/**
 * Where a manager loses against the best fixed count in hindsight, epoch by epoch. Pure: runs in,
 * numbers out (`experiments/loss-breakdown.ts` reads a protocol's run records and prints them).
 *
 * For every run of an agent, the reference is the best fixed count's run on the same scenario and
 * evaluation seed (the fixed count with the highest return there). The fast tier's noise is a function
 * of (seed, time, metric family), so both runs see the same noise and the per-epoch difference
 * d_t = r_agent,t − r_fixed,t is the effect of the agent's choices alone. Each epoch falls in one class:
 *
 * * `switch`: the agent's action changed the I/O-core count in this epoch (its reward carries the
 *   reconfiguration transient and any switch penalty): the price of switching.
 * * `reaction`: within the first `reactionEpochs` epochs of a phase (and not a switch): the price of
 *   reacting late to a change of workload.
 * * `steady, same count`: any other epoch at the best fixed count: residue of earlier switches (a
 *   worker's cache refill, queues) — near zero.
 * * `steady, other count`: any other epoch at another count: the agent's choice in a steady phase,
 *   which is good (d > 0) where the best count changes between phases and bad where its policy maps
 *   the observation to a worse count than the fixed one.
 *
 * Each class's Σ d is divided by the oracle's return on the same scenario and seed, so the classes of
 * one run add up to (agent − best fixed) in units of the normalised score; the summary averages them
 * over the runs, as the protocol's "mean" averages scores.
 *
 * Where the runs say which epochs belong to a *novel* phase (one that co-locates a pair of workload
 * types that never run together in the training family; `env/scenarios/generator.ts`), the gap to the
 * oracle, Σ (r_agent − r_oracle) / oracle return, is split into novel and familiar epochs too: a policy
 * that generalises loses no more per epoch in the novel ones.
 */

/** One run's per-epoch columns (all of one length). */
export interface EpochRun {
  agent: string;
  scenario: string;
  seed: number;
  rewards: readonly number[];
  ioCores: readonly number[];
  phase: readonly number[];
  reconfigured: readonly boolean[];
  /** Per epoch: whether its phase co-locates a held-out pair of workload types (optional). */
  novel?: readonly boolean[];
}

export const LOSS_CLASSES = ['switch', 'reaction', 'steady, same count', 'steady, other count'] as const;
export type LossClass = (typeof LOSS_CLASSES)[number];

export interface AgentBreakdown {
  agent: string;
  runs: number;
  /** Mean over runs of (return − best fixed's return) / oracle's return. */
  gap: number;
  /** Per class: mean over runs of Σ_class d / oracle return, and the share of the epochs in it. */
  classes: Record<LossClass, { gap: number; epochShare: number }>;
  /** Of the steady epochs, the share at the count the oracle chose in the same epoch. */
  steadyAtOracleCount: number;
  /** Gap to the oracle (mean over runs of Σ (r − r_oracle) / oracle return) in novel and familiar epochs, and their shares. */
  vsOracle?: { novel: { gap: number; epochShare: number }; familiar: { gap: number; epochShare: number } };
}

export interface BreakdownOptions {
  /** The agents to break down (as they appear in `EpochRun.agent`). */
  agents: readonly string[];
  /** The fixed counts (`baseline`, `static:x`); the best of them per scenario and seed is the reference. */
  fixed: readonly string[];
  /** The agent whose return normalises (`oracle`), also the count compared with in steady epochs. */
  oracle: string;
  /** Epochs after a phase start that count as reaction time. */
  reactionEpochs: number;
}

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/** Per epoch, the index of the first epoch of its phase (the episode's start counts as a phase start). */
export function phaseStarts(phase: readonly number[]): number[] {
  const starts = new Array<number>(phase.length);
  for (let t = 0; t < phase.length; t++) starts[t] = t > 0 && phase[t] === phase[t - 1] ? starts[t - 1]! : t;
  return starts;
}

/** The class of epoch t of `run` (`starts`: its `phaseStarts`). */
export function epochClass(run: EpochRun, starts: readonly number[], t: number, fixedCount: number, reactionEpochs: number): LossClass {
  if (run.reconfigured[t]) return 'switch';
  if (t - starts[t]! < reactionEpochs) return 'reaction';
  return run.ioCores[t] === fixedCount ? 'steady, same count' : 'steady, other count';
}

export function lossBreakdown(runs: readonly EpochRun[], o: BreakdownOptions): AgentBreakdown[] {
  const key = (r: EpochRun): string => `${r.scenario}\u0000${r.seed}`;
  const byCell = new Map<string, EpochRun[]>();
  for (const r of runs) {
    const k = key(r);
    const list = byCell.get(k);
    if (list) list.push(r);
    else byCell.set(k, [r]);
  }
  const out: AgentBreakdown[] = [];
  for (const agent of o.agents) {
    const gaps: number[] = [];
    const perClass = Object.fromEntries(LOSS_CLASSES.map((c) => [c, { gap: [] as number[], epochs: 0 }])) as Record<LossClass, { gap: number[]; epochs: number }>;
    let epochs = 0, steady = 0, steadyAtOracle = 0;
    const novelGap: number[] = [], familiarGap: number[] = [];
    let novelEpochs = 0, knowsNovel = true;
    for (const r of runs.filter((x) => x.agent === agent)) {
      const cell = byCell.get(key(r)) ?? [];
      const fixed = cell.filter((x) => o.fixed.includes(x.agent));
      const oracle = cell.find((x) => x.agent === o.oracle);
      if (fixed.length === 0 || !oracle) throw new Error(`loss breakdown: ${r.scenario} seed ${r.seed} lacks ${fixed.length === 0 ? 'the fixed counts' : o.oracle}`);
      const best = fixed.reduce((a, b) => (sum(b.rewards) > sum(a.rewards) ? b : a));
      const norm = sum(oracle.rewards);
      const n = Math.min(r.rewards.length, best.rewards.length);
      const fixedCount = best.ioCores[n - 1]!;
      const acc = Object.fromEntries(LOSS_CLASSES.map((c) => [c, 0])) as Record<LossClass, number>;
      const starts = phaseStarts(r.phase);
      for (let t = 0; t < n; t++) {
        const c = epochClass(r, starts, t, fixedCount, o.reactionEpochs);
        acc[c] += r.rewards[t]! - best.rewards[t]!;
        perClass[c].epochs++;
        epochs++;
        if (c.startsWith('steady')) {
          steady++;
          if (r.ioCores[t] === oracle.ioCores[t]) steadyAtOracle++;
        }
      }
      if (r.novel) {
        let nov = 0, fam = 0;
        for (let t = 0; t < n; t++) {
          const d = r.rewards[t]! - oracle.rewards[t]!;
          if (r.novel[t]) { nov += d; novelEpochs++; } else fam += d;
        }
        novelGap.push(nov / norm);
        familiarGap.push(fam / norm);
      } else knowsNovel = false;
      gaps.push((sum(r.rewards) - sum(best.rewards)) / norm);
      for (const c of LOSS_CLASSES) perClass[c].gap.push(acc[c] / norm);
    }
    if (gaps.length === 0) continue;
    out.push({
      agent, runs: gaps.length, gap: sum(gaps) / gaps.length,
      classes: Object.fromEntries(LOSS_CLASSES.map((c) => [c, { gap: sum(perClass[c].gap) / gaps.length, epochShare: perClass[c].epochs / epochs }])) as AgentBreakdown['classes'],
      steadyAtOracleCount: steady > 0 ? steadyAtOracle / steady : NaN,
      ...(knowsNovel ? {
        vsOracle: {
          novel: { gap: sum(novelGap) / gaps.length, epochShare: novelEpochs / epochs },
          familiar: { gap: sum(familiarGap) / gaps.length, epochShare: 1 - novelEpochs / epochs },
        },
      } : {}),
    });
  }
  return out;
}

/** The breakdown as a Markdown table (gaps in points of the normalised score, × 100). */
export function breakdownMarkdown(rows: readonly AgentBreakdown[], reactionEpochs: number): string {
  const pts = (x: number): string => (x * 100).toFixed(2);
  const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
  const lines = [
    `| agent | runs | total vs best fixed | ${LOSS_CLASSES.map((c) => `${c === 'reaction' ? `reaction (first ${reactionEpochs} epochs of a phase)` : c}`).join(' | ')} | steady epochs at the oracle's count |`,
    `|---|---:|---:|${LOSS_CLASSES.map(() => '---:').join('|')}|---:|`,
  ];
  for (const r of rows) {
    lines.push(`| ${r.agent} | ${r.runs} | ${pts(r.gap)} | ${LOSS_CLASSES.map((c) => `${pts(r.classes[c].gap)} (${pct(r.classes[c].epochShare)} of epochs)`).join(' | ')} | ${pct(r.steadyAtOracleCount)} |`);
  }
  const withNovel = rows.filter((r) => r.vsOracle);
  if (withNovel.length) {
    lines.push('', 'Gap to the oracle in the epochs of novel phases (a held-out pair of workload types together, never seen in training) and of familiar ones, in points of the normalised score; "per epoch": the mean difference per epoch of that kind in % of the oracle\'s mean reward per epoch (the gap ÷ the share). A policy that generalises loses no more per novel epoch than per familiar one:', '');
    lines.push('| agent | novel epochs: gap | per epoch | familiar epochs: gap | per epoch |', '|---|---:|---:|---:|---:|');
    for (const r of withNovel) {
      const v = r.vsOracle!;
      const per = (g: number, share: number): string => (share > 0 ? `${((g / share) * 100).toFixed(2)} %` : '–');
      lines.push(`| ${r.agent} | ${pts(v.novel.gap)} (${pct(v.novel.epochShare)} of epochs) | ${per(v.novel.gap, v.novel.epochShare)} | ${pts(v.familiar.gap)} (${pct(v.familiar.epochShare)} of epochs) | ${per(v.familiar.gap, v.familiar.epochShare)} |`);
    }
  }
  return lines.join('\n');
}
