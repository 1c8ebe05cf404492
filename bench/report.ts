/**
 * report.html at scale: a fast-tier evaluation of 10 agents (iocm, baseline, static:1-4, random, the
 * trained PPO model, both oracles) on 300 generated scenarios (`IOCM_BENCH_REPORT_SCENARIOS`, default
 * `train:0-299`), one seed, run into a scratch folder; then the report is written and opened in
 * headless Chromium from disk. Prints the file's size (and how much of it is the inlined libraries, the
 * summary and the timelines), the time to write it, the time until the page is ready (tables built;
 * targets ≤ 2 s) and until the heat map is drawn, and the time to open a scenario's timeline (median
 * of 5 scenarios; target ≤ 1 s). Needs Chromium (`bench/browser.ts`). `IOCM_BENCH_REPORT_DIR=<dir>` keeps
 * the sweep there and reuses it on the next run (the sweep takes a few minutes on 2 cores).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runRows, summaryRows } from '../experiments/report.js';
import { writeReportHtml } from '../experiments/report-html/index.js';
import { packageRoot } from '../experiments/paths.js';
import { planSweep, runSweep } from '../experiments/sweep.js';
import { launchChromium } from './browser.js';
import type { Benchmark } from './benchmark.js';

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]!; };

async function run(): Promise<void> {
  const scenarios = process.env.IOCM_BENCH_REPORT_SCENARIOS ?? 'train:0-299';
  const ppo = join(packageRoot(), 'results', 'models', 'ppo');
  const learned = existsSync(join(ppo, 'agent.json')) ? `ppo:${ppo}` : 'iocm:bugCompatible=true';
  const agents = ['iocm', 'baseline', 'static:1', 'static:2', 'static:3', 'static:4', 'random', learned, 'oracle-static', 'oracle'];
  const keep = process.env.IOCM_BENCH_REPORT_DIR;
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'iocm-bench-report-'));
  try {
    const plan = await planSweep({ name: 'report bench', scenarios: [scenarios], envParams: { fidelity: 'fast' }, agents, seeds: 1 }, { where: 'report bench' });
    const t0 = performance.now();
    const outcome = await runSweep(plan, { out: dir, workers: availableParallelism(), resume: keep !== undefined });
    console.log(`report.sweep: ${outcome.jobs.length} runs (${agents.length} agents × ${outcome.jobs.length / agents.length} scenarios; ${outcome.ran} run now) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const summary = await summaryRows(runRows(outcome.records, dir));
    const t1 = performance.now();
    const path = writeReportHtml({ title: 'report bench', command: 'npm run bench -- report', records: outcome.records, summary }, dir);
    console.log(`report.write: ${((performance.now() - t1) / 1000).toFixed(2)} s`);
    const html = readFileSync(path, 'utf8');
    const part = (re: RegExp): number => [...html.matchAll(re)].reduce((s, m) => s + Buffer.byteLength(m[0]), 0);
    const mb = (b: number): string => (b / 1e6).toFixed(2);
    console.log(`report.size: ${mb(statSync(path).size)} MB (libraries ${mb(part(/<script>\/\* vega[\s\S]*?<\/script>/g))}, summary ${mb(part(/<script type="application\/json" id="report-data">[\s\S]*?<\/script>/g))}, timelines ${mb(part(/<script type="application\/json" id="tl-\d+">[\s\S]*?<\/script>/g))} MB)`);

    const browser = await launchChromium(dir);
    try {
      const ready: number[] = [];
      const heat: number[] = [];
      const domLoaded: number[] = [];
      for (let i = 0; i < 3; i++) {
        const page = await browser.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
        const s = performance.now();
        await page.goto(pathToFileURL(path).href);
        await page.waitForSelector('body[data-ready]', { timeout: 60_000 });
        ready.push(performance.now() - s);
        domLoaded.push(Number(await page.evaluate('performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd')));
        await page.waitForSelector('#heatmap[data-drawn]', { timeout: 60_000 });
        heat.push(performance.now() - s);
        if (errors.length) console.log(`report.errors: ${errors.join(' | ')}`);
        if (i < 2) await page.close();
        else {
          // the page's main-thread busy time as well as the wall time: on a shared machine the wall
          // time waits for other processes, the busy time much less
          const cdp = await browser.newCDPSession(page);
          await cdp.send('Performance.enable');
          const busy = async (): Promise<number> => ((await cdp.send('Performance.getMetrics')).metrics.find((x) => x.name === 'TaskDuration')?.value ?? NaN) * 1000;
          const open: number[] = [];
          const openBusy: number[] = [];
          const n = (await page.$$('#scenarios tbody tr')).length;
          for (const k of [0, 1, 2, 3, 4].map((j) => Math.floor((j * n) / 5))) {
            const b = await busy();
            const o = performance.now();
            await page.click(`#scenarios tbody tr[data-scenario="${k}"]`);
            await page.waitForSelector(`#timeline[data-drawn="${k}"]`, { timeout: 60_000 });
            open.push(performance.now() - o);
            openBusy.push((await busy()) - b);
          }
          console.log(`report.open_scenario: ${median(open).toFixed(0)} ms median (${open.map((x) => x.toFixed(0)).join(', ')}); main thread busy ${median(openBusy).toFixed(0)} ms median (target ≤ 1000 ms)`);
        }
      }
      console.log(`report.load_ready: ${median(ready).toFixed(0)} ms median of ${ready.map((x) => x.toFixed(0)).join(', ')}; DOMContentLoaded (tables built) at ${median(domLoaded).toFixed(0)} ms (target ≤ 2000 ms)`);
      console.log(`report.load_heatmap: ${median(heat).toFixed(0)} ms median of ${heat.map((x) => x.toFixed(0)).join(', ')}`);
    } finally {
      await browser.close();
    }
  } finally {
    if (keep === undefined) rmSync(dir, { recursive: true, force: true });
  }
}

export const reportBench: Benchmark = {
  name: 'report',
  description: 'report.html of 300 scenarios × 10 agents: size, write time, load and scenario-open time in headless Chromium',
  run,
};
