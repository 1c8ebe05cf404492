/**
 * A fingerprint of the detailed tier's behaviour, for changes meant to leave it unchanged (speed work,
 * refactors): a SHA-256 over every epoch reading and event count of
 *  - each phase of `paper` alone at 0, 1, 2 and 4 I/O cores (3 epochs of 50 ms, seed 3), and
 *  - 40 steps of SideCore-v1 on the detailed tier for `elvis-rr-7vm`, `train:3` and `heldout:101`, with
 *    actions drawn from the action mask by a fixed linear congruential sequence (reconfigurations
 *    included),
 * printed with the number of events handled. Run it before and after a change (`npx tsx
 * experiments/sim-fingerprint.ts`, about 10 s): equal hashes mean equal readings, bit for bit, on these
 * cases. The hash itself is not a reference value (any change of the model changes it); what it is for is
 * the comparison of two builds.
 */
import { createHash } from 'node:crypto';
import { HostSim } from '../env/sim/host.js';
import { loadScenario } from '../env/scenarios/scenario.js';
import { make } from '../env/index.js';

const h = createHash('sha256');
let events = 0;
const paper = loadScenario('paper');
paper.phases.forEach((phase, i) => {
  for (const x of [0, 1, 2, 4]) {
    const sim = new HostSim({ ...paper, name: `paper-phase-${i}`, phases: [{ ...phase, durationS: 1000 }] }, { seed: 3, ioCores: x });
    for (let e = 0; e < 3; e++) { sim.advance(0.05e9); h.update(JSON.stringify(sim.readEpoch())); }
    h.update(String(sim.eventsProcessed));
    events += sim.eventsProcessed;
  }
});
for (const scenario of ['elvis-rr-7vm', 'train:3', 'heldout:101']) {
  const env = make<Float32Array, number>('SideCore-v1', { scenario, fidelity: 'detailed', actionMode: 'absolute' });
  let { info } = env.reset({ seed: 7 });
  let r = 0x1234;
  for (let i = 0; i < 40; i++) {
    r = (r * 1103515245 + 12345) & 0x7fffffff;
    const mask = info.actionMask as Int8Array;
    const feasible: number[] = [];
    mask.forEach((m, j) => { if (m) feasible.push(j); });
    const out = env.step(feasible[r % feasible.length]!);
    info = out.info;
    h.update(JSON.stringify([Array.from(out.obs), out.reward, out.info.counters, out.info.metrics]));
  }
  env.close();
}
process.stdout.write(`detailed-tier fingerprint ${h.digest('hex').slice(0, 16)} (${events} events)\n`);
