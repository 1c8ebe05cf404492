/** The protocol's tables on a hand-made table of runs; every expected value is worked out in the comments. */
import { describe, expect, it } from '@jest/globals';
import { BEST_FIXED, summarise, summaryMarkdown, type EvalRow, type SummaryOptions } from '../../../experiments/protocol/summary.js';

// Two scenarios A and B, one evaluation seed, 600 steps of 100 ms (one simulated minute) per run.
const row = (agent: string, run: number, scenario: string, score: number, reconfigurations = 1, switchPenalty = 0): EvalRow => ({
  variant: switchPenalty ? `switchPenalty=${switchPenalty}` : '', agent, run, scenario, evalSeed: 0, score, steps: 600, reconfigurations, epochMs: 100, switchPenalty,
});
const rows: EvalRow[] = [
  row('oracle', 0, 'A', 100, 4), row('oracle', 0, 'B', 100, 4),
  row('baseline', 0, 'A', 80, 0), row('baseline', 0, 'B', 50, 0),
  row('static:1', 0, 'A', 90), row('static:1', 0, 'B', 60),
  row('iocm', 0, 'A', 85, 3), row('iocm', 0, 'B', 65, 5),
  row('ppo', 1, 'A', 95, 30), row('ppo', 1, 'B', 55, 10),
  row('ppo', 2, 'A', 91, 20), row('ppo', 2, 'B', 61, 20),
];
const opts: SummaryOptions = {
  agents: ['ppo', 'iocm', 'baseline', 'static:1', 'oracle'], learned: ['ppo'], fixed: ['baseline', 'static:1'],
  normaliser: 'oracle', heuristic: 'iocm', tieTolerance: 0.001, bootstrap: { reps: 300, seed: 0 },
};

describe('summarise', () => {
  const [v] = summarise(rows, opts);
  const get = (a: string) => v!.agents.find((x) => x.agent === a)!;

  it('normalises by the oracle and aggregates a learned agent over training seeds × scenarios', () => {
    const ppo = get('ppo');
    expect(ppo.runs).toBe(2);
    // normalised: A 0.95, 0.91; B 0.55, 0.61 → IQM of 0.55 0.61 0.91 0.95 cuts one each end: (0.61 + 0.91) / 2
    expect(ppo.iqm.point).toBeCloseTo(0.76, 12);
    // mean of the per-scenario means 0.93 and 0.58
    expect(ppo.mean.point).toBeCloseTo(0.755, 12);
    expect(ppo.iqm.lo).toBeLessThanOrEqual(ppo.iqm.point);
    expect(ppo.iqm.hi).toBeGreaterThanOrEqual(ppo.iqm.point);
    expect(ppo.perRun).toEqual([
      { run: 1, mean: expect.closeTo(0.75, 12), iqm: expect.closeTo(0.75, 12), switchesPerMin: 20 },
      { run: 2, mean: expect.closeTo(0.76, 12), iqm: expect.closeTo(0.76, 12), switchesPerMin: 20 },
    ]);
    // (30 + 10 + 20 + 20) switches over four one-minute runs
    expect(ppo.switchesPerMin).toBe(20);
  });

  it('counts win/tie/loss per scenario against IOcm and the best fixed count in hindsight', () => {
    const ppo = get('ppo');
    // ppo per scenario: A 93, B 58; iocm 85, 65 → win, loss; best fixed (static:1) 90, 60 → win, loss
    expect(ppo.wtlHeuristic).toEqual({ win: 1, tie: 0, loss: 1 });
    expect(ppo.wtlBestFixed).toEqual({ win: 1, tie: 0, loss: 1 });
    expect(ppo.vsBestFixed).toBeCloseTo((93 / 90 + 58 / 60) / 2, 12);
    expect(get('static:1').wtlBestFixed).toEqual({ win: 0, tie: 2, loss: 0 });
    expect(get('baseline').wtlBestFixed).toEqual({ win: 0, tie: 0, loss: 2 });
    expect(get('iocm').wtlHeuristic).toBeUndefined();
    // iocm: one run per scenario, so a zero-width interval at mean(0.85, 0.65)
    expect(get('iocm').mean).toEqual({ point: 0.75, lo: 0.75, hi: 0.75 });
  });

  it('shows the best fixed count in hindsight as a row after the fixed counts, never in bold', () => {
    const [w] = summarise(rows, opts);
    expect(w!.agents.map((a) => a.agent)).toEqual(['ppo', 'iocm', 'baseline', 'static:1', BEST_FIXED, 'oracle']);
    const best = w!.agents.find((a) => a.agent === BEST_FIXED)!;
    // per scenario the better of baseline and static:1: A 90, B 60 → 0.9 and 0.6 of the oracle
    expect(best.mean.point).toBeCloseTo(0.75, 12);
    expect(best.vsBestFixed).toBe(1);
    // against IOcm (A 85, B 65): wins A, loses B
    expect(best.wtlHeuristic).toEqual({ win: 1, tie: 0, loss: 1 });
    // a table where it has the highest mean: still not in bold
    const md = summaryMarkdown([{ ...w!, agents: w!.agents.filter((a) => a.agent !== 'ppo') }], { ...opts, title: 't', notes: [] });
    expect(md).toContain(`| ${BEST_FIXED} | 1 | 0.750 [`);
    expect(md).toContain('| iocm | 1 | **0.750 [');
  });

  it('without a normaliser divides by the best fixed count, which then scores 1', () => {
    const { normaliser: _n, ...rest } = opts;
    const [w] = summarise(rows, rest);
    expect(w!.normaliser).toBe('best fixed count in hindsight');
    expect(w!.agents.find((a) => a.agent === 'static:1')!.iqm).toEqual({ point: 1, lo: 1, hi: 1 });
  });

  it('adds the switch penalty back for the reward before the penalty', () => {
    const priced = [row('static:1', 0, 'A', 59.9, 1, 0.1), row('static:1', 0, 'B', 29.9, 1, 0.1)];
    const [w] = summarise(priced, { ...opts, agents: ['static:1'], learned: [], normaliser: undefined } as SummaryOptions);
    // (59.9 + 0.1) / 600 and (29.9 + 0.1) / 600: 0.1 and 0.05 per step
    expect(w!.agents[0]!.unpricedRewardPerStep).toBeCloseTo(0.075, 12);
  });

  it('writes a Markdown table with the best non-oracle IQM in bold and the losses shown', () => {
    const md = summaryMarkdown(summarise(rows, opts), { ...opts, title: 't', notes: ['n'] });
    expect(md).toContain('| ppo | 2 | **0.760 [');
    expect(md).toMatch(/\| baseline \| 1 \| 0\.650 \[0\.650, 0\.650\] .*\| 0 \/ 0 \/ 2 \|/);
  });
});
