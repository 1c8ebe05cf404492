/* report.html's page script (plain ES2020, inlined by experiments/report-html/html.ts). It reads the
 * summary from <script id="report-data">, draws the tables and the heat map at load, and builds a
 * scenario's timeline only when the scenario is opened, from <script id="tl-<n>"> (parsed then). */
(function () {
  'use strict';
  const D = JSON.parse(document.getElementById('report-data').textContent);
  const agents = D.agents;
  const hasOracle = D.scenarios.some((s) => s.cells.some((c) => c && c[2] !== null));

  // ---- small helpers ------------------------------------------------------------------------------
  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') e.className = v;
      else if (k === 'style') e.style.cssText = v;
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const kid of kids.flat()) if (kid !== null && kid !== undefined) e.append(kid instanceof Node ? kid : String(kid));
    return e;
  }
  const fmt = (x, d) => (x === null || x === undefined ? '–' : Number(x).toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }));
  const withCi = (m, ci, d) => (m === null ? '–' : ci === null ? [fmt(m, d)] : [fmt(m, d), el('span', { class: 'ci' }, ' ± ' + fmt(ci, d))]);
  const isOracle = (a) => a === 'oracle' || a === 'oracle-static';
  /** Inline `code` in a note (the text is escaped: it becomes text nodes). */
  function richText(s) {
    return s.split('`').map((part, i) => (i % 2 ? el('code', {}, part) : part));
  }

  // Colours: a fixed palette (Tableau 10) for the agents in order; the oracles black and grey.
  const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
  const colour = {};
  let k = 0;
  for (const a of agents) colour[a] = a === 'oracle' ? '#111111' : a === 'oracle-static' ? '#8a8a8a' : PALETTE[k++ % PALETTE.length];
  const swatch = (a) => el('span', { class: 'swatch' + (isOracle(a) ? ' dashed' : ''), style: `background:${colour[a]};color:${colour[a]}` });

  /** Red (far below the oracle) → yellow → green (as good as the oracle), for table cells. */
  const relLo = Math.min(0.8, ...D.scenarios.flatMap((s) => s.cells.map((c) => (c && c[2] !== null ? c[2] : 1))));
  function relColour(r) {
    if (r === null) return '';
    const x = Math.max(0, Math.min(1, (r - relLo) / (1 - relLo || 1)));
    const hue = 5 + x * 115;
    return `background:hsl(${hue.toFixed(0)},70%,${(88 - 6 * x).toFixed(0)}%)`;
  }

  /**
   * A table sortable by any column: columns [{label, title, num, value(row) → sort key, cell(row) → content}].
   * Clicking a header sorts by it (again: reverses). Returns {table, render}.
   */
  function sortableTable(columns, rows, opts) {
    const o = opts || {};
    let sortCol = o.sortCol ?? -1;
    let dir = o.dir ?? 1;
    const tbody = el('tbody');
    const ths = columns.map((c, i) => el('th', { class: 'sortable' + (c.num ? ' num' : ''), title: c.title || null, scope: 'col', onclick: () => { dir = sortCol === i ? -dir : c.num ? -1 : 1; sortCol = i; render(); } }, c.label));
    const table = el('table', o.id ? { id: o.id } : {}, el('thead', {}, el('tr', {}, ths)), tbody);
    let filter = () => true;
    function render() {
      ths.forEach((th, i) => (i === sortCol ? th.setAttribute('aria-sort', dir > 0 ? 'ascending' : 'descending') : th.removeAttribute('aria-sort')));
      let shown = rows.filter(filter);
      if (sortCol >= 0) {
        const v = columns[sortCol].value;
        shown = shown.map((r, i) => [r, v(r), i]).sort((a, b) => {
          const x = a[1], y = b[1];
          if (x === y) return a[2] - b[2];
          if (x === null || x === undefined) return 1; // missing values last either way
          if (y === null || y === undefined) return -1;
          return (x < y ? -1 : 1) * dir;
        }).map((t) => t[0]);
      }
      tbody.replaceChildren(...shown.map((r) => {
        const tr = el('tr', o.rowAttrs ? o.rowAttrs(r) : {}, columns.map((c) => el('td', { class: c.num ? 'num' : c.wrap ? 'wrap' : null }, c.cell(r))));
        if (o.onRow) {
          tr.classList.add('clickable');
          tr.tabIndex = 0; // reachable with Tab, opened with Enter
          tr.addEventListener('click', () => o.onRow(r));
          tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') o.onRow(r); });
        }
        return tr;
      }));
    }
    render();
    return { table, render, setFilter: (f) => { filter = f; render(); } };
  }

  // ---- header -------------------------------------------------------------------------------------
  const seedText = D.seeds.length === 1 ? `seed ${D.seeds[0]}` : `${D.seeds.length} seeds (${D.seeds[0]}–${D.seeds[D.seeds.length - 1]})`;
  const facts = [`${D.runs.toLocaleString('en-US')} runs`, `${D.scenarios.length} scenario${D.scenarios.length === 1 ? '' : 's'}`, `${agents.length} agents`, seedText];
  if (D.provenance.fidelity) facts.push(`${D.provenance.fidelity} tier`);
  if (D.provenance.package) facts.push(D.provenance.package);
  if (D.provenance.gitCommit) facts.push(`commit ${D.provenance.gitCommit.slice(0, 10)}`);
  document.querySelector('header').append(el('h1', {}, D.title), el('div', { class: 'facts' }, facts.map((f) => el('span', {}, f))));

  const main = document.getElementById('app');

  // ---- regenerate ---------------------------------------------------------------------------------
  {
    const card = el('section', { class: 'card', id: 'regenerate' }, el('h2', {}, 'Regenerate this run'));
    if (D.command) {
      const pre = el('pre', { id: 'command' }, D.command);
      const btn = el('button', { onclick: () => {
        const done = () => { btn.textContent = 'copied'; setTimeout(() => { btn.textContent = 'copy'; }, 1200); };
        const sel = () => { const r = document.createRange(); r.selectNodeContents(pre); const s = getSelection(); s.removeAllRanges(); s.addRange(r); };
        if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(D.command).then(done, sel); else sel();
      } }, 'copy');
      card.append(el('div', { class: 'command' }, pre, btn), el('p', { class: 'hint' }, 'Run from the folder the run was started in; every run\'s record is in jobs/ and replays with ', el('code', {}, 'iocm-gym replay jobs/<hash>.json'), ' (runs.csv maps rows to files).'));
    } else {
      card.append(el('p', { class: 'hint' }, 'The command that produced these runs was not recorded; sweep.json holds their configuration.'));
    }
    if (D.notes.length) card.append(el('ul', { class: 'notes' }, D.notes.map((n) => el('li', {}, richText(n)))));
    main.append(card);
  }

  // ---- overall table ------------------------------------------------------------------------------
  {
    const card = el('section', { class: 'card' }, el('h2', {}, 'Overall'),
      el('p', { class: 'hint' }, hasOracle
        ? 'Per agent over all scenarios: the mean and the worst of its mean score relative to the dynamic oracle (score ÷ the oracle\'s score on the same scenario and seed), on how many scenarios it has the best non-oracle score, and how often it changes the I/O-core count. Click a header to sort.'
        : 'Per agent over all scenarios (no oracle ran, so no score relative to it). Click a header to sort.'));
    const cols = [
      { label: 'agent', value: (r) => agents.indexOf(r.agent), cell: (r) => [swatch(r.agent), r.agent] },
      { label: 'scenarios', num: true, value: (r) => r.scenarios, cell: (r) => fmt(r.scenarios, 0) },
    ];
    if (hasOracle) cols.push(
      { label: 'mean vs oracle', num: true, title: 'mean over scenarios of score ÷ dynamic oracle score', value: (r) => r.meanRel, cell: (r) => fmt(r.meanRel, 3) },
      { label: 'worst vs oracle', num: true, value: (r) => r.minRel, cell: (r) => fmt(r.minRel, 3) },
    );
    cols.push(
      { label: 'best on', num: true, title: 'scenarios where it has the best non-oracle mean score (ties count for each)', value: (r) => r.best, cell: (r) => (r.best === null ? '–' : fmt(r.best, 0)) },
      { label: 'mean score', num: true, title: 'mean over scenarios of the episode return', value: (r) => r.meanScore, cell: (r) => fmt(r.meanScore, 2) },
      { label: 'switches / episode', num: true, title: 'I/O-core changes per episode, mean over scenarios', value: (r) => r.switches, cell: (r) => fmt(r.switches, 1) },
      { label: 'mean I/O cores', num: true, value: (r) => r.meanIoCores, cell: (r) => fmt(r.meanIoCores, 2) },
    );
    const t = sortableTable(cols, D.overall, { id: 'overall' });
    card.append(t.table);
    main.append(card);
  }

  // ---- heat map -----------------------------------------------------------------------------------
  const heatCard = el('section', { class: 'card', id: 'heatmap-card' }, el('h2', {}, hasOracle ? 'Score relative to the oracle, every scenario' : 'Score relative to the best agent, every scenario'),
    el('p', { class: 'hint' }, 'One cell per agent and scenario (mean over seeds); hover for the figures, click a cell to open the scenario.'), el('div', { id: 'heatmap' }));
  main.append(heatCard);

  // ---- scenario detail (filled in on demand) --------------------------------------------------------
  const detail = el('section', { class: 'card', id: 'detail' }, el('div', { id: 'detail-empty' }, 'Click a scenario (in the heat map or the table below) to see its timeline.'));
  main.append(detail);

  // ---- scenario list ------------------------------------------------------------------------------
  let scenarioTable;
  {
    const card = el('section', { class: 'card' }, el('h2', {}, 'Scenarios'),
      el('p', { class: 'hint' }, (hasOracle ? 'Each agent\'s mean score relative to the dynamic oracle' : 'Each agent\'s mean score') + ' on each scenario, ± the 95% confidence interval over seeds (t-based; none with one seed). Click a row to open its timeline; click a header to sort.'));
    const rows = D.scenarios.map((s, i) => ({ i, s }));
    const ki = hasOracle ? 2 : 0;
    const kc = hasOracle ? 3 : 1;
    const d = hasOracle ? 3 : 2;
    const cols = [
      { label: '#', num: true, value: (r) => r.i, cell: (r) => String(r.i + 1) },
      { label: 'scenario', value: (r) => r.s.label, cell: (r) => r.s.label },
      ...agents.map((a, j) => ({
        label: a, num: true, title: a, value: (r) => (r.s.cells[j] ? r.s.cells[j][ki] : null),
        cell: (r) => { const c = r.s.cells[j]; return c ? withCi(c[ki], c[kc], d) : '–'; },
      })),
    ];
    scenarioTable = sortableTable(cols, rows, { id: 'scenarios', onRow: (r) => openScenario(r.i, true), rowAttrs: (r) => ({ 'data-scenario': r.i }) });
    // colour the relative cells once per render
    const paint = () => {
      if (!hasOracle) return;
      for (const tr of scenarioTable.table.tBodies[0].rows) {
        const s = D.scenarios[Number(tr.dataset.scenario)];
        agents.forEach((a, j) => { const c = s.cells[j]; tr.cells[j + 2].style.cssText = c ? relColour(c[2]) : ''; });
        tr.classList.toggle('selected', Number(tr.dataset.scenario) === current);
      }
    };
    scenarioTable.table.querySelectorAll('th').forEach((th) => th.addEventListener('click', paint));
    const filter = el('input', { type: 'search', placeholder: 'filter scenarios…', 'aria-label': 'filter scenarios', oninput: () => {
      const q = filter.value.trim().toLowerCase();
      scenarioTable.setFilter(q ? (r) => r.s.label.toLowerCase().includes(q) : () => true);
      paint();
    } });
    card.append(el('div', { class: 'toolbar' }, filter, el('span', { class: 'hint' }, `${D.scenarios.length} scenarios × ${agents.length} agents`)), el('div', { class: 'scroll' }, scenarioTable.table));
    main.append(card);
    setTimeout(paint, 0);
  }

  // ---- oracle searches ----------------------------------------------------------------------------
  if (D.oracles.length) {
    const card = el('section', { class: 'card', id: 'oracles' }, el('h2', {}, 'Oracle searches'),
      el('p', { class: 'hint' }, 'Per oracle run: the space it searched, the env steps and phase simulations that took (prefixes reaching identical env states merged), and the schedule it found. Wall times differ from run to run and are in timings.csv beside this file, so that a rerun rewrites the report byte for byte.'));
    const t = sortableTable(oracleColumns(true), D.oracles, { onRow: (o) => openScenario(o.scenario, true) });
    card.append(el('p', { class: 'hint' }, `${D.oracles.length} searches.`),
      el('details', D.oracles.length <= 24 ? { open: true } : {}, el('summary', {}, 'every search'), el('div', { class: 'scroll' }, t.table)));
    main.append(card);
  }
  function oracleColumns(withScenario) {
    return [
      ...(withScenario ? [{ label: 'scenario', value: (o) => o.scenario, cell: (o) => D.scenarios[o.scenario].label }] : []),
      { label: 'oracle', value: (o) => o.kind, cell: (o) => o.kind },
      { label: 'seed', num: true, value: (o) => o.seed, cell: (o) => String(o.seed) },
      { label: 'space', value: (o) => o.spaceSize, cell: (o) => el('span', { title: o.space }, o.space.split(' (')[0]) },
      { label: 'env steps', num: true, value: (o) => o.steps, cell: (o) => fmt(o.steps, 0) },
      { label: 'phase sims', num: true, value: (o) => o.phaseSims, cell: (o) => fmt(o.phaseSims, 0) },
      { label: 'schedule', wrap: true, value: (o) => o.schedule, cell: (o) => el('code', {}, o.schedule) },
    ];
  }

  main.append(el('footer', {}, 'report.html: one self-contained file (Vega, Vega-Lite and vega-embed inlined); it needs no network.'));

  // ---- heat map drawing ---------------------------------------------------------------------------
  const EMBED = { renderer: 'canvas', actions: { export: true, source: false, compiled: false, editor: false }, mode: 'vega-lite' };
  function drawHeatmap() {
    const values = [];
    const n = D.scenarios.length;
    D.scenarios.forEach((s, i) => {
      let best = -Infinity;
      if (!hasOracle) s.cells.forEach((c, j) => { if (c && c[0] !== null && !isOracle(agents[j])) best = Math.max(best, c[0]); });
      s.cells.forEach((c, j) => {
        if (!c) return;
        const rel = hasOracle ? c[2] : c[0] !== null && best > 0 ? c[0] / best : null;
        if (rel === null) return;
        values.push({ si: i, s: s.label, a: agents[j], rel, ci: hasOracle ? c[3] : null, score: c[0], sw: c[4] });
      });
    });
    if (!values.length) { heatCard.remove(); return; }
    const lo = Math.min(0.8, ...values.map((v) => v.rel));
    // fit the card: room for the agent labels (≈ 6.5 px a character, at most 220 px) and the legend
    const labels = Math.min(220, 6.5 * Math.max(...agents.map((a) => a.length)));
    const width = Math.max(200, Math.min(main.clientWidth - 90 - labels - 110, n * 46)); // main's and the card's padding: 90 px
    const many = width / n < 14;
    const spec = {
      width, height: Math.max(60, 24 * agents.length), data: { values },
      config: { view: { stroke: null }, axis: { domain: false, ticks: false } },
      encoding: {
        x: { field: 's', type: 'ordinal', sort: D.scenarios.map((s) => s.label), title: many ? `${n} scenarios (hover for names)` : null, axis: many ? { labels: false } : { labelAngle: -40, labelLimit: 140 } },
        y: { field: 'a', type: 'nominal', sort: agents, title: null, axis: { labelLimit: 220 } },
      },
      layer: [
        { mark: { type: 'rect', cursor: 'pointer' }, encoding: {
          color: { field: 'rel', type: 'quantitative', title: hasOracle ? 'vs oracle' : 'vs best', scale: { scheme: 'redyellowgreen', domain: [lo, 1], clamp: true }, legend: { gradientLength: Math.max(60, 24 * agents.length - 20) } },
          tooltip: [{ field: 's', title: 'scenario' }, { field: 'a', title: 'agent' }, { field: 'rel', title: hasOracle ? 'vs oracle' : 'vs best', format: '.4f' },
            ...(hasOracle ? [{ field: 'ci', title: '± 95% CI', format: '.4f' }] : []), { field: 'score', title: 'score', format: '.3f' }, { field: 'sw', title: 'switches', format: '.1f' }],
        } },
        // numbers in white on the scheme's dark ends (deep green near 1, deep red at the bottom)
        ...(many ? [] : [{ mark: { type: 'text', fontSize: 10 }, encoding: { text: { field: 'rel', format: '.2f' }, color: { condition: { test: `datum.rel > ${1 - (1 - lo) * 0.15} || datum.rel < ${lo + (1 - lo) * 0.15}`, value: 'white' }, value: '#222' } } }]),
      ],
    };
    vegaEmbed('#heatmap', spec, EMBED).then((res) => {
      res.view.addEventListener('click', (_e, item) => { if (item && item.datum && item.datum.si !== undefined) openScenario(item.datum.si, true); });
      document.getElementById('heatmap').dataset.drawn = 'true';
    }).catch((e) => console.error(e));
  }

  // ---- scenario detail ----------------------------------------------------------------------------
  let current = null;
  const timelines = new Map();
  function timelineOf(s) {
    const n = D.scenarios[s].timeline;
    if (n === null) return null;
    if (!timelines.has(n)) timelines.set(n, JSON.parse(document.getElementById('tl-' + n).textContent));
    return timelines.get(n);
  }

  function openScenario(i, scroll) {
    const s = D.scenarios[i];
    if (!s) return;
    current = i;
    if (location.hash !== '#scenario=' + i) history.replaceState(null, '', '#scenario=' + i);
    for (const tr of document.querySelectorAll('#scenarios tbody tr')) tr.classList.toggle('selected', Number(tr.dataset.scenario) === i);
    const tl = timelineOf(i);
    const head = el('h2', {}, s.label, el('span', { class: 'sub' }, tl ? `seed ${tl.seed} shown · ${tl.steps.toLocaleString('en-US')} epochs of ${tl.epochS * 1000} ms · ${tl.phases.length} phase${tl.phases.length === 1 ? '' : 's'}` : 'no per-step trace'));
    const k = hasOracle ? 2 : 0;
    const best = Math.max(...s.cells.map((c, j) => (c && c[0] !== null && !isOracle(agents[j]) ? c[0] : -Infinity)));
    const rows = agents.map((a, j) => ({ a, j, c: s.cells[j], sw: tl ? (tl.series.find((x) => x.agent === a) || {}).switches : undefined })).filter((r) => r.c);
    const cols = [
      { label: 'agent', value: (r) => r.j, cell: (r) => [swatch(r.a), r.a] },
      { label: 'n', num: true, value: (r) => r.c[9], cell: (r) => String(r.c[9]) },
      { label: 'score', num: true, value: (r) => r.c[0], cell: (r) => { const x = withCi(r.c[0], r.c[1], 2); return r.c[0] === best && !isOracle(r.a) ? el('span', { class: 'best' }, x) : x; } },
      ...(hasOracle ? [{ label: 'vs oracle', num: true, value: (r) => r.c[2], cell: (r) => withCi(r.c[2], r.c[3], 3) }] : []),
      { label: 'switches', num: true, title: 'I/O-core changes per episode (mean over seeds)', value: (r) => r.c[4], cell: (r) => fmt(r.c[4], 1) },
      { label: 'mean I/O cores', num: true, value: (r) => r.c[8], cell: (r) => fmt(r.c[8], 2) },
      { label: 'throughput (Gbit/s)', num: true, value: (r) => r.c[5], cell: (r) => fmt(r.c[5], 2) },
      { label: 'p99 (µs)', num: true, title: 'mean of the per-epoch p99 latency', value: (r) => r.c[6], cell: (r) => fmt(r.c[6], 1) },
      { label: 'exits/s', num: true, value: (r) => r.c[7], cell: (r) => fmt(r.c[7], 0) },
    ];
    const t = sortableTable(cols, rows, { id: 'scenario-agents' });
    const searches = D.oracles.filter((o) => o.scenario === i);
    const box = el('div', { id: 'timeline' });
    detail.replaceChildren(head, t.table,
      ...(searches.length ? [el('details', { open: true }, el('summary', {}, 'Oracle searches'), sortableTable(oracleColumns(false), searches).table)] : []),
      el('p', { class: 'hint' }, tl ? 'The seed\'s run of each agent over the episode: the phases as bands, oracles dashed. Hover a panel for the exact values at that epoch; click a legend entry to pick out an agent (shift-click for more).' : ''), box);
    if (scroll) detail.scrollIntoView({ behavior: 'smooth', block: 'start' });
    if (tl) drawTimeline(tl, box);
  }

  /** Expands a flattened run-length column to one value per step. */
  function expand(runs, steps) {
    const out = new Array(steps).fill(null);
    let t = 0;
    for (let q = 0; q < runs.length; q += 2) { const v = runs[q]; for (let m = 0; m < runs[q + 1] && t < steps; m++) out[t++] = v; }
    return out;
  }

  const METRICS = [
    { m: 'io', title: 'I/O cores', interp: 'step-after' },
    { m: 'tp', title: 'throughput (Gbit/s)', interp: 'linear' },
    { m: 'p99', title: 'p99 latency (µs)', interp: 'linear' },
    { m: 'reward', title: 'reward', interp: 'linear' },
  ];

  function timelineSpec(tl, width) {
    const dt = tl.epochS;
    const T = tl.steps * dt;
    const shown = tl.series.map((s) => s.agent);
    // lines: each run's first and last step (the line passes through the same places as through every step)
    const lines = [];
    for (const s of tl.series) {
      for (const { m } of METRICS) {
        const col = s[m === 'io' ? 'io' : m];
        let t = 0;
        for (let q = 0; q < col.length; q += 2) {
          const v = col[q], n = col[q + 1];
          lines.push({ a: s.agent, m, t: t * dt, v });
          if (n > 1) lines.push({ a: s.agent, m, t: (t + n - 1) * dt, v });
          t += n;
        }
      }
    }
    // What the hover shows: per metric, the stretches of epochs over which no agent's value (nor the
    // phase) changes, each with every agent's value; a stretch is one mark, however long.
    const cols = tl.series.map((s) => Object.fromEntries(METRICS.map(({ m }) => [m, expand(s[m], tl.steps)])));
    const phaseAt = new Array(tl.steps);
    tl.phases.forEach(([name, a, b]) => { for (let t = a; t < b && t < tl.steps; t++) phaseAt[t] = name; });
    const spans = [];
    for (const { m } of METRICS) {
      let a = 0;
      for (let t = 1; t <= tl.steps; t++) {
        const cut = t === tl.steps || phaseAt[t] !== phaseAt[t - 1] || cols.some((c) => !Object.is(c[m][t], c[m][t - 1]));
        if (!cut) continue;
        // the tooltip as one object (vega-tooltip shows it as a table): one expression per mark to
        // parse and evaluate instead of one per agent and field
        const tip = { 'time (s)': `${(a * dt).toFixed(1)}–${(t * dt).toFixed(1)}`, epochs: t - a > 1 ? `${a}–${t - 1}` : String(a), phase: phaseAt[a] || '' };
        cols.forEach((c, j) => { const v = c[m][a]; tip[tl.series[j].agent] = v === null ? '–' : String(v); });
        spans.push({ m, t0: a * dt, t1: t * dt, tip });
        a = t;
      }
    }
    const pxPerS = width / T;
    const phases = tl.phases.map(([name, a, b], i) => {
      const w = (b - a) * dt * pxPerS;
      const fit = Math.floor((w - 6) / 6.4);
      return { name, label: fit >= name.length ? name : fit >= 4 ? name.slice(0, fit - 1) + '…' : '', t0: a * dt, t1: b * dt, tm: (a + b) * dt / 2, shade: i % 2, from: a, to: b };
    });
    const p99 = lines.filter((l) => l.m === 'p99' && l.v !== null);
    const logOk = p99.length > 0 && p99.every((l) => l.v > 0);
    const x = (last) => ({ field: 't', type: 'quantitative', scale: { domain: [0, T], nice: false }, title: last ? 'time (s)' : null, axis: last ? {} : { labels: false } });
    const panel = (spec, idx) => {
      const { m, title, interp } = spec;
      const last = idx === METRICS.length - 1;
      const layers = [
        { name: 'phases_' + m, data: { name: 'phases' }, mark: { type: 'rect' }, encoding: {
          x: { field: 't0', type: 'quantitative', scale: { domain: [0, T], nice: false }, title: last ? 'time (s)' : null, axis: last ? {} : { labels: false } }, x2: { field: 't1' },
          fill: { condition: { test: 'datum.shade === 1', value: '#fafbfc' }, value: '#e9eef5' },
          tooltip: [{ field: 'name', title: 'phase' }, { field: 't0', title: 'from (s)', format: '.1f' }, { field: 't1', title: 'to (s)', format: '.1f' }],
        } },
        { data: { name: 'lines' }, transform: [{ filter: { field: 'm', equal: m } }],
          ...(idx === 0 ? { params: [{ name: 'pick', select: { type: 'point', fields: ['a'] }, bind: 'legend' }] } : {}),
          mark: { type: 'line', interpolate: interp, strokeWidth: 1.5, clip: true },
          encoding: {
            x: x(last),
            y: { field: 'v', type: 'quantitative', title, scale: m === 'p99' && logOk ? { type: 'log' } : m === 'io' ? { domain: [0, Math.max(1, ...lines.filter((l) => l.m === 'io').map((l) => l.v || 0))], nice: false } : { zero: false }, axis: m === 'io' ? { tickMinStep: 1, format: 'd' } : { format: '~s' } },
            color: { field: 'a', type: 'nominal', scale: { domain: shown, range: shown.map((a) => colour[a] || '#999') }, ...(idx === 0 ? { legend: { orient: 'top', title: null, symbolType: 'stroke', labelLimit: 260, columns: Math.min(shown.length, 6) } } : {}) },
            strokeDash: { condition: { test: "indexof(datum.a, 'oracle') === 0", value: [5, 3] }, value: [1, 0] },
            opacity: { condition: { param: 'pick', value: 0.95 }, value: 0.12 },
          } },
        { name: 'spans_' + m, data: { name: 'spans' }, transform: [{ filter: { field: 'm', equal: m } }],
          params: [{ name: 'hover_' + m, select: { type: 'point', on: 'pointerover', clear: 'pointerout' } }],
          mark: { type: 'rect', fill: '#334155' },
          encoding: {
            x: { field: 't0', type: 'quantitative' }, x2: { field: 't1' },
            fillOpacity: { condition: { param: 'hover_' + m, empty: false, value: 0.09 }, value: 0 },
            tooltip: { field: 'tip', type: 'nominal' },
          } },
      ];
      if (idx === 0) layers.push({ name: 'phase_labels', data: { name: 'phases' }, mark: { type: 'text', baseline: 'bottom', dy: -3, fontSize: 10.5, fill: '#475569' }, encoding: { x: { field: 'tm', type: 'quantitative' }, y: { value: 0 }, text: { field: 'label' } } });
      return { width, height: m === 'io' ? 92 : 104, layer: layers };
    };
    return {
      datasets: { lines, spans, phases },
      config: { view: { stroke: '#d8dee4' }, axis: { labelFontSize: 10.5, titleFontSize: 11, titleFontWeight: 500, gridColor: '#e7ebf0' }, legend: { labelFontSize: 11.5 } },
      spacing: 6,
      vconcat: METRICS.map(panel),
      resolve: { scale: { color: 'shared' } },
    };
  }

  /** The items of the mark named `name` in a view's scene graph. */
  function markItems(view, name) {
    const found = [];
    (function walk(node) {
      if (!node) return;
      if (node.marktype && node.name === name) found.push(...node.items);
      for (const child of node.items || []) walk(child);
    })(view.scenegraph().root);
    return found;
  }

  let drawSeq = 0;
  function drawTimeline(tl, box) {
    const seq = ++drawSeq;
    const width = Math.max(480, detail.clientWidth - 170);
    vegaEmbed(box, timelineSpec(tl, width), { ...EMBED, renderer: 'canvas' }).then((res) => {
      if (seq !== drawSeq) { res.finalize(); return; }
      // what the canvas shows, from the scene graph: the phase bands of each panel and the labels
      const bands = METRICS.map(({ m }) => markItems(res.view, 'phases_' + m + '_marks').length);
      box.dataset.bands = bands.join(',');
      box.dataset.labels = markItems(res.view, 'phase_labels_marks').map((it) => it.text).join('|');
      box.dataset.drawn = String(tl.scenario);
    }).catch((e) => console.error(e));
  }

  // ---- start --------------------------------------------------------------------------------------
  drawHeatmap();
  const m = /^#scenario=(\d+)$/.exec(location.hash);
  if (m) openScenario(Number(m[1]), false);
  document.body.dataset.ready = 'true';
})();
