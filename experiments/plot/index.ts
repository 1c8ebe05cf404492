/**
 * Charts without a browser: a Vega-Lite spec → SVG (vega's headless View, `renderer: 'none'`) → PNG
 * (`@resvg/resvg-js`, a Rust SVG rasteriser: no browser, canvas or native build step; `docs/stack.md`
 * §3). Fonts: DejaVu Sans (installed on the machine) is set as the chart font unless the spec's config
 * names another.
 *
 *   await writeChart(lineChartSpec({ rows, x: 'step', y: 'return', color: 'algo' }), 'out.png');
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { View, parse } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

export type { TopLevelSpec };

export const CHART_FONT = 'DejaVu Sans';

/** Longest title line, in characters, before it is wrapped. */
export const TITLE_LINE_CHARS = 90;
/** Title lines kept; the rest is cut with a count of what was left out. */
export const TITLE_MAX_LINES = 3;

/**
 * Wraps a long title at spaces into lines of at most `width` characters, keeping `maxLines` (a title
 * listing 50 training scenarios made a figure 10,980 px wide); the cut names how many words it left out.
 */
export function wrapTitle(text: string, width = TITLE_LINE_CHARS, maxLines = TITLE_MAX_LINES): string | string[] {
  if (text.length <= width) return text;
  const words = text.split(' ');
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const w of words) {
    if (line && line.length + 1 + w.length > width) {
      if (lines.length === maxLines - 1) break;
      lines.push(line);
      line = w;
    } else line = line ? `${line} ${w}` : w;
    used++;
  }
  if (used < words.length) line = `${line} … (${words.length - used} more words)`;
  lines.push(line);
  return lines;
}

/** The spec with its title and subtitle wrapped (`wrapTitle`). */
function withWrappedTitle(spec: TopLevelSpec): TopLevelSpec {
  const t = (spec as { title?: unknown }).title;
  if (typeof t === 'string') return { ...spec, title: { text: wrapTitle(t) } } as TopLevelSpec;
  if (t !== null && typeof t === 'object') {
    const o = t as { text?: unknown; subtitle?: unknown };
    return { ...spec, title: { ...o, ...(typeof o.text === 'string' ? { text: wrapTitle(o.text) } : {}), ...(typeof o.subtitle === 'string' ? { subtitle: wrapTitle(o.subtitle, 120) } : {}) } } as TopLevelSpec;
  }
  return spec;
}

/**
 * Vega numbers gradients from a counter global to the process (`gradient_0`, `gradient_1`, … across
 * figures), so the same figure drawn second in a process differed from itself drawn first: numbered
 * per SVG instead, in order of appearance, the same figure is the same bytes.
 */
export function renumberGradients(svg: string): string {
  const ids = new Map<string, number>();
  return svg.replace(/gradient_\d+/g, (id) => `gradient_${ids.get(id) ?? ids.set(id, ids.size).get(id)!}`);
}

/** Renders a Vega-Lite spec to an SVG string. */
export async function vegaLiteToSvg(spec: TopLevelSpec): Promise<string> {
  const wrapped = withWrappedTitle(spec);
  const withFont = { ...wrapped, config: { font: CHART_FONT, ...(spec.config ?? {}) } } as TopLevelSpec;
  const vg = compile(withFont).spec;
  const view = new View(parse(vg), { renderer: 'none' });
  try {
    return renumberGradients(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/** Rasterises an SVG to PNG on a white background, `scale`× its nominal size. */
export function svgToPng(svg: string, scale = 2): Buffer {
  return new Resvg(svg, { background: 'white', fitTo: { mode: 'zoom', value: scale }, font: { loadSystemFonts: true, defaultFontFamily: CHART_FONT } }).render().asPng();
}

/** Writes the chart as PNG (and as SVG too when `svgPath` is given); creates the directories. */
export async function writeChart(spec: TopLevelSpec, pngPath: string, opts: { svgPath?: string; scale?: number } = {}): Promise<void> {
  const svg = await vegaLiteToSvg(spec);
  mkdirSync(dirname(pngPath), { recursive: true });
  writeFileSync(pngPath, svgToPng(svg, opts.scale ?? 2));
  if (opts.svgPath) {
    mkdirSync(dirname(opts.svgPath), { recursive: true });
    writeFileSync(opts.svgPath, svg);
  }
}

export interface LineSeries {
  /** Data rows (plain objects). */
  rows: Record<string, unknown>[];
  /** Field on the x axis (quantitative). */
  x: string;
  /** Field on the y axis (quantitative). */
  y: string;
  /** Field that splits the rows into coloured series. */
  color?: string;
  /** Draw a point at every row as well as the line. */
  points?: boolean;
  /** Line opacity (0–1). */
  opacity?: number;
  /** Dashed line. */
  dashed?: boolean;
}

export interface LineChartOptions {
  title?: string;
  xTitle?: string;
  yTitle?: string;
  width?: number;
  height?: number;
  /** Horizontal reference lines, e.g. a target: [{ y: 475, label: 'threshold' }]. */
  rules?: { y: number; label?: string }[];
  /** Fixed y domain. */
  yDomain?: [number, number];
  /** Fixed colours per value of the series' colour field (same value → same colour in every layer). */
  colors?: Record<string, string>;
  /** Legend position (default right). */
  legend?: 'right' | 'bottom' | 'top';
}

/** A layered line chart: one layer per series, shared axes, colours by the series' `color` field. */
export function lineChartSpec(series: LineSeries[], o: LineChartOptions = {}): TopLevelSpec {
  const first = series[0];
  if (!first) throw new Error('lineChartSpec: needs at least one series');
  const layers: Record<string, unknown>[] = series.map((s) => ({
    data: { values: s.rows },
    mark: { type: 'line', point: s.points ?? false, opacity: s.opacity ?? 1, ...(s.dashed ? { strokeDash: [6, 3] } : {}), clip: true },
    encoding: {
      x: { field: s.x, type: 'quantitative', title: o.xTitle ?? s.x },
      y: { field: s.y, type: 'quantitative', title: o.yTitle ?? s.y, ...(o.yDomain ? { scale: { domain: o.yDomain, nice: false } } : {}) },
      ...(s.color ? {
        color: {
          field: s.color, type: 'nominal', title: null,
          legend: { orient: o.legend ?? 'right', labelLimit: 0, ...(o.legend === 'bottom' || o.legend === 'top' ? { columns: 2 } : {}) },
          ...(o.colors ? { scale: { domain: Object.keys(o.colors), range: Object.values(o.colors) } } : {}),
        },
      } : {}),
    },
  }));
  for (const r of o.rules ?? []) {
    layers.push({ data: { values: [{ y: r.y }] }, mark: { type: 'rule', strokeDash: [2, 2], color: 'gray' }, encoding: { y: { field: 'y', type: 'quantitative' } } });
    if (r.label) {
      layers.push({
        data: { values: [{ y: r.y, label: r.label }] },
        mark: { type: 'text', align: 'left', dx: 4, dy: -6, color: 'gray' },
        encoding: { y: { field: 'y', type: 'quantitative' }, x: { value: 0 }, text: { field: 'label' } },
      });
    }
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(o.title ? { title: o.title } : {}),
    width: o.width ?? 640,
    height: o.height ?? 320,
    layer: layers,
  } as unknown as TopLevelSpec; // the layers are built as plain objects; vega-lite validates them at compile time
}
