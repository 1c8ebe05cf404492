import { afterEach, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli as run } from './run-cli.js';
import { expandScenarios } from '../../experiments/envs.js';
import { UsageError } from '../../experiments/errors.js';
import { planSweep } from '../../experiments/sweep.js';
import { generateScenarioSpec } from '../../env/scenarios/generator.js';
import { tempDir } from '../temp-dirs.js';


afterEach(() => { process.exitCode = undefined; });

describe('scenario lists with generated families (experiments/envs.ts expandScenarios)', () => {
  it('expands families, members and ranges next to shipped names, paths and prefix families', () => {
    expect(expandScenarios(['train'])).toEqual(Array.from({ length: 50 }, (_, i) => `train:${i}`));
    expect(expandScenarios(['heldout'])).toEqual(Array.from({ length: 10 }, (_, i) => `heldout:${i}`));
    expect(expandScenarios(['paper', 'train:0-2', 'heldout:3', 'elvis-rr-1*', 'train:1'])).toEqual(['paper', 'train:0', 'train:1', 'train:2', 'heldout:3', 'elvis-rr-1vm']);
    // A `<word>:<rest>` file of the user's is still a path.
    const dir = tempDir('lists-');
    const file = join(dir, 'my:scenario.json');
    writeFileSync(file, '{}');
    expect(expandScenarios([file])).toEqual([file]);
  });

  it('malformed entries are one-line UsageErrors', () => {
    for (const [entry, re] of [
      ['heldout:-1', /index must be an integer/], ['train:abc', /index must be an integer/],
      ['nofamily:3', /unknown scenario family 'nofamily'/], ['train:5-1', /empty range/],
    ] as const) {
      let err: unknown;
      try { expandScenarios(['paper', entry]); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(UsageError);
      expect((err as Error).message).toMatch(re);
    }
  });

  it('sweep configs take them too', async () => {
    const plan = await planSweep({ scenarios: ['heldout:0-1', 'train:7'], agents: ['static:1'], seeds: 1 });
    expect(plan.jobs.map((j) => j.scenario)).toEqual(['heldout:0', 'heldout:1', 'train:7']);
    expect(plan.jobs[0]!.envSpec.kwargs.scenario).toBe('heldout:0');
    await expect(planSweep({ scenarios: ['nofamily:1'], agents: ['static:1'], seeds: 1 })).rejects.toThrow(/unknown scenario family/);
  });

  it('CLI: bad names exit 2 with one line; scenarios lists and --show prints the generated JSON', async () => {
    const out = join(tempDir('lists-'), 'out');
    for (const [args, re] of [
      [['evaluate', '--agents', 'iocm', '--scenarios', 'heldout:-1', '--out', out], /heldout:-1.*index must be an integer/],
      [['train', '--agent', 'ppo', '--scenarios', 'train:abc', '--steps', '10', '--out', out], /train:abc.*index must be an integer/],
      [['paper', '--scenarios', 'nofamily:3', '--out', out], /unknown scenario family 'nofamily'/],
      [['oracle', '--scenario', 'train:abc'], /index must be an integer/],
      [['simulate', '--scenario', 'nofamily:3'], /unknown scenario family/],
      [['scenarios', '--show', 'heldout:x'], /index must be an integer/],
    ] as [string[], RegExp][]) {
      const r = await run(args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.err).toMatch(re);
      expect(r.err.trimEnd().split('\n')).toHaveLength(1);
    }
    const show = await run(['scenarios', '--show', 'heldout:3']);
    expect(show.code).toBe(0);
    expect(JSON.parse(show.out)).toEqual(generateScenarioSpec('heldout', 3));
    const list = await run(['scenarios']);
    expect(list.code).toBe(0);
    expect(list.out).toContain('heldout:<i>');
    expect(list.out).toContain('paper');
  });
});
