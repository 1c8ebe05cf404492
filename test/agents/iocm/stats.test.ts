/** The §2 statistics from raw counters, in the intended and the bug-compatible units (T12, T15, §7.1–7.2). */
import { describe, it, expect } from '@jest/globals';
import {
  computeStats, emptyCapacity, initialCarry, iocmParams, quantise, bytesPerCycle,
} from '../../../agents/iocm/index.js';
import { C, T, counters } from './helpers.js';

const intended = iocmParams();
const bug = iocmParams({ bugCompatible: true });
const st = (over: Parameters<typeof counters>[0], p = intended) => computeStats(counters(over), p, initialCarry()).stats;

describe('§2 arithmetic', () => {
  it('T12: empty from nW·C − Wk, clamped at 0, borrowed stays 0', () => {
    expect(st({ workerWorkCycles: 3.96e8 }).empty).toBeCloseTo(0.2, 12);
    expect(st({ workerWorkCycles: 4.3e8 }).empty).toBeCloseTo(0.0454545, 6);
    const r = computeStats(counters({ workerWorkCycles: 4.5e8 }), intended, initialCarry());
    expect(r.stats.empty).toBe(0);
    expect(r.carry.borrowed).toBe(0);
  });

  it('T12: avg_bpp is integer division, 1 without packets', () => {
    expect(st({ handledBytes: 3199, handledPackets: 2 }).avgBpp).toBe(1599);
    expect(st({ handledBytes: 3200, handledPackets: 2 }).avgBpp).toBe(1600);
    expect(st({ handledBytes: 3200, handledPackets: 0 }).avgBpp).toBe(1);
  });

  it('effective ratio, bpc and throughput', () => {
    const s = st({ workerWorkCycles: 1.1e8, vqBytes: 0.5 * C, handledBytes: 3.5 * C });
    expect(s.effectiveIoRatio).toBe(0.5);
    expect(s.bpc).toBe(0.5);
    expect(s.throughput).toBe(3);
    expect(bytesPerCycle(counters({ vqBytes: 0.25 * C }))).toBe(0.25);
  });

  it('overall_io_ratio = U/T in cores; exactly 0 becomes 1e-7', () => {
    expect(st({ vhostCpuNs: 1.5 * T }).overallIoRatio).toBe(1.5);
    expect(st({ vhostCpuNs: 0 }).overallIoRatio).toBe(1e-7);
  });

  it('vm_idle = Σ I_c / T in idle cores', () => {
    expect(st({ vmCoreIdleNs: [T, 0.5 * T, 0.25 * T, 0, 0, 0] }).vmIdle).toBe(1.75);
  });

  it('empty in baseline uses nW = the per-device workers', () => {
    expect(st({ ioCores: 0, workerThreads: 6, workerWorkCycles: 2 * C, vmCoreIdleNs: [] }).empty).toBe(4);
  });

  it('the pre-December borrowed correction (emptyClamp=false) carries the last deficit', () => {
    let r = emptyCapacity(2, C, 2.5 * C, 0, false);
    expect(r).toEqual({ empty: 0, borrowed: 0.5 });
    r = emptyCapacity(2, C, 1 * C, r.borrowed, false); // e0 = 1.0 − 0.5
    expect(r).toEqual({ empty: 0.5, borrowed: 0.5 });
    r = emptyCapacity(2, C, 1.8 * C, r.borrowed, false); // 0.2 − 0.5 < 0 → borrowed := 0.3 (overwritten, no decay)
    expect(r.empty).toBe(0);
    expect(r.borrowed).toBeCloseTo(0.3, 12);
    expect(emptyCapacity(2, C, 2.5 * C, 0, true)).toEqual({ empty: 0, borrowed: 0 });
  });

  it('rejects counters without cycles or wall time', () => {
    expect(() => st({ tscCycles: 0 })).toThrow(/tscCycles > 0/);
    expect(() => st({ wallNs: 0 })).toThrow(/wallNs > 0/);
  });
});

describe('bug-compatible units (§2 notes, §7.1, §7.2)', () => {
  it('T15: six VM cores 40 % idle → vm_idle 0.96 (bug) vs 2.4 (intended)', () => {
    const idle = Array<number>(6).fill(0.4 * T);
    expect(st({ vmCoreIdleNs: idle }, bug).vmIdle).toBeCloseTo(0.96, 12);
    expect(st({ vmCoreIdleNs: idle }, intended).vmIdle).toBeCloseTo(2.4, 12);
  });

  it('vhost CPU time read as HZ-250 jiffies over ns: ≈ 1e-7 × cores, start threshold unreachable', () => {
    const s = st({ vhostCpuNs: 3 * T }, bug); // 3 cores of vhost CPU
    expect(s.overallIoRatio).toBeCloseTo(3e-7, 18); // 75 jiffies / 2.5 / 1e8 ns
    expect(st({ vhostCpuNs: 8 * T }, bug).overallIoRatio).toBeLessThan(0.5);
    // If the kernel counted cputime in ns (cputimeHz=0), the ÷2.5 alone gives 0.4 × cores (§2, inferred).
    expect(st({ vhostCpuNs: 3 * T }, iocmParams({ bugCompatible: true, cputimeHz: 0 })).overallIoRatio).toBeCloseTo(1.2, 12);
  });

  it('idle is quantised to USER_HZ ticks with the sub-tick remainder carried (cumulative counter)', () => {
    // 0.35 idle per epoch: the tick counter advances 3, 4, 3, 4 … ticks; on average 3.5.
    let carry = initialCarry();
    const seen: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = computeStats(counters({ ioCores: 7, workerThreads: 7, vmCoreIdleNs: [0.35 * T] }), bug, carry);
      carry = r.carry;
      seen.push(Math.round(r.stats.vmIdle / 0.04)); // one tick = 0.1 true = 0.04 computed per 0.1 s
    }
    expect(seen).toEqual([3, 4, 3, 4]);
    expect(quantise(2.5e7, 0, 1e7)).toEqual({ ticks: 2, residualNs: 5e6 });
    expect(quantise(2.5e7, 5e6, 1e7)).toEqual({ ticks: 3, residualNs: 0 });
  });

  it('does not mutate the carry it is given', () => {
    const carry = initialCarry();
    computeStats(counters({ vmCoreIdleNs: [0.35 * T] }), bug, carry);
    expect(carry).toEqual(initialCarry());
  });
});
