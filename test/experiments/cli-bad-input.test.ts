/**
 * Regression tests of the bad-input audit: each case was a hang, a late failure (exit 1 after the work),
 * a multi-line or obscure message, or a half-made output folder. Now: one line on stderr, exit 2,
 * nothing written.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expectUsageError } from './run-cli.js';
import { tempDir } from '../temp-dirs.js';


afterEach(() => { process.exitCode = undefined; });

describe('iocm-gym bad input (audit regressions)', () => {
  it('one line, exit 2, nothing written', async () => {
    const dir = tempDir('cli-bad-');
    const out = join(dir, 'out');
    const file = join(dir, 'afile');
    writeFileSync(file, 'x');
    mkdirSync(join(dir, 'nomodels'));
    const cases: [string[], RegExp][] = [
      // the static target is checked against the env before sweep.json is written
      [['evaluate', '--agents', 'static:9', '--scenarios', 'paper', '--oracle', 'none', '--out', out], /agent spec "static:9": 9 I\/O cores is outside .* \(scenario paper\)/],
      // mkdirSync(recursive) never returns under /proc
      [['evaluate', '--agents', 'iocm', '--scenarios', 'paper', '--out', '/proc/iocm-gym-x/y'], /--out \/proc\/iocm-gym-x\/y: not writable/],
      // checked before the search, not after it
      [['oracle', '--scenario', 'paper', '--kind', 'static', '--record', join(file, 'r.json')], /--record .*afile\/r\.json: .*afile is not a directory/],
      [['oracle', '--scenario', 'paper', '--max-schedules', '-1'], /--max-schedules must be a positive integer, got -1/],
      [['oracle', '--scenario', 'paper', '--every', '0'], /--every must be a positive integer, got 0/],
      [['oracle', '--scenario', 'paper', '--kind', 'sometimes'], /--kind must be a list of dp, phase, static, or all; got "sometimes"/],
      // a repeated single-valued flag arrived as an array
      [['simulate', '--scenario', 'paper', '--scenario', 'mixed'], /--scenario is given 2 times; give it once/],
      // the output folder is made only after the scenarios are checked
      [['train', '--agent', 'ppo', '--scenarios', 'no-such', '--steps', '10', '--out', out], /no shipped scenario or file named 'no-such'/],
      // a --models the user names must exist and hold models
      [['paper', '--models', join(dir, 'missing'), '--out', out], /--models .*missing: no such directory/],
      [['paper', '--models', join(dir, 'nomodels'), '--out', out], /--models .*nomodels: holds neither ppo\/ nor dqn\//],
      [['evaluate', '--agents', 'iocm', '--out', out, '--timelines', 'some'], /--timelines must be a count or all, got "some"/],
      [['evaluate', '--agents', 'iocm', '--out', out, '--timelines', '-1'], /--timelines must be a count or all, got "-1"/],
      // yargs makes NaN of a number option's text; the message quotes what was typed
      [['simulate', '--scenario', 'paper', '--io-cores', 'abc'], /--io-cores must be a number, got "abc"/],
      [['evaluate', '--agents', 'iocm', '--out', out, '--workers=two'], /--workers must be a number, got "two"/],
      // an option without its value got its default (seed 0, the whole scenario) or '' (read as a path)
      [['simulate', '--scenario', 'paper', '--seed'], /--seed needs a value/],
      [['simulate', '--scenario', 'paper', '--duration', '--json'], /--duration needs a value/],
      [['simulate', '--scenario'], /--scenario needs a value/],
      [['simulate', '--scenario='], /--scenario needs a value/],
      [['evaluate', '--agents', '--out', out], /--agents needs a value/],
    ];
    for (const [args, re] of cases) {
      await expectUsageError(args, re);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('CLI reliability: refused before anything is written, with the field and the problem named', async () => {
    const dir = tempDir('cli-bad-');
    const out = join(dir, 'out');
    const cfg = (name: string, c: unknown): string => { const f = join(dir, name); writeFileSync(f, JSON.stringify(c)); return f; };
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ name: 'bad', phases: [{ durationS: 1, workload: { type: 'idle' } }] }));
    const blip = join(dir, 'blip.json');
    writeFileSync(blip, JSON.stringify({ name: 'blip', vms: 2, phases: [{ name: 'rr', durationS: 1, workload: { type: 'tcp_rr' } }, { name: 'blip', durationS: 0.01, workload: { type: 'idle' } }] }));
    const cases: [string[], RegExp][] = [
      [['sweep', '--config', cfg('dup.json', { agents: ['iocm'], scenarios: ['paper'], seeds: [0, 0] }), '--out', out], /dup\.json: seeds: seed 0 is listed twice; seeds must be distinct/],
      [['sweep', '--config', cfg('frac.json', { agents: ['iocm'], scenarios: ['paper'], seeds: 1.5 }), '--out', out], /frac\.json: seeds: 1\.5 is not a count of seeds from 1 to 100000; give a count N/],
      [['sweep', '--config', cfg('nosc.json', { agents: ['iocm'], seeds: 1 }), '--out', out], /nosc\.json: scenarios: missing; SideCore-v1 needs a list of scenarios/],
      [['evaluate', '--env', 'CartPole-v1', '--agents', 'random', '--out', out], /agent "oracle": CartPole-v1 has no phases .*leave the oracles out \(evaluate --oracle none\)/],
      [['evaluate', '--agents', 'iocm', '--scenarios', `paper,${bad}`, '--oracle', 'none', '--out', out], /^iocm-gym: evaluate: scenario .*bad\.json: scenario\.vms: is required/],
      [['evaluate', '--agents', 'iocm', '--scenarios', blip, '--oracle', 'none', '--out', out], /phase 1 \(blip\) lasts 0\.01 s, less than one 100 ms epoch; make it at least 0\.1 s/],
      [['evaluate', '--agents', 'iocm:minIoCores=3,maxIoCores=1', '--oracle', 'none', '--out', out], /'minIoCores' must be ≤ maxIoCores \(1\), got '3'/],
      [['evaluate', '--agents', 'iocm:maxIoCores=99', '--oracle', 'none', '--out', out], /maxIoCores 99 is more than the env's 4 I\/O cores/],
    ];
    for (const [args, re] of cases) {
      await expectUsageError(args, re);
      expect(existsSync(out)).toBe(false);
    }
    // an unrelated non-empty folder: refused, and nothing added to it
    const home = join(dir, 'home');
    mkdirSync(home);
    writeFileSync(join(home, 'thesis.tex'), 'x');
    await expectUsageError(['evaluate', '--agents', 'static:1', '--oracle', 'none', '--out', home], /--out .*home: not empty and not a results folder of iocm-gym \(holds thesis\.tex\)/);
    expect(readdirSync(home)).toEqual(['thesis.tex']);
  });

  it('the built CLI exits after --help', () => {
    const bin = fileURLToPath(new URL('../../bin/iocm-gym.js', import.meta.url));
    if (!existsSync(fileURLToPath(new URL('../../dist/experiments/cli.js', import.meta.url)))) return; // not built
    const r = spawnSync(process.execPath, [bin, 'sweep', '--help'], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--config');
  });
});
