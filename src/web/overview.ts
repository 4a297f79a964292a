import { html } from 'hono/html';
import type { Watchlist, WatchedModel } from '../config/schema.js';
import type { ModelStatus } from '../evidence/status.js';
import type { DB } from '../store/db.js';
import { deliveryCounts } from '../store/deliveries.js';
import { activeFindings } from '../store/findings.js';
import { compact } from '../notify/render.js';
import { enc, page, qs, tag, when, type Html } from './layout.js';
import type { StatusCache } from './status-cache.js';
import type { Verdict, VerdictSource } from './verdicts.js';

export interface OverviewRow {
  id: string;
  name: string;
  status: ModelStatus | undefined;
  watched: WatchedModel | undefined;
  alerts: { pending: number; failed: number };
  findings: number;
  verdicts: Verdict[] | undefined;
  /** Material drift since the latest sign-off: the rows a reviewer must look at first. */
  alarm: boolean;
}

/** Every model of the watchlist in force, plus stored models not removed (as `status` lists them). */
export function overviewRows(db: DB, cache: StatusCache, watchlist: Watchlist, verdicts?: VerdictSource): OverviewRow[] {
  const stored = new Map(cache.all().map((e) => [e.row.id, e]));
  const watched = new Map(watchlist.models.map((m) => [m.id, m]));
  const ids = [...new Set([...watchlist.models.map((m) => m.id), ...[...stored.values()].filter((e) => !e.row.removed_at).map((e) => e.row.id)])];
  return ids.map((id) => {
    const status = stored.get(id)?.status;
    const w = watched.get(id);
    const counts = status ? deliveryCounts(db, id) : { pending: 0, sending: 0, failed: 0 };
    return {
      id,
      name: w?.name ?? status?.name ?? id,
      status,
      watched: w,
      alerts: { pending: counts.pending + counts.sending, failed: counts.failed },
      findings: status ? activeFindings(db, id).length : 0,
      verdicts: verdicts && status ? verdicts(db, w, status) : undefined,
      alarm: status?.drift.status === 'drifted' && status.drift.severity === 'material',
    };
  });
}

type SortKey = 'model' | 'license' | 'commercial' | 'drift' | 'checked' | 'problems';
const SORTS: SortKey[] = ['model', 'license', 'commercial', 'drift', 'checked', 'problems'];
const DRIFT_RANK: Record<string, number> = { material: 4, wording: 3, cosmetic: 2, none: 1, 'no-signoff': 0 };

function driftKey(r: OverviewRow): string {
  const d = r.status?.drift;
  if (!d) return 'no-signoff';
  return d.status === 'drifted' ? (d.severity ?? 'material') : d.status;
}
const problems = (r: OverviewRow) => (r.status ? r.status.failing.length + r.status.gone.length : 0) + r.findings + r.alerts.failed;
const licenseName = (s: ModelStatus | undefined) => (s?.license ? (s.license.spdx ?? s.license.name ?? s.license.id) : '');

function sortValue(r: OverviewRow, key: SortKey): string | number {
  switch (key) {
    case 'model': return r.name.toLowerCase();
    case 'license': return licenseName(r.status).toLowerCase();
    case 'commercial': return r.status?.commercialUse ?? 'unknown';
    case 'drift': return DRIFT_RANK[driftKey(r)] ?? 0;
    case 'checked': return r.status?.lastCheckedAt ?? '';
    case 'problems': return problems(r);
  }
}

/** Text a filter matches: what a reviewer would type (name, id, license, family, commercial use, drift). */
function haystack(r: OverviewRow): string {
  const s = r.status;
  return [r.id, r.name, licenseName(s), s?.license?.family, s?.commercialUse, driftKey(r), s?.latestSignoff?.by].filter(Boolean).join(' ').toLowerCase();
}

export function overviewPage(rows: OverviewRow[], query: { q?: string; sort?: string; dir?: string }, opts: { verdicts: boolean }): Html {
  const q = (query.q ?? '').trim().toLowerCase();
  const sort: SortKey = SORTS.includes(query.sort as SortKey) ? (query.sort as SortKey) : 'model';
  const dir = query.dir === 'desc' ? -1 : 1;
  const shown = rows.filter((r) => !q || haystack(r).includes(q));
  shown.sort((a, b) => {
    const x = sortValue(a, sort);
    const y = sortValue(b, sort);
    return (x < y ? -1 : x > y ? 1 : a.id < b.id ? -1 : 1) * dir;
  });
  const alarms = rows.filter((r) => r.alarm).length;
  const head = (key: SortKey, label: string) => {
    const next = sort === key && dir === 1 ? 'desc' : 'asc';
    const mark = sort === key ? (dir === 1 ? ' ▲' : ' ▼') : '';
    return html`<th data-key="${key}" aria-sort="${sort === key ? (dir === 1 ? 'ascending' : 'descending') : 'none'}"><a href="/${qs({ q: query.q, sort: key, dir: next })}">${label}${mark}</a></th>`;
  };
  const body = html`
<h1>Models</h1>
<p class="summary">${rows.length} model(s) in the watchlist in force${alarms ? html` · <strong class="alarm-text">${alarms} with a material change since sign-off</strong>` : ''}.</p>
<form class="filter" method="get" action="/" role="search">
<label for="q">Filter</label> <input id="q" name="q" type="search" value="${query.q ?? ''}" placeholder="name, license, family, drift…" autocomplete="off">
<input type="hidden" name="sort" value="${sort}"><input type="hidden" name="dir" value="${dir === 1 ? 'asc' : 'desc'}">
<button type="submit">Filter</button> <span class="count" id="count">${shown.length} shown</span>
</form>
<table class="models" id="models">
<thead><tr>${head('model', 'Model')}${head('license', 'License')}${head('commercial', 'Commercial use')}<th>Thresholds · declared usage</th>${opts.verdicts ? html`<th>Declared uses</th>` : ''}${head('drift', 'Since sign-off')}${head('checked', 'Last check')}${head('problems', 'Problems')}</tr></thead>
<tbody>
${shown.map((r) => row(r, opts))}
</tbody>
</table>
${shown.length === 0 ? html`<p class="empty">${rows.length === 0 ? 'The watchlist has no models yet.' : 'No model matches this filter.'}</p>` : ''}`;
  return page('Models', body, { script: true });
}

function row(r: OverviewRow, opts: { verdicts: boolean }): Html {
  const s = r.status;
  const href = `/models/${enc(r.id)}`;
  const d = driftKey(r);
  return html`<tr class="${r.alarm ? 'alarm' : ''}" data-filter="${haystack(r)}">
<td data-sort="${String(sortValue(r, 'model'))}"><a href="${href}"><strong>${r.name}</strong></a>${r.name !== r.id ? html`<br><code class="muted">${r.id}</code>` : ''}</td>
<td data-sort="${String(sortValue(r, 'license'))}">${s?.license ? html`${licenseName(s)}<br><span class="muted">${s.license.family}</span>` : html`<span class="muted">${s ? 'none identified' : 'not checked yet'}</span>`}</td>
<td data-sort="${String(sortValue(r, 'commercial'))}">${s ? tag(s.commercialUse === 'allowed' ? 'ok' : s.commercialUse === 'non-commercial' ? 'material' : s.commercialUse === 'restricted' ? 'warning' : 'other', s.commercialUse) : ''}</td>
<td>${thresholds(r)}</td>
${opts.verdicts ? html`<td>${verdictList(r.verdicts)}</td>` : ''}
<td data-sort="${String(sortValue(r, 'drift'))}">${drift(r, d)}</td>
<td data-sort="${String(sortValue(r, 'checked'))}">${s ? html`${when(s.lastCheckedAt)}<br>${tag(s.lastOutcome)}` : tag('never-checked', 'never checked')}</td>
<td data-sort="${String(problems(r))}">${problemList(r)}</td>
</tr>
`;
}

function thresholds(r: OverviewRow): Html {
  const list = r.status?.thresholds ?? [];
  const usage = r.watched?.usage ?? {};
  if (list.length === 0 && Object.keys(usage).length === 0) return html`<span class="muted">none</span>`;
  const metrics = new Set(list.map((t) => t.metric));
  return html`<ul class="plain">${list.map((t) => {
    const declared = usage[t.metric];
    return html`<li>${t.text}${declared !== undefined ? html` · <span class="declared">declared ${compact(declared)}</span>` : ''}</li>`;
  })}${Object.entries(usage).filter(([m]) => !metrics.has(m)).map(([m, v]) => html`<li class="muted">${m.replace(/_/g, ' ')}: declared ${compact(v)}, no threshold</li>`)}</ul>`;
}

function drift(r: OverviewRow, d: string): Html {
  const s = r.status;
  if (!s?.latestSignoff) return html`<span class="muted">no sign-off</span>`;
  const by = html`<br><span class="muted">${s.latestSignoff.by}</span><br><span class="muted nowrap">${s.latestSignoff.at.slice(0, 10)}</span>`;
  return html`${tag(d, d === 'none' ? 'no drift' : d)}${by}`;
}

function problemList(r: OverviewRow): Html {
  const s = r.status;
  const items: Html[] = [];
  for (const f of s?.failing ?? []) items.push(html`<li>${tag('failing', 'failing')} ${f.locator}</li>`);
  for (const g of s?.gone ?? []) items.push(html`<li>${tag(g.reason, g.reason === 'unlinked' ? 'unlinked' : 'gone')} ${g.locator}</li>`);
  if (r.findings) items.push(html`<li>${tag('warning', `${r.findings} finding(s)`)}</li>`);
  if (r.alerts.failed) items.push(html`<li>${tag('failed', `${r.alerts.failed} alert(s) failed`)}</li>`);
  return items.length ? html`<ul class="plain">${items}</ul>` : html`<span class="muted">none</span>`;
}

export function verdictList(v: Verdict[] | undefined): Html {
  if (!v || v.length === 0) return html`<span class="muted">no declared uses</span>`;
  const kind = (x: Verdict) => (x.verdict === 'allowed' ? 'ok' : x.verdict === 'not-allowed' ? 'material' : x.verdict === 'review' ? 'warning' : 'other');
  return html`<ul class="plain">${v.map((x) => html`<li>${tag(kind(x), x.verdict)} ${x.use}${x.reason ? html`<br><span class="muted">${x.reason}</span>` : ''}</li>`)}</ul>`;
}
