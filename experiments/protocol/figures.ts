/**
 * The protocol's figures, from its summary (pure spec builders; `run.ts` renders them):
 *
 * * `scores.png/.svg`: per agent, the IQM of the normalised score with its 95 % interval (a bar with a
 *   point), the mean as a hollow diamond, and every test scenario's score (mean over runs) as a faint
 *   tick, so the spread behind an aggregate is visible; one panel per env variant.
 * * `variants.png/.svg` (only with several variants): per agent, IQM and switches per minute across
 *   the variants, to show how scores and switching move (the switch-penalty sweep, the ablations).
 */
import { wrapTitle, type TopLevelSpec } from '../plot/index.js';
import type { VariantSummary } from './summary.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/**
 * Short names of the variants: only the `key=value` parts that differ between them (the labels are
 * `variantLabel`'s comma-joined `key=value` lists), `default` for an empty one.
 */
export function shortVariantLabels(labels: readonly string[]): string[] {
  const parts = labels.map((l) => (l ? l.split(',') : []));
  const common = new Set(parts[0]?.filter((p) => parts.every((ps) => ps.includes(p))) ?? []);
  if (labels.length < 2) common.clear();
  return parts.map((ps, i) => ps.filter((p) => !common.has(p)).join(', ') || (labels[i] && labels.length < 2 ? labels[i]! : 'default'));
}

/** One row per (variant, agent) for the interval layers; one per (variant, agent, scenario) for the ticks. */
export function scoreRows(vs: readonly VariantSummary[]): { intervals: Record<string, unknown>[]; scenarios: Record<string, unknown>[] } {
  const intervals: Record<string, unknown>[] = [];
  const scenarios: Record<string, unknown>[] = [];
  const labels = shortVariantLabels(vs.map((v) => v.variant));
  for (const [vi, v] of vs.entries()) {
    const variant = labels[vi]!;
    for (const a of v.agents) {
      intervals.push({ variant, agent: a.agent, iqm: a.iqm.point, lo: a.iqm.lo, hi: a.iqm.hi, mean: a.mean.point, runs: a.runs });
      a.perScenario.forEach((score, i) => {
        if (Number.isFinite(score)) scenarios.push({ variant, agent: a.agent, scenario: v.scenarios[i], score });
      });
    }
  }
  return { intervals, scenarios };
}

/** IQM with 95 % intervals per agent, per-scenario ticks behind them; one row of panels per variant. */
export function scoresChartSpec(vs: readonly VariantSummary[], title: string): TopLevelSpec {
  const { intervals, scenarios } = scoreRows(vs);
  const order = [...new Set(vs.flatMap((v) => v.agents.map((a) => a.agent)))];
  // labelLimit 0: agent specs such as iocm:bugCompatible=true are longer than vega-lite's default 180 px
  const y = { field: 'agent', type: 'nominal', sort: order, title: null, axis: { labelLimit: 0 } };
  const x = (field: string): Record<string, unknown> => ({ field, type: 'quantitative', title: `score relative to ${vs[0]?.normaliser ?? 'the normaliser'}`, scale: { zero: false } });
  const layer = [
    { data: { values: scenarios }, mark: { type: 'tick', opacity: 0.25, color: '#888', thickness: 1 }, encoding: { y, x: x('score'), tooltip: [{ field: 'scenario' }, { field: 'score', format: '.4f' }] } },
    { data: { values: intervals }, mark: { type: 'rule', strokeWidth: 3, color: '#1f77b4' }, encoding: { y, x: x('lo'), x2: { field: 'hi' } } },
    { data: { values: intervals }, mark: { type: 'point', filled: true, size: 60, color: '#1f77b4' }, encoding: { y, x: x('iqm'), tooltip: [{ field: 'agent' }, { field: 'iqm', format: '.4f' }, { field: 'lo', format: '.4f' }, { field: 'hi', format: '.4f' }, { field: 'runs' }] } },
    { data: { values: intervals }, mark: { type: 'point', shape: 'diamond', filled: false, size: 60, color: '#d62728' }, encoding: { y, x: x('mean') } },
  ];
  const panel = { width: 560, height: Math.max(120, 22 * order.length), layer };
  const sub = 'blue: IQM with stratified-bootstrap 95 % interval; red diamond: mean; grey ticks: each test scenario (mean over runs)';
  const head = { text: wrapTitle(title, 70), subtitle: sub };
  if (vs.length <= 1) return { $schema: SCHEMA, title: head, ...panel } as unknown as TopLevelSpec;
  return {
    $schema: SCHEMA,
    title: head,
    vconcat: shortVariantLabels(vs.map((v) => v.variant)).map((label) => ({
      title: label,
      ...panel,
      layer: layer.map((l) => ({ ...l, transform: [{ filter: { field: 'variant', equal: label } }] })),
    })),
  } as unknown as TopLevelSpec; // built as plain objects; vega-lite validates them when compiling
}

/** Per agent, IQM and switches per minute across the variants (in the summary's order). */
export function variantsChartSpec(vs: readonly VariantSummary[], title: string): TopLevelSpec {
  const labels = shortVariantLabels(vs.map((v) => v.variant));
  const rows = vs.flatMap((v, i) => v.agents.map((a) => ({ variant: labels[i], agent: a.agent, iqm: a.iqm.point, lo: a.iqm.lo, hi: a.iqm.hi, switchesPerMin: a.switchesPerMin })));
  const x = { field: 'variant', type: 'ordinal', sort: labels, title: null, axis: { labelAngle: -20, labelLimit: 240 } };
  const color = { field: 'agent', type: 'nominal', title: null, legend: { orient: 'right', labelLimit: 0 } };
  const panel = (field: string, yTitle: string, extra: Record<string, unknown>[] = []): Record<string, unknown> => ({
    width: 420, height: 260,
    layer: [
      ...extra,
      { mark: { type: 'line', point: true }, encoding: { x, y: { field, type: 'quantitative', title: yTitle, scale: { zero: false } }, color, tooltip: [{ field: 'agent' }, { field: 'variant' }, { field, format: '.4f' }] } },
    ],
  });
  const ci = { mark: { type: 'rule', opacity: 0.6 }, encoding: { x, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' }, color } };
  return {
    $schema: SCHEMA,
    title: { text: wrapTitle(title, 90), subtitle: 'left: IQM of the normalised score (vertical bars: 95 % intervals); right: changes of the I/O-core count per simulated minute' },
    data: { values: rows },
    hconcat: [panel('iqm', 'IQM (normalised score)', [ci]), panel('switchesPerMin', 'switches per minute')],
  } as unknown as TopLevelSpec;
}
