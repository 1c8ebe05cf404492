/**
 * The registry: `register`, `make`, `spec`, after Gymnasium's `envs/registration.py`.
 *
 * Ids are `[namespace/]Name-vN`. `make(id, kwargs)` builds the env through its entry point, then wraps
 * it in PassiveEnvChecker → OrderEnforcing → TimeLimit (the spec's `maxEpisodeSteps`), then the spec's
 * additional wrappers. Kwargs are validated against the registration's zod schema when it has one, so a
 * kwarg the env does not take, or a bad value, is a one-line error naming it; without a schema they go to
 * the entry point as they are (as Gymnasium passes **kwargs). An `EnvSpec` serialises to JSON (the entry
 * point is found again by id), which is how results record exactly how their env was built; a wrapped
 * env's spec lists its wrappers (`additionalWrappers`), so `make(env.spec)` rebuilds the whole stack.
 * docs/gymnasium.md lists where this differs from Gymnasium and why.
 */
import type { z } from 'zod';
import type { Env } from './env.js';
import { warn } from './logger.js';
import { OrderEnforcing, PassiveEnvChecker, TimeLimit } from './wrappers/common.js';
import { BUILTIN_WRAPPERS } from './wrappers/registered.js';
import { Wrapper } from './wrappers/wrapper.js';

export type EnvKwargs = Record<string, unknown>;
// Entry points take validated kwargs; each registration's schema fixes their shape.
export type EntryPoint = (kwargs: EnvKwargs) => Env<unknown, unknown>;

/** A wrapper applied by `make` after the standard ones, recorded by name so a spec stays JSON. */
export interface WrapperSpec {
  name: string;
  kwargs: EnvKwargs;
}

export interface EnvSpecJSON {
  id: string;
  rewardThreshold: number | null;
  nondeterministic: boolean;
  maxEpisodeSteps: number | null;
  orderEnforce: boolean;
  disableEnvChecker: boolean;
  kwargs: EnvKwargs;
  additionalWrappers: WrapperSpec[];
}

export interface RegisterOptions {
  entryPoint: EntryPoint;
  /** Validates and fills defaults of `make` kwargs; unknown keys must be rejected (use `.strict()`). Without it, kwargs pass unchecked. */
  kwargsSchema?: z.ZodType<EnvKwargs>;
  rewardThreshold?: number;
  nondeterministic?: boolean;
  maxEpisodeSteps?: number;
  orderEnforce?: boolean;
  disableEnvChecker?: boolean;
  kwargs?: EnvKwargs;
  additionalWrappers?: WrapperSpec[];
}

const ID_RE = /^(?:([\w:.-]+)\/)?([\w:.-]+?)(?:-v(\d+))?$/;

export interface ParsedId {
  namespace: string | undefined;
  name: string;
  version: number | undefined;
}

export function parseEnvId(id: string): ParsedId {
  const m = ID_RE.exec(id);
  if (!m) throw new Error(`Malformed environment id ${JSON.stringify(id)}: expected [namespace/]Name-vN`);
  return { namespace: m[1], name: m[2]!, version: m[3] === undefined ? undefined : Number(m[3]) };
}

export class EnvSpec {
  readonly id: string;
  readonly namespace: string | undefined;
  readonly name: string;
  readonly version: number | undefined;
  readonly entryPoint: EntryPoint;
  readonly kwargsSchema: z.ZodType<EnvKwargs> | undefined;
  readonly rewardThreshold: number | undefined;
  readonly nondeterministic: boolean;
  readonly maxEpisodeSteps: number | undefined;
  readonly orderEnforce: boolean;
  readonly disableEnvChecker: boolean;
  readonly kwargs: EnvKwargs;
  readonly additionalWrappers: WrapperSpec[];

  constructor(id: string, opts: RegisterOptions) {
    const p = parseEnvId(id);
    this.id = id;
    this.namespace = p.namespace;
    this.name = p.name;
    this.version = p.version;
    this.entryPoint = opts.entryPoint;
    this.kwargsSchema = opts.kwargsSchema;
    this.rewardThreshold = opts.rewardThreshold;
    this.nondeterministic = opts.nondeterministic ?? false;
    this.maxEpisodeSteps = opts.maxEpisodeSteps;
    this.orderEnforce = opts.orderEnforce ?? true;
    this.disableEnvChecker = opts.disableEnvChecker ?? false;
    this.kwargs = { ...(opts.kwargs ?? {}) };
    this.additionalWrappers = [...(opts.additionalWrappers ?? [])];
  }

  /** A copy with some fields changed (used by `make` to record the kwargs it was called with). */
  with(changes: Partial<RegisterOptions>): EnvSpec {
    return new EnvSpec(this.id, { ...this.options(), ...changes });
  }

  private options(): RegisterOptions {
    const o: RegisterOptions = {
      entryPoint: this.entryPoint,
      nondeterministic: this.nondeterministic,
      orderEnforce: this.orderEnforce,
      disableEnvChecker: this.disableEnvChecker,
      kwargs: this.kwargs,
      additionalWrappers: this.additionalWrappers,
    };
    if (this.kwargsSchema) o.kwargsSchema = this.kwargsSchema;
    if (this.rewardThreshold !== undefined) o.rewardThreshold = this.rewardThreshold;
    if (this.maxEpisodeSteps !== undefined) o.maxEpisodeSteps = this.maxEpisodeSteps;
    return o;
  }

  toJSON(): EnvSpecJSON {
    return {
      id: this.id,
      rewardThreshold: this.rewardThreshold ?? null,
      nondeterministic: this.nondeterministic,
      maxEpisodeSteps: this.maxEpisodeSteps ?? null,
      orderEnforce: this.orderEnforce,
      disableEnvChecker: this.disableEnvChecker,
      kwargs: this.kwargs,
      additionalWrappers: this.additionalWrappers,
    };
  }

  /** Rebuilds a spec from JSON; the entry point comes from the registration of the same id. */
  static fromJSON(j: EnvSpecJSON | string): EnvSpec {
    const o = (typeof j === 'string' ? JSON.parse(j) : j) as EnvSpecJSON;
    if (!o || typeof o.id !== 'string') throw new Error('EnvSpec.fromJSON: missing "id"');
    const reg = spec(o.id);
    const opts: RegisterOptions = {
      entryPoint: reg.entryPoint,
      nondeterministic: o.nondeterministic,
      orderEnforce: o.orderEnforce,
      disableEnvChecker: o.disableEnvChecker,
      kwargs: o.kwargs ?? {},
      additionalWrappers: o.additionalWrappers ?? [],
    };
    if (reg.kwargsSchema) opts.kwargsSchema = reg.kwargsSchema;
    if (o.rewardThreshold !== null && o.rewardThreshold !== undefined) opts.rewardThreshold = o.rewardThreshold;
    if (o.maxEpisodeSteps !== null && o.maxEpisodeSteps !== undefined) opts.maxEpisodeSteps = o.maxEpisodeSteps;
    return new EnvSpec(o.id, opts);
  }

  /**
   * Equality as Gymnasium's (a dataclass): the same id, entry point and every recorded field, kwargs
   * and additional wrappers compared by value.
   */
  equals(other: unknown): boolean {
    return other instanceof EnvSpec && other.entryPoint === this.entryPoint && JSON.stringify(canonical(other.toJSON())) === JSON.stringify(canonical(this.toJSON()));
  }

  /** Builds the env this spec describes (same as `make(spec)`). */
  make(kwargs: EnvKwargs = {}): Env<unknown, unknown> {
    return make(this, kwargs);
  }
}

/** A JSON value with object keys sorted, so that equal records serialise equally. */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (typeof v === 'object' && v !== null && !ArrayBuffer.isView(v)) {
    return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical((v as Record<string, unknown>)[k])]));
  }
  return v;
}

/** Every registered spec by id (Gymnasium's `registry`). */
export const registry = new Map<string, EnvSpec>();

/** Wrappers that specs may name in `additionalWrappers`, by name. */
const wrapperFactories = new Map<string, (env: Env<unknown, unknown>, kwargs: EnvKwargs) => Env<unknown, unknown>>();

export function registerWrapper(name: string, factory: (env: Env<unknown, unknown>, kwargs: EnvKwargs) => Env<unknown, unknown>): void {
  wrapperFactories.set(name, factory);
}

/**
 * Registers an id. As in Gymnasium, one name is either versioned (`Name-v0`, `Name-v1`, …) or not
 * (`Name`), never both, and registering an id again replaces it with a warning.
 */
export function register(id: string, opts: RegisterOptions): EnvSpec {
  if (typeof opts?.entryPoint !== 'function') throw new Error(`register(${JSON.stringify(id)}): entryPoint must be a function returning the env`);
  const s = new EnvSpec(id, opts);
  const sameName = [...registry.values()].filter((o) => o.name === s.name && o.namespace === s.namespace && o.id !== id);
  const prefix = s.namespace ? `${s.namespace}/` : '';
  if (s.version === undefined) {
    const latest = sameName.filter((o) => o.version !== undefined).sort((a, b) => b.version! - a.version!)[0];
    if (latest) throw new Error(`Can't register the unversioned environment \`${id}\` when the versioned environment \`${latest.id}\` of the same name already exists`);
  } else if (sameName.some((o) => o.version === undefined)) {
    throw new Error(`Can't register the versioned environment \`${id}\` when the unversioned environment \`${prefix}${s.name}\` of the same name already exists`);
  }
  if (registry.has(id)) warn(`Overriding environment ${id} already in registry`);
  registry.set(id, s);
  return s;
}

/** The registered spec of an id, with helpful errors for unknown, unversioned or missing versions. */
export function spec(id: string): EnvSpec {
  const found = registry.get(id);
  if (found) return found;
  const p = parseEnvId(id);
  const sameName = [...registry.values()].filter((s) => s.name === p.name && s.namespace === p.namespace);
  const versions = sameName.map((s) => s.id).sort();
  if (sameName.length === 0) {
    const lower = p.name.toLowerCase();
    const close = [...registry.values()].filter((s) => s.name.toLowerCase() === lower || s.name.toLowerCase().includes(lower) || lower.includes(s.name.toLowerCase()));
    const hint = close.length ? ` Did you mean ${close.map((s) => s.id).join(', ')}?` : ` Registered: ${[...registry.keys()].sort().join(', ')}.`;
    throw new Error(`Environment ${p.namespace ? p.namespace + '/' : ''}${p.name} doesn't exist.${hint}`);
  }
  if (p.version === undefined) {
    // Gymnasium: an unversioned id of a versioned env means its latest version, with a warning.
    const latest = sameName.filter((s) => s.version !== undefined).sort((a, b) => b.version! - a.version!)[0];
    if (latest) {
      warn(`Using the latest versioned environment \`${latest.id}\` instead of the unversioned environment \`${id}\``);
      return latest;
    }
    throw new Error(`Environment id ${JSON.stringify(id)} is unversioned; use one of: ${versions.join(', ')}`);
  }
  throw new Error(`Environment version v${p.version} of ${p.name} doesn't exist; available: ${versions.join(', ')}`);
}

/** Options of `make` itself (not passed to the env). */
export interface MakeOptions {
  /** Overrides the spec's step limit; -1 disables TimeLimit. */
  maxEpisodeSteps?: number;
  disableEnvChecker?: boolean;
  renderMode?: string;
}

/**
 * Builds a registered env: entry point → PassiveEnvChecker → OrderEnforcing → TimeLimit → additional
 * wrappers. `kwargs` go to the env after validation; `renderMode` is checked against its metadata.
 */
export function make<O = unknown, A = unknown>(idOrSpec: string | EnvSpec, kwargs: EnvKwargs = {}, options: MakeOptions = {}): Env<O, A> {
  const base = typeof idOrSpec === 'string' ? spec(idOrSpec) : idOrSpec;
  const merged = { ...base.kwargs, ...kwargs };
  if (options.renderMode !== undefined) merged.renderMode = options.renderMode;
  let validated: EnvKwargs = merged;
  if (base.kwargsSchema) {
    const r = base.kwargsSchema.safeParse(merged);
    if (!r.success) throw new Error(`${base.id}: ${describeKwargsError(r.error)}`);
    validated = r.data;
  }
  // Without a schema the entry point gets the kwargs as they are (Gymnasium passes **kwargs unchecked).
  let env = base.entryPoint(validated);
  const mode = (validated.renderMode as string | undefined) ?? undefined;
  if (mode !== undefined && !env.metadata.renderModes.includes(mode)) {
    throw new Error(`${base.id}: render mode ${JSON.stringify(mode)} is not supported; supported: ${env.metadata.renderModes.join(', ') || 'none'}`);
  }
  const maxSteps = options.maxEpisodeSteps ?? base.maxEpisodeSteps;
  if (maxSteps !== undefined && maxSteps !== -1 && !(Number.isInteger(maxSteps) && maxSteps > 0)) {
    throw new Error(`${base.id}: maxEpisodeSteps must be a positive integer or -1, got ${maxSteps}`);
  }
  const finalSpec = base.with({
    kwargs: merged,
    disableEnvChecker: options.disableEnvChecker ?? base.disableEnvChecker,
    ...(maxSteps !== undefined && maxSteps !== -1 ? { maxEpisodeSteps: maxSteps } : {}),
  });
  // The env itself gets the spec without additional wrappers: each one applied below appends itself
  // (Wrapper.recordedAs), so the outermost env's spec lists exactly the wrappers it has.
  env.spec = finalSpec.additionalWrappers.length ? finalSpec.with({ additionalWrappers: [] }) : finalSpec;
  if (!finalSpec.disableEnvChecker) env = new PassiveEnvChecker(env);
  if (finalSpec.orderEnforce) env = new OrderEnforcing(env);
  if (maxSteps !== undefined && maxSteps !== -1) env = new TimeLimit(env, maxSteps);
  for (const w of finalSpec.additionalWrappers) {
    const f = wrapperFactories.get(w.name) ?? BUILTIN_WRAPPERS.get(w.name);
    if (!f) throw new Error(`${base.id}: unknown additional wrapper ${JSON.stringify(w.name)}`);
    const before = env.spec?.additionalWrappers.length ?? 0;
    env = f(env, w.kwargs);
    if (env instanceof Wrapper && (env.spec?.additionalWrappers.length ?? 0) === before) env.recordAs(w);
  }
  // The caller names the observation and action types it expects of this id (CartPole: Float32Array, number).
  return env as Env<O, A>;
}

/** One line per zod issue, naming the kwarg (zod 4 error shape). */
function describeKwargsError(err: z.ZodError): string {
  return err.issues
    .map((i) => {
      const path = i.path.map(String).join('.');
      if (i.code === 'unrecognized_keys') return `unknown kwarg${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => JSON.stringify(k)).join(', ')}`;
      return `kwarg ${JSON.stringify(path)}: ${i.message}`;
    })
    .join('; ');
}

/** A listing of every registered id, grouped by namespace (Gymnasium `pprint_registry`). */
export function pprintRegistry(): string {
  const groups = new Map<string, string[]>();
  for (const s of registry.values()) {
    const ns = s.namespace ?? '(default)';
    groups.set(ns, [...(groups.get(ns) ?? []), s.id]);
  }
  return [...groups.entries()].map(([ns, ids]) => `===== ${ns} =====\n${ids.sort().join('\n')}`).join('\n');
}
