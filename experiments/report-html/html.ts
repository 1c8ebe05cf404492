/**
 * Assembles `report.html`: one file that opens from disk with no network. Vega, Vega-Lite and
 * vega-embed are inlined from their npm packages' browser builds, the page's script and style from
 * `page/`, the summary as one JSON block and each scenario's timeline as its own JSON block (the page
 * parses a timeline only when its scenario is opened).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { packageRoot } from '../paths.js';
import type { ReportData, TimelineData } from './data.js';

/** The browser builds inlined, in load order (vega-embed needs the globals `vega` and `vegaLite`). */
const LIBRARIES = [['vega', 'vega.min.js'], ['vega-lite', 'vega-lite.min.js'], ['vega-embed', 'vega-embed.min.js']] as const;

let libs: string | undefined;

/** The three libraries as one script text (read once per process). */
function libraryScripts(): string {
  if (libs !== undefined) return libs;
  const req = createRequire(join(packageRoot(), 'package.json'));
  libs = LIBRARIES.map(([pkg, file]) => {
    // each package's entry point lives in its build/ folder, next to the minified browser build
    const text = readFileSync(join(dirname(req.resolve(pkg)), file), 'utf8');
    return `<script>/* ${pkg} (${file}) */\n${scriptSafe(text)}\n</script>`;
  }).join('\n');
  return libs;
}

function pageFile(name: string): string {
  return readFileSync(join(packageRoot(), 'experiments', 'report-html', 'page', name), 'utf8');
}

/**
 * Text that can sit inside a `<script>` element: `</script` and `<!--` would end or confuse it. The
 * libraries hold neither today; in JavaScript a `<\/` inside a string is the same string.
 */
export function scriptSafe(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}

/** JSON for a `<script type="application/json">` block: `<` escaped, so no text in it can close the block. */
export function jsonBlock(id: string, value: unknown): string {
  const json = JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
  return `<script type="application/json" id="${id}">${json}</script>`;
}

const escapeHtml = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** The whole page. `timelines[n]` is the block the page reads for a scenario whose `timeline` is n. */
export function reportHtml(data: ReportData, timelines: readonly TimelineData[]): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // no favicon request: the page must not touch the network, nor the disk beyond itself
    '<link rel="icon" href="data:,">',
    `<title>${escapeHtml(data.title)} — iocm-gym report</title>`,
    `<style>\n${pageFile('style.css')}</style>`,
    '</head><body>',
    '<header></header><main id="app"></main>',
    jsonBlock('report-data', data),
    ...timelines.map((t, n) => jsonBlock(`tl-${n}`, t)),
    libraryScripts(),
    `<script>\n${scriptSafe(pageFile('client.js'))}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
