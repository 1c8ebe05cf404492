/**
 * Scenarios: the host, its VMs and a sequence of workload phases, as JSON. `loadScenario` accepts a
 * shipped name (`env/scenarios/<name>.json`), a generated family member (`train:<i>`, `heldout:<i>`,
 * `env/scenarios/generator.ts`), a path to a JSON file, or an object, validates it with zod
 * and returns a normalised `Scenario` (every default filled in, one workload per VM per phase).
 * Errors are one line and name the bad field, e.g. `scenario.phases[1].durationS: must be > 0`.
 *
 * Format (all sizes in bytes, durations in seconds):
 * ```json
 * { "name": "rr-7", "description": "...",
 *   "host": { "cores": 8, "ghz": 2.2, "nics": 1, "nicGbps": 10, "exitlessInterrupts": true,
 *             "minIoCores": 0, "maxIoCores": 4 },
 *   "vms": 7,                       // or [{ "name": "web", "vcpus": 1 }, ...]
 *   "phases": [ { "name": "rr", "durationS": 20,
 *                 "workload": { "type": "tcp_rr", "requestBytes": 1, "responseBytes": 1, "outstanding": 1 },
 *                 "perVm": [ null, { "type": "idle" } ] } ] }      // optional per-VM overrides
 * ```
 * Workload types: `idle`, `cpu`, `tcp_stream_tx`, `tcp_stream_rx`, `tcp_rr`, `udp_rr`, `memcached`,
 * `apache`. Transactional ones (rr, memcached, apache) run closed loop with `outstanding` transactions,
 * or open loop (Poisson arrivals) when `ratePerSec` is given.
 */
import { existsSync, readFileSync, readdirSync, statSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAMILIES, generateScenarioSpec, isFamilyName, parseMemberName, type Family } from './generator.js';
import { ScenarioError, normalise, type Scenario } from './schema.js';

export * from './schema.js';

let shippedDir: string | undefined;

/** Folder of the shipped scenarios, found from this module's location (works from sources and dist/). */
export function scenariosDir(): string {
  if (shippedDir) return shippedDir;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return (shippedDir = join(dir, 'env', 'scenarios'));
    const up = dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

/** Names of the shipped scenarios. */
export function listScenarios(): string[] {
  return readdirSync(scenariosDir()).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
}

/**
 * Scenarios loaded by name in this thread, shared by the envs built from them (which only read their
 * scenario): a sweep builds an env per job, and generating and validating the same scenario again
 * cost about a tenth of a fast-tier episode. A file is loaded again when its size or mtime changes.
 */
const byName = new Map<string, Scenario>();
const BY_NAME_MAX = 64;

function remembered(key: string, load: () => Scenario): Scenario {
  let s = byName.get(key);
  if (s === undefined) {
    s = load();
    if (byName.size >= BY_NAME_MAX) byName.delete(byName.keys().next().value!);
    byName.set(key, s);
  }
  return s;
}

/** A scenario already loaded and resolved (has phases with resolved workloads), not a name or a spec. */
export function isScenario(x: unknown): x is Scenario {
  return typeof x === 'object' && x !== null && Array.isArray((x as Scenario).phases) && (x as Scenario).phases.every((p) => Array.isArray(p.workloads));
}

/**
 * Loads and validates a scenario given by shipped name, generated family member (`train:17`,
 * `heldout:3`; see `env/scenarios/generator.ts`), file path or object. Throws `ScenarioError` (one
 * line, naming the field or the bad name) when it is invalid. A scenario loaded by name may be the
 * object an earlier call returned: treat it as read-only.
 */
export function loadScenario(src: string | object): Scenario {
  if (typeof src !== 'string') return normalise(src);
  // `train:<i>` / `heldout:<i>`: a member of a generated family (env/scenarios/generator.ts).
  let member: ReturnType<typeof parseMemberName> = null;
  let memberError: unknown;
  try {
    member = parseMemberName(src);
  } catch (e) {
    memberError = e;
  }
  if (member) {
    const { family, index } = member;
    return remembered(`${family}:${index}`, () => normalise(generateScenarioSpec(family, index)));
  }
  const named = join(scenariosDir(), `${src}.json`);
  const file = existsSync(named) && !src.includes('/') ? named : resolve(src);
  let st: Stats;
  try {
    st = statSync(file);
  } catch {
    if (memberError) throw memberError;
    if (isFamilyName(src)) throw new ScenarioError(`scenario '${src}' is a family of scenarios; name one member (e.g. ${src}:0) or use the family in a --scenarios list`);
    throw new ScenarioError(`scenario: no shipped scenario or file named '${src}' (shipped: ${listScenarios().join(', ')}; generated: ${FAMILIES.map((f) => `${f}:<i>`).join(', ')})`);
  }
  return remembered(`${file}\0${st.size}\0${st.mtimeMs}`, () => {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new ScenarioError(`scenario: ${file} is not valid JSON (${(e as Error).message.split('\n')[0]})`);
    }
    return normalise(raw);
  });
}

/** Member `index` of a family, validated and normalised (as `loadScenario('<family>:<index>')`). */
export function generateScenario(family: Family, index: number): Scenario {
  return normalise(generateScenarioSpec(family, index));
}

/**
 * The index of the phase that holds time `t`, given the phases' end times in the same unit
 * (cumulative: `ends[i]` is the end of phase i); the last phase at and after the scenario's end.
 */
export function phaseAt(ends: ArrayLike<number>, t: number): number {
  for (let i = 0; i < ends.length - 1; i++) if (t < ends[i]!) return i;
  return ends.length - 1;
}

/** The phases' end times in seconds from the start (cumulative durations), for `phaseAt`. */
export function phaseEnds(s: Scenario): number[] {
  let end = 0;
  return s.phases.map((p) => (end += p.durationS));
}
