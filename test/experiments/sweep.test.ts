import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOY_MODULE } from './fixtures/phased-toy.js';
import { UsageError } from '../../experiments/errors.js';
import { withPool } from '../../experiments/pool.js';
import { planSweep, readJob, runSweep } from '../../experiments/sweep.js';
import { LOCK_FILE } from '../../experiments/out-dir.js';
import { writeTables } from '../../experiments/report.js';
import { tempDir } from '../temp-dirs.js';

const toyPath = fileURLToPath(TOY_MODULE);
const cliFixture = fileURLToPath(new URL('./fixtures/cli.ts', import.meta.url));
const tmp = (): string => tempDir('sweep-');

const config = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  env: 'PhasedToy-v0', envParams: { switchCost: [0.2, 1] }, agents: ['random', 'static:1', 'oracle'], seeds: 2, envModules: [toyPath], ...extra,
});

async function usageError(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    const m = (e as Error).message;
    expect(m).not.toContain('\n');
    return m;
  }
  throw new Error('expected a UsageError');
}

describe('sweep planning: bad input is a one-line usage error, before anything is written', () => {
  it('refuses bad configs, unknown agents and scenarios', async () => {
    expect(await usageError(planSweep({ agents: ['iocm'] }, { where: 'c.json' }))).toMatch(/^c\.json: seeds: /);
    expect(await usageError(planSweep({ ...config(), colour: 1 }, { where: 'c.json' }))).toBe('c.json: unknown field(s) colour');
    // the file and the field are named, as for every other config error
    expect(await usageError(planSweep(config({ agents: ['iocm', 'magic'] }), { where: 'c.json' }))).toMatch(/^c\.json: agents: unknown agent spec "magic"; use one of: /);
    expect(await usageError(planSweep({ agents: ['iocm'], scenarios: ['no-such-scenario'], seeds: 1 }))).toMatch(/no shipped scenario or file named 'no-such-scenario'/);
    expect(await usageError(planSweep(config({ envParams: { switchCost: 'x' } })))).toMatch(/switchCost/);
  });

  it('refuses an unwritable out dir and writes nothing', async () => {
    const plan = await planSweep(config());
    const ro = join(tmp(), 'ro');
    mkdirSync(ro);
    chmodSync(ro, 0o500);
    const out = join(ro, 'results');
    if (process.getuid?.() !== 0) {
      expect(await usageError(runSweep(plan, { out, workers: 0 }))).toMatch(/not writable \(EACCES\)/);
      expect(existsSync(out)).toBe(false);
    }
    const file = join(tmp(), 'file');
    writeFileSync(file, 'x');
    expect(await usageError(runSweep(plan, { out: file, workers: 0 }))).toMatch(/exists and is not a directory/);
    expect(await usageError(runSweep(plan, { out: join(file, 'sub'), workers: 0 }))).toMatch(/not writable \(ENOTDIR\)/);
  });
});

describe('sweep execution', () => {
  it('gives the same results on 2 workers as sequentially, and resume redoes nothing', async () => {
    const plan = await planSweep(config());
    expect(plan.jobs).toHaveLength(2 * 3 * 2);
    expect(new Set(plan.jobs.map((j) => j.hash)).size).toBe(12);
    const seq = await runSweep(plan, { out: tmp(), workers: 0 });
    const par = await runSweep(plan, { out: tmp(), workers: 2 });
    for (let i = 0; i < plan.jobs.length; i++) {
      const [a, b] = [readJob(par.out, plan.jobs[i]!.hash)!, readJob(seq.out, plan.jobs[i]!.hash)!];
      expect(a.actions).toEqual(b.actions);
      expect(a.rewards).toEqual(b.rewards);
      expect(a.trace).toEqual(b.trace);
      expect(par.records[i]!.summary).toEqual(seq.records[i]!.summary);
    }
    const t1 = await writeTables(seq.records, seq.out);
    const t2 = await writeTables(par.records, par.out);
    const strip = (s: string): string => s.split('\n').map((l) => l.split(',').slice(0, -2).join(',')).join('\n');
    expect(strip(readFileSync(t2.files[0]!, 'utf8'))).toEqual(strip(readFileSync(t1.files[0]!, 'utf8')));
    expect(readFileSync(t2.files[1]!, 'utf8')).toEqual(readFileSync(t1.files[1]!, 'utf8'));
    const again = await runSweep(plan, { out: par.out, workers: 2, resume: true });
    expect(again.ran).toBe(0);
    expect(again.skipped).toBe(12);
    await expect(runSweep(plan, { out: par.out, workers: 0 })).rejects.toThrow(/already holds 12 finished job\(s\); pass --resume/);
  });

  it('runs one sweep after another on a pool it is given, leaves that pool open, and gives the same results', async () => {
    const plan = await planSweep(config());
    const other = await planSweep(config({ envParams: { switchCost: 0.5 } }));
    const seq = await runSweep(plan, { out: tmp(), workers: 0 });
    await withPool(2, async (pool) => {
      await runSweep(other, { out: tmp(), pool });
      const warm = await runSweep(plan, { out: tmp(), pool });
      expect(warm.records.map((r) => r.summary)).toEqual(seq.records.map((r) => r.summary));
      expect(await pool.map([{ kind: 'job', file: join(tmp(), 'x.json'), job: { hash: 'x', agent: 'static:1', seed: 0, maxSteps: null, scenario: '-', variant: '', inputEnvSpec: plan.jobs[0]!.envSpec }, envModules: plan.envModules }])).toHaveLength(1);
    });
  });

  it('survives SIGINT and SIGKILL mid-run: --resume finishes with every job exactly once and no corrupt or temp file', async () => {
    const dir = tmp();
    const out = join(dir, 'out');
    const cfgPath = join(dir, 'sweep.json');
    // 24 jobs of ≈ 40 ms each (8 steps × 5 ms spin).
    writeFileSync(cfgPath, JSON.stringify({ env: 'PhasedToy-v0', envParams: { spinMs: 5 }, agents: ['random', 'static:0', 'static:1', 'static:2'], seeds: 6, envModules: [toyPath] }));
    const jobs = join(out, 'jobs');
    const count = (): number => (existsSync(jobs) ? readdirSync(jobs).filter((f) => f.endsWith('.json')).length : 0);
    const interrupt = async (signal: NodeJS.Signals, atLeast: number, resume: boolean): Promise<{ code: number | null; stderr: string }> => {
      const args = [cliFixture, 'sweep', '--config', cfgPath, '--out', out, '--workers', '1', '--no-plots', '--quiet', ...(resume ? ['--resume'] : [])];
      const child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
      const deadline = Date.now() + 40_000;
      while (count() < atLeast && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 10));
      child.kill(signal);
      const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
      return { code, stderr };
    };
    // Ctrl-C: exit 130, a one-line note, finished jobs kept, no temporary file left.
    const first = await interrupt('SIGINT', 3, false);
    expect(first.code).toBe(130);
    expect(first.stderr).toMatch(/interrupted \(SIGINT\); finished runs are kept; rerun the same command with --resume to continue\n$/);
    const afterInt = count();
    expect(readdirSync(jobs).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(existsSync(join(out, LOCK_FILE))).toBe(false); // released on Ctrl-C
    // SIGKILL of a resumed run: nothing can be cleaned up, and nothing may be corrupt.
    const second = await interrupt('SIGKILL', afterInt + 3, true);
    expect(second.code).toBeNull();
    const before = readdirSync(jobs).filter((f) => f.endsWith('.json'));
    expect(before.length).toBeGreaterThanOrEqual(afterInt + 3);
    expect(before.length).toBeLessThan(24);
    expect(existsSync(join(out, 'summary.csv'))).toBe(false);
    // the killed process could not remove its lock: stale, taken over by the resume below
    expect(existsSync(join(out, LOCK_FILE))).toBe(true);
    // Every file present after the kill is a complete record.
    const mtimes = new Map(before.map((f) => [f, statSync(join(jobs, f)).mtimeMs]));
    for (const f of before) expect(readJob(out, f.slice(0, -5))).toBeDefined();

    const { raw, baseDir } = { raw: JSON.parse(readFileSync(cfgPath, 'utf8')) as unknown, baseDir: dir };
    const plan = await planSweep(raw, { baseDir });
    const res = await runSweep(plan, { out, workers: 1, resume: true });
    expect(res.skipped).toBe(before.length);
    expect(res.ran).toBe(24 - before.length);
    const after = readdirSync(jobs);
    expect(after.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    expect(after.sort()).toEqual(plan.jobs.map((j) => `${j.hash}.json`).sort());
    for (const j of plan.jobs) expect(readJob(out, j.hash)?.job.hash).toBe(j.hash);
    for (const [f, m] of mtimes) expect(statSync(join(jobs, f)).mtimeMs).toBe(m);
  });

  it('a second sweep into a folder another sweep is writing is refused, naming the other\'s pid', async () => {
    const dir = tmp();
    const out = join(dir, 'out');
    const cfgPath = join(dir, 'sweep.json');
    const cfg = { env: 'PhasedToy-v0', envParams: { spinMs: 20 }, agents: ['random', 'static:1'], seeds: 20, envModules: [toyPath] };
    writeFileSync(cfgPath, JSON.stringify(cfg));
    const child = spawn(process.execPath, ['--import', 'tsx', cliFixture, 'sweep', '--config', cfgPath, '--out', out, '--workers', '1', '--no-plots', '--quiet'], { stdio: 'ignore' });
    const jobs = join(out, 'jobs');
    const deadline = Date.now() + 40_000;
    while (!(existsSync(jobs) && readdirSync(jobs).some((f) => f.endsWith('.json'))) && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 10));
    try {
      const plan = await planSweep(cfg);
      const m = await usageError(runSweep(plan, { out, workers: 1, resume: true }));
      expect(m).toMatch(new RegExp(`^--out ${out}: in use by iocm-gym sweep --config .*sweep\\.json .*\\(pid ${child.pid}, since .*\\); wait for it to finish or stop it$`));
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
