/**
 * Env specs for the experiment tools: building a spec from an id and kwargs (validated, so a bad
 * scenario or option is a one-line UsageError before any work starts), switching the action mode to the
 * one an agent acts in, and expanding scenario arguments (names, paths, shipped and generated families).
 */
import '../env/index.js';
import { EnvSpec, make, type EnvKwargs, type EnvSpecJSON } from '../env/core/registry.js';
import { existsSync } from 'node:fs';
import { ScenarioError, listScenarios } from '../env/sim/scenario.js';
import { expandFamilyEntry } from '../env/scenarios/generator.js';
import { UsageError } from './errors.js';

export const DEFAULT_ENV_ID = 'SideCore-v1';

/**
 * Builds (and closes) the env to validate the kwargs, and resets it once so that options that only
 * bite at reset (an unavailable fidelity tier) fail here; returns the spec `make` recorded.
 */
export function envSpecFor(id: string, kwargs: EnvKwargs = {}): EnvSpecJSON {
  let env;
  try {
    env = make(id, kwargs);
    env.reset({ seed: 0 });
  } catch (e) {
    env?.close();
    throw new UsageError((e as Error).message.split('\n')[0] ?? String(e));
  }
  const spec = env.spec;
  env.close();
  if (!spec) throw new Error(`${id}: make recorded no spec`);
  return spec.toJSON();
}

/**
 * Whether the env class an entry point builds has action modes: a property of the class, not of the
 * kwargs, so it is found out once per entry point (a sweep asks once per job, and building an env to
 * look costs as much as a short fast-tier episode's set-up).
 */
const actionModesOf = new WeakMap<EnvSpec['entryPoint'], boolean>();

/** Whether the env of a spec has SideCore-style action modes (delta/absolute). */
export function hasActionModes(spec: EnvSpecJSON): boolean {
  if ('actionMode' in spec.kwargs) return true;
  const full = EnvSpec.fromJSON(spec);
  const known = actionModesOf.get(full.entryPoint);
  if (known !== undefined) return known;
  const env = make(full);
  try {
    const has = typeof (env.unwrapped as unknown as { actionMode?: unknown }).actionMode === 'string';
    actionModesOf.set(full.entryPoint, has);
    return has;
  } finally {
    env.close();
  }
}

/** The spec with `actionMode` set (for envs that have action modes; others are returned unchanged). */
export function withActionMode(spec: EnvSpecJSON, mode: 'delta' | 'absolute'): EnvSpecJSON {
  if (!hasActionModes(spec)) return spec;
  return { ...spec, kwargs: { ...spec.kwargs, actionMode: mode } };
}

/**
 * Expands a list of scenario arguments: a shipped name, a path to a JSON file, `all` (every shipped
 * scenario), a shipped family given as a name prefix ending in `*` (e.g. `elvis-rr-*`), or a generated
 * family (`env/scenarios/generator.ts`): `train` / `heldout` (their first 50 / 10 members), a member
 * `train:17`, or a range `heldout:0-9`. The one expansion used by every command and sweep config; a
 * malformed entry (`heldout:-1`, `train:abc`, `nofamily:3`) is a one-line UsageError.
 */
export function expandScenarios(args: readonly string[]): string[] {
  const shipped = listScenarios();
  const out: string[] = [];
  for (const raw of args) {
    const a = raw.trim();
    if (a === '') continue;
    let generated: string[] | null;
    try {
      generated = expandFamilyEntry(a);
    } catch (e) {
      // `<word>:<rest>` that is no family member may still be a file of the user's.
      if (!(e instanceof ScenarioError) || existsSync(a)) generated = null;
      else throw new UsageError(e.message);
    }
    if (generated) out.push(...generated);
    else if (a === 'all') out.push(...shipped);
    else if (a.endsWith('*')) {
      const m = shipped.filter((s) => s.startsWith(a.slice(0, -1)));
      if (m.length === 0) throw new UsageError(`scenario family ${JSON.stringify(a)} matches no shipped scenario (shipped: ${shipped.join(', ')})`);
      out.push(...m);
    } else out.push(a);
  }
  if (out.length === 0) throw new UsageError('no scenario given');
  return [...new Set(out)];
}

/** Splits a comma-separated CLI list. */
export function splitList(v: string | string[] | undefined): string[] {
  const xs = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return xs.flatMap((x) => String(x).split(',')).map((x) => x.trim()).filter((x) => x !== '');
}

/**
 * Splits a comma-separated list of agent specs, keeping a spec's own parameters together:
 * `iocm:minIoCores=1,maxIoCores=3,static:2` → [`iocm:minIoCores=1,maxIoCores=3`, `static:2`] (an item
 * `<name>=<value>` continues the spec before it).
 */
export function splitAgentSpecs(v: string | string[] | undefined): string[] {
  const out: string[] = [];
  for (const item of splitList(v)) {
    if (out.length > 0 && /^[A-Za-z_][\w.]*=/.test(item) && out[out.length - 1]!.includes(':')) out[out.length - 1] += `,${item}`;
    else out.push(item);
  }
  return out;
}
