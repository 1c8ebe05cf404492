/**
 * `npm run bench`: every benchmark of the project, in one run, so that ratios are measured on the same
 * machine state. Each entry prints its own lines; figures go to stdout as `name: value unit`.
 */
import { benchmarks } from './index.js';

const only = process.argv.slice(2);
for (const b of benchmarks) {
  if (only.length && !only.includes(b.name)) continue;
  process.stdout.write(`# ${b.name}: ${b.description}\n`);
  await b.run();
}
