/**
 * The figures of an evaluation, as Vega-Lite specs rendered by the plotting helper
 * (`experiments/plot/`: vega-lite → SVG → PNG), each written atomically as PNG and SVG:
 *
 * * `scores.{png,svg}` — the score of each agent on each scenario (mean with its 95% CI), one panel per
 *   scenario.
 * * `timeline-<scenario>.{png,svg}` — for one seed (the smallest), the I/O cores and the throughput of
 *   each agent over the episode, the oracles' included (dashed).
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
  const values: Record<string, unknown>[] = [];
  const agents: string[] = [];
  for (const r of records) {
    const agent = r.job.agent === 'oracle-dynamic' ? 'oracle' : r.job.agent;
    agents.push(agent);
    const epochS = Number((r.envSpec.kwargs as { epochMs?: unknown }).epochMs ?? 100) / 1000;
    const io = r.trace.ioCores ?? [];
    const tp = r.trace.throughputGbps ?? [];
    const steps = r.trace.step ?? [];
    for (let i = 0; i < steps.length; i++) {
      values.push({ agent, t: (steps[i] as number) * epochS, ioCores: io[i] ?? null, throughput: tp[i] ?? null, dashed: agent.startsWith('oracle') ? 'oracle' : 'agent' });
    }
  }
  const enc = (field: string, ytitle: string): Record<string, unknown> => ({
    x: { field: 't', type: 'quantitative', title: 'simulated time at the epoch start (s)' },
    y: { field, type: 'quantitative', title: ytitle },
    color: { field: 'agent', type: 'nominal', sort: agents, title: 'agent' },
    strokeDash: { field: 'dashed', type: 'nominal', scale: { domain: ['agent', 'oracle'], range: [[1, 0], [5, 3]] }, legend: null },
  });
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title,
    data: { values },
    vconcat: [
      { width: 640, height: 150, mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.5 }, encoding: enc('ioCores', 'I/O cores') },
      { width: 640, height: 180, mark: { type: 'line', strokeWidth: 1 }, encoding: enc('throughput', 'throughput (Gbit/s)') },
    ],
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
    files.push(...(await writeFigure(timelineSpec(recs, `${k}, seed ${seed}: I/O cores and throughput over time`), join(outDir, `timeline-${safe(k)}`))));
  }
  return files;
}
