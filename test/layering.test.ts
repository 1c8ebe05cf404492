/**
 * The layering of the code base, checked on the import lines of every .ts file under env/, agents/ and
 * experiments/ (static imports, re-exports, side-effect imports and dynamic `import('…')` with a literal
 * path; type-only imports count too: a type is a dependency a reader has to follow).
 *
 * Rules (docs/model.md and the README describe the layout):
 * 1. data flows experiments → agents → env: env imports nothing from agents/ or experiments/;
 * 2. agents import nothing from experiments/;
 * 3. env/core knows no host: it imports nothing from env/sim, env/fluid, env/sidecore*, env/scenarios
 *    or env/host-model.ts;
 * 4. env/sim (the detailed tier) never imports env/fluid (the fast tier);
 * 5. env/scenarios and env/sim do not import each other both ways (no cycle between the two folders).
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const LAYERS = ['env', 'agents', 'experiments'];

/** Every .ts file under `dir`, as a path relative to the repo root with '/' separators. */
function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const rel = `${dir}/${name}`;
    if (statSync(join(ROOT, rel)).isDirectory()) out.push(...tsFiles(rel));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

/** The relative module paths a source text imports (npm packages and node: builtins are left out). */
export function importedPaths(source: string): string[] {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`\\])\/\/.*$/gm, '$1');
  const re = /(?:^|[;\s])(?:import|export)\s+(?:type\s+)?(?:[\w*{}\s,$]+?\s+from\s+)?['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/gm;
  const out: string[] = [];
  for (const m of text.matchAll(re)) {
    const spec = m[1] ?? m[2]!;
    if (spec.startsWith('.')) out.push(spec);
  }
  return out;
}

interface Edge { from: string; to: string }

/** Import edges between repo files (targets resolved to repo-relative .ts paths). */
function edges(): Edge[] {
  const all: Edge[] = [];
  for (const layer of LAYERS) {
    for (const file of tsFiles(layer)) {
      for (const spec of importedPaths(readFileSync(join(ROOT, file), 'utf8'))) {
        const target = relative(ROOT, resolve(ROOT, dirname(file), spec)).split(sep).join('/').replace(/\.js$/, '.ts');
        all.push({ from: file, to: target });
      }
    }
  }
  return all;
}

/** Whether `path` is in one of `places`: a folder ('env/sim'), a file ('env/host-model.ts') or a name prefix ('env/sidecore*'). */
function under(path: string, ...places: string[]): boolean {
  return places.some((p) => (p.endsWith('*') ? path.startsWith(p.slice(0, -1)) : p.endsWith('.ts') ? path === p : path.startsWith(`${p}/`)));
}

interface Rule { name: string; violates(e: Edge): boolean }

const RULES: Rule[] = [
  { name: 'env imports nothing from agents/ or experiments/ (data flows experiments → agents → env)', violates: (e) => under(e.from, 'env') && under(e.to, 'agents', 'experiments') },
  { name: 'agents import nothing from experiments/ (data flows experiments → agents → env)', violates: (e) => under(e.from, 'agents') && under(e.to, 'experiments') },
  { name: 'env/core knows no host (no env/sim, env/fluid, env/sidecore*, env/scenarios, env/host-model)', violates: (e) => under(e.from, 'env/core') && under(e.to, 'env/sim', 'env/fluid', 'env/sidecore*', 'env/scenarios', 'env/host-model.ts') },
  { name: 'env/sim never imports env/fluid', violates: (e) => under(e.from, 'env/sim') && under(e.to, 'env/fluid') },
];

function violations(all: Edge[]): string[] {
  const found: string[] = [];
  for (const rule of RULES) for (const e of all) if (rule.violates(e)) found.push(`${rule.name}: ${e.from} imports ${e.to}`);
  // Rule 5 is about the pair of folders, not one edge.
  const scenToSim = all.filter((e) => under(e.from, 'env/scenarios') && under(e.to, 'env/sim'));
  const simToScen = all.filter((e) => under(e.from, 'env/sim') && under(e.to, 'env/scenarios'));
  if (scenToSim.length && simToScen.length) {
    found.push(`no import cycle between env/scenarios and env/sim: ${scenToSim[0]!.from} imports ${scenToSim[0]!.to} while ${simToScen[0]!.from} imports ${simToScen[0]!.to}`);
  }
  return found;
}

describe('import parsing', () => {
  it('finds static, type, re-export, side-effect and dynamic imports, and skips packages and comments', () => {
    const src = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      "export * from './c.js';",
      "export { d, type E } from './d.js';",
      "import './side.js';",
      "const m = await import('../dyn.js');",
      "import * as tf from '@tensorflow/tfjs';",
      "import { readFileSync } from 'node:fs';",
      "// import { x } from './commented.js';",
      "/* import { y } from './block.js'; */",
      'import {',
      '  f,',
      '  g,',
      "} from './multi.js';",
    ].join('\n');
    expect(importedPaths(src)).toEqual(['./a.js', '../b.js', './c.js', './d.js', './side.js', '../dyn.js', './multi.js']);
  });
});

describe('layering', () => {
  const all = edges();

  it('sees the code base (sanity: files and imports were found)', () => {
    expect(all.length).toBeGreaterThan(100);
    expect(all.some((e) => e.from.startsWith('experiments/') && e.to.startsWith('agents/'))).toBe(true);
  });

  it('flags a violation of each rule, with the rule named', () => {
    const bad: Edge[] = [
      { from: 'env/sim/host.ts', to: 'agents/agent.ts' },
      { from: 'agents/spec.ts', to: 'experiments/errors.ts' },
      { from: 'env/core/registry.ts', to: 'env/sidecore/reward.ts' },
      { from: 'env/sim/host.ts', to: 'env/fluid/model.ts' },
      { from: 'env/scenarios/generator.ts', to: 'env/sim/scenario.ts' },
      { from: 'env/sim/scenario.ts', to: 'env/scenarios/generator.ts' },
    ];
    const v = violations(bad);
    expect(v).toHaveLength(5);
    expect(v[0]).toMatch(/^env imports nothing from agents/);
    expect(v[1]).toMatch(/^agents import nothing from experiments/);
    expect(v[2]).toMatch(/^env\/core knows no host/);
    expect(v[3]).toMatch(/^env\/sim never imports env\/fluid/);
    expect(v[4]).toMatch(/^no import cycle between env\/scenarios and env\/sim/);
    expect(violations([{ from: 'experiments/cli.ts', to: 'agents/spec.ts' }, { from: 'agents/ppo.ts', to: 'env/core/env.ts' }])).toEqual([]);
  });

  it.each(RULES.map((r) => [r.name]).concat([['no import cycle between env/scenarios and env/sim']]))('holds: %s', (name) => {
    const v = violations(all).filter((x) => x.startsWith(name));
    expect(v).toEqual([]);
  });
});
