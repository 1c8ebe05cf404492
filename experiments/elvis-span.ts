/**
 * The ELVIS span on one 10 GbE NIC: 8 cores, 7 single-vCPU VMs, side-core with 1 I/O core vs the
 * baseline (x = 0), for the four ELVIS workloads — netperf TCP_STREAM (VM sends 16 KiB messages),
 * Apache, netperf TCP_RR and memcached — with the shipped `elvis-*-7vm` scenarios' workloads on one NIC.
 * ELVIS (Har'El et al., USENIX ATC 2013) reports side-core 1.2–3× the baseline across its suite
 * (docs/model.md §14 says what the model can and cannot be expected to match).
 *
 * With `--eli`: ELI's comparison instead (Gordon et al., ASPLOS 2012: exitless interrupts 1.3–1.6×):
 * one VM on one I/O core, exitless vs injected completions, for stream receive, Apache and memcached.
 *
 * Run: `npx tsx experiments/elvis-span.ts [--eli] [--tier sim|fluid] [--segment <bytes>] [--guest-idle hlt|poll]`
 * (defaults: detailed tier, the scenarios' own segment size and idle mode; seed 1, 0.05 s warm-up,
 * 0.3 s measured). Prints one line per workload: the ratio, both figures, and the setting in force.
 */
import { loadScenario, type Scenario, type Workload } from '../env/sim/scenario.js';
import { runStatic } from '../env/sim/measure.js';
import type { EpochMetrics } from '../env/sim/counters.js';
import { FluidHost } from '../env/fluid/host.js';
import { UsageError, formatError } from './errors.js';

const WARMUP_S = 0.05, MEASURE_S = 0.3, SEED = 1;

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i < 0) return undefined;
  const v = args[i + 1];
  if (v === undefined || v.startsWith('--')) throw new UsageError(`${name} needs a value`);
  return v;
}

function measure(s: Scenario, x: number, tier: string, exitlessInterrupts = true): EpochMetrics {
  if (tier === 'sim') return runStatic(s, { seed: SEED, ioCores: x, durationS: MEASURE_S, warmupS: WARMUP_S, exitlessInterrupts }).totals.metrics;
  const h = new FluidHost(s, { seed: SEED, ioCores: x, exitlessInterrupts });
  h.advance(WARMUP_S * 1e9);
  h.readEpoch();
  h.advance(MEASURE_S * 1e9);
  return h.readEpoch().metrics;
}

function main(): void {
  const args = process.argv.slice(2);
  const tier = option(args, '--tier') ?? 'sim';
  if (tier !== 'sim' && tier !== 'fluid') throw new UsageError(`--tier must be sim or fluid, got ${tier}`);
  const segArg = option(args, '--segment');
  const segment = segArg === undefined ? undefined : Number(segArg);
  if (segment !== undefined && !(Number.isInteger(segment) && segment >= 64 && segment <= 65_536)) {
    throw new UsageError(`--segment must be an integer number of bytes in [64, 65536], got ${segArg}`);
  }
  const idle = option(args, '--guest-idle');
  if (idle !== undefined && idle !== 'hlt' && idle !== 'poll') throw new UsageError(`--guest-idle must be hlt or poll, got ${idle}`);
  if (args.includes('--eli')) {
    for (const wl of ['stream', 'apache', 'memcached']) {
      const base = loadScenario(`elvis-${wl}-1vm`);
      const rx = (w: Workload): Workload => (wl === 'stream' ? { ...w, type: 'tcp_stream_rx', messageBytes: 16_384, segmentBytes: segment ?? w.segmentBytes } : w);
      const s: Scenario = {
        ...base,
        host: { ...base.host, nics: 1, ...(idle === undefined ? {} : { guestIdle: idle }) },
        phases: base.phases.map((p) => ({ ...p, workloads: p.workloads.map(rx) })),
      };
      const inj = measure(s, 1, tier, false), eli = measure(s, 1, tier, true);
      const score = (m: EpochMetrics) => (wl === 'stream' ? m.throughputGbps : m.transactionsPerSec);
      const w0 = s.phases[0]!.workloads[0]!;
      const name = wl === 'stream' ? 'stream-rx' : wl;
      process.stdout.write(`${tier} eli ${name.padEnd(9)} ${(score(eli) / score(inj)).toFixed(2)}x  injected ${score(inj).toFixed(2)}, exitless ${score(eli).toFixed(2)} ${wl === 'stream' ? 'Gbit/s' : 'tx/s'}  (guestIdle ${s.host.guestIdle ?? 'hlt'}${wl === 'stream' ? `, segment ${w0.segmentBytes} B` : ''}; exits/s ${Math.round(inj.exitsPerSec)} vs ${Math.round(eli.exitsPerSec)})\n`);
    }
    return;
  }
  for (const wl of ['stream', 'apache', 'rr', 'memcached']) {
    const base = loadScenario(`elvis-${wl}-7vm`);
    const adjust = (w: Workload): Workload => {
      if (wl !== 'stream') return w;
      return { ...w, messageBytes: 16_384, segmentBytes: segment ?? w.segmentBytes };
    };
    const s: Scenario = {
      ...base,
      host: { ...base.host, nics: 1, ...(idle === undefined ? {} : { guestIdle: idle }) },
      phases: base.phases.map((p) => ({ ...p, workloads: p.workloads.map(adjust) })),
    };
    const b = measure(s, 0, tier), x1 = measure(s, 1, tier);
    const w0 = s.phases[0]!.workloads[0]!;
    const score = (m: EpochMetrics) => (wl === 'stream' ? m.throughputGbps : m.transactionsPerSec);
    const unit = wl === 'stream' ? 'Gbit/s' : 'tx/s';
    const fmt = (v: number) => (wl === 'stream' ? v.toFixed(2) : Math.round(v).toString());
    const setting = `guestIdle ${s.host.guestIdle ?? 'hlt'}` + (wl === 'stream' ? `, segment ${w0.segmentBytes} B, message ${w0.messageBytes} B` : '');
    process.stdout.write(`${tier} ${wl.padEnd(9)} ${(score(x1) / score(b)).toFixed(2)}x  baseline ${fmt(score(b))} ${unit}, x=1 ${fmt(score(x1))} ${unit}  (${setting}; baseline idle ${b.cpu.idle.toFixed(2)} cores, exits/s ${Math.round(b.exitsPerSec)} vs ${Math.round(x1.exitsPerSec)})\n`);
  }
}

try {
  main();
} catch (err) {
  process.stderr.write(`elvis-span: ${formatError(err)}\n`);
  process.exit(err instanceof UsageError ? 2 : 1);
}
