import { describe, it, expect } from '@jest/globals';
import { DEFAULT_COSTS } from '../../env/sim/costs.js';
import { loadScenario } from '../../env/sim/scenario.js';
import type { EpochCounters } from '../../env/sim/counters.js';
import { aggregateKickToService, costTable, costUnit, packetsPerSec, segmentBytesOf, traceTimeS } from '../../experiments/simulate-report.js';

describe('simulate report fields', () => {
  it('trace times carry no binary-fraction artefacts: 0.1 + 0.2 is written 0.3', () => {
    expect(traceTimeS(0.1 + 0.2)).toBe(0.3);
    expect(String(traceTimeS(3 * 0.1))).toBe('0.3');
    expect(traceTimeS(12.5)).toBe(12.5);
  });

  it('every cost entry has a unit, and the table holds the values in force', () => {
    const t = costTable();
    expect(Object.keys(t).sort()).toEqual(Object.keys(DEFAULT_COSTS).sort());
    expect(t.exitKickCycles).toMatchObject({ value: DEFAULT_COSTS.exitKickCycles, unit: 'host cycles', tags: ['3RD'] });
    expect(t.exitKickCycles!.default).toBeUndefined(); // only overrides carry their default
    expect(t.idleWakeNs!.unit).toBe('ns');
    expect(t.vnetHdrBytes).toMatchObject({ value: 12, unit: 'bytes' });
    for (const r of Object.values(t)) expect(r.source.length).toBeGreaterThan(10);
    expect(costUnit('guestUdpFactor')).toBe('ratio');
  });

  it('with a clock, cycle costs carry their time; an override carries the default it replaces', () => {
    const t = costTable({ ...DEFAULT_COSTS, idleWakeNs: 2000 }, 2.5);
    expect(t.exitKickCycles!.ns).toBeCloseTo(2565 / 2.5, 9); // cycles ÷ GHz = ns
    expect(t.idleWakeNs).toMatchObject({ value: 2000, default: 1000 });
    expect(t.idleWakeNs!.ns).toBeUndefined(); // already in ns
  });

  it('segment size per VM: the streams\' segmentBytes, null for other workloads', () => {
    const sc = loadScenario({
      name: 't', vms: 2,
      phases: [
        { durationS: 1, workload: { type: 'tcp_stream_tx', segmentBytes: 1448 }, perVm: [null, { type: 'tcp_rr' }] },
        { durationS: 1, workload: { type: 'tcp_stream_rx' } },
      ],
    });
    expect(segmentBytesOf(sc, [0], 0)).toEqual([1448]);
    expect(segmentBytesOf(sc, [0], 1)).toBeNull();
    expect(segmentBytesOf(sc, [0, 1], 0)).toEqual([1448, 65536]);
  });

  it('kick-to-service over epochs: sample-weighted mean and p99, mean rate; null when a tier has none', () => {
    // 1,000 samples/s at 2 µs and 3,000/s at 4 µs: mean (2·1 + 4·3) / 4 = 3.5 µs, 2,000 samples/s
    const k = aggregateKickToService([{ mean: 2, p99: 3, perSec: 1000 }, { mean: 4, p99: 7, perSec: 3000 }]);
    expect(k).toEqual({ mean: 3.5, p99: 6, perSec: 2000 });
    expect(aggregateKickToService([{ mean: 2, p99: 3, perSec: 1000 }, undefined])).toBeNull();
    expect(aggregateKickToService([{ mean: NaN, p99: NaN, perSec: 0 }])).toEqual({ mean: NaN, p99: NaN, perSec: 0 });
  });

  it('packets/s: chains over the wall time of all epochs', () => {
    const c = (p: number) => ({ handledPackets: p, wallNs: 1e8 }) as EpochCounters;
    expect(packetsPerSec([c(1000), c(3000)])).toBe(20_000);
  });
});
