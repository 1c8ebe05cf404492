import { describe, it, expect } from '@jest/globals';
import { EventHeap } from '../../../env/sim/heap.js';

describe('EventHeap', () => {
  it('pops in (time, insertion) order, FIFO among equal times', () => {
    const h = new EventHeap(4);
    const times = [5, 1, 3, 1, 5, 0, 3, 1];
    times.forEach((t, i) => h.push(t, i));
    const out: number[] = [];
    while (h.size > 0) out.push(h.pop());
    expect(out).toEqual([5, 1, 3, 7, 2, 6, 0, 4]);
  });

  it('matches a sorted reference on a random hold model, with growth and replaceTop', () => {
    const h = new EventHeap(2);
    let seed = 12345;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const ref: { t: number; seq: number; id: number }[] = [];
    let seq = 0;
    for (let i = 0; i < 500; i++) { const t = Math.floor(rnd() * 100); h.push(t, i); ref.push({ t, seq: seq++, id: i }); }
    let now = 0;
    for (let k = 0; k < 5000; k++) {
      ref.sort((a, b) => a.t - b.t || a.seq - b.seq);
      const top = ref.shift()!;
      if (k % 2 === 0) {
        expect(h.pop()).toBe(top.id);
        expect(h.topTime).toBe(top.t);
        now = top.t;
        const t = now + Math.floor(rnd() * 50);
        h.push(t, top.id); ref.push({ t, seq: seq++, id: top.id });
      } else {
        expect(h.id[0]).toBe(top.id);
        now = top.t;
        const t = now + Math.floor(rnd() * 50);
        h.replaceTop(t); ref.push({ t, seq: seq++, id: top.id });
      }
    }
  });

  it('renumbers sequence numbers before they overflow, keeping the order', () => {
    const h = new EventHeap(8);
    h.seq = 0x7ffffff0 - 3;
    for (let i = 0; i < 10; i++) h.push(i % 2, i);
    expect(h.seq).toBeLessThan(100);
    const out: number[] = [];
    while (h.size > 0) out.push(h.pop());
    expect(out).toEqual([0, 2, 4, 6, 8, 1, 3, 5, 7, 9]);
  });

  it('snapshots and restores exactly', () => {
    const h = new EventHeap(4);
    for (let i = 0; i < 20; i++) h.push((i * 7) % 5, i);
    const snap = h.snapshot();
    const a: number[] = [];
    while (h.size > 0) a.push(h.pop());
    h.restore(snap);
    const b: number[] = [];
    while (h.size > 0) b.push(h.pop());
    expect(b).toEqual(a);
  });
});
