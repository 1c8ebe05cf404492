/**
 * What vhost-net counts per descriptor chain (env/sim/ring-bytes.ts), against the header sizes of the
 * standards: virtio-net header with mergeable RX buffers 12 B, Ethernet 14 B, IPv4 20 B, TCP 20 B + 12 B
 * timestamp option, UDP 8 B.
 */
import { describe, it, expect } from '@jest/globals';
import { DEFAULT_COSTS } from '../../../env/sim/costs.js';
import { chainHeaderBytes, ringBytes } from '../../../env/sim/ring-bytes.js';

describe('ring bytes (what vhost counts per chain)', () => {
  it('a TCP chain carries 12 + 14 + 20 + 32 = 78 B of headers, a UDP chain 12 + 14 + 20 + 8 = 54 B', () => {
    expect(chainHeaderBytes(DEFAULT_COSTS, false)).toBe(78);
    expect(chainHeaderBytes(DEFAULT_COSTS, true)).toBe(54);
  });

  it('an MTU-sized TCP segment (1,448 B payload) is counted as 1,526 B; two of them as 3,052 B', () => {
    expect(ringBytes(DEFAULT_COSTS, 1448, 1, false, false)).toBe(1526);
    expect(ringBytes(DEFAULT_COSTS, 2896, 2, false, false)).toBe(3052);
  });

  it('pure ACK frames already hold their headers: only the virtio-net header is added (66 → 78 B)', () => {
    expect(ringBytes(DEFAULT_COSTS, 3 * 66, 3, false, true)).toBe(3 * 78);
  });

  it('the headers follow the cost table (a caller may override them)', () => {
    const k = { ...DEFAULT_COSTS, vnetHdrBytes: 10 }; // without VIRTIO_NET_F_MRG_RXBUF
    expect(chainHeaderBytes(k, true)).toBe(52);
  });
});
