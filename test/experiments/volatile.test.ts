/**
 * Rerunning a sweep over the same code and inputs rewrites its result files byte for byte: wall times
 * and the commit live only in timings.csv and run-info.json (which results/paper/.gitignore lists).
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOY_MODULE } from './fixtures/phased-toy.js';
import { runCli } from './run-cli.js';
import { VOLATILE_FILES, splitVolatile } from '../../experiments/volatile.js';
import type { RunRecord } from '../../experiments/record.js';
import { tempDir } from '../temp-dirs.js';

afterEach(() => { process.exitCode = undefined; });

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
}

describe('volatile fields', () => {
  it('splitVolatile takes the wall times and the commit out of a record', () => {
    const rec = { provenance: { package: 'p', gitCommit: 'abc', node: 'v20', wallMs: 12 }, agent: { spec: 'oracle', actionMode: 'absolute', describe: { oracle: 'dynamic', searchWallMs: 7 } } } as unknown as RunRecord;
    const { stable, timing } = splitVolatile(rec);
    expect(stable.provenance).toEqual({ package: 'p', node: 'v20' });
    expect(stable.agent.describe).toEqual({ oracle: 'dynamic' });
    expect(timing).toEqual({ wallMs: 12, searchWallMs: 7 });
  });

  it('two runs of one sweep write identical files but for timings.csv and run-info.json', async () => {
    const dir = tempDir('volatile-');
    const cfg = join(dir, 'c.json');
    writeFileSync(cfg, JSON.stringify({ env: 'PhasedToy-v0', agents: ['static:1', 'random', 'oracle'], seeds: 2, envModules: [fileURLToPath(TOY_MODULE)] }));
    for (const o of ['a', 'b']) {
      const r = await runCli(['sweep', '--config', cfg, '--out', join(dir, o), '--workers', '1', '--quiet']);
      expect({ code: r.code, err: r.err, out: r.out }).toEqual({ code: 0, err: '', out: '' });
    }
    const a = files(join(dir, 'a')).map((f) => relative(join(dir, 'a'), f)).sort();
    expect(a).toEqual(files(join(dir, 'b')).map((f) => relative(join(dir, 'b'), f)).sort());
    expect(a).toEqual(expect.arrayContaining([...VOLATILE_FILES, 'summary.md', 'runs.csv', 'scores.png']));
    for (const f of a) {
      if ((VOLATILE_FILES as readonly string[]).includes(f)) continue;
      // report.html quotes the command that regenerates the run, which names its own --out folder
      const bytesA = f === 'report.html' ? Buffer.from(readFileSync(join(dir, 'a', f), 'utf8').split(join(dir, 'a')).join(join(dir, 'b'))) : readFileSync(join(dir, 'a', f));
      expect({ f, same: bytesA.equals(readFileSync(join(dir, 'b', f))) }).toEqual({ f, same: true });
    }
    const timings = readFileSync(join(dir, 'a', 'timings.csv'), 'utf8').trim().split('\n');
    expect(timings[0]).toBe('job,agent,scenario,variant,seed,wall_ms,oracle_search_ms');
    expect(timings).toHaveLength(1 + 6);
  }, 60_000);
});
