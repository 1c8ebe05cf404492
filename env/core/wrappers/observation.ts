/**
 * Observation wrappers (Gymnasium `wrappers/transform_observation.py`, `stateful_observation.py`):
 * FlattenObservation, NormalizeObservation (with a freeze flag), TransformObservation.
 */
import type { Env } from '../env.js';
import type { WrapperSpec } from '../registry.js';
import { RunningMeanStd, type RunningMeanStdState } from '../running-mean-std.js';
import { Box, flatten, flattenSpace, type Space } from '../spaces/index.js';
import { ObservationWrapper } from './wrapper.js';

/** Observations become flat vectors (`flatten`), Discrete parts one-hot. */
export class FlattenObservation<O, A> extends ObservationWrapper<O, A, Float32Array | Float64Array> {
  private readonly flatSpace: Space<Float32Array | Float64Array>;

  constructor(env: Env<O, A>) {
    super(env);
    this.flatSpace = flattenSpace(env.observationSpace) as Space<Float32Array | Float64Array>;
  }

  protected override recordedAs(): WrapperSpec {
    return { name: 'FlattenObservation', kwargs: {} };
  }

  override get observationSpace(): Space<Float32Array | Float64Array> {
    return this.flatSpace;
  }

  observation(obs: O): Float32Array | Float64Array {
    return flatten(this.env.observationSpace, obs);
  }
}

/**
 * Observations are centred and scaled by running statistics: (obs − mean) / √(var + ε), as float32.
 * Set `updateRunningMean = false` to freeze the statistics (evaluation).
 */
export class NormalizeObservation<A> extends ObservationWrapper<Float32Array | Float64Array, A, Float32Array> {
  readonly obsRms: RunningMeanStd;
  updateRunningMean = true;
  private readonly space: Box<'float32'>;

  constructor(env: Env<Float32Array | Float64Array, A>, readonly epsilon = 1e-8) {
    super(env);
    if (!(typeof epsilon === 'number' && epsilon > 0)) throw new Error(`NormalizeObservation: epsilon must be a positive number, got ${epsilon}`);
    const s = env.observationSpace;
    if (!(s instanceof Box)) throw new Error(`NormalizeObservation needs a Box observation space, got ${s}`);
    this.obsRms = new RunningMeanStd(s.size);
    this.space = new Box(-Infinity, Infinity, s.shape, 'float32');
  }

  protected override recordedAs(): WrapperSpec {
    return { name: 'NormalizeObservation', kwargs: { epsilon: this.epsilon } };
  }

  override get observationSpace(): Box<'float32'> {
    return this.space;
  }

  observation(obs: Float32Array | Float64Array): Float32Array {
    if (this.updateRunningMean) this.obsRms.update(obs);
    const out = new Float32Array(obs.length);
    for (let i = 0; i < obs.length; i++) out[i] = (obs[i]! - this.obsRms.mean[i]!) / Math.sqrt(this.obsRms.var[i]! + this.epsilon);
    return out;
  }

  protected override getOwnState(): unknown {
    return { rms: this.obsRms.getState(), update: this.updateRunningMean };
  }

  protected override setOwnState(s: unknown): void {
    const o = s as { rms: RunningMeanStdState; update: boolean };
    this.obsRms.setState(o.rms);
    this.updateRunningMean = o.update;
  }
}

/** Applies `fn` to every observation; give the new space when `fn` changes it. */
export class TransformObservation<O, A, WO> extends ObservationWrapper<O, A, WO> {
  constructor(env: Env<O, A>, private readonly fn: (obs: O) => WO, private readonly space?: Space<WO>) {
    super(env);
  }

  override get observationSpace(): Space<WO> {
    return this.space ?? (this.env.observationSpace as unknown as Space<WO>);
  }

  observation(obs: O): WO {
    return this.fn(obs);
  }
}
