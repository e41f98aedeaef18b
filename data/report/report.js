/*
 * Trailguard findings report: renders the JSON in #report-data.
 * Every value from the data (much of it attacker-controlled CloudTrail text) reaches the page as
 * text only: textContent, option labels, attribute values. Nothing is parsed as HTML.
 */
(function () {
  'use strict';

  // Okabe–Ito: distinguishable with the common colour-vision deficiencies; grey for "other".
  // The summary gives at most 8 stacks: 8 detections, or 7 and one "other" stack.
  var PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];
  var OTHER_COLOUR = '#8C8C8C';
  var ROWS_PER_PAGE = 100;
  var IDENTITIES_SHOWN = 25;
  var COLUMNS = 7;

  var data;
  var findings = [];
  var state = { detection: '', identity: '', technique: '', text: '', sort: 'risk', dir: -1 };
  var view = [];
  var shown = 0;
  var expanded = new Set();

  /** el('td', { class: 'x', text: 'y' }, [children]): builds an element; strings become text nodes. */
  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) {
      for (var k in attrs) {
        var v = attrs[k];
        if (v === undefined || v === null || v === false) continue;
        if (k === 'text') e.textContent = String(v);
        else if (k === 'class') e.className = v;
        else e.setAttribute(k, v === true ? '' : String(v));
      }
    }
    if (children) {
      for (var i = 0; i < children.length; i++) {
        var c = children[i];
        if (c === null || c === undefined) continue;
        e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
      }
    }
    return e;
  }

  function fmtTime(iso) {
    var t = Date.parse(iso);
    if (isNaN(t)) return String(iso);
    return new Date(t).toISOString().slice(0, 19).replace('T', ' ');
  }

  function fmtNumber(n) {
    return typeof n === 'number' ? n.toLocaleString('en-US') : String(n);
  }

  function objectKey(type, value) {
    return JSON.stringify([type, value]);
  }

  /** Severity from a risk score: a word and a shape, not only a colour. */
  function severity(score) {
    if (score === null || score === undefined) return { cls: 'sev-none', glyph: '\u25cb', word: 'no risk' };
    if (score >= 80) return { cls: 'sev-critical', glyph: '\u25c6', word: 'critical' };
    if (score >= 60) return { cls: 'sev-high', glyph: '\u25b2', word: 'high' };
    if (score >= 40) return { cls: 'sev-medium', glyph: '\u25a0', word: 'medium' };
    if (score >= 20) return { cls: 'sev-low', glyph: '\u25cf', word: 'low' };
    return { cls: 'sev-info', glyph: '\u25cb', word: 'info' };
  }

  function severityBadge(score) {
    var s = severity(score);
    var text = s.glyph + ' ' + s.word + (score === null || score === undefined ? '' : ' ' + fmtNumber(score));
    return el('span', { class: 'sev ' + s.cls, text: text });
  }

  function none() {
    return el('span', { class: 'none', text: '\u2014' });
  }

  // ---------------------------------------------------------------- header and totals

  function renderHeader(app) {
    var s = data.summary;
    var period = s.period ? fmtTime(s.period.start) + ' \u2013 ' + fmtTime(s.period.end) + ' UTC' : 'no findings';
    app.appendChild(el('p', { class: 'meta', id: 'period' }, ['Period: ', el('strong', { text: period })]));
    app.appendChild(el('p', { class: 'meta', text: 'Generated ' + fmtTime(data.generatedAt) + ' UTC from ' + data.source + '.' }));
    var t = s.totals;
    var cards = [
      ['findings', 'Findings', t.findings, ''],
      ['detections', 'Detections fired', t.detections, ''],
      ['identities', 'Identities', t.identities, ''],
      ['high-risk', 'High-risk identities', t.highRiskIdentities, 'high'],
    ];
    var dl = el('dl', { class: 'totals', 'aria-label': 'Totals' });
    cards.forEach(function (c) {
      dl.appendChild(el('div', { class: c[3] }, [el('dt', { text: c[1] }), el('dd', { 'data-total': c[0], text: fmtNumber(c[2]) })]));
    });
    app.appendChild(el('section', { 'aria-labelledby': 'totals-h' }, [el('h2', { id: 'totals-h', class: 'visually-hidden', text: 'Totals' }), dl]));
  }

  // ---------------------------------------------------------------- timeline

  function bucketLabel(tl, i) {
    var d = new Date(tl.start + i * tl.bucketMs).toISOString();
    if (tl.unit === 'hour') return d.slice(5, 10) + ' ' + d.slice(11, 13) + ':00';
    if (tl.unit === 'day') return d.slice(0, 10);
    return 'week of ' + d.slice(0, 10);
  }

  function seriesColour(tl, i) {
    var s = tl.series[i];
    return s.detections.length > 1 ? OTHER_COLOUR : PALETTE[i % PALETTE.length];
  }

  function timelineTable(tl, labels) {
    var head = el('tr', null, [el('th', { text: tl.unit === 'hour' ? 'Hour (UTC)' : 'Period (UTC)' })]);
    tl.series.forEach(function (s) { head.appendChild(el('th', { class: 'num', text: s.label })); });
    head.appendChild(el('th', { class: 'num', text: 'Total' }));
    var body = el('tbody');
    for (var b = 0; b < tl.buckets; b++) {
      var total = 0;
      var cells = tl.series.map(function (s) { total += s.counts[b]; return el('td', { class: 'num', text: fmtNumber(s.counts[b]) }); });
      if (total === 0) continue;
      body.appendChild(el('tr', null, [el('td', { text: labels[b] })].concat(cells, [el('td', { class: 'num', text: fmtNumber(total) })])));
    }
    return el('table', null, [el('thead', null, [head]), body]);
  }

  function renderTimeline(app) {
    var section = el('section', { 'aria-labelledby': 'timeline-h' });
    section.appendChild(el('h2', { id: 'timeline-h', text: 'Timeline' }));
    app.appendChild(section);
    var tl = data.summary.timeline;
    if (!tl) {
      section.appendChild(el('p', { class: 'note', text: 'No findings in this period.' }));
      return;
    }
    section.appendChild(el('p', { class: 'note', text: 'Findings per ' + tl.unit + ' (UTC), stacked by detection.' }));
    var labels = [];
    for (var i = 0; i < tl.buckets; i++) labels.push(bucketLabel(tl, i));
    var canvas = el('canvas', { id: 'timeline', role: 'img', 'aria-label': 'Bar chart of findings per ' + tl.unit + ' stacked by detection; the same numbers are in the table below it.' });
    section.appendChild(el('div', { class: 'chart' }, [canvas]));

    // The same numbers as a table, for screen readers and for checking; built when first opened.
    var tableBox = el('details', { class: 'timeline-table' }, [el('summary', { text: 'Timeline as a table (' + tl.unit + 's with findings)' })]);
    tableBox.addEventListener('toggle', function () {
      if (tableBox.open && !tableBox.querySelector('table')) tableBox.appendChild(el('div', { class: 'scroll' }, [timelineTable(tl, labels)]));
    });
    section.appendChild(tableBox);

    if (typeof Chart === 'undefined') throw new Error('the chart library is missing from the page');
    Chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
    Chart.defaults.color = '#1b1f24';
    new Chart(canvas, {
      type: 'bar',
      data: {
        labels: labels,
        datasets: tl.series.map(function (s, i) {
          return {
            label: s.label + ' (' + fmtNumber(s.total) + ')',
            data: s.counts,
            backgroundColor: seriesColour(tl, i),
            // White seams between stacks keep them apart in greyscale print, too.
            borderColor: '#ffffff',
            borderWidth: { top: 1 },
            borderSkipped: 'bottom',
            barPercentage: 1,
            categoryPercentage: 0.9,
          };
        }),
      },
      options: {
        animation: false,
        normalized: true,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { stacked: true, ticks: { autoSkip: true, maxRotation: 0, maxTicksLimit: 14, sampleSize: 24 }, grid: { display: false } },
          y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: 'findings' } },
        },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 14 } },
          tooltip: { filter: function (item) { return item.raw > 0; } },
        },
      },
    });
  }

  // ---------------------------------------------------------------- identities

  function incidentBadges(id) {
    var out = [];
    if (id.riskIncident && id.peakDay) {
      out.push(el('span', { class: 'flag', title: 'Risk incident rule: more than 100 risk within 24 hours (24 hours ending ' + fmtTime(id.peakDay.windowEnd) + ' UTC)', text: '\u2691 24 h risk ' + fmtNumber(id.peakDay.score) + ' > 100' }));
    }
    if (id.tacticIncident) {
      var ti = id.tacticIncident;
      out.push(el('span', { class: 'flag', title: 'Risk incident rule: 3+ ATT&CK tactics from 4+ detections within 7 days (7 days ending ' + fmtTime(ti.windowEnd) + ' UTC): ' + ti.tactics.join(', '), text: '\u2691 ' + ti.tactics.length + ' tactics from ' + ti.sources.length + ' detections in 7 d' }));
    }
    return out.length > 0 ? out : [none()];
  }

  function pills(list) {
    if (list.length === 0) return [none()];
    return list.map(function (x) { return el('span', { class: 'pill', text: x }); });
  }

  function renderIdentities(app) {
    var section = el('section', { 'aria-labelledby': 'identities-h' });
    app.appendChild(section);
    section.appendChild(el('h2', { id: 'identities-h', text: 'Risk by identity' }));
    var rules = data.summary.rules;
    section.appendChild(el('p', { class: 'note', text:
      'Identities (risk objects) ranked by the risk their findings attributed to them in the period' +
      (data.summary.riskEventsDerived ? ' (one risk event per finding and risk object, at the detection\u2019s risk score)' : '') +
      '. \u2691 marks the risk incident rules: more than ' + rules.riskThreshold.over + ' risk within 24 hours; ' +
      rules.tacticThreshold.minTactics + ' or more ATT&CK tactics from ' + rules.tacticThreshold.minSources + ' or more detections within 7 days. Choose an identity to filter the findings.' }));
    var ids = data.summary.identities;
    if (ids.length === 0) {
      section.appendChild(el('p', { class: 'note', text: 'No risk objects in this period.' }));
      return;
    }
    var tbody = el('tbody');
    var table = el('table', { class: 'identities' }, [
      el('thead', null, [el('tr', null, [
        el('th', { class: 'num', text: '#' }), el('th', { text: 'Identity' }), el('th', { text: 'Type' }), el('th', { class: 'num', text: 'Risk' }),
        el('th', { class: 'num', text: 'Findings' }), el('th', { text: 'Detections' }), el('th', { text: 'ATT&CK tactics' }), el('th', { text: 'Incident rules' }),
      ])]),
      tbody,
    ]);
    section.appendChild(el('div', { class: 'scroll' }, [table]));
    function addRows(from, to) {
      for (var i = from; i < to; i++) {
        var id = ids[i];
        var button = el('button', { type: 'button', class: 'link-button', 'data-identity': id.key, title: 'Show the findings of ' + id.object, text: id.object });
        button.addEventListener('click', (function (key) { return function () { filterByIdentity(key); }; })(id.key));
        tbody.appendChild(el('tr', { 'data-key': id.key }, [
          el('td', { class: 'num', text: String(i + 1) }),
          el('td', null, [button]),
          el('td', { text: id.type }),
          el('td', { class: 'num risk', text: fmtNumber(id.score) }),
          el('td', { class: 'num', text: fmtNumber(id.findings) }),
          el('td', null, pills(id.detections)),
          el('td', null, pills(id.tactics)),
          el('td', null, incidentBadges(id)),
        ]));
      }
    }
    var first = Math.min(IDENTITIES_SHOWN, ids.length);
    addRows(0, first);
    if (ids.length > first) {
      var all = el('button', { type: 'button', class: 'show-all', text: 'Show all ' + fmtNumber(ids.length) + ' identities' });
      all.addEventListener('click', function () {
        addRows(first, ids.length);
        all.remove();
      });
      section.appendChild(el('div', { class: 'more' }, [all]));
    }
  }

  // ---------------------------------------------------------------- findings: filter, sort, lazy rows

  function prepare(f) {
    return {
      f: f,
      t: Date.parse(f.time),
      keys: f.risk_objects.map(function (o) { return objectKey(o.type, o.value); }),
      techniques: f.mitre.map(function (m) { return m.id; }),
      firstObject: f.risk_objects.length > 0 ? f.risk_objects[0].value : '',
      haystack: null,
    };
  }

  /** Everything the free-text filter searches, built the first time it is needed. */
  function haystack(p) {
    if (p.haystack === null) {
      var f = p.f;
      var parts = [f.id, f.detection.name, f.detection.id, f.message, f.stories.join(' ')];
      f.risk_objects.forEach(function (o) { parts.push(o.value, o.field); });
      f.mitre.forEach(function (m) { parts.push(m.id, m.name, m.tactics.join(' ')); });
      for (var k in f.fields) parts.push(k, JSON.stringify(f.fields[k]));
      f.evidence.forEach(function (e) { parts.push(JSON.stringify(e.raw)); });
      p.haystack = parts.join('\n').toLowerCase();
    }
    return p.haystack;
  }

  var COMPARE = {
    time: function (a, b) { return a.t - b.t; },
    detection: function (a, b) { return a.f.detection.name.localeCompare(b.f.detection.name); },
    risk: function (a, b) { return (a.f.risk_score === null ? -1 : a.f.risk_score) - (b.f.risk_score === null ? -1 : b.f.risk_score); },
    identity: function (a, b) { return a.firstObject.localeCompare(b.firstObject); },
    message: function (a, b) { return a.f.message.localeCompare(b.f.message); },
  };

  function applyFilters() {
    var text = state.text.trim().toLowerCase();
    view = findings.filter(function (p) {
      if (state.detection && p.f.detection.name !== state.detection) return false;
      if (state.identity && p.keys.indexOf(state.identity) < 0) return false;
      if (state.technique && p.techniques.indexOf(state.technique) < 0) return false;
      if (text && haystack(p).indexOf(text) < 0) return false;
      return true;
    });
    var cmp = COMPARE[state.sort];
    var dir = state.dir;
    // Ties fall back to newest first, then the finding id, so the order is stable.
    view.sort(function (a, b) { return dir * cmp(a, b) || b.t - a.t || (a.f.id < b.f.id ? -1 : a.f.id > b.f.id ? 1 : 0); });
    document.querySelectorAll('.findings th[data-sort]').forEach(function (th) {
      th.setAttribute('aria-sort', th.getAttribute('data-sort') === state.sort ? (dir > 0 ? 'ascending' : 'descending') : 'none');
    });
    var tbody = document.getElementById('rows');
    tbody.textContent = '';
    shown = 0;
    showMore();
  }

  function updateStatus() {
    var status = document.getElementById('shown');
    var filtered = state.detection || state.identity || state.technique || state.text.trim();
    status.textContent = (filtered ? fmtNumber(view.length) + ' of ' + fmtNumber(findings.length) + ' findings match' : fmtNumber(findings.length) + ' findings') +
      (view.length > shown ? '; showing the first ' + fmtNumber(shown) : '') + '.';
    var more = document.getElementById('more');
    more.hidden = view.length <= shown;
    more.textContent = 'Show ' + fmtNumber(Math.min(ROWS_PER_PAGE, view.length - shown)) + ' more (' + fmtNumber(view.length - shown) + ' not shown)';
  }

  function showMore() {
    var tbody = document.getElementById('rows');
    var end = Math.min(view.length, shown + ROWS_PER_PAGE);
    var frag = document.createDocumentFragment();
    for (var i = shown; i < end; i++) {
      var p = view[i];
      frag.appendChild(findingRow(p));
      if (expanded.has(p.f.id)) frag.appendChild(detailRow(p));
    }
    tbody.appendChild(frag);
    shown = end;
    updateStatus();
  }

  function findingRow(p) {
    var f = p.f;
    var open = expanded.has(f.id);
    var button = el('button', { type: 'button', class: 'expander', 'aria-expanded': open ? 'true' : 'false', 'aria-controls': 'detail-' + f.id, title: 'Show or hide the details of this finding' }, [
      el('span', { 'aria-hidden': 'true', text: open ? '\u25be' : '\u25b8' }),
      el('span', { class: 'visually-hidden', text: 'Details of ' + f.detection.name + ' at ' + fmtTime(f.time) }),
    ]);
    var tr = el('tr', { class: 'finding' + (open ? ' open' : ''), 'data-id': f.id }, [
      el('td', null, [button]),
      el('td', { class: 'when', text: fmtTime(f.time) }),
      el('td', { text: f.detection.name }),
      el('td', null, [severityBadge(f.risk_score)]),
      el('td', { class: 'objects' }, f.risk_objects.length === 0 ? [none()] : f.risk_objects.map(function (o) {
        return el('span', { class: 'pill', title: o.field + ' (' + o.type + (o.role ? ', ' + o.role : '') + ')', text: o.value });
      })),
      el('td', null, f.mitre.length === 0 ? [none()] : f.mitre.map(function (m) { return el('span', { class: 'pill mono', title: m.name, text: m.id }); })),
      el('td', { class: 'message', text: f.message }),
    ]);
    button.addEventListener('click', function (ev) { ev.stopPropagation(); toggle(p, tr); });
    // A click anywhere on the row (outside its controls) toggles it too; the keyboard uses the button.
    tr.addEventListener('click', function (ev) {
      if (ev.target.closest('button, a, select, input, details') || String(window.getSelection()).length > 0) return;
      toggle(p, tr);
    });
    return tr;
  }

  function toggle(p, tr) {
    var id = p.f.id;
    var button = tr.querySelector('.expander');
    if (expanded.has(id)) {
      expanded.delete(id);
      var next = tr.nextElementSibling;
      if (next && next.classList.contains('detail')) next.remove();
      tr.classList.remove('open');
      button.setAttribute('aria-expanded', 'false');
      button.firstChild.textContent = '\u25b8';
    } else {
      expanded.add(id);
      tr.after(detailRow(p));
      tr.classList.add('open');
      button.setAttribute('aria-expanded', 'true');
      button.firstChild.textContent = '\u25be';
    }
  }

  // ---------------------------------------------------------------- an expanded finding

  function kvTable(rows, caption) {
    return el('table', { class: 'kv' }, [
      caption ? el('caption', { class: 'visually-hidden', text: caption }) : null,
      el('tbody', null, rows.map(function (r) { return el('tr', null, [el('th', { scope: 'row', text: r[0] }), el('td', null, [r[1]])]); })),
    ]);
  }

  function fieldValue(v) {
    if (v === null || v === undefined) return none();
    if (Array.isArray(v)) return v.length === 0 ? none() : el('ul', null, v.map(function (x) { return el('li', { text: x }); }));
    return document.createTextNode(String(v));
  }

  function jsonDetails(label, value) {
    return el('details', null, [el('summary', { text: label }), el('pre', { class: 'json', text: JSON.stringify(value, null, 2) })]);
  }

  function textOf(v) {
    return v === undefined || v === null || v === '' ? none() : document.createTextNode(typeof v === 'string' ? v : JSON.stringify(v));
  }

  function evidenceTable(f) {
    var tbody = el('tbody');
    f.evidence.forEach(function (e) {
      var raw = e.raw && typeof e.raw === 'object' ? e.raw : {};
      var params = raw.requestParameters;
      var paramCount = params && typeof params === 'object' ? Object.keys(params).length : 0;
      tbody.appendChild(el('tr', { class: 'event' }, [
        el('td', { class: 'when', text: fmtTime(e.time) }),
        el('td', null, [textOf(raw.eventName), raw.eventSource ? el('div', { class: 'note', text: raw.eventSource }) : null]),
        el('td', { class: 'mono' }, [textOf(raw.sourceIPAddress)]),
        el('td', null, [textOf(raw.userAgent)]),
        el('td', null, [raw.errorCode ? el('span', { text: raw.errorCode + (raw.errorMessage ? ': ' + raw.errorMessage : '') }) : el('span', { class: 'none', text: 'none' })]),
      ]));
      // The JSON gets the table's full width, on a row of its own under the event.
      tbody.appendChild(el('tr', { class: 'event-json' }, [el('td', { colspan: '5' }, [
        params === undefined || params === null
          ? el('span', { class: 'note', text: 'No request parameters.' })
          : jsonDetails('Request parameters (' + paramCount + ')', params),
        jsonDetails('Full event JSON', e.raw),
      ])]));
    });
    return el('table', { class: 'evidence' }, [
      el('colgroup', null, ['time', 'event', 'ip', 'ua', 'error'].map(function (c) { return el('col', { class: 'c-' + c }); })),
      el('thead', null, [el('tr', null, ['Time (UTC)', 'Event', 'Source IP', 'User agent', 'Error'].map(function (h) { return el('th', { text: h }); }))]),
      tbody,
    ]);
  }

  function detailRow(p) {
    var f = p.f;
    var body = el('div', { class: 'detail' });
    body.appendChild(el('h3', { text: 'Message' }));
    body.appendChild(el('p', { class: 'message', text: f.message || '(no message)' }));
    var d = f.detection;
    var grid = el('div', { class: 'detail-grid' });
    grid.appendChild(el('div', null, [
      el('h3', { text: 'Detection' }),
      kvTable([
        ['name', document.createTextNode(d.name)],
        ['id', el('span', { class: 'mono', text: d.id })],
        ['version', textOf(d.version)],
        ['type', textOf(d.type)],
        ['risk score', severityBadge(f.risk_score)],
        ['searched', f.window ? document.createTextNode(fmtTime(f.window.earliest) + ' \u2013 ' + fmtTime(f.window.latest) + ' UTC') : none()],
        ['raised', document.createTextNode(fmtTime(f.time) + ' UTC')],
        ['analytic stories', f.stories.length ? document.createTextNode(f.stories.join(', ')) : none()],
        ['finding id', el('span', { class: 'mono', text: f.id })],
      ], 'Detection'),
    ]));
    grid.appendChild(el('div', null, [
      el('h3', { text: 'Risk objects' }),
      f.risk_objects.length === 0 ? el('p', { class: 'note', text: 'None.' }) : el('table', { class: 'risk-objects' }, [
        el('thead', null, [el('tr', null, ['Value', 'Type', 'Role', 'Field'].map(function (h) { return el('th', { text: h }); }))]),
        el('tbody', null, f.risk_objects.map(function (o) {
          return el('tr', null, [el('td', { text: o.value }), el('td', { text: o.type }), el('td', { text: o.role || '\u2014' }), el('td', { class: 'mono', text: o.field })]);
        })),
      ]),
      el('h3', { text: 'ATT&CK techniques' }),
      f.mitre.length === 0 ? el('p', { class: 'note', text: 'None.' }) : el('table', { class: 'techniques' }, [
        el('thead', null, [el('tr', null, ['Technique', 'Name', 'Tactics'].map(function (h) { return el('th', { text: h }); }))]),
        el('tbody', null, f.mitre.map(function (m) {
          return el('tr', null, [el('td', { class: 'mono', text: m.id }), el('td', { text: m.name || '\u2014' }), el('td', { text: m.tactics.join(', ') || '\u2014' })]);
        })),
      ]),
    ]));
    body.appendChild(grid);
    var fieldRows = Object.keys(f.fields).map(function (k) { return [k, fieldValue(f.fields[k])]; });
    body.appendChild(el('h3', { text: 'Result row' }));
    body.appendChild(fieldRows.length ? kvTable(fieldRows, 'Result row') : el('p', { class: 'note', text: 'No fields.' }));
    var total = typeof f.evidence_total === 'number' ? f.evidence_total : f.evidence.length;
    body.appendChild(el('h3', { text: 'Evidence: ' + (total > f.evidence.length ? f.evidence.length + ' of ' + total : String(f.evidence.length)) + ' CloudTrail event' + (total === 1 ? '' : 's') }));
    body.appendChild(f.evidence.length ? evidenceTable(f) : el('p', { class: 'note', text: 'No evidence events were captured for this finding.' }));
    return el('tr', { class: 'detail', id: 'detail-' + f.id }, [el('td', { colspan: String(COLUMNS) }, [body])]);
  }

  // ---------------------------------------------------------------- findings section

  function option(value, label) {
    return el('option', { value: value, text: label });
  }

  function select(id, label, first, options, onChange) {
    var s = el('select', { id: id }, [option('', first)].concat(options));
    s.addEventListener('change', function () { onChange(s.value); });
    return el('label', null, [label, s]);
  }

  function renderFindings(app) {
    var section = el('section', { 'aria-labelledby': 'findings' });
    app.appendChild(section);
    section.appendChild(el('h2', { id: 'findings', tabindex: '-1', text: 'Findings' }));

    var detections = new Map();
    var techniques = new Map();
    findings.forEach(function (p) {
      detections.set(p.f.detection.name, (detections.get(p.f.detection.name) || 0) + 1);
      p.f.mitre.forEach(function (m) { if (m.name || !techniques.has(m.id)) techniques.set(m.id, m.name); });
    });
    var controls = el('div', { class: 'controls', role: 'search', 'aria-label': 'Filter findings' });
    controls.appendChild(select('filter-detection', 'Detection', 'All detections',
      Array.from(detections.keys()).sort().map(function (n) { return option(n, n + ' (' + fmtNumber(detections.get(n)) + ')'); }),
      function (v) { state.detection = v; applyFilters(); }));
    controls.appendChild(select('filter-identity', 'Identity', 'All identities',
      data.summary.identities.map(function (id) { return option(id.key, id.object + ' (' + id.type + ', risk ' + fmtNumber(id.score) + ')'); }),
      function (v) { state.identity = v; applyFilters(); }));
    controls.appendChild(select('filter-technique', 'ATT&CK technique', 'All techniques',
      Array.from(techniques.keys()).sort().map(function (t) { return option(t, techniques.get(t) ? t + ' ' + techniques.get(t) : t); }),
      function (v) { state.technique = v; applyFilters(); }));
    var search = el('input', { id: 'filter-text', type: 'search', placeholder: 'user, IP, event name, …', autocomplete: 'off', spellcheck: 'false' });
    var timer = null;
    search.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { state.text = search.value; applyFilters(); }, 150);
    });
    controls.appendChild(el('label', null, ['Text', search]));
    var clear = el('button', { type: 'button', id: 'filter-clear', text: 'Clear filters' });
    clear.addEventListener('click', function () {
      state.detection = state.identity = state.technique = state.text = '';
      ['filter-detection', 'filter-identity', 'filter-technique', 'filter-text'].forEach(function (id) { document.getElementById(id).value = ''; });
      applyFilters();
    });
    controls.appendChild(clear);
    section.appendChild(controls);
    section.appendChild(el('p', { id: 'shown', class: 'status', role: 'status', 'aria-live': 'polite' }));

    var headers = [
      [null, el('span', { class: 'visually-hidden', text: 'Details' })],
      ['time', 'Time (UTC)'], ['detection', 'Detection'], ['risk', 'Risk'], ['identity', 'Identities'], [null, 'ATT&CK'], ['message', 'Message'],
    ];
    var headRow = el('tr');
    headers.forEach(function (h) {
      if (h[0] === null) { headRow.appendChild(el('th', null, [h[1]])); return; }
      var b = el('button', { type: 'button', class: 'sort-button', text: h[1] });
      b.addEventListener('click', function () {
        if (state.sort === h[0]) state.dir = -state.dir;
        else { state.sort = h[0]; state.dir = h[0] === 'time' || h[0] === 'risk' ? -1 : 1; }
        applyFilters();
      });
      headRow.appendChild(el('th', { 'data-sort': h[0], 'aria-sort': 'none' }, [b]));
    });
    var cols = el('colgroup', null, ['expand', 'time', 'detection', 'risk', 'objects', 'attack', 'message'].map(function (c) { return el('col', { class: 'c-' + c }); }));
    section.appendChild(el('table', { class: 'findings' }, [cols, el('thead', null, [headRow]), el('tbody', { id: 'rows' })]));
    var more = el('button', { type: 'button', id: 'more', hidden: true });
    more.addEventListener('click', showMore);
    section.appendChild(el('div', { class: 'more' }, [more]));
    // Rows are added as the reader scrolls near the end: the page stays quick with many findings.
    if ('IntersectionObserver' in window) {
      new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; }) && !more.hidden) showMore();
      }, { rootMargin: '400px' }).observe(more);
    }
  }

  function filterByIdentity(key) {
    state.identity = key;
    document.getElementById('filter-identity').value = key;
    applyFilters();
    var h = document.getElementById('findings');
    h.scrollIntoView({ block: 'start' });
    h.focus({ preventScroll: true });
  }

  function renderFooter(app) {
    app.appendChild(el('footer', null, [
      el('p', { text: 'Written by Trailguard. Self-contained: this page loads nothing from the network. ' +
        'Timeline drawn with Chart.js (MIT licence, \u00a9 Chart.js contributors), embedded in this page.' }),
    ]));
  }

  function main() {
    var app = document.getElementById('app');
    data = JSON.parse(document.getElementById('report-data').textContent);
    findings = data.findings.map(prepare);
    var loading = document.getElementById('loading');
    if (loading) loading.remove();
    renderHeader(app);
    renderTimeline(app);
    renderIdentities(app);
    renderFindings(app);
    renderFooter(app);
    applyFilters();
    app.setAttribute('aria-busy', 'false');
    document.body.setAttribute('data-ready', 'true');
    if (performance.mark) performance.mark('trailguard-ready');
  }

  try {
    main();
  } catch (err) {
    var app = document.getElementById('app');
    app.appendChild(el('p', { class: 'error', role: 'alert', text: 'The report could not be displayed: ' + (err && err.message ? err.message : String(err)) }));
    console.error(err);
  }
})();
