/** Builds the host model of a fidelity tier (see `env/host-model.ts`). */
import type { Fidelity, HostModel, HostModelOptions } from '../host-model.js';
import { FluidHost } from '../fluid/host.js';
import { HostSim } from '../sim/host.js';
import type { Scenario } from '../sim/scenario.js';

const factories: Partial<Record<Fidelity, (s: Scenario, o: HostModelOptions) => HostModel>> = {
  fast: (s, o) => new FluidHost(s, { seed: o.seed, ioCores: o.ioCores, manager: o.manager }),
  detailed: (s, o) => new HostSim(s, { seed: o.seed, ioCores: o.ioCores, manager: o.manager }),
};

export function createHost(fidelity: Fidelity, scenario: Scenario, opts: HostModelOptions): HostModel {
  const f = factories[fidelity];
  if (!f) throw new Error(`SideCore: the ${fidelity} tier is not available`);
  return f(scenario, opts);
}
