import { diffLines, diffWordsWithSpace, type ChangeObject } from 'diff';
import { html } from 'hono/html';
import { versionFacts } from '../evidence/facts.js';
import type { ModelStatus } from '../evidence/status.js';
import { getText } from '../store/blobs.js';
import { changeForVersion } from '../store/changes.js';
import type { DB } from '../store/db.js';
import type { DocumentRow } from '../store/documents.js';
import type { VersionWithSize } from '../store/versions.js';
import { compare } from '../terms/index.js';
import { enc, page, qs, tag, when, type Html } from './layout.js';
import { factLines } from './model.js';

/** Lines of context kept around each change; longer unchanged runs fold into one "… N unchanged lines" row. */
const CONTEXT = 3;
/** Past this many characters a changed line pair is shown whole, without word marks (bounded work per request). */
const WORD_DIFF_MAX = 4000;

export function diffPage(db: DB, status: ModelStatus, doc: DocumentRow, versions: VersionWithSize[], from: VersionWithSize, to: VersionWithSize): Html {
  const base = `/models/${enc(status.id)}`;
  const n = (v: VersionWithSize) => versions.indexOf(v) + 1;
  const oldText = getText(db, from.text_sha256);
  const newText = getText(db, to.text_sha256);
  const adjacent = n(to) === n(from) + 1 ? changeForVersion(db, to.id) : undefined;
  let severity: string | null;
  let facts: string[];
  if (adjacent) {
    severity = adjacent.severity;
    facts = factLines(adjacent);
  } else if (from === to) {
    severity = null;
    facts = [];
  } else {
    // Any two versions: the net fact changes between them, by the same comparison a check makes.
    const c = compare(oldText, newText, versionFacts(db, from, doc), versionFacts(db, to, doc));
    severity = c.severity;
    facts = c.changes.map((x) => x.summary);
  }
  const signed = status.drift.documents.find((d) => d.locator === doc.locator)?.signed;
  const picker = html`<form class="picker" method="get" action="${base}/diff">
<input type="hidden" name="doc" value="${doc.locator}">
<label>From <select name="from">${versions.map((v, i) => html`<option value="${i + 1}" ${v === from ? 'selected' : ''}>#${i + 1} · ${v.first_seen_at.slice(0, 10)}</option>`)}</select></label>
<label>To <select name="to">${versions.map((v, i) => html`<option value="${i + 1}" ${v === to ? 'selected' : ''}>#${i + 1} · ${v.first_seen_at.slice(0, 10)}</option>`)}</select></label>
<button type="submit">Compare</button>
${signed ? html` <a href="${base}/diff${qs({ doc: doc.locator, since: 'signoff' })}">since the latest sign-off (#${signed.number})</a>` : ''}
</form>`;
  const body = html`
<h1>${status.name}: what changed</h1>
<p class="summary">${doc.role} <code>${doc.locator}</code> · version #${n(from)} (${when(from.first_seen_at)}) → #${n(to)} (${when(to.first_seen_at)})</p>
${picker}
<section class="facts-first"><h2>Fact changes ${severity ? tag(severity) : ''}</h2>
${from === to ? html`<p class="empty">The same version on both sides.</p>` : facts.length ? html`<ul class="facts">${facts.map((f) => html`<li>${f}</li>`)}</ul>` : html`<p class="muted">No fact changed: ${severity === 'cosmetic' ? 'only whitespace or formatting moved' : 'the wording changed, not the terms the analyser reads'}.</p>`}
</section>
<section><h2>Changed passages</h2>
${from === to ? '' : passages(oldText, newText)}
<p class="muted"><a href="${base}/terms${qs({ doc: doc.locator, as_of: from.first_seen_at })}">text of #${n(from)}</a> · <a href="${base}/terms${qs({ doc: doc.locator, as_of: to.first_seen_at })}">text of #${n(to)}</a></p>
</section>`;
  return page(`${status.name} diff`, body, { crumbs: [{ href: '/', label: 'Models' }, { href: base, label: status.name }, { label: 'diff' }] });
}

type Row = { kind: 'same'; a: string; b: string } | { kind: 'change'; a: string | null; b: string | null } | { kind: 'fold'; count: number };

/** Old and new side by side (stacked into one column on narrow screens by the stylesheet), words marked. */
function passages(oldText: string, newText: string): Html {
  const parts = diffLines(oldText, newText, { timeout: 2000 }) as ChangeObject<string>[] | undefined;
  if (!parts) return html`<p class="empty">The two versions are too different to compare in bounded time; open both texts instead.</p>`;
  const rows: Row[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    const lines = splitLines(p.value);
    if (!p.added && !p.removed) {
      for (const l of lines) rows.push({ kind: 'same', a: l, b: l });
      continue;
    }
    // A removal followed by an addition is one edit: pair their lines so word marks show what moved.
    const removed = p.removed ? lines : [];
    const next = parts[i + 1];
    const added = p.added ? lines : next?.added ? (i++, splitLines(next.value)) : [];
    for (let k = 0; k < Math.max(removed.length, added.length); k++) rows.push({ kind: 'change', a: removed[k] ?? null, b: added[k] ?? null });
  }
  const folded = fold(rows);
  if (!folded.some((r) => r.kind === 'change')) return html`<p class="muted">The texts are identical.</p>`;
  return html`<table class="diff"><thead><tr><th class="num">old</th><th>Old text</th><th class="num">new</th><th>New text</th></tr></thead><tbody>
${numbered(folded).map((r) => rowHtml(r))}
</tbody></table>`;
}

function splitLines(s: string): string[] {
  const lines = s.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

function fold(rows: Row[]): Row[] {
  const keep = rows.map(() => false);
  rows.forEach((r, i) => {
    if (r.kind !== 'change') return;
    for (let k = Math.max(0, i - CONTEXT); k <= Math.min(rows.length - 1, i + CONTEXT); k++) keep[k] = true;
  });
  const out: Row[] = [];
  for (let i = 0; i < rows.length; i++) {
    if (keep[i]) out.push(rows[i]!);
    else {
      const last = out.at(-1);
      if (last?.kind === 'fold') last.count++;
      else out.push({ kind: 'fold', count: 1 });
    }
  }
  return out;
}

type NumberedRow = Row & { na?: number; nb?: number };

function numbered(rows: Row[]): NumberedRow[] {
  let a = 0;
  let b = 0;
  return rows.map((r) => {
    if (r.kind === 'fold') {
      a += r.count;
      b += r.count;
      return r;
    }
    const na = r.a !== null ? ++a : undefined;
    const nb = r.b !== null ? ++b : undefined;
    return { ...r, na, nb };
  });
}

function rowHtml(r: NumberedRow): Html {
  if (r.kind === 'fold') return html`<tr class="fold"><td colspan="4">… ${r.count} unchanged line(s)</td></tr>`;
  if (r.kind === 'same') return html`<tr><td class="num">${r.na}</td><td class="same">${r.a}</td><td class="num">${r.nb}</td><td class="same">${r.b}</td></tr>`;
  const [a, b] = marked(r.a, r.b);
  return html`<tr class="changed"><td class="num">${r.na ?? ''}</td><td class="${r.a === null ? 'blank' : 'del'}">${a}</td><td class="num">${r.nb ?? ''}</td><td class="${r.b === null ? 'blank' : 'ins'}">${b}</td></tr>`;
}

/** Word-level marks: <del> for words only in the old line, <ins> for words only in the new one. */
function marked(a: string | null, b: string | null): [Html | string, Html | string] {
  if (a === null || b === null || a.length + b.length > WORD_DIFF_MAX) return [a ?? '', b ?? ''];
  const parts = diffWordsWithSpace(a, b);
  return [
    html`${parts.filter((p) => !p.added).map((p) => (p.removed ? html`<del>${p.value}</del>` : p.value))}`,
    html`${parts.filter((p) => !p.removed).map((p) => (p.added ? html`<ins>${p.value}</ins>` : p.value))}`,
  ];
}
