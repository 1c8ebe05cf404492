import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli as run } from '../run-cli.js';
import { TRACE_COLUMNS } from '../../../experiments/commands/simulate.js';
import { tempDir } from '../../temp-dirs.js';


afterEach(() => { process.exitCode = undefined; });

// A 0.5 s two-phase scenario: 5 epochs.
function tinyScenario(dir: string): string {
  const f = join(dir, 'tiny.json');
  writeFileSync(f, JSON.stringify({
    name: 'tiny', vms: 2,
    phases: [{ name: 'rr', durationS: 0.3, workload: { type: 'tcp_rr' } }, { name: 'stream', durationS: 0.2, workload: { type: 'tcp_stream_tx' } }],
  }));
  return f;
}

const KEYS = ['scenario', 'fidelity', 'agent', 'ioCores', 'meanIoCores', 'reconfigurations', 'manager', 'reconfigStallNs', 'managerCpuNs', 'seed', 'durationS', 'warmupS', 'epochs', 'score', 'meanReward',
  'throughputGbps', 'transactionsPerSec', 'latencyUs', 'exitsPerSec', 'exitsByReason', 'kickToServiceUs', 'packetsPerSec', 'interruptsPerSec', 'contextSwitchesPerSec', 'cpu',
  'guestComputeCores', 'perVm', 'iocm', 'phase', 'units', 'costs'];

describe('iocm-gym simulate', () => {
  it("reports what reconfiguring cost: the device stall and the manager's CPU, from the cost table", async () => {
    // static:2 on 7 VMs switches once, baseline → 2 I/O cores: all 7 devices get a worker, the k-th after
    // k × 0.3 ms (Σ = 28 × 0.3 ms = 8.4 ms); IOcm's manager samples 5 times in 0.5 s, 280 µs each
    const sim = async (args: string[]) => JSON.parse((await run(['simulate', '--scenario', 'elvis-rr-7vm', '--duration', '0.5', '--json', ...args])).out) as Record<string, unknown>;
    const agent = await sim(['--agent', 'static:2']);
    expect(agent).toEqual(expect.objectContaining({ manager: 'iocm', reconfigurations: 1 }));
    expect(agent.reconfigStallNs as number).toBeCloseTo(28 * 300_000, 3);
    expect(agent.managerCpuNs as number).toBeCloseTo(5 * 280_000, 3);
    const held = await sim(['--io-cores', '2']);
    expect(held).toEqual(expect.objectContaining({ manager: 'none', reconfigurations: 0, reconfigStallNs: 0, managerCpuNs: 0 }));
    const bad = await run(['simulate', '--scenario', 'elvis-rr-7vm', '--manager', 'smart']);
    expect(bad.code).toBe(2);
  });

  it('says the fast tier has no kick-to-service p99 instead of printing a dash; the detailed tier prints one', async () => {
    const line = async (fidelity: string) => (await run(['simulate', '--scenario', 'elvis-rr-7vm', '--io-cores', '1', '--duration', '0.3', '--fidelity', fidelity])).out.split('\n').find((l) => l.includes('kick→service')) ?? '';
    expect(await line('fast')).toMatch(/mean [\d.]+ µs {3}p99 not estimated \(the fast tier keeps no distribution\)/);
    expect(await line('detailed')).toMatch(/mean [\d.]+ µs {3}p99 [\d.]+ µs/);
  });

  it('gives the same JSON fields on the fast and the detailed tier', async () => {
    const sc = tinyScenario(tempDir('sim-'));
    const shapes: string[][] = [];
    for (const fidelity of ['fast', 'detailed']) {
      const r = await run(['simulate', '--scenario', sc, '--io-cores', '1', '--fidelity', fidelity, '--duration', '0.2', '--json']);
      expect({ fidelity, code: r.code, err: r.err }).toEqual({ fidelity, code: 0, err: '' });
      const j = JSON.parse(r.out) as Record<string, unknown> & { latencyUs: object; cpu: object; iocm: Record<string, unknown>; perVm: unknown[] };
      expect(Object.keys(j)).toEqual(KEYS);
      expect(j).toMatchObject({ fidelity, agent: null, ioCores: 1, epochs: 2, durationS: 0.2 });
      expect(Object.keys(j.latencyUs)).toEqual(['mean', 'p50', 'p99']);
      expect(Object.keys(j.cpu)).toEqual(['vm', 'io', 'idle']);
      expect(j.perVm).toHaveLength(2);
      expect(j.transactionsPerSec as number).toBeGreaterThan(1000);
      // kick-to-service: at least one TX post per transaction; a p99 only where it is measured (detailed)
      const ks = j.kickToServiceUs as { mean: number; p99: number | null; perSec: number };
      expect(ks.perSec).toBeGreaterThanOrEqual(j.transactionsPerSec as number);
      expect(ks.mean).toBeGreaterThan(0);
      if (fidelity === 'fast') expect(ks.p99).toBeNull();
      else expect(ks.p99).toBeGreaterThan(0);
      shapes.push([...Object.keys(j.iocm), ...Object.keys(j.perVm[0] as object)]);
    }
    expect(shapes[0]).toEqual(shapes[1]);
  });

  it('--agent iocm runs through the env; --trace writes a header and one row per epoch', async () => {
    const dir = tempDir('sim-');
    const sc = tinyScenario(dir);
    const trace = join(dir, 'deep', 'trace.csv');
    const r = await run(['simulate', '--scenario', sc, '--agent', 'iocm', '--trace', trace, '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { agent: string; epochs: number; phase: number };
    expect(j).toMatchObject({ agent: 'iocm', epochs: 5, phase: 1 });
    const lines = readFileSync(trace, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(TRACE_COLUMNS.join(','));
    expect(lines).toHaveLength(1 + 5);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['0', '1', '2', '3', '4']);
    // a static run traces too, warm-up epochs marked
    const t2 = join(dir, 'static.csv');
    const s = await run(['simulate', '--scenario', sc, '--io-cores', '2', '--warmup', '0.1', '--duration', '0.3', '--trace', t2]);
    expect(s.code).toBe(0);
    const rows = readFileSync(t2, 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
    expect(rows.map((c) => c[TRACE_COLUMNS.indexOf('warmup')])).toEqual(['1', '0', '0', '0']);
    expect(rows.every((c) => c[TRACE_COLUMNS.indexOf('io_cores')] === '2')).toBe(true);
  });

  it('bad flags: one line, exit 2, no trace file', async () => {
    const dir = tempDir('sim-');
    const sc = tinyScenario(dir);
    const trace = join(dir, 'never.csv');
    const cases: [string[], RegExp][] = [
      [['--agent', 'iocm', '--io-cores', '1'], /io-cores and agent are mutually exclusive/],
      [['--agent', 'nope'], /unknown agent spec "nope"/],
      [['--agent', 'iocm:foo=1'], /agent spec "iocm:foo=1"/],
      [['--fidelity', 'medium'], /Invalid values: Argument: fidelity, Given: "medium"/],
      [['--duration', '5'], /exceed scenario tiny's 0.5 s/],
      [['--agent', 'ppo:/nonexistent'], /agent spec "ppo:\/nonexistent"/],
    ];
    for (const [args, re] of cases) {
      const r = await run(['simulate', '--scenario', sc, '--trace', trace, ...args]);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.err).toMatch(re);
      expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    }
    expect(existsSync(trace)).toBe(false);
    const u = await run(['simulate', '--scenario', sc, '--trace', join(sc, 'x.csv')]);
    expect(u.code).toBe(2);
    expect(u.err).toMatch(/--trace .*is not a directory/);
  });
});

describe('iocm-gym simulate on a phased scenario', () => {
  it('names each VM\'s workload over the measured phases, not the last phase\'s alone', async () => {
    const sc = tinyScenario(tempDir('sim-'));
    const r = await run(['simulate', '--scenario', sc, '--io-cores', '1', '--json']);
    const j = JSON.parse(r.out) as { perVm: { workload: string; workloads: { phase: string; type: string }[] }[] };
    expect(j.perVm[0]!.workload).toBe('tcp_rr→tcp_stream_tx');
    expect(j.perVm[0]!.workloads).toEqual([{ phase: 'rr', type: 'tcp_rr' }, { phase: 'stream', type: 'tcp_stream_tx' }]);
    // measured in the second phase only: its workload
    const late = JSON.parse((await run(['simulate', '--scenario', sc, '--io-cores', '1', '--warmup', '0.3', '--json'])).out) as typeof j;
    expect(late.perVm[0]!.workload).toBe('tcp_stream_tx');
  });

  it('its p99 is the transaction-weighted mean of the epochs\' p99s in its own trace', async () => {
    const dir = tempDir('sim-');
    const sc = tinyScenario(dir);
    const trace = join(dir, 't.csv');
    const r = await run(['simulate', '--scenario', sc, '--io-cores', '1', '--trace', trace, '--json']);
    const j = JSON.parse(r.out) as { latencyUs: { p99: number } };
    const [head, ...rows] = readFileSync(trace, 'utf8').trim().split('\n').map((l) => l.split(','));
    const p99 = head!.indexOf('latency_p99_us');
    const tps = head!.indexOf('transactions_per_s');
    let sw = 0, s = 0;
    for (const row of rows) {
      if (row[p99] === '' || !(Number(row[tps]) > 0)) continue;
      s += Number(row[p99]) * Number(row[tps]);
      sw += Number(row[tps]);
    }
    expect(j.latencyUs.p99).toBeCloseTo(s / sw, 9);
    expect(r.out).not.toBe('');
  });
});
