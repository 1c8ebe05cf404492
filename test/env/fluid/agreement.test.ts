/**
 * Agreement of the fast tier (FluidHost) with the detailed tier (HostSim) on a representative subset of
 * the grid of env/fluid/grid.ts: every workload type × {1, 7} VMs × I/O cores 0..4, plus the mixed
 * scenario (short detailed runs: 0.05 s warm-up + 0.15 s measured per cell). The full grid ({1, 4, 7}
 * VMs and the paper scenario's phases) runs in `npx tsx experiments/agreement.ts`, which writes the
 * table into docs/model.md. Targets (issue 4): median error ≤ 10 %, worst ≤ 25 %, same best static x in
 * ≥ 90 % of rows. The medians meet them; the worst cells do not (baseline streaming with 7 VMs, memcached
 * p99 under CPU contention: docs/fluid.md "known disagreements"), so the worst-case and best-x checks
 * below are regression bounds at the levels measured, not the targets.
 */
import { describe, it, expect } from '@jest/globals';
import { GRID_WORKLOADS, agreementRow, gridCases, summarize, type AgreementRow } from '../../../env/fluid/grid.js';

const subset = gridCases().filter((c) => c.family === 'mixed' || (c.family in GRID_WORKLOADS && /\/(1|7)vm$/.test(c.id)));
let rows: AgreementRow[] | undefined;
/** Shorter measured windows than the script (0.3 s) keep the test under a minute on 2 cores. */
const MEASURE_S = 0.15;
const all = () => (rows ??= subset.map((c) => agreementRow(c, undefined, MEASURE_S)));

describe('fast tier agrees with the detailed tier', () => {
  it('application performance: median error <= 10 %, every cell within the measured bound', () => {
    const s = summarize(all());
    expect(s.cells).toBe(subset.length * 5);
    expect(s.perf.median).toBeLessThanOrEqual(0.1);
    expect(s.perf.worst).toBeLessThanOrEqual(0.45);
    // transactional and CPU-bound rows meet the worst-case target too
    for (const f of ['cpu', 'tcp_stream_rx', 'apache', 'tcp_rr', 'udp_rr', 'memcached']) {
      expect([f, s.byFamily[f]!.perfWorst <= 0.25]).toEqual([f, true]);
    }
  });

  it('p99 latency: median error <= 10 %', () => {
    const s = summarize(all());
    expect(s.p99.median).toBeLessThanOrEqual(0.1);
    for (const f of ['cpu', 'apache']) expect([f, s.byFamily[f]!.p99Median <= 0.1]).toEqual([f, true]);
  });

  it('both tiers pick the same best static I/O-core count in most rows', () => {
    const s = summarize(all());
    expect(s.bestAgree).toBeGreaterThanOrEqual(0.8);
    for (const r of all()) {
      if (r.family === 'tcp_stream_tx' || r.family === 'apache' || r.family === 'cpu' || r.family === 'mixed') {
        expect([r.id, r.fluidBest]).toEqual([r.id, r.simBest]);
      }
    }
  });
});
