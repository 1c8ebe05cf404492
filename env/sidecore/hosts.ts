/** Builds the host model of a fidelity tier (see `env/host-model.ts`). */
import type { Fidelity, HostModel, HostModelOptions } from '../host-model.js';
import { FluidHost } from '../fluid/host.js';
import { HostSim } from '../sim/host.js';
import type { Scenario } from '../sim/scenario.js';
import type { Costs } from '../sim/costs.js';

const factories: Partial<Record<Fidelity, (s: Scenario, o: HostModelOptions, noise: boolean, costs?: Partial<Costs>) => HostModel>> = {
  fast: (s, o, noise, costs) => new FluidHost(s, { seed: o.seed, ioCores: o.ioCores, manager: o.manager, noise, costs }),
  detailed: (s, o, _noise, costs) => new HostSim(s, { seed: o.seed, ioCores: o.ioCores, manager: o.manager, costs }),
};

/**
 * `noise`: the fast tier's epoch-to-epoch noise (default on); the detailed tier's variation is its own.
 * `costs`: cost-table overrides (none: the defaults of `env/sim/costs.ts`).
 */
export function createHost(fidelity: Fidelity, scenario: Scenario, opts: HostModelOptions, noise = true, costs?: Partial<Costs>): HostModel {
  const f = factories[fidelity];
  if (!f) throw new Error(`SideCore: the ${fidelity} tier is not available`);
  return f(scenario, opts, noise, costs);
}
