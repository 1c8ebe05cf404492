/** The tables: the overall table without oracles, the CI claim, the p99 header, what a command prints. */
import { describe, expect, it } from '@jest/globals';
import { overallRows, summaryMarkdown, terminalSummary, type SummaryRow } from '../../experiments/report.js';
import { P99_HEADER } from '../../experiments/latency.js';

const s = (mean: number, n = 1) => ({ n, mean, std: NaN, ci95: n > 1 ? 1 : NaN, min: mean, max: mean });
const row = (agent: string, scenario: string, score: number, rel = NaN, n = 1): SummaryRow => ({
  agent, scenario, variant: '', score: s(score, n), relOracle: s(rel, n),
  throughputGbps: 1, transactionsPerSec: 1, p99Us: 50, exitsPerSec: 1, reconfigurations: 0, meanIoCores: 1,
});

describe('report', () => {
  it('without oracles the overall table compares each agent with the best agent per scenario', () => {
    // a: iocm 90, static 100; b: iocm 50, static 40 → iocm 0.9 and 1, static 1 and 0.8
    const rows = [row('iocm', 'a', 90), row('static:1', 'a', 100), row('iocm', 'b', 50), row('static:1', 'b', 40)];
    const o = overallRows(rows);
    expect(o.map((r) => [r.agent, r.scenarios, r.best])).toEqual([['iocm', 2, 1], ['static:1', 2, 1]]);
    expect(o[0]!.meanRel).toBeCloseTo(0.95, 12);
    expect(o[0]!.minRel).toBeCloseTo(0.9, 12);
    expect(o[1]!.meanRel).toBeCloseTo(0.9, 12);
    const md = summaryMarkdown(rows);
    expect(md).toContain('| agent | scenarios | mean vs best agent | worst vs best agent | best non-oracle on |');
    expect(md).toContain('| iocm | 2 | 0.950 | 0.900 | 1 |');
    expect(md).not.toContain('| vs oracle |');
  });

  it('with the oracle, relative to the oracle as before', () => {
    const rows = [row('iocm', 'a', 90, 0.9), row('oracle', 'a', 100, 1), row('iocm', 'b', 45, 0.9), row('oracle', 'b', 50, 1)];
    expect(summaryMarkdown(rows)).toContain('| iocm | 2 | 0.900 | 0.900 | 2 |');
  });

  it('claims a CI only with several seeds, and names its p99 in the header', () => {
    const one = summaryMarkdown([row('iocm', 'a', 90)]);
    expect(one).toContain('one seed (n = 1), so no confidence interval');
    expect(one).not.toContain('95% CI');
    expect(one).toContain(`| ${P99_HEADER} |`);
    expect(summaryMarkdown([row('iocm', 'a', 90, NaN, 3)])).toContain('mean ± 95% CI (t-based) over seeds');
  });

  it('the terminal gets the overall table only, or the one scenario\'s table', () => {
    const many = Array.from({ length: 300 }, (_, i) => [row('iocm', `s${i}`, 90), row('static:1', `s${i}`, 100)]).flat();
    const t = terminalSummary(many);
    expect(t).toMatch(/^## Overall \(300 scenarios\)/);
    expect(t.split('\n').length).toBeLessThan(12);
    expect(terminalSummary([row('iocm', 'a', 90)])).toMatch(/^## a\n/);
  });
});
