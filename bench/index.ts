/** The registry of benchmarks run by `npm run bench` (`npm run bench -- <name>` runs one). */
export interface Benchmark {
  name: string;
  description: string;
  run(): Promise<void>;
}

export const benchmarks: Benchmark[] = [];
