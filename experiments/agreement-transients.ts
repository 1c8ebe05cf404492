/**
 * Agreement of the two tiers on reconfiguration transients: both tiers run the same switch trace (the
 * I/O-core count changed every few epochs), and each 100 ms epoch's application metric (Gbit/s for
 * streams, transactions/s for transactional workloads, guest compute cores for CPU-bound VMs, summed
 * over the VMs) is compared, separately for the epochs that start with a switch, the epoch after, and
 * the others. The fast tier runs its exact model (`noise: false`).
 *
 * Run: `npx tsx experiments/agreement-transients.ts` (prints a markdown table);
 * `--epochs <workload>`: that workload's every-5 trace epoch by epoch instead (both tiers, what the
 * detailed tier holds in queues and at the NICs, and each switch epoch's first milliseconds). Shared with `test/env/fluid/agreement-transients.test.ts`.
 */
import { fileURLToPath } from 'node:url';
import { FluidHost } from '../env/fluid/host.js';
import { HostSim } from '../env/sim/host.js';
import { perVmScores } from '../env/sim/measure.js';
import type { Scenario } from '../env/scenarios/scenario.js';
import type { HostModel } from '../env/host-model.js';
import { AGREE_SEED, AGREE_WARMUP_S, gridScenario } from './agreement-grid.js';

const EPOCH_NS = 100e6;

/** A switch trace: the I/O-core count of each block, each held `every` epochs. */
export interface SwitchTrace { xs: readonly number[]; every: number }

/** The traces compared: every 5 epochs through ADD, REMOVE, STOP (→ 0) and START (0 →), and one switching every epoch. */
export const TRANSIENT_TRACES: Record<string, SwitchTrace> = {
  'every-5': { xs: [1, 2, 1, 3, 0, 2, 4, 1], every: 5 },
  'every-1': { xs: [1, 2, 1, 3, 0, 2, 4, 1, 2, 0, 1, 3], every: 1 },
};

/** The workloads compared (7 VMs each, the agreement grid's settings). */
export const TRANSIENT_WORKLOADS = ['tcp_rr', 'memcached', 'apache', 'tcp_stream_tx', 'cpu'] as const;

export interface TransientEpoch { epoch: number; x: number; kind: 'switch' | 'after' | 'steady'; sim: number; fast: number; err: number }

/** The application metric of a reading, summed over the VMs. */
function appMetric(h: HostModel, s: Scenario): number {
  return perVmScores(h.readEpoch().metrics, s.phases[0]!.workloads).reduce((a, b) => a + b, 0);
}

function runTrace(h: HostModel, s: Scenario, t: SwitchTrace): number[] {
  h.advance(AGREE_WARMUP_S * 1e9);
  h.readEpoch();
  const out: number[] = [];
  for (const x of t.xs) {
    for (let e = 0; e < t.every; e++) {
      if (e === 0) h.setIoCores(x);
      h.advance(EPOCH_NS);
      out.push(appMetric(h, s));
    }
  }
  return out;
}

/** Both tiers over one trace, per epoch. */
export function transientRun(s: Scenario, t: SwitchTrace): TransientEpoch[] {
  const x0 = t.xs[0]!;
  const sim = runTrace(new HostSim(s, { seed: AGREE_SEED, ioCores: x0 }), s, t);
  const fast = runTrace(new FluidHost(s, { seed: AGREE_SEED, ioCores: x0, noise: false }), s, t);
  return sim.map((v, i) => {
    const b = Math.floor(i / t.every), e = i % t.every;
    const switched = e === 0 && b > 0 && t.xs[b] !== t.xs[b - 1];
    const afterSwitch = e === 1 && b > 0 && t.xs[b] !== t.xs[b - 1];
    const kind: TransientEpoch['kind'] = switched ? 'switch' : afterSwitch ? 'after' : 'steady';
    const f = fast[i]!;
    return { epoch: i, x: t.xs[b]!, kind, sim: v, fast: f, err: Math.abs(v) > 1e-9 ? Math.abs(f - v) / Math.abs(v) : NaN };
  });
}

export interface TransientSummary { workload: string; trace: string; switchWorst: number; afterWorst: number; steadyWorst: number; lossSim: number; lossFast: number }

/**
 * Worst relative error per kind of epoch, and each tier's loss over the switch epochs: Σ over switch
 * epochs of (1 − metric / the same block's last epoch), the dip a switch costs (every-5 traces only).
 */
export function summarizeTransients(workload: string, trace: string, t: SwitchTrace, rows: TransientEpoch[]): TransientSummary {
  // NaN when the trace has no epoch of that kind (switching every epoch: every epoch is a switch epoch)
  const worst = (k: TransientEpoch['kind']) => { const e = rows.filter((r) => r.kind === k && Number.isFinite(r.err)).map((r) => r.err); return e.length ? Math.max(...e) : NaN; };
  let lossSim = 0, lossFast = 0;
  if (t.every > 2) {
    for (const r of rows) {
      if (r.kind !== 'switch') continue;
      const last = rows[r.epoch + t.every - 1]!;
      if (last.sim > 0) lossSim += 1 - r.sim / last.sim;
      if (last.fast > 0) lossFast += 1 - r.fast / last.fast;
    }
  }
  return { workload, trace, switchWorst: worst('switch'), afterWorst: worst('after'), steadyWorst: worst('steady'), lossSim, lossFast };
}

/** What the detailed tier holds at an instant: bytes in the guests' and rings' queues, and bytes handed to a NIC not yet delivered (link backlog and flight). */
type Held = { inQueues: number; onWire: number };
type Series = { metric: number; held?: Held }[];
const heldOf = (h: HostModel): Held | undefined => (h instanceof HostSim ? h.byteAccounts() : undefined);

/**
 * One tier's every-5 trace epoch by epoch (metric, and what the detailed tier holds at each epoch's end);
 * with `msAfterSwitch` > 0, each switch epoch's first milliseconds are read in 1 ms windows too.
 */
function epochSeries(h: HostModel, s: Scenario, t: SwitchTrace, msAfterSwitch = 0): { epochs: Series; switches: { epoch: number; ms: Series }[] } {
  h.advance(AGREE_WARMUP_S * 1e9);
  h.readEpoch();
  const epochs: Series = [], switches: { epoch: number; ms: Series }[] = [];
  for (const [b, x] of t.xs.entries()) {
    for (let e = 0; e < t.every; e++) {
      if (e === 0) h.setIoCores(x);
      if (e === 0 && b > 0 && msAfterSwitch > 0) {
        const ms: Series = [];
        for (let m = 0; m < msAfterSwitch; m++) { h.advance(1e6); ms.push({ metric: appMetric(h, s), ...(heldOf(h) ? { held: heldOf(h)! } : {}) }); }
        switches.push({ epoch: epochs.length, ms });
        h.advance(EPOCH_NS - msAfterSwitch * 1e6);
        epochs.push({ metric: NaN });
        continue;
      }
      h.advance(EPOCH_NS);
      epochs.push({ metric: appMetric(h, s), ...(heldOf(h) ? { held: heldOf(h)! } : {}) });
    }
  }
  return { epochs, switches };
}

const main = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
const epochsAt = process.argv.indexOf('--epochs');
if (main && epochsAt >= 0) {
  const w = process.argv[epochsAt + 1] ?? '';
  if (!(TRANSIENT_WORKLOADS as readonly string[]).includes(w)) {
    process.stderr.write(`agreement-transients: --epochs needs one of ${TRANSIENT_WORKLOADS.join(', ')}, got ${w || 'nothing'}\n`);
    process.exit(2);
  }
  const s = gridScenario(w, 7, 60), t = TRANSIENT_TRACES['every-5']!;
  const mk = (tier: 'fast' | 'detailed') => (tier === 'fast' ? new FluidHost(s, { seed: AGREE_SEED, ioCores: t.xs[0]!, noise: false }) : new HostSim(s, { seed: AGREE_SEED, ioCores: t.xs[0]! }));
  const sim = epochSeries(mk('detailed'), s, t).epochs, fast = epochSeries(mk('fast'), s, t).epochs;
  const MS = 8;
  const simMs = epochSeries(mk('detailed'), s, t, MS).switches, fastMs = epochSeries(mk('fast'), s, t, MS).switches;
  const mb = (b: number | undefined) => (b === undefined ? '–' : (b / 1e6).toFixed(2));
  console.log(`Generated by \`npx tsx experiments/agreement-transients.ts --epochs ${w}\` (seed ${AGREE_SEED}, ${AGREE_WARMUP_S} s warm-up, 100 ms epochs, 7 VMs, every-5 trace, fast tier without noise). Metric: ${w === 'cpu' ? 'guest compute cores' : w === 'tcp_stream_tx' ? 'Gbit/s' : 'transactions/s'}, summed over VMs. Held: the detailed tier's bytes in guest and ring queues / bytes handed to a NIC and not yet delivered (link backlog and flight), MB, at the epoch's end.`);
  console.log();
  console.log('| epoch | x | detailed | fast | detailed: held in queues / at the NICs (MB) |');
  console.log('|---|---|---|---|---|');
  sim.forEach((r, i) => console.log(`| ${i} | ${t.xs[Math.floor(i / t.every)]}${i % t.every === 0 && i > 0 ? ' (switch)' : ''} | ${r.metric.toFixed(3)} | ${fast[i]!.metric.toFixed(3)} | ${mb(r.held?.inQueues)} / ${mb(r.held?.onWire)} |`));
  console.log();
  console.log(`Each switch epoch's first ${MS} ms in 1 ms windows (detailed / fast metric; the detailed tier's bytes at the NICs, MB, at each window's end):`);
  console.log();
  console.log(`| epoch | x before → after | ${Array.from({ length: MS }, (_, m) => `${m}–${m + 1} ms`).join(' | ')} |`);
  console.log(`|---|---|${'---|'.repeat(MS)}`);
  simMs.forEach((sw, i) => {
    const b = Math.floor(sw.epoch / t.every);
    console.log(`| ${sw.epoch} | ${t.xs[b - 1]} → ${t.xs[b]} | ${sw.ms.map((m, k) => `${m.metric.toFixed(2)} / ${fastMs[i]!.ms[k]!.metric.toFixed(2)} (${mb(m.held?.onWire)})`).join(' | ')} |`);
  });
} else if (main) {
  const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)} %` : '–');
  console.log(`Generated by \`npx tsx experiments/agreement-transients.ts\` (seed ${AGREE_SEED}, ${AGREE_WARMUP_S} s warm-up, 100 ms epochs, 7 VMs, fast tier without noise). Error = |fast − detailed| / detailed of the epoch's application metric; loss = Σ over switch epochs of the dip below the block's last epoch (each tier against itself).`);
  console.log();
  console.log('| workload | trace | switch epochs: worst error | epoch after: worst | other epochs: worst | switch loss detailed / fast |');
  console.log('|---|---|---|---|---|---|');
  for (const w of TRANSIENT_WORKLOADS) {
    const s = gridScenario(w, 7, 60);
    for (const [name, t] of Object.entries(TRANSIENT_TRACES)) {
      const r = summarizeTransients(w, name, t, transientRun(s, t));
      console.log(`| ${w} | ${name} (x ${t.xs.join(', ')}) | ${pct(r.switchWorst)} | ${pct(r.afterWorst)} | ${pct(r.steadyWorst)} | ${t.every > 2 ? `${r.lossSim.toFixed(3)} / ${r.lossFast.toFixed(3)}` : '–'} |`);
    }
  }
}
