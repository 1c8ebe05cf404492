/**
 * A diagnostic of the detailed tier behind the fast tier's time-slice tails (docs/fluid.md §6, §10):
 * for one agreement-grid cell, how long vCPUs wait in the run queue (from being queued to being
 * dispatched), grouped by what queued them (a scheduler tick, a wake-up, a chunk's end), and the
 * cell's p99 over seeds 1–4 with the agreement windows (0.05 s warm-up, then 0.3 s and 1 s).
 *
 * It wraps HostSim's private scheduling methods at run time (a diagnostic, not an API), so it reads the
 * simulator exactly as it runs; nothing here changes what it computes.
 *
 * Run: `npx tsx experiments/off-periods.ts <cell> <x>`, e.g. `npx tsx experiments/off-periods.ts memcached/7vm 3`
 * (cells as in `experiments/agreement.ts`: `<workload>/<n>vm`, `mixed`, `paper/<phase>`).
 */
import { AGREE_MEASURE_S, AGREE_WARMUP_S, gridCases } from './agreement-grid.js';
import { HostSim } from '../env/sim/host.js';

const [id, xArg] = process.argv.slice(2);
const cell = gridCases().find((g) => g.id === id);
const x = Number(xArg);
if (!cell || !Number.isInteger(x) || x < 0 || x > 4) {
  process.stderr.write(`usage: npx tsx experiments/off-periods.ts <cell> <x 0-4>; cells: ${gridCases().map((g) => g.id).join(', ')}\n`);
  process.exit(2);
}

/** The parts of HostSim this diagnostic reads (private in the class). */
interface SimInternals { S: { now: number }; nVcpu: number; ghz: number }
type Method = (this: SimInternals, ...a: number[]) => unknown;
const proto = HostSim.prototype as unknown as Record<string, Method>;

let cause = 'other';
let measuring = false;
const queuedAt = new Map<number, { at: number; cause: string }>();
const waits = new Map<string, number[]>();
for (const name of ['tick', 'wake', 'chunkDone']) {
  const f = proto[name]!;
  proto[name] = function (...a) { const prev = cause; cause = name; try { return f.apply(this, a); } finally { cause = prev; } };
}
const rqPush = proto.rqPush!, dispatch = proto.dispatch!;
proto.rqPush = function (t) { if (t! < this.nVcpu) queuedAt.set(t!, { at: this.S.now, cause }); return rqPush.call(this, t!); };
proto.dispatch = function (c, t, fromIdle) {
  const q = queuedAt.get(t!);
  if (q) {
    queuedAt.delete(t!);
    if (measuring) (waits.get(q.cause) ?? waits.set(q.cause, []).get(q.cause)!).push((this.S.now - q.at) / this.ghz / 1e6);
  }
  return dispatch.call(this, c!, t!, fromIdle!);
};

const p99Of = (seed: number, windowS: number): number => {
  const h = new HostSim(cell.scenario, { seed, ioCores: x });
  h.advance(AGREE_WARMUP_S * 1e9);
  h.readEpoch();
  measuring = seed === 1 && windowS === AGREE_MEASURE_S;
  h.advance(windowS * 1e9);
  measuring = false;
  return h.readEpoch().metrics.latencyUs.p99;
};
const p99s: string[] = [];
for (const seed of [1, 2, 3, 4]) for (const w of [AGREE_MEASURE_S, 1]) p99s.push(`seed ${seed} ${w} s: ${p99Of(seed, w).toFixed(0)} µs`);
console.log(`${id} at x = ${x}, detailed tier p99: ${p99s.join('; ')}`);
console.log(`vCPU run-queue waits, seed 1, ${AGREE_MEASURE_S} s window (ms, histogram in 0.05 ms bins):`);
for (const [c, ws] of waits) {
  ws.sort((a, b) => a - b);
  const q = (p: number) => ws[Math.floor(p * (ws.length - 1))]!.toFixed(3);
  const hist = new Map<string, number>();
  for (const w of ws) { const b = (Math.floor(w / 0.05) * 0.05).toFixed(2); hist.set(b, (hist.get(b) ?? 0) + 1); }
  const mean = ws.reduce((a, b) => a + b, 0) / ws.length;
  console.log(`  queued by ${c}: n ${ws.length}, mean ${mean.toFixed(3)}, median ${q(0.5)}, p90 ${q(0.9)}, max ${q(1)}`);
  console.log(`    ${[...hist].map(([b, n]) => `${b}:${n}`).join(' ')}`);
}
