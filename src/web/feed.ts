import { createHash } from 'node:crypto';
import { html } from 'hono/html';
import { render, type AlertItem } from '../notify/render.js';
import { listChanges, type ChangeRow } from '../store/changes.js';
import type { DB } from '../store/db.js';
import { listDocuments } from '../store/documents.js';
import type { ModelRow } from '../store/models.js';
import { enc, qs } from './layout.js';
import { factChanges } from '../store/columns.js';

/** The site-wide feed keeps the newest entries only; a model's own feed has every change. */
export const SITE_FEED_MAX = 500;

/** A stable IRI from stable parts (the database's own ids and times): the same entry id across restarts. */
function urnFor(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `urn:uuid:${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

interface Entry {
  model: ModelRow;
  change: ChangeRow;
  doc: { locator: string; role: string; url: string };
}

/** RFC 4287: feed and entries with id, title, updated, author (on the feed, inherited), link rel=alternate. */
export function atomFeed(db: DB, origin: string, models: ModelRow[], opts: { modelId?: string }): string {
  const entries: Entry[] = [];
  for (const model of models) {
    const docs = new Map(listDocuments(db, model.id).map((d) => [d.id, d]));
    for (const change of listChanges(db, model.id)) {
      const d = change.document_id !== null ? docs.get(change.document_id) : undefined;
      entries.push({ model, change, doc: d ? { locator: d.locator, role: d.role, url: d.url } : { locator: 'model', role: 'model', url: '' } });
    }
  }
  entries.sort((a, b) => (a.change.detected_at < b.change.detected_at ? 1 : a.change.detected_at > b.change.detected_at ? -1 : b.change.id - a.change.id));
  const shown = opts.modelId ? entries : entries.slice(0, SITE_FEED_MAX);
  const one = opts.modelId ? models[0] : undefined;
  const self = one ? `${origin}/models/${enc(one.id)}/feed.atom` : `${origin}/feed.atom`;
  const alternate = one ? `${origin}/models/${enc(one.id)}` : `${origin}/`;
  const updated = shown[0]?.change.detected_at ?? one?.added_at ?? '1970-01-01T00:00:00.000Z';
  const feed = html`<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
<id>${urnFor('termdrift feed', one?.id ?? '*')}</id>
<title>${one ? `termdrift: ${one.name}` : 'termdrift: every change'}</title>
<subtitle>Changes to the license terms termdrift watches</subtitle>
<updated>${updated}</updated>
<author><name>termdrift</name></author>
<generator>termdrift</generator>
<link rel="self" type="application/atom+xml" href="${self}"/>
<link rel="alternate" type="text/html" href="${alternate}"/>
${shown.map((e) => entry(origin, e))}
</feed>
`;
  return String(feed);
}

function entry(origin: string, e: Entry): ReturnType<typeof html> {
  const c = e.change;
  const facts = factChanges(c);
  const item: AlertItem = { kind: 'change', changeKind: c.kind, severity: c.severity, doc: e.doc, summary: c.summary, facts, detectedAt: c.detected_at };
  const title = render({ key: `feed-${c.id}`, target: 'feed', model: { id: e.model.id, name: e.model.name }, items: [item] }).subject;
  const diffHref =
    c.document_id !== null && c.kind === 'text' ? `${origin}/models/${enc(e.model.id)}/diff${qs({ doc: e.doc.locator, change: c.id })}` : `${origin}/models/${enc(e.model.id)}`;
  // The content is HTML carried as text: built escaped once here, escaped again as XML text by the outer template.
  const content = String(html`<p>${c.summary}</p>${facts.length ? html`<ul>${facts.map((f) => html`<li>${f.summary}</li>`)}</ul>` : ''}<p><a href="${diffHref}">See the diff</a></p>`);
  return html`<entry>
<id>${urnFor('termdrift change', e.model.id, String(c.id), c.detected_at)}</id>
<title>${title}</title>
<updated>${c.detected_at}</updated>
<link rel="alternate" type="text/html" href="${diffHref}"/>
<category term="${c.severity}"/>
<content type="html">${content}</content>
</entry>
`;
}

