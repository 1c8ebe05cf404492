/**
 * Adam (tfjs's `AdamOptimizer`) whose learning rate can change between steps (PPO anneals it) and whose
 * whole state can be saved and restored exactly, so that a resumed training run continues bit for bit.
 *
 * tfjs's own `getWeights`/`setWeights` are not enough for that: `setWeights` recomputes the bias-correction
 * powers β₁ᵗ⁺¹, β₂ᵗ⁺¹ with one `pow`, while training multiplied them up one step at a time, and the two
 * need not agree in the last float32 bit (a float32 emulation of the two disagrees from the second step
 * on). `exportState` therefore also records the two powers as they are, and `importState` writes them
 * back after `setWeights`.
 */
import * as tf from '@tensorflow/tfjs';

/** The JSON part of a saved Adam state; the moments go to a binary file (`data`). */
export interface AdamStateJSON {
  /** Gradient steps taken. */
  iterations: number;
  /** The running powers β₁ᵗ⁺¹ and β₂ᵗ⁺¹ (float32 values, exactly). */
  accBeta1: number;
  accBeta2: number;
  /** Number of variables; `data` holds their first moments, then their second moments, in variable order. */
  variables: number;
  /** Shape of each variable's moment. */
  shapes: number[][];
}

/** The fields of tfjs's AdamOptimizer that its typings keep private. */
interface AdamInternals {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
}

export class ResumableAdam extends tf.AdamOptimizer {
  setLearningRate(lr: number): void {
    this.learningRate = lr;
  }

  private get internals(): AdamInternals {
    return this as unknown as AdamInternals;
  }

  /** The optimizer's state: iterations, β powers and moments (a fresh optimizer has no moments yet). */
  exportState(): { json: AdamStateJSON; data: Float32Array } {
    const m = this.internals.accumulatedFirstMoment, v = this.internals.accumulatedSecondMoment;
    const all = [...m, ...v].map((x) => x.variable);
    const data = new Float32Array(all.reduce((s, t) => s + t.size, 0));
    let off = 0;
    for (const t of all) {
      data.set(t.dataSync() as Float32Array, off);
      off += t.size;
    }
    return {
      json: {
        iterations: this.iterations,
        accBeta1: this.internals.accBeta1.dataSync()[0]!,
        accBeta2: this.internals.accBeta2.dataSync()[0]!,
        variables: m.length,
        shapes: m.map((x) => x.variable.shape),
      },
      data,
    };
  }

  /** Restores a state written by `exportState` (for the same variables, in the same order). */
  async importState(json: AdamStateJSON, data: Float32Array): Promise<void> {
    const sizes = json.shapes.map((s) => s.reduce((a, b) => a * b, 1));
    const need = 2 * sizes.reduce((a, b) => a + b, 0);
    if (data.length !== need) throw new Error(`optimizer state holds ${data.length} values, its shapes need ${need}`);
    if (json.variables === 0) return; // a fresh optimizer: nothing to restore
    const tensors: { name: string; tensor: tf.Tensor }[] = [{ name: 'iter', tensor: tf.scalar(json.iterations, 'int32') }];
    let off = 0;
    for (const half of ['m', 'v']) {
      json.shapes.forEach((shape, i) => {
        tensors.push({ name: `var${i}/${half}`, tensor: tf.tensor(data.subarray(off, off + sizes[i]!), shape, 'float32') });
        off += sizes[i]!;
      });
    }
    await this.setWeights(tensors);
    tf.dispose(tensors.map((t) => t.tensor));
    this.internals.accBeta1.assign(tf.scalar(json.accBeta1));
    this.internals.accBeta2.assign(tf.scalar(json.accBeta2));
  }
}
