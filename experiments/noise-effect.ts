/**
 * What the fast tier's noise changes for IOcm: IOcm on a scenario, fast tier without and with noise
 * (seeds 0–2) and, with `--detailed`, the detailed tier (seed 0): the episode's reward, the number of
 * I/O-core changes and, per phase, how many epochs IOcm spent at each count. Without noise, a trial
 * whose bytes per cycle is exactly unchanged (a CPU-bound phase, where traffic does not depend on the
 * count) is accepted; with noise it is not (docs/fluid.md §9).
 *
 * Run: `npx tsx experiments/noise-effect.ts [scenario] [--detailed]` (default scenario `paper`).
 */
import { make } from '../env/index.js';
import { createIocmAgent } from '../agents/iocm/agent.js';
import type { Info } from '../env/core/env.js';

const args = process.argv.slice(2);
const scenario = args.find((a) => !a.startsWith('--')) ?? 'paper';
const runs: { fidelity: 'fast' | 'detailed'; noise: boolean; seed: number }[] = [];
for (const noise of [false, true]) for (const seed of [0, 1, 2]) runs.push({ fidelity: 'fast', noise, seed });
if (args.includes('--detailed')) runs.push({ fidelity: 'detailed', noise: true, seed: 0 });

for (const r of runs) {
  let env;
  try {
    env = make('SideCore-v1', { scenario, fidelity: r.fidelity, noise: r.noise, actionMode: 'absolute' });
  } catch (e) {
    process.stderr.write(`noise-effect: ${(e as Error).message}\n`);
    process.exit(2);
  }
  const agent = createIocmAgent();
  agent.reset(r.seed);
  let { obs, info } = env.reset({ seed: r.seed });
  let reward = 0, switches = 0, prev = -1;
  const byPhase = new Map<string, Record<number, number>>();
  for (;;) {
    const step = env.step(agent.act(obs, info));
    reward += step.reward;
    obs = step.obs;
    info = step.info as Info;
    const x = info.ioCores as number, phase = info.phaseName as string;
    if (prev >= 0 && x !== prev) switches++;
    prev = x;
    const h = byPhase.get(phase) ?? {};
    h[x] = (h[x] ?? 0) + 1;
    byPhase.set(phase, h);
    if (step.terminated || step.truncated) break;
  }
  env.close();
  const phases = [...byPhase].map(([p, h]) => `${p} ${Object.entries(h).map(([x, n]) => `${x}:${n}`).join(' ')}`).join('; ');
  console.log(`${scenario} ${r.fidelity}${r.fidelity === 'fast' ? (r.noise ? ' noise' : ' exact') : ''} seed ${r.seed}: reward ${reward.toFixed(3)}, ${switches} changes; epochs at each count per phase: ${phases}`);
}
