/**
 * The shared back end of `sweep`, `evaluate` and `paper`: run a planned sweep on the pool (resumable),
 * then write the tables and the figures, and report what was written.
 */
import { join } from 'node:path';
import { claimOutDir } from './out-dir.js';
import { progressBar } from './progress.js';
import { terminalSummary, writeTables, type SummaryRow } from './report.js';
import { runSweep, type SweepOutcome, type SweepPlan } from './sweep.js';

export interface ExperimentOptions {
  out: string;
  workers?: number;
  resume?: boolean;
  overwrite?: boolean;
  plots?: boolean;
  /** At most this many timeline figures (default `DEFAULT_TIMELINES`; Infinity for all). */
  timelines?: number;
  quiet?: boolean;
  title?: string;
  notes?: string[];
  /** Run on this Redis queue instead of the pool (`sweep --queue`). */
  queue?: string;
}

export interface ExperimentResult {
  outcome: SweepOutcome;
  summary: SummaryRow[];
  files: string[];
  /** '' or what the figures left out (`timelinesNote`), for the command's last line. */
  figuresNote: string;
  markdown: string;
  /** What the command prints: the overall table, or the one scenario's (`terminalSummary`). */
  overview: string;
}

export async function runExperiment(plan: SweepPlan, o: ExperimentOptions): Promise<ExperimentResult> {
  // the folder stays locked while the tables and figures are written too
  const claim = claimOutDir(o.out);
  try {
    return await runAndReport(plan, o);
  } finally {
    claim.release();
  }
}

async function runAndReport(plan: SweepPlan, o: ExperimentOptions): Promise<ExperimentResult> {
  const bar = progressBar('runs', o.quiet);
  let started = false;
  const outcome = await runSweep(plan, {
    out: o.out, ...(o.workers !== undefined ? { workers: o.workers } : {}), resume: o.resume ?? false, overwrite: o.overwrite ?? false, ...(o.queue ? { queue: o.queue } : {}),
    onProgress: (p) => {
      if (!started) { bar.start(p.total, p.skipped); started = true; }
      const seen = p.workers !== undefined ? `workers seen ${p.workers}` : '';
      bar.update(p.skipped + p.done, p.job ? { what: `${p.job.agent} ${p.job.scenario} seed ${p.job.seed}${seen ? ` | ${seen}` : ''}` } : { what: seen });
    },
  });
  bar.stop();
  const tables = await writeTables(outcome.records, outcome.out, o.title, o.notes);
  const files = [...tables.files];
  let figuresNote = '';
  if (o.plots ?? true) {
    const { timelinesNote, writeFigures } = await import('./plots.js');
    const figs = await writeFigures(outcome.records, tables.summary, outcome.out, { timelines: o.timelines });
    files.push(...figs.files);
    figuresNote = timelinesNote(figs.timelines);
    const { commandLine, writeReportHtml } = await import('./report-html/index.js');
    files.push(writeReportHtml({ title: o.title ?? 'Results', command: commandLine(), notes: o.notes ?? [], records: outcome.records, summary: tables.summary }, outcome.out));
  }
  const { readFileSync } = await import('node:fs');
  return { outcome, summary: tables.summary, files, figuresNote, markdown: readFileSync(join(outcome.out, 'summary.md'), 'utf8'), overview: terminalSummary(tables.summary) };
}

/** Plain-data digest of a summary row for --json. */
export function summaryJson(rows: readonly SummaryRow[]): Record<string, unknown>[] {
  return rows.map((r) => ({
    agent: r.agent, scenario: r.scenario, variant: r.variant, n: r.score.n, score: r.score.mean, scoreStd: r.score.std, scoreCi95: r.score.ci95,
    relOracle: r.relOracle.mean, relOracleCi95: r.relOracle.ci95, throughputGbps: r.throughputGbps, transactionsPerSec: r.transactionsPerSec,
    p99Us: r.p99Us, exitsPerSec: r.exitsPerSec, reconfigurations: r.reconfigurations, meanIoCores: r.meanIoCores,
  }));
}
