/**
 * The IOcm agent on the real SideCore-v1 env (fast tier), not a synthetic host: the timings that
 * iocm-policy.md §4.5 derives must show up in the env's step loop, where one step is one 100 ms epoch.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import '../../../env/index.js';
import { make } from '../../../env/core/registry.js';
import { createIocmAgent, type IocmDecision } from '../../../agents/iocm/index.js';

interface Row { step: number; decision: IocmDecision; ioCores: number }

/** Runs IOcm for `seconds` of heavy streaming on 7 VMs, the load where side-cores pay. */
function run(seconds: number, workload = 'elvis-stream-7vm'): Row[] {
  const base = JSON.parse(readFileSync(new URL(`../../../env/scenarios/${workload}.json`, import.meta.url), 'utf8')) as { host: object; phases: object[] };
  // halting guests: IOcm adds I/O cores only while VM cores have idle time, which the ELVIS scenarios'
  // polling guests (guestIdle: poll) never leave
  const host = { ...base.host, guestIdle: 'hlt' };
  const scenario = { ...base, host, name: `${workload}-long`, phases: [{ ...base.phases[0]!, durationS: seconds }] };
  const env = make<Float32Array, number>('SideCore-v1', { scenario, actionMode: 'absolute' });
  const agent = createIocmAgent();
  agent.reset(0);
  let { obs, info } = env.reset({ seed: 0 });
  const rows: Row[] = [];
  for (let step = 0; ; step++) {
    const r = env.step(agent.act(obs, info));
    if (agent.lastDecision) rows.push({ step, decision: agent.lastDecision, ioCores: r.info.ioCores as number });
    ({ obs, info } = r);
    if (r.truncated) break;
  }
  env.close();
  return rows;
}

describe('IOcm on SideCore-v1 (fast tier), 7 VMs streaming', () => {
  const rows = run(40);
  const at = (ev: string) => rows.filter((r) => r.decision.event === ev).map((r) => r.step);

  it('holds the baseline until its first possible move at epoch 28, then starts side-core mode', () => {
    expect(rows.filter((r) => r.step < 28).every((r) => r.ioCores === 0)).toBe(true);
    expect(at('start')[0]).toBe(28);
    expect(rows.find((r) => r.step === 28)!.ioCores).toBeGreaterThanOrEqual(1);
  });

  it('plays out each trial in the step loop: 1 s (10 epochs) held, then kept or reverted', () => {
    const begins = at('trial-begin');
    expect(begins.length).toBeGreaterThanOrEqual(2);
    for (const b of begins) {
      const end = rows.find((r) => r.step > b && r.decision.event !== 'trial-hold');
      if (!end) continue; // the episode ended inside the trial
      expect(['trial-accept', 'trial-revert']).toContain(end.decision.event);
      expect(end.step - b).toBe(10);
      const during = rows.filter((r) => r.step > b && r.step < end.step);
      expect(new Set(during.map((r) => r.ioCores)).size).toBe(1);
      if (end.decision.event === 'trial-revert') expect(end.ioCores).toBe(rows.find((r) => r.step === b - 1)!.ioCores);
    }
  });

  it('spaces accepted moves by at least 28 epochs plus the trial (the first add after START excepted)', () => {
    const accepted = at('trial-accept');
    const begins = at('trial-begin');
    expect(begins[0]).toBe(49); // START locks nothing: the first add comes 21 epochs after it
    for (const a of accepted) {
      const next = begins.find((b) => b > a);
      if (next !== undefined) expect(next - a).toBeGreaterThanOrEqual(28);
    }
  });

  it('does not retry a reverted move before its penalty (20 epochs the first time) has passed', () => {
    const reverts = rows.filter((r) => r.decision.event === 'trial-revert');
    expect(reverts.length).toBeGreaterThanOrEqual(1);
    let retries = 0;
    for (const rv of reverts) {
      const m = rv.decision.move!;
      const retry = rows.find((r) => r.step > rv.step && r.decision.event === 'trial-begin' && r.decision.move === m);
      if (!retry) continue;
      retries += 1;
      expect(retry.decision.epoch - rv.decision.epoch).toBeGreaterThan(20);
    }
    expect(retries).toBeGreaterThanOrEqual(1);
  });
});
