/**
 * `iocm-gym simulate`: runs one static configuration of a scenario on the detailed host simulator and
 * prints a summary (or, with --json, one JSON object): application metrics over the run, CPU use, exits,
 * per-VM results and the IOcm statistics of the last 100 ms epoch.
 */
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../errors.js';
import { ScenarioError, loadScenario, type Scenario } from '../../env/sim/scenario.js';
import { iocmStats, runStatic } from '../../env/sim/measure.js';

interface SimulateArgs {
  scenario: string;
  'io-cores': number;
  seed: number;
  duration?: number;
  warmup: number;
  json: boolean;
}

function fmt(x: number, d = 2): string {
  return Number.isFinite(x) ? x.toFixed(d) : '-';
}

export const simulateCommand: CommandModule<object, SimulateArgs> = {
  command: 'simulate',
  describe: 'Run one static I/O-core configuration of a scenario on the detailed host simulator',
  builder: (y: Argv<object>) =>
    y
      .option('scenario', { type: 'string', demandOption: true, describe: 'shipped scenario name (env/scenarios) or path to a JSON file' })
      .option('io-cores', { type: 'number', default: 0, describe: 'I/O cores (0 = baseline vhost, 1..maxIoCores = side-core)' })
      .option('seed', { type: 'number', default: 0, describe: 'random seed (non-negative integer)' })
      .option('duration', { type: 'number', describe: 'simulated seconds to measure (default: the whole scenario)' })
      .option('warmup', { type: 'number', default: 0, describe: 'simulated seconds run before measuring' })
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON object' }) as unknown as Argv<SimulateArgs>,
  handler: (argv) => {
    let sc: Scenario;
    try {
      sc = loadScenario(argv.scenario);
    } catch (e) {
      if (e instanceof ScenarioError) throw new UsageError(e.message);
      throw e;
    }
    const x = argv['io-cores'];
    const maxIo = Math.min(sc.host.maxIoCores, sc.host.cores - 1);
    if (!Number.isInteger(x) || x < 0 || x > maxIo) {
      throw new UsageError(`--io-cores must be an integer in [0, ${maxIo}] for scenario ${sc.name} (host.maxIoCores), got ${x}`);
    }
    if (!Number.isSafeInteger(argv.seed) || argv.seed < 0) throw new UsageError(`--seed must be a non-negative integer, got ${argv.seed}`);
    const duration = argv.duration ?? sc.durationS;
    if (!(duration > 0)) throw new UsageError(`--duration must be > 0 seconds, got ${argv.duration}`);
    if (!(argv.warmup >= 0)) throw new UsageError(`--warmup must be >= 0 seconds, got ${argv.warmup}`);
    const run = runStatic(sc, { seed: argv.seed, ioCores: x, durationS: duration, warmupS: argv.warmup });
    const m = run.totals.metrics as typeof run.totals.metrics & { guestComputeCores: number };
    const stats = iocmStats(run.lastEpoch.counters);
    const out = {
      scenario: sc.name,
      ioCores: x,
      seed: argv.seed,
      durationS: duration,
      warmupS: argv.warmup,
      throughputGbps: m.throughputGbps,
      transactionsPerSec: m.transactionsPerSec,
      latencyUs: m.latencyUs,
      exitsPerSec: m.exitsPerSec,
      exitsByReason: m.exitsByReason,
      interruptsPerSec: m.interruptsPerSec,
      contextSwitchesPerSec: m.contextSwitchesPerSec,
      cpu: m.cpu,
      guestComputeCores: m.guestComputeCores,
      perVm: m.perVm.map((p, i) => ({ vm: sc.vms[i]!.name, workload: sc.phases[run.totals.phase]!.workloads[i]!.type, ...p })),
      iocm: { ...stats, counters: run.lastEpoch.counters },
      phase: run.totals.phase,
    };
    if (argv.json) {
      process.stdout.write(JSON.stringify(out, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)) + '\n');
      return;
    }
    const lines = [
      `scenario ${sc.name}: ${sc.vms.length} VMs on ${sc.host.cores} cores @ ${sc.host.ghz} GHz, ${x === 0 ? 'baseline (vhost thread per device)' : `side-core with ${x} I/O core${x > 1 ? 's' : ''}`}, ${fmt(duration, 1)} s simulated (seed ${argv.seed})`,
      `  throughput      ${fmt(m.throughputGbps, 3)} Gbit/s    transactions ${fmt(m.transactionsPerSec, 0)}/s`,
      `  latency (µs)    mean ${fmt(m.latencyUs.mean, 1)}   p50 ${fmt(m.latencyUs.p50, 1)}   p99 ${fmt(m.latencyUs.p99, 1)}`,
      `  exits/s         ${fmt(m.exitsPerSec, 0)}  (${Object.entries(m.exitsByReason).map(([k, v]) => `${k} ${fmt(v, 0)}`).join(', ')})`,
      `  interrupts/s    ${fmt(m.interruptsPerSec, 0)}    context switches/s ${fmt(m.contextSwitchesPerSec, 0)}`,
      `  cpu (cores)     vm ${fmt(m.cpu.vm)}   io ${fmt(m.cpu.io)}   idle ${fmt(m.cpu.idle)}   guest compute ${fmt(m.guestComputeCores)}`,
      `  per VM:`,
      ...out.perVm.map((p) => `    ${p.vm.padEnd(8)} ${p.workload.padEnd(14)} ${fmt(p.throughputGbps, 3)} Gbit/s  ${fmt(p.transactionsPerSec, 0)} tx/s  mean ${fmt(p.latencyUsMean, 1)} µs`),
      `  IOcm statistics of the last epoch: empty ${fmt(stats.empty, 3)}  effective_io ${fmt(stats.effectiveIoRatio, 3)}  overall_io ${fmt(stats.overallIoRatio, 3)}  vm_idle ${fmt(stats.vmIdle, 3)}  bytes/packet ${fmt(stats.avgBytesPerPacket, 0)}  bytes/cycle ${fmt(stats.bytesPerCycle, 4)}`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  },
};
