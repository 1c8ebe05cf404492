/** The protocol's figure specs on hand-made summaries: what each figure plots, and the variant names. */
import { describe, expect, it } from '@jest/globals';
import { scoreRows, scoresChartSpec, shortVariantLabels, variantsChartSpec } from '../../../experiments/protocol/figures.js';
import { vegaLiteToSvg } from '../../../experiments/plot/index.js';
import type { AgentSummary, VariantSummary } from '../../../experiments/protocol/summary.js';

const agent = (name: string, iqm: number, perScenario: number[], switchesPerMin = 0): AgentSummary => ({
  agent: name, runs: 3, iqm: { point: iqm, lo: iqm - 0.01, hi: iqm + 0.01 }, mean: { point: iqm - 0.005, lo: iqm - 0.02, hi: iqm + 0.02 },
  vsBestFixed: 1, wtlBestFixed: { win: 0, tie: 0, loss: 0 }, switchesPerMin, unpricedRewardPerStep: 0.9, perScenario,
});
const variant = (label: string, ppo: number): VariantSummary => ({
  variant: label, scenarios: ['A', 'B'], normaliser: 'oracle',
  agents: [agent('ppo', ppo, [ppo, NaN], 20), agent('iocm', 0.95, [0.9, 1])],
});

describe('shortVariantLabels', () => {
  it('keeps only the key=value parts that differ between variants', () => {
    expect(shortVariantLabels(['fidelity=fast,switchPenalty=0', 'fidelity=fast,switchPenalty=0.05'])).toEqual(['switchPenalty=0', 'switchPenalty=0.05']);
    expect(shortVariantLabels(['fidelity=fast', 'fidelity=fast,cores=16'])).toEqual(['default', 'cores=16']);
  });
  it('leaves a single variant its whole label, and names an empty one "default"', () => {
    expect(shortVariantLabels(['fidelity=fast'])).toEqual(['fidelity=fast']);
    expect(shortVariantLabels([''])).toEqual(['default']);
  });
});

describe('scoreRows', () => {
  it('has one interval row per agent and variant and one tick per finite per-scenario score', () => {
    const { intervals, scenarios } = scoreRows([variant('a=1', 0.97), variant('a=2', 0.93)]);
    expect(intervals).toHaveLength(4);
    expect(intervals[0]).toMatchObject({ variant: 'a=1', agent: 'ppo', iqm: 0.97, lo: 0.96, hi: 0.98 });
    // ppo's B score is NaN (no run there) and is left out: 1 + 2 ticks per variant
    expect(scenarios).toHaveLength(6);
    expect(scenarios).toContainEqual({ variant: 'a=2', agent: 'iocm', scenario: 'B', score: 1 });
  });
});

describe('chart specs', () => {
  it('draw one panel per variant, and the variants chart has IQM and switches side by side', () => {
    const vs = [variant('a=1', 0.97), variant('a=2', 0.93)];
    const one = scoresChartSpec([vs[0]!], 't') as unknown as { layer: unknown[] };
    expect(one.layer).toHaveLength(4);
    const two = scoresChartSpec(vs, 't') as unknown as { vconcat: { title: string }[] };
    expect(two.vconcat.map((p) => p.title)).toEqual(['a=1', 'a=2']);
    const across = variantsChartSpec(vs, 't') as unknown as { data: { values: { agent: string; switchesPerMin: number }[] }; hconcat: unknown[] };
    expect(across.hconcat).toHaveLength(2);
    expect(across.data.values.filter((r) => r.agent === 'ppo').map((r) => r.switchesPerMin)).toEqual([20, 20]);
  });
});

describe('scoresChartSpec rendered', () => {
  it('shows a long agent spec whole on the axis, not cut short with an ellipsis', async () => {
    const long = 'iocm:bugCompatible=true';
    const v: VariantSummary = { variant: '', scenarios: ['A', 'B'], normaliser: 'oracle', agents: [agent(long, 0.88, [0.87, 0.89]), agent('ppo', 0.99, [0.98, 1])] };
    const svg = await vegaLiteToSvg(scoresChartSpec([v], 't'));
    const texts = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(texts).toContain(long);
    expect(texts.filter((t) => t!.includes('…'))).toEqual([]);
  });
});
