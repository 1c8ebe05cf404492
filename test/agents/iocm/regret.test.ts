/** The regret layer's primitives (iocm-policy.md §4.2–4.4) in isolation. */
import { describe, it, expect } from '@jest/globals';
import {
  allowed, beginEpoch, initialRegretState, iocmParams, judgeTrial, trialAfter, trialBefore, trialGood,
} from '../../../agents/iocm/index.js';

const p = iocmParams();

describe('beginEpoch / allowed (§4.2–4.3)', () => {
  it('keeps the last 5 bpc values and ages histories: flag cleared, else False appended (cap 20)', () => {
    const s = initialRegretState(p);
    for (let i = 1; i <= 7; i++) beginEpoch(s, i / 10, p);
    expect(s.bpcHist).toEqual([0.3, 0.4, 0.5, 0.6, 0.7]);
    s.req.add_io_core = { list: [true], flag: true };
    s.req.remove_io_core = { list: Array(20).fill(true), flag: false };
    beginEpoch(s, 0, p);
    expect(s.req.add_io_core).toEqual({ list: [true], flag: false });
    expect(s.req.remove_io_core?.list).toEqual([...Array(19).fill(true), false]);
  });

  it('the lock discards requests for epochs lastGood+1 … lastGood+7 (7.5-epoch lock)', () => {
    const s = initialRegretState(p);
    s.lastGood = 10;
    for (let e = 11; e <= 17; e++) {
      s.epoch = e;
      expect(allowed(s, 'add_io_core', p)).toBe(false);
      expect(s.req).toEqual({});
    }
    s.epoch = 18;
    expect(allowed(s, 'add_io_core', p)).toBe(false);
    expect(s.req.add_io_core).toEqual({ list: [true], flag: true });
  });

  it('quorumIntegerDivision (alternative reading): 19/20 refuses, 20/20 allows', () => {
    const q = iocmParams({ quorumIntegerDivision: true });
    const s = initialRegretState(q);
    s.epoch = 100;
    s.req.add_io_core = { list: [false, ...Array(19).fill(true)], flag: false };
    expect(allowed(s, 'add_io_core', q)).toBe(false); // floor(19/20) = 0
    s.req.add_io_core = { list: [false, ...Array(19).fill(true)], flag: false };
    expect(allowed(s, 'add_io_core', p)).toBe(true); // 19/20 ≥ 0.6 with true division
    s.req.add_io_core = { list: Array(20).fill(true), flag: false };
    expect(allowed(s, 'add_io_core', q)).toBe(true);
  });

  it('a penalised move is refused until epoch > lastFailed + penalty, but its request is recorded', () => {
    const s = initialRegretState(p);
    s.epoch = 120;
    s.req.add_io_core = { list: Array(20).fill(true), flag: false };
    s.failed.add_io_core = { penalty: 20, lastFailed: 100 };
    expect(allowed(s, 'add_io_core', p)).toBe(false);
    expect(s.req.add_io_core?.flag).toBe(true);
    s.epoch = 121;
    s.req.add_io_core = { list: Array(20).fill(true), flag: false };
    expect(allowed(s, 'add_io_core', p)).toBe(true);
  });
});

describe('trial judgement (§4.4)', () => {
  it('before = mean of the history; after = mean of samples 6–10', () => {
    const s = initialRegretState(p);
    s.bpcHist = [0.2, 0.4];
    expect(trialBefore(s)).toBeCloseTo(0.3, 15);
    expect(trialAfter([9, 9, 9, 9, 9, 1, 2, 3, 4, 5], p)).toBe(3);
  });

  it('accepts on exact equality or strictly more than +0.01; the equality rule is a parameter', () => {
    expect(trialGood(0.4, 0.4, p)).toBe(true);
    expect(trialGood(0.4, 0.405, p)).toBe(false);
    expect(trialGood(0.25, 0.25 + 0.01, p)).toBe(false); // 0.26 is not > 0.26
    expect(trialGood(0.25, 0.2601, p)).toBe(true);
    expect(trialGood(0, 0, iocmParams({ acceptOnEqual: false }))).toBe(false);
  });

  it('failure penalties 20, 40, 80, 100, 100 for one move, independent per move, cleared by any success', () => {
    const s = initialRegretState(p);
    const seen: number[] = [];
    for (let i = 0; i < 5; i++) {
      s.epoch = 100 + i;
      judgeTrial(s, 'add_io_core', 0.5, 0.1, p);
      seen.push(s.failed.add_io_core?.penalty ?? -1);
    }
    expect(seen).toEqual([20, 40, 80, 100, 100]);
    expect(s.failed.add_io_core?.lastFailed).toBe(104);
    judgeTrial(s, 'remove_io_core', 0.5, 0.1, p);
    expect(s.failed.remove_io_core?.penalty).toBe(20);
    s.req.add_io_core = { list: [true], flag: false };
    s.epoch = 200;
    expect(judgeTrial(s, 'remove_io_core', 0.1, 0.5, p)).toBe(true);
    expect([s.lastGood, s.req, s.failed]).toEqual([200, {}, {}]);
  });
});
