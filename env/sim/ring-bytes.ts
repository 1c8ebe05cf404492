/**
 * The bytes vhost-net counts for a message: the length of each descriptor chain it handles, which is
 * the virtio-net header plus the whole Ethernet frame (or GSO super-frame) — not the application
 * payload the simulator's messages carry. IOcm's byte counters (`handled_bytes`, `notif_bytes`,
 * `poll_bytes`) and its average bytes per packet are built from these lengths (docs/model.md §10),
 * while goodput metrics keep payload bytes. Shared by both tiers so that they count alike.
 */
import type { Costs } from './costs.js';

type HeaderCosts = Pick<Costs, 'vnetHdrBytes' | 'ethHdrBytes' | 'ipv4HdrBytes' | 'tcpHdrBytes' | 'udpHdrBytes'>;

/** Bytes a chain carries on top of its payload: virtio-net + Ethernet + IPv4 + TCP (or UDP) headers. */
export function chainHeaderBytes(k: HeaderCosts, udp: boolean): number {
  return k.vnetHdrBytes + k.ethHdrBytes + k.ipv4HdrBytes + (udp ? k.udpHdrBytes : k.tcpHdrBytes);
}

/**
 * Chain bytes of a message of `payloadBytes` split into `packets` chains. A pure ACK message's bytes
 * are already whole frames (`ackBytes` each), so only the virtio-net header is added to each of them.
 */
export function ringBytes(k: HeaderCosts, payloadBytes: number, packets: number, udp: boolean, frames: boolean): number {
  return payloadBytes + packets * (frames ? k.vnetHdrBytes : chainHeaderBytes(k, udp));
}
