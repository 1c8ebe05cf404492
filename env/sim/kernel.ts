/**
 * The event kernel: simulated time, a queue of pending events and a table of handlers, nothing about
 * hosts. The names follow SimPy (`schedule`, `step`, `peek`, `run(until)`).
 *
 * An event is (time, kind, a, b, x, y): two integer and two float payload words, which is all any
 * mechanism of the host needs (an index, a generation to recognise stale events, bytes, a time stamp).
 * A mechanism registers each kind of event it handles once (`on`), keeps the returned kind and
 * schedules with it; nothing else needs editing to add a kind. Payloads live in struct-of-arrays side
 * tables indexed by a slot id, recycled through a free list; the heap (`heap.ts`) orders (time,
 * insertion) pairs, so equal times run in FIFO order and runs are deterministic. No allocation per event.
 *
 * Most handlers schedule a successor (a thread's next chunk, a worker's next visit), so the handled event
 * stays at the top of the heap while its handler runs: the handler's first `schedule` takes its slot and
 * replaces it in one sift-down (`EventHeap.replaceTop`) instead of a pop and a push, and an event whose
 * handler schedules nothing is popped after it. Keys are unique (time, insertion number) and the new
 * event gets the same insertion number either way, so the order of events is the same as with pop then
 * push.
 *
 * Lanes (`lane`, `scheduleIn`) are for sources whose events come in time order, such as a link that
 * delivers messages first in, first out: a lane keeps its events in a FIFO ring and only its first one
 * in the heap. An event takes its insertion number when it is scheduled, as in `schedule`, so the order
 * of all events is the same as if every one were in the heap; the heap just stays small. With a
 * saturated link thousands of messages are in flight, and each would otherwise cost a heap insertion
 * and a removal at that depth.
 */
import { EventHeap } from './heap.js';

/** Insertion numbers are renumbered (all of them, `renumber`) before they reach this; the heap's limit. */
const SEQ_LIMIT = 0x7ffffff0;
/** Below this many events in the heap an empty lane's event goes to the heap: a small heap is cheap. */
const LANE_MIN_HEAP = 64;

/** One lane's FIFO ring of events (time, insertion number, kind, payload); the capacity is a power of two. */
class Lane {
  t: Float64Array; s: Int32Array; kind: Int32Array; a: Int32Array; b: Int32Array; x: Float64Array; y: Float64Array;
  head = 0;
  len = 0;

  constructor(cap: number) {
    this.t = new Float64Array(cap); this.s = new Int32Array(cap); this.kind = new Int32Array(cap);
    this.a = new Int32Array(cap); this.b = new Int32Array(cap); this.x = new Float64Array(cap); this.y = new Float64Array(cap);
  }

  /** Ring index of the i-th event from the front. */
  at(i: number): number {
    return (this.head + i) & (this.t.length - 1);
  }

  /** The events from the front, in order, in new arrays of capacity `cap` (≥ len). */
  copy(cap: number): Lane {
    const c = new Lane(cap);
    for (let i = 0; i < this.len; i++) {
      const j = this.at(i);
      c.t[i] = this.t[j]!; c.s[i] = this.s[j]!; c.kind[i] = this.kind[j]!; c.a[i] = this.a[j]!; c.b[i] = this.b[j]!; c.x[i] = this.x[j]!; c.y[i] = this.y[j]!;
    }
    c.len = this.len;
    return c;
  }

  /** Doubles the capacity (the events move to the front of the new ring). */
  grow(): void {
    const c = this.copy(2 * this.t.length);
    this.t = c.t; this.s = c.s; this.kind = c.kind; this.a = c.a; this.b = c.b; this.x = c.x; this.y = c.y;
    this.head = 0;
  }
}

/** A lane's pending events, in order, from the front (see `KernelState`). */
export interface LaneState {
  t: Float64Array; s: Int32Array; kind: Int32Array; a: Int32Array; b: Int32Array; x: Float64Array; y: Float64Array; len: number;
}

/** Handles one event; `now` is already the event's time. */
export type EventHandler = (a: number, b: number, x: number, y: number) => void;

/** A structured-clone-able copy of the kernel's mutable state (see `EventKernel.getState`). */
export interface KernelState {
  now: number;
  events: number;
  slots: number;
  freeN: number;
  kind: Int32Array;
  a: Int32Array;
  b: Int32Array;
  x: Float64Array;
  y: Float64Array;
  free: Int32Array;
  heap: ReturnType<EventHeap['snapshot']>;
  lanes: LaneState[];
}

export class EventKernel {
  /** Current simulated time (the time of the event being handled, or the end of the last `run`). */
  now = 0;
  /** Events handled since the start (stale ones that their handler ignores included). */
  events = 0;
  private readonly heap: EventHeap;
  private readonly handlers: EventHandler[] = [];
  private readonly names: string[] = [];
  /** Payload slots: [0, slots) used at some point, free[0, freeN) available again. */
  private slots = 0;
  private freeN = 0;
  private kind: Int32Array;
  private a: Int32Array;
  private b: Int32Array;
  private x: Float64Array;
  private y: Float64Array;
  private free: Int32Array;
  /** The slot of the event whose handler is running, still at the top of the heap; −1 otherwise. */
  private inFlight = -1;
  /** Each lane's first event is in the heap as a stand-in event of kind `laneKind` whose payload is the lane. */
  private lanes: Lane[] = [];
  private laneKind = -1;

  constructor(capacity = 1024) {
    this.heap = new EventHeap(capacity);
    this.heap.renumberHook = () => this.renumber();
    this.kind = new Int32Array(capacity); this.a = new Int32Array(capacity); this.b = new Int32Array(capacity);
    this.x = new Float64Array(capacity); this.y = new Float64Array(capacity); this.free = new Int32Array(capacity);
  }

  /** Registers the handler of a new kind of event and returns the kind (to pass to `schedule`). */
  on(name: string, handler: EventHandler): number {
    this.names.push(name);
    return this.handlers.push(handler) - 1;
  }

  /** The name a kind was registered under. */
  kindName(kind: number): string {
    return this.names[kind] ?? `#${kind}`;
  }

  /** Schedules an event of `kind` at `time` (≥ now) with its payload. */
  schedule(kind: number, time: number, a: number, b: number, x: number, y: number): void {
    let id = this.inFlight;
    if (id >= 0) {
      // the first event a handler schedules takes the handled event's place at the top of the heap
      this.inFlight = -1;
      this.kind[id] = kind; this.a[id] = a; this.b[id] = b; this.x[id] = x; this.y[id] = y;
      this.heap.replaceTop(time);
      return;
    }
    if (this.freeN > 0) id = this.free[--this.freeN]!;
    else {
      id = this.slots++;
      if (id >= this.kind.length) this.grow();
    }
    this.kind[id] = kind; this.a[id] = a; this.b[id] = b; this.x[id] = x; this.y[id] = y;
    this.heap.push(time, id);
  }

  /**
   * Opens a lane and returns its number (for `scheduleIn`). A lane is for events that are scheduled in
   * time order, such as the arrivals at the far end of one link.
   */
  lane(): number {
    if (this.laneKind < 0) this.laneKind = this.on('lane', (l) => this.runLane(l));
    return this.lanes.push(new Lane(64)) - 1;
  }

  /**
   * Schedules like `schedule`, through lane `l`. The event runs at the same point among all events as
   * it would through `schedule`. An event earlier than the lane's last one goes to the heap instead, so
   * that a lane never breaks the order.
   */
  scheduleIn(l: number, kind: number, time: number, a: number, b: number, x: number, y: number): void {
    const L = this.lanes[l]!, heap = this.heap;
    if (L.len > 0 ? time < L.t[L.at(L.len - 1)]! : heap.n < LANE_MIN_HEAP) { this.schedule(kind, time, a, b, x, y); return; }
    if (heap.seq >= SEQ_LIMIT) this.renumber();
    const seq = heap.seq++;
    if (L.len === L.t.length) L.grow();
    const i = L.at(L.len++);
    L.t[i] = time; L.s[i] = seq; L.kind[i] = kind; L.a[i] = a; L.b[i] = b; L.x[i] = x; L.y[i] = y;
    // the lane was empty: a stand-in for its first event enters the heap
    if (L.len === 1) this.scheduleKeyed(this.laneKind, time, seq, l, 0, 0, 0);
  }

  /** Time of the next event (Infinity when none is pending). */
  peek(): number {
    this.settle();
    return this.heap.peekTime();
  }

  /** Pending events. */
  get pending(): number {
    this.settle();
    let n = this.heap.n;
    for (const L of this.lanes) if (L.len > 0) n += L.len - 1; // the first one is in the heap
    return n;
  }

  /** Handles the next event (the caller checks that one is pending). */
  step(): void {
    this.settle();
    const heap = this.heap;
    const id = heap.id[0]!;
    this.now = heap.t[0]!;
    const kind = this.kind[id]!, a = this.a[id]!, b = this.b[id]!, x = this.x[id]!, y = this.y[id]!;
    this.events++;
    this.inFlight = id;
    this.handlers[kind]!(a, b, x, y);
    this.settle();
  }

  /** Handles every event up to `until` (inclusive), then sets the time to `until`. */
  run(until: number): void {
    this.settle();
    const heap = this.heap, handlers = this.handlers;
    while (heap.n > 0 && heap.t[0]! <= until) {
      // step(), inlined: this loop is the simulator's hottest
      const id = heap.id[0]!;
      this.now = heap.t[0]!;
      const kind = this.kind[id]!, a = this.a[id]!, b = this.b[id]!, x = this.x[id]!, y = this.y[id]!;
      this.events++;
      this.inFlight = id;
      handlers[kind]!(a, b, x, y);
      if (this.inFlight >= 0) { this.inFlight = -1; heap.pop(); this.free[this.freeN++] = id; }
    }
    this.now = until;
  }

  /**
   * The handler of a lane's stand-in event: lane l's first event is due. The lane's next event takes the
   * stand-in's place in the heap with its own (time, insertion number), then the event is handled.
   */
  private runLane(l: number): void {
    const L = this.lanes[l]!, i = L.head;
    const kind = L.kind[i]!, a = L.a[i]!, b = L.b[i]!, x = L.x[i]!, y = L.y[i]!;
    L.head = (i + 1) & (L.t.length - 1);
    if (--L.len > 0) this.scheduleKeyed(this.laneKind, L.t[L.head]!, L.s[L.head]!, l, 0, 0, 0);
    this.handlers[kind]!(a, b, x, y);
  }

  /**
   * `schedule` with an insertion number a lane's event took earlier. `schedule` is written out apart and
   * does not call this: on the bench's hold model at 100 k pending events the call cost ≈ 6 %.
   */
  private scheduleKeyed(kind: number, time: number, seq: number, a: number, b: number, x: number, y: number): void {
    let id = this.inFlight;
    if (id >= 0) {
      this.inFlight = -1;
      this.kind[id] = kind; this.a[id] = a; this.b[id] = b; this.x[id] = x; this.y[id] = y;
      this.heap.replaceTopKeyed(time, seq);
      return;
    }
    if (this.freeN > 0) id = this.free[--this.freeN]!;
    else {
      id = this.slots++;
      if (id >= this.kind.length) this.grow();
    }
    this.kind[id] = kind; this.a[id] = a; this.b[id] = b; this.x[id] = x; this.y[id] = y;
    this.heap.pushKeyed(time, seq, id);
  }

  /** Pops the handled event if its handler scheduled nothing in its place (see `schedule`). */
  private settle(): void {
    const id = this.inFlight;
    if (id < 0) return;
    this.inFlight = -1;
    this.heap.pop();
    this.free[this.freeN++] = id;
  }

  /** Calls `f` with the payload of every pending event of `kind` (in no particular order). */
  forEachPending(kind: number, f: (a: number, b: number, x: number, y: number) => void): void {
    this.settle();
    const h = this.heap;
    for (let i = 0; i < h.n; i++) {
      const id = h.id[i]!;
      if (this.kind[id] === kind) f(this.a[id]!, this.b[id]!, this.x[id]!, this.y[id]!);
    }
    for (const L of this.lanes) {
      for (let n = 0; n < L.len; n++) {
        const j = L.at(n);
        if (L.kind[j] === kind) f(L.a[j]!, L.b[j]!, L.x[j]!, L.y[j]!);
      }
    }
  }

  getState(): KernelState {
    this.settle();
    return {
      now: this.now, events: this.events, slots: this.slots, freeN: this.freeN,
      kind: this.kind.slice(), a: this.a.slice(), b: this.b.slice(), x: this.x.slice(), y: this.y.slice(), free: this.free.slice(),
      heap: this.heap.snapshot(),
      lanes: this.lanes.map((L) => {
        const c = L.copy(L.t.length);
        return { t: c.t, s: c.s, kind: c.kind, a: c.a, b: c.b, x: c.x, y: c.y, len: c.len };
      }),
    };
  }

  setState(s: KernelState): void {
    this.inFlight = -1;
    this.now = s.now; this.events = s.events; this.slots = s.slots; this.freeN = s.freeN;
    this.kind = s.kind.slice(); this.a = s.a.slice(); this.b = s.b.slice(); this.x = s.x.slice(); this.y = s.y.slice(); this.free = s.free.slice();
    this.heap.restore(s.heap);
    if (s.lanes.length !== this.lanes.length) throw new Error(`internal: kernel state has ${s.lanes.length} lanes, this kernel ${this.lanes.length}`);
    this.lanes = s.lanes.map((x) => {
      const L = new Lane(x.t.length);
      L.t.set(x.t); L.s.set(x.s); L.kind.set(x.kind); L.a.set(x.a); L.b.set(x.b); L.x.set(x.x); L.y.set(x.y);
      L.len = x.len;
      return L;
    });
  }

  /**
   * Replaces every insertion number, in the heap and in the lanes, by its rank in (time, insertion)
   * order: the same order with small numbers (before the Int32 counter overflows).
   */
  private renumber(): void {
    this.settle(); // a handled stand-in still at the top would be taken for its lane's (next) event
    const h = this.heap;
    const t: number[] = [], seq: number[] = [];
    const standIn = (i: number) => this.kind[h.id[i]!] === this.laneKind;
    for (let i = 0; i < h.n; i++) if (!standIn(i)) { t.push(h.t[i]!); seq.push(h.s[i]!); }
    for (const L of this.lanes) for (let n = 0; n < L.len; n++) { const j = L.at(n); t.push(L.t[j]!); seq.push(L.s[j]!); }
    const order = Array.from({ length: t.length }, (_, i) => i);
    order.sort((a, b) => (t[a]! - t[b]!) || (seq[a]! - seq[b]!));
    const rank = new Int32Array(t.length);
    for (let r = 0; r < order.length; r++) rank[order[r]!] = r;
    let k = 0;
    for (let i = 0; i < h.n; i++) if (!standIn(i)) h.s[i] = rank[k++]!;
    for (const L of this.lanes) for (let n = 0; n < L.len; n++) L.s[L.at(n)] = rank[k++]!;
    for (let i = 0; i < h.n; i++) if (standIn(i)) { const L = this.lanes[this.a[h.id[i]!]!]!; h.s[i] = L.s[L.head]!; }
    h.seq = t.length;
  }

  private grow(): void {
    const n = this.kind.length * 2;
    const i32 = (old: Int32Array) => { const a = new Int32Array(n); a.set(old); return a; };
    const f64 = (old: Float64Array) => { const a = new Float64Array(n); a.set(old); return a; };
    this.kind = i32(this.kind); this.a = i32(this.a); this.b = i32(this.b); this.free = i32(this.free);
    this.x = f64(this.x); this.y = f64(this.y);
  }
}
