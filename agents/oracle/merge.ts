/**
 * The dynamic oracle with **state merging**: a breadth-first search over phases that keeps, for each
 * distinct env state reached at a phase boundary, only the best prefix that reaches it.
 *
 * Why it is exact: the env's future depends only on its state (the snapshot contract: a restored env
 * has a bit-identical future), so two prefixes that end in bit-identical snapshots have the same
 * continuation rewards for every suffix, and the one with the higher total wins for every suffix
 * (floating-point addition is monotone). States are compared by their exact byte serialisation (every
 * number by its IEEE-754 bits, so −0 ≠ 0 and NaN payloads count). On an exact tie of prefix totals the
 * lexicographically smallest prefix is kept, as the tree search would; only when two *different*
 * prefix totals round to the same final total can the chosen schedule differ from the tree search's,
 * and then its score is the same.
 *
 * When the env's states never coincide (the detailed tier: its RNG and event queue carry the past),
 * nothing merges; once a level would hold more than `maxFrontier` states the search continues as the
 * depth-first tree search with prefix sharing from each state of the level (`searchFrom`), so memory
 * stays bounded. On a tier whose state is a function of the configuration once transients have died
 * out, a level holds at most |C| states and the search costs about P·|C|² phase simulations instead of
 * |C| + … + |C|^P.
 */
import type { Env } from '../../env/core/env.js';
import { buildEnv, phaseRange, type OracleProblem } from './problem.js';
import type { SubtreeResult } from './search.js';

/** Exact serialisation of a snapshot (plain data + typed arrays) as a string key. */
export function stateKey(state: unknown): string {
  const parts: string[] = [];
  const f64 = new Float64Array(1);
  const u32 = new Uint32Array(f64.buffer);
  const num = (x: number): string => { f64[0] = x; return `${u32[0]!.toString(36)}.${u32[1]!.toString(36)}`; };
  const walk = (v: unknown): void => {
    if (v === null) { parts.push('n'); return; }
    switch (typeof v) {
      case 'number': parts.push('d' + num(v)); return;
      case 'string': parts.push('s' + JSON.stringify(v)); return;
      case 'boolean': parts.push(v ? 't' : 'f'); return;
      case 'undefined': parts.push('u'); return;
      case 'bigint': parts.push('b' + v.toString()); return;
      default: break;
    }
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const a = v as unknown as ArrayLike<number | bigint>;
      parts.push(`A${v.constructor.name}[${a.length}`);
      for (let i = 0; i < a.length; i++) parts.push(typeof a[i] === 'bigint' ? String(a[i]) : num(a[i] as number));
      parts.push(']');
      return;
    }
    if (Array.isArray(v)) {
      parts.push(`[${v.length}`);
      for (const x of v) walk(x);
      parts.push(']');
      return;
    }
    if (typeof v === 'object') {
      const o = v as Record<string, unknown>;
      const keys = Object.keys(o).sort();
      parts.push('{');
      for (const k of keys) { parts.push(JSON.stringify(k)); walk(o[k]); }
      parts.push('}');
      return;
    }
    throw new Error(`oracle: cannot compare states holding a ${typeof v}`);
  };
  walk(state);
  return parts.join(',');
}

/** A node of the search: a state at the start of phase `prefix.length`, and the best prefix reaching it. */
export interface FrontierNode {
  prefix: number[];
  total: number;
  state: unknown;
}

export interface ExpandResult {
  children: { config: number; total: number; state: unknown; key: string }[];
  steps: number;
}

function restoredEnv(pr: OracleProblem, state: unknown): Env<unknown, number> {
  const env = buildEnv(pr.envSpec);
  env.reset({ seed: pr.seed });
  if (!env.setState || !env.getState) throw new Error(`oracle: ${pr.envSpec.id} has no getState/setState`);
  env.setState(state);
  return env;
}

/** Runs phase `prefix.length` from a node's state with every configuration. */
export function expandNode(pr: OracleProblem, node: FrontierNode, withState: boolean): ExpandResult {
  const p = node.prefix.length;
  const [a, b] = phaseRange(pr, p);
  const env = restoredEnv(pr, node.state);
  try {
    const children: ExpandResult['children'] = [];
    pr.configs.forEach((c, i) => {
      if (i > 0) env.setState!(node.state);
      let t = node.total;
      for (let s = a; s < b; s++) t += env.step(c).reward;
      const state = withState ? env.getState!() : null;
      children.push({ config: c, total: t, state, key: withState ? stateKey(state) : '' });
    });
    return { children, steps: (b - a) * pr.configs.length };
  } finally {
    env.close();
  }
}

/** Depth-first tree search with prefix sharing below a node (the fallback of the merged search). */
export function searchFrom(pr: OracleProblem, node: FrontierNode): SubtreeResult {
  const P = pr.phaseStarts.length;
  const env = restoredEnv(pr, node.state);
  const res: SubtreeResult = { prefix: [...node.prefix], best: [], total: -Infinity, leaves: 0, phaseSims: 0, steps: 0, snapshots: 0, restores: 1 };
  try {
    const seq = [...node.prefix];
    const dfs = (p: number, t0: number): void => {
      if (p === P) {
        res.leaves++;
        if (t0 > res.total || res.best.length === 0) { res.total = t0; res.best = seq.slice(); }
        return;
      }
      const [a, b] = phaseRange(pr, p);
      const state = pr.configs.length > 1 ? env.getState!() : undefined;
      if (state !== undefined) res.snapshots++;
      for (let i = 0; i < pr.configs.length; i++) {
        if (i > 0) { env.setState!(state); res.restores++; }
        const c = pr.configs[i]!;
        seq[p] = c;
        let t = t0;
        for (let s = a; s < b; s++) t += env.step(c).reward;
        res.phaseSims++;
        res.steps += b - a;
        dfs(p + 1, t);
      }
      seq.length = p;
    };
    dfs(node.prefix.length, node.total);
    return res;
  } finally {
    env.close();
  }
}

/** Lexicographic comparison of two schedules of equal length. */
export function lexLess(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}
