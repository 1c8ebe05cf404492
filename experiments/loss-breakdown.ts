/**
 * Where the learned agents and IOcm lose against the best fixed count in hindsight, epoch by epoch
 * (`experiments/protocol/loss-breakdown.ts` defines the classes): switching, reacting to a new phase,
 * and the count chosen in steady phases. Reads a protocol's run records (`<dir>/eval/v<i>/jobs/`, which
 * `iocm-gym protocol … --resume` regenerates) and prints one table per env variant; with `--write`
 * also writes `<dir>/loss-breakdown.md`.
 *
 *   npx tsx experiments/loss-breakdown.ts results/test [--reaction-epochs 5] [--write]
 *
 * Why 5 epochs of reaction time: an epoch's observation shows the workload of that epoch, so a policy
 * that reads it can be at the right count one or two epochs after a phase starts; IOcm, which moves at
 * most once per 28 epochs, cannot. 0.5 s separates the two; the option changes it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';
import { writeFileAtomic } from './io.js';
import { breakdownMarkdown, lossBreakdown, type EpochRun } from './protocol/loss-breakdown.js';
import { readJob } from './sweep.js';
import { loadScenario } from '../env/scenarios/scenario.js';
import { heldoutPairsIn } from '../env/scenarios/generator.js';

/** Per phase index of a scenario: whether it co-locates a held-out pair (cached per scenario name). */
const novelPhases = new Map<string, Set<number>>();
function novelOf(name: string): Set<number> {
  let s = novelPhases.get(name);
  if (!s) {
    s = new Set(heldoutPairsIn(loadScenario(name)).map((p) => p.phase));
    novelPhases.set(name, s);
  }
  return s;
}

function main(): void {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'reaction-epochs': { type: 'string', default: '5' }, write: { type: 'boolean', default: false } } });
  const dir = positionals[0] ?? 'results/test';
  const reactionEpochs = Number(values['reaction-epochs']);
  if (!Number.isInteger(reactionEpochs) || reactionEpochs < 0) throw new UsageError(`--reaction-epochs ${values['reaction-epochs']}: must be a whole number ≥ 0`);
  const evalDir = join(dir, 'eval');
  if (!existsSync(evalDir)) throw new UsageError(`${dir}: no eval/ folder; run \`iocm-gym protocol --config <its config> --out ${dir} --resume\` first (the run records are not committed)`);
  const out: string[] = [`# Where the agents lose against the best fixed count (${dir})`, '', `Regenerate: \`npx tsx experiments/loss-breakdown.ts ${dir} --reaction-epochs ${reactionEpochs} --write\`. Gaps in points of the normalised score (× 100; negative: the agent loses), mean over runs; classes defined in \`experiments/protocol/loss-breakdown.ts\`.`, ''];
  for (const v of readdirSync(evalDir).filter((d) => /^v\d+$/.test(d)).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))) {
    const vDir = join(evalDir, v);
    const manifest = JSON.parse(readFileSync(join(vDir, 'sweep.json'), 'utf8')) as { name?: string; jobs: { hash: string }[] };
    const runs: EpochRun[] = [];
    const agents = new Set<string>();
    let variant = '';
    for (const { hash } of manifest.jobs) {
      const j = readJob(vDir, hash);
      if (!j) throw new UsageError(`${vDir}: job ${hash} is missing or unreadable; finish the protocol with --resume`);
      variant = j.job.variant;
      // a learned agent's spec is `<algo>:<model dir>`; its training seeds are pooled under the algorithm
      const agent = /^(ppo|dqn):/.exec(j.job.agent)?.[1] ?? j.job.agent;
      agents.add(agent);
      runs.push({
        agent, scenario: j.job.scenario, seed: j.seed, rewards: j.rewards,
        ioCores: j.trace.ioCores as number[], phase: j.trace.phase as number[], reconfigured: j.trace.reconfigured as boolean[],
        novel: (j.trace.phase as number[]).map((p) => novelOf(j.job.scenario).has(p)),
      });
    }
    const fixed = [...agents].filter((a) => a === 'baseline' || /^static:\d+$/.test(a));
    const shown = [...agents].filter((a) => a === 'ppo' || a === 'dqn' || a.startsWith('iocm'));
    const rows = lossBreakdown(runs, { agents: shown, fixed, oracle: 'oracle', reactionEpochs });
    out.push(`## ${variant || v}`, '', breakdownMarkdown(rows, reactionEpochs), '');
  }
  const text = out.join('\n');
  process.stdout.write(text + '\n');
  if (values.write) writeFileAtomic(join(dir, 'loss-breakdown.md'), text + '\n');
}

try {
  main();
} catch (e) {
  if (e instanceof UsageError) {
    process.stderr.write(`loss-breakdown: ${e.message}\n`);
    process.exit(2);
  }
  throw e;
}
