/**
 * The SideCore observation: the statistics the IOcm manager computes each epoch from its counters
 * (`docs/iocm-policy.md` §2), in their intended units (no ÷2.5 or jiffies slips), then the
 * action mask. With `history` h > 1 the last h frames of statistics are stacked, oldest first
 * (zeros before the first epoch); the mask appears once, for the current state.
 *
 * Frame layout (8 values): empty (idle I/O capacity, cores), effectiveIoRatio (cores of vhost work),
 * overallIoRatio (cores of vhost-thread CPU time), vmIdle (idle VM cores), avgPacketKiB (handled bytes
 * per packet, KiB), bytesPerCycle (IOcm's objective), ioCores, sideCoreMode (0/1).
 */
import type { EpochCounters } from '../sim/counters.js';

export const FRAME_FIELDS = ['empty', 'effectiveIoRatio', 'overallIoRatio', 'vmIdle', 'avgPacketKiB', 'bytesPerCycle', 'ioCores', 'sideCoreMode'] as const;
export const FRAME_SIZE = FRAME_FIELDS.length;

/** Writes the statistics of one epoch's counters into `out` at `offset`. */
export function writeFrame(c: EpochCounters, out: Float32Array, offset: number): void {
  const C = c.tscCycles > 0 ? c.tscCycles : 1;
  const T = c.wallNs > 0 ? c.wallNs : 1;
  let idle = 0;
  for (const v of c.vmCoreIdleNs) idle += v;
  out[offset] = Math.max(0, c.workerThreads * C - c.workerWorkCycles) / C;
  out[offset + 1] = c.workerWorkCycles / C;
  out[offset + 2] = c.vhostCpuNs / T;
  out[offset + 3] = idle / T;
  out[offset + 4] = c.handledPackets > 0 ? c.handledBytes / c.handledPackets / 1024 : 0;
  out[offset + 5] = c.vqBytes / C;
  out[offset + 6] = c.ioCores;
  out[offset + 7] = c.ioCores > 0 ? 1 : 0;
}

/** Upper bounds of one frame for a host of `cores` cores, `vms` VMs and `maxIoCores` I/O cores. */
export function frameHigh(cores: number, vms: number, maxIoCores: number): number[] {
  const c = Math.max(cores, vms) + 1;
  return [c, c, c, c, 1024, 1000, maxIoCores, 1];
}
