import { describe, it, expect } from '@jest/globals';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { make } from '../../../env/index.js';
import { generateScenarioSpec } from '../../../env/scenarios/generator.js';
import { listScenarios, loadScenario } from '../../../env/sim/scenario.js';
import { scenarioErrorOf } from '../scenario-error.js';

const ok = { name: 'x', vms: 2, phases: [{ durationS: 1, workload: { type: 'tcp_rr' } }] };

const errorOf = (obj: object): string => scenarioErrorOf(() => loadScenario(obj));

describe('scenarios', () => {
  it('every shipped scenario loads', () => {
    const names = listScenarios();
    for (const wl of ['stream', 'rr', 'memcached', 'apache']) {
      for (let n = 1; n <= 7; n++) expect(names).toContain(`elvis-${wl}-${n}vm`);
    }
    expect(names).toContain('mixed');
    expect(names).toContain('paper');
    for (const n of names) expect(loadScenario(n).name).toBe(n);
  });

  it('the paper scenario has at least five phases of at least 20 s', () => {
    const s = loadScenario('paper');
    expect(s.phases.length).toBeGreaterThanOrEqual(5);
    for (const p of s.phases) expect(p.durationS).toBeGreaterThanOrEqual(20);
  });

  it('fills defaults and per-VM overrides', () => {
    const s = loadScenario({ ...ok, phases: [{ durationS: 2, workload: { type: 'memcached' }, perVm: [null, { type: 'idle' }] }] });
    expect(s.host).toMatchObject({ cores: 8, ghz: 2.2, nics: 1, exitlessInterrupts: true, maxIoCores: 4 });
    expect(s.vms).toHaveLength(2);
    expect(s.phases[0]!.workloads[0]).toMatchObject({ type: 'memcached', getRatio: 0.9, valueBytes: 1024, outstanding: 8 });
    expect(s.phases[0]!.workloads[1]!.type).toBe('idle');
    expect(s.durationS).toBe(2);
  });

  it('names the bad field in one line', () => {
    expect(errorOf({ ...ok, phases: [{ durationS: 1, workload: { type: 'ftp' } }] })).toMatch(/^scenario\.phases\[0\]\.workload\.type: unknown workload type "ftp"/);
    expect(errorOf({ ...ok, phases: [{ durationS: -1, workload: { type: 'idle' } }] })).toMatch(/^scenario\.phases\[0\]\.durationS: .*> 0/);
    expect(errorOf({ ...ok, phases: [{ workload: { type: 'idle' } }] })).toBe('scenario.phases[0].durationS: is required');
    expect(errorOf({ name: 'x', phases: ok.phases })).toBe('scenario.vms: is required');
    expect(errorOf({ ...ok, host: { cores: 4, maxIoCores: 4 } })).toMatch(/^scenario\.host\.maxIoCores: /);
    expect(errorOf({ ...ok, host: { cores: 100 } })).toMatch(/^scenario\.host\.cores: /);
    expect(errorOf({ ...ok, phases: [{ durationS: 1, workload: { type: 'tcp_rr', outstanding: 0 } }] })).toMatch(/outstanding/);
    expect(errorOf({ ...ok, phases: [{ durationS: 1, workload: { type: 'tcp_rr', colour: 1 } }] })).toMatch(/unknown field\(s\) colour/);
    expect(() => loadScenario('no-such-scenario')).toThrow(/no shipped scenario or file/);
  });

  // scenarios loaded by name are shared by the envs built from them (a sweep builds one per job)
  it('an episode leaves the scenario it loaded by name as it was', () => {
    for (const fidelity of ['fast', 'detailed'] as const) {
      const env = make('SideCore-v1', { scenario: 'train:5', fidelity });
      env.reset({ seed: 1 });
      for (let t = 0; t < (fidelity === 'fast' ? 20 : 4); t++) env.step((t % 3) as never);
      env.close();
    }
    expect(loadScenario('train:5')).toEqual(loadScenario(generateScenarioSpec('train', 5)));
  });

  it('loads a scenario file again once it has changed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scenario-'));
    try {
      const f = join(dir, 's.json');
      writeFileSync(f, JSON.stringify(ok));
      expect(loadScenario(f).vms).toHaveLength(2);
      writeFileSync(f, JSON.stringify({ ...ok, vms: 3 }));
      utimesSync(f, new Date(), new Date(Date.now() + 5000));
      expect(loadScenario(f).vms).toHaveLength(3);
      writeFileSync(f, '{');
      utimesSync(f, new Date(), new Date(Date.now() + 10000));
      expect(() => loadScenario(f)).toThrow(/not valid JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
