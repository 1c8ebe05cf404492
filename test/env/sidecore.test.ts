import { describe, expect, it } from '@jest/globals';
import { checkEnv } from '../../env/core/checker.js';
import { captureWarnings } from '../../env/core/logger.js';
import { deepEqual } from '../../env/core/env.js';
import { EnvSpec, make as makeEnv, type EnvSpecJSON } from '../../env/core/registry.js';
import { Rng } from '../../env/core/rng.js';
import '../../env/index.js';
import { SyncVectorEnv } from '../../env/core/vector/sync-vector-env.js';
import { SideCoreEnv, type SideCoreOptions } from '../../env/sidecore.js';
import type { EpochCounters } from '../../env/sim/counters.js';

// Two short phases: request/response on every VM, then bulk streaming; 0.5 s each at 100 ms epochs.
const tiny = {
  name: 'tiny',
  vms: 3,
  phases: [
    { name: 'rr', durationS: 0.5, workload: { type: 'tcp_rr' } },
    { name: 'stream', durationS: 0.5, workload: { type: 'tcp_stream_tx' } },
  ],
};
describe.each(['fast', 'detailed'] as const)('SideCore-v1 (%s tier)', (fidelity) => {
  const make = (o: SideCoreOptions = {}) => new SideCoreEnv({ scenario: tiny, fidelity, ...o });

  it('passes checkEnv, snapshots included', () => {
    const warnings = checkEnv(make(), { skipRenderCheck: true, stateSteps: 3 });
    // The start state is deterministic (no epoch observed yet), as Gymnasium allows with a warning.
    expect(warnings).toEqual(['reset with seeds 123 and 456 gave the same observation']);
  });

  it('masks infeasible delta actions and refuses them with a one-line error', () => {
    const env = make();
    const { info } = env.reset({ seed: 0 });
    expect(Array.from(info.actionMask as Int8Array)).toEqual([1, 1, 0]);
    expect(() => env.step(2)).toThrow('SideCore: action 2 (remove an I/O core) is masked: already at the baseline');
    expect(() => env.step(3)).toThrow('SideCore: action 3 is not in Discrete(3)');
    for (let i = 0; i < 4; i++) env.step(1);
    const r = env.step(0);
    expect(r.info.ioCores).toBe(4);
    expect(Array.from(r.info.actionMask as Int8Array)).toEqual([1, 0, 1]);
    expect(() => env.step(1)).toThrow('is masked: already at maxIoCores 4');
  });

  it('reaches absolute targets at once, and reports reconfigurations', () => {
    const env = make({ actionMode: 'absolute', maxIoCores: 3 });
    env.reset({ seed: 0 });
    expect(env.actionSpace.n).toBe(4);
    const r = env.step(3);
    expect(r.info.ioCores).toBe(3);
    expect(r.info.reconfigured).toBe(true);
    expect(env.step(3).info.reconfigured).toBe(false);
    expect(env.step(0).info.ioCores).toBe(0);
  });

  it("reports each step's reconfiguration cost in info, by manager (cost table: 0.3 ms per device moved, 280 µs per sample)", () => {
    const costs = (manager: 'iocm' | 'ideal' | 'none') => {
      const env = make({ actionMode: 'absolute', maxIoCores: 3, manager });
      env.reset({ seed: 0 });
      // 0 → 1: all 3 devices leave their vhost threads; 1 → 2: VM 1 moves (IOcm re-maps all 3); 2 → 2: nothing
      return [1, 2, 2].map((a) => env.step(a).info.reconfig);
    };
    const mv = 300_000, mgr = 280_000;
    const close = (r: unknown, n: number, stall: number, cpu: number) => {
      const o = r as { reconfigurations: number; stallNs: number; managerCpuNs: number };
      expect(o.reconfigurations).toBe(n);
      expect(o.stallNs).toBeCloseTo(stall, 3);
      expect(o.managerCpuNs).toBeCloseTo(cpu, 3);
    };
    const iocm = costs('iocm'), ideal = costs('ideal'), none = costs('none');
    close(iocm[0], 1, 6 * mv, mgr); close(iocm[1], 1, 6 * mv, mgr); close(iocm[2], 0, 0, mgr);
    close(ideal[1], 1, 1 * mv, mgr);
    close(none[1], 1, 1 * mv, 0);
    expect(() => make({ manager: 'smart' as 'iocm' })).toThrow(/manager/);
  });

  it('is truncated at the end of the scenario, never terminated, with phases in info', () => {
    const env = make();
    env.reset({ seed: 0 });
    expect(env.episodeSteps).toBe(10);
    expect(env.phaseStartSteps()).toEqual([0, 5]);
    const phases: number[] = [];
    for (let t = 1; t <= 10; t++) {
      const r = env.step(0);
      phases.push(r.info.phase as number);
      expect(r.terminated).toBe(false);
      expect(r.truncated).toBe(t === 10);
    }
    expect(phases).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 1]);
  });

  it('observes the IOcm statistics of the epoch, stacked over the history, then the mask', () => {
    const env = make({ history: 2 });
    env.reset({ seed: 1 });
    env.step(1);
    const r = env.step(0);
    expect(r.obs.length).toBe(2 * 8 + 3);
    const c = r.info.counters as EpochCounters;
    const cur = r.obs.subarray(8, 16);
    expect(cur[1]).toBeCloseTo(c.workerWorkCycles / c.tscCycles, 5); // effective I/O ratio
    expect(cur[5]).toBeCloseTo(c.vqBytes / c.tscCycles, 5); // bytes per cycle
    expect(cur[6]).toBe(1); // I/O cores
    expect(cur[7]).toBe(1); // side-core mode
    expect(Array.from(r.obs.subarray(16))).toEqual([1, 1, 1]);
  });

  it('rewards app performance in [0, 1], or IOcm bytes per cycle', () => {
    const app = make();
    app.reset({ seed: 2 });
    for (let t = 0; t < 10; t++) {
      const r = app.step(t === 0 ? 1 : 0);
      expect(r.reward).toBeGreaterThan(0);
      expect(r.reward).toBeLessThanOrEqual(1.05);
    }
    const bpc = make({ reward: 'bpc' });
    bpc.reset({ seed: 2 });
    const r = bpc.step(1);
    const c = r.info.counters as EpochCounters;
    expect(r.reward).toBe(c.vqBytes / c.tscCycles);
  });

  it('vectorises with SyncVectorEnv and renders an ansi dashboard', () => {
    const v = new SyncVectorEnv([() => make(), () => make()]);
    v.reset({ seed: 0 });
    const s = v.step([1, 0]);
    expect((s.infos.ioCores as number[])).toEqual([1, 0]);
    const env = make({ renderMode: 'ansi' });
    env.reset({ seed: 0 });
    env.step(1);
    const screen = env.render()!;
    expect(screen).toContain('cores  [IO vm vm vm vm vm vm vm]');
    expect(screen).toContain('exits');
    const plain = make();
    plain.reset({ seed: 0 });
    const { result, warnings } = captureWarnings(() => plain.render());
    expect(result).toBeUndefined();
    expect(warnings).toEqual([expect.stringContaining('You are calling render method without specifying any render mode')]);
  });

  it('rejects bad options with one-line errors naming them', () => {
    expect(() => make({ maxIoCores: 8 })).toThrow('maxIoCores 8 leaves no VM core on a 8-core host');
    expect(() => make({ initialIoCores: 5 })).toThrow('initialIoCores 5 exceeds maxIoCores 4');
    expect(() => new SideCoreEnv({ scenario: 'no-such-scenario', fidelity })).toThrow("no shipped scenario or file named 'no-such-scenario'");
    expect(() => new SideCoreEnv({ scenario: { ...tiny, phases: [{ durationS: -1, workload: { type: 'idle' } }] }, fidelity })).toThrow('durationS');
    // a phase shorter than one epoch is refused, not rounded to one epoch or none
    const short = { ...tiny, phases: [tiny.phases[0]!, { name: 'blip', durationS: 0.01, workload: { type: 'idle' } }] };
    expect(() => new SideCoreEnv({ scenario: short, fidelity })).toThrow('SideCore: phase 1 (blip) lasts 0.01 s, less than one 100 ms epoch; make it at least 0.1 s');
    expect(() => new SideCoreEnv({ scenario: short, fidelity, epochMs: 10 })).not.toThrow();
  });

  it('reproduces an episode from its EnvSpec JSON, seed and action log', () => {
    const env = makeEnv<Float32Array, number>('SideCore-v1', { scenario: tiny, fidelity, actionMode: 'absolute' });
    let { info } = env.reset({ seed: 7 });
    const rng = Rng.fromSeed(3);
    const actions: number[] = [];
    const rewards: number[] = [];
    const obs: Float32Array[] = [];
    for (;;) {
      const allowed = [...(info.actionMask as Int8Array)].flatMap((m, a) => (m ? [a] : []));
      const a = allowed[rng.integers(0, allowed.length)]!;
      const r = env.step(a);
      actions.push(a);
      rewards.push(r.reward);
      obs.push(r.obs);
      info = r.info;
      if (r.truncated) break;
    }
    const record = JSON.stringify({ spec: env.spec!.toJSON(), seed: 7, actions });
    const { spec, seed, actions: log } = JSON.parse(record) as { spec: EnvSpecJSON; seed: number; actions: number[] };
    const again = makeEnv<Float32Array, number>(EnvSpec.fromJSON(spec));
    again.reset({ seed });
    log.forEach((a, t) => {
      const r = again.step(a);
      expect(r.reward).toBe(rewards[t]);
      expect(deepEqual(r.obs, obs[t])).toBe(true);
    });
  });
});

describe('SideCore setState', () => {
  const snapshotOf = (o: SideCoreOptions): unknown => {
    const env = new SideCoreEnv({ scenario: tiny, ...o });
    env.reset({ seed: 3 });
    env.step(0);
    return env.getState();
  };
  const reset = (o: SideCoreOptions): SideCoreEnv => {
    const env = new SideCoreEnv({ scenario: tiny, ...o });
    env.reset({ seed: 3 });
    return env;
  };

  it('refuses a snapshot of an env built otherwise, naming the cause, before anything is restored', () => {
    expect(() => reset({ history: 2 }).setState(snapshotOf({}))).toThrow('SideCore.setState: the snapshot keeps 1 observation frame(s) (history 1); this env keeps 2: make the env with history: 1');
    expect(() => reset({}).setState({ inner: snapshotOf({}), own: undefined })).toThrow('SideCore.setState: this is the snapshot of a wrapped env ({inner, own}); restore it into an env wrapped the same way');
    expect(() => reset({}).setState({})).toThrow('SideCore.setState: not a SideCore snapshot (no host, rng, steps, frames, lastInfo)');
    expect(() => reset({}).setState(null)).toThrow('SideCore.setState: expected the object getState() returns, got null');
    expect(() => reset({ fidelity: 'detailed' }).setState(snapshotOf({}))).toThrow("setState: not a detailed-tier host state (it is a fast-tier one: restore it into an env with fidelity: 'fast')");
    expect(() => reset({}).setState(snapshotOf({ fidelity: 'detailed' }))).toThrow("setState: not a fast-tier host state (it is a detailed-tier one: restore it into an env with fidelity: 'detailed')");
    const other = new SideCoreEnv({ scenario: { ...tiny, name: 'tiny2' } });
    other.reset({ seed: 3 });
    expect(() => other.setState(snapshotOf({}))).toThrow('setState: a state of scenario "tiny", not of "tiny2"');
  });

  it('warns once when stepped after the episode was truncated', () => {
    const env = new SideCoreEnv({ scenario: tiny });
    env.reset({ seed: 0 });
    let r = env.step(0);
    while (!r.truncated) r = env.step(0);
    const { warnings } = captureWarnings(() => { env.step(0); env.step(0); });
    expect(warnings).toEqual([expect.stringContaining('SideCore: step() called after the episode was truncated (the scenario ended after 10 steps); call reset()')]);
    env.reset({ seed: 0 });
    expect(captureWarnings(() => env.step(0)).warnings).toEqual([]);
  });

  it('names what was called before reset', () => {
    const env = new SideCoreEnv({ scenario: tiny });
    expect(() => env.getState()).toThrow('SideCore: call reset() before getState()');
    expect(() => env.actionMask()).toThrow('SideCore: call reset() before actionMask()');
    expect(() => env.step(0)).toThrow('SideCore: call reset() before step()');
  });
});

describe('SideCore maxIoCores default', () => {
  const host = (cores: number) => ({ name: `c${cores}`, host: { cores }, vms: 2, phases: [{ durationS: 1, workload: { type: 'idle' } }] });

  it('is min(4, cores - 1): a 4-core host gets 3 I/O cores at most, an 8-core host 4', () => {
    expect(new SideCoreEnv({ scenario: host(4) }).maxIoCores).toBe(3);
    expect(new SideCoreEnv({ scenario: host(8) }).maxIoCores).toBe(4);
    expect(new SideCoreEnv({ scenario: host(4), actionMode: 'absolute' }).actionSpace.n).toBe(4);
  });
});
