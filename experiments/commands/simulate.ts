/**
 * `iocm-gym simulate`: runs a scenario on one host model tier (`--fidelity fast|detailed`, both behind
 * `env/host-model.ts`) through the SideCore-v1 env, either at a static I/O-core configuration
 * (`--io-cores x`: the env starts at x and holds it) or managed by an agent (`--agent <spec>`, the
 * runner's `runEpisode`), and prints a summary (or, with --json, one JSON object with the same fields
 * for both tiers): application metrics over the measured epochs, CPU use, exits, per-VM results and the
 * IOcm statistics of the last epoch. `--trace <file.csv>` writes one row per epoch.
 *
 * Run-level numbers are aggregated from the per-epoch readings (epochs have equal lengths): rates and
 * CPU are means over the epochs, the mean latency is weighted by transactions, and the p50/p99 are the
 * transaction-weighted means of the epochs' percentiles (the trace has each epoch's own).
 */
import type { Argv, CommandModule } from 'yargs';
import { installInterruptHandlers } from '../signals.js';
import { stringify } from 'csv-stringify/sync';
import { UsageError } from '../errors.js';
import { DEFAULT_ENV_ID, envSpecFor } from '../envs.js';
import { checkWritableFile, writeFileAtomic } from '../io.js';
import { runEpisode } from '../runner.js';
import { P99_HEADER, txWeightedMean } from '../latency.js';
import { printJson } from './common.js';
import { ScenarioError, loadScenario, type Scenario } from '../../env/sim/scenario.js';
import { iocmStats, type IocmStats } from '../../env/sim/measure.js';
import type { EpochCounters, EpochMetrics } from '../../env/sim/counters.js';
import { SIMULATE_UNITS, aggregateKickToService, costTable, packetsPerSec, segmentBytesOf, traceTimeS } from '../simulate-report.js';
import type { ReconfigReading } from '../../env/host-model.js';
import { DEFAULT_COSTS } from '../../env/sim/costs.js';
import { parseCostOverrides } from '../cost-overrides.js';

interface SimulateArgs {
  scenario: string;
  'io-cores'?: number;
  agent?: string;
  fidelity: 'fast' | 'detailed';
  reward?: string;
  seed: number;
  duration?: number;
  warmup: number;
  trace?: string;
  json: boolean;
  manager?: 'iocm' | 'ideal' | 'none';
  cost?: string | string[];
}

/** SideCore-v1's epoch (its default `epochMs`). */
const EPOCH_S = 0.1;

function fmt(x: number, d = 2): string {
  return Number.isFinite(x) ? x.toFixed(d) : '-';
}

type Metrics = EpochMetrics & { guestComputeCores?: number };
interface Epoch { counters: EpochCounters; metrics: Metrics; phase: number }

/** Run-level metrics of equal-length epochs (see the module comment). */
export function aggregateEpochs(epochs: readonly Epoch[]): Metrics & { guestComputeCores: number } {
  const n = epochs.length;
  const mean = (f: (e: Epoch) => number | undefined): number => {
    let s = 0;
    for (const e of epochs) s += f(e) ?? 0;
    return n ? s / n : NaN;
  };
  /** Transaction-weighted mean of a per-epoch value (NaN where an epoch completed none). */
  const txWeighted = (f: (e: Epoch) => number, w: (e: Epoch) => number): number => {
    let s = 0, sw = 0;
    for (const e of epochs) {
      const v = f(e), wt = w(e);
      if (wt > 0 && Number.isFinite(v)) { s += v * wt; sw += wt; }
    }
    return sw > 0 ? s / sw : NaN;
  };
  const tps = (e: Epoch): number => e.metrics.transactionsPerSec;
  const reasons = [...new Set(epochs.flatMap((e) => Object.keys(e.metrics.exitsByReason)))];
  const nVm = epochs[0]?.metrics.perVm.length ?? 0;
  return {
    throughputGbps: mean((e) => e.metrics.throughputGbps),
    transactionsPerSec: mean(tps),
    latencyUs: {
      mean: txWeighted((e) => e.metrics.latencyUs.mean, tps),
      p50: txWeighted((e) => e.metrics.latencyUs.p50, tps),
      // the one definition of a run's p99 (latency.ts), as in the sweep tables
      p99: txWeightedMean(epochs.map((e) => e.metrics.latencyUs.p99), epochs.map(tps)),
    },
    exitsPerSec: mean((e) => e.metrics.exitsPerSec),
    exitsByReason: Object.fromEntries(reasons.map((k) => [k, mean((e) => e.metrics.exitsByReason[k])])),
    interruptsPerSec: mean((e) => e.metrics.interruptsPerSec),
    contextSwitchesPerSec: mean((e) => e.metrics.contextSwitchesPerSec),
    cpu: { vm: mean((e) => e.metrics.cpu.vm), io: mean((e) => e.metrics.cpu.io), idle: mean((e) => e.metrics.cpu.idle) },
    perVm: Array.from({ length: nVm }, (_, v) => ({
      throughputGbps: mean((e) => e.metrics.perVm[v]?.throughputGbps),
      transactionsPerSec: mean((e) => e.metrics.perVm[v]?.transactionsPerSec),
      latencyUsMean: txWeighted((e) => e.metrics.perVm[v]?.latencyUsMean ?? NaN, (e) => e.metrics.perVm[v]?.transactionsPerSec ?? 0),
      guestComputeCores: mean((e) => e.metrics.perVm[v]?.guestComputeCores),
      exitsByReason: Object.fromEntries(reasons.map((k) => [k, mean((e) => e.metrics.perVm[v]?.exitsByReason?.[k])])),
      cpuCores: mean((e) => e.metrics.perVm[v]?.cpuCores),
      kickToServiceUs: aggregateKickToService(epochs.map((e) => e.metrics.perVm[v]?.kickToServiceUs)),
    })),
    kickToServiceUs: aggregateKickToService(epochs.map((e) => e.metrics.kickToServiceUs)),
    guestComputeCores: mean((e) => e.metrics.guestComputeCores),
  };
}

/** The columns of `--trace`, one row per epoch. */
export const TRACE_COLUMNS = [
  'epoch', 'time_s', 'phase', 'phase_name', 'warmup', 'io_cores', 'action', 'reconfigured', 'reward',
  'throughput_gbps', 'transactions_per_s', 'latency_p50_us', 'latency_p99_us', 'exits_per_s', 'cpu_vm', 'cpu_io', 'cpu_idle',
  'iocm_empty', 'iocm_effective_io_ratio', 'iocm_overall_io_ratio', 'iocm_vm_idle', 'iocm_avg_bytes_per_packet', 'iocm_bytes_per_cycle', 'iocm_workers',
] as const;

const cell = (x: number): number | string => (Number.isFinite(x) ? x : '');

/** The phases the measured epochs fall in, in order. */
function measuredPhases(epochs: readonly Epoch[]): number[] {
  return [...new Set(epochs.map((e) => e.phase))];
}

/**
 * VM `i`'s workload over `phases`: `workload` is its type when it is the same in all of them, else the
 * types in phase order joined by '→' (repeats of the previous one left out); `workloads` lists it per
 * phase.
 */
export function vmWorkloads(sc: Scenario, phases: readonly number[], i: number): { workload: string; workloads: { phase: string; type: string }[] } {
  const workloads = phases.map((p) => ({ phase: sc.phases[p]!.name, type: sc.phases[p]!.workloads[i]!.type }));
  const seq = workloads.map((w) => w.type).filter((t, k, a) => k === 0 || t !== a[k - 1]);
  return { workload: seq.join('→'), workloads };
}

export const simulateCommand: CommandModule<object, SimulateArgs> = {
  command: 'simulate',
  describe: 'Run a scenario at a static I/O-core configuration or under an agent, on the fast or detailed host model',
  builder: (y: Argv<object>) =>
    y
      .option('scenario', { type: 'string', demandOption: true, describe: 'shipped scenario name (env/scenarios) or path to a JSON file' })
      .option('io-cores', { type: 'number', describe: 'static I/O cores held for the whole run (0 = baseline vhost, 1..maxIoCores = side-core); default 0 unless --agent' })
      .option('agent', { type: 'string', describe: 'manage the I/O cores with an agent instead: iocm, iocm:<p>=<v>,…, static:<x>, baseline, random, ppo:<dir>, dqn:<dir>, oracle' })
      .conflicts('io-cores', 'agent')
      .option('fidelity', { type: 'string', default: 'fast', choices: ['fast', 'detailed'], describe: 'host model: fast (per-epoch analytic model, env/fluid; the default, as in SideCore-v1) or detailed (discrete-event simulator, env/sim; what simulate ran before)' })
      .option('reward', { type: 'string', choices: ['app', 'bpc', 'app-latency'], describe: 'SideCore reward shown in the trace and score (default: app)' })
      .option('seed', { type: 'number', default: 0, describe: 'random seed (non-negative integer)' })
      .option('duration', { type: 'number', describe: 'simulated seconds to measure (default: the scenario after the warm-up)' })
      .option('warmup', { type: 'number', default: 0, describe: 'simulated seconds run (and traced) before measuring' })
      .option('trace', { type: 'string', describe: 'write one CSV row per 100 ms epoch to this file' })
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON object' })
      .option('cost', { type: 'string', describe: 'override cost entries of the host model, name=value (repeatable or comma-separated; iocm-gym costs lists them)' })
      .option('manager', { type: 'string', choices: ['iocm', 'ideal', 'none'], describe: 'the reconfiguring manager process (docs/model.md §9): iocm (re-maps every device; the default with --agent), ideal (moves only what changes), none (no manager CPU; the default with --io-cores)' }) as unknown as Argv<SimulateArgs>,
  handler: async (argv) => {
    installInterruptHandlers({ resumeHint: 'nothing was written' });
    let sc: Scenario;
    try {
      sc = loadScenario(argv.scenario);
    } catch (e) {
      if (e instanceof ScenarioError) throw new UsageError(e.message);
      throw e;
    }
    const maxIo = Math.min(sc.host.maxIoCores, sc.host.cores - 1);
    const minIo = sc.host.minIoCores;
    const x = argv['io-cores'] ?? minIo;
    if (argv.agent === undefined && (!Number.isInteger(x) || x < minIo || x > maxIo)) {
      throw new UsageError(`--io-cores must be an integer in [${minIo}, ${maxIo}] for scenario ${sc.name} (host.minIoCores, host.maxIoCores), got ${argv['io-cores']}`);
    }
    if (argv.agent !== undefined && argv.agent.trim() === '') throw new UsageError('--agent needs an agent spec (e.g. iocm, static:2, ppo:<dir>)');
    if (!Number.isSafeInteger(argv.seed) || argv.seed < 0) throw new UsageError(`--seed must be a non-negative integer, got ${argv.seed}`);
    if (!(argv.warmup >= 0)) throw new UsageError(`--warmup must be >= 0 seconds, got ${argv.warmup}`);
    const episodeSteps = Math.max(1, Math.round(sc.durationS / EPOCH_S));
    const warmSteps = Math.round(argv.warmup / EPOCH_S);
    if (argv.duration !== undefined && !(argv.duration > 0)) throw new UsageError(`--duration must be > 0 seconds, got ${argv.duration}`);
    const measureSteps = argv.duration !== undefined ? Math.max(1, Math.round(argv.duration / EPOCH_S)) : episodeSteps - warmSteps;
    if (measureSteps < 1 || warmSteps + measureSteps > episodeSteps) {
      throw new UsageError(`--warmup ${argv.warmup} s + --duration ${argv.duration ?? '(rest)'} s exceed scenario ${sc.name}'s ${sc.durationS} s (at least one 0.1 s epoch must be measured)`);
    }
    const tracePath = argv.trace !== undefined ? checkWritableFile(argv.trace, '--trace') : undefined;
    const costs = parseCostOverrides(argv.cost);

    const kwargs: Record<string, unknown> = { scenario: argv.scenario, fidelity: argv.fidelity, maxIoCores: Math.max(1, maxIo) };
    if (argv.agent === undefined) kwargs.initialIoCores = x;
    if (argv.reward !== undefined) kwargs.reward = argv.reward;
    // a static configuration has no manager process unless one is asked for
    const manager = argv.manager ?? (argv.agent === undefined ? 'none' : 'iocm');
    kwargs.manager = manager;
    // only when given: the env spec (and so run records) of a default run stays as it was
    if (Object.keys(costs).length > 0) kwargs.costs = costs;
    const envSpec = envSpecFor(DEFAULT_ENV_ID, kwargs);
    const agentSpec = argv.agent?.trim() ?? `static:${x}`;

    const rows: (number | string)[][] = [];
    const measured: Epoch[] = [];
    let score = 0, ioSum = 0, reconfigurations = 0, lastIo = x;
    const cost = { stallNs: 0, managerCpuNs: 0 };
    const rec = await runEpisode(envSpec, agentSpec, argv.seed, {
      maxSteps: warmSteps + measureSteps,
      trace: false,
      onStep: ({ step, action, reward, info, reconfigured }) => {
        const counters = info.counters as EpochCounters;
        const metrics = info.metrics as Metrics;
        const phase = info.phase as number;
        const io = info.ioCores as number;
        const warm = step < warmSteps;
        if (!warm) {
          measured.push({ counters, metrics, phase });
          score += reward;
          ioSum += io;
          if (reconfigured) reconfigurations++;
          lastIo = io;
          const rc = info.reconfig as ReconfigReading | undefined;
          cost.stallNs += rc?.stallNs ?? 0;
          cost.managerCpuNs += rc?.managerCpuNs ?? 0;
        }
        if (tracePath !== undefined) {
          const s = iocmStats(counters);
          rows.push([
            step, cell(traceTimeS(info.timeS as number)), phase, String(info.phaseName ?? ''), warm ? 1 : 0, io, action, reconfigured ? 1 : 0, cell(reward),
            cell(metrics.throughputGbps), cell(metrics.transactionsPerSec), cell(metrics.latencyUs.p50), cell(metrics.latencyUs.p99), cell(metrics.exitsPerSec),
            cell(metrics.cpu.vm), cell(metrics.cpu.io), cell(metrics.cpu.idle),
            cell(s.empty), cell(s.effectiveIoRatio), cell(s.overallIoRatio), cell(s.vmIdle), cell(s.avgBytesPerPacket), cell(s.bytesPerCycle), s.workers,
          ]);
        }
      },
    });
    if (measured.length === 0) throw new Error(`simulate: the episode ended after ${rec.summary.steps} step(s), before any measured epoch`);
    if (tracePath !== undefined) writeFileAtomic(tracePath, stringify(rows, { header: true, columns: [...TRACE_COLUMNS] }));

    const m = aggregateEpochs(measured);
    const last = measured[measured.length - 1]!;
    const stats: IocmStats = iocmStats(last.counters);
    const out = {
      scenario: sc.name,
      fidelity: argv.fidelity,
      agent: argv.agent === undefined ? null : agentSpec,
      ioCores: lastIo,
      meanIoCores: ioSum / measured.length,
      reconfigurations,
      // what reconfiguring cost over the measured epochs (docs/model.md §9)
      manager,
      reconfigStallNs: cost.stallNs,
      managerCpuNs: cost.managerCpuNs,
      seed: argv.seed,
      durationS: measureSteps * EPOCH_S,
      warmupS: warmSteps * EPOCH_S,
      epochs: measured.length,
      score,
      meanReward: score / measured.length,
      throughputGbps: m.throughputGbps,
      transactionsPerSec: m.transactionsPerSec,
      latencyUs: m.latencyUs,
      exitsPerSec: m.exitsPerSec,
      exitsByReason: m.exitsByReason,
      kickToServiceUs: m.kickToServiceUs ?? null,
      packetsPerSec: packetsPerSec(measured.map((e) => e.counters)),
      interruptsPerSec: m.interruptsPerSec,
      contextSwitchesPerSec: m.contextSwitchesPerSec,
      cpu: m.cpu,
      guestComputeCores: m.guestComputeCores,
      // a VM's workload over the measured phases (a phased scenario changes it: not the last phase's alone)
      perVm: m.perVm.map((p, i) => ({ vm: sc.vms[i]!.name, ...vmWorkloads(sc, measuredPhases(measured), i), segmentBytes: segmentBytesOf(sc, measuredPhases(measured), i), ...p })),
      iocm: { ...stats, counters: last.counters },
      phase: last.phase,
      units: SIMULATE_UNITS,
      costs: costTable({ ...DEFAULT_COSTS, ...costs }, sc.host.ghz),
      ...(tracePath !== undefined ? { trace: argv.trace } : {}),
    };
    if (argv.json) {
      printJson(out);
      return;
    }
    const how = argv.agent !== undefined
      ? `agent ${agentSpec} (mean ${fmt(out.meanIoCores, 2)} I/O cores, ${reconfigurations} reconfiguration${reconfigurations === 1 ? '' : 's'}, ends at ${lastIo})`
      : x === 0 ? 'baseline (vhost thread per device)' : `side-core with ${x} I/O core${x > 1 ? 's' : ''}`;
    const lines = [
      `scenario ${sc.name}: ${sc.vms.length} VMs on ${sc.host.cores} cores @ ${sc.host.ghz} GHz, ${how}, ${fmt(out.durationS, 1)} s measured${warmSteps ? ` after ${fmt(out.warmupS, 1)} s warm-up` : ''} on the ${argv.fidelity} tier (seed ${argv.seed})`,
      `  score           ${fmt(score, 3)} over ${measured.length} epochs (mean reward ${fmt(out.meanReward, 4)})`,
      `  throughput      ${fmt(m.throughputGbps, 3)} Gbit/s    transactions ${fmt(m.transactionsPerSec, 0)}/s`,
      `  latency (µs)    mean ${fmt(m.latencyUs.mean, 1)}   p50 ${fmt(m.latencyUs.p50, 1)}   ${P99_HEADER.replace(' (µs, ', ' (')} ${fmt(m.latencyUs.p99, 1)}`,
      `  kick→service    ${m.kickToServiceUs ? `mean ${fmt(m.kickToServiceUs.mean, 2)} µs   p99 ${Number.isFinite(m.kickToServiceUs.p99) ? `${fmt(m.kickToServiceUs.p99, 2)} µs` : 'not estimated (the fast tier keeps no distribution)'}   (TX ring post to vhost/worker start, ${fmt(m.kickToServiceUs.perSec, 0)} messages/s)` : 'not reported by this host model'}`,
      `  exits/s         ${fmt(m.exitsPerSec, 0)}  (${Object.entries(m.exitsByReason).map(([k, v]) => `${k} ${fmt(v, 0)}`).join(', ')})`,
      `  interrupts/s    ${fmt(m.interruptsPerSec, 0)}    context switches/s ${fmt(m.contextSwitchesPerSec, 0)}    packets/s ${fmt(out.packetsPerSec, 0)} (vhost chains)`,
      `  reconfiguring   ${reconfigurations} change${reconfigurations === 1 ? '' : 's'}, devices stalled ${fmt(cost.stallNs / 1e6, 1)} ms in all, manager (${manager}) CPU ${fmt(cost.managerCpuNs / 1e6, 1)} ms`,
      `  cpu (cores)     vm ${fmt(m.cpu.vm)}   io ${fmt(m.cpu.io)}   idle ${fmt(m.cpu.idle)}   guest compute ${fmt(m.guestComputeCores)}`,
      `  per VM:`,
      ...out.perVm.map((p) => `    ${p.vm.padEnd(8)} ${p.workload.padEnd(Math.max(14, ...out.perVm.map((q) => q.workload.length)))} ${fmt(p.throughputGbps, 3)} Gbit/s  ${fmt(p.transactionsPerSec, 0)} tx/s  mean ${fmt(p.latencyUsMean, 1)} µs  cpu ${fmt(p.cpuCores ?? NaN)} cores  exits ${fmt(Object.values(p.exitsByReason ?? {}).reduce((x, y) => x + y, 0), 0)}/s${p.segmentBytes ? `  segments ${p.segmentBytes.join('/')} B` : ''}`),
      `  IOcm statistics of the last epoch (empty, effective_io, overall_io, vm_idle in cores; bytes as vhost counts them): empty ${fmt(stats.empty, 3)}  effective_io ${fmt(stats.effectiveIoRatio, 3)}  overall_io ${fmt(stats.overallIoRatio, 3)}  vm_idle ${fmt(stats.vmIdle, 3)}  bytes/packet ${fmt(stats.avgBytesPerPacket, 0)}  bytes/cycle ${fmt(stats.bytesPerCycle, 4)}`,
      ...(tracePath !== undefined ? [`  trace           ${rows.length} epochs → ${argv.trace}`] : []),
    ];
    process.stdout.write(lines.join('\n') + '\n');
  },
};
