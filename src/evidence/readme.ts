import { licenseLabel, metricLabel, thresholdText, type Facts } from '../terms/index.js';
import { absentWords, type AbsentReason } from './asof.js';
import type { Manifest, ManifestDocument } from './manifest.js';

/** The bundle's README.txt: what an auditor reads first. Built only from the manifest, so it is as repeatable. */
export function renderReadme(m: Manifest): string {
  const title = `Evidence bundle: ${m.model.name} (${m.model.id})`;
  const out: string[] = [title, '='.repeat(title.length), ''];
  out.push(...selectionLines(m), '');
  out.push(
    'Produced by termdrift from its database. manifest.json lists every file with its SHA-256, and each',
    "document's source URL, upstream revision, first-seen and last-confirmed times and analysed facts.",
    'Check this folder against it with:  termdrift verify <this folder>',
    '',
  );
  for (const [i, d] of m.documents.entries()) out.push(...documentLines(i, d), '');
  if (m.absent.length) {
    out.push('Watched but not in force at that time:');
    for (const a of m.absent) out.push(`  - ${a.role}: ${a.url} (${a.since ? `left the terms at ${a.since}: ` : ''}${absentWords(a.reason as AbsentReason)})`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function selectionLines(m: Manifest): string[] {
  const s = m.signoff;
  const signed = s ? `Sign-off #${s.id} by ${s.by} on ${s.at}, covering the terms in force at ${s.asOf}${s.note ? `\nNote: ${s.note}` : ''}` : null;
  switch (m.selection.kind) {
    case 'signoff':
      return [`The terms relied on: exactly the ${m.documents.length} document version(s) of sign-off #${m.selection.signoffId}.`, signed!];
    case 'as-of':
      return [`The terms in force at ${m.selection.asOf}.`, signed ? `Latest sign-off at that time: ${signed}` : 'No sign-off had been recorded by then.'];
    case 'latest':
      return ['The current terms (the latest version of every document).', signed ? `Latest sign-off: ${signed}` : 'No sign-off has been recorded.'];
  }
}

function documentLines(i: number, d: ManifestDocument): string[] {
  const v = d.version;
  const out = [
    `${i + 1}. ${d.role}: ${d.url}`,
    `   Version ${v.number}, first seen ${v.firstSeenAt}, last confirmed ${v.lastConfirmedAt}, ${v.supersededAt ? `superseded ${v.supersededAt}` : 'still current when exported'}.`,
  ];
  if (v.revision) out.push(`   Upstream revision: ${v.revision}`);
  if (d.discoveredFrom) out.push(`   Linked from: ${d.discoveredFrom}`);
  out.push(`   Text:       ${d.text.file}  sha256 ${d.text.sha256}`, `   As fetched: ${d.raw.file}  sha256 ${d.raw.sha256}`);
  out.push(`   ${d.signedOff ? 'Covered by the sign-off above.' : 'Not covered by the sign-off above.'}`, '', ...factLines(d.facts));
  return out;
}

const quote = (s: string): string => `"${s.replace(/\s+/g, ' ').trim()}"`;

function factLines(f: Facts): string[] {
  const l = f.license;
  const out = [
    `   License: ${licenseLabel(l)}${l ? ` (family: ${l.family}; identified by ${l.matcher}, confidence ${l.confidence.toFixed(2)})` : ''}`,
    `   Commercial use: ${f.commercialUse}`,
  ];
  if (f.version || f.effectiveDate) out.push(`   Version: ${f.version ?? 'not stated'}; effective date: ${f.effectiveDate ?? 'not stated'}`);
  out.push(`   Thresholds:${f.thresholds.length ? '' : ' none found'}`);
  for (const t of f.thresholds) out.push(`     - ${metricLabel(t.metric)} ${thresholdText(t, true)}${t.period ? ` per ${t.period}` : ''}`, `       ${quote(t.evidence)}`);
  out.push(`   Clauses:${f.clauses.length ? '' : ' none found'}`);
  for (const c of f.clauses) out.push(`     - ${c.kind}: ${c.summary}`, `       ${quote(c.evidence)}`);
  if (f.references.length) {
    out.push('   Referenced terms:');
    for (const r of f.references) out.push(`     - ${r.role}: ${r.url}`);
  }
  return out;
}
