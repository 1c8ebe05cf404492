import { describe, it, expect } from '@jest/globals';
import {
  DEFAULT_IOCM_PARAMS, IOCM_PARAM_NAMES, iocmParams, parseIocmParams, createIocmAgent,
} from '../../../agents/iocm/index.js';

describe('IocmParams defaults (eecb876, iocm-policy.md §3.1, §4.1)', () => {
  it('has the published thresholds and regret constants', () => {
    const p = parseIocmParams({});
    expect(p.addRatio).toEqual([0.5, 0.12, 0.12, 0.12, 0.12]);
    expect(p.canRemoveRatio).toEqual([0, 0.8, 0.8, 0.8, 1.0]);
    expect(p.minAvgBytesPerPacket).toEqual([1600, 1600, 1600, 1600, 1600]);
    expect([p.vmAddRatio, p.vmCanRemoveRatio, p.forceVmWantsEmpty]).toEqual([0.05, 1.0, 1.3]);
    expect([p.minIoCores, p.maxIoCores, p.jumpDivisor]).toEqual([0, 4, 2]);
    expect([p.bpcHistoryLength, p.lockFactor, p.requestHistoryLength, p.requestQuorum]).toEqual([5, 1.5, 20, 0.6]);
    expect([p.trialGraceSamples, p.trialMeasuredSamples, p.acceptMargin, p.acceptOnEqual]).toEqual([5, 5, 0.01, true]);
    expect([p.initialPenalty, p.penaltyFactor, p.maxPenaltyFactor, p.initialLastGood]).toEqual([20, 2, 5, 0]);
    expect([p.overallZeroFloor, p.noPacketsAvgBpp, p.emptyClamp]).toEqual([1e-7, 1, true]);
    expect([p.batchingIgnoresMin, p.maxTestEquality, p.keepHistoryOnStartStop]).toEqual([true, true, true]);
  });

  it('defaults to the intended units', () => {
    const p = parseIocmParams({});
    expect(p.bugCompatible).toBe(false);
    expect([p.cpuTimeDivisor, p.cputimeHz, p.idleTickHz, p.stopWrittenForm]).toEqual([1, 0, 0, false]);
  });

  it('bugCompatible=true selects the released units; other overrides apply on top', () => {
    const p = parseIocmParams({ bugCompatible: 'true' });
    expect([p.cpuTimeDivisor, p.cputimeHz, p.idleTickHz, p.stopWrittenForm]).toEqual([2.5, 250, 100, true]);
    const q = parseIocmParams({ idleTickHz: '0', bugCompatible: 'true' });
    expect([q.bugCompatible, q.cpuTimeDivisor, q.idleTickHz]).toEqual([true, 2.5, 0]);
  });

  it('parses numbers, booleans and threshold tables', () => {
    const p = parseIocmParams({
      maxIoCores: '3', acceptMargin: '5e-2', acceptOnEqual: 'false', canRemoveRatio: '0/0.5/0.8/1',
      requestQuorum: '1',
    });
    expect(p.maxIoCores).toBe(3);
    expect(p.acceptMargin).toBe(0.05);
    expect(p.acceptOnEqual).toBe(false);
    expect(p.canRemoveRatio).toEqual([0, 0.5, 0.8, 1]);
    expect(p.requestQuorum).toBe(1);
  });

  it('never lets callers mutate the frozen defaults', () => {
    const p = iocmParams();
    p.addRatio[1] = 99;
    expect(DEFAULT_IOCM_PARAMS.addRatio[1]).toBe(0.12);
  });

  it('every parameter name is parseable with its default value', () => {
    const d = iocmParams();
    const record: Record<string, string> = {};
    for (const k of IOCM_PARAM_NAMES) {
      const v = d[k];
      record[k] = Array.isArray(v) ? v.join('/') : String(v);
    }
    expect(parseIocmParams(record)).toEqual(d);
  });
});

describe('parseIocmParams errors: one line naming the parameter', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ foo: '1' }, /unknown parameter 'foo'/],
    [{ maxIoCores: 'four' }, /'maxIoCores' must be a number/],
    [{ maxIoCores: '2.5' }, /'maxIoCores' must be a non-negative integer/],
    [{ minIoCores: '-1' }, /'minIoCores' must be a non-negative integer/],
    [{ requestHistoryLength: '0' }, /'requestHistoryLength' must be a positive integer/],
    [{ requestQuorum: '1.5' }, /'requestQuorum' must be a number in \[0, 1\]/],
    [{ jumpDivisor: '0' }, /'jumpDivisor' must be a positive number/],
    [{ acceptOnEqual: 'yes' }, /'acceptOnEqual' must be true or false/],
    [{ bugCompatible: '' }, /'bugCompatible' must be true or false/],
    [{ addRatio: '0.5' }, /'addRatio' must be at least two/],
    [{ addRatio: '0.5/x' }, /'addRatio' must be a number/],
    [{ addRatio: '0.5/-1' }, /'addRatio' must be non-negative/],
    [{ acceptMargin: 'NaN' }, /'acceptMargin' must be a number/],
    [{ acceptMargin: 'Infinity' }, /'acceptMargin' must be a number/],
    [{ minIoCores: '1', maxIoCores: '0' }, /'maxIoCores' must be ≥ 1/],
    // cross-field: a minimum above the maximum is refused at the spec (the policy would START(max))
    [{ minIoCores: '3', maxIoCores: '1' }, /^iocm: parameter 'minIoCores' must be ≤ maxIoCores \(1\), got '3'$/],
    [{ minIoCores: '5' }, /^iocm: parameter 'minIoCores' must be ≤ maxIoCores \(4\), got '5'$/],
  ];
  it.each(cases)('%j', (rec, re) => {
    let msg = '';
    try {
      parseIocmParams(rec);
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(re);
    expect(msg).toMatch(/^iocm: /);
    expect(msg).not.toContain('\n');
  });
});

describe('createIocmAgent', () => {
  it('builds the spec string and records its parameters', () => {
    expect(createIocmAgent().spec).toBe('iocm');
    const a = createIocmAgent({ bugCompatible: 'true', maxIoCores: '3' });
    expect(a.spec).toBe('iocm:bugCompatible=true,maxIoCores=3');
    expect(a.params.maxIoCores).toBe(3);
    const d = a.describe();
    expect(d.agent).toBe('iocm');
    expect(d.bugCompatible).toBe(true);
    expect(d.actionMode).toBe('absolute');
    expect(createIocmAgent({}, 'iocm:').spec).toBe('iocm:');
  });

  it('rejects a bad parameter', () => {
    expect(() => createIocmAgent({ nope: '1' })).toThrow(/unknown parameter 'nope'/);
  });
});

describe('preset=jul2016: the late-July-2016 code (iocm-policy.md §3.1 History, §4.5 Parameter history)', () => {
  it('gives the July thresholds and regret constants as the history lists them', () => {
    const p = parseIocmParams({ preset: 'jul2016' });
    // thresholds before 1010500: add 0.4 / 0.05 (elvis-4 still 0.05 before 2016-08-08), elvis-2 removes
    // above 0.5, min_avg_bpp 0 (before 8652086), no 1.3 rule, the stop never succeeds
    expect(p.addRatio).toEqual([0.4, 0.05, 0.05, 0.05, 0.05]);
    expect(p.canRemoveRatio).toEqual([0, 0.8, 0.5, 0.8, 1.0]);
    expect(p.minAvgBytesPerPacket).toEqual([0, 0, 0, 0, 0]);
    expect([p.forceVmWantsRule, p.stopCanSucceed, p.jumpDivisor, p.emptyClamp]).toEqual([false, false, 1, false]);
    // regret layer 4e538ae … eecb876 with 601ec7f's lock and margin
    expect([p.requestHistoryLength, p.bpcHistoryLength, p.lockFactor]).toEqual([20, 20, 1.5]);
    expect([p.trialGraceSamples, p.trialMeasuredSamples]).toEqual([5, 20]);
    expect([p.initialPenalty, p.penaltyFactor, p.maxPenaltyFactor]).toEqual([100, 10, 50]);
    expect([p.acceptMargin, p.acceptOnEqual, p.quorumIntegerDivision]).toEqual([0.01, false, true]);
    // unchanged: VM side, limits, quorum share, intended units
    expect([p.vmAddRatio, p.vmCanRemoveRatio, p.minIoCores, p.maxIoCores, p.requestQuorum]).toEqual([0.05, 1.0, 0, 4, 0.6]);
    expect([p.bugCompatible, p.cpuTimeDivisor, p.cputimeHz, p.idleTickHz]).toEqual([false, 1, 0, 0]);
  });

  it('leaves the default without a preset (and the new switches on)', () => {
    const p = parseIocmParams({});
    expect([p.stopCanSucceed, p.forceVmWantsRule]).toEqual([true, true]);
    expect(p).toEqual(iocmParams());
  });

  it('applies the preset first, then the bugCompatible family, then the other overrides', () => {
    const p = parseIocmParams({ acceptOnEqual: 'true', bugCompatible: 'true', preset: 'jul2016' });
    expect([p.bpcHistoryLength, p.initialPenalty]).toEqual([20, 100]); // the preset
    expect([p.cpuTimeDivisor, p.cputimeHz, p.idleTickHz]).toEqual([2.5, 250, 100]); // the family
    expect(p.acceptOnEqual).toBe(true); // the override
    expect(parseIocmParams({ preset: 'jul2016', lockFactor: '2', acceptMargin: '0.05' }).lockFactor).toBe(2);
  });

  it('the agent records its preset (and the default agent no preset key)', () => {
    expect(createIocmAgent({ preset: 'jul2016' }).describe().preset).toBe('jul2016');
    expect('preset' in createIocmAgent().describe()).toBe(false);
  });

  it('refuses an unknown preset in one line naming the known ones', () => {
    expect(() => parseIocmParams({ preset: 'jan2016' })).toThrow(/^iocm: unknown preset 'jan2016' \(known: jul2016\)$/);
    expect(() => createIocmAgent({ preset: '' })).toThrow(/unknown preset ''/);
  });
});
