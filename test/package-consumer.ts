/**
 * A throwaway project that installs this package from its `npm pack` tarball, offline, for
 * test/package.test.ts.
 *
 * Why a lockfile: `npm ci` fills npm's cache with the tarball of every locked dependency, but not with
 * the registry's metadata documents, so a lockless `npm install --offline <tgz>` cannot resolve version
 * ranges (ENOTCACHED). The consumer therefore gets a lockfile that pins exactly what this repo's lockfile
 * pins for production (its non-dev entries, at the same node_modules paths), plus the tarball itself; `npm
 * ci --offline` then only reads the cache. The dependency versions are the ones this repo is tested with.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

interface LockEntry {
  dev?: boolean;
  link?: boolean;
  [k: string]: unknown;
}

interface Lock {
  packages: Record<string, LockEntry>;
}

interface PackageJson {
  name: string;
  version: string;
  license?: string;
  dependencies?: Record<string, string>;
  bin?: Record<string, string>;
  engines?: Record<string, string>;
}

/**
 * Packs the package at `root` into `dest` and returns the tarball's path. It is built into a staging copy
 * (its package.json, README and the non-dist entries of its "files", plus a fresh `tsc` build), so that
 * packing never rewrites the repo's own dist/ while other tests may be reading it; `npm pack` then
 * applies the package.json's "files" to the staging copy exactly as it would to the repo.
 */
export function packRepo(root: string, dest: string): string {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson & { files?: string[] };
  const stage = join(dest, 'stage');
  mkdirSync(stage, { recursive: true });
  const copies = ['package.json', 'README.md', ...(pkg.files ?? []).filter((f) => !f.startsWith('dist/')).map((f) => f.replace(/\/?[^/]*\*.*$/, '').replace(/\/$/, ''))];
  for (const f of copies) if (existsSync(join(root, f))) cpSync(join(root, f), join(stage, f), { recursive: true });
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', join(stage, 'dist')], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dest], { cwd: stage, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const report = JSON.parse(out) as { filename: string }[];
  return join(dest, basename(report[0]!.filename));
}

/** Writes package.json and package-lock.json of a project depending on the tarball, and installs it offline. */
export function installConsumer(root: string, tarball: string, dir: string): void {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as PackageJson;
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as Lock;
  const dep = `file:${tarball}`;
  const packages: Record<string, unknown> = {
    '': { name: 'consumer', version: '1.0.0', dependencies: { [pkg.name]: dep } },
    [`node_modules/${pkg.name}`]: {
      version: pkg.version, resolved: dep, license: pkg.license, dependencies: pkg.dependencies, bin: pkg.bin, engines: pkg.engines,
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) if (path !== '' && !entry.dev && !entry.link) packages[path] = entry;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true, type: 'module', dependencies: { [pkg.name]: dep } }, null, 2));
  writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2));
  execFileSync('npm', ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The code blocks of a Markdown text marked `<!-- package-test: name -->` on the line before them. */
export function markedSnippets(markdown: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /<!-- package-test: ([\w-]+) -->\n```ts\n([\s\S]*?)\n```/g;
  for (const m of markdown.matchAll(re)) {
    if (out.has(m[1]!)) throw new Error(`README: two snippets are named ${m[1]}`);
    out.set(m[1]!, m[2]! + '\n');
  }
  return out;
}
