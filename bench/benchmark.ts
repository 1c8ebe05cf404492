/** What every benchmark module exports (the registry in `index.ts` lists them). */
export interface Benchmark {
  name: string;
  description: string;
  run(): Promise<void>;
}

/**
 * The benchmarks `npm run bench -- <name> …` asks for, in registry order (all of them when no name is
 * given). A name that is not registered is an error that lists the registered ones.
 */
export function selectBenchmarks(all: readonly Benchmark[], names: readonly string[]): Benchmark[] {
  const unknown = names.filter((n) => !all.some((b) => b.name === n));
  if (unknown.length) {
    throw new Error(`no benchmark named ${unknown.map((n) => JSON.stringify(n)).join(', ')}; the benchmarks are ${all.map((b) => b.name).join(', ')}`);
  }
  return names.length ? all.filter((b) => names.includes(b.name)) : [...all];
}
