/**
 * One speed figure of the detailed tier, for comparing two builds in alternating runs (a change meant to
 * make the simulator faster: run this in both checkouts, one after the other, several times):
 *
 *   node dist/bench/speed.js phase <scenario> <ioCores> [phase=0] [simS=1]
 *     one phase of a scenario alone at a static I/O-core count (as `npm run bench -- sim` times the
 *     `paper` phases): simulated seconds per CPU second, events per simulated second, the most events
 *     pending at an epoch's end;
 *   node dist/bench/speed.js episode [scenario=paper]
 *     one whole SideCore-v1 episode on the detailed tier with random masked actions, seed 0 (as
 *     `npm run bench -- sidecore` times it): steps per CPU second, overall and phase by phase, and the
 *     CPU seconds spent in each phase at each I/O-core count (the count after the step's action).
 *
 * Not part of `npm run bench`: it measures one thing, so that alternating runs are short.
 */
import { loadScenario } from '../env/sim/scenario.js';
import { SideCoreEnv } from '../env/sidecore.js';
import { phaseRate } from './sim-paper.js';
import { episodeRate } from './sidecore.js';

function usage(msg: string): never {
  process.stderr.write(`speed: ${msg}\nusage: speed phase <scenario> <ioCores> [phase] [simS] | speed episode [scenario]\n`);
  process.exit(2);
}

function count(v: string | undefined, name: string, dflt: number, integer = true): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || (integer && !Number.isInteger(n))) usage(`${name} must be a ${integer ? 'whole ' : ''}number >= 0, got "${v}"`);
  return n;
}

const [mode, ...rest] = process.argv.slice(2);
try {
  if (mode === 'phase') {
    const [name, x, phase, simS] = rest;
    if (!name || x === undefined) usage('phase needs a scenario and an I/O-core count');
    const sc = loadScenario(name);
    const i = count(phase, 'phase', 0);
    if (i >= sc.phases.length) usage(`${name} has ${sc.phases.length} phase(s); phase ${i} does not exist`);
    const r = phaseRate(sc, i, count(x, 'ioCores', 0), count(simS, 'simS', 1, false) || 1);
    console.log(`${name} phase ${i} (${r.name}) x=${x}: ${(1 / r.cpuPerSimS).toFixed(3)} simulated s per CPU s, ${(r.eventsPerSimS / 1e6).toFixed(2)} M events per simulated s, at most ${r.maxPending} pending at an epoch's end`);
  } else if (mode === 'episode') {
    const env = new SideCoreEnv({ fidelity: 'detailed', scenario: rest[0] ?? 'paper' });
    const r = episodeRate(env, { cells: true });
    console.log(`${rest[0] ?? 'paper'} episode: ${r.rate.cpu.toFixed(1)} steps per CPU s (${r.simPerCpuS.toFixed(2)} simulated s per CPU s); steps per CPU s by phase: ${r.phases.map((p) => `${p.name} ${Math.round(p.cpu)}`).join(', ')}`);
    console.log(`CPU s by phase and I/O cores (steps): ${r.cells.map((c) => `${c.phase} x${c.ioCores} ${c.cpuS.toFixed(2)} (${c.steps})`).join(', ')}`);
  } else usage(mode === undefined ? 'give a mode' : `unknown mode "${mode}"`);
} catch (e) {
  usage(e instanceof Error ? e.message : String(e));
}
