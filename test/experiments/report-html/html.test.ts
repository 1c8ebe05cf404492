import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPORT_FORMAT, type ReportData } from '../../../experiments/report-html/data.js';
import { jsonBlock, reportHtml, scriptSafe } from '../../../experiments/report-html/html.js';
import { previousReport, writeReportHtml } from '../../../experiments/report-html/index.js';
import { commandLine, setInvocation, shellQuote } from '../../../experiments/report-html/invocation.js';
import { tempDir } from '../../temp-dirs.js';

const data = (over: Partial<ReportData> = {}): ReportData => ({
  format: REPORT_FORMAT, title: 'T', command: 'iocm-gym evaluate --out x', notes: [], provenance: { package: null, gitCommit: null, node: null, fidelity: null },
  runs: 0, seeds: [], agents: [], scenarios: [], overall: [], oracles: [], ...over,
});

describe('report.html assembly', () => {
  it('keeps data and scripts from closing their <script> element', () => {
    const block = jsonBlock('d', { s: '</script><script>alert(1)</script>', t: '<!--' });
    expect(block.match(/<\/script>/g)).toHaveLength(1); // its own end tag only
    expect(JSON.parse(block.replace(/^<script[^>]*>/, '').replace(/<\/script>$/, ''))).toEqual({ s: '</script><script>alert(1)</script>', t: '<!--' });
    expect(scriptSafe('x = "</script>"; y = "<!--";')).toBe('x = "<\\/script>"; y = "<\\!--";');
  });

  it('is one file: the libraries inlined, no external script, stylesheet or fetch', () => {
    const html = reportHtml(data({ title: 'A <b> & co' }), []);
    expect(html).toContain('<title>A &lt;b&gt; &amp; co — iocm-gym report</title>');
    for (const lib of ['vega (vega.min.js)', 'vega-lite (vega-lite.min.js)', 'vega-embed (vega-embed.min.js)']) expect(html).toContain(`/* ${lib} */`);
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+stylesheet/);
  });

  it('quotes the command line for a shell', () => {
    expect(shellQuote('paper')).toBe('paper');
    expect(shellQuote('a b')).toBe("'a b'");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote('')).toBe("''");
    setInvocation(['evaluate', '--agents', 'iocm,static:2', '--out', '/tmp/my results']);
    expect(commandLine()).toBe("iocm-gym evaluate --agents iocm,static:2 --out '/tmp/my results'");
  });

  it('leaves out of the command the flags that do not change the outputs, so a resumed run writes the same report', () => {
    setInvocation(['paper', '--resume']);
    expect(commandLine()).toBe('iocm-gym paper');
    setInvocation(['sweep', '--workers', '3', '--config', 'g.json', '--quiet', '--workers=2', '--out', 'o', '--no-resume']);
    expect(commandLine()).toBe('iocm-gym sweep --config g.json --out o');
    // the queue is run-only too; a password anywhere else is masked
    setInvocation(['sweep', '--config', 'g.json', '--queue', 'redis://:s3cret@host:6379', '--out', 'o']);
    expect(commandLine()).toBe('iocm-gym sweep --config g.json --out o');
    setInvocation(['sweep', '--config', 'https://me:s3cret@example.org/g.json']);
    expect(commandLine()).toBe('iocm-gym sweep --config https://me:***@example.org/g.json');
    // a value that only looks like a flag name stays
    setInvocation(['evaluate', '--agents', 'iocm', '--out', 'resume']);
    expect(commandLine()).toBe('iocm-gym evaluate --agents iocm --out resume');
  });

  it('gives plot the title, command and notes of the report it replaces', () => {
    const dir = tempDir('report-html-');
    expect(previousReport(dir)).toBeUndefined();
    writeReportHtml({ title: 'Sweep x', command: 'iocm-gym sweep --config g.json', notes: ['a `b`'], records: [], summary: [] }, dir);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<!doctype html>');
    expect(previousReport(dir)).toEqual({ title: 'Sweep x', command: 'iocm-gym sweep --config g.json', notes: ['a `b`'] });
  });
});
