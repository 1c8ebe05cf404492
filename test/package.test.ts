/**
 * The package as another project sees it: `npm pack`, install the tarball into an empty project
 * (offline, see package-consumer.ts), type-check the README's marked snippets against the installed
 * types, and run them there. Slow (a build, an install, a short PPO run and an evaluation: 1–3 minutes).
 */
import { describe, expect, it, beforeAll } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installConsumer, markedSnippets, packRepo } from './package-consumer.js';
import { tempDir } from './temp-dirs.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const snippets = markedSnippets(readFileSync(join(root, 'README.md'), 'utf8'));
let consumer = '';

function run(name: string): string {
  const tsx = join(root, 'node_modules', '.bin', 'tsx');
  const r = spawnSync(tsx, [`${name}.ts`], { cwd: consumer, encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`snippet ${name} failed (exit ${r.status}):\n${r.stderr}`);
  return r.stdout;
}

describe('the packed package, installed in another project', () => {
  beforeAll(() => {
    const dir = tempDir('iocm-gym-pack-');
    consumer = join(dir, 'consumer');
    mkdirSync(consumer);
    installConsumer(root, packRepo(root, dir), consumer);
    for (const [name, code] of snippets) writeFileSync(join(consumer, `${name}.ts`), code);
  }, 600_000);

  it('finds the three README snippets', () => {
    expect([...snippets.keys()].sort()).toEqual(['episode', 'evaluate', 'train']);
  });

  it('ships the entry points with their types, and neither tests nor sources', () => {
    const pkg = join(consumer, 'node_modules', 'iocm-gym');
    for (const e of ['env', 'agents', 'experiments']) {
      expect(existsSync(join(pkg, 'dist', e, 'index.js'))).toBe(true);
      expect(existsSync(join(pkg, 'dist', e, 'index.d.ts'))).toBe(true);
    }
    expect(existsSync(join(pkg, 'env', 'scenarios', 'paper.json'))).toBe(true);
    // the scenario format, which the README links to
    expect(existsSync(join(pkg, 'env', 'scenarios', 'README.md'))).toBe(true);
    expect(existsSync(join(pkg, 'test'))).toBe(false);
    expect(existsSync(join(pkg, 'env', 'sidecore.ts'))).toBe(false);
  });

  it('installs the CLI, which finds the shipped scenarios', () => {
    const bin = join(consumer, 'node_modules', '.bin', 'iocm-gym');
    const r = spawnSync(bin, ['scenarios'], { cwd: consumer, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\bpaper\b/);
  }, 120_000);

  it('type-checks the snippets against the installed declarations', () => {
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, skipLibCheck: true,
        types: ['node'], typeRoots: [join(root, 'node_modules', '@types')],
      },
      include: [...snippets.keys()].map((n) => `${n}.ts`),
    }));
    const r = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', consumer], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  }, 120_000);

  it('runs an episode, then snapshots and restores the env', () => {
    run('episode');
  }, 120_000);

  it('trains PPO for four updates from a script, saves it and plays it greedily', () => {
    const out = run('train');
    expect(out.match(/^update \d+: \d+ steps/gm)).toHaveLength(4);
    expect(out).toMatch(/greedy PPO on paper: score \d+\.\d/);
    expect(existsSync(join(consumer, 'models', 'ppo', 'agent.json'))).toBe(true);
  }, 300_000);

  it('evaluates IOcm against the oracles on the worker pool', () => {
    const out = run('evaluate');
    for (const agent of ['iocm', 'static:3', 'oracle', 'oracle-static']) expect(out).toMatch(new RegExp(`^${agent} +score \\d`, 'm'));
    expect(out).toMatch(/^oracle +score [\d.]+ +vs oracle 1\.000$/m);
    expect(existsSync(join(consumer, 'eval-paper', 'summary.md'))).toBe(true);
  }, 300_000);
});
