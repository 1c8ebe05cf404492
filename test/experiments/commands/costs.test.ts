/** `iocm-gym costs`: the cost table in force, as text or one JSON object; bad flags are one-line usage errors. */
import { describe, it, expect } from '@jest/globals';
import { runCli, expectUsageError } from '../run-cli.js';
import { DEFAULT_COSTS } from '../../../env/sim/costs.js';

describe('iocm-gym costs', () => {
  it('--json: every cost entry with value, unit, tags and source; cycle costs in ns at the default 2.2 GHz', async () => {
    const r = await runCli(['costs', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { scenario: null; ghz: number; overrides: string[]; costs: Record<string, { value: unknown; unit: string; tags: string[]; source: string; ns?: number }> };
    expect(j.scenario).toBeNull();
    expect(j.ghz).toBe(2.2);
    expect(Object.keys(j.costs).sort()).toEqual(Object.keys(DEFAULT_COSTS).sort());
    // Dall et al.'s 2,565-cycle kernel exit: 2565 / 2.2 GHz = 1,165.9 ns
    expect(j.costs.exitKickCycles).toMatchObject({ value: 2565, unit: 'host cycles', tags: ['3RD'] });
    expect(j.costs.exitKickCycles!.ns).toBeCloseTo(1165.909, 2);
    expect(j.costs.cStates!.value).toEqual(DEFAULT_COSTS.cStates);
  });

  it('--scenario uses its clock; --cost overrides show the default they replace', async () => {
    const spec = JSON.stringify({ name: 'slow-clock', vms: 1, host: { ghz: 2 }, phases: [{ durationS: 1, workload: { type: 'idle' } }] });
    const file = `${process.env.TMPDIR ?? '/tmp'}/costs-test-${process.pid}.json`;
    const { writeFileSync, rmSync } = await import('node:fs');
    writeFileSync(file, spec);
    try {
      const r = await runCli(['costs', '--json', '--scenario', file, '--cost', 'exitKickCycles=3000', '--cost', 'idleWakeNs=2000']);
      expect(r.code).toBe(0);
      const j = JSON.parse(r.out) as { scenario: string; ghz: number; overrides: string[]; costs: Record<string, { value: number; default?: number; ns?: number }> };
      expect(j).toMatchObject({ scenario: 'slow-clock', ghz: 2, overrides: ['exitKickCycles', 'idleWakeNs'] });
      expect(j.costs.exitKickCycles).toMatchObject({ value: 3000, default: 2565, ns: 1500 }); // 3000 cycles at 2 GHz
      expect(j.costs.idleWakeNs).toMatchObject({ value: 2000, default: 1000 });
    } finally {
      rmSync(file, { force: true });
    }
  });

  it('prints a text table, one row per entry, with the tags', async () => {
    const r = await runCli(['costs']);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines).toHaveLength(1 + Object.keys(DEFAULT_COSTS).length);
    expect(lines.find((l) => l.startsWith('vnetHdrBytes'))).toMatch(/12\s+bytes\s+\[CODE\]/);
  });

  it('simulate takes the same overrides: its run uses them and its costs field shows them', async () => {
    const sim = async (extra: string[]) => JSON.parse((await runCli(['simulate', '--scenario', 'elvis-rr-1vm', '--io-cores', '1', '--duration', '0.1', '--json', ...extra])).out) as { transactionsPerSec: number; costs: Record<string, { value: number; default?: number }> };
    const base = await sim([]);
    // a far dearer guest receive path must slow a 1-VM request/response loop down
    const slow = await sim(['--cost', 'guestRxPerPacketCycles=30000']);
    expect(slow.costs.guestRxPerPacketCycles).toMatchObject({ value: 30000, default: 3000 });
    expect(base.costs.guestRxPerPacketCycles!.default).toBeUndefined();
    expect(slow.transactionsPerSec).toBeLessThan(base.transactionsPerSec);
    await expectUsageError(['simulate', '--scenario', 'elvis-rr-1vm', '--cost', 'nope=1'], /--cost nope is not a cost entry/);
  });

  it.each([
    [['--cost', 'fooCycles=1'], /--cost fooCycles is not a cost entry/],
    [['--cost', 'cStates=1'], /cStates is a table/],
    [['--cost', 'idleWakeNs=-5'], /idleWakeNs must be a finite number >= 0/],
    [['--cost', 'idleWakeNs'], /--cost must be name=value/],
    [['--cost', 'tsoBytes=0'], /tsoBytes must be > 0/],
    [['--cost', 'ringSize=2.5'], /ringSize must be a whole number/],
    [['--cost', 'idleWakeNs=1,idleWakeNs=2'], /idleWakeNs is given twice/],
    [['--scenario', 'no-such-scenario'], /no-such-scenario/],
    [['--bogus'], /bogus/],
  ])('bad flags %j → exit 2, one line', async (args, re) => {
    await expectUsageError(['costs', ...args], re);
  });
});
