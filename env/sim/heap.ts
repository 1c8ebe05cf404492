/**
 * The event kernel's priority queue: a struct-of-arrays binary min-heap of (time, seq, id). Times are
 * Float64, `seq` is an insertion counter so that equal times pop in FIFO order (deterministic), and `id`
 * indexes the caller's side tables (event payloads live there, not in the heap). No allocation per
 * operation; the arrays double when full. The Int32 sequence counter is renumbered by rank before it
 * overflows, which keeps every pairwise order and so the heap property.
 *
 * Same layout and sift loops as the reference heap `RefHeap` in bench/sim.ts (`docs/stack.md` §4).
 */
export class EventHeap {
  t: Float64Array;
  s: Int32Array;
  id: Int32Array;
  n = 0;
  seq = 0;
  /** The time of the last popped event. */
  topTime = 0;
  /**
   * Renumbers instead of the heap's own `renumber` when set: an owner that keeps more keys than the heap
   * holds (the kernel's lanes) must rank them all together.
   */
  renumberHook: (() => void) | null = null;

  constructor(capacity = 1024) {
    this.t = new Float64Array(capacity);
    this.s = new Int32Array(capacity);
    this.id = new Int32Array(capacity);
  }

  get size(): number {
    return this.n;
  }

  /** Time of the earliest event (Infinity when empty). */
  peekTime(): number {
    return this.n > 0 ? this.t[0]! : Infinity;
  }

  push(time: number, id: number): void {
    if (this.n === this.t.length) this.grow();
    if (this.seq >= 0x7ffffff0) this.renumber();
    const t = this.t, s = this.s, ids = this.id, seq = this.seq++;
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1, tp = t[p]!;
      if (tp < time || (tp === time && s[p]! < seq)) break;
      t[i] = tp; s[i] = s[p]!; ids[i] = ids[p]!; i = p;
    }
    t[i] = time; s[i] = seq; ids[i] = id;
  }

  private siftDown(lt: number, ls: number, li: number, n: number): void {
    const t = this.t, s = this.s, ids = this.id;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n && (t[r]! < t[c]! || (t[r] === t[c] && s[r]! < s[c]!))) c = r;
      const tc = t[c]!;
      if (lt < tc || (lt === tc && ls < s[c]!)) break;
      t[i] = tc; s[i] = s[c]!; ids[i] = ids[c]!; i = c;
    }
    t[i] = lt; s[i] = ls; ids[i] = li;
  }

  /** Removes the earliest event and returns its id; its time is left in `topTime`. */
  pop(): number {
    const id = this.id[0]!;
    this.topTime = this.t[0]!;
    const n = --this.n;
    if (n > 0) this.siftDown(this.t[n]!, this.s[n]!, this.id[n]!, n);
    return id;
  }

  /** Re-schedules the earliest event's id at `time` (one sift instead of pop + push). */
  replaceTop(time: number): void {
    if (this.seq >= 0x7ffffff0) this.renumber();
    this.siftDown(time, this.seq++, this.id[0]!, this.n);
  }

  /**
   * Inserts an entry whose sequence number was taken earlier (`seq` below the counter). `push` has the
   * same loop written out instead of calling this: through the call, the kernel's hold bench at 1 k and
   * 100 k pending events ran a few per cent slower, in alternating runs.
   */
  pushKeyed(time: number, seq: number, id: number): void {
    if (this.n === this.t.length) this.grow();
    const t = this.t, s = this.s, ids = this.id;
    let i = this.n++;
    while (i > 0) {
      const p = (i - 1) >> 1, tp = t[p]!;
      if (tp < time || (tp === time && s[p]! < seq)) break;
      t[i] = tp; s[i] = s[p]!; ids[i] = ids[p]!; i = p;
    }
    t[i] = time; s[i] = seq; ids[i] = id;
  }

  /** Replaces the earliest entry by (time, seq) with the same id; `seq` was taken earlier. */
  replaceTopKeyed(time: number, seq: number): void {
    this.siftDown(time, seq, this.id[0]!, this.n);
  }

  clear(): void {
    this.n = 0;
    this.seq = 0;
  }

  private grow(): void {
    const cap = this.t.length * 2;
    const t = new Float64Array(cap); t.set(this.t);
    const s = new Int32Array(cap); s.set(this.s);
    const id = new Int32Array(cap); id.set(this.id);
    this.t = t; this.s = s; this.id = id;
  }

  /** Replaces every seq by its rank in (time, seq) order: same order, small numbers. */
  private renumber(): void {
    if (this.renumberHook) { this.renumberHook(); return; }
    const n = this.n, t = this.t, s = this.s;
    const order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => (t[a]! - t[b]!) || (s[a]! - s[b]!));
    for (let r = 0; r < n; r++) s[order[r]!] = r;
    this.seq = n;
  }

  /** A copy of the heap's contents (for snapshots). */
  snapshot(): { t: Float64Array; s: Int32Array; id: Int32Array; n: number; seq: number } {
    return { t: this.t.slice(0, this.n), s: this.s.slice(0, this.n), id: this.id.slice(0, this.n), n: this.n, seq: this.seq };
  }

  restore(x: { t: Float64Array; s: Int32Array; id: Int32Array; n: number; seq: number }): void {
    let cap = this.t.length;
    while (cap < x.n) cap *= 2;
    if (cap !== this.t.length) {
      this.t = new Float64Array(cap); this.s = new Int32Array(cap); this.id = new Int32Array(cap);
    }
    this.t.set(x.t); this.s.set(x.s); this.id.set(x.id);
    this.n = x.n; this.seq = x.seq;
  }
}
