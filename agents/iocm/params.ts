/**
 * Every tunable of the IOcm throughput policy and its regret layer, with the defaults of the final
 * released code (`mikelangelo-project/dynamic-io-manager` @ `eecb876`, 2016-12-07), as specified in
 * `docs/iocm-policy.md` (cited below as §n).
 *
 * Two families of defaults:
 * * **intended** (the default): the unit slips of the released code (§2 notes, §7.1, §7.2, §7.16)
 *   are corrected — CPU times are used in true ns, `overall_io_ratio` and `vm_idle` come out in cores,
 *   the stop test is `empty > 0.8`.
 * * **bug-compatible** (`bugCompatible=true`): the released code's arithmetic, exactly — CPU-time inputs
 *   ÷ 2.5, the vhost CPU time read as jiffies at HZ 250 over an ns denominator (so the baseline → side-core
 *   start never fires unless min > 0), per-core idle time quantised to USER_HZ = 100 ticks, and the stop
 *   test in its written form `1 − empty < 1 − 0.8`.
 *
 * The policy quirks that are not unit slips (§7.4–7.10: batching ignores min, max tested with `==`,
 * acceptance on exact equality, histories surviving START/STOP, …) are the published behaviour in both
 * modes; each is a named parameter so that sensitivity studies can switch it off.
 *
 * Named presets (`preset=<name>`, {@link IOCM_PRESETS}) give the parameters of an earlier state of the
 * code: `jul2016` is the late-July-2016 tree (§3.1 "History", §4.5 "Parameter history").
 *
 * Overrides come from an agent spec `iocm:<param>=<value>,…` (split into a record by `agents/spec.ts`)
 * through {@link parseIocmParams}, in this order: the `preset` first (which code), then the
 * `bugCompatible` family (which units), then every other override on top. So
 * `iocm:bugCompatible=true,idleTickHz=0` is bug-compatible without quantisation, and
 * `iocm:preset=jul2016,acceptMargin=0.05,lockFactor=2` is the July tree before `601ec7f`.
 */

import { z } from 'zod';

/** All parameters of the IOcm agent (one env step = one 0.1 s manager epoch or one 0.1 s trial sample). */
export interface IocmParams {
  // ---- mode -----------------------------------------------------------------------------------------
  /** Reproduce the released code's unit slips exactly (§7.1, §7.2, §7.16) instead of the intended units. */
  bugCompatible: boolean;

  // ---- per-configuration thresholds, row x = elvis-x (§3.1; rows beyond the last reuse the last) --------
  /** add_ratio per row: side-core adds if `empty` < addRatio[W]; row 0 gives the start threshold 1 − addRatio[0]. */
  addRatio: number[];
  /** can_remove_ratio per row: may remove if `empty` > canRemoveRatio[W]; row 1 gives the stop threshold. */
  canRemoveRatio: number[];
  /** min_average_byte_per_packet per row: batching removal if `avg_bpp` < this (W ≥ 2). */
  minAvgBytesPerPacket: number[];

  // ---- VM side (§3.1, TP VMCoreAdditionPolicy) ------------------------------------------------------
  /** VMs want a core if `vm_idle` < this. */
  vmAddRatio: number;
  /** VMs can give a core if `vm_idle` > this. */
  vmCanRemoveRatio: number;
  /** `empty` above this forces "VMs want a core" (IWM, added in eecb876). */
  forceVmWantsEmpty: number;

  // ---- limits (§3.1 io_cores_restrictions, CLI --min/--max) -----------------------------------------
  /** Minimum I/O cores; > 0 forces an immediate START(min) and disables STOP (§3.2, §7.6). */
  minIoCores: number;
  /** Maximum I/O cores (the env's `maxIoCores` caps it further). */
  maxIoCores: number;
  /** Initial jump k = max(floor(effective_io_ratio / jumpDivisor), 1) (§3.2; 1 before eecb876). */
  jumpDivisor: number;

  // ---- regret layer (§4.1) --------------------------------------------------------------------------
  /** bpc history length: epochs averaged into the trial's "before" value (current epoch included). */
  bpcHistoryLength: number;
  /** Lock after a good move: requests refused while epoch < lastGood + lockFactor × bpcHistoryLength. */
  lockFactor: number;
  /** Per-move request history length; the quorum needs it full. */
  requestHistoryLength: number;
  /** Share of True in the previous `requestHistoryLength` entries needed to allow a move (≥). */
  requestQuorum: number;
  /**
   * Compute that share with Python 2 integer division (0 or 1, so all entries must be True). An alternative
   * reading, not the spec's: the mid-2016 sources compute `sum(...) / len(epochs)` on ints under Python 2;
   * iocm-policy.md §4.1 (read from eecb876) gives a true 60 % quorum, which is the default here.
   */
  quorumIntegerDivision: boolean;
  /** Trial: samples ignored after the move. */
  trialGraceSamples: number;
  /** Trial: samples averaged into the "after" value. */
  trialMeasuredSamples: number;
  /** Accept a trial if after > before + acceptMargin (bytes per TSC cycle). */
  acceptMargin: number;
  /** Also accept a trial if after == before exactly (§7.5: an idle host accepts every trial). */
  acceptOnEqual: boolean;
  /** Penalty (epochs) after a move's first failed trial. */
  initialPenalty: number;
  /** Each further failure of the same move multiplies its penalty by this. */
  penaltyFactor: number;
  /** Penalty cap = initialPenalty × maxPenaltyFactor. */
  maxPenaltyFactor: number;
  /** Initial value of lastGood (start-up behaves like a good move at this epoch, §4.1). */
  initialLastGood: number;

  // ---- statistics (§2) ------------------------------------------------------------------------------
  /** Divisor applied to CPU-time inputs U and I_c (released: 2.5, the leftover HZ 250 → 100 conversion). */
  cpuTimeDivisor: number;
  /** Unit of the vhost CPU-time numerator of overall_io_ratio: 0 = ns (intended), else jiffies at this HZ. */
  cputimeHz: number;
  /** Per-core idle time is read in ticks of this rate (/proc/stat USER_HZ); 0 = exact ns. */
  idleTickHz: number;
  /** overall_io_ratio exactly 0 is replaced by this (TP). */
  overallZeroFloor: number;
  /** avg_bpp when no packets were handled (§7.4). */
  noPacketsAvgBpp: number;
  /** Clamp the idle capacity at 0 before the borrowed correction (eecb876; false = the live-borrowed variant). */
  emptyClamp: boolean;
  /** Stop test in its written form 1 − empty < 1 − canRemoveRatio[1] (§7.16) instead of empty > canRemoveRatio[1]. */
  stopWrittenForm: boolean;

  // ---- policy quirks (§7) ---------------------------------------------------------------------------
  /** Batching removal ignores minIoCores (§7.7). */
  batchingIgnoresMin: boolean;
  /** The max limit is tested with W == max, not W >= max (§7.7). */
  maxTestEquality: boolean;
  /** START and STOP leave the request histories alone (§7.10); false clears them like a good move. */
  keepHistoryOnStartStop: boolean;

  // ---- earlier code (§3.1 History; the jul2016 preset) ----------------------------------------------
  /**
   * The side-core → baseline stop can fire. false: the stop test never passes (from `fb66448` until
   * `eecb876` its final `return True` was commented out) and removal at W = 1 is refused too, so side-core
   * mode is never left once started (the removal guard is inferred: REMOVE_ONE at W = 1 would leave the
   * devices without a worker).
   */
  stopCanSucceed: boolean;
  /** The `empty` > forceVmWantsEmpty rule exists (false: the code before `1010500` had no such rule). */
  forceVmWantsRule: boolean;
}

/** The table rows used by the final generated configuration (§3.1), elvis-0 … elvis-4. */
const TABLE = {
  addRatio: [0.5, 0.12, 0.12, 0.12, 0.12],
  canRemoveRatio: [0.0, 0.8, 0.8, 0.8, 1.0],
  minAvgBytesPerPacket: [1600, 1600, 1600, 1600, 1600],
};

/** Intended-unit defaults (the module's default). */
export const DEFAULT_IOCM_PARAMS: Readonly<IocmParams> = Object.freeze({
  bugCompatible: false,
  addRatio: TABLE.addRatio,
  canRemoveRatio: TABLE.canRemoveRatio,
  minAvgBytesPerPacket: TABLE.minAvgBytesPerPacket,
  vmAddRatio: 0.05,
  vmCanRemoveRatio: 1.0,
  forceVmWantsEmpty: 1.3,
  minIoCores: 0,
  maxIoCores: 4,
  jumpDivisor: 2,
  bpcHistoryLength: 5,
  lockFactor: 1.5,
  requestHistoryLength: 20,
  requestQuorum: 0.6,
  quorumIntegerDivision: false,
  trialGraceSamples: 5,
  trialMeasuredSamples: 5,
  acceptMargin: 0.01,
  acceptOnEqual: true,
  initialPenalty: 20,
  penaltyFactor: 2,
  maxPenaltyFactor: 5,
  initialLastGood: 0,
  cpuTimeDivisor: 1,
  cputimeHz: 0,
  idleTickHz: 0,
  overallZeroFloor: 1e-7,
  noPacketsAvgBpp: 1,
  emptyClamp: true,
  stopWrittenForm: false,
  batchingIgnoresMin: true,
  maxTestEquality: true,
  keepHistoryOnStartStop: true,
  stopCanSucceed: true,
  forceVmWantsRule: true,
});

/** The released code's unit handling (§2 notes, §7.1, §7.2, §7.16). */
export const BUG_COMPATIBLE_OVERRIDES: Readonly<Partial<IocmParams>> = Object.freeze({
  bugCompatible: true,
  cpuTimeDivisor: 2.5,
  cputimeHz: 250,
  idleTickHz: 100,
  stopWrittenForm: true,
});

/**
 * The late-July-2016 code (`601ec7f`, 2016-07-27, until `abc94db` / `87c4f50`, 2016-08-08), as
 * docs/iocm-policy.md §3.1 "History" and §4.5 "Parameter history" give it. Units are the intended ones
 * (the ÷2.5 slips came with `669e1ec` in December, §2), so the preset leaves the unit fields alone.
 * Rows and constants the history does not list as different keep their final values.
 */
const JUL2016: Readonly<Partial<IocmParams>> = Object.freeze({
  // thresholds before 1010500: add 0.4 (elvis-0) and 0.05 (elvis-1…4; elvis-4 became −0.05 only on
  // 2016-08-08), elvis-2 may remove above 0.5, min_avg_bpp 0 until 8652086 (so batching never fires)
  addRatio: [0.4, 0.05, 0.05, 0.05, 0.05],
  canRemoveRatio: [0.0, 0.8, 0.5, 0.8, 1.0],
  minAvgBytesPerPacket: [0, 0, 0, 0, 0],
  forceVmWantsRule: false, // no 1.3 rule
  stopCanSucceed: false, // fb66448 … eecb876: the stop test never returns True
  jumpDivisor: 1, // START(max(⌊effective⌋, 1)) until eecb876
  emptyClamp: false, // 4e538ae … eecb876: no clamp, so a negative epoch sets `borrowed`
  // regret layer from 4e538ae, with 601ec7f's lock and margin
  requestHistoryLength: 20,
  bpcHistoryLength: 20,
  lockFactor: 1.5, // 1.5 × 20 = 30 epochs (2 × 20 before 601ec7f)
  trialGraceSamples: 5,
  trialMeasuredSamples: 20, // the trial loop runs bpc-history + grace = 25 samples
  initialPenalty: 100,
  penaltyFactor: 10,
  maxPenaltyFactor: 50,
  acceptMargin: 0.01, // 0.05 before 601ec7f
  acceptOnEqual: false, // no equality rule
  // the share of True is `sum / len` of two ints under Python 2: all-or-nothing (§7, quorumIntegerDivision)
  quorumIntegerDivision: true,
});

/** Named parameter sets of earlier states of the code, selected with `preset=<name>`. */
export const IOCM_PRESETS: Readonly<Record<string, Readonly<Partial<IocmParams>>>> = Object.freeze({ jul2016: JUL2016 });

/** Names of the presets (for help texts and error messages). */
export const IOCM_PRESET_NAMES: readonly string[] = Object.keys(IOCM_PRESETS);

/**
 * Fresh parameter object: the defaults, then the preset (if any), then the bug-compatible family (if
 * `overrides.bugCompatible`), then the overrides.
 */
export function iocmParams(overrides: Partial<IocmParams> = {}, preset?: string): IocmParams {
  let base: Readonly<Partial<IocmParams>> = {};
  if (preset !== undefined) {
    const found = Object.prototype.hasOwnProperty.call(IOCM_PRESETS, preset) ? IOCM_PRESETS[preset] : undefined;
    if (found === undefined) throw new Error(`iocm: unknown preset '${preset}' (known: ${IOCM_PRESET_NAMES.join(', ')})`);
    base = found;
  }
  const family = overrides.bugCompatible === true ? BUG_COMPATIBLE_OVERRIDES : {};
  const p: IocmParams = { ...DEFAULT_IOCM_PARAMS, ...base, ...family, ...overrides };
  // Arrays are copied so that a caller mutating its params never touches the frozen defaults.
  p.addRatio = [...p.addRatio];
  p.canRemoveRatio = [...p.canRemoveRatio];
  p.minAvgBytesPerPacket = [...p.minAvgBytesPerPacket];
  return p;
}

/** The threshold row for a configuration with `w` workers (elvis-w); rows past the table reuse the last. */
export function row(table: readonly number[], w: number): number {
  const v = table[Math.min(Math.max(w, 0), table.length - 1)];
  if (v === undefined) throw new Error('iocm: empty threshold table');
  return v;
}

// ---- parsing ----------------------------------------------------------------------------------------

type Kind = 'bool' | 'num' | 'int' | 'nonneg' | 'pos' | 'posint' | 'table' | 'unit';

/** How each parameter is validated; the key set is also the list of known parameters. */
const KINDS: Record<keyof IocmParams, Kind> = {
  bugCompatible: 'bool',
  addRatio: 'table',
  canRemoveRatio: 'table',
  minAvgBytesPerPacket: 'table',
  vmAddRatio: 'num',
  vmCanRemoveRatio: 'num',
  forceVmWantsEmpty: 'num',
  minIoCores: 'int',
  maxIoCores: 'int',
  jumpDivisor: 'pos',
  bpcHistoryLength: 'posint',
  lockFactor: 'nonneg',
  requestHistoryLength: 'posint',
  requestQuorum: 'unit',
  quorumIntegerDivision: 'bool',
  trialGraceSamples: 'int',
  trialMeasuredSamples: 'posint',
  acceptMargin: 'num',
  acceptOnEqual: 'bool',
  initialPenalty: 'nonneg',
  penaltyFactor: 'pos',
  maxPenaltyFactor: 'pos',
  initialLastGood: 'int',
  cpuTimeDivisor: 'pos',
  cputimeHz: 'nonneg',
  idleTickHz: 'nonneg',
  overallZeroFloor: 'nonneg',
  noPacketsAvgBpp: 'nonneg',
  emptyClamp: 'bool',
  stopWrittenForm: 'bool',
  batchingIgnoresMin: 'bool',
  maxTestEquality: 'bool',
  keepHistoryOnStartStop: 'bool',
  stopCanSucceed: 'bool',
  forceVmWantsRule: 'bool',
};

/** Names of every parameter, in declaration order (for help texts and error messages). */
export const IOCM_PARAM_NAMES: readonly (keyof IocmParams)[] = Object.keys(KINDS) as (keyof IocmParams)[];

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

function parseNumber(name: string, raw: string): number {
  const s = raw.trim();
  if (!NUMBER.test(s)) throw new Error(`iocm: parameter '${name}' must be a number, got '${raw}'`);
  return Number(s);
}

/** A string from an agent spec as the value its kind takes (booleans, numbers, '/'-separated tables). */
function parseValue(name: keyof IocmParams, kind: Kind, raw: string): IocmParams[keyof IocmParams] {
  const fail = (what: string): never => {
    throw new Error(`iocm: parameter '${name}' must be ${what}, got '${raw}'`);
  };
  switch (kind) {
    case 'bool': {
      const s = raw.trim().toLowerCase();
      if (s === 'true' || s === '1') return true;
      if (s === 'false' || s === '0') return false;
      return fail('true or false');
    }
    case 'table': {
      // Rows are separated by '/' because ',' separates parameters in an agent spec.
      const parts = raw.split('/');
      if (parts.length < 2) return fail("at least two '/'-separated rows (elvis-0/elvis-1/…)");
      return parts.map((p) => parseNumber(name, p));
    }
    default:
      return parseNumber(name, raw);
  }
}

/** The range each kind allows, with what the error message says it must be. */
const RANGES: Record<Kind, z.ZodType> = {
  bool: z.boolean({ error: 'true or false' }),
  num: z.number({ error: 'a number' }),
  int: z.number().int({ error: 'a non-negative integer' }).min(0, { error: 'a non-negative integer' }),
  nonneg: z.number().min(0, { error: 'a non-negative number' }),
  pos: z.number().positive({ error: 'a positive number' }),
  posint: z.number().int({ error: 'a positive integer' }).min(1, { error: 'a positive integer' }),
  unit: z.number().min(0, { error: 'a number in [0, 1]' }).max(1, { error: 'a number in [0, 1]' }),
  table: z.array(z.number().min(0, { error: "non-negative rows separated by '/'" })).min(2, { error: "at least two '/'-separated rows (elvis-0/elvis-1/…)" }),
};

/**
 * The schema of a full parameter set: each parameter's range, and the rules between parameters (an
 * agent spec is checked against it; the test vectors build policies outside it, e.g. min > max).
 */
export const iocmParamsSchema = z.object(
  Object.fromEntries(IOCM_PARAM_NAMES.map((k) => [k, RANGES[KINDS[k]]])) as Record<keyof IocmParams, z.ZodType>,
).superRefine((p, ctx) => {
  const v = p as unknown as IocmParams;
  // min > 0 forces an immediate START(min) (§3.2), which max 0 cannot take
  if (v.minIoCores > 0 && v.maxIoCores === 0) {
    ctx.addIssue({ code: 'custom', path: ['maxIoCores'], message: '≥ 1 when minIoCores > 0' });
  } else if (v.minIoCores > v.maxIoCores) {
    // the released code would START(max) and never add (§7.6): a range that cannot be what was meant
    ctx.addIssue({ code: 'custom', path: ['minIoCores'], message: `≤ maxIoCores (${v.maxIoCores})` });
  }
});

/**
 * Parses `iocm:<param>=<value>,…` overrides (already split into a record) into a full parameter set,
 * checked against {@link iocmParamsSchema}. `preset=<name>` selects a preset (applied before the
 * `bugCompatible` family and the other overrides). Throws a one-line Error naming the parameter on an
 * unknown name or preset, a value of the wrong type or range, or a rule between parameters broken.
 */
export function parseIocmParams(record: Record<string, string> = {}): IocmParams {
  const overrides: Partial<Record<keyof IocmParams, unknown>> = {};
  let preset: string | undefined;
  for (const [key, raw] of Object.entries(record)) {
    if (key === 'preset') {
      preset = raw.trim();
      continue;
    }
    if (!Object.prototype.hasOwnProperty.call(KINDS, key)) {
      throw new Error(`iocm: unknown parameter '${key}' (known: preset, ${IOCM_PARAM_NAMES.join(', ')})`);
    }
    const name = key as keyof IocmParams;
    overrides[name] = parseValue(name, KINDS[name], raw);
  }
  const p = iocmParams(overrides as Partial<IocmParams>, preset);
  const r = iocmParamsSchema.safeParse(p);
  if (!r.success) {
    const iss = r.error.issues[0]!;
    const name = String(iss.path[0]) as keyof IocmParams;
    const got = Object.prototype.hasOwnProperty.call(record, name) ? record[name] : String(p[name]);
    throw new Error(`iocm: parameter '${name}' must be ${iss.message}, got '${got}'`);
  }
  return p;
}
