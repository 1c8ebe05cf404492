/**
 * `report.html`, the interactive report every `evaluate`, `sweep`, `paper` and `plot <dir>` writes next
 * to its tables and figures: the overall table, every scenario's scores relative to the oracle with
 * their intervals, each scenario's timeline (I/O cores, throughput, p99 latency and reward of every
 * agent over the episode, the phases as bands), switch counts, the oracle searches and the command
 * that regenerates the run. One self-contained file: it opens from disk with no network.
 *
 *   await writeReportHtml({ title: 'Evaluation', command, records, summary }, outDir);
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io.js';
import type { JobEntry, JobFile } from '../job-file.js';
import { readJob } from '../sweep.js';
import { reportData, timelineData, type ReportData, type ReportInput, type TimelineData } from './data.js';
import { reportHtml } from './html.js';

export const REPORT_FILE = 'report.html';

export { commandLine, setInvocation } from './invocation.js';

/**
 * Builds and writes `<outDir>/report.html` atomically; returns its path. Reads the smallest seed's job
 * file of each agent on each scenario (one scenario at a time, so memory stays that of one scenario).
 */
export function writeReportHtml(inp: ReportInput & { records: readonly (JobEntry | JobFile)[] }, outDir: string): string {
  const { data, timelineJobs } = reportData(inp);
  const timelines: TimelineData[] = [];
  for (const { scenario, jobs } of timelineJobs) {
    const files = jobs.map((r) => ('trace' in r ? r : readJob(outDir, r.job.hash))).filter((f): f is JobFile => f !== undefined);
    const tl = timelineData(scenario, files);
    if (!tl) continue;
    data.scenarios[scenario]!.timeline = timelines.length;
    timelines.push(tl);
  }
  const path = join(outDir, REPORT_FILE);
  writeFileAtomic(path, reportHtml(data, timelines));
  return path;
}

/**
 * What an earlier report in `outDir` says about how its runs were made (title, command, notes), for
 * `plot <dir>`, which redraws from the job files and does not know the command that produced them.
 */
export function previousReport(outDir: string): Pick<ReportData, 'title' | 'command' | 'notes'> | undefined {
  const path = join(outDir, REPORT_FILE);
  if (!existsSync(path)) return undefined;
  try {
    const m = /<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(readFileSync(path, 'utf8'));
    if (!m) return undefined;
    const d = JSON.parse(m[1]!) as Partial<ReportData>;
    return {
      title: typeof d.title === 'string' ? d.title : 'Results',
      command: typeof d.command === 'string' ? d.command : null,
      notes: Array.isArray(d.notes) ? d.notes.filter((n): n is string => typeof n === 'string') : [],
    };
  } catch {
    return undefined; // an unreadable or foreign file: the new report goes without
  }
}
