/**
 * What manifest.json says ABOUT each document (where it lives, its version's dates and media type, the facts read
 * from it, whether the sign-off covers it), checked against what can vouch for it: the bundled text itself (the
 * facts, read again by this analyser) and, when at hand, the database. The file hashes alone cannot catch these: an
 * edited claim with manifest.json re-hashed keeps every file's hash right.
 */
import { isDeepStrictEqual } from 'node:util';
import type { DB } from '../store/db.js';
import type { DocumentRow } from '../store/documents.js';
import type { VersionRow } from '../store/versions.js';
import { analyze, ANALYZER_VERSION } from '../terms/index.js';
import { versionFacts as storedFacts } from '../store/columns.js';
import { versionFacts } from './facts.js';

export interface Problem {
  file: string;
  problem: string;
}

/** The per-document claims verify reads (all optional: older bundles of the same format may lack some). */
export interface DocumentClaims {
  locator: string;
  url?: string;
  role?: string;
  discoveredFrom?: string | null;
  documentFirstSeenAt?: string;
  signedOff?: boolean;
  facts?: Record<string, unknown>;
  version: {
    number: number;
    firstSeenAt: string;
    lastConfirmedAt: string;
    supersededAt?: string | null;
    revision?: string | null;
    revisionDate?: string | null;
    mediaType?: string;
  };
}

const MANIFEST = 'manifest.json';

/** Claims the bundle can check on its own: a page's URL is part of its locator; facts are read again from text.txt. */
export function checkClaimsAlone(d: DocumentClaims, text: () => string | undefined, notes: Problem[]): Problem[] {
  const out: Problem[] = [];
  const own = /^(?:url|ref):(.+)$/s.exec(d.locator)?.[1];
  if (own !== undefined && d.url !== undefined && d.url !== own) out.push({ file: MANIFEST, problem: `${d.locator}: url says ${d.url}, but the document's locator is that of ${own}` });
  // Facts read by this very analyser must be what it reads from the bundled text now. The fields a source supplied
  // (model-card metadata) are not in the text: they are checked against the database only.
  const label = d.facts?.analyzer;
  if (d.facts && label !== ANALYZER_VERSION) {
    // Facts an older analyser read cannot be read again here: say so, never pass them silently. A label no analyser
    // of this termdrift ever had is not a reading at all.
    if (typeof label === 'string' && olderAnalyzer(label, ANALYZER_VERSION)) {
      notes.push({ file: MANIFEST, problem: `${d.locator}: facts read by analyser ${label} are not checked against the text (this termdrift reads with ${ANALYZER_VERSION}; verify against the database, or export again)` });
    } else {
      out.push({ file: MANIFEST, problem: `${d.locator}: facts claim analyser ${show(label)}, which no termdrift up to ${ANALYZER_VERSION} has` });
    }
  }
  if (d.facts && label === ANALYZER_VERSION) {
    const t = text();
    if (t !== undefined) {
      const again = plain(analyze(t, { role: d.role, url: d.url }));
      const claimed = { ...d.facts };
      delete claimed.card;
      delete again.card;
      const keys = differences(claimed, again);
      if (keys.length) out.push({ file: MANIFEST, problem: `${d.locator}: ${keys.map((k) => `facts.${k}`).join(', ')} ${keys.length > 1 ? 'are' : 'is'} not what ${ANALYZER_VERSION} reads in the bundled text` });
    }
  }
  return out;
}

/** Claims checked against the stored document and version. `signed`: ids of the versions the sign-off covers. */
export function checkClaimsWithDb(db: DB, d: DocumentClaims, doc: DocumentRow, v: VersionRow, next: VersionRow | undefined, signed: Set<number> | undefined, notes: Problem[]): Problem[] {
  const out: Problem[] = [];
  const claim = (what: string, claimed: unknown, stored: unknown) => {
    if (claimed !== undefined && claimed !== stored) out.push({ file: MANIFEST, problem: `${d.locator} version ${d.version.number}: ${what} is ${show(claimed)} in the bundle, ${show(stored)} in the database` });
  };
  claim('url', d.url, doc.url);
  claim('documentFirstSeenAt', d.documentFirstSeenAt, doc.first_seen_at);
  claim('revision', d.version.revision, v.revision);
  claim('revisionDate', d.version.revisionDate, v.revision_date);
  claim('mediaType', d.version.mediaType, v.media_type);
  // Later checks move these forward; a bundle can only ever be behind the database, never ahead of it.
  if (d.version.lastConfirmedAt < d.version.firstSeenAt || d.version.lastConfirmedAt > v.last_confirmed_at) {
    out.push({ file: MANIFEST, problem: `${d.locator} version ${d.version.number}: last confirmed at ${d.version.lastConfirmedAt} in the bundle, but the database has it confirmed last at ${v.last_confirmed_at}` });
  }
  if (d.version.supersededAt != null && d.version.supersededAt !== next?.first_seen_at) {
    out.push({ file: MANIFEST, problem: `${d.locator} version ${d.version.number}: superseded at ${d.version.supersededAt} in the bundle, ${next ? `at ${next.first_seen_at}` : 'never'} in the database` });
  }
  if (signed && d.signedOff !== undefined && d.signedOff !== signed.has(v.id)) {
    out.push({ file: MANIFEST, problem: `${d.locator} version ${d.version.number}: the bundle says it is${d.signedOff ? '' : ' not'} signed off; the database says it is${d.signedOff ? ' not' : ''}` });
  }
  // Where a document sits in the watchlist can change after export: worth saying, not a fault of the bundle.
  if (d.role !== undefined && d.role !== doc.role) notes.push({ file: MANIFEST, problem: `${d.locator}: role ${d.role} in the bundle; the watchlist now gives it ${doc.role}` });
  if (d.facts) {
    const stored = plain(versionFacts(db, v, doc));
    if (d.facts.analyzer === stored.analyzer) {
      const keys = differences(d.facts, stored);
      if (keys.length) out.push({ file: MANIFEST, problem: `${d.locator} version ${d.version.number}: ${keys.map((k) => `facts.${k}`).join(', ')} ${keys.length > 1 ? 'differ' : 'differs'} from the database` });
    } else if (d.facts.analyzer === v.analyzer) {
      // Read by an older analyser whose reading the database still holds (no check has upgraded it since): compare them.
      const held = storedFacts(v);
      const keys = held ? differences(d.facts, plain(held)) : [];
      if (keys.length) out.push({ file: MANIFEST, problem: `${d.locator} version ${d.version.number}: ${keys.map((k) => `facts.${k}`).join(', ')} ${keys.length > 1 ? 'differ' : 'differs'} from what ${v.analyzer} stored` });
    }
    // Any other label: an older one was noted, an unknown one refused, by checkClaimsAlone.
  }
  return out;
}

/** "terms-2" before "terms-3": the same family with a lower number. */
function olderAnalyzer(a: string, b: string): boolean {
  const pa = /^(.*?)(\d+)$/.exec(a);
  const pb = /^(.*?)(\d+)$/.exec(b);
  return Boolean(pa && pb && pa[1] === pb[1] && Number(pa[2]) < Number(pb[2]));
}

/** The value as it is in JSON (no undefined members), so a stored reading and a parsed claim compare alike. */
function plain(x: unknown): Record<string, unknown> {
  return JSON.parse(JSON.stringify(x)) as Record<string, unknown>;
}

/** The top-level keys whose values differ, sorted. */
function differences(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort().filter((k) => !isDeepStrictEqual(a[k], b[k]));
}

function show(x: unknown): string {
  return x === null || x === undefined ? 'none' : JSON.stringify(x);
}
