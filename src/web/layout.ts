import { html } from 'hono/html';

/** A fragment of HTML built by hono's `html` tag: every interpolated string is escaped, nested fragments are not. */
export type Html = ReturnType<typeof html>;

/** The one page frame: no inline script or style (the CSP forbids both), one stylesheet, one optional script. */
export function page(title: string, body: Html, opts: { script?: boolean; crumbs?: { href?: string; label: string }[] } = {}): Html {
  const crumbs = opts.crumbs ?? [];
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · termdrift</title>
<link rel="stylesheet" href="/assets/style.css">
<link rel="alternate" type="application/atom+xml" title="termdrift: every change" href="/feed.atom">
${opts.script ? html`<script src="/assets/table.js" defer></script>` : ''}
</head>
<body>
<header class="top"><a class="brand" href="/">termdrift</a>
<nav><a href="/">Models</a> <a href="/alerts">Alerts</a> <a href="/feed.atom">Feed</a></nav></header>
${crumbs.length ? html`<p class="crumbs">${crumbs.map((c, i) => html`${i ? ' / ' : ''}${c.href ? html`<a href="${c.href}">${c.label}</a>` : c.label}`)}</p>` : ''}
<main>
${body}
</main>
<footer>termdrift is read-only here: every page comes from the worker's database. Dates are UTC.</footer>
</body>
</html>`;
}

/** A severity or outcome as a coloured tag; the class names are a closed list, never taken from stored text. */
export function tag(kind: string | null | undefined, text?: string): Html {
  const known = ['material', 'wording', 'cosmetic', 'none', 'ok', 'failing', 'never-checked', 'gone', 'unlinked', 'sent', 'pending', 'sending', 'failed', 'warning', 'info', 'added', 'changed', 'unchanged', 'no-signoff', 'drifted'];
  const cls = kind && known.includes(kind) ? kind : 'other';
  return html`<span class="tag tag-${cls}">${text ?? kind ?? '—'}</span>`;
}

/** "2026-03-01 12:00" from an ISO time (UTC), with the full time as a tooltip. */
export function when(iso: string | null | undefined): Html {
  if (!iso) return html`<span class="muted">—</span>`;
  return html`<time datetime="${iso}" title="${iso}">${iso.slice(0, 16).replace('T', ' ')}</time>`;
}

/** A link to an upstream address: never sends a referrer, never gets a handle on this window. */
export function outLink(url: string, label?: string): Html {
  return /^https?:\/\//i.test(url) ? html`<a href="${url}" rel="noreferrer noopener external">${label ?? url}</a>` : html`<span>${label ?? url}</span>`;
}

export function qs(params: Record<string, string | number | null | undefined>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

export const enc = encodeURIComponent;
