/**
 * The agreement grid's cost overrides (`agreement.ts --max-cstate`): an idle-state table handed to
 * `agreementRow`/`runTier` reaches both tiers. Short windows (0.05 s warm-up + 0.1 s).
 */
import { describe, it, expect } from '@jest/globals';
import { agreementRow, gridCases, runTier } from '../../experiments/agreement-grid.js';
import { DEFAULT_COSTS } from '../../env/sim/costs.js';

const MEASURE_S = 0.1;
const atMostC1 = { cStates: DEFAULT_COSTS.cStates.filter((s) => s.name === 'POLL' || s.name === 'C1') };
const cell = (id: string) => {
  const c = gridCases().find((g) => g.id === id);
  if (!c) throw new Error(`no grid cell ${id}`);
  return c;
};

describe('agreement grid with cost overrides', () => {
  it('the detailed tier runs with the given idle states: without C1E (exit 10 µs) its RR wake-ups are cheaper', () => {
    // 7 halting RR VMs on one I/O core: the VM cores idle ≈ 25 µs between wake-ups, past C1E's 20 µs
    // residency, so the default table puts them in C1E; limited to C1 (exit 2 µs) each wake-up is faster
    const s = cell('tcp_rr/7vm').scenario;
    const deflt = runTier('detailed', s, 1, MEASURE_S), c1 = runTier('detailed', s, 1, MEASURE_S, atMostC1);
    expect(c1.transactionsPerSec).toBeGreaterThan(deflt.transactionsPerSec);
    expect(c1.latencyUs.mean).toBeLessThan(deflt.latencyUs.mean);
  });

  it('both tiers get the table: with idle states limited to C1 the 4-VM RR baseline agrees within the 25 % bound', () => {
    const row = agreementRow(cell('tcp_rr/4vm'), [0], MEASURE_S, atMostC1);
    const c = row.cells[0]!;
    expect(c.errPerf).toBeLessThanOrEqual(0.25);
    expect(c.errP99).toBeLessThanOrEqual(0.25);
  });
});
