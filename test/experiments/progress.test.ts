/** Progress: lines at intervals off a terminal, no "NF" ETA on a bar's first frame, silence with --quiet. */
import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { etaSeconds, formatDuration, progressBar } from '../../experiments/progress.js';

function sink(tty: boolean): Writable & { text: string; isTTY?: boolean } {
  const w = new Writable({ write(chunk: Buffer, _e, cb) { (w as unknown as { text: string }).text += chunk.toString(); cb(); } }) as Writable & { text: string; isTTY?: boolean };
  w.text = '';
  if (tty) w.isTTY = true;
  return w;
}

describe('progress', () => {
  it('formats durations and computes the ETA from this run only', () => {
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(3720)).toBe('1 h 02 min');
    expect(formatDuration(Infinity)).toBe('–');
    // 10 of 100 done when it started (resumed), 20 more in 10 s: 70 left at 2 per second
    expect(etaSeconds(30, 100, 10, 10)).toBe(35);
    expect(etaSeconds(10, 100, 10, 10)).toBeUndefined();
  });

  it('off a terminal: one line per interval with count, percentage, elapsed time and ETA', async () => {
    const out = sink(false);
    let t = 0;
    const p = progressBar('runs', false, { stream: out, intervalMs: 30, now: () => t });
    p.start(40, 0);
    t = 10_000;
    p.update(10);
    await new Promise((r) => setTimeout(r, 80));
    p.stop();
    const lines = out.text.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(1);
    // 10 of 40 in 10 s: 30 left, 30 s
    expect(lines[0]).toBe('runs: 10/40 (25%), 10 s elapsed, ETA 30 s');
    const n = out.text.length;
    await new Promise((r) => setTimeout(r, 80));
    expect(out.text.length).toBe(n); // stopped
  });

  it('on a terminal: the first frame says ETA –, never NF', () => {
    const out = sink(true);
    const p = progressBar('runs', false, { stream: out, tty: true, now: () => 0 });
    p.start(10, 0);
    p.stop();
    expect(out.text).toContain('ETA –');
    expect(out.text).not.toContain('NF');
  });

  it('quiet: nothing', async () => {
    const out = sink(false);
    const p = progressBar('runs', true, { stream: out, intervalMs: 5 });
    p.start(5);
    p.update(1);
    await new Promise((r) => setTimeout(r, 30));
    p.stop();
    expect(out.text).toBe('');
  });
});
