/**
 * The agreement grid between the fast tier (`FluidHost`) and the detailed tier (`HostSim`): every
 * workload type × VM counts × I/O-core counts, plus mixed scenarios. Shared by
 * `test/env/fluid/agreement.test.ts` (a representative subset) and `experiments/agreement.ts` (all).
 */
import { loadScenario, type Scenario, type WorkloadSpec } from '../env/scenarios/scenario.js';
import { BEST_X_TIE, bestStaticX, iocmStats, perVmScores, phaseScenario, workloadMetric, type IocmStats } from '../env/sim/measure.js';
import { HostSim } from '../env/sim/host.js';
import type { EpochCounters, EpochMetrics } from '../env/sim/counters.js';
import { FluidHost } from '../env/fluid/host.js';
import type { Costs } from '../env/sim/costs.js';

export interface GridCase {
  /** Row label, e.g. `tcp_rr/4vm` or `mixed`. */
  id: string;
  /** Workload family (the type, or `mixed`/`paper:<phase>`). */
  family: string;
  scenario: Scenario;
}

/** The workload of each type as the grid runs it (ELVIS settings where a shipped scenario exists). */
export const GRID_WORKLOADS: Record<string, WorkloadSpec> = {
  idle: { type: 'idle' },
  cpu: { type: 'cpu', ioRatePerSec: 500 },
  tcp_stream_tx: { type: 'tcp_stream_tx', messageBytes: 4096, segmentBytes: 1448 },
  tcp_stream_rx: { type: 'tcp_stream_rx' },
  tcp_rr: { type: 'tcp_rr', requestBytes: 1, responseBytes: 1, outstanding: 1 },
  udp_rr: { type: 'udp_rr', requestBytes: 1, responseBytes: 1, outstanding: 1 },
  memcached: { type: 'memcached', outstanding: 8 },
  apache: { type: 'apache', pageBytes: 4096, outstanding: 16 },
};

export const GRID_VMS = [1, 4, 7] as const;
export const GRID_IO_CORES = [0, 1, 2, 3, 4] as const;

/** A one-phase scenario of `vms` VMs running `w`, on the ELVIS host (8 cores, 2.2 GHz). */
export function gridScenario(type: string, vms: number, durationS = 10): Scenario {
  const w = GRID_WORKLOADS[type];
  if (!w) throw new Error(`grid: unknown workload ${type}`);
  const streams = type === 'tcp_stream_tx' || type === 'tcp_stream_rx';
  return loadScenario({
    name: `grid-${type}-${vms}vm`,
    host: { cores: 8, ghz: 2.2, nics: streams ? 2 : 1, exitlessInterrupts: true, maxIoCores: 4 },
    vms,
    phases: [{ name: type, durationS, workload: w }],
  });
}

/** Every case of the full grid. */
export function gridCases(): GridCase[] {
  const out: GridCase[] = [];
  for (const type of Object.keys(GRID_WORKLOADS)) {
    for (const n of GRID_VMS) out.push({ id: `${type}/${n}vm`, family: type, scenario: gridScenario(type, n) });
  }
  out.push({ id: 'mixed', family: 'mixed', scenario: loadScenario('mixed') });
  const paper = loadScenario('paper');
  paper.phases.forEach((p, i) => out.push({ id: `paper/${p.name}`, family: 'paper', scenario: phaseScenario(paper, i) }));
  return out;
}

// ---- running both tiers ------------------------------------------------------------------------------

export const AGREE_WARMUP_S = 0.05;
export const AGREE_MEASURE_S = 0.3;
export const AGREE_SEED = 1;
/** Ties: the fewest I/O cores whose score is within this factor of the top (`bestStaticX`). */
export const TIE = BEST_X_TIE;

/** Runs one tier at a fixed x: warm-up, then one measured window; returns its metrics. */
export function runTier(tier: 'fast' | 'detailed', s: Scenario, x: number, measureS = AGREE_MEASURE_S, costs?: Partial<Costs>): EpochMetrics {
  return runTierReading(tier, s, x, measureS, costs).metrics;
}

/** As `runTier`, with the window's counters too. */
export function runTierReading(tier: 'fast' | 'detailed', s: Scenario, x: number, measureS = AGREE_MEASURE_S, costs?: Partial<Costs>): { metrics: EpochMetrics; counters: EpochCounters } {
  // the fast tier's exact model: agreement compares the models, not two draws of noise
  const c = costs ? { costs } : {};
  const h = tier === 'fast' ? new FluidHost(s, { seed: AGREE_SEED, ioCores: x, noise: false, ...c }) : new HostSim(s, { seed: AGREE_SEED, ioCores: x, ...c });
  h.advance(AGREE_WARMUP_S * 1e9);
  h.readEpoch();
  h.advance(measureS * 1e9);
  const r = h.readEpoch();
  return { metrics: r.metrics, counters: r.counters };
}

export interface AgreementCell {
  id: string; family: string; x: number;
  simGbps: number; fluidGbps: number; simTps: number; fluidTps: number; simP99: number; fluidP99: number;
  simCompute: number; fluidCompute: number;
  /** Relative errors |fast − detailed| / detailed (NaN when the detailed value is ~0 / undefined). */
  errGbps: number; errTps: number; errP99: number; errCompute: number;
  /** The application metric error used for the summary: Gbit/s for streams, tx/s for transactional, compute for CPU-bound, the worst of these for mixed. */
  errPerf: number;
  simScore: number; fluidScore: number;
  /** The statistics IOcm (and the SideCore observation) derive from the counters, per tier. */
  simStats: IocmStats; fluidStats: IocmStats;
}

export interface AgreementRow { id: string; family: string; cells: AgreementCell[]; simBest: number; fluidBest: number }

const rel = (f: number, s: number, floor: number) => (Number.isFinite(s) && Math.abs(s) > floor && Number.isFinite(f) ? Math.abs(f - s) / Math.abs(s) : NaN);

/**
 * Application performance of a configuration, per VM: each VM's own metric (Gbit/s for streams,
 * transactions/s for transactional, guest compute cores for CPU-bound). A row's score per x is
 * Σ_v metric_v(x) / max_x' metric_v(x') — each VM relative to its own best configuration — so VMs
 * with different metrics add up (for one-workload rows this orders x like the plain sum).
 */
function scores(ms: EpochMetrics[], s: Scenario): number[] {
  const wl = s.phases[0]!.workloads;
  const per = ms.map((m) => perVmScores(m, wl));
  const best = wl.map((_, v) => Math.max(...per.map((p) => p[v] ?? 0)));
  return per.map((p) => p.reduce((a, b, v) => a + (best[v]! > 0 ? b / best[v]! : 0), 0));
}

/** `costs`: cost-table overrides for both tiers (e.g. a shorter idle-state table), default none. */
export function agreementRow(c: GridCase, xs: readonly number[] = GRID_IO_CORES, measureS = AGREE_MEASURE_S, costs?: Partial<Costs>): AgreementRow {
  const simR = xs.map((x) => runTierReading('detailed', c.scenario, x, measureS, costs));
  const fluR = xs.map((x) => runTierReading('fast', c.scenario, x, measureS, costs));
  const sim = simR.map((r) => r.metrics), flu = fluR.map((r) => r.metrics);
  const ss = scores(sim, c.scenario), fs = scores(flu, c.scenario);
  const metrics = new Set(c.scenario.phases[0]!.workloads.map((w) => workloadMetric(w)));
  const cells = xs.map((x, i): AgreementCell => {
    const s = sim[i]!, f = flu[i]!;
    const sc = (s as EpochMetrics & { guestComputeCores?: number }).guestComputeCores ?? 0;
    const fc = (f as EpochMetrics & { guestComputeCores?: number }).guestComputeCores ?? 0;
    const eG = rel(f.throughputGbps, s.throughputGbps, 1e-3), eT = rel(f.transactionsPerSec, s.transactionsPerSec, 1), eC = rel(fc, sc, 1e-3);
    const parts: number[] = [];
    if (metrics.has('throughputGbps')) parts.push(eG);
    if (metrics.has('transactionsPerSec')) parts.push(eT);
    if (metrics.has('guestComputeCores')) parts.push(eC);
    const fin = parts.filter((p) => Number.isFinite(p));
    return {
      id: c.id, family: c.family, x,
      simGbps: s.throughputGbps, fluidGbps: f.throughputGbps, simTps: s.transactionsPerSec, fluidTps: f.transactionsPerSec,
      simP99: s.latencyUs.p99, fluidP99: f.latencyUs.p99, simCompute: sc, fluidCompute: fc,
      errGbps: eG, errTps: eT, errP99: rel(f.latencyUs.p99, s.latencyUs.p99, 0), errCompute: eC,
      errPerf: fin.length ? Math.max(...fin) : NaN,
      simScore: ss[i]!, fluidScore: fs[i]!,
      simStats: iocmStats(simR[i]!.counters), fluidStats: iocmStats(fluR[i]!.counters),
    };
  });
  return { id: c.id, family: c.family, cells, simBest: xs[bestStaticX(ss)]!, fluidBest: xs[bestStaticX(fs)]! };
}

export interface AgreementSummary {
  cells: number; rows: number;
  perf: { median: number; worst: number; n: number };
  p99: { median: number; worst: number; n: number };
  bestAgree: number;
  byFamily: Record<string, { perfMedian: number; perfWorst: number; p99Median: number; p99Worst: number; bestAgree: number; rows: number }>;
}

function medWorst(a: number[]): { median: number; worst: number; n: number } {
  const v = a.filter((x) => Number.isFinite(x)).sort((p, q) => p - q);
  if (v.length === 0) return { median: NaN, worst: NaN, n: 0 };
  const m = v.length % 2 ? v[(v.length - 1) / 2]! : 0.5 * (v[v.length / 2 - 1]! + v[v.length / 2]!);
  return { median: m, worst: v[v.length - 1]!, n: v.length };
}

export function summarize(rows: AgreementRow[]): AgreementSummary {
  const cells = rows.flatMap((r) => r.cells);
  const fam: AgreementSummary['byFamily'] = {};
  for (const f of new Set(rows.map((r) => r.family))) {
    const rs = rows.filter((r) => r.family === f), cs = rs.flatMap((r) => r.cells);
    const p = medWorst(cs.map((c) => c.errPerf)), l = medWorst(cs.map((c) => c.errP99));
    fam[f] = { perfMedian: p.median, perfWorst: p.worst, p99Median: l.median, p99Worst: l.worst, bestAgree: rs.filter((r) => r.simBest === r.fluidBest).length / rs.length, rows: rs.length };
  }
  return {
    cells: cells.length, rows: rows.length,
    perf: medWorst(cells.map((c) => c.errPerf)),
    p99: medWorst(cells.map((c) => c.errP99)),
    bestAgree: rows.filter((r) => r.simBest === r.fluidBest).length / Math.max(1, rows.length),
    byFamily: fam,
  };
}

/** The IOcm statistics compared: absolute errors in cores for the ratios and idle, relative for bytes. */
export const STAT_KEYS = ['empty', 'effectiveIoRatio', 'overallIoRatio', 'vmIdle', 'avgBytesPerPacket', 'bytesPerCycle'] as const;

export function statErrors(rows: AgreementRow[]): Record<(typeof STAT_KEYS)[number], { median: number; p90: number; worst: number; worstAt: string }> {
  const out = {} as Record<(typeof STAT_KEYS)[number], { median: number; p90: number; worst: number; worstAt: string }>;
  for (const k of STAT_KEYS) {
    const e: { v: number; at: string }[] = [];
    for (const r of rows) {
      for (const c of r.cells) {
        const s = c.simStats[k], f = c.fluidStats[k];
        const rel = k === 'avgBytesPerPacket' || k === 'bytesPerCycle';
        if (rel && !(s > 1e-9)) continue;
        e.push({ v: rel ? Math.abs(f - s) / s : Math.abs(f - s), at: `${c.id} x=${c.x}` });
      }
    }
    e.sort((a, b) => a.v - b.v);
    const q = (p: number) => e[Math.min(e.length - 1, Math.floor(p * e.length))]?.v ?? NaN;
    out[k] = { median: q(0.5), p90: q(0.9), worst: e[e.length - 1]?.v ?? NaN, worstAt: e[e.length - 1]?.at ?? '' };
  }
  return out;
}
