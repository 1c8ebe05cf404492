import { describe, expect, it } from '@jest/globals';
import type { JobEntry, JobFile } from '../../../experiments/job-file.js';
import type { SummaryRow } from '../../../experiments/report.js';
import { toRuns } from '../../../experiments/record.js';
import { countSwitches, flatRuns, phaseBands, phaseNames, reportData, roundSignificant, timelineData, timelineSource } from '../../../experiments/report-html/data.js';
import type { Summary } from '../../../experiments/stats.js';

const summ = (mean: number, ci95 = NaN, n = 1): Summary => ({ n, mean, std: NaN, ci95, min: mean, max: mean });

function row(agent: string, scenario: string, score: number, rel: number, reconf: number, relCi = NaN): SummaryRow {
  return { agent, scenario, variant: '', score: summ(score), relOracle: summ(rel, relCi), throughputGbps: 1, transactionsPerSec: 0, p99Us: 10, exitsPerSec: 5, reconfigurations: reconf, meanIoCores: 1 };
}

const envSpec = { id: 'SideCore-v1', kwargs: { scenario: 'paper', fidelity: 'fast' } } as unknown as JobFile['envSpec'];

function job(agent: string, scenario: string, seed: number, describe: Record<string, unknown> = {}): JobEntry {
  return {
    format: 'iocm-gym/run@3', envSpec, seed, agent: { spec: agent, actionMode: 'absolute', describe },
    summary: { score: 2, steps: 4 } as JobEntry['summary'], provenance: { package: 'iocm-gym@0.1.0' },
    job: { hash: `${agent}-${scenario}-${seed}`, agent, seed, maxSteps: null, scenario, variant: '', inputEnvSpec: envSpec },
  };
}

describe('report data', () => {
  it('rounds to significant digits, NaN and missing to null', () => {
    expect(roundSignificant(123.456789)).toBe(123.46);
    expect(roundSignificant(0.000123456789)).toBe(0.00012346);
    expect(roundSignificant(-98765.4321)).toBe(-98765);
    expect(roundSignificant(NaN)).toBeNull();
    expect(roundSignificant(null)).toBeNull();
    expect(roundSignificant(true)).toBe(1);
  });

  it('flattens runs, merging runs equal once rounded', () => {
    expect(flatRuns(toRuns([1, 1, 2, 2, 2, null]), (x) => (typeof x === 'number' ? x : null))).toEqual([1, 2, 2, 3, null, 1]);
    expect(flatRuns([[1.000001, 2], [1.000002, 1], [3, 1]], (x) => roundSignificant(x))).toEqual([1, 3, 3, 1]);
    expect(flatRuns([], (x) => roundSignificant(x))).toEqual([]);
  });

  it('counts switches from the reconfigured flags (a change on the first step included), else between steps', () => {
    // from the initial 0 cores to 3 on the first step, then to 2 on the last
    expect(countSwitches(toRuns([3, 3, 3, 2]), toRuns([true, false, false, true]))).toBe(2);
    expect(countSwitches(toRuns([3, 3, 3, 2]))).toBe(1);
    expect(countSwitches(toRuns([0, 1, 0, 1]))).toBe(3);
  });

  it('turns a phase column into named bands [name, first step, end step)', () => {
    expect(phaseBands(toRuns([0, 0, 1, 1, 1, 2]), ['a', 'b'])).toEqual([['a', 0, 2], ['b', 2, 5], ['phase 2', 5, 6]]);
    // two phases of the same name stay two bands; one run split in two stays one
    expect(phaseBands([[0, 2], [1, 2], [1, 1]], ['x', 'x'])).toEqual([['x', 0, 2], ['x', 2, 5]]);
    expect(phaseBands([], ['a'])).toEqual([]);
  });

  it('names the phases of the scenario a record ran on (env/scenarios/paper.json)', () => {
    expect(phaseNames(envSpec)).toEqual(['light', 'stream', 'rr', 'cpu', 'memcached', 'light-again']);
    expect(phaseNames({ id: 'NoSuchEnv-v9', kwargs: {} } as unknown as JobFile['envSpec'])).toEqual([]);
  });

  it('builds per-scenario cells, the overall rows and the oracle searches from the summary and records', () => {
    const summary = [
      row('iocm', 's1', 90, 0.9, 10, 0.02), row('static:1', 's1', 80, 0.8, 1), row('oracle', 's1', 100, 1, 2),
      row('iocm', 's2', 45, 0.9, 6), row('static:1', 's2', 48, 0.96, 1), row('oracle', 's2', 50, 1, 3),
    ];
    const records = [
      job('iocm', 's1', 1), job('iocm', 's1', 0), job('static:1', 's1', 0),
      job('oracle-dynamic', 's1', 0, { oracle: 'dynamic', space: '5^2 schedules (…)', spaceSize: 25, evaluations: { steps: 400, phaseSims: 10 }, schedule: [2, 0], phases: ['x', 'y'] }),
      job('iocm', 's2', 0), job('static:1', 's2', 0), job('oracle', 's2', 0, { oracle: 'dynamic', space: '5^1 schedules', schedule: [1], phases: ['z'] }),
    ];
    const { data, timelineJobs } = reportData({ title: 'T', command: "iocm-gym evaluate --agents 'a b'", records, summary });
    expect(data.agents).toEqual(['iocm', 'static:1', 'oracle']);
    expect(data.scenarios.map((s) => s.label)).toEqual(['s1', 's2']);
    expect(data.scenarios[0]!.cells[0]).toEqual([90, null, 0.9, 0.02, 10, 1, 10, 5, 1, 1]);
    const iocm = data.overall.find((o) => o.agent === 'iocm')!;
    // by hand: mean of 0.9 and 0.9; worst 0.9; best non-oracle on s1 only; switches (10 + 6) / 2
    expect(iocm).toMatchObject({ scenarios: 2, meanRel: 0.9, minRel: 0.9, best: 1, meanScore: 67.5, switches: 8 });
    expect(data.overall.find((o) => o.agent === 'static:1')).toMatchObject({ meanRel: 0.88, minRel: 0.8, best: 1 });
    expect(data.overall.find((o) => o.agent === 'oracle')!.best).toBeNull();
    expect(data.oracles).toEqual([
      { scenario: 0, kind: 'dynamic', seed: 0, space: '5^2 schedules (…)', spaceSize: 25, steps: 400, phaseSims: 10, schedule: 'x=2 y=0', score: 2 },
      { scenario: 1, kind: 'dynamic', seed: 0, space: '5^1 schedules', spaceSize: null, steps: null, phaseSims: null, schedule: 'z=1', score: 2 },
    ]);
    expect(data.seeds).toEqual([0, 1]);
    expect(data.runs).toBe(7);
    // the timelines use the smallest seed's run of each agent
    expect(timelineJobs.map((t) => t.jobs.map((j) => `${j.job.agent}/${j.seed}`))).toEqual([
      ['iocm/0', 'static:1/0', 'oracle-dynamic/0'], ['iocm/0', 'static:1/0', 'oracle/0'],
    ]);
  });

  it('keeps a timeline\'s columns as runs, with the phases and switch counts of the run', () => {
    const f: JobFile = {
      ...job('oracle-dynamic', 'paper', 0), actions: [0, 0, 2, 2], rewards: [0.5, 0.5, 0.25, 0.25],
      trace: { ioCores: [0, 0, 2, 2], phase: [0, 0, 1, 1], throughputGbps: [1, 1, 2.123456, 2.123457], p99Us: [null, null, 5, 5], reward: [0.5, 0.5, 0.25, 0.25], reconfigured: [false, false, true, false] },
    } as unknown as JobFile;
    const tl = timelineData(3, [timelineSource(f)])!;
    expect(tl).toEqual({
      scenario: 3, seed: 0, steps: 4, epochS: 0.1, phases: [['light', 0, 2], ['stream', 2, 4]],
      series: [{ agent: 'oracle', io: [0, 2, 2, 2], tp: [1, 2, 2.1235, 2], p99: [null, 2, 5, 2], reward: [0.5, 2, 0.25, 2], switches: 1 }],
    });
    expect(timelineData(0, [timelineSource({ ...f, trace: {} } as JobFile)])).toBeNull();
  });
});
