/**
 * SideCore-v1 throughput, the figures of the fast and detailed tiers and PPO, each printed with its target:
 * * fast tier (the default, `FluidHost`), one env on one core: unwrapped and through `make`
 *   (PassiveEnvChecker → OrderEnforcing): ≥ 100,000 env steps/s; also with a no-op policy (no
 *   reconfigurations, so no transients: the cheapest steps);
 * * a `SyncVectorEnv` of 8 `make`d fast envs: env-steps/s (reported);
 * * the detailed tier (`HostSim`) on the paper scenario: one whole episode (all six phases: the first
 *   seconds alone would time the light phase, the cheapest), steps/s overall and phase by phase;
 * * snapshot + restore (`getState()` then `setState()`) on the fast tier: its cost in steps, ≤ 1;
 * * PPO (default Args, 4 × 128 rollouts) on the fast tier, env + learning: ≥ 5,000 steps/s, with the
 *   env's share (the same 4-env `SyncVectorEnv` stepped alone).
 * Steps use random actions drawn from `info.actionMask` (Gymnasium's `benchmark_step` protocol), so about
 * two steps in three reconfigure the host. Every rate is given per wall second and per CPU second of this
 * process (`process.cpuUsage`; other load on a shared machine does not count), the best of several
 * windows after a warm-up. The scenario's steady states are solved before timing (once per process, as
 * the first episode would; the solve time is printed).
 */
import { initBackend } from '../agents/nn/backend.js';
import { sampleAction } from '../env/core/checker.js';
import type { Env, Info } from '../env/core/env.js';
import { make } from '../env/core/registry.js';
import type { Discrete } from '../env/core/spaces/discrete.js';
import { SyncVectorEnv, type SyncVectorEnvOptions } from '../env/core/vector/sync-vector-env.js';
import { FluidHost } from '../env/fluid/host.js';
import '../env/index.js';
import { SideCoreEnv } from '../env/sidecore.js';
import { ppoTrainingRate, type Rate } from './agents.js';
import type { Benchmark } from './benchmark.js';

/** CPU seconds of this process (user + system). */
const cpuS = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

/**
 * The best rate of `op` (which does some work and returns how many steps it did) over `windows` windows
 * of ≥ `windowS` wall seconds, after `warmS` seconds of warm-up; per wall and per CPU second.
 */
function bestRate(op: () => number, windowS = 0.4, windows = 5, warmS = 0.3): Rate {
  const w0 = performance.now();
  while (performance.now() - w0 < warmS * 1000) op();
  const best: Rate = { wall: 0, cpu: 0 };
  for (let k = 0; k < windows; k++) {
    let n = 0;
    const c0 = cpuS(), t0 = performance.now();
    let t = t0;
    while (t - t0 < windowS * 1000) {
      n += op();
      t = performance.now();
    }
    const wall = n / ((t - t0) / 1000), cpu = n / Math.max(1e-9, cpuS() - c0);
    best.wall = Math.max(best.wall, wall);
    best.cpu = Math.max(best.cpu, cpu);
  }
  return best;
}

/** `batch` steps of `env` with `policy` (random masked actions by default), resetting at episode ends. */
function stepper(env: Env<unknown, number>, batch: number, policy: 'random' | 'noop' = 'random'): () => number {
  let { info } = env.reset({ seed: 0 });
  env.actionSpace.seed(0);
  return () => {
    for (let k = 0; k < batch; k++) {
      const r = env.step(policy === 'random' ? (sampleAction(env.actionSpace, info) as number) : 0);
      info = r.info;
      if (r.terminated || r.truncated) info = env.reset().info;
    }
    return batch;
  };
}

/** CPU seconds a detailed episode spent in one phase at one I/O-core count (`episodeRate`'s `cells`). */
export interface EpisodeCell { phase: string; ioCores: number; steps: number; cpuS: number }

/**
 * A whole episode of `env` with random masked actions: the rate overall and per phase (CPU). With
 * `cells`, also the CPU time of each step by phase and by the I/O-core count it ran at (one more CPU
 * clock read per step).
 */
export function episodeRate(env: SideCoreEnv, opts: { cells?: boolean } = {}): { rate: Rate; simPerCpuS: number; phases: { name: string; cpu: number }[]; cells: EpisodeCell[] } {
  let { info } = env.reset({ seed: 0 });
  env.actionSpace.seed(0);
  const bounds: number[] = [];
  let end = 0;
  for (const p of env.scenario.phases) { end += Math.round((p.durationS * 1e9) / env.epochNs); bounds.push(end); }
  const phases = env.scenario.phases.map((p, i) => ({ name: p.name ?? `phase ${i}`, cpu: 0 }));
  const cells = new Map<string, EpisodeCell>();
  const t0 = performance.now(), c0 = cpuS();
  let n = 0, ph = 0, pc = c0, pn = 0, sc = c0;
  for (;;) {
    const r = env.step(sampleAction(env.actionSpace, info) as number);
    info = r.info;
    n++;
    if (opts.cells) {
      const c = cpuS(), key = `${ph} ${env.ioCores}`;
      const cell = cells.get(key) ?? { phase: phases[ph]?.name ?? `phase ${ph}`, ioCores: env.ioCores, steps: 0, cpuS: 0 };
      cell.steps++; cell.cpuS += c - sc; sc = c;
      cells.set(key, cell);
    }
    const done = r.terminated || r.truncated;
    if (ph < bounds.length && (n === bounds[ph] || done)) {
      const c = cpuS();
      phases[ph]!.cpu = (n - pn) / Math.max(1e-9, c - pc);
      pc = c; pn = n; ph++;
    }
    if (done) break;
  }
  const cpu = n / Math.max(1e-9, cpuS() - c0);
  return { rate: { wall: n / ((performance.now() - t0) / 1000), cpu }, simPerCpuS: (cpu * env.epochNs) / 1e9, phases: phases.slice(0, ph), cells: [...cells.values()] };
}

/** A SyncVectorEnv of n `make`d fast envs stepped with random masked actions: `rounds` vector steps. */
function vectorStepper(n: number, rounds: number, opts: SyncVectorEnvOptions = {}): () => number {
  const v = new SyncVectorEnv(Array.from({ length: n }, () => () => make<Float32Array, number>('SideCore-v1', { fidelity: 'fast' })), opts);
  let infos: Info = v.reset({ seed: 0 }).infos;
  const space = v.singleActionSpace as Discrete;
  space.seed(0);
  const actions = new Array<number>(n).fill(0);
  return () => {
    for (let k = 0; k < rounds; k++) {
      const masks = infos.actionMask as (Int8Array | null)[];
      for (let i = 0; i < n; i++) actions[i] = masks[i] ? space.sample({ mask: masks[i]! }) : 0;
      infos = v.step(actions).infos;
    }
    return rounds * n;
  };
}

/** Solves every steady state of the env's scenario (shared by all fast hosts of it); seconds taken. */
function solveSteadyStates(env: SideCoreEnv): number {
  const t0 = performance.now();
  const h = new FluidHost(env.scenario, { seed: 0, ioCores: 0 });
  for (let p = 0; p < env.scenario.phases.length; p++) for (let x = 0; x <= env.maxIoCores; x++) h.steady(p, x);
  return (performance.now() - t0) / 1000;
}

export interface SideCoreFigures {
  solveS: number;
  unwrapped: Rate;
  noop: Rate;
  made: Rate;
  vector8: Rate;
  detailed: Rate;
  /** Simulated seconds per CPU second of the detailed episode. */
  detailedSimPerCpuS: number;
  /** Steps per CPU second of each phase of the detailed episode. */
  detailedPhases: { name: string; cpu: number }[];
  snapshot: Rate;
  ppo: Rate;
  ppoEnv: Rate;
}

export async function sideCoreFigures(opts: { ppo?: boolean } = {}): Promise<SideCoreFigures> {
  const solveS = solveSteadyStates(new SideCoreEnv({ scenario: 'paper' }));
  const unwrapped = bestRate(stepper(new SideCoreEnv({ fidelity: 'fast' }), 1024));
  const noop = bestRate(stepper(new SideCoreEnv({ fidelity: 'fast' }), 1024, 'noop'));
  const made = bestRate(stepper(make<Float32Array, number>('SideCore-v1', { fidelity: 'fast' }), 1024));
  const vector8 = bestRate(vectorStepper(8, 128));
  // snapshot + restore in the middle of an episode, just after a reconfiguration (a transient in flight)
  const s = new SideCoreEnv({ fidelity: 'fast' });
  s.reset({ seed: 0 });
  for (let i = 0; i < 250; i++) s.step(i === 248 ? 1 : 0);
  const snapshot = bestRate(() => {
    for (let k = 0; k < 1024; k++) s.setState(s.getState());
    return 1024;
  });
  // The detailed tier last of the env figures: its large heap would otherwise still be collected
  // (concurrent marking) while the fast tier's figures above are measured. A whole episode, once (its
  // phases differ up to 100x in cost, so no window of it stands for the rest); a few steps first to
  // warm the JIT up.
  const warm = new SideCoreEnv({ fidelity: 'detailed', scenario: 'paper' });
  stepper(warm, 30)();
  const { rate: detailed, simPerCpuS: detailedSimPerCpuS, phases: detailedPhases } = episodeRate(new SideCoreEnv({ fidelity: 'detailed', scenario: 'paper' }));
  let ppo: Rate = { wall: NaN, cpu: NaN }, ppoEnv: Rate = { wall: NaN, cpu: NaN };
  if (opts.ppo !== false) {
    await initBackend('wasm');
    ppo = await ppoTrainingRate('SideCore-v1', { fidelity: 'fast' });
    // what the env alone costs PPO: its 4-env vector env (same_step autoreset, no obs copies)
    ppoEnv = bestRate(vectorStepper(4, 128, { autoresetMode: 'same_step', copy: false }));
  }
  return { solveS, unwrapped, noop, made, vector8, detailed, detailedSimPerCpuS, detailedPhases, snapshot, ppo, ppoEnv };
}

export const sideCoreBench: Benchmark = {
  name: 'sidecore',
  description: 'SideCore-v1 steps/s: fast tier unwrapped, through make, SyncVectorEnv x8; detailed tier; snapshot+restore in steps; PPO env+learning',
  async run() {
    const f = await sideCoreFigures();
    const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
    const rate = (r: Rate, unit = 'steps/s') => `${fmt(r.wall)} ${unit} wall, ${fmt(r.cpu)} per CPU-second`;
    const ok = (x: number, target: number) => (x >= target ? 'met' : 'NOT met');
    console.log(`sidecore.steady_solve: ${f.solveS.toFixed(2)} s (every steady state of the paper scenario, 6 phases x 5 I/O-core counts; once per process)`);
    console.log(`sidecore.fast_unwrapped: ${rate(f.unwrapped)} (random masked actions; target >= 100,000: ${ok(f.unwrapped.cpu, 100_000)})`);
    console.log(`sidecore.fast_unwrapped_noop: ${rate(f.noop)} (no-op actions, no reconfigurations)`);
    console.log(`sidecore.fast_make: ${rate(f.made)} (PassiveEnvChecker + OrderEnforcing; target >= 100,000: ${ok(f.made.cpu, 100_000)})`);
    console.log(`sidecore.fast_sync_vector_8: ${rate(f.vector8, 'env-steps/s')} (8 make'd envs, default options)`);
    console.log(`sidecore.detailed_paper: ${rate(f.detailed)} (detailed tier, one whole episode of the paper scenario, random masked actions: ${f.detailedSimPerCpuS.toFixed(1)} simulated s per CPU-second; target >= 5: ${ok(f.detailedSimPerCpuS, 5)})`);
    console.log(`sidecore.detailed_paper_phases: ${f.detailedPhases.map((p) => `${p.name} ${fmt(p.cpu)}`).join(', ')} steps per CPU-second`);
    const cost = f.unwrapped.cpu / f.snapshot.cpu, costNoop = f.noop.cpu / f.snapshot.cpu;
    console.log(`sidecore.snapshot_restore: ${rate(f.snapshot, '/s')}, ${(1e6 / f.snapshot.cpu).toFixed(2)} us = ${cost.toFixed(2)} step (${costNoop.toFixed(2)} of a no-op step; getState + setState, fast tier; target <= 1: ${cost <= 1 ? 'met' : 'NOT met'})`);
    const share = f.ppo.cpu / f.ppoEnv.cpu;
    console.log(`sidecore.ppo_train: ${rate(f.ppo)} (env + learning, default Args, backend wasm; env share ${(100 * share).toFixed(0)}%: its 4-env vector env alone does ${fmt(f.ppoEnv.cpu)} per CPU-second; target >= 5,000: ${ok(f.ppo.cpu, 5_000)})`);
  },
};
