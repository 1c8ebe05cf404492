/**
 * The detailed tier on the `paper` scenario, phase by phase: each phase of the scenario alone (same host,
 * same VMs) at a static I/O-core count, after 0.2 simulated s of warm-up, timed in CPU seconds of this
 * process (wall time on a shared machine also measures the other processes). The whole scenario's speed
 * is estimated from the phases' costs weighted by their durations, which is what a run of all 120
 * simulated seconds would take at that configuration, without spending minutes on it.
 */
import { HostSim } from '../env/sim/host.js';
import { loadScenario, type Scenario } from '../env/sim/scenario.js';

export interface PhaseRate {
  name: string;
  /** CPU seconds per simulated second, and events per simulated second. */
  cpuPerSimS: number;
  eventsPerSimS: number;
  /** Events per transaction (NaN without transactions). */
  eventsPerTxn: number;
  /** Packets a side-core worker's visit with work handles, on average (NaN in the baseline). */
  packetsPerVisit: number;
  /** The most events pending at the end of an epoch. */
  maxPending: number;
}

/** Phase i of `scenario` alone (same host and VMs) for `simS` simulated seconds at x I/O cores. */
export function phaseRate(scenario: Scenario, i: number, x: number, simS: number): PhaseRate {
  const p = scenario.phases[i]!;
  // the scenario as loaded, with this phase only (and long enough never to end)
  const one: Scenario = { ...scenario, name: `${scenario.name}-phase-${i}`, phases: [{ ...p, durationS: 1000 }] };
  const sim = new HostSim(one, { seed: 1, ioCores: x });
  sim.advance(0.2e9);
  sim.readEpoch();
  const e0 = sim.eventsProcessed, c0 = process.cpuUsage();
  const epochs = Math.round(simS * 10);
  let txns = 0, packets = 0, visits = 0, maxPending = 0;
  for (let k = 0; k < epochs; k++) {
    sim.advance(1e8);
    const r = sim.readEpoch();
    // counted outside the timed work's hot path: a few additions per 0.1 simulated s
    txns += r.metrics.transactionsPerSec * 0.1;
    packets += r.counters.handledPackets;
    r.counters.workerLoops.forEach((loops, w) => { visits += loops - r.counters.workerEmptyPolls[w]!; });
    maxPending = Math.max(maxPending, sim.pendingEvents);
  }
  const cu = process.cpuUsage(c0), events = sim.eventsProcessed - e0;
  return {
    name: p.name ?? `phase ${i}`, cpuPerSimS: (cu.user + cu.system) / 1e6 / simS, eventsPerSimS: events / simS,
    eventsPerTxn: txns > 0 ? events / txns : NaN, packetsPerVisit: visits > 0 ? packets / visits : NaN, maxPending,
  };
}

/** Each phase of `paper` alone for `simS` simulated seconds at x I/O cores. */
export function paperPhaseRates(x: number, simS: number): PhaseRate[] {
  const paper = loadScenario('paper');
  return paper.phases.map((_, i) => phaseRate(paper, i, x, simS));
}

/** Simulated seconds per CPU second over the whole scenario (phases weighted by their durations). */
export function paperSpeed(rates: PhaseRate[]): number {
  const paper = loadScenario('paper');
  let cpu = 0, sim = 0;
  paper.phases.forEach((p, i) => { cpu += rates[i]!.cpuPerSimS * p.durationS; sim += p.durationS; });
  return sim / cpu;
}
