import { html } from 'hono/html';
import type { deliveryJson } from '../cli/alerts.js';
import { enc, page, qs, tag, when, type Html } from './layout.js';

type Delivery = ReturnType<typeof deliveryJson>;

/** Deliveries newest first, system alerts (about termdrift itself) in their own table. */
export function alertsPage(rows: Delivery[], system: Delivery[], query: { status?: string }): Html {
  const filters = ['', 'pending', 'sending', 'sent', 'failed'];
  const body = html`<h1>Alerts</h1>
<p class="filters">${filters.map((s) => html`${(query.status ?? '') === s ? html`<strong>${s || 'all'}</strong>` : html`<a href="/alerts${qs({ status: s })}">${s || 'all'}</a>`} `)}</p>
${table(rows, 'No alert delivery yet.')}
<h2>About termdrift itself</h2>
${table(system, 'No system alert (broken watchlist edits, overdue checks) yet.')}`;
  return page('Alerts', body);
}

function table(rows: Delivery[], empty: string): Html {
  if (rows.length === 0) return html`<p class="empty">${empty}</p>`;
  return html`<table class="alerts"><thead><tr><th>#</th><th>State</th><th>Raised</th><th>Model</th><th>What</th><th>Channel</th><th>Delivery</th></tr></thead><tbody>
${rows.map((r) => html`<tr><td>${r.id}</td><td>${tag(r.status === 'pending' && r.attempts > 0 ? 'pending' : r.status, r.status === 'pending' ? 'waiting' : r.status)}</td><td>${when(r.createdAt)}</td>
<td>${r.model ? html`<a href="/models/${enc(r.model)}">${r.model}</a>` : html`<span class="muted">termdrift</span>`}</td>
<td>${r.severity ? tag(r.severity) : ''} ${r.summary ?? r.kind}</td><td>${r.channel} <span class="muted">${r.target}</span></td>
<td>${r.status === 'sent' ? html`sent ${when(r.sentAt)}` : r.attempts ? `${r.attempts} attempt(s)` : ''}${r.lastError && r.status !== 'sent' ? html`<br><span class="error-text">${r.lastError}</span>` : ''}${r.nextAttemptAt ? html`<br><span class="muted">next attempt ${when(r.nextAttemptAt)}</span>` : ''}</td></tr>`)}
</tbody></table>`;
}
