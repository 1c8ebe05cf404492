/**
 * The repository stands alone: no source, test, bench or doc file points at material a user who clones
 * it does not have — the project's private research folder (a `shared` directory next to the checkout),
 * absolute paths of the machine it was written on, or numbers of the project's own issue tracker (the
 * word "issue" or a '#' followed by a number). What such a pointer stood for belongs in docs/, with its public
 * source. A link to another project's tracker is fine as a URL (`…/issues/1681`).
 *
 * Scans the files git tracks (or, outside a git checkout, the working tree), except results/ (generated
 * output) and node_modules/; the failure lists every offending file:line.
 */
import { describe, it, expect } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SCANNED = /\.(ts|js|mjs|cjs|md)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.git', 'results']);

/** Each rule: what it catches, and the pattern (built so that this file does not match itself). */
const RULES: { what: string; re: RegExp }[] = [
  { what: 'points outside the repository', re: new RegExp('\\.\\./' + 'shared\\b') },
  { what: 'an absolute path of the build machine', re: new RegExp('(^|[\\s`\'"(])/' + 'work/') },
  { what: 'an issue number', re: new RegExp('\\bissues?\\s+#?\\d+\\b', 'i') },
  { what: 'an issue number', re: new RegExp('(^|[\\s(\\[])#' + '\\d+\\b') },
];

/** The rules broken by one line of text (their descriptions; empty if none). */
function brokenRules(line: string): string[] {
  return RULES.filter((r) => r.re.test(line)).map((r) => r.what);
}

function trackedFiles(): string[] {
  try {
    const out = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return out.split('\0').filter((f) => f !== '');
  } catch {
    return walk(ROOT);
  }
}

function walk(dir: string): string[] {
  const files: string[] = [];
  for (const name of readdirSync(dir)) {
    if (SKIPPED_DIRS.has(name)) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files.push(...walk(path));
    else files.push(relative(ROOT, path).split(sep).join('/'));
  }
  return files;
}

describe('the repository stands alone', () => {
  it('the detector catches each kind of pointer and leaves public URLs alone', () => {
    // Hand-written cases: what must be flagged and what must not.
    expect(brokenRules('see `../' + 'shared/research/x.md` §2')).toEqual(['points outside the repository']);
    expect(brokenRules('copied from /' + 'work/notes/a.md')).toEqual(['an absolute path of the build machine']);
    expect(brokenRules('Targets (iss' + 'ue 4): median')).toEqual(['an issue number']);
    expect(brokenRules('Iss' + "ue 5's target")).toEqual(['an issue number']);
    expect(brokenRules('the figures of iss' + 'ues 4 and 5')).toEqual(['an issue number']);
    expect(brokenRules('fixed in #' + '12')).toEqual(['an issue number']);
    expect(brokenRules('https://github.com/Farama-Foundation/Gymnasium/issues/1681')).toEqual([]);
    expect(brokenRules('the worker iss' + 'ues 3 requests')).toEqual(['an issue number']); // wording to avoid too
    expect(brokenRules('const workers = 2; // cores 0…1, node_modules/.bin')).toEqual([]);
    expect(brokenRules('a[#x] or color #fff or ##3')).toEqual([]);
  });

  it('no tracked source, test, bench or doc file refers to the private folder, the build machine or issue numbers', () => {
    const hits: string[] = [];
    const files = trackedFiles().filter((f) => SCANNED.test(f) && !f.split('/').some((part) => SKIPPED_DIRS.has(part)));
    expect(files.length).toBeGreaterThan(50); // the scan really saw the repository
    for (const file of files) {
      let text: string;
      try {
        text = readFileSync(join(ROOT, file), 'utf8');
      } catch {
        continue; // tracked but deleted in the working tree
      }
      text.split('\n').forEach((line, i) => {
        for (const what of brokenRules(line)) hits.push(`${file}:${i + 1}: ${what}: ${line.trim().slice(0, 120)}`);
      });
    }
    expect(hits).toEqual([]);
  });
});
