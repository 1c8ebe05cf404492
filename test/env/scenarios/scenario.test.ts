import { describe, it, expect } from '@jest/globals';
import { isScenario, loadScenario, phaseAt, phaseEnds } from '../../../env/scenarios/scenario.js';

describe('phaseAt and phaseEnds', () => {
  it('finds the phase holding a time; the last phase at and after the end', () => {
    const ends = [20, 40, 45];
    expect(phaseAt(ends, 0)).toBe(0);
    expect(phaseAt(ends, 19.999)).toBe(0);
    expect(phaseAt(ends, 20)).toBe(1); // a phase starts at its predecessor's end
    expect(phaseAt(ends, 44.9)).toBe(2);
    expect(phaseAt(ends, 45)).toBe(2);
    expect(phaseAt(ends, 1e9)).toBe(2);
    expect(phaseAt([10], 3)).toBe(0);
  });

  it('phaseEnds are the cumulative durations (paper: six 20 s phases)', () => {
    expect(phaseEnds(loadScenario('paper'))).toEqual([20, 40, 60, 80, 100, 120]);
  });

  it('isScenario tells a loaded scenario from a name or a raw spec', () => {
    expect(isScenario(loadScenario('mixed'))).toBe(true);
    expect(isScenario('mixed')).toBe(false);
    expect(isScenario({ name: 'x', vms: 1, phases: [{ durationS: 1, workload: { type: 'idle' } }] })).toBe(false);
  });
});

describe('host defaults and load validation', () => {
  const sc = (host: object, workload: object) => ({ name: 't', host, vms: 2, phases: [{ durationS: 1, workload }] });

  it('maxIoCores defaults to min(4, cores - 1): 3 on a 4-core host, 4 on an 8-core host', () => {
    expect(loadScenario(sc({ cores: 4 }, { type: 'idle' })).host.maxIoCores).toBe(3);
    expect(loadScenario(sc({ cores: 8 }, { type: 'idle' })).host.maxIoCores).toBe(4);
    expect(loadScenario(sc({ cores: 2 }, { type: 'idle' })).host.maxIoCores).toBe(1);
    expect(loadScenario({ name: 't', vms: 1, phases: [{ durationS: 1, workload: { type: 'idle' } }] }).host.maxIoCores).toBe(4);
  });

  it('a workload with both outstanding and ratePerSec is refused, naming where', () => {
    expect(() => loadScenario(sc({}, { type: 'tcp_rr', outstanding: 2, ratePerSec: 1000 }))).toThrow(/phases\[0\]\.workload: give outstanding .* not both/);
    const perVm = { name: 't', vms: 2, phases: [{ durationS: 1, workload: { type: 'idle' }, perVm: [null, { type: 'memcached', outstanding: 1, ratePerSec: 5 }] }] };
    expect(() => loadScenario(perVm)).toThrow(/phases\[0\]\.perVm\[1\]/);
  });
});
