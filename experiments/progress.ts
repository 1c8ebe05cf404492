/**
 * Progress bars (cli-progress) on stderr, drawn only when stderr is a terminal (pipes, CI logs and
 * tests get no bar); `--quiet` turns them off.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  start(total: number, done?: number): void;
  update(done: number, payload?: Record<string, unknown>): void;
  stop(): void;
}

export function progressBar(label: string, quiet = false): Progress {
  if (quiet || !process.stderr.isTTY) return { start() {}, update() {}, stop() {} };
  const bar = new cliProgress.SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted} | {what}`,
    stream: process.stderr, hideCursor: true, clearOnComplete: false, etaBuffer: 20,
  }, cliProgress.Presets.shades_classic);
  return {
    start: (total, done = 0) => bar.start(total, done, { what: '' }),
    update: (done, payload) => bar.update(done, { what: '', ...payload }),
    stop: () => bar.stop(),
  };
}
