/**
 * Scenario timing tests (iocm-policy.md §4.5) with the IOcm agent in the env's absolute action mode, on a
 * synthetic host (helpers.ts) that turns the current I/O-core count and a scripted load into counters.
 * Step 0 is the act() on the reset info (no counters yet); step i ≥ 1 sees the counters of interval i.
 */
import { describe, it, expect } from '@jest/globals';
import { createIocmAgent, IocmAgent, iocmParams } from '../../../agents/iocm/index.js';
import { FakeHost, run, T, type Load, type TraceRow } from './helpers.js';

const events = (rows: TraceRow[], ev: string[]) => rows.filter((r) => ev.includes(r.event));

/** Baseline I/O demand 3 cores until the start, then `sideDemand`; VMs need 1 core. */
const script = (bpc: (W: number) => number, sideDemand = 10) => (_step: number, W: number): Load =>
  ({ ioDemand: W === 0 ? 3 : sideDemand, vmDemand: 1, bpc: bpc(W), bytesPerPacket: 9000 });

describe('first possible move (§4.5: epoch 28)', () => {
  it('intended units: a busy baseline starts side-core mode at epoch 28 with k = max(floor(3/2), 1)', () => {
    const rows = run(createIocmAgent(), new FakeHost(script(() => 0.3)), 40);
    const first = rows.find((r) => r.target !== 0);
    expect(first).toMatchObject({ step: 28, epoch: 28, event: 'start', target: 1 });
    expect(rows.slice(0, 28).every((r) => r.target === 0)).toBe(true);
  });

  it('bug-compatible: the jiffies/ns slip means the start never fires with min = 0 (§7.1)', () => {
    const rows = run(createIocmAgent({ bugCompatible: 'true' }), new FakeHost(script(() => 0.3)), 300);
    expect(rows.every((r) => r.target === 0)).toBe(true);
  });

  it('bug-compatible with min = 1: forced START(1) at epoch 1', () => {
    const rows = run(createIocmAgent({ bugCompatible: 'true', minIoCores: '1' }), new FakeHost(script(() => 0.3)), 5);
    expect(rows[1]).toMatchObject({ step: 1, epoch: 1, event: 'start', target: 1 });
  });
});

describe('accepted moves (§4.5: ≥ 28 epochs + the 1 s trial apart)', () => {
  // Saturated I/O cores (empty 0) with idle VMs: add requested every epoch; each core raises bpc by 0.1.
  const rows = run(createIocmAgent(), new FakeHost(script((W) => 0.1 * W)), 200);
  const begins = events(rows, ['trial-begin']);

  it('START(1) at 28, then adds at epochs 49 (no lock after START), 77, 105 up to max 4', () => {
    expect(events(rows, ['start']).map((r) => r.epoch)).toEqual([28]);
    expect(begins.map((r) => [r.epoch, r.target])).toEqual([[49, 2], [77, 3], [105, 4]]);
    expect(events(rows, ['trial-accept']).length).toBe(3);
    expect(rows.at(-1)?.target).toBe(4);
  });

  it('each trial holds the new count for 10 steps without advancing the epoch; moves are 28 epochs + 10 steps apart', () => {
    for (const b of begins) {
      const trialRows = rows.slice(b.step + 1, b.step + 11);
      expect(trialRows.map((r) => r.event)).toEqual([...Array(9).fill('trial-hold'), 'trial-accept']);
      expect(trialRows.every((r) => r.target === b.target && r.epoch === b.epoch)).toBe(true);
      expect(rows[b.step + 11]?.epoch).toBe(b.epoch + 1);
    }
    const steps = begins.map((r) => r.step);
    expect(steps.slice(1).map((s, i) => s - (steps[i] ?? 0))).toEqual([38, 38]);
  });
});

describe('failed moves (§4.5: retried after 20, 40, 80, then 100 epochs of penalty)', () => {
  // Each extra core lowers bpc: every add trial fails and is reverted.
  const rows = run(createIocmAgent(), new FakeHost(script((W) => 0.3 - 0.05 * W)), 620);

  it('add trials at epochs 49, 70, 111, 192, 293, 394, 495 (+21, +41, +81, +101, +101, +101)', () => {
    const begins = events(rows, ['trial-begin']).map((r) => r.epoch);
    expect(begins).toEqual([49, 70, 111, 192, 293, 394, 495]);
    expect(begins.slice(1).map((e, i) => e - (begins[i] ?? 0) - 1)).toEqual([20, 40, 80, 100, 100, 100]);
  });

  it('every trial ends in a revert to the previous count', () => {
    const ends = events(rows, ['trial-accept', 'trial-revert']);
    expect(ends.length).toBe(7);
    expect(ends.every((r) => r.event === 'trial-revert' && r.target === 1)).toBe(true);
  });
});

describe('idle host (T9 on counters): batching removal, equality acceptance, stop', () => {
  it('min = 2 start, then an idle host drops to 1 core by batching and never stops (min > 0)', () => {
    const idle = (): Load => ({ ioDemand: 0, vmDemand: 0, bpc: 0, bytesPerPacket: 0 });
    const rows = run(createIocmAgent({ minIoCores: '2' }), new FakeHost(idle), 120);
    expect(rows[1]).toMatchObject({ event: 'start', target: 2 });
    const b = events(rows, ['trial-begin']);
    expect(b[0]).toMatchObject({ epoch: 28, move: 'batching_remove_io_core', target: 1 });
    expect(events(rows, ['trial-accept'])[0]?.target).toBe(1); // 0 bytes before and after
    // Below min: add forced; it is accepted too (0 = 0), then batching again, and so on.
    expect(b[1]).toMatchObject({ epoch: 56, move: 'add_io_core', target: 2 });
    expect(events(rows, ['stop'])).toEqual([]);
  });
});

describe('IocmAgent adapter', () => {
  it('holds the current count on reset info without counters and does not count an epoch', () => {
    const a = createIocmAgent();
    expect(a.act(undefined, { ioCores: 2 })).toBe(2);
    expect(a.act(undefined, {})).toBe(0);
    expect(a.getState().regret.epoch).toBe(0);
  });

  it('rejects malformed counters with a one-line error', () => {
    expect(() => createIocmAgent().act(undefined, { counters: { tscCycles: 1 } })).toThrow(/info.counters is not an EpochCounters/);
  });

  it('caps moves by info.maxIoCores', () => {
    const host = new FakeHost(script((W) => 0.1 * W), { cores: 8, devices: 6, maxIoCores: 2 });
    const rows = run(createIocmAgent(), host, 150);
    expect(Math.max(...rows.map((r) => r.target))).toBe(2);
  });

  it('reset() restarts the manager; runs are deterministic', () => {
    const a = new IocmAgent(iocmParams());
    const r1 = run(a, new FakeHost(script((W) => 0.1 * W)), 120);
    const r2 = run(a, new FakeHost(script((W) => 0.1 * W)), 120);
    expect(r2).toEqual(r1);
  });

  it('state snapshots taken mid-trial restore an identical future', () => {
    const host = new FakeHost(script((W) => 0.1 * W));
    const a = createIocmAgent();
    a.reset();
    let info = host.reset();
    for (let i = 0; i < 53; i++) info = host.step(a.act(undefined, info)); // inside the epoch-49 trial
    expect(a.policy.inTrial).toBe(true);
    const snap = JSON.parse(JSON.stringify(a.getState())) as ReturnType<IocmAgent['getState']>;
    const b = createIocmAgent();
    b.setState(snap);
    const hostB = new FakeHost(host.script);
    hostB.ioCores = host.ioCores;
    hostB.steps = host.steps;
    let infoB = info;
    for (let i = 0; i < 60; i++) {
      const x = a.act(undefined, info), y = b.act(undefined, infoB);
      expect(y).toBe(x);
      info = host.step(x);
      infoB = hostB.step(y);
    }
  });

  it('counters in true units give the same decisions as the §2 formulas (vm idle in cores)', () => {
    const host = new FakeHost(script(() => 0.3));
    host.reset();
    const info = host.step(0);
    const c = info.counters as { vmCoreIdleNs: number[] };
    // 8 VM cores, 1 core of VM work + 3 of baseline vhost work → 4 idle cores.
    expect(c.vmCoreIdleNs.reduce((x, y) => x + y, 0) / T).toBeCloseTo(4, 12);
  });
});
