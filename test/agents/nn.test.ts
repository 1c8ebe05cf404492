import { describe, expect, it, beforeAll } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../env/core/rng.js';
import { initBackend, backendInfo } from '../../agents/nn/backend.js';
import { fileSystemHandler } from '../../agents/nn/fs-io.js';
import { PlainMlp, buildMlp, initOrthogonal, initTorchDefault, mlpApply, orthogonalMatrix } from '../../agents/nn/mlp.js';
import { actionMaskOf, maskedArgmax, sampleCategorical, uniformAllowed } from '../../agents/nn/policy-io.js';

beforeAll(async () => {
  await initBackend('wasm');
});

describe('backend', () => {
  it('runs on wasm and records it', () => {
    expect(tf.getBackend()).toBe('wasm');
    // Emscripten's rethrowing process handlers are removed (they print the whole minified wasm glue).
    expect(process.listeners('uncaughtException').some((l) => String(l).includes('ExitStatus'))).toBe(false);
    expect(process.listeners('unhandledRejection').some((l) => String(l).includes('throw reason'))).toBe(false);
    expect(backendInfo()).toEqual({ backend: 'wasm', tfjsVersion: tf.version.tfjs });
  });

  it('rejects unknown backends and explains a missing tfjs-node in one line', async () => {
    await expect(initBackend('gpu')).rejects.toThrow(/unknown tfjs backend "gpu"/);
    let msg = '';
    try {
      await initBackend('tensorflow');
    } catch (err) {
      msg = (err as Error).message;
    }
    if (msg) {
      // tfjs-node is not installed on this machine: the error names the package, in one line.
      expect(msg).toMatch(/@tensorflow\/tfjs-node/);
      expect(msg).not.toMatch(/\n/);
    }
    await initBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });
});

describe('orthogonal initialisation', () => {
  it('gives orthonormal rows/columns scaled by the gain', () => {
    for (const [r, c] of [[64, 4], [4, 64], [64, 64]] as const) {
      const m = orthogonalMatrix(Rng.fromSeed(3), r, c, 2);
      const k = Math.min(r, c);
      // (the k short vectors) · (same) = gain² I
      let worst = 0;
      for (let i = 0; i < k; i++) {
        for (let j = 0; j < k; j++) {
          let dot = 0;
          if (r >= c) for (let x = 0; x < r; x++) dot += m[x * c + i]! * m[x * c + j]!;
          else for (let x = 0; x < c; x++) dot += m[i * c + x]! * m[j * c + x]!;
          worst = Math.max(worst, Math.abs(dot - (i === j ? 4 : 0)));
        }
      }
      expect(worst).toBeLessThan(1e-9);
    }
  });

  it('is seeded', () => {
    expect(orthogonalMatrix(Rng.fromSeed(1), 8, 3, 1)).toEqual(orthogonalMatrix(Rng.fromSeed(1), 8, 3, 1));
    expect(orthogonalMatrix(Rng.fromSeed(1), 8, 3, 1)).not.toEqual(orthogonalMatrix(Rng.fromSeed(2), 8, 3, 1));
  });
});

describe('PlainMlp forward pass', () => {
  it('equals tfjs predict within 1e-5 (tanh and relu)', () => {
    const before = tf.memory().numTensors;
    for (const activation of ['tanh', 'relu'] as const) {
      const shape = { inputSize: 5, hidden: [64, 32], outputSize: 3, activation };
      const model = buildMlp(shape, 'm');
      const rng = Rng.fromSeed(7);
      if (activation === 'tanh') initOrthogonal(model, rng, Math.SQRT2, 1);
      else initTorchDefault(model, rng);
      const fast = new PlainMlp(shape);
      fast.copyFrom(model);
      const xs = new Float32Array(50 * 5).map(() => rng.uniform(-3, 3));
      const ref = tf.tidy(() => (model.predict(tf.tensor2d(xs, [50, 5])) as tf.Tensor).dataSync());
      for (let i = 0; i < 50; i++) {
        const y = fast.forward(xs.subarray(i * 5, i * 5 + 5));
        for (let k = 0; k < 3; k++) expect(Math.abs(y[k]! - ref[i * 3 + k]!)).toBeLessThan(1e-5);
      }
      model.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('mlpApply matches model.apply and its gradients (float rounding only)', () => {
    for (const activation of ['tanh', 'relu'] as const) {
      const model = buildMlp({ inputSize: 3, hidden: [32, 16], outputSize: 4, activation }, 'm');
      initTorchDefault(model, Rng.fromSeed(2));
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const before = tf.memory().numTensors;
      const [a, b, ga, gb] = tf.tidy(() => {
        const x = tf.tensor2d(new Float32Array(24).map((_, i) => Math.sin(i)), [8, 3]);
        const ref = (model.apply(x) as tf.Tensor2D).dataSync();
        const raw = mlpApply(model, x).dataSync();
        const g1 = tf.variableGrads(() => (model.apply(x) as tf.Tensor2D).square().mean() as tf.Scalar, vars).grads;
        const g2 = tf.variableGrads(() => mlpApply(model, x).square().mean() as tf.Scalar, vars).grads;
        return [ref, raw, vars.map((v) => g1[v.name]!.dataSync()), vars.map((v) => g2[v.name]!.dataSync())];
      });
      expect(tf.memory().numTensors).toBe(before);
      const ra = a as Float32Array, rb = b as Float32Array;
      for (let i = 0; i < ra.length; i++) expect(Math.abs(rb[i]! - ra[i]!)).toBeLessThan(1e-6);
      (ga as Float32Array[]).forEach((g, j) => {
        const h = (gb as Float32Array[])[j]!;
        expect(h.length).toBe(g.length);
        for (let i = 0; i < g.length; i++) expect(Math.abs(h[i]! - g[i]!)).toBeLessThan(1e-6 + 1e-4 * Math.abs(g[i]!));
      });
      model.dispose();
    }
  });

  it('copyFrom allocates no tensors', () => {
    const shape = { inputSize: 4, hidden: [8], outputSize: 2, activation: 'tanh' as const };
    const model = buildMlp(shape, 'm');
    const fast = new PlainMlp(shape);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) fast.copyFrom(model);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('fileSystemHandler', () => {
  it('saves and loads a model with identical weights', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fsio-'));
    try {
      const shape = { inputSize: 4, hidden: [16], outputSize: 2, activation: 'relu' as const };
      const model = buildMlp(shape, 'm');
      initTorchDefault(model, Rng.fromSeed(1));
      await model.save(fileSystemHandler(dir));
      const loaded = await tf.loadLayersModel(fileSystemHandler(dir));
      const a = model.getWeights().map((w) => Array.from(w.dataSync()));
      const b = loaded.getWeights().map((w) => Array.from(w.dataSync()));
      expect(b).toEqual(a);
      model.dispose();
      loaded.dispose();
      // Truncated weights: one line naming the problem.
      writeFileSync(join(dir, 'weights.bin'), new Uint8Array(10));
      await expect(tf.loadLayersModel(fileSystemHandler(dir))).rejects.toThrow(/corrupt weights .*10 bytes/);
      writeFileSync(join(dir, 'model.json'), '{oops');
      await expect(tf.loadLayersModel(fileSystemHandler(dir))).rejects.toThrow(/corrupt .*model\.json/);
      await expect(tf.loadLayersModel(fileSystemHandler(join(dir, 'nope')))).rejects.toThrow(/missing .*model\.json/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('masks and sampling', () => {
  it('never picks a masked action', () => {
    const rng = Rng.fromSeed(0);
    const logits = [5, 1, 0, 3];
    const mask = Uint8Array.from([0, 1, 0, 1]);
    expect(maskedArgmax(logits, 4, mask)).toBe(3);
    expect(maskedArgmax(logits, 4)).toBe(0);
    const out = { logp: 0 };
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 2000; i++) {
      counts[sampleCategorical(rng, logits, 4, mask, out)]!++;
      counts[uniformAllowed(rng, 4, mask)]!++;
    }
    expect(counts[0]).toBe(0);
    expect(counts[2]).toBe(0);
    // log π over the allowed pair {1, 3}: softmax([1, 3])
    sampleCategorical(Rng.fromSeed(1), [0, 0, 0, 0], 4, mask, out);
    expect(out.logp).toBeCloseTo(Math.log(0.5), 12);
  });

  it('reads info.actionMask and rejects bad masks', () => {
    expect(actionMaskOf({}, 3)).toBeUndefined();
    expect(Array.from(actionMaskOf({ actionMask: Int8Array.from([1, 0, 1]) }, 3)!)).toEqual([1, 0, 1]);
    expect(() => actionMaskOf({ actionMask: Int8Array.from([1, 0]) }, 3)).toThrow(/2 entries, expected 3/);
    expect(() => actionMaskOf({ actionMask: Int8Array.from([0, 0, 0]) }, 3)).toThrow(/allows no action/);
  });
});
