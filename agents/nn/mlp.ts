/**
 * Multi-layer perceptrons for the learned agents, in two forms that hold the same weights:
 *
 * * a tfjs `LayersModel` (`buildMlp`), used for training and saved as tfjs model files;
 * * a `PlainMlp`: a hand-written forward pass over Float64Array weights, used for acting. For single
 *   observations it is many times faster than `model.predict` (the `agents` bench of `npm run bench`
 *   measures both: 7–11 µs against 145–275 µs per observation in the README's benchmark table) and
 *   allocates nothing per call. `copyFrom(model)` refreshes it after every update.
 *
 * Initialisation is done here in plain JS from a seeded PCG64 generator (`initOrthogonal`,
 * `initTorchDefault`) and written into the model with `setWeights`, so that the initial weights are the
 * same on every backend and no tfjs initialiser draws unseeded randomness (the layers are built with
 * `zeros` initialisers).
 */
import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../../env/core/rng.js';

export type Activation = 'tanh' | 'relu' | 'linear';

export interface MlpShape {
  inputSize: number;
  hidden: readonly number[];
  outputSize: number;
  /** Activation of the hidden layers; the output layer is linear. */
  activation: Exclude<Activation, 'linear'>;
}

/** A tfjs sequential MLP with zero-initialised weights (fill them with `initOrthogonal`/`initTorchDefault`). */
export function buildMlp(shape: MlpShape, name: string): tf.Sequential {
  const model = tf.sequential({ name });
  const sizes = [...shape.hidden, shape.outputSize];
  sizes.forEach((units, i) => {
    const last = i === sizes.length - 1;
    model.add(tf.layers.dense({
      units,
      activation: last ? 'linear' : shape.activation,
      kernelInitializer: 'zeros',
      biasInitializer: 'zeros',
      ...(i === 0 ? { inputShape: [shape.inputSize] } : {}),
    }));
  });
  return model;
}

const activationCache = new WeakMap<tf.LayersModel, string[]>();

/**
 * `a @ b` whose gradient uses explicit transposes: dA = dy @ transpose(b), dB = transpose(a) @ dy.
 * tfjs's own matMul gradient calls matMul with transposeA/transposeB, which the wasm backend runs
 * about 8× slower than a plain matMul of the same size (430 µs vs 50 µs for 128×64 · 128×64 on this
 * machine); those transposed products were half the cost of a PPO minibatch step.
 */
const matMulTransposedGrad = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [a, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.GradSaveFunc];
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor2D, tf.Tensor2D];
      return [tf.matMul(dy as tf.Tensor2D, tf.transpose(sb)), tf.matMul(tf.transpose(sa), dy as tf.Tensor2D)];
    },
  };
}) as (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;

/**
 * The model's output for a batch, computed with raw tfjs ops on the layers' variables: matMul, bias
 * add, activation, as `tf.layers.dense` computes them (within float rounding: the layer fuses the bias
 * into the product), but with a faster gradient (`matMulTransposedGrad`) and without the Layers
 * graph-execution overhead. Together ≈ 2× faster training steps. Differentiable; call it inside
 * `tf.tidy`/`variableGrads`.
 */
export function mlpApply(model: tf.LayersModel, x: tf.Tensor2D): tf.Tensor2D {
  let acts = activationCache.get(model);
  if (!acts) {
    acts = model.layers.map((l) => (l.getConfig() as { activation?: string }).activation ?? 'linear');
    activationCache.set(model, acts);
  }
  let h = x;
  for (let i = 0; i < model.layers.length; i++) {
    const [k, b] = model.layers[i]!.trainableWeights.map((w) => w.read()) as [tf.Tensor2D, tf.Tensor1D];
    const act = acts[i]!;
    const z = tf.add(matMulTransposedGrad(h, k), b) as tf.Tensor2D;
    if (act === 'linear') h = z;
    else if (act === 'relu') h = tf.relu(z);
    else if (act === 'tanh') h = tf.tanh(z);
    else throw new Error(`mlpApply: unsupported activation ${act}`);
  }
  return h;
}

/** The dense layers of a model as [inputSize, outputSize] pairs, in order. */
function denseSizes(model: tf.LayersModel): [number, number][] {
  return model.layers.map((l) => {
    const w = l.getWeights();
    const k = w[0];
    if (!k || k.shape.length !== 2) throw new Error(`layer ${l.name} is not a dense layer`);
    return [k.shape[0]!, k.shape[1]!];
  });
}

/** A standard normal matrix, rows × cols, row-major. */
function gaussian(rng: Rng, rows: number, cols: number): Float64Array {
  const a = new Float64Array(rows * cols);
  for (let i = 0; i < a.length; i++) a[i] = rng.normal();
  return a;
}

/**
 * A (semi-)orthogonal rows × cols matrix scaled by `gain`, as `torch.nn.init.orthogonal_`: QR of a
 * Gaussian matrix (of the transpose when rows < cols), with the signs of R's diagonal folded into Q.
 * Gram–Schmidt with re-orthogonalisation in float64 is exact enough for our sizes (≤ a few hundred).
 */
export function orthogonalMatrix(rng: Rng, rows: number, cols: number, gain: number): Float64Array {
  const tall = rows >= cols;
  const m = tall ? rows : cols, n = tall ? cols : rows; // work on an m × n matrix with m ≥ n, columns orthonormalised
  const g = gaussian(rng, m, n); // row-major m × n
  const q = new Float64Array(m * n);
  const col = new Float64Array(m);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) col[i] = g[i * n + j]!;
    let rjj = 0;
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let dot = 0;
        for (let i = 0; i < m; i++) dot += q[i * n + k]! * col[i]!;
        for (let i = 0; i < m; i++) col[i] = col[i]! - dot * q[i * n + k]!;
      }
    }
    for (let i = 0; i < m; i++) rjj += col[i]! * col[i]!;
    rjj = Math.sqrt(rjj);
    // R's diagonal is positive by construction here (Q = G R⁻¹ with rjj > 0): the same distribution as torch's sign fix.
    for (let i = 0; i < m; i++) q[i * n + j] = col[i]! / rjj;
  }
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) out[r * cols + c] = gain * (tall ? q[r * n + c]! : q[c * n + r]!);
  }
  return out;
}

/** Writes `[out][in]` row-major kernels and biases into a model's dense layers (tfjs kernels are [in][out]). */
function setDense(model: tf.LayersModel, kernels: Float64Array[], biases: Float64Array[]): void {
  const sizes = denseSizes(model);
  sizes.forEach(([nin, nout], li) => {
    const k = kernels[li]!, b = biases[li]!;
    const t = new Float32Array(nin * nout);
    for (let o = 0; o < nout; o++) for (let i = 0; i < nin; i++) t[i * nout + o] = k[o * nin + i]!;
    const kt = tf.tensor2d(t, [nin, nout]);
    const bt = tf.tensor1d(Float32Array.from(b));
    model.layers[li]!.setWeights([kt, bt]);
    kt.dispose();
    bt.dispose();
  });
}

/**
 * CleanRL's `layer_init`: orthogonal kernels with gain `hiddenGain` (√2) on hidden layers and
 * `outputGain` on the last one (0.01 policy head, 1.0 value head), zero biases.
 */
export function initOrthogonal(model: tf.LayersModel, rng: Rng, hiddenGain: number, outputGain: number): void {
  const sizes = denseSizes(model);
  const kernels = sizes.map(([nin, nout], i) => orthogonalMatrix(rng, nout, nin, i === sizes.length - 1 ? outputGain : hiddenGain));
  setDense(model, kernels, sizes.map(([, nout]) => new Float64Array(nout)));
}

/**
 * PyTorch's default `nn.Linear` initialisation (what CleanRL's DQN uses): kernel and bias uniform in
 * ±1/√fan_in (kaiming_uniform with a = √5 gives exactly this bound for the kernel).
 */
export function initTorchDefault(model: tf.LayersModel, rng: Rng): void {
  const sizes = denseSizes(model);
  const kernels: Float64Array[] = [], biases: Float64Array[] = [];
  for (const [nin, nout] of sizes) {
    const bound = 1 / Math.sqrt(nin);
    const k = new Float64Array(nout * nin), b = new Float64Array(nout);
    for (let i = 0; i < k.length; i++) k[i] = rng.uniform(-bound, bound);
    for (let i = 0; i < b.length; i++) b[i] = rng.uniform(-bound, bound);
    kernels.push(k);
    biases.push(b);
  }
  setDense(model, kernels, biases);
}

interface PlainLayer {
  nin: number;
  nout: number;
  /** Row-major [out][in], so the inner loop runs over contiguous memory. */
  w: Float64Array;
  b: Float64Array;
  act: Activation;
  /** This layer's output buffer, reused on every call. */
  y: Float64Array;
}

/**
 * The hand-written forward pass: `forward(x)` returns the network's output in a buffer owned by the
 * PlainMlp (valid until the next call; copy it if you keep it).
 */
export class PlainMlp {
  private readonly layers: PlainLayer[];
  readonly inputSize: number;
  readonly outputSize: number;
  private readonly x0: Float64Array;

  constructor(shape: MlpShape) {
    const sizes = [shape.inputSize, ...shape.hidden, shape.outputSize];
    this.layers = [];
    for (let i = 0; i + 1 < sizes.length; i++) {
      const nin = sizes[i]!, nout = sizes[i + 1]!;
      this.layers.push({ nin, nout, w: new Float64Array(nin * nout), b: new Float64Array(nout), act: i + 2 === sizes.length ? 'linear' : shape.activation, y: new Float64Array(nout) });
    }
    this.inputSize = shape.inputSize;
    this.outputSize = shape.outputSize;
    this.x0 = new Float64Array(shape.inputSize);
  }

  /** Copies the current weights of `model` (same shape) into this forward pass. */
  copyFrom(model: tf.LayersModel): void {
    if (model.layers.length !== this.layers.length) throw new Error(`PlainMlp.copyFrom: model has ${model.layers.length} layers, expected ${this.layers.length}`);
    model.layers.forEach((layer, li) => {
      const L = this.layers[li]!;
      const [k, b] = layer.getWeights(); // the layer's variables themselves: nothing to dispose
      if (!k || !b || k.shape[0] !== L.nin || k.shape[1] !== L.nout) throw new Error(`PlainMlp.copyFrom: layer ${li} has shape ${JSON.stringify(k?.shape)}, expected [${L.nin},${L.nout}]`);
      const kd = k.dataSync(), bd = b.dataSync();
      for (let i = 0; i < L.nin; i++) for (let o = 0; o < L.nout; o++) L.w[o * L.nin + i] = kd[i * L.nout + o]!;
      L.b.set(bd);
    });
  }

  forward(x: ArrayLike<number>): Float64Array {
    // Copy the input into a Float64Array so that every layer's inner loop sees one array type (monomorphic).
    const x0 = this.x0;
    const n = this.inputSize;
    for (let i = 0; i < n; i++) x0[i] = x[i]!;
    let input = x0;
    for (let li = 0; li < this.layers.length; li++) {
      const L = this.layers[li]!;
      const nin = L.nin, nout = L.nout, w = L.w, b = L.b, y = L.y;
      const act = L.act === 'tanh' ? 1 : L.act === 'relu' ? 2 : 0;
      for (let o = 0; o < nout; o++) {
        let s = b[o]!;
        const base = o * nin;
        for (let i = 0; i < nin; i++) s += w[base + i]! * input[i]!;
        y[o] = act === 1 ? Math.tanh(s) : act === 2 ? (s > 0 ? s : 0) : s;
      }
      input = y;
    }
    return input;
  }
}
