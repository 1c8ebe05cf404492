/** Long figure titles are wrapped and cut, never laid out on one line thousands of pixels wide. */
import { describe, expect, it } from '@jest/globals';
import { TITLE_LINE_CHARS, renumberGradients, wrapTitle } from '../../../experiments/plot/index.js';

describe('wrapTitle', () => {
  it('leaves a short title alone', () => {
    expect(wrapTitle('PPO on paper: episode return during training')).toBe('PPO on paper: episode return during training');
  });

  it('wraps 50 scenario names into at most three lines and says how many words it left out', () => {
    const names = Array.from({ length: 50 }, (_, i) => `train:${i},`).join(' ');
    const lines = wrapTitle(`PPO on ${names} episode return during training`) as string[];
    expect(lines).toHaveLength(3);
    for (const l of lines.slice(0, 2)) expect(l.length).toBeLessThanOrEqual(TITLE_LINE_CHARS);
    // 2 + 50 + 4 words; every word is either shown or counted
    const shown = lines.join(' ').replace(/ … \(\d+ more words\)$/, '').split(' ').length;
    const more = Number(/\((\d+) more words\)$/.exec(lines[2]!)![1]);
    expect(shown + more).toBe(56);
  });
});

describe('renumberGradients', () => {
  it('numbers gradient ids per SVG, in order of appearance', () => {
    const svg = '<path fill="url(#gradient_7)"/><linearGradient id="gradient_7"/><path fill="url(#gradient_9)"/><linearGradient id="gradient_9"/>';
    expect(renumberGradients(svg)).toBe('<path fill="url(#gradient_0)"/><linearGradient id="gradient_0"/><path fill="url(#gradient_1)"/><linearGradient id="gradient_1"/>');
  });
});
