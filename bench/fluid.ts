/**
 * The fast tier (`FluidHost`, env/fluid): epochs per second (advance 100 ms + readEpoch), with and
 * without a reconfiguration every epoch; the cost of the fresh result objects alone; the model's
 * integration step alone (advance without reading); and snapshot + restore (getState + setState)
 * against one step. Target: the SideCore env on the fast tier ≥ 100,000 env steps/s on one
 * core, so the model itself should do ≥ 300,000 epochs/s; snapshot + restore ≤ one step.
 * Protocol: 0.3 s warm-up, then the median of 7 windows of ≥ 0.2 s each, in CPU time of this process
 * (process.cpuUsage), so that other load on a shared machine does not count.
 */
import type { Benchmark } from './benchmark.js';
import { FluidHost } from '../env/fluid/host.js';

const EPOCH_NS = 100e6;

/** CPU time of this process, µs (robust on a shared machine: other processes' load does not count). */
const cpuUs = (): number => { const u = process.cpuUsage(); return u.user + u.system; };

/**
 * Median rate (ops per CPU second of this process) of `op` run in batches of `batch`, over windows of
 * ≥ 0.2 s CPU after a 0.3 s warm-up.
 */
function rate(op: () => void, batch = 1024, windows = 7): number {
  const t0 = cpuUs();
  while (cpuUs() - t0 < 300_000) for (let i = 0; i < batch; i++) op();
  const rates: number[] = [];
  for (let w = 0; w < windows; w++) {
    let n = 0;
    const s = cpuUs();
    let now = s;
    while (now - s < 200_000) { for (let i = 0; i < batch; i++) op(); n += batch; now = cpuUs(); }
    rates.push(n / ((now - s) / 1e6));
  }
  rates.sort((a, b) => a - b);
  return rates[(rates.length - 1) >> 1]!;
}

export function fluidFigures(): Record<string, number> {
  const scenario = 'paper';
  // 1. a plain epoch: advance 100 ms + readEpoch (fresh result objects every call)
  const h = new FluidHost(scenario, { seed: 0, ioCores: 2 });
  const dur = h.scenario.durationS * 1e9;
  const step = () => { if (h.nowNs + EPOCH_NS > dur) h.setState(start); h.advance(EPOCH_NS); h.readEpoch(); };
  const start = h.getState();
  const epochs = rate(step);
  // 2. with a reconfiguration every epoch (transients: suspended devices, mixture latency quantiles)
  const r = new FluidHost(scenario, { seed: 0, ioCores: 1 });
  const rstart = r.getState();
  let k = 0;
  const stepMove = () => { if (r.nowNs + EPOCH_NS > dur) r.setState(rstart); r.setIoCores(1 + (k++ & 3)); r.advance(EPOCH_NS); r.readEpoch(); };
  const epochsMove = rate(stepMove);
  // 3. advance only (the integration), no reading
  const a = new FluidHost(scenario, { seed: 0, ioCores: 2 });
  const astart = a.getState();
  const adv = () => { if (a.nowNs + EPOCH_NS > dur) a.setState(astart); a.advance(EPOCH_NS); };
  const advances = rate(adv);
  // 4. readEpoch only, on an empty window (the cost of building the fresh result objects)
  const e = new FluidHost(scenario, { seed: 0, ioCores: 2 });
  e.advance(EPOCH_NS);
  const reads = rate(() => { e.readEpoch(); });
  // 5. snapshot + restore
  const s = new FluidHost(scenario, { seed: 0, ioCores: 2 });
  s.advance(5 * EPOCH_NS);
  const snaps = rate(() => { s.setState(s.getState()); });
  return { epochs, epochsMove, advances, reads, snaps };
}

export const fluidBench: Benchmark = {
  name: 'fluid',
  description: 'FluidHost (fast tier) epochs/s, result-object cost, snapshot+restore vs one step',
  async run() {
    const f = fluidFigures();
    const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
    const us = (x: number) => (1e6 / x).toFixed(2);
    console.log(`fluid.epoch: ${fmt(f.epochs!)} epochs per CPU second (${us(f.epochs!)} µs; advance 100 ms + readEpoch; target >= 300,000)`);
    console.log(`fluid.epoch_with_move: ${fmt(f.epochsMove!)} epochs/s (${us(f.epochsMove!)} µs; setIoCores every epoch)`);
    console.log(`fluid.advance_only: ${fmt(f.advances!)} /s (${us(f.advances!)} µs)`);
    console.log(`fluid.read_only: ${fmt(f.reads!)} /s (${us(f.reads!)} µs; fresh counters + metrics objects)`);
    console.log(`fluid.snapshot_restore: ${fmt(f.snaps!)} /s (${us(f.snaps!)} µs; getState + setState; ${(f.epochs! / f.snaps!).toFixed(2)} of one epoch)`);
  },
};
