/**
 * Scenario families: a seeded generator of random phased scenarios in two disjoint families, `train`
 * and `heldout`, named `train:<i>` / `heldout:<i>` wherever a scenario name is accepted
 * (`loadScenario`, `make('SideCore-v1', {scenario})`, `--scenario`, `--scenarios` lists).
 *
 * Member i of a family is drawn by a PCG64 `Rng` seeded from a SHA-256 of (generator version, family,
 * i), so a name always means the same scenario. See `env/scenarios/README.md` for the ranges.
 *
 * The split is compositional: four *held-out pairs* of workload types (`HELDOUT_PAIRS`) never run at
 * the same time (in one phase, on two VMs) in a `train` member; every `heldout` member has at least one
 * phase that co-locates a held-out pair. Every workload type, and every other pair of types, is seen in
 * training, and each held-out pair has a "sibling" pair in training with one side swapped for its
 * sibling type (TX↔RX, TCP_RR↔UDP_RR), so `heldout` tests generalisation to new co-locations of known
 * workloads. The property is checkable on any scenario: `heldoutPairsIn(s)` (empty for every `train`
 * member, non-empty for every `heldout` member).
 */
import { createHash } from 'node:crypto';
import { Rng } from '../core/rng.js';
import { ScenarioError, type Scenario, type WorkloadSpec, type WorkloadType } from './schema.js';

/** Bumped whenever a change would make a member name mean a different scenario. */
export const GENERATOR_VERSION = 1;

export const FAMILIES = ['train', 'heldout'] as const;
export type Family = (typeof FAMILIES)[number];

/** How many members a bare family name (`--scenarios train`) expands to: `train:0-49`, `heldout:0-9`. */
export const FAMILY_DEFAULT_SIZE: Readonly<Record<Family, number>> = { train: 50, heldout: 10 };

/** Largest member index. */
export const MAX_INDEX = 2 ** 31 - 1;
/** Largest number of members one range (`train:a-b`) may name. */
export const MAX_RANGE = 10_000;

/** Workload types that do something (idle VMs take part in no pair). */
export const ACTIVE_TYPES = ['tcp_stream_tx', 'tcp_stream_rx', 'tcp_rr', 'udp_rr', 'memcached', 'apache', 'cpu'] as const satisfies readonly WorkloadType[];
type ActiveType = (typeof ACTIVE_TYPES)[number];
type GenType = ActiveType | 'idle';

/**
 * Pairs of workload types that run together (in one phase) only in the `heldout` family. Each has a
 * sibling pair in `train` (in brackets): stream TX + memcached (RX + memcached), stream RX + Apache
 * (TX + Apache), UDP_RR + CPU-bound (TCP_RR + CPU-bound), TCP_RR + memcached (UDP_RR + memcached).
 */
export const HELDOUT_PAIRS: readonly (readonly [ActiveType, ActiveType])[] = [
  ['tcp_stream_tx', 'memcached'],
  ['tcp_stream_rx', 'apache'],
  ['udp_rr', 'cpu'],
  ['tcp_rr', 'memcached'],
];

function isHeldoutPair(a: string, b: string): boolean {
  return HELDOUT_PAIRS.some(([x, y]) => (a === x && b === y) || (a === y && b === x));
}

/**
 * The held-out pairs a scenario co-locates, phase by phase (any scenario, generated or not). Empty
 * for every `train` member; non-empty for every `heldout` member.
 */
export function heldoutPairsIn(s: Scenario): { phase: number; pair: readonly [string, string] }[] {
  const out: { phase: number; pair: readonly [string, string] }[] = [];
  s.phases.forEach((p, i) => {
    const types = new Set(p.workloads.map((w) => w.type));
    for (const pair of HELDOUT_PAIRS) if (types.has(pair[0]) && types.has(pair[1])) out.push({ phase: i, pair });
  });
  return out;
}

/** Which family's rule a scenario satisfies: `heldout` if it co-locates a held-out pair, else `train`. */
export function familyOf(s: Scenario): Family {
  return heldoutPairsIn(s).length > 0 ? 'heldout' : 'train';
}

// ---------------------------------------------------------------------------------------------------
// Drawing

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.integers(0, xs.length)]!;

/** Parameters of one workload, in the ranges of the shipped ELVIS scenarios and their tools' options. */
function drawWorkload(rng: Rng, type: GenType): WorkloadSpec {
  // Closed loop (outstanding transactions) 70 % of the time, open loop (Poisson rate) otherwise.
  const load = (outstanding: readonly number[], rates: readonly number[]): { outstanding: number } | { ratePerSec: number } =>
    rng.random() < 0.7 ? { outstanding: pick(rng, outstanding) } : { ratePerSec: pick(rng, rates) };
  switch (type) {
    case 'idle':
      return { type };
    case 'cpu':
      return { type, ioRatePerSec: pick(rng, [0, 100, 500, 1000, 2000]) };
    case 'tcp_stream_tx':
    case 'tcp_stream_rx':
      // netperf -m message sizes; MTU-sized segments (TSO/GRO off, per-packet work dominates) or TSO.
      return { type, messageBytes: pick(rng, [1024, 4096, 16_384, 65_536]), segmentBytes: pick(rng, [1448, 65_536]) };
    case 'tcp_rr':
    case 'udp_rr':
      return {
        type, requestBytes: pick(rng, [1, 64, 512]), responseBytes: pick(rng, [1, 64, 512, 1024]),
        ...load([1, 1, 2, 4, 8], [500, 1000, 2000, 5000, 10_000, 20_000]),
      };
    case 'memcached':
      return {
        type, getRatio: pick(rng, [0.5, 0.8, 0.9, 0.9, 0.95, 1]), valueBytes: pick(rng, [64, 256, 1024, 1024, 4096, 16_384]),
        ...load([1, 2, 4, 8, 8, 16], [2000, 5000, 10_000, 20_000, 50_000]),
      };
    case 'apache':
      return { type, pageBytes: pick(rng, [1024, 4096, 4096, 16_384, 65_536]), ...load([1, 4, 8, 16, 16, 32], [500, 1000, 2000, 5000, 10_000]) };
  }
}

/** Types that may join a phase already running `chosen` without forming a held-out pair. */
function compatible(chosen: Iterable<GenType>): GenType[] {
  const c = [...chosen];
  return ACTIVE_TYPES.filter((t) => !c.some((u) => isHeldoutPair(t, u)));
}

interface PhaseSpec { name: string; durationS: number; workload: WorkloadSpec; perVm?: (WorkloadSpec | null)[] }

/**
 * One phase on `vms` VMs. `novel` (heldout only): the phase co-locates a held-out pair and the other VMs
 * are unconstrained; otherwise the phase co-locates no held-out pair. Kinds: `uniform` (every VM runs
 * one workload), `split` (two groups of VMs, two types) and `mixed` (each VM its own draw, idle
 * allowed).
 */
function drawPhase(rng: Rng, vms: number, durationS: number, novel: boolean): PhaseSpec {
  const u = rng.random();
  const kind = vms === 1 ? 'uniform' : novel ? (u < 0.5 ? 'split' : 'mixed') : u < 0.4 ? 'uniform' : u < 0.7 ? 'split' : 'mixed';
  if (kind === 'uniform') {
    const t: GenType = rng.random() < 0.05 ? 'idle' : pick(rng, ACTIVE_TYPES);
    return { name: t, durationS, workload: drawWorkload(rng, t) };
  }
  const perVm: WorkloadSpec[] = [];
  let name: string;
  if (kind === 'split') {
    let a: GenType, b: GenType;
    if (novel) [a, b] = pick(rng, HELDOUT_PAIRS);
    else {
      a = pick(rng, ACTIVE_TYPES);
      b = pick(rng, compatible([a]).filter((t) => t !== a));
    }
    if (rng.random() < 0.5) [a, b] = [b, a];
    const k = rng.integers(1, vms); // VMs 0..k-1 run a, the rest b
    const wa = drawWorkload(rng, a), wb = drawWorkload(rng, b);
    for (let v = 0; v < vms; v++) perVm.push(v < k ? wa : wb);
    name = `${a}+${b}`;
  } else {
    const types: GenType[] = new Array<GenType>(vms);
    if (novel) {
      const [a, b] = pick(rng, HELDOUT_PAIRS);
      const va = rng.integers(0, vms);
      let vb = rng.integers(0, vms - 1);
      if (vb >= va) vb++;
      types[va] = a; types[vb] = b;
      for (let v = 0; v < vms; v++) if (types[v] === undefined) types[v] = rng.random() < 0.1 ? 'idle' : pick(rng, ACTIVE_TYPES);
    } else {
      for (let v = 0; v < vms; v++) types[v] = rng.random() < 0.1 ? 'idle' : pick(rng, compatible(types.slice(0, v)));
    }
    for (const t of types) perVm.push(drawWorkload(rng, t));
    name = 'mixed';
  }
  // `workload` is VM 0's; perVm overrides the rest where they differ (VM 0 is written too, for clarity).
  return { name, durationS, workload: perVm[0]!, perVm };
}

function seedOf(family: Family, index: number): number {
  const h = createHash('sha256').update(`iocm-gym/scenario-generator@${GENERATOR_VERSION}/${family}/${index}`).digest();
  return h.readUIntBE(0, 6); // 48 bits: a safe integer
}

function checkMember(family: string, index: number): asserts family is Family {
  if (!(FAMILIES as readonly string[]).includes(family)) throw new ScenarioError(`scenario: unknown scenario family '${family}' (families: ${FAMILIES.join(', ')})`);
  if (!Number.isSafeInteger(index) || index < 0 || index > MAX_INDEX) {
    throw new ScenarioError(`scenario: ${family} index must be an integer in [0, ${MAX_INDEX}], got ${String(index)}`);
  }
}

/**
 * The scenario JSON of member `index` of a family (the format of `env/scenarios/*.json`; validated by
 * `loadScenario`). Deterministic: the same family and index give the same object.
 */
export function generateScenarioSpec(family: Family, index: number): Record<string, unknown> {
  checkMember(family, index);
  const rng = Rng.fromSeed(seedOf(family, index));
  // Host: the shipped default (8 cores, 2.2 GHz, up to 4 I/O cores), 1 or 2 NICs of 10 GbE.
  const nics = rng.random() < 0.5 ? 1 : 2;
  // VMs: 1–7 (heldout 2–7: a held-out pair needs two VMs); 1 vCPU, or 2 (as in `paper`) 30 % of the time.
  const nVms = rng.integers(family === 'heldout' ? 2 : 1, 8);
  const vcpus = rng.random() < 0.3 ? 2 : 1;
  // Phases: 3–8, each 5 s to min(30, ⌊150/n⌋) s (whole seconds), so the episode is ≤ 150 s and every
  // phase leaves IOcm (≈ 3–4 s per move) time to adapt.
  const nPhases = rng.integers(3, 9);
  const maxLen = Math.min(30, Math.floor(150 / nPhases));
  const durations = Array.from({ length: nPhases }, () => rng.integers(5, maxLen + 1));
  // Heldout: 1..⌈n/2⌉ phases (at random positions) co-locate a held-out pair; the others are drawn as in train.
  const novel = new Array<boolean>(nPhases).fill(false);
  if (family === 'heldout') {
    const k = rng.integers(1, Math.ceil(nPhases / 2) + 1);
    const order = Array.from({ length: nPhases }, (_, i) => i);
    for (let i = 0; i < k; i++) {
      const j = rng.integers(i, nPhases);
      [order[i], order[j]] = [order[j]!, order[i]!];
      novel[order[i]!] = true;
    }
  }
  const phases = durations.map((d, i) => drawPhase(rng, nVms, d, novel[i]!));
  phases.forEach((p, i) => { p.name = `p${i}-${p.name}`; });
  const total = durations.reduce((a, b) => a + b, 0);
  const name = `${family}:${index}`;
  return {
    name,
    description: `Generated scenario ${name} (generator v${GENERATOR_VERSION}; ${family === 'heldout' ? 'co-locates a held-out workload pair in at least one phase' : 'co-locates no held-out workload pair'}): ${nVms} VM${nVms > 1 ? 's' : ''} × ${vcpus} vCPU, ${nics} NIC${nics > 1 ? 's' : ''}, ${nPhases} phases, ${total} s.`,
    host: { cores: 8, ghz: 2.2, nics, nicGbps: 10, exitlessInterrupts: true, minIoCores: 0, maxIoCores: 4 },
    vms: vcpus === 1 ? nVms : Array.from({ length: nVms }, (_, i) => ({ name: `vm${i}`, vcpus })),
    phases,
  };
}

// ---------------------------------------------------------------------------------------------------
// Names

const FAMILY_SYNTAX = /^([A-Za-z][A-Za-z0-9_-]*):(.*)$/;

/** Whether `s` is a bare family name (`train`, `heldout`). */
export function isFamilyName(s: string): s is Family {
  return (FAMILIES as readonly string[]).includes(s);
}

function parseIndex(family: string, text: string, whole: string): number {
  if (!/^\d+$/.test(text) || Number(text) > MAX_INDEX) {
    throw new ScenarioError(`scenario '${whole}': the index must be an integer in [0, ${MAX_INDEX}] (e.g. ${family}:3)`);
  }
  return Number(text);
}

/**
 * Parses a member name `<family>:<index>`. Returns null when `name` does not have the `<word>:<rest>`
 * form; throws a one-line `ScenarioError` for an unknown family or a bad index.
 */
export function parseMemberName(name: string): { family: Family; index: number } | null {
  const m = FAMILY_SYNTAX.exec(name);
  if (!m) return null;
  const [, family, rest] = m as unknown as [string, string, string];
  if (!isFamilyName(family)) throw new ScenarioError(`scenario '${name}': unknown scenario family '${family}' (families: ${FAMILIES.join(', ')})`);
  if (/^\d+-\d+$/.test(rest)) throw new ScenarioError(`scenario '${name}' is a range of scenarios; name one member (e.g. ${family}:${rest.split('-')[0]}) or use the range in a --scenarios list`);
  return { family, index: parseIndex(family, rest, name) };
}

/**
 * Expands one list entry in the family syntax: `train` / `heldout` (the first `FAMILY_DEFAULT_SIZE`
 * members), `train:5` (one member) or `train:0-9` (a range, both ends included). Returns null when the
 * entry is not in that syntax (a shipped name or a path); throws a one-line `ScenarioError` when it
 * is but is malformed (`heldout:-1`, `train:abc`, `nofamily:3`, `train:9-0`).
 */
export function expandFamilyEntry(entry: string): string[] | null {
  if (isFamilyName(entry)) return Array.from({ length: FAMILY_DEFAULT_SIZE[entry] }, (_, i) => `${entry}:${i}`);
  const m = FAMILY_SYNTAX.exec(entry);
  if (!m) return null;
  const [, family, rest] = m as unknown as [string, string, string];
  const range = /^(\d+)-(\d+)$/.exec(rest);
  if (!range) {
    const p = parseMemberName(entry)!;
    return [`${p.family}:${p.index}`];
  }
  if (!isFamilyName(family)) throw new ScenarioError(`scenario '${entry}': unknown scenario family '${family}' (families: ${FAMILIES.join(', ')})`);
  const a = parseIndex(family, range[1]!, entry), b = parseIndex(family, range[2]!, entry);
  if (b < a) throw new ScenarioError(`scenario '${entry}': empty range (${b} < ${a})`);
  if (b - a + 1 > MAX_RANGE) throw new ScenarioError(`scenario '${entry}': a range may name at most ${MAX_RANGE} members`);
  return Array.from({ length: b - a + 1 }, (_, i) => `${family}:${a + i}`);
}
