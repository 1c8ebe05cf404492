import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TOY_MODULE } from './fixtures/phased-toy.js';
import yargs from 'yargs';
import { expectUsageError, runCli as run } from './run-cli.js';
import { commands } from '../../experiments/commands/index.js';
import { LOCK_FILE } from '../../experiments/out-dir.js';
import { encodeRunRecord, readRunRecord } from '../../experiments/record.js';
import { tempDir } from '../temp-dirs.js';

const toyPath = fileURLToPath(TOY_MODULE);
const tmp = (): string => tempDir('cli-');


afterEach(() => { process.exitCode = undefined; });

describe('iocm-gym CLI (experiments)', () => {
  it('has --help on every command', async () => {
    // The CLI's yargs exits the process after --help, so the help texts are checked on a parser built
    // from the same command modules with exitProcess(false).
    for (const c of ['evaluate', 'train', 'oracle', 'sweep', 'plot', 'replay', 'paper', 'scenarios']) {
      const parser = yargs([c, '--help']).exitProcess(false).strict();
      for (const m of commands) parser.command(m);
      const help = await new Promise<string>((resolve) => { void parser.parse([c, '--help'], (_e: unknown, _a: unknown, output: string) => resolve(output)); });
      expect(help).toContain('Options:');
      expect(help).toContain('--help');
    }
  });

  it('bad input: one line on stderr, exit 2, nothing written', async () => {
    const dir = tmp();
    const out = join(dir, 'out');
    const cases: [string[], RegExp][] = [
      [['evaluate', '--agents', 'magic', '--out', out], /unknown agent spec "magic"/],
      [['evaluate', '--agents', 'iocm', '--scenarios', 'no-such', '--out', out], /no shipped scenario or file named 'no-such'/],
      [['evaluate', '--agents', 'iocm', '--seeds', '0', '--out', out], /--seeds must be a positive integer/],
      [['evaluate', '--agents', 'iocm', '--oracle', 'sometimes', '--out', out], /--oracle must be a list of dynamic, static, or none/],
      [['sweep', '--config', join(dir, 'missing.json')], /cannot read \(ENOENT\)/],
      [['oracle', '--scenario', 'no-such'], /no shipped scenario/],
      [['replay', join(dir, 'missing.json')], /cannot read \(ENOENT\)/],
      [['plot', dir], /no jobs\/ folder/],
      [['train', '--agent', 'ppo', '--steps', '-5', '--out', out], /--steps must be a positive integer/],
    ];
    writeFileSync(join(dir, 'bad.json'), '{ "agents": [');
    cases.push([['sweep', '--config', join(dir, 'bad.json')], /not valid JSON/]);
    writeFileSync(join(dir, 'wrong.json'), JSON.stringify({ agents: ['iocm'], seeds: 2, workers: 3 }));
    cases.push([['sweep', '--config', join(dir, 'wrong.json'), '--out', out], /unknown field\(s\) workers/]);
    for (const [args, re] of cases) {
      await expectUsageError(args, re);
    }
    expect(existsSync(out)).toBe(false);
  });

  it('evaluate → tables, records that replay, --json; replay flags a tampered record with exit 1', async () => {
    const out = join(tmp(), 'eval');
    const r = await run(['evaluate', '--env', 'PhasedToy-v0', '--env-modules', toyPath, '--agents', 'static:1,random', '--seeds', '2', '--oracle', 'dynamic', '--out', out, '--workers', '1', '--no-plots', '--json']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { runs: number; summary: { agent: string; n: number; relOracle: number }[] };
    expect(j.runs).toBe(6);
    expect(j.summary.map((s) => s.agent)).toEqual(['static:1', 'random', 'oracle']);
    expect(j.summary[2]!.relOracle).toBe(1);
    for (const f of ['runs.csv', 'summary.csv', 'summary.md', 'sweep.json']) expect(existsSync(join(out, f))).toBe(true);
    const csv = readFileSync(join(out, 'runs.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(7);
    const recPath = join(out, csv[1]!.split(',').at(-1)!);
    const ok = await run(['replay', recPath, '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ ok: true, steps: 8 });
    const rec = readRunRecord(recPath);
    rec.rewards[7] = rec.rewards[7]! * 1.5;
    const bad = join(out, 'tampered.json');
    writeFileSync(bad, JSON.stringify(encodeRunRecord(rec)));
    const t = await run(['replay', bad]);
    expect(t.code).toBe(1);
    expect(t.out).toMatch(/MISMATCH at step 7: reward recorded/);
    // A second evaluate into the same folder refuses, and --resume runs nothing.
    const again = await run(['evaluate', '--env', 'PhasedToy-v0', '--env-modules', toyPath, '--agents', 'static:1,random', '--seeds', '2', '--oracle', 'dynamic', '--out', out, '--workers', '1', '--no-plots']);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/already holds 6 finished job\(s\); pass --resume/);
    const resumed = await run(['evaluate', '--env', 'PhasedToy-v0', '--env-modules', toyPath, '--agents', 'static:1,random', '--seeds', '2', '--oracle', 'dynamic', '--out', out, '--workers', '1', '--no-plots', '--resume', '--json']);
    expect(JSON.parse(resumed.out)).toMatchObject({ ran: 0, skipped: 6 });
  });

  it('draws timelines for the first --timelines scenarios and says what it left out; plot --timelines all draws the rest', async () => {
    const out = join(tmp(), 'tl');
    const r = await run(['evaluate', '--agents', 'static:1', '--scenarios', 'train:0-2', '--seeds', '1', '--max-steps', '5', '--oracle', 'none', '--out', out, '--workers', '1', '--timelines', '1']);
    expect(r.code).toBe(0);
    // the overall table, the line of what was written, and where all the tables are; not summary.md whole
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toBe('## Overall (3 scenarios)');
    expect(lines.at(-2)).toMatch(/^evaluate: .*; timelines for the first 1 of 3 scenarios \(--timelines all draws every one\)$/);
    expect(lines.at(-1)).toBe(`all tables: ${join(out, 'summary.md')}`);
    expect(r.out).not.toContain('## train:0');
    // --quiet: nothing but errors
    const q = await run(['evaluate', '--agents', 'static:1', '--scenarios', 'train:0-2', '--seeds', '1', '--max-steps', '5', '--oracle', 'none', '--out', out, '--workers', '1', '--quiet', '--resume', '--no-plots']);
    expect({ code: q.code, out: q.out, err: q.err }).toEqual({ code: 0, out: '', err: '' });
    const timelines = (): string[] => readdirSync(out).filter((f) => f.startsWith('timeline-')).sort();
    expect(timelines()).toEqual(['timeline-train_0.png', 'timeline-train_0.svg']);
    const p = await run(['plot', out, '--timelines', 'all', '--json']);
    expect(p.code).toBe(0);
    expect(JSON.parse(p.out)).toMatchObject({ runs: 3, unfinished: 0, timelines: { drawn: 3, of: 3 } });
    expect(timelines()).toHaveLength(6);
    // a run not finished (its file absent) is left out and counted; a job file that cannot be read is
    // refused by name, since figures drawn without it would disagree with the folder's tables
    const jobs = readdirSync(join(out, 'jobs')).sort();
    const [gone, torn] = [join(out, 'jobs', jobs[0]!), join(out, 'jobs', jobs[1]!)];
    const [keep, keepTorn] = [readFileSync(gone, 'utf8'), readFileSync(torn, 'utf8')];
    rmSync(gone);
    const partial = await run(['plot', out, '--json']);
    expect(JSON.parse(partial.out)).toMatchObject({ runs: 2, unfinished: 1 });
    writeFileSync(gone, keep);
    writeFileSync(torn, '{"x":');
    await expectUsageError(['plot', out], /jobs\/[0-9a-f]+\.json: not a readable job file of this folder; rerun the command that wrote .* with --resume/);
    writeFileSync(torn, keepTorn);
    // a folder another live process is writing (here: this test's parent) is refused, not raced
    writeFileSync(join(out, LOCK_FILE), JSON.stringify({ pid: process.ppid, host: hostname(), command: 'iocm-gym sweep --config x.json', started: '2026-01-01T00:00:00.000Z' }));
    await expectUsageError(['plot', out], /results dir .*: in use by iocm-gym sweep --config x\.json \(pid \d+/);
  });
});
