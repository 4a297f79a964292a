/** Verdicts as sentences a reviewer reads (analyze, brief, status, gate share these words). */
import type { Verdict } from '../terms/uses.js';

const quote = (s: string, max = 300): string => {
  const one = s.replace(/\s+/g, ' ').trim();
  return `“${one.length > max ? `${one.slice(0, max)}…` : one}”`;
};

const where = (e: { document: string; version: number | null; start: number; end: number }) =>
  `[${e.document}${e.version !== null ? ` version ${e.version}` : ''}, ${e.start}–${e.end}]`;

export function verdictLines(vs: Verdict[], indent = ''): string[] {
  const out: string[] = [];
  for (const v of vs) {
    out.push(`${indent}${v.use}: ${v.verdict.toUpperCase()} — ${v.reason}`);
    if (v.ask) out.push(`${indent}  ask: ${v.ask}`);
    for (const e of v.evidence.slice(0, 2)) out.push(`${indent}  evidence ${where(e)} ${quote(e.text)}`);
    for (const c of v.conditions) out.push(`${indent}  condition (${c.kind}): ${c.summary} ${where(c.evidence)} ${quote(c.evidence.text, 200)}`);
  }
  return out;
}
