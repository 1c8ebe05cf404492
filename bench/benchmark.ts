/** What every benchmark module exports (the registry in `index.ts` lists them). */
export interface Benchmark {
  name: string;
  description: string;
  run(): Promise<void>;
}
