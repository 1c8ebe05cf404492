/**
 * The committed models (results/models/ppo, results/models/dqn, the ones `npm start` compares) load and
 * act as their saved weights say: every greedy action over a `paper` episode equals the argmax over the
 * allowed actions of an independent forward pass written here from the tfjs files themselves
 * (model.json's layer list and activations, weights.bin's float32 kernels and biases).
 */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import '../../env/index.js';
import { EnvSpec, make, type EnvSpecJSON } from '../../env/core/registry.js';
import type { Discrete } from '../../env/core/spaces/index.js';
import { loadLearnedAgent } from '../../agents/learned.js';
import { initBackend } from '../../agents/nn/backend.js';

const MODELS = fileURLToPath(new URL('../../results/models', import.meta.url));

beforeAll(async () => {
  await initBackend('wasm');
});

interface Layer { kernel: Float32Array; bias: Float32Array; nin: number; nout: number; activation: string }

/** The dense layers of a saved tfjs Layers model, read from its files. */
function readLayers(dir: string): Layer[] {
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
    modelTopology: { config: { layers: { class_name: string; config: { activation: string } }[] } };
    weightsManifest: { paths: string[]; weights: { name: string; shape: number[] }[] }[];
  };
  const bin = readFileSync(join(dir, 'weights.bin'));
  const data = new Float32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  const tensors: Float32Array[] = [];
  let off = 0;
  for (const s of specs) {
    const n = s.shape.reduce((a, b) => a * b, 1);
    tensors.push(data.subarray(off, off + n));
    off += n;
  }
  expect(off).toBe(data.length);
  return json.modelTopology.config.layers.map((l, i) => {
    expect(l.class_name).toBe('Dense');
    const [nin, nout] = specs[2 * i]!.shape as [number, number];
    return { kernel: tensors[2 * i]!, bias: tensors[2 * i + 1]!, nin, nout, activation: l.config.activation };
  });
}

/** y = act(x · K + b) layer by layer, in float64; the kernel is [in][out] row-major. */
function forward(layers: Layer[], x: ArrayLike<number>): number[] {
  let h = Array.from(x);
  for (const L of layers) {
    const y: number[] = [];
    for (let o = 0; o < L.nout; o++) {
      let s = L.bias[o]!;
      for (let i = 0; i < L.nin; i++) s += L.kernel[i * L.nout + o]! * h[i]!;
      y.push(L.activation === 'tanh' ? Math.tanh(s) : L.activation === 'relu' ? Math.max(0, s) : s);
    }
    h = y;
  }
  return h;
}

function argmaxAllowed(v: number[], mask: ArrayLike<number> | undefined): number {
  let best = -1;
  for (let i = 0; i < v.length; i++) if ((!mask || mask[i]) && (best < 0 || v[i]! > v[best]!)) best = i;
  return best;
}

describe.each([['ppo', 'actor'], ['dqn', 'q']] as const)('the committed %s model', (algo, net) => {
  it('loads, and its greedy actions over a paper episode are the argmax of its saved weights', async () => {
    const dir = join(MODELS, algo);
    const saved = JSON.parse(readFileSync(join(dir, 'agent.json'), 'utf8')) as { envSpec: EnvSpecJSON };
    // the models were trained on SideCore-v0; they act on the current version with the kwargs they were trained with
    const env = make<Float32Array, number>(EnvSpec.fromJSON({ ...saved.envSpec, id: 'SideCore-v1', kwargs: { ...saved.envSpec.kwargs, scenario: 'paper' } }));
    const agent = await loadLearnedAgent(algo, dir, { env });
    const layers = readLayers(join(dir, net));
    let { obs, info } = env.reset({ seed: 0 });
    let steps = 0;
    const actions = new Set<number>();
    for (;;) {
      const mask = info.actionMask as Uint8Array | undefined;
      const expected = (env.actionSpace as Discrete).start + argmaxAllowed(forward(layers, obs), mask);
      const a = agent.act(obs, info);
      expect({ step: steps, action: a }).toEqual({ step: steps, action: expected });
      actions.add(a);
      const r = env.step(a);
      steps++;
      if (r.terminated || r.truncated) break;
      ({ obs, info } = r);
    }
    expect(steps).toBeGreaterThan(50);
    expect(actions.size).toBeGreaterThan(1); // the policy reacts to the workload: not a constant
    agent.dispose();
    env.close();
  });
});
