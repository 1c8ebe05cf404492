/**
 * report.html in a real browser (the system's Chromium, headless): a quick evaluation writes the report,
 * the page opens from disk with no console error and no request beyond file://, the overall table has
 * one row per agent, and clicking a scenario draws its timeline with one band per phase of the scenario.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../../../bench/browser.js';
import { runCli } from '../run-cli.js';
import { tempDir } from '../../temp-dirs.js';

// The agents asked for, then the two oracles evaluate adds by default (--oracle dynamic,static).
const AGENTS = ['iocm', 'static:2', 'oracle', 'oracle-static'];
// env/scenarios/paper.json: six phases of 20 s each.
const PAPER_PHASES = ['light', 'stream', 'rr', 'cpu', 'memcached', 'light-again'];

describe('report.html in Chromium', () => {
  const dir = tempDir('report-browser-');
  const out = join(dir, 'eval');
  let browser: BrowserContext;
  let page: Page;
  const consoleErrors: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    const r = await runCli(['evaluate', '--agents', 'iocm,static:2', '--scenarios', 'paper,heldout:0', '--seeds', '1', '--fidelity', 'fast',
      '--out', out, '--workers', '1', '--quiet', '--timelines', '0']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    browser = await launchChromium(dir); // throws (the tests fail) when there is no Chromium
    page = await browser.newPage();
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(e.message));
    page.on('request', (q) => { if (!q.url().startsWith('file://')) requests.push(q.url()); });
    await page.goto(pathToFileURL(join(out, 'report.html')).href);
    await page.waitForSelector('body[data-ready]', { timeout: 20_000 });
  }, 90_000);

  afterAll(async () => { await browser?.close(); });

  it('is one file that loads with no console error and no network request', () => {
    expect(statSync(join(out, 'report.html')).size).toBeGreaterThan(0);
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
  });

  it('has one overall row per agent, sortable by a column', async () => {
    const agents = await page.$$eval('#overall tbody tr', (trs) => trs.map((tr) => tr.querySelector('td')!.textContent!.trim()));
    expect(agents).toEqual(AGENTS);
    // sorting by "worst vs oracle" (descending) puts the oracles first and the rest in order
    await page.click('#overall th:has-text("worst vs oracle")');
    const worst = await page.$$eval('#overall tbody tr', (trs) => trs.map((tr) => Number(tr.querySelectorAll('td')[3]!.textContent)));
    expect(worst.slice(0, 2)).toEqual([1, 1]);
    expect([...worst].sort((a, b) => b - a)).toEqual(worst);
  });

  it('draws a scenario\'s timeline with its phases as labelled bands when the scenario is clicked', async () => {
    expect(await page.$('#timeline')).toBeNull(); // nothing is built before a scenario is opened
    await page.click('#scenarios tbody tr:has(td:text-is("paper"))');
    await page.waitForSelector('#timeline[data-drawn]', { timeout: 20_000 });
    // one band per phase in each of the four panels (I/O cores, throughput, p99 latency, reward), and
    // the phase names as labels, as drawn (the page reads them from the chart's scene graph)
    const drawn = await page.locator('#timeline').evaluate((e) => ({ bands: e.dataset.bands, labels: e.dataset.labels }));
    expect(drawn).toEqual({ bands: '6,6,6,6', labels: PAPER_PHASES.join('|') });
    expect(await page.locator('#timeline canvas').count()).toBe(1);
    expect(await page.locator('#detail h2').textContent()).toContain('paper');
    // hovering a panel shows the exact values there: the stretch of epochs, then each agent's value
    const box = (await page.locator('#timeline canvas').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.4, box.y + 100); // inside the I/O-cores panel, below the legend
    await page.waitForSelector('#vg-tooltip-element.visible', { timeout: 5_000 });
    const tip = (await page.locator('#vg-tooltip-element').textContent())!;
    expect(tip).toMatch(/epochs/);
    for (const a of AGENTS) expect(tip).toContain(a);
    await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
    await page.locator('#detail').screenshot({ path: join(dir, 'timeline.png') });
    expect(existsSync(join(dir, 'timeline.png'))).toBe(true);
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
  }, 40_000);
});
