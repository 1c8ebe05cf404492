/**
 * The figures of an evaluation, as Vega-Lite specs rendered by the plotting helper
 * (`experiments/plot/`: vega-lite → SVG → PNG), each written atomically as PNG and SVG:
 *
 * * `scores.{png,svg}` — the score of each agent on each scenario (mean with its 95% CI), one panel per
 *   scenario (four panels a row); with more than {@link SCORE_PANELS_MAX} scenarios, one panel with a
 *   column per scenario, scores relative to the best agent's there.
 * * `relative.{png,svg}` — when the oracle ran: a heat map of each agent's mean score relative to the
 *   dynamic oracle on each scenario, and its mean over scenarios (beyond {@link SCORE_PANELS_MAX}
 *   scenarios, narrow cells with numbers in the mean column only).
 * * `timeline-<scenario>.{png,svg}` — for one seed (the smallest), the I/O cores, throughput and reward
 *   of each agent over the episode (one row per agent), against the dynamic oracle's run (dashed); for
 *   the first `timelines` scenarios (default {@link DEFAULT_TIMELINES}), in the order of the records.
 */
import { join } from 'node:path';
import { loadScenario } from '../env/sim/scenario.js';
import { svgToPng, vegaLiteToSvg, type TopLevelSpec } from './plot/index.js';
import { writeFileAtomic } from './io.js';
import { overallRows, type SummaryRow } from './report.js';
import { readJob, type JobEntry, type JobFile } from './sweep.js';

/** A scenario's label: with its env variant only when the rows have more than one variant. */
function scenarioLabeller(rows: readonly SummaryRow[]): (r: SummaryRow) => string {
  const several = new Set(rows.map((r) => r.variant)).size > 1;
  return (r) => (several && r.variant ? `${r.scenario} (${r.variant})` : r.scenario);
}

/**
 * Scenarios up to which the scores figure has a panel per scenario; beyond, one panel with a column per
 * scenario (a sweep over 256 scenarios made a 1,900 × 34,712 px figure of panels).
 */
export const SCORE_PANELS_MAX = 16;

/** The title's claim about uncertainty: a CI only when some row has more than one seed. */
function ciClaim(rows: readonly SummaryRow[]): string {
  const ns = [...new Set(rows.map((r) => r.score.n))];
  if (ns.every((n) => n <= 1)) return 'one seed (no confidence interval)';
  return `mean ± 95% CI over ${ns.length === 1 ? ns[0] : `${Math.min(...ns)}–${Math.max(...ns)}`} seeds`;
}

export function scoresSpec(rows: readonly SummaryRow[]): TopLevelSpec {
  const scen = scenarioLabeller(rows);
  const values = rows.map((r) => ({
    agent: r.agent, scenario: scen(r), score: r.score.mean,
    lo: Number.isFinite(r.score.ci95) ? r.score.mean - r.score.ci95 : r.score.mean,
    hi: Number.isFinite(r.score.ci95) ? r.score.mean + r.score.ci95 : r.score.mean,
    oracle: r.agent.startsWith('oracle') ? 'oracle' : 'agent',
  }));
  const agents = [...new Set(values.map((v) => v.agent))];
  const scenarios = [...new Set(values.map((v) => v.scenario))];
  const variants = [...new Set(rows.map((r) => r.variant).filter((v) => v))];
  const claim = ciClaim(rows);
  if (scenarios.length > SCORE_PANELS_MAX) return scoresStripSpec(values, agents, scenarios, variants, claim);
  const withCi = rows.some((r) => Number.isFinite(r.score.ci95));
  // Points on an axis fitted to the scores, not bars from 0: the agents differ by 1–10 %, which bars
  // from zero hide. Oracles are diamonds.
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Score (episode return) per agent and scenario', subtitle: `${claim}; axes fitted to each scenario's scores, not from 0${variants.length === 1 ? `; ${variants[0]}` : ''}` },
    data: { values },
    facet: { field: 'scenario', type: 'nominal', title: null, sort: scenarios },
    columns: 4,
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: Math.max(160, 22 * agents.length), height: 200,
      layer: [
        ...(withCi ? [{ mark: { type: 'rule', color: 'black' }, encoding: {
          x: { field: 'agent', type: 'nominal', sort: agents },
          y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' },
        } }] : []),
        { mark: { type: 'point', filled: true, size: 70, opacity: 1 }, encoding: {
          x: { field: 'agent', type: 'nominal', sort: agents, title: null, axis: { labelAngle: -40 } },
          y: { field: 'score', type: 'quantitative', title: 'score', scale: { zero: false, nice: true } },
          color: { field: 'agent', type: 'nominal', sort: agents, legend: null },
          shape: { field: 'oracle', type: 'nominal', scale: { domain: ['agent', 'oracle'], range: ['circle', 'diamond'] }, legend: null },
        } },
      ],
    },
  } as unknown as TopLevelSpec;
}

/**
 * Many scenarios: one panel, a column per scenario, a point per agent (with its 95% CI). Scores are
 * divided by the best agent's mean score on the scenario, since episode lengths, and so scores, differ
 * between scenarios far more than between agents (raw scores when some scenario's best is not positive).
 */
function scoresStripSpec(values: { agent: string; scenario: string; score: number; lo: number; hi: number }[], agents: string[], scenarios: string[], variants: string[], claim: string): TopLevelSpec {
  const best = new Map<string, number>();
  for (const v of values) best.set(v.scenario, Math.max(best.get(v.scenario) ?? -Infinity, v.score));
  const relative = [...best.values()].every((b) => b > 0);
  const shown = relative ? values.map((v) => { const b = best.get(v.scenario)!; return { ...v, score: v.score / b, lo: v.lo / b, hi: v.hi / b }; }) : values;
  const yTitle = relative ? 'score / best agent\'s score on the scenario' : 'score';
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: relative ? 'Score per agent and scenario relative to the best agent there' : 'Score (episode return) per agent and scenario',
      subtitle: `${claim}; ${scenarios.length} scenarios in sweep order${variants.length === 1 ? `; ${variants[0]}` : ''}`,
    },
    data: { values: shown },
    width: Math.max(400, 9 * scenarios.length), height: 320,
    encoding: {
      x: { field: 'scenario', type: 'nominal', sort: scenarios, title: null, axis: { labelAngle: -90, labelFontSize: 7 } },
      color: { field: 'agent', type: 'nominal', sort: agents, title: 'agent' },
    },
    layer: [
      { mark: { type: 'rule', opacity: 0.6 }, encoding: { y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } } },
      { mark: { type: 'point', filled: true, size: 22, opacity: 0.85 }, encoding: { y: { field: 'score', type: 'quantitative', title: yTitle, scale: { zero: false } } } },
    ],
  } as unknown as TopLevelSpec;
}

/** Agents × scenarios heat map of the mean score relative to the dynamic oracle, with an "all" column. */
export function relativeSpec(rows: readonly SummaryRow[]): TopLevelSpec {
  const scen = scenarioLabeller(rows);
  const variants = [...new Set(rows.map((r) => r.variant).filter((v) => v))];
  const values: { agent: string; scenario: string; rel: number; text: string }[] = rows
    .filter((r) => Number.isFinite(r.relOracle.mean))
    .map((r) => ({ agent: r.agent, scenario: scen(r), rel: r.relOracle.mean, text: r.relOracle.mean.toFixed(2) }));
  const scenarios = [...new Set(values.map((v) => v.scenario))];
  if (scenarios.length > 1) {
    for (const o of overallRows(rows)) if (Number.isFinite(o.meanRel)) values.push({ agent: o.agent, scenario: 'mean', rel: o.meanRel, text: o.meanRel.toFixed(3) });
    scenarios.push('mean');
  }
  const agents = [...new Set(rows.map((r) => r.agent))];
  const lo = Math.min(0.8, ...values.map((v) => v.rel));
  // with many scenarios, narrow cells and the numbers in the "mean" column only (256 scenarios made a 24,000 px wide figure)
  const many = scenarios.length > SCORE_PANELS_MAX + 1;
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Score relative to the dynamic oracle (1 = as good as the oracle)', subtitle: `mean over seeds; "mean" = mean over scenarios${variants.length === 1 ? `; ${variants[0]}` : ''}` },
    data: { values },
    width: Math.max(200, (many ? 12 : 46) * scenarios.length), height: 26 * agents.length,
    encoding: {
      x: { field: 'scenario', type: 'nominal', sort: scenarios, title: null, axis: many ? { labelAngle: -90, labelFontSize: 7, orient: 'top' } : { labelAngle: -40, orient: 'top' } },
      y: { field: 'agent', type: 'nominal', sort: agents, title: null },
    },
    layer: [
      { mark: 'rect', encoding: { color: { field: 'rel', type: 'quantitative', title: 'vs oracle', scale: { scheme: 'redyellowgreen', domain: [lo, 1] } } } },
      { ...(many ? { transform: [{ filter: "datum.scenario === 'mean'" }] } : {}), mark: { type: 'text', fontSize: many ? 7 : 10 }, encoding: { text: { field: 'text', type: 'nominal' }, color: { value: 'black' } } },
    ],
  } as unknown as TopLevelSpec;
}

export function timelineSpec(records: readonly JobFile[], title: string): TopLevelSpec {
  // One row of panels per agent; the dynamic oracle's run (else the static oracle's) is drawn dashed
  // in every row, as the reference.
  const name = (r: JobFile): string => (r.job.agent === 'oracle-dynamic' || r.job.agent === 'oracle-dp' ? 'oracle' : r.job.agent);
  const ref = records.find((r) => name(r) === 'oracle') ?? records.find((r) => name(r) === 'oracle-static');
  const rows = records.filter((r) => r !== ref);
  const panels = rows.length ? rows : records;
  // One row per drawn point and metric. Inside a run of equal values only the run's first and last
  // points are kept: the lines (straight or step-after) pass through the same places, and a fast-tier
  // episode of ~1,000 epochs has only some 50 runs, so the SVG holds a twentieth of the points.
  const values: Record<string, unknown>[] = [];
  const push = (r: JobFile, panel: string, series: string): void => {
    const epochS = Number((r.envSpec.kwargs as { epochMs?: unknown }).epochMs ?? 100) / 1000;
    const steps = r.trace.step ?? [];
    for (const [metric, col] of [['ioCores', r.trace.ioCores], ['throughput', r.trace.throughputGbps], ['reward', r.trace.reward]] as const) {
      const v = (i: number): number | boolean | null => col?.[i] ?? null;
      for (let i = 0; i < steps.length; i++) {
        const inside = i > 0 && i < steps.length - 1 && Object.is(v(i), v(i - 1)) && Object.is(v(i), v(i + 1));
        if (!inside) values.push({ panel, series, metric, t: (steps[i] as number) * epochS, v: v(i) });
      }
    }
  };
  for (const r of panels) {
    push(r, name(r), 'agent');
    if (ref && r !== ref) push(ref, name(r), name(ref));
  }
  const order = panels.map(name);
  const refName = ref ? name(ref) : 'oracle';
  // Phase boundaries (grey rules in every panel) and names (above the top row), from the phase column.
  const phases = phaseSpans(panels[0]!);
  for (const p of order) {
    for (const metric of ['ioCores', 'throughput', 'reward']) {
      for (const b of phases.slice(1)) values.push({ panel: p, series: 'phase', metric, t: b.start });
    }
  }
  const top = order[0];
  const total = phases.length ? phases[phases.length - 1]!.end : 1;
  for (const b of phases) {
    const name = fitLabel(b.name, (300 * (b.end - b.start)) / total);
    for (const metric of ['ioCores', 'throughput', 'reward']) values.push({ panel: top, series: 'phase-name', metric, t: (b.start + b.end) / 2, name });
  }
  const col = (metric: string, ytitle: string, step: boolean, labels: boolean): Record<string, unknown> => ({
    transform: [{ filter: { field: 'metric', equal: metric } }],
    facet: { row: { field: 'panel', type: 'nominal', sort: order, title: null, header: labels ? { labelAngle: 0, labelAlign: 'left', labelFontSize: 11 } : { labels: false } } },
    spec: {
      width: 300, height: 55,
      layer: [
        { transform: [{ filter: "datum.series === 'phase'" }], mark: { type: 'rule', color: '#999', strokeWidth: 0.8, strokeDash: [2, 2] }, encoding: { x: { field: 't', type: 'quantitative' } } },
        { transform: [{ filter: "datum.series === 'phase-name'" }], mark: { type: 'text', fontSize: 7, baseline: 'bottom', dy: -3, color: '#555' },
          encoding: { x: { field: 't', type: 'quantitative' }, y: { value: 0 }, text: { field: 'name', type: 'nominal' } } },
        { transform: [{ filter: "datum.series !== 'phase' && datum.series !== 'phase-name'" }],
          mark: { type: 'line', strokeWidth: 1.3, ...(step ? { interpolate: 'step-after' } : {}) },
          encoding: {
            x: { field: 't', type: 'quantitative', title: 'simulated time (s)' },
            y: { field: 'v', type: 'quantitative', title: ytitle },
            color: { field: 'series', type: 'nominal', scale: { domain: ['agent', refName], range: ['#1f77b4', '#d62728'] }, title: null, legend: null },
            strokeDash: { field: 'series', type: 'nominal', scale: { domain: ['agent', refName], range: [[1, 0], [4, 3]] }, legend: null },
          } },
      ],
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle: `${ref ? `each agent (solid) against the ${refName} (dashed); ` : ''}dotted lines: phase boundaries, named above the top row`, offset: 14 },
    data: { values },
    hconcat: [col('ioCores', 'I/O cores', true, true), col('throughput', 'Gbit/s', false, false), col('reward', 'reward', false, false)],
  } as unknown as TopLevelSpec;
}

/**
 * A phase name that fits in `px` pixels of 7 px text (≈ 4.6 px a character, one spare): without a
 * generated `p<i>-` prefix (`p3-tcp_rr` → `tcp_rr`; the order shows the index), cut with '…' if still
 * too long, so that neighbours never overlap.
 */
export function fitLabel(name: string, px: number): string {
  const chars = Math.floor(px / 4.6) - 1;
  const bare = name.replace(/^p\d+-/, '');
  if (bare.length <= chars) return bare;
  return chars >= 2 ? `${bare.slice(0, chars - 1)}…` : '';
}

/** A run's phases as time spans (s), named from its scenario (`phase <i>` where it cannot be loaded). */
export function phaseSpans(r: JobFile): { name: string; start: number; end: number }[] {
  const epochS = Number((r.envSpec.kwargs as { epochMs?: unknown }).epochMs ?? 100) / 1000;
  const col = r.trace.phase ?? [];
  let names: string[] = [];
  try {
    const sc = (r.envSpec.kwargs as { scenario?: unknown }).scenario;
    if (typeof sc === 'string' || (sc !== null && typeof sc === 'object')) names = loadScenario(sc as string | object).phases.map((p) => p.name);
  } catch { /* a scenario file that moved: numbered phases */ }
  const spans: { name: string; start: number; end: number }[] = [];
  for (let i = 0; i < col.length; i++) {
    const p = col[i];
    if (i > 0 && Object.is(p, col[i - 1])) continue;
    const last = spans[spans.length - 1];
    if (last) last.end = i * epochS;
    spans.push({ name: typeof p === 'number' ? names[p] ?? `phase ${p}` : '', start: i * epochS, end: col.length * epochS });
  }
  return spans;
}

/** Renders a spec to `<base>.svg` and `<base>.png` (both atomically). */
export async function writeFigure(spec: TopLevelSpec, base: string): Promise<string[]> {
  const svg = await vegaLiteToSvg(spec);
  writeFileAtomic(`${base}.svg`, svg);
  writeFileAtomic(`${base}.png`, svgToPng(svg, 2));
  return [`${base}.png`, `${base}.svg`];
}

/** A file-name part: runs of other characters as one '_', none at either end (`heldout:3` → `heldout_3`). */
export const safe = (s: string): string => s.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 80);

/**
 * Timelines drawn unless asked for more: each takes ≈ 0.25 s to render, so a sweep over 256 scenarios
 * spent a minute drawing them after its jobs were done. The paper comparison has 12 scenarios.
 */
export const DEFAULT_TIMELINES = 16;

export interface FiguresWritten {
  files: string[];
  /** Scenarios (with their env variant) that have a timeline, and how many could have one. */
  timelines: { drawn: number; of: number };
}

/** Writes the figures of an evaluation into `outDir` (`timelines`: at most that many timeline figures). */
export async function writeFigures(records: readonly (JobEntry | JobFile)[], summary: readonly SummaryRow[], outDir: string, o: { timelines?: number } = {}): Promise<FiguresWritten> {
  const maxTimelines = o.timelines ?? DEFAULT_TIMELINES;
  const files = await writeFigure(scoresSpec(summary), join(outDir, 'scores'));
  if (summary.some((r) => Number.isFinite(r.relOracle.mean))) files.push(...(await writeFigure(relativeSpec(summary), join(outDir, 'relative'))));
  const groups = new Map<string, (JobEntry | JobFile)[]>();
  // the env variant is part of a timeline's name only when the sweep has several (no `_fidelity_fast_`)
  const severalVariants = new Set(records.map((r) => r.job.variant)).size > 1;
  for (const r of records) {
    const k = severalVariants && r.job.variant ? `${r.job.scenario} (${r.job.variant})` : r.job.scenario;
    (groups.get(k) ?? groups.set(k, []).get(k)!).push(r);
  }
  let drawn = 0;
  for (const [k, g] of groups) {
    if (drawn >= maxTimelines) break;
    const seed = Math.min(...g.map((r) => r.seed));
    const one = new Map<string, JobFile>();
    for (const r of g) {
      if (r.seed !== seed || one.has(r.job.agent)) continue;
      // the timelines need the per-epoch trace: read from the job file when the entry is a light one
      const full = 'trace' in r ? r : readJob(outDir, r.job.hash);
      if (full) one.set(r.job.agent, full);
    }
    const recs = [...one.values()].filter((r) => (r.trace.ioCores ?? []).length > 0);
    if (recs.length === 0) continue;
    files.push(...(await writeFigure(timelineSpec(recs, `${k}, seed ${seed}: I/O cores, throughput and reward per epoch`), join(outDir, `timeline-${safe(k)}`))));
    drawn++;
  }
  return { files, timelines: { drawn, of: groups.size } };
}

/** What the figures left out, for a command's last line ('' when nothing). */
export function timelinesNote(w: FiguresWritten['timelines']): string {
  if (w.drawn >= w.of) return '';
  return w.drawn === 0 ? `; no timelines (--timelines n|all draws them)` : `; timelines for the first ${w.drawn} of ${w.of} scenarios (--timelines all draws every one)`;
}
