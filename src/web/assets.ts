/**
 * The dashboard's one stylesheet and one small script, served from /assets/ (same origin, so the CSP
 * `default-src 'self'` allows them). Kept as strings so the build copies nothing and needs no bundler.
 */
export const STYLE = `
:root { --fg: #1d232b; --muted: #66707c; --line: #dde2e8; --bg: #f6f7f9; --card: #fff; --accent: #2454a6;
  --material: #b3261e; --material-bg: #fdecea; --wording: #8a5a00; --wording-bg: #fff4dc; --cosmetic: #4f5b67; --cosmetic-bg: #eef1f4;
  --ok: #1e6b3a; --ok-bg: #e6f4ea; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
code, pre, .num { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 13px; }
header.top { display: flex; align-items: center; gap: 24px; padding: 10px 24px; background: #14202e; color: #fff; }
header.top a { color: #d6e2f2; margin-right: 14px; } header.top .brand { color: #fff; font-weight: 700; font-size: 17px; letter-spacing: .02em; }
main { padding: 8px 24px 32px; max-width: 1400px; margin: 0 auto; }
.crumbs { padding: 10px 24px 0; margin: 0 auto; max-width: 1400px; color: var(--muted); }
footer { color: var(--muted); font-size: 12px; padding: 16px 24px; text-align: center; }
h1 { font-size: 24px; margin: 16px 0 4px; } h2 { font-size: 18px; margin: 24px 0 8px; } h3 { font-size: 15px; margin: 0 0 4px; }
.summary { color: var(--muted); margin-top: 0; }
.nowrap { white-space: nowrap; }
.muted { color: var(--muted); } .empty { color: var(--muted); font-style: italic; }
table { border-collapse: collapse; width: 100%; background: var(--card); border: 1px solid var(--line); border-radius: 6px; }
th, td { text-align: left; vertical-align: top; padding: 8px 10px; border-bottom: 1px solid var(--line); }
th { background: #eef1f5; font-size: 13px; white-space: nowrap; } th a { color: var(--fg); }
tr.alarm td { background: var(--material-bg); } tr.alarm .tag-material, .banner.alarm .tag-material { background: var(--material); color: #fff; } tr.alarm td:first-child { box-shadow: inset 4px 0 0 var(--material); }
.alarm-text { color: var(--material); }
ul.plain { list-style: none; margin: 0; padding: 0; } ul.plain li + li { margin-top: 2px; }
.tag { display: inline-block; padding: 1px 7px; border-radius: 10px; font-size: 12px; font-weight: 600; background: var(--cosmetic-bg); color: var(--cosmetic); white-space: nowrap; }
.tag-material, .tag-failing, .tag-failed, .tag-gone, .tag-unlinked, .tag-drifted, .tag-added { background: var(--material-bg); color: var(--material); }
.tag-wording, .tag-warning, .tag-pending, .tag-sending, .tag-changed { background: var(--wording-bg); color: var(--wording); }
.tag-ok, .tag-none, .tag-sent, .tag-unchanged { background: var(--ok-bg); color: var(--ok); }
.declared { color: var(--accent); font-weight: 600; }
form.filter, form.picker { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin: 12px 0; }
input, select, button { font: inherit; padding: 5px 8px; border: 1px solid #c3cad3; border-radius: 5px; background: #fff; }
input[type=search] { min-width: 320px; }
button, .button { background: var(--accent); color: #fff; border: 0; border-radius: 5px; padding: 6px 12px; cursor: pointer; display: inline-block; }
.button:hover { text-decoration: none; filter: brightness(1.1); }
.actions { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; }
.banner { border: 1px solid var(--line); border-left: 5px solid var(--wording); background: var(--card); padding: 10px 14px; border-radius: 6px; margin: 12px 0; }
.banner.alarm { border-left-color: var(--material); background: var(--material-bg); } .banner.ok { border-left-color: var(--ok); }
.doc { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; margin: 10px 0; }
ol.timeline { margin: 8px 0 0; padding-left: 34px; max-height: 520px; overflow: auto; }
ol.timeline > li { padding: 6px 0; border-bottom: 1px dashed var(--line); } ol.timeline .links { font-size: 13px; }
ul.facts { margin: 4px 0; padding-left: 20px; }
.facts-first { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 4px 16px 10px; }
table.diff { table-layout: fixed; } table.diff td { white-space: pre-wrap; word-break: break-word; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 13px; padding: 3px 8px; border-bottom: 0; }
table.diff th.num, table.diff td.num { width: 48px; color: var(--muted); text-align: right; background: #f3f5f8; }
td.del { background: #fff1f0; } td.ins { background: #eefaf1; } td.blank { background: #f7f8fa; }
del { background: #ffc9c4; text-decoration: line-through; color: #7d1a12; } ins { background: #b9ecc7; text-decoration: none; color: #0f4d24; }
tr.fold td { background: #f0f3f7; color: var(--muted); text-align: center; font-style: italic; }
pre.text { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 14px; white-space: pre-wrap; word-break: break-word; }
dl.provenance { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; }
dl.provenance dt { color: var(--muted); } dl.provenance dd { margin: 0; word-break: break-all; }
form.signoff { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; display: grid; gap: 8px; max-width: 560px; margin-top: 12px; }
form.signoff label { display: grid; gap: 2px; }
.notice { padding: 8px 12px; border-radius: 6px; } .notice.ok { background: var(--ok-bg); color: var(--ok); } .notice.error { background: var(--material-bg); color: var(--material); }
.error-text { color: var(--material); }
@media (max-width: 760px) {
  main { padding: 8px 10px 24px; } input[type=search] { min-width: 0; width: 100%; }
  table.models thead { display: none; } table.models tr { display: block; border-bottom: 2px solid var(--line); } table.models td { display: block; border: 0; padding: 3px 10px; }
  table.diff thead { display: none; } table.diff tr { display: grid; grid-template-columns: 40px 1fr; } table.diff td { display: block; }
  table.diff tr:not(.changed) td:nth-child(3), table.diff tr:not(.changed) td:nth-child(4) { display: none; }
  table.diff td.blank, table.diff tr.changed td.num:empty { display: none; }
}
`;

/** Sorting and filtering without a round trip; the same links and form work without it. */
export const TABLE_JS = `
(function () {
  var table = document.getElementById('models');
  if (!table) return;
  var body = table.tBodies[0];
  var input = document.getElementById('q');
  var count = document.getElementById('count');
  function apply() {
    var q = (input.value || '').trim().toLowerCase(), n = 0;
    Array.prototype.forEach.call(body.rows, function (row) {
      var show = !q || (row.getAttribute('data-filter') || '').indexOf(q) !== -1;
      row.hidden = !show; if (show) n++;
    });
    if (count) count.textContent = n + ' shown';
  }
  if (input) { input.addEventListener('input', apply); if (input.form) input.form.addEventListener('submit', function (e) { e.preventDefault(); apply(); }); }
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
    var link = th.querySelector('a');
    if (!link) return;
    link.addEventListener('click', function (e) {
      e.preventDefault();
      var asc = th.getAttribute('aria-sort') !== 'ascending';
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { if (h.hasAttribute('aria-sort')) h.setAttribute('aria-sort', 'none'); });
      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[col].getAttribute('data-sort') || '', y = b.cells[col].getAttribute('data-sort') || '';
        var nx = Number(x), ny = Number(y), c = (x !== '' && y !== '' && !isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
        return asc ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
})();
`;
