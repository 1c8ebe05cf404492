/**
 * The scenario format: the zod schema of a scenario file, the normalised `Scenario` types, workload
 * defaults (`resolveWorkload`) and `normalise`, which validates an object into a `Scenario`. Loading by
 * name, file or family member is `scenario.ts`; the generated families are `generator.ts`.
 */
import * as z from 'zod';
import { DEFAULT_APP_CYCLES } from './app-cycles.js';

/**
 * What an idle guest vCPU does: 'hlt' — the Linux default idle loop halts, which exits to the host and
 * puts the vCPU thread to sleep until an interrupt; 'poll' — a guest booted with `idle=poll` spins in
 * its idle loop, never exits for idleness, and keeps its core busy (docs/model.md §4).
 */
export const GUEST_IDLE_MODES = ['hlt', 'poll'] as const;
export type GuestIdle = (typeof GUEST_IDLE_MODES)[number];

export const WORKLOAD_TYPES = ['idle', 'cpu', 'tcp_stream_tx', 'tcp_stream_rx', 'tcp_rr', 'udp_rr', 'memcached', 'apache'] as const;
export type WorkloadType = (typeof WORKLOAD_TYPES)[number];

const pos = (what: string) => z.number({ error: `${what} must be a number` }).positive({ error: `${what} must be > 0` });
const nonneg = (what: string) => z.number({ error: `${what} must be a number` }).nonnegative({ error: `${what} must be >= 0` });
const count = (what: string) => z.number().int({ error: `${what} must be an integer` }).min(1, { error: `${what} must be >= 1` });
/** Closed loop (outstanding) or open loop (ratePerSec, Poisson). */
const load = {
  outstanding: count('outstanding').max(1024).optional(),
  ratePerSec: pos('ratePerSec').optional(),
};

const stream = {
  messageBytes: pos('messageBytes').max(1 << 20).optional(),
  /** Largest segment the stacks build: 65,536 with TSO/GRO (default), 1,448 without (MTU-sized packets). */
  segmentBytes: z.number().int({ error: 'segmentBytes must be an integer' }).min(64, { error: 'segmentBytes must be in [64, 65536]' }).max(65_536, { error: 'segmentBytes must be in [64, 65536]' }).optional(),
  windowBytes: pos('windowBytes').optional(),
};

const WorkloadSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('idle') }),
  z.strictObject({
    type: z.literal('cpu'),
    /** Optional light I/O: open-loop 1-byte requests per second. */
    ioRatePerSec: nonneg('ioRatePerSec').optional(),
  }),
  z.strictObject({ type: z.literal('tcp_stream_tx'), ...stream }),
  z.strictObject({ type: z.literal('tcp_stream_rx'), ...stream }),
  z.strictObject({ type: z.literal('tcp_rr'), requestBytes: pos('requestBytes').max(1 << 20).optional(), responseBytes: pos('responseBytes').max(1 << 20).optional(), ...load }),
  z.strictObject({ type: z.literal('udp_rr'), requestBytes: pos('requestBytes').max(65_507).optional(), responseBytes: pos('responseBytes').max(65_507).optional(), ...load }),
  z.strictObject({
    type: z.literal('memcached'),
    getRatio: z.number().min(0, { error: 'getRatio must be in [0, 1]' }).max(1, { error: 'getRatio must be in [0, 1]' }).optional(),
    valueBytes: pos('valueBytes').max(1 << 20).optional(),
    keyBytes: pos('keyBytes').max(250).optional(),
    guestCyclesPerOp: nonneg('guestCyclesPerOp').optional(),
    ...load,
  }),
  z.strictObject({
    type: z.literal('apache'),
    pageBytes: pos('pageBytes').max(1 << 24).optional(),
    guestCyclesPerRequest: nonneg('guestCyclesPerRequest').optional(),
    ...load,
  }),
], { error: (iss) => (iss.code === 'invalid_union' ? `unknown workload type ${JSON.stringify((iss.input as { type?: unknown } | undefined)?.type)} (expected one of ${WORKLOAD_TYPES.join(', ')})` : undefined) });

const HostSchema = z.strictObject({
  cores: z.number().int({ error: 'cores must be an integer' }).min(2, { error: 'cores must be in [2, 64]' }).max(64, { error: 'cores must be in [2, 64]' }).default(8),
  ghz: z.number().min(0.5, { error: 'ghz must be in [0.5, 6]' }).max(6, { error: 'ghz must be in [0.5, 6]' }).default(2.2),
  nics: z.number().int().min(1, { error: 'nics must be 1 or 2' }).max(2, { error: 'nics must be 1 or 2' }).default(1),
  nicGbps: pos('nicGbps').max(400).default(10),
  exitlessInterrupts: z.boolean({ error: 'exitlessInterrupts must be true or false' }).default(true),
  minIoCores: z.number().int().min(0, { error: 'minIoCores must be >= 0' }).default(0),
  // default min(4, cores − 1), filled in by loadScenario: IOcm's own default maximum is 4, and a host
  // must keep one VM core (so a 4-core host gets 3)
  maxIoCores: z.number().int().min(0, { error: 'maxIoCores must be >= 0' }).optional(),
  guestIdle: z.enum(GUEST_IDLE_MODES, { error: `guestIdle must be one of ${GUEST_IDLE_MODES.join(', ')}` }).optional(),
});

const VmSchema = z.strictObject({
  name: z.string().optional(),
  vcpus: z.number().int().min(1, { error: 'vcpus must be in [1, 8]' }).max(8, { error: 'vcpus must be in [1, 8]' }).default(1),
});

const PhaseSchema = z.strictObject({
  name: z.string().optional(),
  durationS: z.number({ error: 'durationS is required and must be a number' }).positive({ error: 'durationS must be > 0' }),
  workload: WorkloadSchema,
  perVm: z.array(WorkloadSchema.nullable()).optional(),
});

const ScenarioSchema = z.strictObject({
  name: z.string({ error: 'name is required' }).min(1),
  description: z.string().optional(),
  host: HostSchema.default({ cores: 8, ghz: 2.2, nics: 1, nicGbps: 10, exitlessInterrupts: true, minIoCores: 0 }),
  vms: z.union([count('vms').max(256), z.array(VmSchema).min(1, { error: 'vms must not be empty' })], { error: 'vms must be a VM count or a list of VMs' }),
  phases: z.array(PhaseSchema, { error: 'phases is required and must be a list' }).min(1, { error: 'phases must not be empty' }),
});

export type WorkloadSpec = z.infer<typeof WorkloadSchema>;

/** A workload with every parameter resolved. */
export interface Workload {
  type: WorkloadType;
  /** Transactional: bytes of a request / a response (memcached: GET request and response). */
  requestBytes: number;
  responseBytes: number;
  /** memcached: fraction of GETs; SETs carry the value in the request and get an 8-byte reply. */
  getRatio: number;
  valueBytes: number;
  keyBytes: number;
  /** Guest application cycles per transaction (on top of syscalls and the network stack). */
  appCycles: number;
  /** Closed loop: transactions in flight per VM (0 = open loop). */
  outstanding: number;
  /** Open loop: Poisson arrival rate per VM (0 = closed loop). */
  ratePerSec: number;
  /** Streams: application message size (send/recv call size) and TCP window. */
  messageBytes: number;
  windowBytes: number;
  /** Streams: bytes per segment inside the host (TSO/GRO size or MTU payload). */
  segmentBytes: number;
  /** CPU-bound: the vCPUs always have compute work. */
  cpuBound: boolean;
}

export interface Phase {
  name: string;
  durationS: number;
  /** One workload per VM. */
  workloads: Workload[];
}

export interface Scenario {
  name: string;
  description: string;
  host: {
    cores: number; ghz: number; nics: number; nicGbps: number; exitlessInterrupts: boolean; minIoCores: number; maxIoCores: number;
    /** What an idle vCPU does: HLT (exit, the vCPU thread sleeps) or spin in the guest (idle=poll). Absent = 'hlt'. */
    guestIdle?: GuestIdle;
  };
  vms: { name: string; vcpus: number }[];
  phases: Phase[];
  /** Σ phase durations, s. */
  durationS: number;
}

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

/*
 * Why the normalised objects are built with NaN placeholders and their arrays by `push`: V8 gives
 * objects of one literal one hidden class, and a numeric field of it holds small integers until a
 * fraction is stored, when the class is replaced and all code optimised for the old one is thrown away
 * and compiled again; an array from `map` is now and then a holey one, with the same effect. Scenarios
 * differ in which fields hold integers (`host.ghz` 2 or 2.2, `getRatio` 0 or 0.9), so each worker of a
 * sweep recompiled the fast tier's hottest functions several times while warming up. A NaN first makes
 * the field a double from the first object on; the values are unchanged.
 */

/** Fills the defaults of one workload. */
export function resolveWorkload(w: WorkloadSpec): Workload {
  // NaN first: every numeric field is a double from the first workload on (see the note above)
  const base: Workload = {
    type: w.type, requestBytes: NaN, responseBytes: NaN, getRatio: NaN, valueBytes: NaN, keyBytes: NaN, appCycles: NaN,
    outstanding: NaN, ratePerSec: NaN, messageBytes: NaN, windowBytes: NaN, segmentBytes: NaN, cpuBound: false,
  };
  base.requestBytes = 0; base.responseBytes = 0; base.getRatio = 0; base.valueBytes = 0; base.keyBytes = 0; base.appCycles = 0;
  base.outstanding = 0; base.ratePerSec = 0; base.messageBytes = 0; base.windowBytes = 0; base.segmentBytes = 0;
  const loop = (x: { outstanding?: number | undefined; ratePerSec?: number | undefined }, dflt: number): void => {
    if (x.ratePerSec !== undefined && x.outstanding === undefined) base.ratePerSec = x.ratePerSec;
    else base.outstanding = x.outstanding ?? dflt;
  };
  switch (w.type) {
    case 'idle':
      break;
    case 'cpu':
      base.cpuBound = true;
      base.ratePerSec = w.ioRatePerSec ?? 0;
      base.requestBytes = 1; base.responseBytes = 1;
      break;
    case 'tcp_stream_tx':
    case 'tcp_stream_rx':
      // netperf default send size for TCP_STREAM is the socket buffer size; 16 KiB is a common -m value.
      base.messageBytes = w.messageBytes ?? 16_384;
      // [INF] Linux autotuned windows reach MBs; 1 MiB ≫ the ≈ 100 KiB bandwidth-delay product.
      base.windowBytes = w.windowBytes ?? 1 << 20;
      base.segmentBytes = w.segmentBytes ?? 65_536;
      if (base.windowBytes < 2 * base.segmentBytes) base.windowBytes = 2 * base.segmentBytes;
      break;
    case 'tcp_rr':
    case 'udp_rr':
      // netperf defaults: 1-byte request and response, one transaction in flight.
      base.requestBytes = w.requestBytes ?? 1; base.responseBytes = w.responseBytes ?? 1;
      base.appCycles = DEFAULT_APP_CYCLES.rr;
      loop(w, 1);
      break;
    case 'memcached':
      base.getRatio = w.getRatio ?? 0.9; // memslap's default get/set proportion 9:1
      base.valueBytes = w.valueBytes ?? 1024; // memslap default value length ≈ 1 KiB
      base.keyBytes = w.keyBytes ?? 64; // memslap default key length 64
      base.requestBytes = base.keyBytes + 30; // "get <key>\r\n" + framing
      base.responseBytes = base.valueBytes + base.keyBytes + 40; // VALUE line + data + END
      base.appCycles = w.guestCyclesPerOp ?? DEFAULT_APP_CYCLES.memcached;
      loop(w, 8); // memslap concurrency per VM
      break;
    case 'apache':
      base.requestBytes = 200; // GET line + headers
      base.responseBytes = (w.pageBytes ?? 4096) + 250; // page + HTTP headers
      base.appCycles = w.guestCyclesPerRequest ?? DEFAULT_APP_CYCLES.apache;
      loop(w, 16); // ab -c 16 per VM
      break;
  }
  return base;
}

function formatPath(path: readonly PropertyKey[]): string {
  let s = 'scenario';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : `.${String(p)}`;
  return s;
}

/** Validates a scenario object and normalises it (defaults filled in, workloads resolved). */
export function normalise(raw: unknown): Scenario {
  const r = ScenarioSchema.safeParse(raw);
  if (!r.success) {
    const iss = r.error.issues[0]!;
    const path = iss.path;
    if (iss.code === 'unrecognized_keys') {
      throw new ScenarioError(`${formatPath(path)}: unknown field(s) ${iss.keys.join(', ')}`);
    }
    // zod names a missing required key by its path; say so explicitly.
    let at: unknown = raw;
    for (const k of path) at = at !== null && typeof at === 'object' ? (at as Record<PropertyKey, unknown>)[k] : undefined;
    throw new ScenarioError(`${formatPath(path)}: ${at === undefined ? 'is required' : iss.message}`);
  }
  const s = r.data;
  const vms: Scenario['vms'] = [];
  if (typeof s.vms === 'number') for (let i = 0; i < s.vms; i++) vms.push({ name: `vm${i}`, vcpus: 1 });
  else s.vms.forEach((v, i) => vms.push({ name: v.name ?? `vm${i}`, vcpus: v.vcpus }));
  const h = { ...s.host, maxIoCores: s.host.maxIoCores ?? Math.min(4, s.host.cores - 1) };
  if (h.maxIoCores > h.cores - 1) {
    throw new ScenarioError(`scenario.host.maxIoCores: ${h.maxIoCores} I/O cores leave no VM core on a ${h.cores}-core host (at most ${h.cores - 1})`);
  }
  if (h.minIoCores > h.maxIoCores) throw new ScenarioError(`scenario.host.minIoCores: ${h.minIoCores} exceeds maxIoCores ${h.maxIoCores}`);
  const phases: Phase[] = s.phases.map((p, i) => {
    if (p.perVm && p.perVm.length > vms.length) {
      throw new ScenarioError(`scenario.phases[${i}].perVm: ${p.perVm.length} entries for ${vms.length} VMs`);
    }
    const both = (w: WorkloadSpec | null | undefined): boolean =>
      !!w && 'outstanding' in w && w.outstanding !== undefined && 'ratePerSec' in w && w.ratePerSec !== undefined;
    if (both(p.workload)) throw new ScenarioError(`scenario.phases[${i}].workload: give outstanding (closed loop) or ratePerSec (open loop), not both`);
    p.perVm?.forEach((w, v) => {
      if (both(w)) throw new ScenarioError(`scenario.phases[${i}].perVm[${v}]: give outstanding (closed loop) or ratePerSec (open loop), not both`);
    });
    const phase: Phase = { name: p.name ?? `phase${i}`, durationS: NaN, workloads: [] };
    phase.durationS = p.durationS;
    for (let v = 0; v < vms.length; v++) phase.workloads.push(resolveWorkload(p.perVm?.[v] ?? p.workload));
    return phase;
  });
  // the integer fields stay small integers (the schema says so); the others are doubles from the start
  const host: Scenario['host'] = { cores: h.cores, ghz: NaN, nics: h.nics, nicGbps: NaN, exitlessInterrupts: h.exitlessInterrupts, minIoCores: h.minIoCores, maxIoCores: h.maxIoCores };
  host.ghz = h.ghz; host.nicGbps = h.nicGbps;
  if (h.guestIdle !== undefined) host.guestIdle = h.guestIdle;
  const scenario: Scenario = { name: s.name, description: s.description ?? '', host, vms, phases, durationS: NaN };
  scenario.durationS = phases.reduce((a, p) => a + p.durationS, 0);
  return scenario;
}
