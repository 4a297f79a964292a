/** analyze(): the facts of one text, each with its evidence and offsets. */
import { splitFrontMatter } from './frontmatter.js';
import { identify } from './identify.js';
import { findReferences } from './references.js';
import { findProvisions } from './provisions.js';
import { OBLIGATION_ONLY } from './thresholds.js';
import { parseDate } from './text.js';
import { cardLicense } from './card-license.js';
import type { Clause, CommercialUse, Facts, Threshold } from './types.js';

// Bump ANALYZER_VERSION (terms/version.ts, loaded without the analyser) when any rule changes.
import { ANALYZER_VERSION } from './version.js';
import { versionFacts } from '../store/columns.js';
export { ANALYZER_VERSION };

const GRANT = /\b(?:hereby\s+)?grants?\s+(?:to\s+)?(?:you|licensee|the\s+licensee|recipients?)\b|\bpermission\s+is\s+hereby\s+granted\b|\byou\s+(?:are|is)\s+(?:hereby\s+)?granted\b|\bgrant\s+of\s+(?:copyright\s+)?licen[cs]e\b|\bhereby\s+licen[cs]es\b|\bare\s+granted\s+for\s+the\s+term\b|\bare\s+permitted\s+provided\b|\bpermission\s+to\s+(?:use|copy|modify|distribute)\b|\bis\s+hereby\s+granted\b|\bpermission\s+is\s+granted\s+to\b|\b(?:anyone|everyone|you)\s+(?:is|are)\s+(?:hereby\s+)?free\s+to\s+(?:use|copy|modify|distribute|publish)\b|\blicen[cs]es\s+you\s+to\b/i;
const REGISTRATION = /\bcommercial\b[^.;]{0,120}\b(?:must|shall|need\s+to|required\s+to)\s+(?:first\s+)?(?:register|apply|obtain|sign)\b|\b(?:must|shall)\s+register\b[^.;]{0,120}\bcommercial\b|\bcommercial\s+(?:purpose|use)[^.;]{0,80}\bmust\s+register\b|\b(?:registered|approved|authori[sz]ed)\s+(?:users?|licensees?|parties|entities|developers?)\s+(?:are\s+(?:free|permitted|allowed|entitled)\s+to|may|can)\s+(?:\w+\s+){0,3}?(?:use|deploy|exploit)\b[^.;]{0,80}\bcommercial|\bcommercial\s+(?:purposes?|use|uses|activit\w+)\b[^.;]{0,100}\b(?:after|upon|once|following)\s+(?:[\w']+\s+){0,3}?(?:registration|registering|register(?:ed)?|approval|authori[sz]ation)\b/i;
const DATE_LABEL = /\b(?:version\s+release\s+date|release\s+date|last\s+(?:updated|modified|revised)|effective(?:\s+date)?(?:\s+as\s+of)?|dated|date)\s*:?\s*([A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{1,2}(?:st|nd|rd|th)?\s+[A-Z][a-z]{2,8},?\s+\d{4}|\d{4}-\d{2}-\d{2})/i;

/** Which commercial-use status the facts support; `unknown` when the text grants nothing it can see. */
export function commercialUseOf(clauses: Clause[], thresholds: Threshold[], text: string): CommercialUse {
  if (clauses.some((c) => c.kind === 'non-commercial')) return 'non-commercial';
  if (thresholds.some((t) => t.consequence !== OBLIGATION_ONLY)) return 'restricted';
  if (clauses.some((c) => c.rule === 'commercial-by-authorization')) return 'restricted';
  if (REGISTRATION.test(text)) return 'restricted';
  if (GRANT.test(text)) return 'allowed';
  return 'unknown';
}

function effectiveDateOf(text: string): string | null {
  const m = DATE_LABEL.exec(text.slice(0, 4000));
  return m ? parseDate(m[1]!) : null;
}

export { cardLicense };

/**
 * `url`: where the document was read from; relative links it binds the licensee to ("./USE_POLICY.md") are
 * resolved against it. Without it they are kept as written.
 */
export function analyze(text: string, opts: { role?: string; url?: string } = {}): Facts {
  const { card, body } = splitFrontMatter(text);
  const { units, provisions, clauses, thresholds } = findProvisions(body);
  const commercialUse = commercialUseOf(clauses, thresholds, body);
  let license = identify(body, commercialUse);
  const references = findReferences(units, opts.url);
  // A model card usually states its license only in front matter; the body text names it weakly if at all.
  if (card && (opts.role === 'model-card' || !license || license.confidence < 0.6)) license = cardLicense(card) ?? license;
  const facts: Facts = {
    analyzer: ANALYZER_VERSION,
    license,
    commercialUse,
    thresholds,
    clauses,
    references,
    version: license?.version ?? null,
    effectiveDate: effectiveDateOf(body),
    provisions,
  };
  if (card) facts.card = card;
  return facts;
}

/**
 * The facts of a stored text: the stored ones when today's analyser wrote them, else the text analysed again with
 * today's rules, keeping the model-card fields (they came from the source, not the text), so a rule improvement
 * never reads as a change. The one way every part of termdrift reads a version's facts.
 */
export function factsFor(stored: { facts_json: string | null; analyzer: string | null }, text: () => string, role: string, url?: string): Facts {
  const facts = versionFacts(stored);
  if (facts && stored.analyzer === ANALYZER_VERSION) return facts;
  const today = analyze(text(), { role, url });
  if (facts?.card) today.card = facts.card;
  return today;
}
