/**
 * `iocm-gym costs [--scenario s] [--cost name=value ...] [--json]`: prints the cost table in force, every
 * constant of `env/sim/costs.ts` with its value, unit, source tags and source or reason, and (for cycle
 * costs) its time at the host clock: the scenario's, or the default host's without --scenario. `--cost`
 * overrides are shown with the default they replace. Built by `costTable`, as `simulate --json`'s `costs`.
 */
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../errors.js';
import { printJson } from './common.js';
import { costTable, type CostRow } from '../simulate-report.js';
import { parseCostOverrides } from '../cost-overrides.js';
import { ScenarioError, loadScenario, type Scenario } from '../../env/sim/scenario.js';
import { resolveHost } from '../../env/host-model.js';

interface CostsArgs { scenario?: string; cost?: string | string[]; json: boolean }

const DEFAULT_HOST_SPEC = { name: 'default-host', vms: 1, phases: [{ durationS: 1, workload: { type: 'idle' } }] };

function valueText(r: CostRow): string {
  if (Array.isArray(r.value)) return r.value.map((s: { name: string; exitNs: number; residencyNs: number }) => `${s.name} ${s.exitNs}/${s.residencyNs}`).join(', ');
  return String(r.value);
}

export const costsCommand: CommandModule<object, CostsArgs> = {
  command: 'costs',
  describe: 'Print the cost table in force: every cost constant with its value, unit and source (docs/model.md)',
  builder: (y: Argv<object>) =>
    y
      .option('scenario', { type: 'string', describe: 'shipped scenario name or JSON file: cycle costs are also shown in ns at its host clock' })
      .option('cost', { type: 'string', describe: 'override cost entries, name=value (repeatable or comma-separated), e.g. --cost idleWakeNs=2000,exitKickCycles=3000' })
      .option('json', { type: 'boolean', default: false, describe: 'print one JSON object' }) as unknown as Argv<CostsArgs>,
  handler: (argv) => {
    const costs = parseCostOverrides(argv.cost);
    let sc: Scenario | undefined;
    if (argv.scenario !== undefined) {
      try {
        sc = loadScenario(argv.scenario);
      } catch (e) {
        if (e instanceof ScenarioError) throw new UsageError(e.message);
        throw e;
      }
    }
    // without a scenario: the host every scenario gets unless it says otherwise (the schema's defaults)
    const host = resolveHost(sc ?? loadScenario(DEFAULT_HOST_SPEC), { seed: 0, ioCores: 0, costs });
    const ghz = host.ghz;
    const table = costTable(host.costs, ghz);
    const out = { scenario: sc?.name ?? null, ghz, overrides: Object.keys(costs), costs: table };
    if (argv.json) {
      printJson(out);
      return;
    }
    const rows = Object.entries(table);
    const w = (f: (e: [string, CostRow]) => string) => Math.max(...rows.map((e) => f(e).length));
    const nameW = w(([k]) => k), valW = w(([, r]) => valueText(r)), unitW = w(([, r]) => r.unit);
    const lines = [
      `cost table in force${sc ? ` for scenario ${sc.name}` : ''} (host clock ${ghz} GHz${sc ? '' : ', the default host'}; ${out.overrides.length ? `overridden: ${out.overrides.join(', ')}` : 'no overrides'}); tags: PUB published, 3RD third-party summary, CODE source code, INF modelling assumption, CAL calibrated, UNV source not read (docs/model.md)`,
      ...rows.map(([k, r]) => {
        const extra = [r.ns !== undefined ? `= ${fmtNs(r.ns)}` : '', r.default !== undefined ? `(default ${valueText({ ...r, value: r.default })})` : ''].filter(Boolean).join(' ');
        return `${k.padEnd(nameW)}  ${valueText(r).padStart(Math.min(valW, 12))}  ${r.unit.padEnd(Math.min(unitW, 22))}  [${r.tags.join('/')}] ${r.source}${extra ? `  ${extra}` : ''}`;
      }),
    ];
    process.stdout.write(lines.join('\n') + '\n');
  },
};

function fmtNs(ns: number): string {
  if (ns >= 1000) return `${(ns / 1000).toFixed(ns >= 1e5 ? 0 : 2)} µs`;
  return `${ns.toFixed(ns < 10 ? 3 : 0)} ns`;
}
