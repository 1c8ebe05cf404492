import { describe, it, expect } from '@jest/globals';
import { EventKernel } from '../../../env/sim/kernel.js';

describe('EventKernel', () => {
  it('runs events in time order, FIFO among equal times, each with its own handler and payload', () => {
    const k = new EventKernel(2);
    const log: string[] = [];
    const a = k.on('a', (i, j, x, y) => log.push(`a${i},${j},${x},${y}@${k.now}`));
    const b = k.on('b', (i) => log.push(`b${i}@${k.now}`));
    k.schedule(a, 5, 1, -2, 0.5, 7);
    k.schedule(b, 3, 1, 0, 0, 0);
    k.schedule(a, 3, 2, 0, 0, 0); // same time as b1, scheduled later: runs after it
    k.schedule(b, 0, 3, 0, 0, 0);
    expect(k.pending).toBe(4); // past the initial capacity of 2
    expect(k.peek()).toBe(0);
    k.run(10);
    expect(log).toEqual(['b3@0', 'b1@3', 'a2,0,0,0@3', 'a1,-2,0.5,7@5']);
    expect(k.now).toBe(10);
    expect(k.events).toBe(4);
    expect(k.peek()).toBe(Infinity);
    expect(k.kindName(b)).toBe('b');
  });

  it('run(until) handles events at until, leaves later ones pending, and sets the time to until', () => {
    const k = new EventKernel();
    const seen: number[] = [];
    const e = k.on('e', (i) => seen.push(i));
    k.schedule(e, 4, 1, 0, 0, 0);
    k.schedule(e, 5, 2, 0, 0, 0);
    k.run(4);
    expect(seen).toEqual([1]);
    expect(k.now).toBe(4);
    expect(k.peek()).toBe(5);
    k.step();
    expect(seen).toEqual([1, 2]);
    expect(k.now).toBe(5);
  });

  it('a handler may schedule more events, including at the current time (they run in the same run)', () => {
    const k = new EventKernel(1);
    const times: number[] = [];
    let left = 5;
    const tick: number = k.on('tick', () => {
      times.push(k.now);
      if (--left > 0) k.schedule(tick, k.now + (left % 2 ? 0 : 2), 0, 0, 0, 0);
    });
    k.schedule(tick, 1, 0, 0, 0, 0);
    k.run(100);
    // 1, then +2 (left 4), +0 (3), +2 (2), +0 (1)
    expect(times).toEqual([1, 3, 3, 5, 5]);
  });

  it('getState/setState: a restored kernel (same or another) replays the same future', () => {
    const build = () => {
      const k = new EventKernel(4);
      const out: string[] = [];
      const kind: number = k.on('hold', (i, gen, x) => {
        out.push(`${i}:${gen}:${k.now}`);
        k.schedule(kind, k.now + 1 + ((i * 7 + gen * 3) % 5), i, gen + 1, x * 2, 0);
      });
      return { k, out, kind };
    };
    const a = build();
    for (let i = 0; i < 6; i++) a.k.schedule(a.kind, i % 3, i, 0, 1, 0);
    a.k.run(10);
    const snap = structuredClone(a.k.getState());
    a.out.length = 0;
    a.k.run(40);
    const future = a.out.slice();
    expect(future.length).toBeGreaterThan(20);
    const b = build();
    b.k.setState(snap);
    b.k.run(40);
    expect(b.out).toEqual(future);
    a.k.setState(snap);
    a.out.length = 0;
    a.k.run(40);
    expect(a.out).toEqual(future);
  });

  it('matches a sorted-list reference when handlers schedule none, one or several events and look at the queue', () => {
    // the reference: every pending event in a plain array, the earliest (time, then insertion order) first
    type Ev = { t: number; seq: number; i: number };
    const ref: Ev[] = [];
    let refSeq = 0, refNow = 0;
    const refLog: string[] = [];
    const k = new EventKernel(2);
    const log: string[] = [];
    // a small deterministic generator shared by both, drawn in the same order
    let r = 12345;
    const next = (m: number) => { r = (Math.imul(r, 1103515245) + 12345) >>> 0; return (r >>> 8) % m; };
    // the same rule drives both: how many successors (0..3), their delays (0..4, so equal times occur)
    const plan = (i: number, now: number) => {
      const n = next(4), out: { t: number; i: number }[] = [];
      for (let j = 0; j < n; j++) out.push({ t: now + next(5), i: i * 4 + j });
      return out;
    };
    let budget = 400;
    const seen: number[] = [];
    const kind: number = k.on('e', (i) => {
      log.push(`${i}@${k.now}`);
      const succ = budget > 0 ? plan(i, k.now) : [];
      budget -= succ.length;
      for (const e of succ) k.schedule(kind, e.t, e.i % 1000, 0, 0, 0);
      // the queue seen from inside a handler holds exactly what is pending after it (not the handled
      // event); looked at by every other handler only, so that the kernel's own clean-up also runs
      if (i % 2 === 1) return;
      seen.push(k.pending);
      if (k.pending > 0) expect(k.peek()).toBeGreaterThanOrEqual(k.now);
      let listed = 0;
      k.forEachPending(kind, () => { listed++; });
      expect(listed).toBe(k.pending);
    });
    const start = [{ t: 2, i: 1 }, { t: 0, i: 2 }, { t: 2, i: 3 }];
    for (const e of start) { k.schedule(kind, e.t, e.i, 0, 0, 0); ref.push({ t: e.t, seq: refSeq++, i: e.i }); }
    // replay the same plan on the reference
    r = 12345; budget = 400;
    const refSeen: number[] = [];
    while (ref.length > 0) {
      ref.sort((a, b) => a.t - b.t || a.seq - b.seq);
      const e = ref.shift()!;
      refNow = e.t;
      refLog.push(`${e.i}@${refNow}`);
      const succ = budget > 0 ? plan(e.i, refNow) : [];
      budget -= succ.length;
      for (const s of succ) ref.push({ t: s.t, seq: refSeq++, i: s.i % 1000 });
      if (e.i % 2 === 0) refSeen.push(ref.length);
    }
    r = 12345; budget = 400;
    k.run(Infinity);
    expect(log.length).toBeGreaterThan(100);
    expect(log).toEqual(refLog);
    expect(seen).toEqual(refSeen);
    expect(seen.length).toBeGreaterThan(30);
    expect(k.pending).toBe(0);
  });

  describe('lanes', () => {
    // Handlers schedule successors through the heap or one of three lanes; a lane event normally comes
    // after its lane's last one, and one in five does not (it must go to the heap and keep its order).
    // The expected order is a sorted list of (time, insertion number) with one number per schedule call.
    const run = (opts: { seqNear?: number; snapshotAt?: number }) => {
      let r = 777;
      const next = (m: number) => { r = (Math.imul(r, 1103515245) + 12345) >>> 0; return (r >>> 8) % m; };
      const k = new EventKernel(2);
      const lanes = [k.lane(), k.lane(), k.lane()];
      const tail = [0, 0, 0];
      const heap = (k as unknown as { heap: { seq: number } }).heap;
      if (opts.seqNear !== undefined) heap.seq = opts.seqNear;
      const log: string[] = [];
      const ref: { t: number; seq: number; i: number }[] = [];
      let refSeq = opts.seqNear ?? 0;
      let budget = 3000, id = 0;
      const kind: number = k.on('e', (i, lane) => {
        log.push(`${i}/${lane}@${k.now}`);
        const n = budget > 0 ? next(4) : 0;
        budget -= n;
        for (let j = 0; j < n; j++) {
          const l = next(4) - 1, e = ++id;
          if (l < 0) {
            const t = k.now + next(6);
            k.schedule(kind, t, e, l, 0, 0);
            ref.push({ t, seq: refSeq++, i: e });
          } else {
            const t = next(5) === 0 ? k.now + next(3) : Math.max(k.now, tail[l]!) + next(4);
            tail[l] = Math.max(tail[l]!, t);
            k.scheduleIn(lanes[l]!, kind, t, e, l, 0, 0);
            ref.push({ t, seq: refSeq++, i: e });
          }
        }
      });
      for (let i = 0; i < 3; i++) { k.scheduleIn(lanes[i]!, kind, i, ++id, i, 0, 0); ref.push({ t: i, seq: refSeq++, i: id }); tail[i] = i; }
      // the handlers' own state, for the snapshot test
      const save = () => ({ r, budget, id, tail: tail.slice() });
      const restore = (x: ReturnType<typeof save>) => { r = x.r; budget = x.budget; id = x.id; tail.splice(0, 3, ...x.tail); };
      return { k, log, ref, kind, save, restore };
    };

    it('run events in the same order as the heap alone would, with the fallback for out-of-order events', () => {
      const { k, log, ref, kind } = run({});
      const refLog: string[] = [];
      let pendingChecked = 0;
      // step one event at a time and replay the reference beside it (the handler fills `ref`)
      while (k.pending > 0) {
        expect(k.pending).toBe(ref.length);
        let listed = 0;
        k.forEachPending(kind, () => { listed++; });
        expect(listed).toBe(ref.length);
        pendingChecked++;
        ref.sort((a, b) => a.t - b.t || a.seq - b.seq);
        const e = ref.shift()!;
        k.step();
        refLog.push(`${e.i}@${e.t}`);
        expect(log[log.length - 1]!.replace(/\/-?\d+@/, '@')).toBe(refLog[refLog.length - 1]);
      }
      expect(log.length).toBeGreaterThan(2000);
      expect(pendingChecked).toBe(log.length);
      // some events went through each lane, some through the heap
      for (const l of ['-1', '0', '1', '2']) expect(log.some((s) => s.includes(`/${l}@`))).toBe(true);
    });

    it('renumbers lane events with the heap before the insertion counter overflows', () => {
      const a = run({});
      a.k.run(Infinity);
      const b = run({ seqNear: 0x7ffffff0 - 200 });
      b.k.run(Infinity);
      expect(b.log.length).toBeGreaterThan(2000);
      expect(b.log).toEqual(a.log);
      expect((b.k as unknown as { heap: { seq: number } }).heap.seq).toBeLessThan(0x7ffffff0 - 200);
    });

    it('getState/setState carry the lanes: a restored kernel replays the same future', () => {
      const a = run({});
      for (let i = 0; i < 500; i++) a.k.step();
      const snap = structuredClone(a.k.getState());
      const mine = a.save();
      expect(snap.lanes.reduce((n, l) => n + l.len, 0)).toBeGreaterThan(3);
      const cut = a.log.length;
      a.k.run(Infinity);
      const future = a.log.slice(cut);
      expect(future.length).toBeGreaterThan(1000);
      // the same kernel, its lanes now empty, back to the snapshot (and the handler's own state)
      a.k.setState(snap);
      a.restore(mine);
      const cut2 = a.log.length;
      a.k.run(Infinity);
      expect(a.log.slice(cut2)).toEqual(future);
    });
  });
});
