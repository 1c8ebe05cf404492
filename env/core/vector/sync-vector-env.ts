/**
 * `SyncVectorEnv`: n copies of an env stepped in turn in this thread, after Gymnasium 1.x
 * `vector/sync_vector_env.py`. Observations come batched (Box → one typed array of n × size, Discrete
 * → Int32Array, others → arrays), rewards as Float64Array, flags as boolean arrays, and infos as a
 * dict of arrays with a boolean `_key` mask per key (nested for nested records, e.g. `episode`).
 *
 * The autoreset mode is explicit (`metadata.autoresetMode`), because the silent switch to next-step in
 * Gymnasium 1.0 broke trainers:
 * * `next_step`: the step after an episode ends resets that sub-env, ignores its action and returns
 *   reward 0, both flags false. Do not learn from that transition.
 * * `same_step`: the reset happens in the ending step; the returned obs is the new episode's first, and
 *   the last obs/info of the finished episode are in `infos.final_obs` / `infos.final_info` (batched
 *   like every info record: `infos.final_info.episode.r[i]`, masked by `_episode`).
 * * `disabled`: nothing resets by itself; call `reset({options: {resetMask}})`. Stepping a finished
 *   sub-env is an error.
 * `reset({seed: s})` seeds sub-env i with s + i.
 */
import { AutoresetMode, type Env, type Info } from '../env.js';
import { assertSeed } from '../rng.js';
import { Box, Discrete, batchSpace, makeArray, type NumericArray, type Space } from '../spaces/index.js';
import { getNum, setNum } from '../spaces/dtypes.js';

export type BatchedObs = NumericArray | unknown[];

export interface VectorResetArgs {
  /** One seed (sub-env i gets seed + i) or one per sub-env. */
  seed?: number | (number | undefined)[];
  options?: Record<string, unknown> & { resetMask?: ArrayLike<boolean> };
}

export interface VectorStepResult {
  obs: BatchedObs;
  rewards: Float64Array;
  terminations: boolean[];
  truncations: boolean[];
  infos: Info;
}

export interface SyncVectorEnvOptions {
  autoresetMode?: AutoresetMode;
  /** Return fresh observation batches (default); false reuses one buffer for speed. */
  copy?: boolean;
}

export class SyncVectorEnv<O, A> {
  readonly envs: Env<O, A>[];
  readonly numEnvs: number;
  readonly singleObservationSpace: Space<O>;
  readonly singleActionSpace: Space<A>;
  readonly observationSpace: Space<unknown>;
  readonly actionSpace: Space<unknown>;
  readonly metadata: { autoresetMode: AutoresetMode; renderModes: readonly string[] };
  private readonly copy: boolean;
  private readonly autoreset: boolean[];
  private readonly finished: boolean[];
  private readonly obsSize: number;
  private buffer: BatchedObs;
  private closed = false;

  constructor(envFns: (() => Env<O, A>)[], opts: SyncVectorEnvOptions = {}) {
    if (envFns.length === 0) throw new Error('SyncVectorEnv: needs at least one env');
    this.envs = envFns.map((f) => f());
    this.numEnvs = this.envs.length;
    const first = this.envs[0]!;
    this.singleObservationSpace = first.observationSpace;
    this.singleActionSpace = first.actionSpace;
    for (const [i, e] of this.envs.entries()) {
      if (!e.observationSpace.equals(this.singleObservationSpace) || !e.actionSpace.equals(this.singleActionSpace)) {
        throw new Error(`SyncVectorEnv: sub-env ${i} has different spaces from sub-env 0`);
      }
    }
    this.observationSpace = batchSpace(this.singleObservationSpace, this.numEnvs);
    this.actionSpace = batchSpace(this.singleActionSpace, this.numEnvs);
    const mode = opts.autoresetMode ?? AutoresetMode.NEXT_STEP;
    if (!(Object.values(AutoresetMode) as string[]).includes(mode)) throw new Error(`SyncVectorEnv: unknown autoresetMode ${JSON.stringify(mode)}`);
    this.metadata = { autoresetMode: mode, renderModes: first.metadata.renderModes };
    this.copy = opts.copy ?? true;
    this.autoreset = new Array<boolean>(this.numEnvs).fill(false);
    this.finished = new Array<boolean>(this.numEnvs).fill(false);
    const s = this.singleObservationSpace;
    this.obsSize = s instanceof Box ? s.size : 1;
    this.buffer = this.newBuffer();
  }

  private newBuffer(): BatchedObs {
    const s = this.singleObservationSpace;
    if (s instanceof Box) {
      const n = this.numEnvs * s.size;
      return makeArray(s.dtype, n);
    }
    if (s instanceof Discrete) return new Int32Array(this.numEnvs);
    return new Array<unknown>(this.numEnvs);
  }

  private put(i: number, obs: O): void {
    const b = this.buffer;
    if (Array.isArray(b)) b[i] = obs;
    else if (this.singleObservationSpace instanceof Box) copyInto(b, obs as unknown as NumericArray, i * this.obsSize);
    else b[i] = obs as unknown as number;
  }

  private out(): BatchedObs {
    if (!this.copy) return this.buffer;
    const b = this.buffer;
    return Array.isArray(b) ? b.slice() : b.slice();
  }

  reset(args: VectorResetArgs = {}): { obs: BatchedObs; infos: Info } {
    this.assertOpen();
    const seeds = this.seedsFor(args.seed);
    const mask = args.options?.resetMask;
    if (mask !== undefined) {
      if (mask.length !== this.numEnvs) throw new Error(`SyncVectorEnv.reset: resetMask has ${mask.length} entries, expected ${this.numEnvs}`);
      for (let i = 0; i < mask.length; i++) {
        if (typeof mask[i] !== 'boolean') throw new Error(`SyncVectorEnv.reset: resetMask entries must be booleans, got ${String(mask[i])} at ${i}`);
      }
      // Gymnasium asserts np.any(reset_mask): a mask resetting nothing is a caller's mistake.
      if (!Array.from(mask).some(Boolean)) throw new Error('SyncVectorEnv.reset: resetMask resets no sub-env (all false)');
    }
    const { resetMask: _ignored, ...options } = args.options ?? {};
    const infos: Info = {};
    for (let i = 0; i < this.numEnvs; i++) {
      if (mask && !mask[i]) continue;
      const seed = seeds[i];
      const r = this.envs[i]!.reset({ ...(seed !== undefined ? { seed } : {}), options });
      this.put(i, r.obs);
      addInfo(infos, r.info, i, this.numEnvs);
      this.autoreset[i] = false;
      this.finished[i] = false;
    }
    return { obs: this.out(), infos };
  }

  private seedsFor(seed: VectorResetArgs['seed']): (number | undefined)[] {
    if (seed === undefined) return new Array(this.numEnvs).fill(undefined);
    if (Array.isArray(seed)) {
      if (seed.length !== this.numEnvs) throw new Error(`SyncVectorEnv.reset: got ${seed.length} seeds for ${this.numEnvs} envs`);
      seed.forEach((s, i) => assertSeed(s, `seed[${i}]`));
      return seed;
    }
    assertSeed(seed);
    return Array.from({ length: this.numEnvs }, (_, i) => seed + i);
  }

  step(actions: ArrayLike<A>): VectorStepResult {
    this.assertOpen();
    if (actions.length !== this.numEnvs) throw new Error(`SyncVectorEnv.step: got ${actions.length} actions for ${this.numEnvs} envs`);
    const rewards = new Float64Array(this.numEnvs);
    const terminations = new Array<boolean>(this.numEnvs).fill(false);
    const truncations = new Array<boolean>(this.numEnvs).fill(false);
    const infos: Info = {};
    const mode = this.metadata.autoresetMode;
    for (let i = 0; i < this.numEnvs; i++) {
      const env = this.envs[i]!;
      if (mode === 'next_step' && this.autoreset[i]) {
        const r = env.reset();
        this.put(i, r.obs);
        addInfo(infos, r.info, i, this.numEnvs);
        this.autoreset[i] = false;
        continue;
      }
      if (mode === 'disabled' && this.finished[i]) {
        throw new Error(`SyncVectorEnv.step: sub-env ${i} has finished its episode; reset it with reset({options: {resetMask}}) (autoresetMode 'disabled')`);
      }
      const r = env.step(actions[i]!);
      rewards[i] = r.reward;
      terminations[i] = r.terminated;
      truncations[i] = r.truncated;
      const done = r.terminated || r.truncated;
      if (mode === 'same_step' && done) {
        const rr = env.reset();
        this.put(i, rr.obs);
        addInfo(infos, { ...rr.info, final_obs: r.obs, final_info: r.info }, i, this.numEnvs);
      } else {
        this.put(i, r.obs);
        addInfo(infos, r.info, i, this.numEnvs);
      }
      if (mode === 'next_step') this.autoreset[i] = done;
      if (mode === 'disabled') this.finished[i] = done;
    }
    return { obs: this.out(), rewards, terminations, truncations, infos };
  }

  /**
   * Gymnasium's `call`: a function is called with every sub-env; a name calls that method of every
   * sub-env with `args`, or reads that property when it is not a function.
   */
  call<R>(fn: (env: Env<O, A>, i: number) => R): R[];
  call(name: string, ...args: unknown[]): unknown[];
  call<R>(what: ((env: Env<O, A>, i: number) => R) | string, ...args: unknown[]): unknown[] {
    if (typeof what === 'function') return this.envs.map(what);
    return this.envs.map((e) => {
      const v = (e as unknown as Record<string, unknown>)[what];
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).apply(e, args) : v;
    });
  }

  /** Gymnasium's `get_attr`: a property of every sub-env. */
  getAttr(name: string): unknown[] {
    return this.envs.map((e) => (e as unknown as Record<string, unknown>)[name]);
  }

  /** Gymnasium's `set_attr`: one value for all sub-envs, or an array with one value per sub-env. */
  setAttr(name: string, values: unknown): void {
    const each = Array.isArray(values) ? values : new Array<unknown>(this.numEnvs).fill(values);
    if (each.length !== this.numEnvs) throw new Error(`SyncVectorEnv.setAttr: got ${each.length} values for ${this.numEnvs} envs`);
    this.envs.forEach((e, i) => ((e as unknown as Record<string, unknown>)[name] = each[i]));
  }

  /** The sub-envs' render mode (all equal; undefined without one). */
  get renderMode(): string | undefined {
    return this.envs[0]!.renderMode;
  }

  /** Every sub-env's render, in order (Gymnasium returns a tuple of frames). */
  render(): (string | undefined)[] {
    this.assertOpen();
    return this.envs.map((e) => e.render());
  }

  close(): void {
    if (this.closed) return;
    for (const e of this.envs) e.close();
    this.closed = true;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('SyncVectorEnv: the vector env is closed');
  }
}

/** dst.set(src, offset), also between bigint and number arrays (which `set` refuses to mix). */
function copyInto(dst: NumericArray, src: NumericArray, offset: number): void {
  const big = (a: NumericArray) => a instanceof BigInt64Array || a instanceof BigUint64Array;
  if (big(dst) === big(src)) (dst as unknown as { set(a: NumericArray, o: number): void }).set(src, offset);
  else for (let k = 0; k < src.length; k++) setNum(dst, offset + k, getNum(src, k));
}

/**
 * Adds sub-env i's info into the batched infos: every key becomes an array of length n plus a boolean
 * mask `_key` saying which sub-envs set it; nested plain records are batched recursively.
 */
export function addInfo(infos: Info, info: Info, i: number, n: number): void {
  const keys = Object.keys(info);
  for (let j = 0; j < keys.length; j++) {
    const k = keys[j]!, v = info[k];
    const isRecord = typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
    if (isRecord) {
      // every record is batched key by key, `final_info` too, as Gymnasium's `_add_info` does
      const sub = (infos[k] as Info | undefined) ?? {};
      addInfo(sub, v as Info, i, n);
      infos[k] = sub;
    } else {
      const arr = (infos[k] as unknown[] | undefined) ?? new Array<unknown>(n).fill(emptySlot(v));
      arr[i] = v;
      infos[k] = arr;
    }
    const mk = maskKey(k);
    const mask = (infos[mk] as boolean[] | undefined) ?? new Array<boolean>(n).fill(false);
    mask[i] = true;
    infos[mk] = mask;
  }
}

/**
 * What the sub-envs that do not set a key hold in its batch, as Gymnasium's `_add_info` creates it from
 * the first value: 0 for numbers, false for booleans, null otherwise (Gymnasium: zeros of an array's
 * shape, None for other objects). The `_key` mask says which slots were set.
 */
function emptySlot(v: unknown): unknown {
  return typeof v === 'number' ? 0 : typeof v === 'boolean' ? false : null;
}

/** `'_' + k`, one string per key: a fresh concatenation per lookup would be hashed and internalised every time. */
const MASK_KEYS = new Map<string, string>();
function maskKey(k: string): string {
  let m = MASK_KEYS.get(k);
  if (m === undefined) {
    m = '_' + k;
    if (MASK_KEYS.size < 10_000) MASK_KEYS.set(k, m);
  }
  return m;
}

/** Gymnasium's `DictInfoToList`: batched infos back to one record per sub-env. */
export function infosToList(infos: Info, n: number): Info[] {
  const out: Info[] = Array.from({ length: n }, () => ({}));
  for (const [k, v] of Object.entries(infos)) {
    if (k.startsWith('_')) continue;
    const mask = infos['_' + k] as boolean[] | undefined;
    if (Array.isArray(v)) {
      for (let i = 0; i < n; i++) if (!mask || mask[i]) out[i]![k] = v[i];
    } else if (typeof v === 'object' && v !== null) {
      const sub = infosToList(v as Info, n);
      for (let i = 0; i < n; i++) if (!mask || mask[i]) out[i]![k] = sub[i];
    }
  }
  return out;
}

