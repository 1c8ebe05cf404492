/** evaluate's default seeds follow whether the env's runs depend on the seed. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { defaultSeeds } from '../../../experiments/commands/evaluate.js';
import { runCli } from '../run-cli.js';
import { tempDir } from '../../temp-dirs.js';

afterEach(() => { process.exitCode = undefined; });

describe('evaluate --seeds default', () => {
  it('one seed on the noise-free fast tier only, three with noise, on the detailed tier and on other envs', () => {
    expect(defaultSeeds('SideCore-v1', undefined, false)).toBe(1);
    expect(defaultSeeds('SideCore-v1', 'fast', false)).toBe(1);
    expect(defaultSeeds('SideCore-v1', undefined)).toBe(3);
    expect(defaultSeeds('SideCore-v1', 'fast', true)).toBe(3);
    expect(defaultSeeds('SideCore-v1', 'detailed')).toBe(3);
    expect(defaultSeeds('CartPole-v1', undefined)).toBe(3);
  });

  it('runs one seed per agent and scenario on the noise-free fast tier unless told', async () => {
    const out = join(tempDir('eval-'), 'o');
    const r = await runCli(['evaluate', '--agents', 'static:1', '--scenarios', 'train:0', '--no-noise', '--max-steps', '5', '--oracle', 'none', '--out', out, '--workers', '1', '--no-plots', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { runs: number; summary: { n: number }[] };
    expect(j.runs).toBe(1);
    expect(j.summary[0]!.n).toBe(1);
  });
});
