/**
 * Progress of long commands, on stderr:
 *
 * * on a terminal, a bar (cli-progress) whose ETA is "–" until something has finished in this run (the
 *   library's own ETA showed "NF", not finite, on the first frame), then from this run's rate;
 * * elsewhere (CI logs, `nohup`, a pipe), one line every {@link LOG_INTERVAL_MS}, e.g.
 *   `runs: 120/340 (35%), 12 s elapsed, ETA 22 s`, so a log shows the command is alive;
 * * with `--quiet` (or `--json`), nothing.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  start(total: number, done?: number): void;
  update(done: number, payload?: Record<string, unknown>): void;
  stop(): void;
}

/** Interval of the progress lines when stderr is not a terminal. */
export const LOG_INTERVAL_MS = 10_000;

export interface ProgressOptions {
  /** Where to write (default process.stderr). */
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Draw a bar (default: whether the stream is a terminal). */
  tty?: boolean;
  /** Interval of the log lines (default LOG_INTERVAL_MS). */
  intervalMs?: number;
  /** Clock in ms (tests). */
  now?: () => number;
}

/** `s` seconds as `42 s`, `3 min 05 s`, `1 h 02 min`. */
export function formatDuration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '–';
  const r = Math.round(s);
  if (r < 60) return `${r} s`;
  if (r < 3600) return `${Math.floor(r / 60)} min ${String(r % 60).padStart(2, '0')} s`;
  return `${Math.floor(r / 3600)} h ${String(Math.floor((r % 3600) / 60)).padStart(2, '0')} min`;
}

/**
 * The remaining time from this run's rate: `done` of `total` with `startDone` already done when it
 * started, `elapsedS` ago; undefined until something finished in this run.
 */
export function etaSeconds(done: number, total: number, startDone: number, elapsedS: number): number | undefined {
  const ran = done - startDone;
  if (ran <= 0 || elapsedS <= 0) return undefined;
  return ((total - done) * elapsedS) / ran;
}

export function progressBar(label: string, quiet = false, o: ProgressOptions = {}): Progress {
  if (quiet) return { start() {}, update() {}, stop() {} };
  const stream = o.stream ?? process.stderr;
  const now = o.now ?? (() => performance.now());
  const tty = o.tty ?? Boolean(stream.isTTY);
  let total = 0;
  let done = 0;
  let startDone = 0;
  let t0 = 0;
  const eta = (): string => {
    const e = etaSeconds(done, total, startDone, (now() - t0) / 1000);
    return e === undefined ? '–' : formatDuration(e);
  };
  if (!tty) {
    let timer: NodeJS.Timeout | undefined;
    const line = (): void => {
      const pct = total > 0 ? Math.floor((100 * done) / total) : 0;
      stream.write(`${label}: ${done}/${total} (${pct}%), ${formatDuration((now() - t0) / 1000)} elapsed, ETA ${eta()}\n`);
    };
    return {
      start: (n, d = 0) => {
        total = n; done = d; startDone = d; t0 = now();
        timer = setInterval(line, o.intervalMs ?? LOG_INTERVAL_MS);
        timer.unref();
      },
      update: (d) => { done = d; },
      stop: () => { if (timer) clearInterval(timer); timer = undefined; },
    };
  }
  const bar = new cliProgress.SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {etaText} | {what}`,
    stream, hideCursor: true, clearOnComplete: false,
  }, cliProgress.Presets.shades_classic);
  return {
    start: (n, d = 0) => { total = n; done = d; startDone = d; t0 = now(); bar.start(n, d, { what: '', etaText: '–' }); },
    update: (d, payload) => { done = d; bar.update(d, { what: '', ...payload, etaText: eta() }); },
    stop: () => bar.stop(),
  };
}
