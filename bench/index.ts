/** The registry of benchmarks run by `npm run bench` (`npm run bench -- <name>` runs one). */
import { cartpoleBench } from './cartpole.js';
import { simBench } from './sim.js';
import { agentsBench } from './agents.js';
import { fluidBench } from './fluid.js';
import { experimentsBench } from './experiments.js';
import { sideCoreBench } from './sidecore.js';
import { reportBench } from './report.js';
import { queueBench } from './queue.js';

import type { Benchmark } from './benchmark.js';

export const benchmarks: Benchmark[] = [cartpoleBench, sideCoreBench, simBench, agentsBench, experimentsBench, fluidBench, reportBench, queueBench];
