/** The brief as Markdown (the canonical page), plain text and a self-contained HTML page. */
import type { VerdictEvidence } from '../terms/uses.js';
import type { Brief, BriefItem } from './brief.js';

const one = (s: string, max = 400) => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};
const cite = (e: VerdictEvidence) => `${e.document}${e.version !== null ? ` v${e.version}` : ''} [${e.start}–${e.end}]: “${one(e.text, 300)}”`;

function items(list: BriefItem[], none: string): string[] {
  if (!list.length) return [`- ${none}`];
  return list.flatMap((i) => [`- ${i.summary}`, ...i.evidence.slice(0, 1).map((e) => `  > ${cite(e)}`)]);
}

export function briefMarkdown(b: Brief): string {
  const l = b.license;
  const out: string[] = [`# ${b.model.name}: terms brief${b.asOf ? ` as of ${b.asOf}` : ''}`, ''];
  out.push('## 1. License', `- ${l.name}${l.version && !l.name.includes(l.version) ? ` (version ${l.version})` : ''}; family ${l.family}; ${l.kind}${l.spdx ? ` (SPDX ${l.spdx})` : ''}${l.document ? `; read from ${l.document}` : ''}`, '');
  out.push('## 2. Commercial use', `- ${b.commercialUse.status}`, ...items(b.commercialUse.by, 'no restriction found').filter((x) => !/^- no restriction/.test(x) || b.commercialUse.by.length === 0), '');
  out.push('## 3. Use-case limits', ...items(b.useLimits.prohibited, 'no prohibited uses found'), ...items(b.useLimits.policies, 'no policy incorporated by reference'), '');
  out.push('## 4. Scale thresholds');
  if (!b.thresholds.length) out.push('- none');
  for (const t of b.thresholds) out.push(`- ${t.summary}${t.line ? `: declared ${t.line}` : ': no usage declared for it'}`, ...t.evidence.slice(0, 1).map((e) => `  > ${cite(e)}`));
  out.push('', '## 5. Derivative obligations', ...items(b.derivatives, 'none found'), '');
  out.push('## 6. Output terms', ...items(b.outputs, 'the terms say nothing about outputs'), '');
  out.push('## 7. Your uses');
  if (!b.uses.length) out.push('- no uses declared (add `uses:` to the model in the watchlist)');
  for (const v of b.uses) {
    out.push(`- **${v.use}: ${v.verdict.toUpperCase()}**: ${one(v.reason)}`);
    if (v.ask) out.push(`  - ask: ${v.ask}`);
    for (const e of v.evidence.slice(0, 1)) out.push(`  > ${cite(e)}`);
    for (const c of v.conditions) out.push(`  - condition (${c.kind}): ${c.summary}`, `    > ${cite(c.evidence)}`);
  }
  out.push('', '## 8. Record');
  for (const d of b.record.documents) out.push(`- ${d.role} ${d.locator}: version ${d.version}, SHA-256 ${d.sha256}, first seen ${d.firstSeenAt} (${d.url})`);
  const s = b.record.signoff;
  out.push(s ? `- latest sign-off ${s.id}: ${s.by} on ${s.at.slice(0, 10)}${s.note ? ` ("${one(s.note, 200)}")` : ''}` : '- no sign-off yet');
  if (b.record.drift) out.push(b.record.drift.severity ? `- drift since the sign-off (${b.record.drift.severity}):` : '- no drift since the sign-off', ...b.record.drift.changes.map((c) => `  - ${c}`));
  return `${out.join('\n')}\n`;
}

export function briefText(b: Brief): string {
  return briefMarkdown(b).replace(/^#+ /gm, '').replace(/\*\*/g, '').replace(/`/g, '');
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Every line of the Markdown, escaped: upstream text is quoted, never interpreted as markup. */
export function briefHtml(b: Brief): string {
  const body: string[] = [];
  let open = false;
  for (const line of briefMarkdown(b).split('\n')) {
    const h = /^(#+) (.*)$/.exec(line);
    if (h) {
      if (open) body.push('</ul>');
      open = false;
      body.push(`<h${h[1]!.length}>${esc(h[2]!)}</h${h[1]!.length}>`);
    } else if (line.trim()) {
      if (!open) body.push('<ul>');
      open = true;
      const quote = /^\s*> (.*)$/.exec(line);
      const text = line.replace(/^\s*(?:- |> )/, '');
      body.push(quote ? `<blockquote>${esc(quote[1]!)}</blockquote>` : `<li${/^\s{2,}/.test(line) ? ' class="sub"' : ''}>${esc(text).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')}</li>`);
    }
  }
  if (open) body.push('</ul>');
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${esc(b.model.name)}: terms brief</title>\n<style>body{font:14px/1.4 system-ui,sans-serif;max-width:60em;margin:2em auto}blockquote{color:#444;border-left:3px solid #ccc;margin:.2em 0 .4em 1em;padding-left:.6em}.sub{margin-left:1.5em}</style></head>\n<body>\n${body.join('\n')}\n</body></html>\n`;
}
