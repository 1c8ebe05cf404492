/** Loading a saved model refuses non-finite weights, naming the network and the weight, in one line. */
import { beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DQN } from '../../../agents/dqn.js';
import { initBackend } from '../../../agents/nn/backend.js';
import { PPO } from '../../../agents/ppo.js';
import { tempDir } from '../../temp-dirs.js';

const MODELS = fileURLToPath(new URL('../../../results/models', import.meta.url));

beforeAll(async () => {
  await initBackend('wasm');
});

/** A copy of a committed model with one float32 of `net`'s weights.bin replaced. */
function corrupted(algo: string, net: string, byteOffset: number, value: number): string {
  const dir = join(tempDir(`${algo}-bad-`), algo);
  cpSync(join(MODELS, algo), dir, { recursive: true });
  const file = join(dir, net, 'weights.bin');
  const w = readFileSync(file);
  w.writeFloatLE(value, byteOffset);
  writeFileSync(file, w);
  return dir;
}

describe('loading a model with non-finite weights', () => {
  it('DQN: +Infinity in the last layer is refused', async () => {
    const size = readFileSync(join(MODELS, 'dqn', 'q', 'weights.bin')).length;
    const dir = corrupted('dqn', 'q', size - 4, Number.POSITIVE_INFINITY);
    await expect(DQN.load(dir)).rejects.toThrow(/^corrupt q network in .*: weight .* holds Infinity \(non-finite weights/);
  });

  it('PPO: NaN in the critic is refused (the critic does not act, but a resumed training would use it)', async () => {
    const dir = corrupted('ppo', 'critic', 0, Number.NaN);
    await expect(PPO.load(dir)).rejects.toThrow(/^corrupt critic network in .*: weight .* holds NaN/);
  });

  it('the committed models themselves load', async () => {
    const p = await PPO.load(join(MODELS, 'ppo'));
    const d = await DQN.load(join(MODELS, 'dqn'));
    expect([p.algo, d.algo]).toEqual(['ppo', 'dqn']);
    p.dispose();
    d.dispose();
  });
});
