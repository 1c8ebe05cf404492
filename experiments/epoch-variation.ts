/**
 * Epoch-to-epoch variation of the detailed tier (`HostSim`): for each cell (scenario, fixed I/O-core
 * count) it runs a warm-up, then N epochs of 100 ms, and prints the coefficient of variation
 * (standard deviation / mean over the epochs) of every noise family of the fast tier
 * (`env/fluid/noise.ts`): the throughput-coupled counters and metrics, the baseline vhost CPU, the VM
 * cores' idle time, the mean latency and the p99 latency. The last lines are the median CV of each
 * family over the cells where it is defined: the σ table of `env/fluid/noise.ts` (`NOISE_SIGMA`).
 *
 * Run: `npx tsx experiments/epoch-variation.ts` (`--epochs N`, default 30; `--seed S`, default 1).
 */
import { HostSim } from '../env/sim/host.js';
import { loadScenario } from '../env/scenarios/scenario.js';
import type { HostReading } from '../env/host-model.js';
import { NOISE_FAMILIES, type NoiseFamily } from '../env/fluid/noise.js';

const args = process.argv.slice(2);
const flag = (name: string, dflt: number): number => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = Number(args[i + 1]);
  if (!Number.isInteger(v) || v < 2) {
    process.stderr.write(`epoch-variation: ${name} must be an integer >= 2, got ${JSON.stringify(args[i + 1])}\n`);
    process.exit(2);
  }
  return v;
};
const EPOCHS = flag('--epochs', 30);
const SEED = flag('--seed', 1);
const WARMUP_NS = 50e6, EPOCH_NS = 100e6;

/** The cells: the ELVIS workloads on 7 VMs and 1 VM, baseline and side-core, CPU-bound and idle-heavy. */
const CELLS: [string, number][] = [
  ['elvis-rr-7vm', 0], ['elvis-rr-7vm', 1], ['elvis-memcached-7vm', 0], ['elvis-memcached-7vm', 2],
  ['elvis-apache-7vm', 1], ['elvis-stream-7vm', 0], ['elvis-stream-7vm', 3], ['elvis-rr-1vm', 0], ['elvis-rr-1vm', 1],
];

/** The value of one family in a reading (NaN where the family does not apply). */
function familyValue(f: NoiseFamily, r: HostReading): number {
  const c = r.counters, m = r.metrics;
  switch (f) {
    case 'throughput': return m.transactionsPerSec > 0 ? m.transactionsPerSec : m.throughputGbps > 0 ? m.throughputGbps : c.handledBytes;
    // with I/O cores the vhost threads are busy-polling workers: their CPU time is the whole epoch, no variation to model
    case 'vhostCpu': return c.ioCores === 0 ? c.vhostCpuNs : NaN;
    case 'idle': return c.vmCoreIdleNs.reduce((a, b) => a + b, 0);
    case 'latencyMean': return m.latencyUs.mean;
    case 'latencyP99': return m.latencyUs.p99;
  }
}

function cv(xs: number[]): number {
  const v = xs.filter((x) => Number.isFinite(x));
  if (v.length < 2) return NaN;
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  if (!(mean > 0)) return NaN;
  const varc = v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1);
  return Math.sqrt(varc) / mean;
}

const median = (xs: number[]): number => {
  const v = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const h = v.length >> 1;
  return v.length % 2 ? v[h]! : (v[h - 1]! + v[h]!) / 2;
};

const pct = (x: number): string => (Number.isFinite(x) ? `${(100 * x).toFixed(3)} %` : '–');
const perFamily = new Map<NoiseFamily, number[]>(NOISE_FAMILIES.map((f) => [f, []]));
console.log(`Detailed tier, seed ${SEED}, ${WARMUP_NS / 1e6} ms warm-up, ${EPOCHS} epochs of ${EPOCH_NS / 1e6} ms: coefficient of variation per epoch`);
console.log();
console.log(`| scenario | x | ${NOISE_FAMILIES.join(' | ')} |`);
console.log(`|---|---|${NOISE_FAMILIES.map(() => '---').join('|')}|`);
for (const [name, x] of CELLS) {
  const h = new HostSim(loadScenario(name), { seed: SEED, ioCores: x });
  h.advance(WARMUP_NS);
  h.readEpoch();
  const reads: HostReading[] = [];
  for (let e = 0; e < EPOCHS; e++) { h.advance(EPOCH_NS); reads.push(h.readEpoch()); }
  const row = NOISE_FAMILIES.map((f) => {
    const c = cv(reads.map((r) => familyValue(f, r)));
    perFamily.get(f)!.push(c);
    return c;
  });
  console.log(`| ${name} | ${x} | ${row.map(pct).join(' | ')} |`);
}
console.log();
console.log('Median CV per family over the cells where it is defined (NOISE_SIGMA in env/fluid/noise.ts):');
for (const f of NOISE_FAMILIES) console.log(`  ${f}: ${median(perFamily.get(f)!).toPrecision(3)}`);
