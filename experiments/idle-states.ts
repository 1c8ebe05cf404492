/**
 * A diagnostic of the agreement grid's idle-state disagreements (docs/fluid.md §10): which C-state each
 * tier puts its VM cores in, and what the best static I/O-core count would be if the idle governor could
 * not go deeper than C1 (`intel_idle.max_cstate=1`, a common setting on benchmarking hosts).
 *
 * Both tiers choose a state with the same rule (`env/sim/cstates.ts` `idleExitNs`); the detailed tier
 * calls it each time a VM core goes idle, with that core's own running average of its idle periods, the
 * fast tier once per steady-state solve, with the mean idle period of the cores that take wake-ups. Each
 * tier keeps the exit latency of the state it picked (the detailed tier per core when the core goes
 * idle, the fast tier per steady state), and the states' exit latencies differ, so the pick is read
 * back from that latency: the figures are what the tiers compute, and nothing they compute changes.
 *
 * Run: `npx tsx experiments/idle-states.ts [<cell> ...]` (cells as in `experiments/agreement.ts`; default
 * the three known rows tcp_rr/7vm, udp_rr/7vm, cpu/7vm). Seed, warm-up and window as the agreement.
 */
import { AGREE_MEASURE_S, AGREE_SEED, AGREE_WARMUP_S, gridCases, type GridCase } from './agreement-grid.js';
import { HostSim } from '../env/sim/host.js';
import { FluidHost } from '../env/fluid/host.js';
import { DEFAULT_COSTS, type Costs } from '../env/sim/costs.js';
import { bestStaticX, perVmScores, relativeScore } from '../env/sim/measure.js';
import type { EpochMetrics } from '../env/sim/counters.js';
import type { HostModel } from '../env/host-model.js';
import type { Steady } from '../env/fluid/model.js';

type CState = Costs['cStates'][number];

const ALL_STATES = DEFAULT_COSTS.cStates;
const MAX_C1 = ALL_STATES.filter((s) => s.name === 'POLL' || s.name === 'C1');

/** The state whose exit latency, in whole cycles as both tiers keep it, is `cycles` (−1: none). */
function stateOf(cycles: number, ghz: number): number {
  return ALL_STATES.findIndex((s) => Math.round(s.exitNs * ghz) === cycles);
}

/** The parts of HostSim read here (protected in the class). */
interface SimInternals { S: { coreIdleFrom: Float64Array; coreExitLat: Float64Array }; k: { now: number }; ghz: number }
/**
 * The parts of FluidHost read here: its steady states (`Steady`, with the wake-up state's exit latency),
 * cached (privately) per phase and I/O-core count at phase · (maxIo + 1) + x.
 */
interface FluidInternals { cache: (Steady | undefined)[]; ghz: number }
type CoreMethod = (this: SimInternals, c: number) => unknown;
const proto = HostSim.prototype as unknown as Record<'enterIdle' | 'leaveIdle', CoreMethod>;
let measuring = false;
/** Per detailed-tier core: idle entries by state, and the idle periods that ended in the window. */
let cores: { picks: number[]; idleN: number; idleSum: number }[] = [];
const core = (c: number) => (cores[c] ??= { picks: ALL_STATES.map(() => 0), idleN: 0, idleSum: 0 });
const enterIdle = proto.enterIdle, leaveIdle = proto.leaveIdle;
proto.enterIdle = function (c) {
  const r = enterIdle.call(this, c);
  if (measuring) {
    const i = stateOf(this.S.coreExitLat[c]!, this.ghz);
    if (i >= 0) core(c).picks[i]!++;
  }
  return r;
};
proto.leaveIdle = function (c) {
  if (measuring) { const k = core(c); k.idleN++; k.idleSum += (this.k.now - this.S.coreIdleFrom[c]!) / this.ghz; }
  return leaveIdle.call(this, c);
};

interface Run { metrics: EpochMetrics; fastPick?: number }
function run(tier: 'fast' | 'detailed', g: GridCase, x: number, states: readonly CState[]): Run {
  cores = [];
  const costs: Partial<Costs> = { cStates: states };
  const h: HostModel = tier === 'fast'
    ? new FluidHost(g.scenario, { seed: AGREE_SEED, ioCores: x, noise: false, costs })
    : new HostSim(g.scenario, { seed: AGREE_SEED, ioCores: x, costs });
  try {
    h.advance(AGREE_WARMUP_S * 1e9);
    h.readEpoch();
    measuring = true;
    h.advance(AGREE_MEASURE_S * 1e9);
    measuring = false;
    const metrics = h.readEpoch().metrics;
    if (tier === 'detailed') return { metrics };
    // the cell's one phase (0) at x I/O cores
    const f = h as unknown as FluidInternals;
    const steady = f.cache[x];
    const fastPick = steady ? stateOf(steady.wakeExit, f.ghz) : undefined;
    return { metrics, ...(fastPick === undefined ? {} : { fastPick }) };
  } finally { measuring = false; }
}

const name = (i: number | undefined) => (i === undefined || i < 0 ? '–' : ALL_STATES[i]!.name);
const k = (v: number) => (v >= 1e3 ? `${(v / 1e3).toFixed(1)} k` : v.toFixed(2));
const pct = (a: number, b: number) => (b > 0 ? `${((100 * Math.abs(a - b)) / b).toFixed(1)} %` : '–');
const scoreOf = (m: EpochMetrics, g: GridCase) => perVmScores(m, g.scenario.phases[0]!.workloads);

const ids = process.argv.slice(2);
const wanted = ids.length ? ids : ['tcp_rr/7vm', 'udp_rr/7vm', 'cpu/7vm'];
const cases = wanted.map((id) => {
  const g = gridCases().find((c) => c.id === id);
  if (!g) { process.stderr.write(`idle-states: unknown cell ${id}; cells: ${gridCases().map((c) => c.id).join(', ')}\n`); process.exit(2); }
  return g;
});

console.log(`Generated by \`npx tsx experiments/idle-states.ts ${wanted.join(' ')}\` (seed ${AGREE_SEED}, ${AGREE_WARMUP_S} s warm-up + ${AGREE_MEASURE_S} s measured, fast tier without noise).`);
for (const g of cases) {
  console.log(`\n### ${g.id}\n`);
  console.log('| x | detailed: idle entries by state (share) | detailed: VM cores taking wake-ups, mean idle µs each | fast: state | tx/s detailed / fast | p99 µs detailed / fast | max C1: tx/s detailed / fast | max C1: p99 µs detailed / fast |');
  console.log('|---|---|---|---|---|---|---|---|');
  const rel: Record<'def' | 'c1', Record<'detailed' | 'fast', number[]>> = { def: { detailed: [], fast: [] }, c1: { detailed: [], fast: [] } };
  const ref: Record<string, number[]> = {};
  for (const x of [0, 1, 2, 3, 4]) {
    const sd = run('detailed', g, x, ALL_STATES);
    const simCores = cores;
    const fd = run('fast', g, x, ALL_STATES);
    const s1 = run('detailed', g, x, MAX_C1), f1 = run('fast', g, x, MAX_C1);
    const tally = ALL_STATES.map((_, i) => simCores.reduce((a, c) => a + (c?.picks[i] ?? 0), 0));
    const total = tally.reduce((a, b) => a + b, 0);
    const shares = tally.map((n, i) => (n > 0 ? `${ALL_STATES[i]!.name} ${((100 * n) / total).toFixed(0)} %` : '')).filter(Boolean).join(', ') || '–';
    const waking = simCores.map((c, i) => (c && c.idleN / AGREE_MEASURE_S >= 1000 ? `${i}: ${(c.idleSum / c.idleN / 1e3).toFixed(1)}` : '')).filter(Boolean).join('; ') || '–';
    for (const [key, runs] of [['def', [sd, fd]], ['c1', [s1, f1]]] as const) {
      ([['detailed', runs[0]], ['fast', runs[1]]] as const).forEach(([tier, r]) => {
        const sc = scoreOf(r.metrics, g);
        ref[`${key}/${tier}`] ??= sc;
        rel[key][tier].push(relativeScore(sc, ref[`${key}/${tier}`]!));
      });
    }
    console.log(`| ${x} | ${shares} | ${waking} | ${name(fd.fastPick)} | ${k(sd.metrics.transactionsPerSec)} / ${k(fd.metrics.transactionsPerSec)} (${pct(fd.metrics.transactionsPerSec, sd.metrics.transactionsPerSec)}) | ${sd.metrics.latencyUs.p99.toFixed(1)} / ${fd.metrics.latencyUs.p99.toFixed(1)} (${pct(fd.metrics.latencyUs.p99, sd.metrics.latencyUs.p99)}) | ${k(s1.metrics.transactionsPerSec)} / ${k(f1.metrics.transactionsPerSec)} (${pct(f1.metrics.transactionsPerSec, s1.metrics.transactionsPerSec)}) | ${s1.metrics.latencyUs.p99.toFixed(1)} / ${f1.metrics.latencyUs.p99.toFixed(1)} (${pct(f1.metrics.latencyUs.p99, s1.metrics.latencyUs.p99)}) |`);
  }
  const fmt = (a: number[]) => a.map((v) => v.toFixed(3)).join(' ');
  console.log(`\nScore relative to x = 0 (x = 0..4), default states: detailed ${fmt(rel.def.detailed)} → best x ${bestStaticX(rel.def.detailed)}; fast ${fmt(rel.def.fast)} → best x ${bestStaticX(rel.def.fast)}.`);
  console.log(`Max C1: detailed ${fmt(rel.c1.detailed)} → best x ${bestStaticX(rel.c1.detailed)}; fast ${fmt(rel.c1.fast)} → best x ${bestStaticX(rel.c1.fast)}.`);
}
