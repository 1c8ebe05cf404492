/** The registry of benchmarks run by `npm run bench` (`npm run bench -- <name>` runs one). */
import { cartpoleBench } from './cartpole.js';
import { simBench } from './sim.js';
import { agentsBench } from './agents.js';
import { fluidBench } from './fluid.js';
import { experimentsBench } from './experiments.js';
import { sideCoreBench } from './sidecore.js';
import { reportBench } from './report.js';
import { queueBench } from './queue.js';

export interface Benchmark {
  name: string;
  description: string;
  run(): Promise<void>;
}

export const benchmarks: Benchmark[] = [cartpoleBench, sideCoreBench, simBench, agentsBench, experimentsBench, fluidBench, reportBench, queueBench];
