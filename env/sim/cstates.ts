/**
 * The idle-state choice of a host core going idle, after Linux 3.18's menu governor
 * (`drivers/cpuidle/governors/menu.c`, `menu_select`), shared by both tiers:
 *
 * * predicted idle time: the core's recent idle periods. The governor scales the next timer event by a
 *   correction factor that is a decaying average (DECAY 8) of measured / expected idle, and takes the
 *   average of the last 8 intervals when they are regular (`get_typical_interval`); on a core woken by
 *   I/O long before its next timer both come to the average idle period, which the tiers estimate (the
 *   detailed one as a running average with weight 1/8 per idle period).
 * * performance multiplier: 1 + 2·get_loadavg(load) + 10·nr_iowaiters, where load is the run queue's
 *   cpu_load[0] (NICE_0_LOAD = 1024 per fully runnable task) and get_loadavg = LOAD_INT·10 +
 *   LOAD_FRAC/10 (FSHIFT 11): for a core busy a fraction u of the time, 1 + 2·⌊5u⌋ (no I/O waiters:
 *   vCPU and vhost threads do not sleep in iowait).
 * * the deepest state whose target residency ≤ predicted and whose exit latency ≤ predicted / multiplier.
 */
import type { Costs } from './costs.js';

/** Exit latency (ns) of the state the governor picks for a predicted idle time and a core's busy fraction. */
export function idleExitNs(states: Costs['cStates'], predictedNs: number, busyFraction: number): number {
  const u = Math.min(1, Math.max(0, busyFraction));
  const mult = 1 + 2 * Math.floor(5 * u + 1e-9);
  const latencyLimit = predictedNs / mult;
  let exit = 0;
  // an index loop: this runs each time a core goes idle, and for…of allocates an iterator there
  for (let i = 0; i < states.length; i++) {
    const s = states[i]!;
    if (s.residencyNs > predictedNs || s.exitNs > latencyLimit) break;
    exit = s.exitNs;
  }
  return exit;
}

/** Weight of the newest idle period in the detailed tier's running average (menu.c DECAY = 8). */
export const IDLE_AVG_WEIGHT = 1 / 8;
