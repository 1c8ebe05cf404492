/**
 * `iocm-gym worker --queue redis://… [--concurrency n] [--env-modules m] [--allow-root dir]`: runs
 * the jobs of every sweep started with `sweep --queue` on the same Redis, on n threads (default: all
 * cores), until stopped with Ctrl-C or SIGTERM. See `experiments/queue/`.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Argv, CommandModule } from 'yargs';
import { splitList } from '../envs.js';
import { packageRoot } from '../paths.js';
import { defaultWorkers } from '../pool.js';
import { allowedRoots } from '../queue/job-check.js';
import { parseRedisUrl } from '../queue/redis-url.js';
import { DEFAULT_LOCK_MS, runQueueWorker } from '../queue/worker.js';
import { positiveInt } from './common.js';

interface WorkerArgs { queue: string; concurrency?: number; 'env-modules'?: string; 'allow-root'?: string | string[]; 'lock-ms'?: number }

export const workerCommand: CommandModule<object, WorkerArgs> = {
  command: 'worker',
  describe: 'Run the jobs of sweeps started with sweep --queue on the same Redis (until stopped)',
  builder: (y: Argv<object>) =>
    y
      .option('queue', { type: 'string', demandOption: true, describe: 'Redis URL: redis://[user:password@]host[:port][/db] or rediss://… for TLS' })
      .option('concurrency', { type: 'number', describe: 'jobs run at once, one thread each (default: all cores)' })
      .option('env-modules', { type: 'string', describe: 'comma-separated JS/TS modules that register more env ids (never taken from the queue)' })
      .option('allow-root', { type: 'string', describe: 'a folder jobs may name model folders and scenario files in (repeatable; the current folder and the package\'s own are always allowed)' })
      .option('lock-ms', { type: 'number', describe: `job lock time in ms: a dead worker's jobs go to others within about twice this (default ${DEFAULT_LOCK_MS})` }) as unknown as Argv<WorkerArgs>,
  handler: async (argv) => {
    const target = parseRedisUrl(argv.queue);
    const concurrency = argv.concurrency === undefined ? defaultWorkers() : positiveInt(argv.concurrency, '--concurrency');
    const lockMs = argv['lock-ms'] === undefined ? DEFAULT_LOCK_MS : positiveInt(argv['lock-ms'], '--lock-ms');
    const envModules = splitList(argv['env-modules']).map((m) => (m.startsWith('file:') ? m : pathToFileURL(resolve(m)).href));
    const roots = allowedRoots([process.cwd(), packageRoot(), ...splitList(argv['allow-root'])]);
    await runQueueWorker({ target, concurrency, envModules, roots, lockMs, log: (line) => process.stderr.write(line + '\n') });
  },
};
