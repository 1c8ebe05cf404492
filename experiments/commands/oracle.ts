/**
 * `iocm-gym oracle --scenario <s> [--kind dynamic|static|both] [--seed n] [--json] [--record <file>]`:
 * the exhaustive-search oracle(s) for one scenario and seed, on the worker pool. Prints the space size,
 * evaluations, wall time, the best schedule and its score (static: every configuration's reward per
 * phase). `--record <file>` also writes the best schedule as a run record, which `replay` can check.
 */
import type { Argv, CommandModule } from 'yargs';
import { installInterruptHandlers } from '../signals.js';
import { oracleProblem, solveDynamic, solveStatic, type OracleResult, type ParallelMap } from '../../agents/oracle/index.js';
import { progressBar } from '../progress.js';
import { UsageError } from '../errors.js';
import { DEFAULT_ENV_ID, envSpecFor } from '../envs.js';
import { checkWritableFile, writeJsonAtomic } from '../io.js';
import { withPool } from '../pool.js';
import { encodeRunRecord } from '../record.js';
import { runEpisode } from '../runner.js';
import { nonNegativeInt, positiveInt, printJson, workersFlag } from './common.js';

interface OracleArgs { merge: boolean; scenario: string; kind: string; seed: number; env: string; fidelity?: string; reward?: string; 'max-schedules': number; workers?: number; record?: string; json: boolean }

function describeResult(r: OracleResult): string {
  const lines = [
    `${r.kind} oracle: score ${r.score.toFixed(4)} over ${r.horizon} steps (seed ${r.seed})`,
    `  space     ${r.spaceSize.toLocaleString('en-US')} — ${r.spaceDescription}`,
    `  searched  ${r.evaluations.phaseSims.toLocaleString('en-US')} phase simulations, ${r.evaluations.steps.toLocaleString('en-US')} env steps, ${r.evaluations.restores.toLocaleString('en-US')} restores, ${r.tasks} task(s), ${(r.wallMs / 1000).toFixed(2)} s`,
    `  schedule  ${r.phases.map((p, i) => `${p.name}=${r.schedule[i]}`).join('  ')}`,
  ];
  if (r.merging) {
    lines.push(`  merging   distinct env states at phase starts ${r.merging.distinctStates.join(', ')}; ${r.merging.merged.toLocaleString('en-US')} prefixes merged${r.merging.fellBackAtPhase !== null ? `; depth-first from phase ${r.merging.fellBackAtPhase}` : ''}`);
  }
  if (r.perPhase) {
    lines.push(`  per-phase reward of each configuration (${r.configs.join(', ')} I/O cores; held for the whole episode):`);
    for (const p of r.perPhase) lines.push(`    ${p.name.padEnd(14)} ${p.rewards.map((x) => x.toFixed(2).padStart(8)).join(' ')}   best ${p.best}`);
    lines.push(`  bound (free switching) ${r.bound!.toFixed(4)}; best constant configuration ${r.bestConstant!.config}: ${r.bestConstant!.total.toFixed(4)}`);
  }
  return lines.join('\n');
}

export const oracleCommand: CommandModule<object, OracleArgs> = {
  command: 'oracle',
  describe: 'Exhaustive-search oracles (static per phase, dynamic schedule) for one scenario and seed',
  builder: (y: Argv<object>) =>
    y
      .option('scenario', { type: 'string', demandOption: true, describe: 'scenario name (shipped, or generated: train:<i>, heldout:<i>) or path' })
      .option('kind', { type: 'string', default: 'both', choices: ['dynamic', 'static', 'both'], describe: 'which oracle' })
      .option('seed', { type: 'number', default: 0, describe: 'episode seed' })
      .option('env', { type: 'string', default: DEFAULT_ENV_ID, describe: 'environment id' })
      .option('fidelity', { type: 'string', describe: 'SideCore tier: fast | detailed (default: the env\'s)' })
      .option('reward', { type: 'string', describe: 'SideCore reward: app | bpc | app-latency' })
      .option('merge', { type: 'boolean', default: true, describe: 'merge prefixes that reach identical env states (exact; --no-merge: plain tree search)' })
      .option('max-schedules', { type: 'number', default: 2_000_000, describe: 'refuse dynamic spaces larger than this' })
      .option('workers', { type: 'number', describe: 'worker threads (default: all cores)' })
      .option('record', { type: 'string', describe: 'write the best (dynamic, else static) schedule as a run record to this file' })
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON object' }) as unknown as Argv<OracleArgs>,
  handler: async (argv) => {
    installInterruptHandlers({ resumeHint: 'nothing was written' });
    const workers = workersFlag(argv.workers);
    const seed = nonNegativeInt(argv.seed, '--seed');
    const maxSchedules = positiveInt(argv['max-schedules'], '--max-schedules');
    const kwargs: Record<string, unknown> = { scenario: argv.scenario };
    if (argv.fidelity !== undefined) kwargs.fidelity = argv.fidelity;
    if (argv.reward !== undefined) kwargs.reward = argv.reward;
    const spec = envSpecFor(argv.env, kwargs);
    if (argv.record !== undefined) checkWritableFile(argv.record, '--record'); // before the search, not after
    let pr;
    try {
      pr = oracleProblem(spec, seed);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const results = await withPool(workers, async (pool) => {
      const out: OracleResult[] = [];
      // A progress bar over the search tasks (subtrees / static episodes).
      const tracked = (label: string): ParallelMap => async (tasks) => {
        const bar = progressBar(label, argv.json);
        bar.start(tasks.length);
        let done = 0;
        try {
          return await pool.map(tasks, () => { bar.update(++done); });
        } finally {
          bar.stop();
        }
      };
      if (argv.kind !== 'static') {
        try {
          out.push(await solveDynamic(pr, { map: tracked('dynamic oracle'), workers, maxSchedules, merge: argv.merge }));
        } catch (e) {
          if (/above the limit/.test((e as Error).message)) throw new UsageError((e as Error).message + ' (raise --max-schedules)');
          throw e;
        }
      }
      if (argv.kind !== 'dynamic') out.push(await solveStatic(pr, tracked('static oracle')));
      return out;
    });
    if (argv.record) {
      const best = results[0]!;
      const rec = await runEpisode(spec, best.kind === 'dynamic' ? 'oracle' : 'oracle-static', seed, { oracle: best });
      writeJsonAtomic(argv.record, encodeRunRecord(rec));
    }
    if (argv.json) {
      return printJson({ scenario: argv.scenario, seed, workers, results: results.map(({ envSpec, actions, ...r }) => ({ ...r, envSpec, actions: argv.record ? undefined : actions })) });
    }
    process.stdout.write(`scenario ${argv.scenario}, ${pr.phaseStarts.length} phases, ${pr.horizon} steps, configurations ${pr.configs.join(', ')}; ${workers} worker(s)\n`);
    for (const r of results) process.stdout.write(describeResult(r) + '\n');
    if (argv.record) process.stdout.write(`wrote ${argv.record} (check it with: iocm-gym replay ${argv.record})\n`);
  },
};
