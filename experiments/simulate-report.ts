/**
 * The extra fields `simulate` reports so that a user can check a run: the cost table in force with the
 * unit of every entry, the segment size each VM's streams use, packets/s as vhost counts them, the
 * units of the IOcm statistics, and trace times without binary-fraction artefacts.
 */
import { DEFAULT_COSTS, type Costs } from '../env/sim/costs.js';
import type { Scenario } from '../env/sim/scenario.js';
import type { EpochCounters } from '../env/sim/counters.js';

/** The unit of a cost entry, from its name's suffix (the cost table's naming rule). */
export function costUnit(key: keyof Costs): string {
  if (key.endsWith('Cycles')) return 'host cycles';
  if (key.endsWith('Ns')) return 'ns';
  if (key.endsWith('NsPerSample')) return 'ns per manager sample';
  if (key.endsWith('Bytes')) return 'bytes';
  if (key.endsWith('Factor')) return 'ratio';
  if (key === 'napiWeight') return 'packets';
  if (key === 'ringSize') return 'descriptors';
  if (key === 'cStates') return 'table: name, exit latency (ns), target residency (ns)';
  throw new Error(`costUnit: no unit known for cost ${key}`);
}

/** Every cost entry with its value and unit; sources are beside each entry in env/sim/costs.ts. */
export function costTable(costs: Readonly<Costs> = DEFAULT_COSTS): Record<string, { value: Costs[keyof Costs]; unit: string }> {
  const out: Record<string, { value: Costs[keyof Costs]; unit: string }> = {};
  for (const k of Object.keys(costs) as (keyof Costs)[]) out[k] = { value: costs[k], unit: costUnit(k) };
  return out;
}

/**
 * Segment size in force for VM `i` over `phases`: the `segmentBytes` of its stream workloads (65,536 =
 * TSO/GSO, 1,448 = MTU-sized packets), or null when it runs no stream there (its messages are then
 * split into host packets of `tsoBytes`).
 */
export function segmentBytesOf(sc: Scenario, phases: readonly number[], i: number): number[] | null {
  const seg = new Set<number>();
  for (const p of phases) {
    const w = sc.phases[p]!.workloads[i]!;
    if (w.type === 'tcp_stream_tx' || w.type === 'tcp_stream_rx') seg.add(w.segmentBytes);
  }
  return seg.size > 0 ? [...seg] : null;
}

/** Mean packets (descriptor chains) vhost handled per second over equal-length epochs. */
export function packetsPerSec(counters: readonly EpochCounters[]): number {
  let p = 0, ns = 0;
  for (const c of counters) { p += c.handledPackets; ns += c.wallNs; }
  return ns > 0 ? p / (ns / 1e9) : NaN;
}

/** A simulated time in seconds as the trace writes it: rounded to the nanosecond, so 0.3 not 0.30000000000000004. */
export function traceTimeS(t: number): number {
  return Number(t.toFixed(9));
}

/** Units of the JSON's fields that are not self-explaining. */
export const SIMULATE_UNITS = {
  cpu: 'cores (average over the measured epochs)',
  exitsPerSec: 'exits per second, host-wide',
  packetsPerSec: 'descriptor chains handled by vhost per second (TX + RX), as IOcm counts packets',
  'iocm.empty': 'cores (idle I/O capacity)',
  'iocm.effectiveIoRatio': 'cores (vhost work cycles / TSC cycles)',
  'iocm.overallIoRatio': 'cores (vhost CPU time / wall time)',
  'iocm.vmIdle': 'cores (VM-core idle time / wall time)',
  'iocm.avgBytesPerPacket': 'bytes per descriptor chain (virtio-net header + whole frame)',
  'iocm.bytesPerCycle': 'bytes per TSC cycle of one core',
  segmentBytes: 'bytes per TSO/GSO segment of a stream (null: no stream)',
  costs: 'see each entry; sources in env/sim/costs.ts',
} as const;
