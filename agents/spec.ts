/**
 * The one parser of agent specs, used by every command that takes an agent:
 *
 * | spec | agent |
 * |---|---|
 * | `iocm` | the IOcm heuristic with its published defaults (`iocm/`) |
 * | `iocm:<param>=<value>,…` | IOcm with parameters changed, e.g. `iocm:bugCompatible=true` |
 * | `static:<x>` | always x I/O cores (absolute action mode, `static.ts`) |
 * | `baseline` | `static:0`: no side cores |
 * | `random` / `random:seed=<n>` | uniform over the valid actions, seeded (`random.ts`) |
 * | `ppo:<model dir>` / `dqn:<model dir>` | a saved learned model acting greedily (`learned.ts`) |
 * | `schedule:<a>x<n>,…` | a fixed schedule of counts, played open-loop (`schedule.ts`) |
 *
 * Any problem (unknown spec or parameter, bad value, missing or corrupt model directory, model trained
 * for another observation/action shape) is an `AgentSpecError`: a one-line `UsageError` that starts
 * with the spec.
 */
import type { Space } from '../env/core/spaces/index.js';
import { Discrete } from '../env/core/spaces/index.js';
import { UsageError } from '../env/core/errors.js';
import type { Agent } from './agent.js';
import { createIocmAgent } from './iocm/index.js';
import { RandomAgent } from './random.js';
import { ScheduleAgent, parseSchedule } from './schedule.js';
import { StaticAgent } from './static.js';

export class AgentSpecError extends UsageError {
  override name = 'AgentSpecError';
}

/** The accepted forms, for help texts and error messages. */
export const AGENT_SPEC_FORMS = ['iocm', 'iocm:<param>=<value>,…', 'static:<x>', 'baseline', 'random', 'random:seed=<n>', 'dqn:<model dir>', 'ppo:<model dir>', 'schedule:<count>x<epochs>,…'] as const;

export interface AgentSpecContext {
  /** The env the agent will act in: `static` checks its target and learned agents their model against it. */
  env?: { observationSpace: Space<unknown>; actionSpace: Space<unknown> };
  /** Seed of agents that draw random numbers (`random`), unless the spec gives one. */
  seed?: number;
  /** tfjs backend of learned agents (wasm | tensorflow | cpu); default: the one in the model's Args. */
  backend?: string;
}

/** `a=1,b=2` → {a: '1', b: '2'}; errors name the malformed or repeated entry. */
export function parseSpecParams(text: string, spec: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of text.split(',')) {
    const eq = part.indexOf('=');
    const key = (eq < 0 ? part : part.slice(0, eq)).trim();
    const value = eq < 0 ? '' : part.slice(eq + 1).trim();
    if (eq < 0 || key === '' || value === '') throw new AgentSpecError(`agent spec ${JSON.stringify(spec)}: expected <param>=<value>, got ${JSON.stringify(part)}`);
    if (Object.prototype.hasOwnProperty.call(out, key)) throw new AgentSpecError(`agent spec ${JSON.stringify(spec)}: parameter ${JSON.stringify(key)} is given twice`);
    out[key] = value;
  }
  return out;
}

function nonNegativeInt(text: string, what: string, spec: string): number {
  if (!/^\d+$/.test(text.trim())) throw new AgentSpecError(`agent spec ${JSON.stringify(spec)}: ${what} must be a non-negative integer, got ${JSON.stringify(text)}`);
  const v = Number(text);
  if (!Number.isSafeInteger(v)) throw new AgentSpecError(`agent spec ${JSON.stringify(spec)}: ${what} ${text} is too large`);
  return v;
}

function oneLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
}

/** Builds the agent a spec names (async: learned agents load their model). */
export async function parseAgentSpec(spec: string, ctx: AgentSpecContext = {}): Promise<Agent<unknown, number>> {
  const s = spec.trim();
  const colon = s.indexOf(':');
  const name = colon < 0 ? s : s.slice(0, colon);
  const rest = colon < 0 ? undefined : s.slice(colon + 1);
  const q = JSON.stringify(spec);
  const noArgs = (): void => {
    if (rest !== undefined) throw new AgentSpecError(`agent spec ${q}: ${name} takes no ${name === 'baseline' ? 'argument (it is static:0)' : 'argument'}`);
  };
  const needArg = (what: string): string => {
    if (rest === undefined || rest.trim() === '') throw new AgentSpecError(`agent spec ${q}: ${name} needs ${what} (${name}:${what})`);
    return rest.trim();
  };

  switch (name) {
    case 'iocm': {
      if (rest !== undefined && rest.trim() === '') throw new AgentSpecError(`agent spec ${q}: expected iocm or iocm:<param>=<value>,…`);
      const params = rest === undefined ? {} : parseSpecParams(rest, spec);
      let agent;
      try {
        agent = createIocmAgent(params, s);
      } catch (err) {
        throw new AgentSpecError(`agent spec ${q}: ${oneLine(err)}`);
      }
      // I/O-core bounds the user set must fit the env (it would cap them silently); IOcm acts in the
      // absolute mode, where the action space is 0 … the env's maxIoCores
      const space = ctx.env?.actionSpace;
      if (space instanceof Discrete) {
        const envMax = space.start + space.n - 1;
        for (const k of ['maxIoCores', 'minIoCores'] as const) {
          if (k in params && agent.params[k] > envMax) {
            throw new AgentSpecError(`agent spec ${q}: ${k} ${agent.params[k]} is more than the env's ${envMax} I/O cores (action space ${space.toString()})`);
          }
        }
      }
      return agent;
    }
    case 'static':
    case 'baseline': {
      const target = name === 'baseline' ? (noArgs(), 0) : nonNegativeInt(needArg('<x>'), 'the I/O-core count', spec);
      const space = ctx.env?.actionSpace;
      if (space instanceof Discrete && !space.contains(target)) {
        throw new AgentSpecError(`agent spec ${q}: ${target} I/O cores is outside the env's action space ${space.toString()} (static acts in the absolute action mode: 0 … maxIoCores)`);
      }
      return new StaticAgent(target, s);
    }
    case 'random': {
      let seed = ctx.seed;
      if (rest !== undefined) {
        const params = parseSpecParams(rest, spec);
        for (const k of Object.keys(params)) if (k !== 'seed') throw new AgentSpecError(`agent spec ${q}: random has no parameter ${JSON.stringify(k)} (only seed)`);
        seed = nonNegativeInt(params.seed!, 'seed', spec);
      }
      try {
        return new RandomAgent({ ...(seed !== undefined ? { seed } : {}), ...(ctx.env ? { actionSpace: ctx.env.actionSpace } : {}) }, s);
      } catch (err) {
        throw new AgentSpecError(`agent spec ${q}: ${oneLine(err)}`);
      }
    }
    case 'schedule': {
      let agent;
      try {
        agent = new ScheduleAgent(parseSchedule(needArg('<count>x<epochs>,…')), s);
      } catch (err) {
        if (err instanceof AgentSpecError) throw err;
        throw new AgentSpecError(`agent spec ${q.length > 80 ? `${q.slice(0, 77)}…"` : q}: ${oneLine(err)}`);
      }
      const space = ctx.env?.actionSpace;
      if (space instanceof Discrete && !space.contains(agent.maxCount)) {
        throw new AgentSpecError(`agent spec schedule: ${agent.maxCount} I/O cores is outside the env's action space ${space.toString()} (schedule acts in the absolute action mode: 0 … maxIoCores)`);
      }
      return agent;
    }
    case 'ppo':
    case 'dqn': {
      const dir = needArg('<model dir>');
      try {
        const { loadLearnedAgent } = await import('./learned.js'); // loads tfjs only when a learned agent is asked for
        return await loadLearnedAgent(name, dir, { spec: s, ...(ctx.env ? { env: ctx.env } : {}), ...(ctx.backend ? { backend: ctx.backend } : {}) });
      } catch (err) {
        throw new AgentSpecError(`agent spec ${q}: ${oneLine(err)}`);
      }
    }
    default:
      throw new AgentSpecError(`unknown agent spec ${q}; use one of: ${AGENT_SPEC_FORMS.join(', ')}`);
  }
}
