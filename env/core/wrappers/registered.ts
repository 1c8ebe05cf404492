/**
 * The wrappers a spec can name in `additionalWrappers`, by the name each records itself under
 * (`Wrapper.recordedAs`), so that `make(env.spec)` rebuilds a wrapped env's whole stack, as Gymnasium's
 * spec stack does. Kwargs are the JSON each wrapper records; wrappers holding functions are not here.
 */
import type { Env } from '../env.js';
import type { EnvKwargs } from '../registry.js';
import { ClipAction, RescaleAction } from './action.js';
import { Autoreset, RecordEpisodeStatistics } from './common.js';
import { FlattenObservation, NormalizeObservation } from './observation.js';
import { NormalizeReward } from './reward.js';

type AnyEnv = Env<unknown, unknown>;
type Bound = number | number[];

const num = (kw: EnvKwargs, k: string): number | undefined => (typeof kw[k] === 'number' ? (kw[k] as number) : undefined);

export const BUILTIN_WRAPPERS: ReadonlyMap<string, (env: AnyEnv, kwargs: EnvKwargs) => AnyEnv> = new Map<string, (env: AnyEnv, kwargs: EnvKwargs) => AnyEnv>([
  ['RecordEpisodeStatistics', (env, kw) => new RecordEpisodeStatistics(env, num(kw, 'bufferLength'), typeof kw.statsKey === 'string' ? kw.statsKey : undefined)],
  ['Autoreset', (env) => new Autoreset(env)],
  ['FlattenObservation', (env) => new FlattenObservation(env)],
  ['NormalizeObservation', (env, kw) => new NormalizeObservation(env as Env<Float32Array, unknown>, num(kw, 'epsilon')) as AnyEnv],
  ['NormalizeReward', (env, kw) => new NormalizeReward(env, num(kw, 'gamma'), num(kw, 'epsilon'))],
  ['ClipAction', (env) => new ClipAction(env as Env<unknown, Float32Array>) as unknown as AnyEnv],
  ['RescaleAction', (env, kw) => new RescaleAction(env as Env<unknown, Float32Array>, kw.minAction as Bound, kw.maxAction as Bound) as unknown as AnyEnv],
]);
