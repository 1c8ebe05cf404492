/**
 * Regression tests of the bad-input audit: each case was a hang, a late failure (exit 1 after the work),
 * a multi-line or obscure message, or a half-made output folder. Now: one line on stderr, exit 2,
 * nothing written.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
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
    ];
    for (const [args, re] of cases) {
      await expectUsageError(args, re);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('the built CLI exits after --help', () => {
    const bin = fileURLToPath(new URL('../../bin/iocm-gym.js', import.meta.url));
    if (!existsSync(fileURLToPath(new URL('../../dist/experiments/cli.js', import.meta.url)))) return; // not built
    const r = spawnSync(process.execPath, [bin, 'sweep', '--help'], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('--config');
  });
});
