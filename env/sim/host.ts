/**
 * The detailed-tier host simulator: a discrete-event model of a KVM host doing paravirtual network I/O,
 * either the baseline (one vhost thread per device, scheduled by a CFS-like scheduler together with
 * the vCPUs) or side-core (x pinned vhost workers polling the virtqueues of many VMs). The mechanisms,
 * their parameters and sources are documented in `docs/model.md`; every cost constant is in `costs.ts`.
 *
 * One file per mechanism, each a class layered on the one below (see `base.ts`):
 *   kernel.ts      the event kernel: time, pending events, a handler per registered kind
 *   state.ts       the state layout (typed arrays) and the shared enumerations
 *   accounting.ts  cycle accounts of every core, counters, and the epoch reading built from them
 *   virtqueues.ts  the message queues (TX/RX rings, host-side RX, the guest application's queue)
 *   scheduler.ts   the CFS-like scheduler of the VM cores (vCPU and vhost threads)
 *   guest.ts       what a vCPU does: NAPI, the application, stream sends, computation, HLT; interrupts
 *   vhost.ts       the baseline vhost thread of a device, and the handler work shared with side-cores
 *   worker.ts      the side-core workers: polling runs, visits, control work
 *   network.ts     the NICs and the wire, and the remote machine (clients, stream peers, phases)
 *   reconfig.ts    changing the number of I/O cores, with the real mechanism's costs
 *   host.ts        `HostSim`: construction, `advance`, snapshots
 *
 * Time is kept in integer host cycles (all costs are rounded to whole cycles), so the cycle accounts of
 * every core add up to elapsed time exactly. All mutable state lives in typed arrays and numbers of one
 * object (`S`) and in the kernel, which is what `getState`/`setState` copy: a restored simulator has a
 * bit-identical future.
 *
 * Granularity (what is batched, as the real system batches it): a message is a TSO/GRO segment (up to
 * 64 KiB) or a request/response; a baseline vhost handler run takes everything queued up to the 512 KiB
 * weight; a side-core visit takes a queue up to the 512 KiB budget; a NAPI poll takes up to 64 messages.
 * Runs of empty polls are computed in closed form (the round-robin position of every queue at every
 * iteration is known), not simulated one by one.
 */
import type { HostModel, HostOptions, HostReading } from '../host-model.js';
import type { KernelState } from './kernel.js';
import { Reconfiguration } from './reconfig.js';
import type { Scenario } from './scenario.js';

export { CYCLE_CATEGORIES } from '../host-model.js';

/** The options of either tier (`HostOptions`), under the detailed tier's historical name. */
export type HostSimOptions = HostOptions;
/** A reading of either tier (`HostReading`), under the detailed tier's historical name. */
export type EpochReading = HostReading;

/** The state object's fields, copied (typed arrays and numbers). */
type SimStateCopy = Record<string, Float64Array | Int32Array | Uint8Array | Uint32Array | number>;

export interface SimState {
  readonly kind: 'iocm-hostsim';
  readonly scenario: string;
  readonly data: SimStateCopy;
  readonly kernel: KernelState;
}

export class HostSim extends Reconfiguration implements HostModel {
  constructor(scenario: Scenario | string | object, opts: HostOptions) {
    super(scenario, opts);
    const x = opts.ioCores;
    if (!Number.isInteger(x) || x < 0 || x > this.maxIo) {
      throw new RangeError(`ioCores must be an integer in [0, ${this.maxIo}] for this host, got ${x}`);
    }
    this.start(x);
  }

  /** Runs every event up to now + dtNs. */
  advance(dtNs: number): void {
    if (!(dtNs >= 0)) throw new RangeError(`advance: dtNs must be >= 0, got ${dtNs}`);
    this.S.target += dtNs;
    this.k.run(Math.round(this.S.target * this.ghz));
  }


  /** Bytes sent into the system by either end, bytes consumed, and bytes in queues or on the wire. */
  byteAccounts(): { sent: number; received: number; inQueues: number; onWire: number } {
    const S = this.S;
    let inQueues = 0;
    for (const v of S.qSum) inQueues += v;
    let onWire = 0;
    const addBytes = (_v: number, _type: number, bytes: number) => { onWire += bytes; };
    this.k.forEachPending(this.evHostRx, addBytes);
    this.k.forEachPending(this.evRemoteRx, addBytes);
    return { sent: S.sent, received: S.recv, inQueues, onWire };
  }


  getState(): SimState {
    const data: SimStateCopy = {};
    for (const [k, v] of Object.entries(this.S as unknown as SimStateCopy)) data[k] = typeof v === 'number' ? v : v.slice();
    return { kind: 'iocm-hostsim', scenario: this.scenario.name, data, kernel: this.k.getState() };
  }


  setState(s: SimState): void {
    const kind = (s as { kind?: unknown } | null | undefined)?.kind;
    if (kind !== 'iocm-hostsim') throw new Error(`setState: not a detailed-tier host state${kind === 'iocm-fluid' ? ' (it is a fast-tier one: restore it into an env with fidelity: \'fast\')' : ''}`);
    if (s.scenario !== this.scenario.name) throw new Error(`setState: a state of scenario ${JSON.stringify(s.scenario)}, not of ${JSON.stringify(this.scenario.name)}`);
    // copy into the live state object (same keys, same hidden class: no slow dictionary-mode object)
    const live = this.S as unknown as SimStateCopy;
    const keys = Object.keys(live);
    if (keys.length !== Object.keys(s.data).length || keys.some((k) => !(k in s.data))) throw new Error('setState: state layout differs');
    for (const k of keys) {
      const v = s.data[k]!;
      live[k] = typeof v === 'number' ? v : v.slice();
    }
    this.k.setState(s.kernel);
  }
}
