import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envSpecFor } from '../../experiments/envs.js';
import { MultiScenarioEnv, multiScenarioSource } from '../../experiments/multi-scenario.js';
import { runCli as run } from './run-cli.js';
import { tempDir } from '../temp-dirs.js';

afterEach(() => { process.exitCode = undefined; });

const SCENARIOS = ['elvis-rr-1vm', 'elvis-stream-2vm', 'elvis-memcached-3vm'];
const specs = SCENARIOS.map((scenario) => envSpecFor('SideCore-v1', { scenario, actionMode: 'absolute' }));

/** The scenarios of `episodes` episodes after reset({seed}), stepping with action 1. */
function episodeScenarios(env: MultiScenarioEnv, seed: number, episodes: number): string[] {
  const names: string[] = [];
  let { info } = env.reset({ seed });
  for (let e = 0; e < episodes; e++) {
    names.push(String(info.scenario));
    for (;;) {
      const r = env.step(1);
      if (r.truncated || r.terminated) break;
    }
    ({ info } = env.reset());
  }
  return names;
}

describe('MultiScenarioEnv', () => {
  it('draws every episode\'s scenario from its seeded generator: same seed, same sequence; all scenarios used', () => {
    const a = new MultiScenarioEnv(specs), b = new MultiScenarioEnv(specs);
    const sa = episodeScenarios(a, 3, 12), sb = episodeScenarios(b, 3, 12);
    expect(sa).toEqual(sb);
    expect(new Set(sa)).toEqual(new Set(SCENARIOS));
    expect(a.spec?.toJSON()).toEqual(specs[0]);
    a.close();
    a.close();
    b.close();
  });

  it('reports each finished episode\'s scenario, and refuses scenarios with other spaces', () => {
    const ended: string[] = [];
    const env = new MultiScenarioEnv(specs, (s) => ended.push(s));
    const seen = episodeScenarios(env, 0, 5);
    expect(ended).toEqual(seen);
    env.close();
    const other = envSpecFor('SideCore-v1', { scenario: 'elvis-rr-2vm', actionMode: 'delta' });
    const bad = new MultiScenarioEnv([specs[0]!, other]);
    expect(() => { for (let s = 0; s < 20; s++) bad.reset({ seed: s }); }).toThrow(/MultiScenarioEnv: scenario elvis-rr-2vm has spaces/);
    bad.close();
  });

  it('one spec is that env; several give fresh envs', () => {
    const one = multiScenarioSource([specs[0]!]);
    expect(typeof one).not.toBe('function');
    const many = multiScenarioSource(specs) as () => MultiScenarioEnv;
    expect(many()).not.toBe(many());
  });
});

describe('iocm-gym train over several scenarios', () => {
  it('trains on a list of scenarios (absolute actions, --args) and saves the model with its env kwargs and Args', async () => {
    const out = join(tempDir('train-'), 'ppo');
    const r = await run(['train', '--agent', 'ppo', '--scenarios', SCENARIOS.join(','), '--steps', '2048', '--out', out, '--action-mode', 'absolute',
      '--args', '{"numSteps":64,"gamma":0.9}', '--no-plots', '--quiet', '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const agent = JSON.parse(readFileSync(join(out, 'agent.json'), 'utf8')) as { args: { gamma: number; numSteps: number }; envSpec: { kwargs: { actionMode: string } } };
    expect(agent.args.gamma).toBe(0.9);
    expect(agent.args.numSteps).toBe(64);
    expect(agent.envSpec.kwargs.actionMode).toBe('absolute');
    expect(existsSync(join(out, 'training-curve.csv'))).toBe(true);
  }, 60_000);

  it('--args: bad JSON or an unknown arg is one line and exit 2, nothing written', async () => {
    const out = join(tempDir('train-'), 'x');
    for (const [args, re] of [['{"gama":0.9}', /--args: ppo has no arg "gama"/], ['{gamma', /--args: not JSON/], ['[1]', /expected a JSON object/]] as const) {
      const res = await run(['train', '--agent', 'ppo', '--steps', '10', '--out', out, '--args', args]);
      expect(res.code).toBe(2);
      expect(res.err).toMatch(re);
      expect(res.err.trimEnd().split('\n')).toHaveLength(1);
    }
    expect(existsSync(out)).toBe(false);
  });
});
