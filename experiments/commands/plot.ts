/**
 * `iocm-gym plot <results dir>`: redraws the figures of a sweep or evaluation
 * from its job files: `scores.{png,svg}`, `relative.{png,svg}`, `timeline-<scenario>.{png,svg}` and
 * `report.html` (keeping the title, command and notes of the report it replaces).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../errors.js';
import type { FiguresWritten } from '../plots.js';
import { runRows, summaryRows } from '../report.js';
import { jobPath, readJob, type JobFile } from '../sweep.js';
import { claimOutDir } from '../out-dir.js';
import { TIMELINES_OPTION, printJson, timelinesFlag } from './common.js';

interface PlotArgs { dir: string; timelines?: string; json: boolean }

/**
 * The finished runs of a results folder. A job listed without a file (a sweep stopped before it ran) is
 * left out and counted in `unfinished`; a job file that cannot be read is an error naming it, since
 * figures drawn without it would disagree with the folder's tables.
 */
export function loadResults(dir: string): { recs: JobFile[]; unfinished: number } {
  const jobsDir = join(dir, 'jobs');
  if (!existsSync(jobsDir)) throw new UsageError(`${dir}: no jobs/ folder (not the output of sweep, evaluate or paper)`);
  let hashes: string[];
  const manifest = join(dir, 'sweep.json');
  if (existsSync(manifest)) {
    try {
      hashes = (JSON.parse(readFileSync(manifest, 'utf8')) as { jobs: { hash: string }[] }).jobs.map((j) => j.hash);
    } catch {
      throw new UsageError(`${manifest}: not a sweep manifest`);
    }
  } else hashes = readdirSync(jobsDir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
  const recs: JobFile[] = [];
  const seen = new Set<string>();
  let unfinished = 0;
  for (const h of hashes) {
    if (seen.has(h)) continue;
    seen.add(h);
    if (!existsSync(jobPath(dir, h))) { unfinished++; continue; }
    const r = readJob(dir, h);
    if (!r) throw new UsageError(`${jobPath(dir, h)}: not a readable job file of this folder; rerun the command that wrote ${dir} with --resume to run that job again`);
    recs.push(r);
  }
  if (recs.length === 0) throw new UsageError(`${dir}: no finished runs in jobs/`);
  return { recs, unfinished };
}

/** Every figure and the report of a results folder, from its finished runs. */
async function redraw(recs: JobFile[], out: string, timelines: ReturnType<typeof timelinesFlag>): Promise<{ files: string[]; timelines: FiguresWritten['timelines']; note: string }> {
  const summary = await summaryRows(runRows(recs, out));
  const { timelinesNote, writeFigures } = await import('../plots.js');
  const figs = await writeFigures(recs, summary, out, { timelines });
  const { previousReport, writeReportHtml } = await import('../report-html/index.js');
  figs.files.push(writeReportHtml({ title: 'Results', command: null, notes: [], ...previousReport(out), records: recs, summary }, out));
  return { files: figs.files, timelines: figs.timelines, note: timelinesNote(figs.timelines) };
}

export const plotCommand: CommandModule<object, PlotArgs> = {
  command: 'plot <dir>',
  describe: 'Redraw the figures of a sweep/evaluation results directory',
  builder: (y: Argv<object>) =>
    y
      .positional('dir', { type: 'string', demandOption: true, describe: 'results directory (holds jobs/)' })
      .option('timelines', TIMELINES_OPTION)
      .option('json', { type: 'boolean', default: false, describe: 'print the written files as JSON' }) as unknown as Argv<PlotArgs>,
  handler: async (argv) => {
    const timelines = timelinesFlag(argv.timelines);
    const { recs, unfinished } = loadResults(argv.dir);
    // locked like every other writer of a results folder: a sweep still writing it is not raced
    const claim = claimOutDir(argv.dir, undefined, 'results dir');
    let figs: Awaited<ReturnType<typeof redraw>>;
    try {
      figs = await redraw(recs, claim.abs, timelines);
    } finally {
      claim.release();
    }
    if (argv.json) printJson({ runs: recs.length, unfinished, files: figs.files, timelines: figs.timelines });
    else process.stdout.write(`plot: ${recs.length} runs${unfinished ? ` (${unfinished} listed run(s) not finished, left out)` : ''}; wrote ${describeFiles(figs.files, claim.abs)}${figs.note}\n`);
  },
};

/** The written files in one short line: all of them when few, else their count and name patterns. */
export function describeFiles(files: readonly string[], dir: string): string {
  const names = files.map((f) => relative(dir, f));
  if (names.length <= 6) return files.join(', ');
  const patterns = [...new Set(names.map((n) => n.replace(/^timeline-.*\./, 'timeline-*.')))];
  return `${files.length} files to ${dir} (${patterns.join(', ')})`;
}
