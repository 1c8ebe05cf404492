/**
 * The Markdown documentation has no dead relative links: every `[text](target)` whose target is a path
 * names a file or folder that exists in the repository, and every `#anchor` (in the same file or in another
 * .md file) names a heading that file has. External links (http:, https:, mailto:) are not fetched.
 *
 * Anchors follow GitHub's rule for heading ids, which is what readers click on: lower-case the heading text,
 * drop everything but letters, digits, '_', '-' and spaces, turn each space into '-', and number repeated
 * ids `-1`, `-2`, … in order of appearance. Links inside code spans and fenced code blocks are not links.
 *
 * Scans README.md, docs/*.md and every README.md under env/, agents/, experiments/ and bench/ (results/ is
 * generated output and is not scanned). The failure lists every broken link as file:line.
 */
import { describe, it, expect } from '@jest/globals';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCE_DIRS = ['env', 'agents', 'experiments', 'bench'];

/** GitHub's heading id for one heading's text, before duplicates are numbered. */
function slug(heading: string): string {
  const text = heading
    .replace(/`/g, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link in a heading keeps only its text
    .replace(/<[^>]+>/g, '') // inline HTML tags are not part of the id
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{N}_\- ]/gu, '').replace(/ /g, '-');
}

/** The lines of a Markdown file with fenced code blocks blanked out (line numbers are kept). */
function proseLines(markdown: string): string[] {
  let fence: string | null = null;
  return markdown.split('\n').map((line) => {
    const open = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence === null && open) {
      fence = open[1] ?? '```';
      return '';
    }
    if (fence !== null) {
      if (line.trim().startsWith(fence)) fence = null;
      return '';
    }
    return line;
  });
}

/** Every heading id of a Markdown file, with GitHub's numbering of repeats, plus explicit `<a id>` / `<a name>`. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const ids = new Set<string>();
  for (const line of proseLines(markdown)) {
    for (const m of line.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) ids.add(m[1] ?? '');
    const h = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!h) continue;
    const base = slug(h[1] ?? '');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    ids.add(n === 0 ? base : `${base}-${n}`);
  }
  return ids;
}

interface Link { line: number; target: string }

/** The inline links and images of a Markdown file outside code (reference-style definitions included). */
function linksOf(markdown: string): Link[] {
  const links: Link[] = [];
  proseLines(markdown).forEach((raw, i) => {
    const line = raw.replace(/`[^`]*`/g, ''); // code spans
    for (const m of line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) links.push({ line: i + 1, target: m[1] ?? '' });
    // a definition is the whole line: `[label]: target` with at most a quoted title after it
    const def = /^\s{0,3}\[[^\]]+\]:\s*<?([^\s>]+)>?\s*(?:"[^"]*"|'[^']*')?\s*$/.exec(line);
    if (def?.[1] !== undefined) links.push({ line: i + 1, target: def[1] });
  });
  return links;
}

function markdownFiles(): string[] {
  const files = ['README.md'];
  const docs = join(ROOT, 'docs');
  for (const name of readdirSync(docs)) if (name.endsWith('.md')) files.push(`docs/${name}`);
  const walk = (dir: string): void => {
    for (const name of readdirSync(join(ROOT, dir))) {
      const path = `${dir}/${name}`;
      if (statSync(join(ROOT, path)).isDirectory()) walk(path);
      else if (name === 'README.md') files.push(path);
    }
  };
  for (const dir of SOURCE_DIRS) if (existsSync(join(ROOT, dir))) walk(dir);
  return files;
}

/** Why one link of `file` is broken, or null if it resolves. */
function brokenReason(file: string, target: string): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return null; // http:, https:, mailto:
  const hash = target.indexOf('#');
  const pathPart = decodeURIComponent(hash < 0 ? target : target.slice(0, hash));
  const anchor = hash < 0 ? null : decodeURIComponent(target.slice(hash + 1));
  const resolved = pathPart === '' ? join(ROOT, file) : resolve(dirname(join(ROOT, file)), pathPart);
  const inRepo = relative(ROOT, resolved);
  if (inRepo.startsWith('..') || inRepo.split(sep)[0] === '..') return `points outside the repository: ${target}`;
  if (!existsSync(resolved)) return `no such file: ${pathPart}`;
  if (anchor === null || anchor === '') return null;
  if (!resolved.endsWith('.md') || statSync(resolved).isDirectory()) return null; // line anchors of source files etc.
  if (!anchorsOf(readFileSync(resolved, 'utf8')).has(anchor)) return `no heading #${anchor} in ${inRepo.split(sep).join('/')}`;
  return null;
}

describe('Markdown links', () => {
  it('heading ids follow GitHub’s rule (hand-worked examples)', () => {
    expect([...anchorsOf('# Model of the host\n## 3. Costs (per I/O)\n## 3. Costs (per I/O)\n')])
      .toEqual(['model-of-the-host', '3-costs-per-io', '3-costs-per-io-1']);
    expect([...anchorsOf('## `sidecore.ts` — the env\n```\n# not a heading\n```\n')]).toEqual(['sidecorets--the-env']);
    expect([...anchorsOf('### Poll vs. kick: N_vms ≥ 2 <a id="poll"></a>\n')]).toEqual(['poll', 'poll-vs-kick-n_vms--2']);
  });

  it('the link finder skips code spans and code blocks', () => {
    expect(linksOf('see [a](b.md#c), `[x](y.md)`\n```\n[p](q.md)\n```\n[d]: e.md\n[CFG]: min 0, max 4\n'))
      .toEqual([{ line: 1, target: 'b.md#c' }, { line: 5, target: 'e.md' }]);
  });

  it('every relative link target and #anchor exists', () => {
    const broken: string[] = [];
    for (const file of markdownFiles()) {
      for (const link of linksOf(readFileSync(join(ROOT, file), 'utf8'))) {
        const why = brokenReason(file, link.target);
        if (why !== null) broken.push(`${file}:${link.line}: ${why}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
