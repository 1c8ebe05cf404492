/** Action wrappers for Box action spaces (Gymnasium `wrappers/transform_action.py`): ClipAction, RescaleAction. */
import type { Env } from '../env.js';
import type { WrapperSpec } from '../registry.js';
import { Box, type BoxDtype, type BoxValue } from '../spaces/box.js';
import { getNum, setNum } from '../spaces/dtypes.js';
import { ActionWrapper } from './wrapper.js';

function boxOf<O, D extends BoxDtype>(env: Env<O, BoxValue<D>>, who: string): Box<D> {
  const s = env.actionSpace;
  if (!(s instanceof Box)) throw new Error(`${who} needs a Box action space, got ${s}`);
  return s as Box<D>;
}

/** Clips every action into the env's bounds; the wrapper accepts any real vector. */
export class ClipAction<O, D extends BoxDtype> extends ActionWrapper<O, BoxValue<D>, BoxValue<D>> {
  private readonly inner: Box<D>;
  private readonly open: Box<D>;

  constructor(env: Env<O, BoxValue<D>>) {
    super(env);
    this.inner = boxOf(env, 'ClipAction');
    this.open = new Box(-Infinity, Infinity, this.inner.shape, this.inner.dtype);
  }

  protected override recordedAs(): WrapperSpec {
    return { name: 'ClipAction', kwargs: {} };
  }

  override get actionSpace(): Box<D> {
    return this.open;
  }

  action(a: BoxValue<D>): BoxValue<D> {
    const out = a.slice() as BoxValue<D>;
    for (let i = 0; i < out.length; i++) setNum(out, i, Math.min(Math.max(getNum(out, i), this.inner.low[i]!), this.inner.high[i]!));
    return out;
  }
}

/** Affinely maps actions from [minAction, maxAction] onto the env's [low, high]. */
export class RescaleAction<O, D extends BoxDtype> extends ActionWrapper<O, BoxValue<D>, BoxValue<D>> {

  private readonly inner: Box<D>;
  private readonly outer: Box<D>;
  /** The bounds as given, kept as JSON for the spec. */
  readonly minAction: number | number[];
  readonly maxAction: number | number[];

  constructor(env: Env<O, BoxValue<D>>, minAction: number | ArrayLike<number>, maxAction: number | ArrayLike<number>) {
    super(env);
    this.minAction = typeof minAction === 'number' ? minAction : Array.from(minAction);
    this.maxAction = typeof maxAction === 'number' ? maxAction : Array.from(maxAction);
    this.inner = boxOf(env, 'RescaleAction');
    if (!this.inner.isBounded()) throw new Error('RescaleAction needs a bounded action space');
    this.outer = new Box(minAction, maxAction, this.inner.shape, this.inner.dtype);
    for (let i = 0; i < this.outer.size; i++) {
      // min == max would map every action to a division by zero (NaN actions).
      if (!(this.outer.low[i]! < this.outer.high[i]!)) {
        throw new Error(`RescaleAction: minAction must be below maxAction at index ${i}, got [${this.outer.low[i]}, ${this.outer.high[i]}]`);
      }
    }
  }

  protected override recordedAs(): WrapperSpec {
    return { name: 'RescaleAction', kwargs: { minAction: this.minAction, maxAction: this.maxAction } };
  }

  override get actionSpace(): Box<D> {
    return this.outer;
  }

  action(a: BoxValue<D>): BoxValue<D> {
    this.outer.assertContains(a, 'action');
    const out = a.slice() as BoxValue<D>;
    for (let i = 0; i < out.length; i++) {
      const lo = this.inner.low[i]!, hi = this.inner.high[i]!, mn = this.outer.low[i]!, mx = this.outer.high[i]!;
      setNum(out, i, lo + (hi - lo) * ((getNum(a, i) - mn) / (mx - mn)));
    }
    return out;
  }
}
