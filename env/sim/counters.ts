/**
 * What one epoch of the host looks like from outside: the raw counters the IOcm manager reads
 * (`docs/iocm-policy.md` §2) and the application metrics
 * a user judges the host by. Both tiers (`env/sim` detailed, `env/fluid` fast) produce exactly these
 * records, so every consumer (the SideCore env, the IOcm agent, the experiment runner) is tier-blind.
 *
 * All counters are deltas over the epoch and in true units (cycles, bytes, nanoseconds). The unit slips
 * of the released manager (÷2.5 on CPU times, jiffies vs ns) are applied by the IOcm agent in its
 * bug-compatible mode, never here: the host reports what a correct kernel would.
 */

/** Raw per-epoch counters, as the IOcm manager would read them from sysfs, /proc and rdtsc. */
export interface EpochCounters {
  /** C: Δ TSC cycles over the epoch (host clock × epoch length). */
  tscCycles: number;
  /** Wk: Σ over all vhost worker threads of Δ total_work_cycles (cycles spent handling work). */
  workerWorkCycles: number;
  /** B: Σ over all virtqueues of Δ(notif_bytes + poll_bytes). */
  vqBytes: number;
  /** HB: Σ over all virtqueues of Δ handled_bytes. */
  handledBytes: number;
  /** HP: Σ over all virtqueues of Δ handled_packets. */
  handledPackets: number;
  /** U: Σ over vhost worker threads of Δ(utime + stime), in ns of CPU time. */
  vhostCpuNs: number;
  /** T: Δ wall clock in ns. */
  wallNs: number;
  /** I_c: Δ idle ns of each current VM core c, in core-id order. */
  vmCoreIdleNs: number[];
  /** nW: vhost worker threads the manager knows of (side-core: W; baseline: one per device). */
  workerThreads: number;
  /** W: I/O cores (0 = baseline, one vhost thread per device). */
  ioCores: number;
  /** Per-worker (side-core) Δ loops, Δ empty polls and Δ work cycles, in worker order. */
  workerLoops: number[];
  workerEmptyPolls: number[];
  workerWorkCyclesEach: number[];
}

/** Kick-to-service latency of a window: mean and p99 (µs), samples per second. */
export interface KickToServiceUs {
  mean: number;
  p99: number;
  perSec: number;
}

/** Application-level results of one epoch (what users and rewards care about). */
export interface EpochMetrics {
  /** Goodput delivered to applications over the epoch, Gbit/s (both directions, all VMs). */
  throughputGbps: number;
  /** Completed transactions (RR round trips, memcached ops, HTTP requests) per second. */
  transactionsPerSec: number;
  /** Latency of the transactions completed in the epoch, µs (NaN when none completed). */
  latencyUs: { mean: number; p50: number; p99: number };
  /** VM exits per second, in total and by reason. */
  exitsPerSec: number;
  exitsByReason: Record<string, number>;
  /** Interrupts delivered to guests per second (injected or exitless). */
  interruptsPerSec: number;
  contextSwitchesPerSec: number;
  /** Average cores used over the epoch by VM work (guest + exits), by I/O work (vhost/workers), and idle. */
  cpu: { vm: number; io: number; idle: number };
  /** Per-VM goodput, transactions/s and mean latency (and guest compute, see below). */
  perVm: {
    throughputGbps: number; transactionsPerSec: number; latencyUsMean: number; guestComputeCores?: number;
    /** The VM's exits per second by reason (same keys as `exitsByReason`); optional for other producers. */
    exitsByReason?: Record<string, number>;
    /** Cores' worth of time the VM's vCPU threads ran (guest, exits, context switches); optional. */
    cpuCores?: number;
    /** The VM's kick-to-service latency (see `kickToServiceUs` below); optional. */
    kickToServiceUs?: KickToServiceUs | null;
  }[];
  /**
   * Kick-to-service latency (docs/model.md §10): from a guest's TX ring post (and kick) until a vhost
   * thread or side-core worker starts servicing it; mean and p99 in µs (NaN without samples) and
   * samples (messages) per second. The detailed tier measures it; the fast tier estimates the mean
   * (p99 NaN). Optional (absent or null) for other producers.
   */
  kickToServiceUs?: KickToServiceUs | null;
  /**
   * Cores' worth of CPU-bound guest computation done (the `cpu` workload's performance). Added by
   * `env/sim` (docs/model.md §10); optional so that other producers may omit it.
   */
  guestComputeCores?: number;
  /** Cycle accounts of the window by owner (`env/sim` CYCLE_CATEGORIES); optional. */
  cycles?: Record<string, number>;
}
