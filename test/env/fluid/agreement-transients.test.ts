/**
 * The fast tier agrees with the detailed tier through reconfigurations: a 7-VM TCP_RR host switched
 * every 5 epochs and every epoch (ADD, REMOVE, STOP to the baseline, START from it), epoch by epoch.
 * The bound is the agreement's (docs/fluid.md §10): every epoch within 25 % of the detailed tier, and
 * the transactions a switch costs (each tier against its own steady epochs) within 25 % of each other.
 */
import { describe, expect, it } from '@jest/globals';
import { gridScenario } from '../../../experiments/agreement-grid.js';
import { TRANSIENT_TRACES, summarizeTransients, transientRun } from '../../../experiments/agreement-transients.js';

describe('fast vs detailed tier on switch traces', () => {
  const s = gridScenario('tcp_rr', 7, 60);

  it('every 5 epochs: switch epochs, the epoch after and the rest within 25 %; the switch loss agrees', () => {
    const t = TRANSIENT_TRACES['every-5']!;
    const rows = transientRun(s, t);
    expect(rows).toHaveLength(t.xs.length * t.every);
    expect(rows.filter((r) => r.kind === 'switch')).toHaveLength(t.xs.length - 1);
    const sum = summarizeTransients('tcp_rr', 'every-5', t, rows);
    expect(sum.switchWorst).toBeLessThanOrEqual(0.25);
    expect(sum.afterWorst).toBeLessThanOrEqual(0.25);
    expect(sum.steadyWorst).toBeLessThanOrEqual(0.25);
    // a switch stalls the moved devices (deviceMoveNs each, one after the other): both tiers lose transactions
    expect(sum.lossSim).toBeGreaterThan(0);
    expect(sum.lossFast).toBeGreaterThan(0);
    expect(Math.abs(sum.lossFast - sum.lossSim) / sum.lossSim).toBeLessThanOrEqual(0.25);
  });

  it('every epoch: every epoch within 25 %', () => {
    const t = TRANSIENT_TRACES['every-1']!;
    const sum = summarizeTransients('tcp_rr', 'every-1', t, transientRun(s, t));
    expect(sum.switchWorst).toBeLessThanOrEqual(0.25);
    expect(Number.isNaN(sum.afterWorst)).toBe(true); // every epoch is a switch epoch
  });
});
