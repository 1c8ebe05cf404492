/**
 * A file-system `IOHandler` for tfjs Layers models (tfjs-node's `file://` handler is not available with
 * the pure `@tensorflow/tfjs` package). It writes and reads the standard tfjs format: `model.json`
 * (topology + weights manifest) and one `weights.bin`, loadable by any tfjs (`tf.loadLayersModel`).
 *
 *   await model.save(fileSystemHandler(dir));
 *   const m = await tf.loadLayersModel(fileSystemHandler(dir));
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

export function fileSystemHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) throw new Error('fileSystemHandler: binary topologies are not supported');
      mkdirSync(dir, { recursive: true });
      const weights = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: artifacts.convertedBy ?? null,
      };
      writeFileSync(join(dir, WEIGHTS_BIN), new Uint8Array(weights));
      writeFileSync(join(dir, MODEL_JSON), JSON.stringify(modelJson));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },

    async load(): Promise<tf.io.ModelArtifacts> {
      const path = join(dir, MODEL_JSON);
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        throw new Error(`missing ${path}`);
      }
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse(text) as tf.io.ModelJSON;
      } catch (err) {
        throw new Error(`corrupt ${path}: ${(err as Error).message}`);
      }
      if (!json || typeof json !== 'object' || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
        throw new Error(`corrupt ${path}: no modelTopology/weightsManifest`);
      }
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs: tf.io.WeightsManifestEntry[] = [];
        const buffers: ArrayBuffer[] = [];
        for (const group of manifest) {
          specs.push(...group.weights);
          for (const p of group.paths) {
            const file = join(dir, p);
            let buf: Buffer;
            try {
              buf = readFileSync(file);
            } catch {
              throw new Error(`missing ${file}`);
            }
            buffers.push(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer);
          }
        }
        const data = tf.io.CompositeArrayBuffer.join(buffers);
        const expected = specs.reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1) * 4, 0);
        if (data.byteLength !== expected) throw new Error(`corrupt weights in ${dir}: ${data.byteLength} bytes, the manifest needs ${expected}`);
        return [specs, data];
      });
    },
  };
}
