/**
 * What the jul2016 preset changes in the policy's behaviour, against the default (eecb876) policy in the
 * same state; every expected value is worked out by hand from iocm-policy.md §3.2, §4 and the preset's
 * constants (§3.1 History, §4.5 Parameter history).
 */
import { describe, it, expect } from '@jest/globals';
import { IocmPolicy, parseIocmParams } from '../../../agents/iocm/index.js';
import { edit, epoch, fullHistory, stats, trial } from './helpers.js';

const july = () => new IocmPolicy(parseIocmParams({ preset: 'jul2016' }));
const final = () => new IocmPolicy(parseIocmParams({}));

/** A state at epoch `e − 1` with the given lastGood (the next onStats is epoch e). */
function at(p: IocmPolicy, e: number, lastGood: number): IocmPolicy {
  edit(p, (s) => {
    s.regret.epoch = e - 1;
    s.regret.lastGood = lastGood;
  });
  return p;
}

describe('jul2016 preset: behaviour', () => {
  it('never leaves side-core mode: no stop, and no removal of the last I/O core', () => {
    // W = 1, an idle I/O core (empty 0.95 > 0.8) and busy VMs (vm_idle 0.01 < 0.05): the final code stops
    const idle = stats({ empty: 0.95, vmIdle: 0.01, avgBpp: 1, bpc: 0 });
    const ready = (p: IocmPolicy) => edit(at(p, 300, 0), (s) => {
      s.regret.req.stop_shared_worker = fullHistory();
      s.regret.req.remove_io_core = fullHistory();
    });
    const f = final();
    ready(f);
    expect([epoch(f, idle, 1).event, f.getState().regret.epoch]).toEqual(['stop', 300]);
    const j = july();
    ready(j);
    for (let e = 300; e < 1300; e++) {
      const d = epoch(j, idle, 1);
      expect([d.target, d.event, d.requested]).toEqual([1, 'none', []]);
    }
  });

  it('removal at W ≥ 2 still works (elvis-2 removes above 0.5, not 0.8)', () => {
    const p = edit2(july());
    const d = epoch(p, stats({ empty: 0.6, vmIdle: 0.01 }), 2);
    expect([d.event, d.move, d.target]).toEqual(['trial-begin', 'remove_io_core', 1]);
    const q = edit2(final());
    expect(epoch(q, stats({ empty: 0.6, vmIdle: 0.01 }), 2).event).toBe('none'); // 0.6 ≤ 0.8
  });

  it('no 1.3 rule and no batching: an idle W = 3 host with some VM idle does nothing', () => {
    // empty 1.4 > 1.3 would set vmWantsCore (final, T11b); avg_bpp 1 < 1600 would request batching
    const s = stats({ empty: 1.4, vmIdle: 0.5, avgBpp: 1 });
    const f = final();
    edit(at(f, 400, 0), (st) => {
      st.regret.req.remove_io_core = fullHistory();
      st.regret.req.batching_remove_io_core = fullHistory();
    });
    expect(epoch(f, s, 3).move).toBe('batching_remove_io_core');
    const j = july();
    edit(at(j, 400, 0), (st) => {
      st.regret.req.remove_io_core = fullHistory();
      st.regret.req.batching_remove_io_core = fullHistory();
    });
    const d = epoch(j, s, 3);
    expect([d.event, d.requested]).toEqual(['none', []]);
  });

  it('starts above 0.6 with k = max(⌊effective⌋, 1)', () => {
    const go = (p: IocmPolicy, overall: number, effective: number) => {
      edit(at(p, 100, 0), (s) => { s.regret.req.start_shared_worker = fullHistory(); });
      return epoch(p, stats({ overallIoRatio: overall, effectiveIoRatio: effective }), 0);
    };
    expect(go(july(), 0.6, 2.5).requested).toEqual([]); // 0.6 is not > 1 − 0.4
    expect(go(final(), 0.6, 2.5).target).toBe(1); // final: > 0.5, k = ⌊2.5 / 2⌋ = 1
    expect(go(july(), 0.61, 2.5).target).toBe(2); // ⌊2.5⌋
    expect(go(july(), 0.61, 0.3).target).toBe(1);
    expect(go(july(), 0.61, 7).target).toBe(4); // capped at max 4
  });

  it('locks 1.5 × 20 = 30 epochs after a good move', () => {
    const s = stats({ empty: 0.01, vmIdle: 1.5 }); // add wanted (0.01 < 0.05, 1.5 > 1.0)
    const j = at(july(), 101, 100);
    for (let e = 101; e <= 129; e++) epoch(j, s, 2);
    expect(j.getState().regret.req).toEqual({}); // every request dropped
    epoch(j, s, 2);
    expect(j.getState().regret.req.add_io_core?.list).toEqual([true]); // epoch 130 records
  });

  it('the quorum is all-or-nothing (Python 2 integer division)', () => {
    const s = stats({ empty: 0.01, vmIdle: 1.5 });
    const withHistory = (p: IocmPolicy, list: boolean[]) => edit(at(p, 200, 0), (st) => { st.regret.req.add_io_core = { list, flag: true }; });
    const nineteen = [false, ...Array<boolean>(19).fill(true)];
    const j = july();
    withHistory(j, nineteen);
    expect(epoch(j, s, 2).event).toBe('none'); // ⌊19 / 20⌋ = 0 < 0.6
    const all = july();
    withHistory(all, Array<boolean>(20).fill(true));
    expect(epoch(all, s, 2).move).toBe('add_io_core');
    const f = final();
    withHistory(f, nineteen);
    expect(epoch(f, s, 2).move).toBe('add_io_core'); // 19 / 20 ≥ 0.6
  });

  it('trials 5 + 20 samples, without the equality rule; penalties 100, 1000, 5000 (capped)', () => {
    const s = stats({ empty: 0.01, vmIdle: 1.5, bpc: 0.4 });
    const j = july();
    edit(at(j, 200, 0), (st) => {
      st.regret.req.add_io_core = fullHistory();
      st.regret.bpcHist = Array<number>(19).fill(0.4);
    });
    expect(epoch(j, s, 2).before).toBeCloseTo(0.4, 12); // mean of 20 × 0.4
    // 24 samples hold; the 25th judges: mean of samples 6 … 25 equals before → not accepted
    for (let i = 0; i < 24; i++) expect(j.onTrialSample(0.4).event).toBe('trial-hold');
    const r = j.onTrialSample(0.4);
    expect([r.event, r.target]).toEqual(['trial-revert', 2]);
    expect(j.getState().regret.failed.add_io_core).toEqual({ penalty: 100, lastFailed: 200 });
    // the grace samples do not count: 5 × 9.9 then 20 × 0.415 → after 0.415 > 0.4 + 0.01 → kept
    const k = july();
    edit(at(k, 200, 0), (st) => {
      st.regret.req.add_io_core = fullHistory();
      st.regret.bpcHist = Array<number>(19).fill(0.4);
    });
    epoch(k, s, 2);
    const ok = trial(k, [...Array<number>(5).fill(9.9), ...Array<number>(20).fill(0.415)]);
    expect(ok.event).toBe('trial-accept');
    // repeated failures of one move: 100 → 1000 → 5000 (100 × 50 cap)
    const pen: number[] = [];
    const m = july();
    edit(at(m, 1000, 0), (st) => { st.regret.req.add_io_core = fullHistory(); });
    for (let n = 0; n < 3; n++) {
      while (epoch(m, s, 2).event !== 'trial-begin');
      trial(m, Array<number>(25).fill(0));
      pen.push(m.getState().regret.failed.add_io_core!.penalty);
    }
    expect(pen).toEqual([100, 1000, 5000]);
  });
});

/** W = 2 with a full remove history and the lock over. */
function edit2(p: IocmPolicy): IocmPolicy {
  edit(at(p, 500, 0), (s) => { s.regret.req.remove_io_core = fullHistory(); });
  return p;
}
