/**
 * `evaluate()` for scripts: what `iocm-gym evaluate` does, as a function. Every agent runs on every
 * scenario and seed, together with the oracles, on a worker pool; the run records, `summary.csv`,
 * `summary.md` (and figures unless `plots: false`) are written to `out`, and the summary rows returned
 * (`relOracle`: the score relative to the dynamic oracle's, per seed, then averaged).
 */
import { UsageError } from './errors.js';
import { DEFAULT_ENV_ID } from './envs.js';
import { runExperiment, type ExperimentResult } from './experiment.js';
import { planSweep } from './sweep.js';

export interface EvaluateOptions {
  /** Agent specs: `iocm`, `static:2`, `random`, `ppo:<dir>`, … (see `parseAgentSpec`). */
  agents: string[];
  /** Scenario names, paths or families (`paper`, `heldout:0-2`, …); SideCore envs only. Default `paper`. */
  scenarios?: string[];
  /** Seeds 0 … seeds − 1 (default 1), or the list of seeds. */
  seeds?: number | number[];
  /** Output directory (created; refused when it already holds runs, unless `resume`). */
  out: string;
  /** Environment id (default SideCore-v1). */
  env?: string;
  /** Env kwargs for every run, e.g. `{ fidelity: 'detailed' }`. */
  envParams?: Record<string, string | number>;
  /** Oracles to add (default both). */
  oracles?: ('dynamic' | 'static')[];
  maxSteps?: number;
  workers?: number;
  resume?: boolean;
  /** Write figures (default true). */
  plots?: boolean;
  /** Hide the progress bar (default true: scripts usually want quiet). */
  quiet?: boolean;
}

const ORACLE_AGENT = { dynamic: 'oracle', static: 'oracle-static' } as const;

export async function evaluate(o: EvaluateOptions): Promise<ExperimentResult> {
  if (!Array.isArray(o.agents) || o.agents.length === 0) throw new UsageError('evaluate: give at least one agent spec');
  const env = o.env ?? DEFAULT_ENV_ID;
  const oracles = (o.oracles ?? ['dynamic', 'static']).map((k) => {
    if (!(k in ORACLE_AGENT)) throw new UsageError(`evaluate: unknown oracle ${JSON.stringify(k)}; use dynamic or static`);
    return ORACLE_AGENT[k];
  });
  const raw = {
    name: 'Evaluation',
    env,
    agents: [...o.agents, ...oracles.filter((a) => !o.agents.includes(a))],
    ...(env.startsWith('SideCore-') ? { scenarios: o.scenarios ?? ['paper'] } : {}),
    envParams: o.envParams ?? {},
    seeds: o.seeds ?? 1,
    ...(o.maxSteps !== undefined ? { maxSteps: o.maxSteps } : {}),
  };
  const plan = await planSweep(raw, { where: 'evaluate' });
  return runExperiment(plan, {
    out: o.out,
    ...(o.workers !== undefined ? { workers: o.workers } : {}),
    resume: o.resume ?? false,
    plots: o.plots ?? true,
    quiet: o.quiet ?? true,
    title: 'Evaluation',
  });
}
