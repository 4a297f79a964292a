import { html } from 'hono/html';
import type { ModelStatus } from '../evidence/status.js';
import { listChanges, changeForVersion } from '../store/changes.js';
import type { DB } from '../store/db.js';
import { listDocuments } from '../store/documents.js';
import { activeFindings } from '../store/findings.js';
import { listSignoffs } from '../store/signoffs.js';
import { listVersions } from '../store/versions.js';
import { verdictList } from './overview.js';
import { enc, outLink, page, qs, tag, when, type Html } from './layout.js';
import type { Verdict } from './verdicts.js';
import { factChanges } from '../store/columns.js';

export interface SignoffForm {
  enabled: boolean;
  /** The browser already holds the session cookie: the form does not ask for the token again. */
  hasSession: boolean;
  csrf: string;
  /** Shown above the form after a POST. */
  notice?: { ok: boolean; text: string };
}

/** The fact changes a change record carries, in plain words (stored by the check that detected it). */
export function factLines(change: { facts_delta_json: string }): string[] {
  return factChanges(change).map((d) => d.summary).filter(Boolean);
}

export function modelPage(db: DB, status: ModelStatus, form: SignoffForm, verdicts: Verdict[] | undefined): Html {
  const id = status.id;
  const base = `/models/${enc(id)}`;
  const docs = listDocuments(db, id);
  const signoffs = listSignoffs(db, id).reverse();
  const findings = activeFindings(db, id);
  const departures = new Map<number, string>();
  for (const c of listChanges(db, id)) if (c.document_id !== null && (c.kind === 'gone' || c.kind === 'unlinked')) departures.set(c.document_id, `${c.kind === 'gone' ? 'gone' : 'no longer linked'} since ${c.detected_at}`);
  const lic = status.license;
  const drift = status.drift;
  const body = html`
<h1>${status.name}</h1>
<p class="summary"><code>${id}</code> · ${lic ? html`${lic.spdx ?? lic.name ?? lic.id} (${lic.family})` : 'no license identified'} · commercial use: ${status.commercialUse}
${status.removedAt ? html` · ${tag('gone', `removed from the watchlist ${status.removedAt.slice(0, 10)}`)}` : ''}</p>
<p class="actions"><a class="button" href="${base}/terms">Current terms</a> <a class="button" href="${base}/diff">Latest diff</a>
${status.latestSignoff ? html`<a class="button" href="${base}/diff${qs({ since: 'signoff' })}">Diff since the latest sign-off</a>` : ''}
<a class="button" href="${base}/export">Export evidence (zip)</a> <a href="${base}/feed.atom">Feed</a> <a href="/api/v1/models/${enc(id)}">JSON</a></p>
${drift.status === 'drifted' ? html`<div class="banner ${drift.severity === 'material' ? 'alarm' : ''}">${tag(drift.severity)} ${drift.line}
<ul>${drift.documents.filter((d) => d.status !== 'unchanged').map((d) => html`<li>${d.role} <code>${d.locator}</code>: ${d.signed && d.current ? `version ${d.signed.number} → ${d.current.number}` : d.status}${d.changes.length ? html`<ul>${d.changes.map((c) => html`<li>${c.summary}</li>`)}</ul>` : ''}</li>`)}</ul></div>`
    : drift.status === 'none' ? html`<div class="banner ok">No drift: the current terms are the ones signed off by ${status.latestSignoff!.by} on ${status.latestSignoff!.at.slice(0, 10)}.</div>` : ''}
${verdicts ? html`<section><h2>Declared uses</h2>${verdictList(verdicts)}</section>` : ''}
${status.thresholds.length ? html`<section><h2>Thresholds</h2><ul>${status.thresholds.map((t) => html`<li>${t.text} <q>${t.evidence}</q></li>`)}</ul></section>` : ''}
${findings.length ? html`<section><h2>Open findings</h2><ul>${findings.map((f) => html`<li>${tag('warning', f.kind)} ${f.summary} <span class="muted">since ${f.first_seen_at.slice(0, 10)}</span></li>`)}</ul></section>` : ''}
<section><h2>Documents</h2>
${docs.length === 0 ? html`<p class="empty">No document stored yet.</p>` : ''}
${docs.map((d) => {
  const versions = listVersions(db, d.id);
  const loc = enc(d.locator);
  return html`<article class="doc">
<h3>${d.role} <code>${d.locator}</code></h3>
<p>${outLink(d.url)}${d.discovered_from ? html` · discovered from <code>${d.discovered_from}</code>` : ''}
${departures.has(d.id) && d.gone_at ? html` · ${tag('gone', departures.get(d.id)!)}` : ''}
${d.last_outcome === 'error' ? html` · ${tag('failing', 'last check failed')} ${d.last_reason ?? ''}` : ''}</p>
<p class="muted">last checked ${when(d.last_checked_at)} · <a href="${base}/terms${qs({ doc: d.locator })}">text</a>${versions.length > 1 ? html` · <a href="${base}/diff${qs({ doc: d.locator })}">latest diff</a>` : ''}</p>
<ol class="timeline" reversed>
${[...versions].reverse().map((v) => {
  const n = versions.indexOf(v) + 1;
  const change = changeForVersion(db, v.id);
  const facts = change ? factLines(change) : [];
  return html`<li>
<div class="when"><strong>#${n}</strong> first seen ${when(v.first_seen_at)} · last confirmed ${when(v.last_confirmed_at)}</div>
<div>${change ? html`${tag(change.severity)} ${change.summary}` : html`<span class="muted">${n === 1 ? 'first version seen' : 'no change record'}</span>`}
${facts.length ? html`<ul class="facts">${facts.map((f) => html`<li>${f}</li>`)}</ul>` : ''}</div>
<div class="links"><a href="${base}/terms${qs({ doc: d.locator, as_of: v.first_seen_at })}">text</a>${n > 1 ? html` · <a href="${base}/diff?doc=${loc}&amp;from=${n - 1}&amp;to=${n}">diff with #${n - 1}</a>` : ''} · <code title="SHA-256 of the text">${v.text_sha256.slice(0, 12)}</code></div>
</li>`;
})}
</ol>
</article>`;
})}
</section>
<section><h2>Sign-offs</h2>
${signoffs.length === 0 ? html`<p class="empty">No sign-off yet.</p>` : html`<table><thead><tr><th>#</th><th>By</th><th>Recorded</th><th>Terms in force at</th><th>Note</th><th></th></tr></thead><tbody>
${signoffs.map((s) => html`<tr><td>${s.id}</td><td>${s.by}</td><td>${when(s.at)}</td><td>${when(s.as_of)}</td><td>${s.note ?? ''}</td><td><a href="${base}/export${qs({ signoff: s.id })}">export</a></td></tr>`)}
</tbody></table>`}
${signoffForm(id, form)}
</section>`;
  return page(status.name, body, { crumbs: [{ href: '/', label: 'Models' }, { label: status.name }] });
}

function signoffForm(id: string, form: SignoffForm): Html {
  const notice = form.notice ? html`<p class="notice ${form.notice.ok ? 'ok' : 'error'}" role="status">${form.notice.text}</p>` : '';
  if (!form.enabled) {
    return html`${notice}<p class="muted" id="signoff-disabled">Sign-off from the browser is off: the dashboard is read-only. Set <code>TERMDRIFT_UI_TOKEN</code> in the worker's environment to enable it, or record one with <code>termdrift rely ${id} --by NAME</code>.</p>`;
  }
  return html`${notice}<form class="signoff" method="post" action="/models/${enc(id)}/signoff">
<h3>Sign off these terms</h3>
<p class="muted">Records exactly what <code>termdrift rely</code> records: who, why, and the versions of every document in force now.</p>
<input type="hidden" name="csrf" value="${form.csrf}">
<label>Signed off by <input name="by" required maxlength="200" autocomplete="name"></label>
<label>Note <input name="note" maxlength="2000" placeholder="e.g. approved for the support-bot launch"></label>
${form.hasSession ? '' : html`<label>Dashboard token <input name="token" type="password" required autocomplete="current-password"></label>`}
<button type="submit">Sign off these terms</button>
</form>`;
}
