import { describe, it, expect } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli as cli } from '../../experiments/run-cli.js';
import { tempDir } from '../../temp-dirs.js';


describe('iocm-gym simulate', () => {
  it('prints one JSON object with the documented fields', async () => {
    const r = await cli(['simulate', '--scenario', 'elvis-rr-2vm', '--io-cores', '1', '--duration', '0.05', '--json']);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines).toHaveLength(1);
    const j = JSON.parse(lines[0]!) as Record<string, unknown>;
    for (const k of ['throughputGbps', 'transactionsPerSec', 'latencyUs', 'exitsPerSec', 'interruptsPerSec', 'contextSwitchesPerSec', 'cpu', 'perVm', 'iocm']) {
      expect(j).toHaveProperty(k);
    }
    expect(j.latencyUs).toEqual(expect.objectContaining({ mean: expect.any(Number), p50: expect.any(Number), p99: expect.any(Number) }));
    expect(j.cpu).toEqual(expect.objectContaining({ vm: expect.any(Number), io: expect.any(Number), idle: expect.any(Number) }));
    expect(j.perVm).toHaveLength(2);
    expect(j.transactionsPerSec as number).toBeGreaterThan(10_000);
    expect((j.iocm as { counters: { ioCores: number } }).counters.ioCores).toBe(1);
  });

  it('prints a readable summary without --json', async () => {
    const r = await cli(['simulate', '--scenario', 'elvis-rr-1vm', '--io-cores', '0', '--duration', '0.02']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/baseline/);
    expect(r.out).toMatch(/transactions/);
  });

  it('rejects bad input with one line and exit code 2', async () => {
    const dir = tempDir('iocm-sim-');
    const bad = (name: string, obj: object) => { const f = join(dir, name); writeFileSync(f, JSON.stringify(obj)); return f; };
    const cases: [string[], RegExp][] = [
      [['--scenario', 'elvis-rr-7vm', '--io-cores', '5'], /--io-cores must be an integer in \[0, 4\]/],
      [['--scenario', 'elvis-rr-7vm', '--io-cores', '-1'], /--io-cores/],
      [['--scenario', 'no-such-scenario'], /no shipped scenario or file/],
      [['--scenario', bad('w.json', { name: 'b', vms: 1, phases: [{ durationS: 1, workload: { type: 'ftp' } }] })], /workload\.type: unknown workload type "ftp"/],
      [['--scenario', bad('d.json', { name: 'b', vms: 1, phases: [{ durationS: -2, workload: { type: 'idle' } }] })], /durationS/],
      [['--scenario', bad('c.json', { name: 'b', host: { cores: 4, maxIoCores: 6 }, vms: 1, phases: [{ durationS: 1, workload: { type: 'idle' } }] })], /maxIoCores/],
      [['--scenario', bad('m.json', { name: 'b', phases: [{ durationS: 1, workload: { type: 'idle' } }] })], /scenario\.vms: is required/],
    ];
    for (const [args, re] of cases) {
      const r = await cli(['simulate', ...args]);
      expect([args.join(' '), r.code]).toEqual([args.join(' '), 2]);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(re);
    }
  });
});
