import { html } from 'hono/html';
import type { TermsProvenance } from '../cli/terms.js';
import { getText } from '../store/blobs.js';
import type { DB } from '../store/db.js';
import type { DocumentRow } from '../store/documents.js';
import type { VersionWithSize } from '../store/versions.js';
import { enc, outLink, page, qs, when, type Html } from './layout.js';

/** The text in force at a moment, as text in a <pre> (never as HTML), with where it came from. */
export function termsPage(
  db: DB,
  model: { id: string; name: string },
  docs: DocumentRow[],
  doc: DocumentRow,
  found: { version: VersionWithSize; provenance: TermsProvenance } | { error: string },
  asOfInput: string,
): Html {
  const base = `/models/${enc(model.id)}`;
  const picker = html`<form class="picker" method="get" action="${base}/terms">
<label>Document <select name="doc">${docs.map((d) => html`<option value="${d.locator}" ${d.id === doc.id ? 'selected' : ''}>${d.role} · ${d.locator}</option>`)}</select></label>
<label>In force at <input name="as_of" value="${asOfInput}" placeholder="2026-03-01 or 2026-03-01T12:00Z" size="24"></label>
<button type="submit">Show</button> <span class="muted">UTC unless an offset is given; empty = now.</span>
</form>`;
  let content: Html;
  if ('error' in found) {
    content = html`<p class="notice error" role="status">${found.error}</p>`;
  } else {
    const p = found.provenance;
    const raw = `${base}/terms${qs({ doc: doc.locator, as_of: p.asOf, raw: 1 })}`;
    content = html`<dl class="provenance">
<dt>Document</dt><dd>${p.role} <code>${p.locator}</code></dd>
<dt>URL</dt><dd>${outLink(p.url)}</dd>
<dt>As of</dt><dd>${when(p.asOf)}</dd>
<dt>Version</dt><dd>#${p.version} · first seen ${when(p.firstSeenAt)} · last confirmed ${when(p.lastConfirmedAt)}${p.supersededAt ? html` · superseded ${when(p.supersededAt)}` : html` · still current`}</dd>
<dt>Upstream revision</dt><dd>${p.revision ? html`<code>${p.revision}</code>` : html`<span class="muted">none (a plain page)</span>`}</dd>
<dt>SHA-256 (text)</dt><dd><code>${p.sha256}</code></dd>
<dt>SHA-256 (raw bytes)</dt><dd><code>${p.rawSha256}</code> · ${p.mediaType} · <a href="${raw}">raw bytes</a> (downloaded as a file, never rendered)</dd>
</dl>
<pre class="text" id="terms-text">${getText(db, found.version.text_sha256)}</pre>`;
  }
  const body = html`<h1>${model.name}: terms in force</h1>${picker}${content}`;
  return page(`${model.name} terms`, body, { crumbs: [{ href: '/', label: 'Models' }, { href: base, label: model.name }, { label: 'terms' }] });
}
