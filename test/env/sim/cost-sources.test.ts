/**
 * The cost sources as data (`cost-sources.ts`) agree with the tags written beside each constant in
 * `costs.ts`: a constant whose comment changes tag must change its row too.
 */
import { describe, it, expect } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { COST_SOURCES } from '../../../env/sim/cost-sources.js';
import { DEFAULT_COSTS } from '../../../env/sim/costs.js';

/** Each DEFAULT_COSTS key with the tags of the comment block above it (or above its group). */
function commentTags(): Map<string, string[]> {
  const text = readFileSync(fileURLToPath(new URL('../../../env/sim/costs.ts', import.meta.url)), 'utf8');
  const body = text.slice(text.indexOf('export const DEFAULT_COSTS'));
  const out = new Map<string, string[]>();
  let comment = '', last: string[] = [];
  for (const line of body.split('\n').slice(1)) {
    const t = line.trim();
    if (t.startsWith('//')) { comment += ' ' + t; continue; }
    const m = /^(\w+):/.exec(t);
    if (!m) continue;
    if (comment) last = [...comment.matchAll(/\[(PUB|3RD|CODE|INF|CAL|UNV)\b/g)].map((x) => x[1]!);
    out.set(m[1]!, last);
    comment = '';
  }
  return out;
}

describe('cost sources', () => {
  it('every cost constant has a source with at least one tag', () => {
    expect(Object.keys(COST_SOURCES).sort()).toEqual(Object.keys(DEFAULT_COSTS).sort());
    for (const s of Object.values(COST_SOURCES)) { expect(s.tags.length).toBeGreaterThan(0); expect(s.source).not.toMatch(/\/work\/|\.\.\/shared/); }
  });

  it('each constant\'s tags are among those its comment in costs.ts gives', () => {
    const tags = commentTags();
    expect([...tags.keys()].sort()).toEqual(Object.keys(DEFAULT_COSTS).sort());
    for (const [k, inComment] of tags) {
      for (const tag of COST_SOURCES[k as keyof typeof COST_SOURCES].tags) expect({ k, tag, known: inComment.includes(tag) }).toEqual({ k, tag, known: true });
    }
  });
});
