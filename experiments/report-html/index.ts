/**
 * `report.html`, the interactive report every `evaluate`, `sweep`, `paper` and `plot <dir>` writes next
 * to its tables and figures: the overall table, every scenario's scores relative to the oracle with
 * their intervals, each scenario's timeline (I/O cores, throughput, p99 latency and reward of every
 * agent over the episode, the phases as bands), switch counts, the oracle searches and the command
 * that regenerates the run. One self-contained file: it opens from disk with no network.
 *
 *   writeReportHtml({ title: 'Evaluation', command: commandLine(), records, summary }, outDir);
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io.js';
import type { JobEntry, JobFile } from '../job-file.js';
import { RUN_FORMAT, RUN_FORMAT_2, unpackRuns, type Runs } from '../record.js';
import { jobPath, readJob } from '../sweep.js';
import { TIMELINE_COLUMNS, reportData, timelineData, timelineSource, type ReportData, type ReportInput, type TimelineData, type TimelineSource } from './data.js';
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
    const sources = jobs.map((r) => (isFull(r) ? timelineSource(r) : readTimelineSource(outDir, r))).filter((f): f is TimelineSource => f !== undefined);
    const tl = timelineData(scenario, sources);
    if (!tl) continue;
    data.scenarios[scenario]!.timeline = timelines.length;
    timelines.push(tl);
  }
  const path = join(outDir, REPORT_FILE);
  writeFileAtomic(path, reportHtml(data, timelines));
  return path;
}

const isFull = (r: JobEntry | JobFile): r is JobFile => 'trace' in r;

const isCell = (v: unknown): boolean => v === null || typeof v === 'number' || typeof v === 'boolean';

/**
 * Runs from a column as a file holds them (run@3: a lone value as itself, a run as `[value, count]`;
 * run@2: pairs only), or undefined when `x` is not that.
 */
function asRuns(x: unknown): Runs | undefined {
  if (!Array.isArray(x)) return undefined;
  for (const r of x as unknown[]) {
    if (isCell(r)) continue;
    if (!Array.isArray(r) || r.length !== 2 || !Number.isInteger(r[1]) || (r[1] as number) < 1 || !isCell(r[0])) return undefined;
  }
  return unpackRuns(x as (number | boolean | null | [number | boolean | null, number])[]);
}

/**
 * A job's timeline columns, read straight from its run@3 (or run@2) file: they are stored as runs already, so
 * they are taken as they are (validating and decoding the whole record, as `readJob` does, made the
 * report of 3,000 runs take several times longer). Other files go through `readJob`.
 */
function readTimelineSource(outDir: string, r: JobEntry): TimelineSource | undefined {
  let raw: { format?: unknown; job?: { hash?: unknown }; trace?: Record<string, unknown>; rewards?: unknown };
  try {
    raw = JSON.parse(readFileSync(jobPath(outDir, r.job.hash), 'utf8')) as typeof raw;
  } catch {
    return undefined;
  }
  if ((raw.format !== RUN_FORMAT && raw.format !== RUN_FORMAT_2) || raw.job?.hash !== r.job.hash || typeof raw.trace !== 'object' || raw.trace === null) {
    const f = readJob(outDir, r.job.hash);
    return f ? timelineSource(f) : undefined;
  }
  const cols: TimelineSource['cols'] = {};
  for (const k of TIMELINE_COLUMNS) {
    const runs = asRuns(k === 'reward' ? raw.rewards : raw.trace[k]);
    if (runs) cols[k] = runs;
  }
  return { agent: r.job.agent, seed: r.seed, envSpec: r.envSpec, cols };
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
