import { describe, expect, it } from '@jest/globals';
import { SCORE_PANELS_MAX, fitLabel, phaseSpans, relativeSpec, safe, scoresSpec, timelineSpec } from '../../experiments/plots.js';
import type { JobFile } from '../../experiments/job-file.js';
import type { SummaryRow } from '../../experiments/report.js';

const stat = (mean: number, ci95 = NaN) => ({ n: 2, mean, std: 0, ci95, min: mean, max: mean });
const row = (agent: string, scenario: string, score: number): SummaryRow => ({
  agent, scenario, variant: '', score: stat(score, 1), relOracle: stat(NaN),
  throughputGbps: 1, transactionsPerSec: 1, p99Us: 1, exitsPerSec: 1, reconfigurations: 0, meanIoCores: 1,
});
const rowsFor = (n: number, score = (i: number, a: number) => 100 * (i + 1) + a): SummaryRow[] =>
  Array.from({ length: n }, (_, i) => ['iocm', 'static:1'].map((a, k) => row(a, `s${i}`, score(i, k)))).flat();

interface Spec { facet?: unknown; data: { values: { agent: string; scenario: string; score: number; lo: number }[] } }

describe('scoresSpec', () => {
  it('has a panel per scenario up to SCORE_PANELS_MAX scenarios', () => {
    const spec = scoresSpec(rowsFor(SCORE_PANELS_MAX)) as unknown as Spec;
    expect(spec.facet).toBeDefined();
    expect(spec.data.values.find((v) => v.scenario === 's0' && v.agent === 'iocm')!.score).toBe(100);
  });

  it('beyond, one panel of scores relative to the best agent on each scenario', () => {
    const spec = scoresSpec(rowsFor(SCORE_PANELS_MAX + 1)) as unknown as Spec;
    expect(spec.facet).toBeUndefined();
    const v = spec.data.values;
    expect(v).toHaveLength(2 * (SCORE_PANELS_MAX + 1));
    const s3 = v.filter((x) => x.scenario === 's3');
    expect(s3.map((x) => x.score)).toEqual([400 / 401, 1]);
    expect(s3[1]!.lo).toBeCloseTo(400 / 401);
  });

  it('keeps raw scores when a scenario\'s best score is not positive', () => {
    const spec = scoresSpec(rowsFor(SCORE_PANELS_MAX + 1, (i, a) => (i === 0 ? -5 - a : 10 + a))) as unknown as Spec;
    expect(spec.data.values.find((x) => x.scenario === 's1' && x.agent === 'static:1')!.score).toBe(11);
  });
});

describe('relativeSpec', () => {
  const withOracle = (n: number): SummaryRow[] => rowsFor(n).map((r) => ({ ...r, relOracle: stat(r.agent === 'iocm' ? 0.9 : 1) }));
  interface Rel { width: number; layer: { transform?: unknown[]; mark: { type?: string } | string }[]; data: { values: { scenario: string }[] } }

  it('gives every cell its number up to SCORE_PANELS_MAX scenarios, then only the mean column, in narrow cells', () => {
    const few = relativeSpec(withOracle(SCORE_PANELS_MAX)) as unknown as Rel;
    const many = relativeSpec(withOracle(4 * SCORE_PANELS_MAX)) as unknown as Rel;
    expect(few.layer[1]!.transform).toBeUndefined();
    expect(many.layer[1]!.transform).toEqual([{ filter: "datum.scenario === 'mean'" }]);
    expect(many.data.values.filter((v) => v.scenario === 'mean')).toHaveLength(2);
    expect(many.width / (4 * SCORE_PANELS_MAX + 1)).toBeLessThan(few.width / (SCORE_PANELS_MAX + 1) / 2);
  });
});

describe('timelineSpec', () => {
  // A run of 200 epochs: I/O cores 1 then 2, throughput ramping in the middle, reward NaN once.
  const n = 200;
  const io = Array.from({ length: n }, (_, i) => (i < 120 ? 1 : 2));
  const tp = Array.from({ length: n }, (_, i) => (i < 50 ? 3 : i < 60 ? 3 + (i - 50) / 10 : 4));
  const rw = Array.from({ length: n }, (_, i) => (i === 7 ? null : i < 120 ? 0.5 : 0.7));
  const job = (agent: string): JobFile => ({
    envSpec: { id: 'SideCore-v1', kwargs: { epochMs: 100 } }, job: { agent },
    trace: { step: io.map((_, i) => i), ioCores: io, throughputGbps: tp, reward: rw },
  }) as unknown as JobFile;
  type Point = { panel: string; series: string; metric: string; t: number; v: number | null };
  const points = (metric: string): Point[] =>
    (timelineSpec([job('iocm'), job('oracle-dynamic')], 't') as unknown as { data: { values: Point[] } }).data.values
      .filter((p) => p.metric === metric && p.panel === 'iocm' && p.series === 'agent');
  // The line through the kept points, read at each epoch, as vega draws it (straight or step-after).
  const at = (ps: Point[], t: number, step: boolean): number | null => {
    const k = ps.findIndex((p) => p.t >= t - 1e-9);
    if (Math.abs(ps[k]!.t - t) < 1e-9) return ps[k]!.v;
    const [a, b] = [ps[k - 1]!, ps[k]!];
    return step ? a.v : a.v! + ((b.v! - a.v!) * (t - a.t)) / (b.t - a.t);
  };

  it('keeps only the ends of runs of equal values, and the lines pass through every epoch\'s value', () => {
    for (const [metric, col, step] of [['ioCores', io, true], ['throughput', tp, false], ['reward', rw, false]] as const) {
      const ps = points(metric);
      expect(ps.length).toBeLessThan(30);
      expect(ps[0]!.t).toBe(0);
      expect(ps.at(-1)!.t).toBeCloseTo((n - 1) / 10, 9);
      for (let i = 0; i < n; i++) {
        const want = col[i] ?? null;
        if (want === null) expect(ps.some((p) => Math.abs(p.t - i / 10) < 1e-9 && p.v === null)).toBe(true);
        else if (col[i - 1] !== null && col[i + 1] !== null) expect(at(ps, i / 10, step)).toBeCloseTo(want, 9);
      }
    }
  });
});

describe('figures say what they show', () => {
  const one = (agent: string, scenario: string, score: number): SummaryRow => ({ ...row(agent, scenario, score), score: { n: 1, mean: score, std: NaN, ci95: NaN, min: score, max: score } });

  it('scores: no "95% CI" claim and no CI rules with one seed; the claim names the seeds otherwise', () => {
    const s1 = scoresSpec([one('iocm', 'a', 100), one('static:1', 'a', 97)]) as unknown as { title: { text: string; subtitle: string }; spec: { layer: { mark: { type: string } }[] } };
    expect(JSON.stringify(s1.title)).not.toMatch(/CI over|± 95/);
    expect(s1.title.subtitle).toMatch(/^one seed \(no confidence interval\)/);
    expect(s1.spec.layer.map((l) => l.mark.type)).toEqual(['point']);
    const s2 = scoresSpec([row('iocm', 'a', 100), row('static:1', 'a', 97)]) as unknown as { title: { subtitle: string }; spec: { layer: { mark: { type: string } }[] } };
    expect(s2.title.subtitle).toMatch(/^mean ± 95% CI over 2 seeds/);
    expect(s2.spec.layer.map((l) => l.mark.type)).toEqual(['rule', 'point']);
  });

  it('scores: the axis is not forced to start at 0 (a 3 % gap stays visible)', () => {
    const s = scoresSpec([one('iocm', 'a', 100), one('static:1', 'a', 97)]) as unknown as { spec: { layer: { encoding: { y: { scale?: { zero?: boolean } } } }[] } };
    expect(s.spec.layer.at(-1)!.encoding.y.scale?.zero).toBe(false);
  });

  it('file-name parts have no leading or trailing underscores', () => {
    expect(safe('heldout:3')).toBe('heldout_3');
    expect(safe('paper (fidelity=fast)')).toBe('paper_fidelity_fast');
  });

  it('timelines: phase spans from the phase column, with the scenario\'s phase names', () => {
    // 3 epochs of phase 0, 2 of phase 1 of the `paper` scenario (its first phases: light, stream)
    const r = { envSpec: { id: 'SideCore-v1', kwargs: { scenario: 'paper' } }, trace: { phase: [0, 0, 0, 1, 1] } } as unknown as JobFile;
    const spans = phaseSpans(r);
    expect(spans.map((b) => b.name)).toEqual(['light', 'stream']);
    expect(spans[0]!.start).toBe(0);
    expect(spans[0]!.end).toBeCloseTo(0.3, 12);
    expect(spans[1]!.start).toBeCloseTo(0.3, 12);
    expect(spans[1]!.end).toBeCloseTo(0.5, 12);
    const spec = timelineSpec([{ ...r, job: { agent: 'iocm' }, trace: { ...r.trace, step: [0, 1, 2, 3, 4], ioCores: [0, 0, 0, 1, 1] } } as unknown as JobFile], 't') as unknown as { data: { values: { series: string; t: number; name?: string }[] } };
    const bounds = spec.data.values.filter((v) => v.series === 'phase');
    expect(new Set(bounds.map((b) => b.t.toFixed(3)))).toEqual(new Set(['0.300']));
    expect(spec.data.values.filter((v) => v.series === 'phase-name').map((v) => v.name)).toContain('stream');
  });
});

describe('fitLabel', () => {
  it('drops a generated p<i>- prefix and cuts what does not fit', () => {
    expect(fitLabel('memcached', 50)).toBe('memcached'); // 50 / 4.6 → 10 chars, one spare: 9
    expect(fitLabel('p3-tcp_rr', 37)).toBe('tcp_rr'); // 8 − 1 = 7 chars
    expect(fitLabel('p3-tcp_stream_tx', 28)).toBe('tcp_…'); // 6 − 1 = 5 chars
    expect(fitLabel('p3-tcp_rr', 6)).toBe('');
  });
});
