/**
 * The source of every cost constant as data, so that a user can read the table in force without the
 * code (`iocm-gym costs`, `simulate --json`'s `costs`). The tags are those of `env/sim/costs.ts` and
 * docs/model.md (first paragraph); the text is the reason given beside each constant there, in short.
 * `Record<keyof Costs, …>` makes a constant without a source a compile error, and a test checks that the
 * tags agree with the comments in `costs.ts`.
 */
import { DEFAULT_COSTS, type Costs } from './costs.js';

/** [PUB] published by the authors, [3RD] a third-party summary, [CODE] source code, [INF] a modelling
 * assumption, [CAL] calibrated against a named published figure, [UNV] a source whose text was not read. */
export type SourceTag = 'PUB' | '3RD' | 'CODE' | 'INF' | 'CAL' | 'UNV';

export interface CostSource {
  /** The tag(s) of the constant, strongest first. */
  tags: readonly SourceTag[];
  /** The source or the reason for the value, one sentence or two. */
  source: string;
}

const src = (tags: SourceTag | readonly SourceTag[], source: string): CostSource => ({ tags: typeof tags === 'string' ? [tags] : tags, source });
const SCHED = 'Linux 3.18 kernel/sched/fair.c defaults (6 ms latency, 0.75 ms minimum granularity, 1 ms wake-up granularity), scaled by 1 + log2(min(CPUs, 8)) = 4';
const HDRS = 'IEEE 802.3 header 14 B (no VLAN tag), IPv4 without options 20 B (RFC 791), TCP 20 B + 12 B timestamp option (RFC 7323; Linux tcp_timestamps=1 by default), UDP 8 B (RFC 768)';

export const COST_SOURCES: Readonly<Record<keyof Costs, CostSource>> = Object.freeze({
  exitKickCycles: src('3RD', 'Dall et al., ATC 2017, Table 2: an exit handled in the host kernel ("I/O Kernel") costs 2,565 cycles round trip'),
  exitInjectCycles: src('3RD', 'Dall et al., ATC 2017: a virtual IPI (forced exit + injection) costs 3,102 cycles'),
  exitEoiCycles: src('3RD', 'Dall et al., ISCA 2016, Table II: virtual interrupt completion costs 1,556 cycles'),
  exitHltCycles: src('PUB', 'SplitX (Landau et al., WIOV 2011): the direct cost of an exit is about 2,000 cycles; HLT is a plain exit + schedule()'),
  exitIndirectCycles: src('CAL', 'SplitX: indirect costs can be an order of magnitude above the direct cost; set to 2x the direct cost, which keeps exitless interrupts within ELI\'s 1.3-1.6x and side-core vs baseline within ELVIS\'s 1.2-3x'),
  contextSwitchCycles: src(['3RD', 'PUB'], 'measured switches: thread about 1,070 ns, process about 2,410 ns on bare metal, 2,493 ns in a VM (docs/model.md section 2); vCPU <-> vhost switches change mm and VMCS: 3,000 cycles = 1.36 µs at 2.2 GHz'),
  contextSwitchIndirectCycles: src(['CAL', 'UNV'], 'Li, Ding and Shen, "Quantifying the cost of context switch" (ExpCS 2007): cache refill costs from a few µs upwards, growing with the working set; 2,500 cycles brings the baseline\'s many-VM stream and RR results into ELVIS\'s range'),
  idleWakeNs: src('INF', 'no published kick-to-vhost-running latency: the reschedule IPI to an idle core and leaving the idle loop into schedule(), about 1 µs; the idle state\'s own exit latency (cStates) comes on top'),
  cStates: src('CODE', 'Linux drivers/idle/intel_idle.c snb_cstates (Sandy Bridge, the E5-2600 Xeons of 2012-13 hosts): C1 2/2 µs, C1E 10/20, C3 80/211, C6 104/345, C7 109/345 (exit latency / target residency); POLL is the cpuidle polling state (0/0)'),
  schedLatencyNs: src('CODE', SCHED),
  schedMinGranularityNs: src('CODE', SCHED),
  schedWakeupGranularityNs: src('CODE', SCHED),
  migrationCycles: src('INF', 'refilling L1/L2 (about 256 KiB) after a vCPU moves to another core: about 10 µs'),
  vhostPerPacketCycles: src(['UNV', 'INF'], 'J. Wang\'s vhost_net TX figures give 320-820 cycles per packet for the bare vhost path to an XDP drop; the real path adds tap, bridge and the ixgbe driver: x3'),
  vhostPerByteCycles: src('INF', 'copy at about 9 GB/s per core (DDR3-era memcpy at 2.2 GHz, about 4 B/cycle) = 0.25 cycles/B'),
  vhostPerBatchCycles: src('INF', 'use_mm (mm switch) + virtqueue setup + one enable/disable-notify round per handler run: about 1,000 cycles'),
  emptyPollCycles: src('INF', 'an empty poll is one cached load of the ring index and a list move: of the order of 10^2 cycles'),
  workerLoopCycles: src('INF', 'a worker loop iteration without work: work-list check, need_resched, counter updates'),
  visitMaxBytes: src('CODE', 'IOcm kernel drivers/vhost/vhost.c max_processed_data_limit default 524,288 B (VHOST_MAX_NET_WEIGHT 0x80000)'),
  visitMinBytes: src('CODE', 'IOcm kernel drivers/vhost/vhost.c min_processed_data_limit default 1,500 B'),
  ringSize: src('CODE', 'QEMU virtio-net default rx_queue_size / tx_queue_size = 256'),
  rxBufferBytes: src('INF', 'virtio-net mergeable RX buffers are at most a page: one 4 KiB buffer each'),
  guestTxPerPacketCycles: src('INF', 'Linux TCP/IP + virtio-net send path: a few µs per packet, about 2,500 cycles'),
  guestRxPerPacketCycles: src('INF', 'Linux virtio-net + TCP/IP receive path, incl. waking the socket\'s reader: about 3,000 cycles'),
  guestPerByteCycles: src('INF', 'the same copy bandwidth as the host (0.25 cycles/B)'),
  guestUdpFactor: src('INF', 'UDP skips TCP\'s state machine, timers and ACK bookkeeping: about 80 % of TCP\'s per-packet cost'),
  guestIrqCycles: src('INF', 'virtio-net interrupt entry + napi_schedule: about 0.5 µs'),
  napiWeight: src('CODE', 'Linux NAPI_POLL_WEIGHT = 64 (virtio-net napi_weight)'),
  guestSyscallCycles: src('INF', 'one send()/recv() through the syscall layer and the application loop: about 1,000 cycles'),
  tsoBytes: src('CODE', 'Linux GSO_MAX_SIZE 65,536 B: guest TSO and host GRO build 64 KiB segments'),
  mssBytes: src('INF', '1,500 B MTU: MSS 1,448 B with TCP timestamps'),
  frameOverheadBytes: src('INF', 'per frame 52 B TCP/IP headers + 38 B Ethernet (preamble, header, FCS, inter-frame gap): 9.41 Gbit/s TCP goodput at 10 Gbit/s'),
  wireLatencyNs: src('INF', '10 GbE NIC + one switch hop: about 5 µs one way, which with the remote turnaround gives a bare-metal-like netperf TCP_RR round trip of 25-30 µs'),
  remoteTurnaroundNs: src('INF', 'the remote load generator runs bare metal on its own host: about 10 µs from receive to next send'),
  ackBytes: src('INF', '66 B ACK frames (Ethernet + IPv4 + TCP with timestamps)'),
  vnetHdrBytes: src('CODE', 'Linux include/uapi/linux/virtio_net.h and drivers/vhost/net.c vhost_net_set_features: sizeof(struct virtio_net_hdr_mrg_rxbuf) = 12 B with VIRTIO_NET_F_MRG_RXBUF (QEMU default mrg_rxbuf=on); handle_tx/handle_rx count it in each chain'),
  ethHdrBytes: src('CODE', HDRS),
  ipv4HdrBytes: src('CODE', HDRS),
  tcpHdrBytes: src('CODE', HDRS),
  udpHdrBytes: src('CODE', HDRS),
  workerCreateCycles: src('INF', 'kthread_create + pinning: about 100 µs'),
  deviceMoveNs: src('CAL', 'SidecoreM (Moscovici, Technion MSC-2017-09): a configuration change costs "a few milliseconds"; 0.3 ms per device moved one at a time gives about 2 ms for 7 devices (docs/model.md section 9); no published per-move figure'),
  deviceMoveWorkCycles: src('INF', 'detach/attach control works: list manipulation + page pin/kmap of the polled rings, about 10 µs'),
  managerCpuNsPerSample: src(['PUB', 'CODE'], 'SidecoreM (Moscovici, Technion MSC-2017-09, abstract): the manager costs 2.8 ms of CPU per second; IOcm samples every 0.1 s (dynamic-io-manager configuration `interval`) on core 0: 280 µs per sample'),
  managerSampleNs: src('CODE', 'IOcm\'s sampling interval 0.1 s (mikelangelo-project/dynamic-io-manager, generated configuration `interval`)'),
  irqMoveCycles: src('INF', 'the same L1/L2 refill as a migrated vCPU (migrationCycles, about 10 µs): handler, driver data and ring descriptors are cold on the new core'),
});

/** The numeric entries of the cost table (the idle-state table `cStates` is not a scalar). */
export type ScalarCost = { [K in keyof Costs]: Costs[K] extends number ? K : never }[keyof Costs];

/** Whether `k` names a numeric entry of the cost table (what a `costs` override may set). */
export function isScalarCost(k: string): k is ScalarCost {
  return Object.hasOwn(DEFAULT_COSTS, k) && typeof DEFAULT_COSTS[k as keyof Costs] === 'number';
}
