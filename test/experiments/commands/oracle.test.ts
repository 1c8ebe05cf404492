import { afterEach, describe, expect, it } from '@jest/globals';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli as run } from '../run-cli.js';
import { parseOracleKinds } from '../../../experiments/commands/oracle.js';
import { tempDir } from '../../temp-dirs.js';

afterEach(() => { process.exitCode = undefined; });

// A 0.6 s three-phase scenario on 2 VMs: 6 epochs, so the cost-aware search has 6 decision points.
function tinyScenario(dir: string): string {
  const f = join(dir, 'tiny.json');
  writeFileSync(f, JSON.stringify({
    name: 'tiny-oracle-cli', vms: 2,
    phases: [
      { name: 'rr', durationS: 0.2, workload: { type: 'tcp_rr' } },
      { name: 'stream', durationS: 0.3, workload: { type: 'tcp_stream_tx' } },
      { name: 'cpu', durationS: 0.1, workload: { type: 'cpu' } },
    ],
  }));
  return f;
}

interface JsonResult { kind: string; score: number; bound?: number; spaceLog10?: number; decisionPoints?: number[]; dp?: { exact: boolean; decisionPoints: number; changes: [number, number][] } }

describe('iocm-gym oracle', () => {
  it('names the oracles by kind or agent spec; dynamic is the cost-aware one', () => {
    expect(parseOracleKinds('all')).toEqual(['dp', 'phase', 'static']);
    expect(parseOracleKinds('oracle-phase,dynamic,phase')).toEqual(['phase', 'dp']);
    expect(parseOracleKinds('both')).toEqual(['dp', 'static']);
    expect(() => parseOracleKinds('dp,sometimes')).toThrow(/--kind must be a list of dp, phase, static, or all; got "sometimes"/);
  });

  it('runs all three oracles: bound ≥ cost-aware ≥ per-phase ≥ static, on a grid of every epoch or every k', async () => {
    const sc = tinyScenario(tempDir('oracle-cli-'));
    const r = await run(['oracle', '--scenario', sc, '--workers', '1', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { results: JsonResult[] };
    expect(j.results.map((x) => x.kind)).toEqual(['dp', 'phase', 'static']);
    const [dp, phase, st] = j.results as [JsonResult, JsonResult, JsonResult];
    expect(dp.dp!.exact).toBe(true);
    expect(dp.decisionPoints).toEqual([0, 1, 2, 3, 4, 5]);
    expect(dp.spaceLog10!).toBeCloseTo(6 * Math.log10(5), 9);
    expect(dp.bound!).toBeGreaterThanOrEqual(dp.score);
    expect(dp.score).toBeGreaterThanOrEqual(phase.score);
    expect(phase.score).toBeGreaterThanOrEqual(st.score);
    // every 4 epochs: points 0 and 4, plus the phase starts 2 and 5
    const coarse = JSON.parse((await run(['oracle', '--scenario', sc, '--kind', 'dp', '--every', '4', '--workers', '1', '--json'])).out) as { results: JsonResult[] };
    expect(coarse.results[0]!.decisionPoints).toEqual([0, 2, 4, 5]);
    expect(coarse.results[0]!.score).toBeLessThanOrEqual(dp.score);
    expect(coarse.results[0]!.score).toBeGreaterThanOrEqual(phase.score);
  });

  it('writes the cost-aware schedule as a run record that replays', async () => {
    const dir = tempDir('oracle-cli-');
    const sc = tinyScenario(dir);
    const rec = join(dir, 'oracle.json');
    const r = await run(['oracle', '--scenario', sc, '--kind', 'dp', '--workers', '1', '--record', rec]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/cost-aware dynamic \(oracle\) oracle: score/);
    expect(r.out).toMatch(/bound +\d/);
    const rep = await run(['replay', rec]);
    expect(rep.code).toBe(0);
  });
});
