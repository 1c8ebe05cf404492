/**
 * The cost table of the detailed host simulator: every constant the model uses, in one place, each with
 * its source or the stated reason for its value. Cycle costs are in host cycles (the host runs at the
 * scenario's clock, 2.2 GHz by default); times are in nanoseconds.
 *
 * Source tags (defined in docs/model.md, first paragraph): [PUB] published by the authors, [3RD] third-party
 * summary of a publication, [CODE] read from source code, [INF] modelling assumption (reason given),
 * [CAL] free parameter calibrated against the named published figure.
 *
 * A caller can override any entry (`HostSim` option `costs`), e.g. for sensitivity studies.
 */
export interface Costs {
  // ---- VM exits (direct = world switch + in-kernel handling; indirect = cache/TLB pollution) ----
  /** Guest kick (virtio notify: PIO/MMIO write → ioeventfd), handled in the host kernel. */
  exitKickCycles: number;
  /** Interrupt injection into a running vCPU: the IPI that forces the exit plus the injection. */
  exitInjectCycles: number;
  /** Interrupt completion (guest EOI write to the emulated APIC). */
  exitEoiCycles: number;
  /** HLT exit of an idle vCPU (the vCPU thread then sleeps in the host scheduler). */
  exitHltCycles: number;
  /** Indirect cost added to every kick, injection and EOI exit (guest runs slower afterwards). */
  exitIndirectCycles: number;

  // ---- host scheduler ----
  /** One context switch between host threads (vCPU ↔ vhost ↔ idle), incl. VMCS load / use_mm. */
  contextSwitchCycles: number;
  /** Indirect cost of a switch: caches and TLB refilled by the thread switched in. */
  contextSwitchIndirectCycles: number;
  /** Latency from waking a thread to it running on an idle core (IPI + leaving the idle loop). */
  idleWakeNs: number;
  /**
   * Idle states of a VM core, shallowest first: exit latency and target residency (ns). A core that goes
   * idle enters the deepest state the idle governor allows (`env/sim/cstates.ts`); waking a thread on it
   * then costs `idleWakeNs` + that state's exit latency.
   */
  cStates: readonly { name: string; exitNs: number; residencyNs: number }[];
  /** CFS targeted latency, minimum granularity and wake-up granularity (ns), 8-CPU scaled defaults. */
  schedLatencyNs: number;
  schedMinGranularityNs: number;
  schedWakeupGranularityNs: number;
  /** Cache refill after a vCPU is moved to another core by re-pinning. */
  migrationCycles: number;

  // ---- vhost (host side of virtio) ----
  /** Per packet (TSO/GRO segment) handled by vhost incl. tap/bridge/NIC driver work. */
  vhostPerPacketCycles: number;
  /** Per byte copied between guest memory and host socket buffers. */
  vhostPerByteCycles: number;
  /** Per invocation of a baseline vhost thread's handler (use_mm switch, ring setup, notify toggles). */
  vhostPerBatchCycles: number;
  /** Side-core worker: one empty poll of a virtqueue (compare avail idx via a kmapped page). */
  emptyPollCycles: number;
  /** Side-core worker: loop overhead per iteration (work-list check, need_resched, counters). */
  workerLoopCycles: number;
  /** Max bytes handled per virtqueue visit / per baseline handler run (VHOST_MAX_NET_WEIGHT). */
  visitMaxBytes: number;
  /** Min bytes handled per visit before the visit may stop early (min_processed_data_limit). */
  visitMinBytes: number;

  // ---- guest network stack ----
  /** Virtqueue size (TX descriptors, RX buffers). */
  ringSize: number;
  /** Size of one mergeable RX buffer posted by the guest. */
  rxBufferBytes: number;
  /** Guest TX per packet (socket → TCP/IP → virtio-net xmit). */
  guestTxPerPacketCycles: number;
  /** Guest RX per packet (NAPI receive → TCP/IP → socket wake-up). */
  guestRxPerPacketCycles: number;
  /** Guest per byte copied between user and kernel buffers. */
  guestPerByteCycles: number;
  /** Guest per-packet stack costs of UDP relative to TCP (no connection state, no ACK processing). */
  guestUdpFactor: number;
  /** Guest interrupt handler entry (virtio-net vring interrupt → napi_schedule). */
  guestIrqCycles: number;
  /** NAPI weight: packets handled per NAPI poll before it yields. */
  napiWeight: number;
  /** Per send/recv system call of an application (netperf/memcached/apache loop overhead). */
  guestSyscallCycles: number;

  // ---- network ----
  /** Segment size of the guest's TSO/GSO and the host's GRO (bytes per "packet" inside the host). */
  tsoBytes: number;
  /** TCP payload per Ethernet frame (MSS with timestamps) and per-frame wire overhead (headers + framing). */
  mssBytes: number;
  frameOverheadBytes: number;
  /** One-way wire latency host NIC ↔ remote load generator (NIC DMA, PHY, switch). */
  wireLatencyNs: number;
  /** Remote load generator's processing between receiving and sending (its own stack + app). */
  remoteTurnaroundNs: number;
  /** Wire bytes of one TCP ACK; remote receiver ACKs every 2 MSS (delayed ACK). */
  ackBytes: number;

  // ---- what vhost counts per descriptor chain (IOcm's byte and packet counters, docs/model.md §10) ----
  /** virtio-net header in front of every chain (struct virtio_net_hdr_mrg_rxbuf with mergeable RX buffers). */
  vnetHdrBytes: number;
  /** Ethernet, IPv4, TCP (with the timestamp option) and UDP headers of one frame or GSO segment. */
  ethHdrBytes: number;
  ipv4HdrBytes: number;
  tcpHdrBytes: number;
  udpHdrBytes: number;

  // ---- reconfiguration ----
  /** Creating and pinning a worker thread (kthread_create + sched_setaffinity). */
  workerCreateCycles: number;
  /** Transferring one device between workers: suspended for this long (detach + attach + sysfs). */
  deviceMoveNs: number;
  /** Control-work cycles each of the source and the destination spends on a device transfer. */
  deviceMoveWorkCycles: number;
  /** CPU time of the I/O-core manager process per sample (it reads every counter), on core 0. */
  managerCpuNsPerSample: number;
  /** Time between two samples of the manager (its epoch, and its trial samples). */
  managerSampleNs: number;
  /** Cache refill on the core a NIC interrupt moves to (its handler and the NIC's rings run cold there). */
  irqMoveCycles: number;
}

export const DEFAULT_COSTS: Readonly<Costs> = Object.freeze({
  // [3RD] Dall et al. ATC'17 Tab. 2: exit handled in the host kernel ("I/O Kernel") 2,565 cycles round trip.
  exitKickCycles: 2565,
  // [3RD] Dall et al. ATC'17: virtual IPI 3,102 cycles (the forced exit + injection of a posted irq).
  exitInjectCycles: 3102,
  // [3RD] Dall et al. ISCA'16 Tab. II: virtual interrupt completion 1,556 cycles.
  exitEoiCycles: 1556,
  // [PUB] SplitX (WIOV'11): direct cost of an exit ≈ 2,000 cycles; HLT is a plain exit + schedule().
  exitHltCycles: 2000,
  // [CAL] SplitX: indirect + synchronous costs "in certain cases an order of magnitude higher" than the
  // direct cost. Set to 2× the direct cost; with it, exitless interrupt delivery gains within ELI's
  // published 1.3–1.6× on request/response, and side-core vs baseline stays within ELVIS's 1.2–3×.
  exitIndirectCycles: 4000,

  // [3RD]/[PUB] thread switch ≈ 1,070 ns, process switch ≈ 2,410 ns (bare metal), in-VM 2,493 ns
  // (pipe ping-pong measurements; in-VM: the contextswitch benchmark in
  // https://lkml.iu.edu/hypermail/linux/kernel/1708.3/03774.html). vCPU ↔ vhost switches change mm and VMCS: 3,000 cycles ≈ 1.36 µs @2.2 GHz.
  contextSwitchCycles: 3000,
  // [CAL] Li, Ding, Shen, "Quantifying the cost of context switch" (ExpCS'07) find indirect (cache) costs
  // from a few µs up to far more than the direct cost, growing with the working set [UNV: recollection].
  // 2,500 cycles (≈ 1.1 µs) brings the baseline's many-VM streaming and RR results into ELVIS's range.
  contextSwitchIndirectCycles: 2500,
  // [INF] no published kick→vhost-running latency: the reschedule IPI to an idle core and leaving the idle
  // loop into schedule(), ≈ 1 µs; the idle state's own exit latency comes on top (cStates).
  idleWakeNs: 1000,
  // [CODE] drivers/idle/intel_idle.c `snb_cstates` (Sandy Bridge, the E5-2600 Xeons of 2012–13 hosts):
  // C1 2/2 µs, C1E 10/20 µs, C3 80/211 µs, C6 104/345 µs, C7 109/345 µs (exit latency / target
  // residency); state 0 is the cpuidle polling state (drivers/cpuidle/driver.c poll_idle, 0/0).
  cStates: Object.freeze([
    { name: 'POLL', exitNs: 0, residencyNs: 0 },
    { name: 'C1', exitNs: 2000, residencyNs: 2000 },
    { name: 'C1E', exitNs: 10_000, residencyNs: 20_000 },
    { name: 'C3', exitNs: 80_000, residencyNs: 211_000 },
    { name: 'C6', exitNs: 104_000, residencyNs: 345_000 },
    { name: 'C7', exitNs: 109_000, residencyNs: 345_000 },
  ]),
  // [CODE] Linux 3.18 kernel/sched/fair.c defaults 6 ms / 0.75 ms / 1 ms, scaled by 1+log2(min(ncpus,8)) = 4.
  schedLatencyNs: 24_000_000,
  schedMinGranularityNs: 3_000_000,
  schedWakeupGranularityNs: 4_000_000,
  // [INF] refilling L1/L2 (≈ 256 KiB) after a migration to another core: ≈ 10 µs.
  migrationCycles: 22_000,

  // [UNV-derived] J. Wang's vhost_net TX figures give 320–820 cycles/packet for the bare vhost path to an
  // XDP drop (his 2019 patch "vhost: access vq metadata through kernel virtual address", 4.9–8.2 Mpps at
  // 2.6–4.0 GHz; docs/model.md §5). The real path adds tap, bridge and the ixgbe driver; [INF] ×3.
  vhostPerPacketCycles: 2000,
  // [INF] copy at ≈ 9 GB/s per core (DDR3-era memcpy at 2.2 GHz ≈ 4 B/cycle) = 0.25 cycles/B.
  vhostPerByteCycles: 0.25,
  // [INF] use_mm (mm switch) + vq setup + enable/disable notify round per handler run ≈ 1,000 cycles.
  vhostPerBatchCycles: 1000,
  // [INF] an empty poll is one cached load of the ring index and a move in the poll list: order 10^2 cycles.
  emptyPollCycles: 150,
  // [INF] a loop iteration without work: work-list check, need_resched, counter updates.
  workerLoopCycles: 50,
  // [CODE] vhost.c max_processed_data_limit default 524,288 B (VHOST_MAX_NET_WEIGHT 0x80000).
  visitMaxBytes: 524_288,
  // [CODE] vhost.c min_processed_data_limit default 1,500 B.
  visitMinBytes: 1500,

  // [CODE] QEMU virtio-net default rx_queue_size / tx_queue_size = 256.
  ringSize: 256,
  // [INF] virtio-net mergeable RX buffers are page-sized or smaller (EWMA-sized); one 4 KiB buffer each.
  rxBufferBytes: 4096,
  // [INF] Linux TCP/IP + virtio-net per-packet costs of a few µs: ≈ 2,500 cycles to send, ≈ 3,000 to
  // receive (RX also wakes the socket's reader).
  guestTxPerPacketCycles: 2500,
  guestRxPerPacketCycles: 3000,
  // [INF] UDP skips TCP's state machine, timers and ACK bookkeeping: ≈ 80 % of TCP's per-packet cost.
  guestUdpFactor: 0.8,
  // [INF] same copy bandwidth as the host (0.25 cycles/B).
  guestPerByteCycles: 0.25,
  // [INF] virtio-net interrupt entry + napi_schedule ≈ 0.5 µs.
  guestIrqCycles: 1000,
  // [CODE] Linux NAPI_POLL_WEIGHT = 64 (virtio-net napi_weight).
  napiWeight: 64,
  // [INF] one send()/recv() round through the syscall layer and the application loop ≈ 1,000 cycles.
  guestSyscallCycles: 1000,

  // [CODE] GSO_MAX_SIZE 65,536 B: TSO on the guest side and GRO on the host side build 64 KiB segments.
  tsoBytes: 65_536,
  // [INF] 1,500 B MTU: MSS 1,448 B with TCP timestamps; per frame 52 B TCP/IP headers + 38 B Ethernet
  // (preamble, header, FCS, inter-frame gap) → 9.41 Gbit/s TCP goodput at 10 Gbit/s line rate.
  mssBytes: 1448,
  frameOverheadBytes: 90,
  // [INF] 10 GbE NIC + one switch hop ≈ 5 µs one way; with the remote's turnaround this gives a
  // bare-metal-like netperf TCP_RR round trip of ≈ 25–30 µs.
  wireLatencyNs: 5000,
  // [INF] the remote load generator is bare metal on its own host: ≈ 10 µs from receive to next send.
  remoteTurnaroundNs: 10_000,
  // [INF] 66 B ACK frames (Ethernet + IP + TCP with timestamps).
  ackBytes: 66,

  // [CODE] Linux include/uapi/linux/virtio_net.h + drivers/vhost/net.c vhost_net_set_features: the header is
  // sizeof(struct virtio_net_hdr_mrg_rxbuf) = 12 B when VIRTIO_NET_F_MRG_RXBUF is negotiated (QEMU's
  // virtio-net default mrg_rxbuf=on), else 10 B. handle_tx/handle_rx count it in each chain's length.
  vnetHdrBytes: 12,
  // [CODE] IEEE 802.3 header 14 B (no VLAN tag), IPv4 without options 20 B (RFC 791), TCP 20 B + 12 B for
  // the timestamp option (RFC 7323; Linux net.ipv4.tcp_timestamps defaults to 1), UDP 8 B (RFC 768).
  ethHdrBytes: 14,
  ipv4HdrBytes: 20,
  tcpHdrBytes: 32,
  udpHdrBytes: 8,

  // [INF] kthread_create + pinning ≈ 100 µs.
  workerCreateCycles: 220_000,
  // [CAL] SidecoreM (E. Moscovici, Technion M.Sc. thesis MSC-2017-09, abstract): a configuration change costs "a few milliseconds"; with
  // devices moved one at a time, 0.3 ms per device gives ≈ 2 ms for 7 devices (IOcm moves all 7 on every
  // change, docs/model.md §9). No published per-move figure was found (the kernel's device_move_total
  // counter has no published values), so this stays uncertain by the factor "a few" allows.
  deviceMoveNs: 300_000,
  // [INF] detach/attach control works: list manipulation + page pin/kmap of the polled rings ≈ 10 µs.
  deviceMoveWorkCycles: 22_000,
  // [PUB] SidecoreM (Moscovici, Technion MSC-2017-09, abstract): the manager's overhead is 2.8 ms of CPU
  // per second (a 2016 seminar abstract of the same work gives 0.28 ms/s; the thesis figure, the
  // conservative end, is used). IOcm samples every 0.1 s [CODE dynamic-io-manager's generated
  // configuration, `interval` 0.1] and pins itself to core 0 (`taskset -cp 0` in io_manager.py [CODE]):
  // 2.8 ms/s × 0.1 s = 280 µs per sample on core 0.
  managerCpuNsPerSample: 280_000,
  managerSampleNs: 100_000_000,
  // [INF] the same L1/L2 refill as a migrated vCPU (`migrationCycles`, ≈ 10 µs): the interrupt handler,
  // the NIC driver's data and the ring descriptors are cold on the new core (irq_set_affinity itself is a
  // register write).
  irqMoveCycles: 22_000,
});

/** Guest application cycles per operation of each workload: with the scenario format, see there. */
export { DEFAULT_APP_CYCLES } from '../scenarios/app-cycles.js';
