/**
 * The extra fields `simulate` reports so that a user can check a run: the cost table in force with the
 * unit of every entry, the segment size each VM's streams use, packets/s as vhost counts them, the
 * units of the IOcm statistics, and trace times without binary-fraction artefacts.
 */
import { DEFAULT_COSTS, type Costs } from '../env/sim/costs.js';
import { COST_SOURCES, type SourceTag } from '../env/sim/cost-sources.js';
import type { Scenario } from '../env/sim/scenario.js';
import type { EpochCounters, KickToServiceUs } from '../env/sim/counters.js';

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

/** One row of the cost table in force: value, unit, source tags and the source or reason (`env/sim/cost-sources.ts`). */
export interface CostRow {
  value: Costs[keyof Costs];
  unit: string;
  tags: readonly SourceTag[];
  source: string;
  /** A cycle cost in ns at the host clock (when the table is built for one). */
  ns?: number;
  /** Set when the value is not the default (a `--cost` override): the default it replaces. */
  default?: Costs[keyof Costs];
}

/**
 * The cost table in force: every entry with its value, unit and source. The one builder of the table
 * (`simulate --json`'s `costs`, `iocm-gym costs`); `costs` is the resolved table (defaults + overrides),
 * `ghz` the host clock that converts cycle costs to ns.
 */
export function costTable(costs: Readonly<Costs> = DEFAULT_COSTS, ghz?: number): Record<string, CostRow> {
  const out: Record<string, CostRow> = {};
  for (const k of Object.keys(DEFAULT_COSTS) as (keyof Costs)[]) {
    const { tags, source } = COST_SOURCES[k];
    const row: CostRow = { value: costs[k], unit: costUnit(k), tags, source };
    const v = costs[k];
    if (ghz !== undefined && row.unit === 'host cycles' && typeof v === 'number') row.ns = v / ghz;
    if (v !== DEFAULT_COSTS[k]) row.default = DEFAULT_COSTS[k];
    out[k] = row;
  }
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

/**
 * Kick-to-service over equal-length epochs: the mean weighted by each epoch's samples, the p99 the
 * sample-weighted mean of the epochs' p99 (as the run's latency p99), samples/s the mean. Null when an
 * epoch has none (the tier does not measure it).
 */
export function aggregateKickToService(epochs: readonly (KickToServiceUs | null | undefined)[]): KickToServiceUs | null {
  if (epochs.length === 0 || epochs.some((e) => e == null)) return null;
  let n = 0, mean = 0, p99 = 0, rate = 0;
  for (const e of epochs as KickToServiceUs[]) {
    rate += e.perSec;
    if (!(e.perSec > 0)) continue;
    n += e.perSec; mean += e.mean * e.perSec; p99 += e.p99 * e.perSec;
  }
  return n > 0 ? { mean: mean / n, p99: p99 / n, perSec: rate / epochs.length } : { mean: NaN, p99: NaN, perSec: 0 };
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
  kickToServiceUs: 'µs from a guest\'s TX ring post (and its kick, when the host asked for one) until a vhost thread or side-core worker starts servicing it: mean, p99 and samples (messages) per second, host-wide and per VM (docs/model.md §10); on the fast tier the model\'s estimate of the mean from its wake-up, switch and poll-round terms, p99 null (docs/fluid.md §6)',
  costs: 'value in the unit of each entry, with its source tags and source (env/sim/costs.ts; `iocm-gym costs` prints the same table)',
} as const;
