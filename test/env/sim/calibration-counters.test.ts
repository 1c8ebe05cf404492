/**
 * Calibration of IOcm's byte and packet counters on both tiers (docs/model.md §10): vhost-net counts
 * each descriptor chain's length, the virtio-net header plus the whole frame. Expected values are hand
 * computations from the header sizes (12 B virtio-net, 14 B Ethernet, 20 B IPv4, 32 B TCP with
 * timestamps, 8 B UDP), not the simulator's output.
 */
import { describe, it, expect } from '@jest/globals';
import { HostSim } from '../../../env/sim/host.js';
import { FluidHost } from '../../../env/fluid/host.js';
import { createIocmAgent } from '../../../agents/iocm/index.js';
import { make } from '../../../env/index.js';

/** 7 single-vCPU VMs on 8 cores, 1-byte request/response with `outstanding` transactions in flight. */
function rr(type: 'tcp_rr' | 'udp_rr', outstanding: number, durationS = 0.3): object {
  return {
    name: `${type}-${outstanding}`,
    host: { cores: 8, ghz: 2.2, nics: 1, exitlessInterrupts: true, maxIoCores: 4 },
    vms: 7,
    phases: [{ name: 'rr', durationS, workload: { type, requestBytes: 1, responseBytes: 1, outstanding } }],
  };
}

type Host = HostSim | FluidHost;
const tiers: [string, (s: object) => Host][] = [
  ['detailed', (s) => new HostSim(s, { seed: 1, ioCores: 1 })],
  ['fast', (s) => new FluidHost(s, { seed: 1, ioCores: 1 })],
];

/** The second 100 ms epoch (after a 100 ms warm-up). */
function epoch(h: Host) {
  h.advance(1e8);
  h.readEpoch();
  h.advance(1e8);
  return h.readEpoch();
}

describe.each(tiers)('IOcm counters count chain bytes (%s tier)', (_tier, host) => {
  it('1-byte TCP_RR: (1 + 78) B per chain, so 79 B per packet and 158 B per transaction', () => {
    const { counters: c, metrics: m } = epoch(host(rr('tcp_rr', 1)));
    expect(c.handledBytes / c.handledPackets).toBeCloseTo(79, 6);
    expect(c.vqBytes).toBe(c.handledBytes);
    // chains handled in the epoch vs transactions completed in it: equal up to those in flight at its ends (7 VMs)
    const tx = m.transactionsPerSec * 0.1;
    expect(Math.abs(c.handledBytes / 158 - tx)).toBeLessThanOrEqual(7);
    // goodput keeps payload bytes: 2 B per transaction
    expect(Math.abs((m.throughputGbps * 1e9) / 8 / (2 * m.transactionsPerSec) - 1)).toBeLessThan(0.01);
  });

  it('1-byte UDP_RR: (1 + 54) B per chain', () => {
    const { counters: c } = epoch(host(rr('udp_rr', 1)));
    expect(c.handledBytes / c.handledPackets).toBeCloseTo(55, 6);
  });
});

describe('IOcm under burst request/response load (the add it used to reject)', () => {
  it('with chain bytes, bytes/cycle at one I/O core is far above the trial margin of 0.01', () => {
    // 538 K tx/s × 158 B / 2.2e9 cycles/s ≈ 0.039 B/cycle: doubling tx/s raises bpc by ≈ 0.039 > 0.01.
    const { counters: c } = epoch(new FluidHost(rr('tcp_rr', 16), { seed: 1, ioCores: 1 }));
    const bpc = c.vqBytes / c.tscCycles;
    expect(bpc).toBeGreaterThan(0.02);
  });

  it('on a burst TCP_RR phase (16 in flight per VM) IOcm accepts adds and ends above one I/O core (fast tier)', () => {
    const env = make<unknown, number>('SideCore-v1', { scenario: rr('tcp_rr', 16, 10), fidelity: 'fast', actionMode: 'absolute' });
    const agent = createIocmAgent();
    let { obs, info } = env.reset({ seed: 0 });
    let io = 0;
    for (let i = 0; i < 100; i++) {
      ({ obs, info } = env.step(agent.act(obs, info)));
      io = info.ioCores as number;
    }
    expect(io).toBeGreaterThanOrEqual(2);
  });
});

describe.each(tiers)('per-VM exits and CPU (%s tier)', (_tier, host) => {
  it('per-VM exits by reason add up to the host-wide ones, and per-VM vCPU time to the VM cores\' use', () => {
    const s = { ...rr('tcp_rr', 1), host: { cores: 8, ghz: 2.2, nics: 1, exitlessInterrupts: false, maxIoCores: 4 } };
    const h = host(s);
    h.setIoCores(0); // baseline: kicks, injections, EOIs and HLTs all occur
    const { metrics: m } = epoch(h);
    for (const k of ['io_kick', 'irq_injection', 'eoi', 'hlt']) {
      const sum = m.perVm.reduce((a, p) => a + p.exitsByReason![k]!, 0);
      expect([k, Math.abs(sum - m.exitsByReason[k]!) <= 1e-9 * Math.max(1, m.exitsByReason[k]!)]).toEqual([k, true]);
    }
    expect(m.exitsByReason.io_kick).toBeGreaterThan(0);
    const cpu = m.perVm.reduce((a, p) => a + p.cpuCores!, 0);
    expect(cpu).toBeCloseTo(m.cpu.vm, 9);
  });
});
