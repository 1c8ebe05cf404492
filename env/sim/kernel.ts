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
 */
import { EventHeap } from './heap.js';

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

  constructor(capacity = 1024) {
    this.heap = new EventHeap(capacity);
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

  /** Time of the next event (Infinity when none is pending). */
  peek(): number {
    this.settle();
    return this.heap.peekTime();
  }

  /** Pending events. */
  get pending(): number {
    this.settle();
    return this.heap.n;
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
  }

  getState(): KernelState {
    this.settle();
    return {
      now: this.now, events: this.events, slots: this.slots, freeN: this.freeN,
      kind: this.kind.slice(), a: this.a.slice(), b: this.b.slice(), x: this.x.slice(), y: this.y.slice(), free: this.free.slice(),
      heap: this.heap.snapshot(),
    };
  }

  setState(s: KernelState): void {
    this.inFlight = -1;
    this.now = s.now; this.events = s.events; this.slots = s.slots; this.freeN = s.freeN;
    this.kind = s.kind.slice(); this.a = s.a.slice(); this.b = s.b.slice(); this.x = s.x.slice(); this.y = s.y.slice(); this.free = s.free.slice();
    this.heap.restore(s.heap);
  }

  private grow(): void {
    const n = this.kind.length * 2;
    const i32 = (old: Int32Array) => { const a = new Int32Array(n); a.set(old); return a; };
    const f64 = (old: Float64Array) => { const a = new Float64Array(n); a.set(old); return a; };
    this.kind = i32(this.kind); this.a = i32(this.a); this.b = i32(this.b); this.free = i32(this.free);
    this.x = f64(this.x); this.y = f64(this.y);
  }
}
