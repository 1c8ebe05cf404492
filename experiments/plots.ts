/**
 * The figures of an evaluation, as Vega-Lite specs rendered by the plotting helper
 * (`experiments/plot/`: vega-lite → SVG → PNG), each written atomically as PNG and SVG:
 *
 * * `scores.{png,svg}` — the score of each agent on each scenario (mean with its 95% CI), one panel per
 *   scenario.
 * * `timeline-<scenario>.{png,svg}` — for one seed (the smallest), the I/O cores, throughput and reward
 *   of each agent over the episode (one row per agent), against the dynamic oracle's run (dashed).
 */
import { join } from 'node:path';
import { svgToPng, vegaLiteToSvg, type TopLevelSpec } from './plot/index.js';
import { writeFileAtomic } from './io.js';
import type { SummaryRow } from './report.js';
import type { JobFile } from './sweep.js';

export function scoresSpec(rows: readonly SummaryRow[]): TopLevelSpec {
  const values = rows.map((r) => ({
    agent: r.agent, scenario: r.variant ? `${r.scenario} (${r.variant})` : r.scenario, score: r.score.mean,
    lo: Number.isFinite(r.score.ci95) ? r.score.mean - r.score.ci95 : r.score.mean,
    hi: Number.isFinite(r.score.ci95) ? r.score.mean + r.score.ci95 : r.score.mean,
    oracle: r.agent.startsWith('oracle') ? 'oracle' : 'agent',
  }));
  const agents = [...new Set(values.map((v) => v.agent))];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: 'Score (episode return) per agent and scenario, mean ± 95% CI',
    data: { values },
    facet: { column: { field: 'scenario', type: 'nominal', title: null } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: Math.max(160, 22 * agents.length), height: 220,
      layer: [
        { mark: { type: 'bar', opacity: 0.85 }, encoding: {
          x: { field: 'agent', type: 'nominal', sort: agents, title: null, axis: { labelAngle: -40 } },
          y: { field: 'score', type: 'quantitative', title: 'score', scale: { zero: false } },
          color: { field: 'agent', type: 'nominal', sort: agents, legend: null },
        } },
        { mark: { type: 'rule', color: 'black' }, encoding: {
          x: { field: 'agent', type: 'nominal', sort: agents },
          y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' },
        } },
      ],
    },
  } as unknown as TopLevelSpec;
}

export function timelineSpec(records: readonly JobFile[], title: string): TopLevelSpec {
  // One row of panels per agent; the dynamic oracle's run (else the static oracle's) is drawn dashed
  // in every row, as the reference.
  const name = (r: JobFile): string => (r.job.agent === 'oracle-dynamic' ? 'oracle' : r.job.agent);
  const ref = records.find((r) => name(r) === 'oracle') ?? records.find((r) => name(r) === 'oracle-static');
  const rows = records.filter((r) => r !== ref);
  const panels = rows.length ? rows : records;
  const values: Record<string, unknown>[] = [];
  const push = (r: JobFile, panel: string, series: string): void => {
    const epochS = Number((r.envSpec.kwargs as { epochMs?: unknown }).epochMs ?? 100) / 1000;
    const steps = r.trace.step ?? [];
    for (let i = 0; i < steps.length; i++) {
      values.push({ panel, series, t: (steps[i] as number) * epochS, ioCores: r.trace.ioCores?.[i] ?? null, throughput: r.trace.throughputGbps?.[i] ?? null, reward: r.trace.reward?.[i] ?? null });
    }
  };
  for (const r of panels) {
    push(r, name(r), 'agent');
    if (ref && r !== ref) push(ref, name(r), name(ref));
  }
  const order = panels.map(name);
  const refName = ref ? name(ref) : 'oracle';
  const col = (field: string, ytitle: string, step: boolean, labels: boolean): Record<string, unknown> => ({
    facet: { row: { field: 'panel', type: 'nominal', sort: order, title: null, header: labels ? { labelAngle: 0, labelAlign: 'left', labelFontSize: 11 } : { labels: false } } },
    spec: {
      width: 300, height: 55,
      mark: { type: 'line', strokeWidth: 1.3, ...(step ? { interpolate: 'step-after' } : {}) },
      encoding: {
        x: { field: 't', type: 'quantitative', title: 'simulated time (s)' },
        y: { field, type: 'quantitative', title: ytitle },
        color: { field: 'series', type: 'nominal', scale: { domain: ['agent', refName], range: ['#1f77b4', '#d62728'] }, title: null },
        strokeDash: { field: 'series', type: 'nominal', scale: { domain: ['agent', refName], range: [[1, 0], [4, 3]] }, legend: null },
      },
    },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle: ref ? `each agent (solid) against the ${refName} (dashed)` : '' },
    data: { values },
    hconcat: [col('ioCores', 'I/O cores', true, true), col('throughput', 'Gbit/s', false, false), col('reward', 'reward', false, false)],
  } as unknown as TopLevelSpec;
}

/** Renders a spec to `<base>.svg` and `<base>.png` (both atomically). */
export async function writeFigure(spec: TopLevelSpec, base: string): Promise<string[]> {
  const svg = await vegaLiteToSvg(spec);
  writeFileAtomic(`${base}.svg`, svg);
  writeFileAtomic(`${base}.png`, svgToPng(svg, 2));
  return [`${base}.png`, `${base}.svg`];
}

const safe = (s: string): string => s.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 80);

/** Writes every figure of an evaluation into `outDir`; returns the files. */
export async function writeFigures(records: readonly JobFile[], summary: readonly SummaryRow[], outDir: string): Promise<string[]> {
  const files = await writeFigure(scoresSpec(summary), join(outDir, 'scores'));
  const groups = new Map<string, JobFile[]>();
  for (const r of records) {
    const k = r.job.variant ? `${r.job.scenario} (${r.job.variant})` : r.job.scenario;
    (groups.get(k) ?? groups.set(k, []).get(k)!).push(r);
  }
  for (const [k, g] of groups) {
    const seed = Math.min(...g.map((r) => r.seed));
    const one = new Map<string, JobFile>();
    for (const r of g) if (r.seed === seed && !one.has(r.job.agent)) one.set(r.job.agent, r);
    const recs = [...one.values()].filter((r) => (r.trace.ioCores ?? []).length > 0);
    if (recs.length === 0) continue;
    files.push(...(await writeFigure(timelineSpec(recs, `${k}, seed ${seed}: I/O cores, throughput and reward per epoch`), join(outDir, `timeline-${safe(k)}`))));
  }
  return files;
}
