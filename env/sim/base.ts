/**
 * What every mechanism of the detailed simulator shares: the host's shape (cores, VMs, vCPU threads),
 * the cost table in whole cycles, the event kernel, the state object and its random numbers. The
 * mechanisms are layered on top of it, one class per file, in this order: accounting.ts,
 * virtqueues.ts, scheduler.ts, guest.ts, vhost.ts, worker.ts, network.ts, reconfig.ts, and host.ts
 * (`HostSim`, the public API). A mechanism that calls one above it declares the method `abstract`.
 */
import { resolveHost, type HostOptions } from '../host-model.js';
import type { Costs } from './costs.js';
import { EventKernel } from './kernel.js';
import type { Scenario, Workload } from './scenario.js';
import * as sfc32 from './sfc32.js';
import { makeState, type SimStateData } from './state.js';

// A module constant: `rand` must not go through a module-namespace accessor (tsx compiles imports to getters).
const { sfc32Uniform } = sfc32;

/** The cost table in host cycles (rounded to whole cycles where time is kept). */
export interface DerivedCycles {
  kick: number; inject: number; eoi: number; hlt: number; csw: number; idleWake: number; lat: number; minGran: number; wakeGran: number;
  mig: number; vPkt: number; vByte: number; vBatch: number; E: number; poll: number; gTx: number; gRx: number; gByte: number; gIrq: number;
  sys: number; wire: number; turn: number; wkCreate: number; move: number; moveWork: number; irqMove: number; bitCycles: number;
}

export abstract class SimBase {
  readonly scenario: Scenario;
  readonly costs: Readonly<Costs>;
  readonly nCores: number;
  readonly ghz: number;
  readonly nVm: number;
  readonly nVcpu: number;
  readonly nThreads: number;
  readonly maxIo: number;
  readonly exitless: boolean;
  /** Guests booted with idle=poll: an idle vCPU spins in the guest instead of halting (scenario host.guestIdle). */
  readonly idlePoll: boolean;
  readonly seed: number;

  /** vCPU thread → VM, and index of the vCPU inside its VM. */
  protected readonly vcpuVm: Int32Array;
  protected readonly vcpuIdx: Int32Array;

  /** First vCPU thread of each VM (the one that handles its I/O). */
  protected readonly vmVcpu0: Int32Array;
  protected readonly vmNVcpu: Int32Array;
  /**
   * The VM of each message queue (queue id mod nVm) and the NIC of each VM (VM mod NICs), as tables: the
   * hot paths look these up per message, and a load is cheaper than an integer division.
   */
  protected readonly qVm: Int32Array;
  protected readonly vmNic: Int32Array;
  protected readonly phaseEnd: Float64Array;

  /** Workloads of each phase, per VM (read-only, from the scenario). */
  protected readonly phaseWl: Workload[][];
  protected readonly words: number;

  /** Simulated time (integer cycles) and the pending events. */
  protected readonly k = new EventKernel(1024);

  /** Costs with the guest's per-packet stack costs scaled for UDP. */
  protected readonly cUdp: DerivedCycles;
  protected S: SimStateData;

  /** Derived integer costs (cycles). */
  protected readonly c: DerivedCycles;

  constructor(scenario: Scenario | string | object, opts: HostOptions) {
    const h = resolveHost(scenario, opts), sc = h.scenario;
    this.scenario = sc;
    this.costs = h.costs;
    this.nCores = h.nCores;
    this.ghz = h.ghz;
    this.exitless = h.exitless;
    this.maxIo = h.maxIo;
    this.idlePoll = h.idlePoll;
    this.seed = opts.seed;
    this.nVm = sc.vms.length;
    let nv = 0;
    for (const vm of sc.vms) nv += vm.vcpus;
    this.nVcpu = nv;
    this.nThreads = nv + this.nVm;
    this.vcpuVm = new Int32Array(nv);
    this.vcpuIdx = new Int32Array(nv);
    this.vmVcpu0 = new Int32Array(this.nVm);
    this.vmNVcpu = new Int32Array(this.nVm);
    this.qVm = Int32Array.from({ length: 4 * this.nVm }, (_, q) => q % this.nVm);
    this.vmNic = Int32Array.from({ length: this.nVm }, (_, v) => v % sc.host.nics);
    for (let v = 0, t = 0; v < this.nVm; v++) {
      this.vmVcpu0[v] = t;
      this.vmNVcpu[v] = sc.vms[v]!.vcpus;
      for (let k = 0; k < sc.vms[v]!.vcpus; k++, t++) { this.vcpuVm[t] = v; this.vcpuIdx[t] = k; }
    }
    const g = this.ghz, k = this.costs, r = Math.round;
    this.c = {
      kick: r(k.exitKickCycles + k.exitIndirectCycles), inject: r(k.exitInjectCycles + k.exitIndirectCycles),
      eoi: r(k.exitEoiCycles + k.exitIndirectCycles), hlt: r(k.exitHltCycles), csw: r(k.contextSwitchCycles + k.contextSwitchIndirectCycles),
      idleWake: r(k.idleWakeNs * g), lat: r(k.schedLatencyNs * g), minGran: r(k.schedMinGranularityNs * g),
      wakeGran: r(k.schedWakeupGranularityNs * g), mig: r(k.migrationCycles), vPkt: k.vhostPerPacketCycles, vByte: k.vhostPerByteCycles,
      vBatch: r(k.vhostPerBatchCycles), E: r(k.emptyPollCycles + k.workerLoopCycles), poll: r(k.emptyPollCycles),
      gTx: k.guestTxPerPacketCycles, gRx: k.guestRxPerPacketCycles, gByte: k.guestPerByteCycles, gIrq: r(k.guestIrqCycles),
      sys: k.guestSyscallCycles, wire: r(k.wireLatencyNs * g), turn: k.remoteTurnaroundNs * g,
      wkCreate: r(k.workerCreateCycles), move: r(k.deviceMoveNs * g), moveWork: r(k.deviceMoveWorkCycles), irqMove: r(k.irqMoveCycles),
      // cycles per byte on the wire: 8 bits / (Gbit/s) ns × GHz
      bitCycles: (8 / sc.host.nicGbps) * g,
    };
    this.cUdp = { ...this.c, gTx: k.guestTxPerPacketCycles * k.guestUdpFactor, gRx: k.guestRxPerPacketCycles * k.guestUdpFactor };
    this.phaseEnd = new Float64Array(sc.phases.length);
    this.phaseWl = sc.phases.map((p) => p.workloads);
    let acc = 0;
    sc.phases.forEach((p, i) => { acc += p.durationS; this.phaseEnd[i] = Math.round(acc * 1e9 * g); });
    this.words = Math.max(1, Math.ceil((2 * this.nVm) / 32));
    this.S = makeState({ nCores: this.nCores, nThreads: this.nThreads, nVm: this.nVm, maxIo: this.maxIo, seed: this.seed, words: this.words });
  }


  /** Current simulated time, ns. */
  get nowNs(): number {
    return this.k.now / this.ghz;
  }


  /** Events processed since the start (stale, cancelled ones included). */
  get eventsProcessed(): number {
    return this.k.events;
  }

  /** Events scheduled and not yet handled (stale ones included). */
  get pendingEvents(): number {
    return this.k.pending;
  }

  /** Current number of I/O cores (0 = baseline). */
  get ioCores(): number {
    return this.S.curX;
  }


  /** Index of the current phase (the last one after the scenario's end). */
  get phase(): number {
    return this.S.phase;
  }

  protected rand(): number {
    return sfc32Uniform(this.S.rng);
  }

  protected workload(v: number): Workload {
    return this.phaseWl[this.S.phase]![v]!;
  }
}
