/**
 * Kick-to-service latency on both tiers (docs/model.md §10, docs/fluid.md §6): for the ELVIS
 * request/response, memcached, Apache and stream scenarios at 0–2 I/O cores, the detailed tier's
 * measured mean and p99 and the fast tier's estimate of the mean (its exact model, no noise), after a
 * 50 ms warm-up, over 200 ms, seed 1. Prints a markdown table.
 *
 *   npx tsx experiments/kick-to-service.ts
 */
import { HostSim } from '../env/sim/host.js';
import { FluidHost } from '../env/fluid/host.js';

const SCENARIOS = ['elvis-rr-1vm', 'elvis-rr-7vm', 'elvis-memcached-7vm', 'elvis-apache-7vm', 'elvis-stream-7vm'];
const WARMUP_NS = 50e6, MEASURE_NS = 200e6, SEED = 1;

const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '–');
const rows = ['| scenario | I/O cores | detailed mean µs | detailed p99 µs | fast estimate µs | fast / detailed |', '|---|---|---|---|---|---|'];
for (const name of SCENARIOS) {
  for (const x of [0, 1, 2]) {
    const d = new HostSim(name, { seed: SEED, ioCores: x });
    const f = new FluidHost(name, { seed: SEED, ioCores: x, noise: false });
    for (const h of [d, f]) { h.advance(WARMUP_NS); h.readEpoch(); h.advance(MEASURE_NS); }
    const a = d.readEpoch().metrics.kickToServiceUs!, b = f.readEpoch().metrics.kickToServiceUs!;
    rows.push(`| ${name} | ${x} | ${f2(a.mean)} | ${f2(a.p99)} | ${f2(b.mean)} | ${f2(b.mean / a.mean)} |`);
  }
}
process.stdout.write(rows.join('\n') + '\n');
