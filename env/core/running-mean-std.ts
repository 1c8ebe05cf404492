/**
 * Running mean and variance of a stream of vectors (parallel-moments update of Chan et al.), as
 * Gymnasium's `RunningMeanStd`: starts at mean 0, variance 1, count 1e-4.
 */
export interface RunningMeanStdState {
  mean: number[];
  var: number[];
  count: number;
}

export class RunningMeanStd {
  mean: Float64Array;
  var: Float64Array;
  count = 1e-4;

  constructor(readonly size: number) {
    this.mean = new Float64Array(size);
    this.var = new Float64Array(size).fill(1);
  }

  /** Adds one sample. */
  update(x: ArrayLike<number>): void {
    this.updateFromMoments(x, null, 1);
  }

  /** Merges a batch given by its mean, variance (null = 0 for a single sample) and count. */
  updateFromMoments(batchMean: ArrayLike<number>, batchVar: ArrayLike<number> | null, batchCount: number): void {
    const tot = this.count + batchCount;
    for (let i = 0; i < this.size; i++) {
      const delta = batchMean[i]! - this.mean[i]!;
      const mA = this.var[i]! * this.count;
      const mB = (batchVar ? batchVar[i]! : 0) * batchCount;
      const m2 = mA + mB + ((delta * delta * this.count) * batchCount) / tot;
      this.mean[i] = this.mean[i]! + (delta * batchCount) / tot;
      this.var[i] = m2 / tot;
    }
    this.count = tot;
  }

  getState(): RunningMeanStdState {
    return { mean: Array.from(this.mean), var: Array.from(this.var), count: this.count };
  }

  setState(s: RunningMeanStdState): void {
    this.mean = Float64Array.from(s.mean);
    this.var = Float64Array.from(s.var);
    this.count = s.count;
  }
}
