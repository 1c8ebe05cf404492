/** The `ansi` dashboard of the SideCore env: one screen with cores by set, per-VM results and exits. */
import type { EpochCounters, EpochMetrics } from '../sim/counters.js';
import type { Scenario } from '../sim/scenario.js';

export interface DashboardInput {
  scenario: Scenario;
  ioCores: number;
  epoch: number;
  episodeSteps: number;
  timeS: number;
  fidelity: string;
  counters: EpochCounters | null;
  metrics: EpochMetrics | null;
  phase: number;
}

const fmt = (x: number, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const bar = (frac: number, width = 20) => {
  const n = Math.max(0, Math.min(width, Math.round(frac * width)));
  return '█'.repeat(n) + '·'.repeat(width - n);
};

export function renderDashboard(d: DashboardInput): string {
  const { scenario: s, counters: c, metrics: m } = d;
  const lines: string[] = [];
  const phase = s.phases[d.phase];
  lines.push(`SideCore-v1 · ${s.name} (${d.fidelity}) · epoch ${d.epoch}/${d.episodeSteps} · t=${fmt(d.timeS, 2)} s · phase ${d.phase} ${phase?.name ?? ''}`);
  const cores = Array.from({ length: s.host.cores }, (_, i) => (i < d.ioCores ? 'IO' : 'vm'));
  lines.push(`cores  [${cores.join(' ')}]  ${d.ioCores === 0 ? 'baseline (vhost thread per device)' : `side-core: ${d.ioCores} I/O core${d.ioCores > 1 ? 's' : ''}`}`);
  if (!c || !m) {
    lines.push('(no epoch observed yet)');
    return lines.join('\n');
  }
  const C = c.tscCycles || 1;
  lines.push(`cpu    vm ${fmt(m.cpu.vm, 2)}  io ${fmt(m.cpu.io, 2)}  idle ${fmt(m.cpu.idle, 2)} cores   I/O work ${fmt(c.workerWorkCycles / C, 2)} cores`);
  c.workerWorkCyclesEach.forEach((w, i) => {
    lines.push(`  worker ${i} ${bar(w / C)} ${fmt((100 * w) / C, 0)}% busy, ${c.workerLoops[i] ?? 0} loops, ${c.workerEmptyPolls[i] ?? 0} empty polls`);
  });
  lines.push(`net    ${fmt(m.throughputGbps, 2)} Gbit/s  ${fmt(m.transactionsPerSec / 1000, 1)} k trans/s  latency mean ${fmt(m.latencyUs.mean)} p50 ${fmt(m.latencyUs.p50)} p99 ${fmt(m.latencyUs.p99)} µs`);
  const reasons = Object.entries(m.exitsByReason).map(([k, v]) => `${k} ${fmt(v / 1000, 1)}k`).join('  ');
  lines.push(`exits  ${fmt(m.exitsPerSec / 1000, 1)} k/s (${reasons})  irqs ${fmt(m.interruptsPerSec / 1000, 1)} k/s  ctx sw ${fmt(m.contextSwitchesPerSec / 1000, 1)} k/s`);
  lines.push('vm     workload         Gbit/s   k trans/s  mean µs');
  m.perVm.forEach((v, i) => {
    const w = phase?.workloads[i]?.type ?? '?';
    lines.push(`  ${String(i).padStart(2)}   ${w.padEnd(15)} ${fmt(v.throughputGbps, 2).padStart(7)} ${fmt(v.transactionsPerSec / 1000, 1).padStart(10)} ${fmt(v.latencyUsMean).padStart(8)}`);
  });
  return lines.join('\n');
}
