/**
 * `npm run bench [-- name …]`: every benchmark of the project, or the named ones, in one run, so that
 * ratios are measured on the same machine state. Each entry prints its own lines; figures go to stdout
 * as `name: value unit`.
 */
import { selectBenchmarks, type Benchmark } from './benchmark.js';
import { benchmarks } from './index.js';

let chosen: Benchmark[];
try {
  chosen = selectBenchmarks(benchmarks, process.argv.slice(2));
} catch (e) {
  process.stderr.write(`bench: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(2);
}
for (const b of chosen) {
  process.stdout.write(`# ${b.name}: ${b.description}\n`);
  await b.run();
}
