/**
 * One reading of a model's documents in force, for the verdict rules: which license governs, whether it is a
 * standard (SPDX) license, and every clause, threshold and reference with the document it came from.
 */
import { cardLicense } from './facts.js';
import { findInconsistencies } from './consistency.js';
import type { Clause, Facts, LicenseIdentity, Reference, Threshold } from './types.js';
import type { VerdictEvidence } from './uses-vocabulary.js';

/** One document in force: its facts and, when the caller has them, its text and place in history. */
export interface DocumentFacts {
  locator: string;
  role: string;
  facts: Facts;
  version?: { number: number; sha256?: string; firstSeenAt?: string } | null;
  /** The analysed text; lets the rules quote a grant that is not a clause. */
  text?: string;
}

/**
 * The provision-level facts of analyzers from `terms-2` on (see docs/terms.md), read structurally so facts stored
 * by earlier analyzers, which have none, read the same as before.
 */
interface ProvisionLike {
  evidence: string;
  start: number;
  end: number;
  operative: boolean;
  kinds: Clause['kind'][];
  polarity: 'permits' | 'forbids' | 'requires' | null;
  params: { territories?: string[] };
}

/**
 * An operative provision that forbids (a territory excluded, hosting or distribution prohibited) read as a clause of
 * each of its kinds, unless a clause rule already reported that sentence: polarity comes from the provision reader.
 */
function provisionClauses(facts: Facts): Clause[] {
  const provisions = (facts as Facts & { provisions?: ProvisionLike[] }).provisions ?? [];
  const seen = new Set(facts.clauses.map((c) => `${c.kind}@${c.start}`));
  const out: Clause[] = [];
  for (const p of provisions) {
    if (!p.operative || p.polarity !== 'forbids') continue;
    for (const kind of p.kinds) {
      if (!['territory', 'hosted-service', 'redistribution', 'non-commercial', 'output-use'].includes(kind) || seen.has(`${kind}@${p.start}`)) continue;
      const params = kind === 'territory' && p.params.territories?.length ? { territories: p.params.territories } : undefined;
      out.push({ kind, summary: `a provision forbids: ${kind}`, evidence: p.evidence, start: p.start, end: p.end, rule: 'provision-forbids', ...(params ? { params } : {}) });
    }
  }
  return out;
}

export interface Located<T> {
  item: T;
  doc: DocumentFacts;
}

export interface Reading {
  license: LicenseIdentity | null;
  licenseDoc: DocumentFacts | null;
  /** A license named by its SPDX text match (or, with no license text, a card's SPDX id). */
  standard: boolean;
  nonCommercial: boolean;
  commercialUse: Facts['commercialUse'];
  clauses: Located<Clause>[];
  thresholds: Located<Threshold>[];
  references: Located<Reference>[];
  /** A sentence that grants rights (for evidence when no clause says more). */
  grant: VerdictEvidence | null;
  /** The card names a different license than the license text: the terms contradict each other. */
  contradiction: { summary: string; card: LicenseIdentity } | null;
}

export function evidenceOf(doc: DocumentFacts, span: { evidence: string; start: number; end: number }): VerdictEvidence {
  return { text: span.evidence, start: span.start, end: span.end, document: doc.locator, version: doc.version?.number ?? null };
}

const GRANT = /\b(?:hereby\s+)?grants?\s+(?:to\s+)?(?:you|licensee|the\s+licensee|recipients?)\b[^.]{0,300}\b(?:licen[cs]e|right)|\bpermission\s+is\s+hereby\s+granted\b|\byou\s+(?:are|is)\s+(?:hereby\s+)?granted\b|\bhereby\s+licen[cs]es\b/i;
// A safety net under the clause rules: "only may be used non-commercially", "for non-commercial purposes only". Missing
// a non-commercial limit would answer yes where the answer is no, the one error a verdict must not make.
const NC_ONLY = /\b(?:only|solely|exclusively)\b[^.\n]{0,80}\bnon-?commercial(?:ly)?\b|\bnon-?commercial(?:ly)?\s+(?:\w+\s+){0,2}(?:purposes?\s+|uses?\s+)?only\b/i;
const BOTH_WAYS = /\bcommercial\s+(?:or|and|and\/or)\s+non-?commercial\b|\bnon-?commercial\s+(?:or|and|and\/or|,)\s+(?:\w+\s+){0,2}commercial\b|\bnot\s+(?:only|limited)\b/i;

const SPDX_MATCHERS = new Set(['spdx-exact', 'spdx-dice', 'front-matter']);

/** The sentence of the document's text where `re` first matches, quoted with its offsets. */
export function sentenceWith(doc: DocumentFacts, re: RegExp): VerdictEvidence | null {
  if (!doc.text) return null;
  const m = re.exec(doc.text);
  if (!m) return null;
  // Quote the whole sentence around the grant.
  const before = doc.text.lastIndexOf('\n\n', m.index);
  const start = Math.max(before < 0 ? 0 : before + 2, m.index - 400);
  const stop = doc.text.slice(m.index).search(/\.(?:\s|$)|\n\n/);
  const end = Math.min(doc.text.length, stop < 0 ? m.index + 600 : m.index + stop + 1, m.index + 800);
  const text = doc.text.slice(start, end).trim();
  const s = doc.text.indexOf(text, start);
  return { text, start: s, end: s + text.length, document: doc.locator, version: doc.version?.number ?? null };
}

export function readTerms(docs: DocumentFacts[]): Reading {
  const licenseDocs = docs.filter((d) => d.role === 'license' && d.facts.license);
  const others = docs.filter((d) => d.role !== 'model-card' && d.role !== 'license' && d.facts.license && d.facts.license.confidence >= 0.6 && d.facts.license.family !== 'unknown');
  const card = docs.find((d) => d.facts.card);
  const cardId = card?.facts.card ? cardLicense(card.facts.card) : null;
  const licenseDoc = licenseDocs[0] ?? others[0] ?? null;
  let license = licenseDoc?.facts.license ?? null;
  let standard = false;
  if (license) standard = license.spdx !== null && SPDX_MATCHERS.has(license.matcher) && license.confidence >= 0.9;
  else if (cardId) {
    license = cardId;
    standard = cardId.spdx !== null;
  }
  // A model card's prose describes the model; only its front matter is terms, unless it is all there is.
  const textDocs = licenseDoc ? docs.filter((d) => d.role !== 'model-card') : docs;
  const clauses = textDocs.flatMap((d) => [...d.facts.clauses, ...provisionClauses(d.facts)].map((item) => ({ item, doc: d })));
  const thresholds = textDocs.flatMap((d) => d.facts.thresholds.map((item) => ({ item, doc: d })));
  const references = textDocs.flatMap((d) => d.facts.references.map((item) => ({ item, doc: d })));
  const commercialUse = licenseDoc?.facts.commercialUse ?? (cardId?.family === 'non-commercial' ? 'non-commercial' : 'unknown');
  // A standard license is its known text (the GPL's "only occasionally and noncommercially" conveys, it does not limit).
  const ncSentence = licenseDoc && !standard ? sentenceWith(licenseDoc, NC_ONLY) : null;
  if (ncSentence && !BOTH_WAYS.test(ncSentence.text)) {
    clauses.push({ item: { kind: 'non-commercial', summary: 'use is limited to non-commercial purposes', evidence: ncSentence.text, start: ncSentence.start, end: ncSentence.end, rule: 'uses-nc-only' }, doc: licenseDoc! });
  }
  const nonCommercial = commercialUse === 'non-commercial' || license?.family === 'non-commercial' || clauses.some((c) => c.item.kind === 'non-commercial' && c.doc === licenseDoc);
  const mismatch = findInconsistencies(docs).find((f) => f.kind === 'license-mismatch');
  return {
    license,
    licenseDoc,
    standard,
    nonCommercial,
    commercialUse,
    clauses,
    thresholds,
    references,
    grant: licenseDoc ? sentenceWith(licenseDoc, GRANT) : null,
    contradiction: mismatch && cardId ? { summary: mismatch.summary, card: cardId } : null,
  };
}
