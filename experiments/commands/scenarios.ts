/**
 * `iocm-gym scenarios [--show <name>] [--json]`: lists the shipped scenarios and the generated families
 * (`env/scenarios/generator.ts`), or prints the scenario JSON of one name (`--show heldout:3`): the
 * generated object for a family member, the file for a shipped name or a path. `--show` output is a
 * valid scenario file (save it and edit it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../errors.js';
import { ScenarioError, listScenarios, loadScenario, scenariosDir } from '../../env/sim/scenario.js';
import { FAMILIES, FAMILY_DEFAULT_SIZE, GENERATOR_VERSION, HELDOUT_PAIRS, generateScenarioSpec, heldoutPairsIn, parseMemberName } from '../../env/scenarios/generator.js';
import { printJson } from './common.js';

interface ScenariosArgs { show?: string; json: boolean }

/** The scenario JSON of a name: generated, shipped or a file (validated either way). */
function scenarioJson(name: string): unknown {
  try {
    loadScenario(name); // validates, and gives the one-line error for a bad name
    const member = parseMemberName(name);
    if (member) return generateScenarioSpec(member.family, member.index);
    const shipped = join(scenariosDir(), `${name}.json`);
    return JSON.parse(readFileSync(existsSync(shipped) && !name.includes('/') ? shipped : resolve(name), 'utf8'));
  } catch (e) {
    if (e instanceof ScenarioError) throw new UsageError(e.message);
    throw e;
  }
}

export const scenariosCommand: CommandModule<object, ScenariosArgs> = {
  command: 'scenarios',
  describe: 'List the shipped scenarios and the generated families, or print one scenario\'s JSON (--show)',
  builder: (y: Argv<object>) =>
    y
      .option('show', { type: 'string', describe: 'print the JSON of one scenario (e.g. heldout:3, train:17, paper)' })
      .option('json', { type: 'boolean', default: false, describe: 'print the list as JSON' }) as unknown as Argv<ScenariosArgs>,
  handler: (argv) => {
    if (argv.show !== undefined) {
      process.stdout.write(JSON.stringify(scenarioJson(argv.show), null, 2) + '\n');
      return;
    }
    const shipped = listScenarios().map((name) => {
      const s = loadScenario(name);
      return { name, vms: s.vms.length, phases: s.phases.length, durationS: s.durationS, heldoutPairs: heldoutPairsIn(s).length > 0 };
    });
    const families = FAMILIES.map((f) => ({
      family: f, member: `${f}:<i>`, defaultMembers: `${f}:0-${FAMILY_DEFAULT_SIZE[f] - 1}`,
      rule: f === 'heldout' ? 'at least one phase co-locates a held-out pair' : 'no phase co-locates a held-out pair',
    }));
    if (argv.json) return printJson({ shipped, families, generatorVersion: GENERATOR_VERSION, heldoutPairs: HELDOUT_PAIRS });
    const lines = ['Shipped scenarios (env/scenarios/*.json): name, VMs, phases, seconds; * = co-locates a held-out pair'];
    for (const s of shipped) lines.push(`  ${s.name.padEnd(22)} ${String(s.vms).padStart(2)} VMs ${String(s.phases).padStart(2)} phases ${String(s.durationS).padStart(4)} s${s.heldoutPairs ? '  *' : ''}`);
    lines.push('', `Generated families (generator v${GENERATOR_VERSION}; see env/scenarios/README.md):`);
    for (const f of families) lines.push(`  ${f.member.padEnd(12)} any index ≥ 0; \`--scenarios ${f.family}\` = ${f.defaultMembers}; ${f.rule}`);
    lines.push(`  held-out pairs: ${HELDOUT_PAIRS.map(([a, b]) => `${a} + ${b}`).join(', ')}`);
    lines.push('', 'Print one as JSON: iocm-gym scenarios --show heldout:3');
    process.stdout.write(lines.join('\n') + '\n');
  },
};
