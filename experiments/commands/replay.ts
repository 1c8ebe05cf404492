/**
 * `iocm-gym replay <run record>`: re-runs a run record (a `--record` file of `oracle`, or any job file
 * of a sweep/evaluation, `<out>/jobs/<hash>.json`) from its {EnvSpec JSON, seed, action log} and checks
 * every reward bit for bit. Exit 0 when all match, 1 with the first mismatch otherwise.
 */
import type { Argv, CommandModule } from 'yargs';
import { readRunRecord } from '../record.js';
import { replayRecord } from '../runner.js';
import { printJson } from './common.js';

interface ReplayArgs { record: string; json: boolean }

export const replayCommand: CommandModule<object, ReplayArgs> = {
  command: 'replay <record>',
  describe: 'Re-run a run record from {env spec, seed, action log} and check every reward',
  builder: (y: Argv<object>) =>
    y
      .positional('record', { type: 'string', demandOption: true, describe: 'run record JSON (iocm-gym/run@3; run@2 and run@1 are read too)' })
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON object' }) as unknown as Argv<ReplayArgs>,
  handler: (argv) => {
    const rec = readRunRecord(argv.record);
    const t0 = performance.now();
    const r = replayRecord(rec);
    const wallMs = Math.round(performance.now() - t0);
    if (argv.json) printJson({ record: argv.record, agent: rec.agent.spec, env: rec.envSpec.id, seed: rec.seed, ...r, recordedSteps: rec.actions.length, wallMs });
    else if (r.ok) process.stdout.write(`replay ${argv.record}: ${r.steps} steps of ${rec.agent.spec} on ${rec.envSpec.id} (seed ${rec.seed}): every reward matches (score ${r.score})\n`);
    else {
      const m = r.mismatch!;
      process.stdout.write(`replay ${argv.record}: MISMATCH at step ${m.step}: ${m.what}${m.what === 'reward' ? ` recorded ${m.recorded}, replayed ${m.replayed}` : ''}\n`);
    }
    if (!r.ok) process.exitCode = 1;
  },
};
