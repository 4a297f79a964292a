/** The shapes every other module codes against. Pure data; no behaviour here. */

export type Family = 'permissive' | 'copyleft' | 'non-commercial' | 'custom' | 'unknown';
export type CommercialUse = 'allowed' | 'non-commercial' | 'restricted' | 'unknown';
export type Severity = 'cosmetic' | 'wording' | 'material';

/** A piece of the analysed text: `evidence === text.slice(start, end)`. */
export interface Span {
  evidence: string;
  start: number;
  end: number;
}

export interface LicenseIdentity {
  /** Stable id: an SPDX id, a catalog id such as `llama-3.1-community`, or a slug of the document's own title. */
  id: string;
  name: string | null;
  spdx: string | null;
  family: Family;
  /** 0..1: Dice similarity for SPDX matches, a fixed level for catalog and title matches. */
  confidence: number;
  version: string | null;
  /** Which rule named the license: `spdx-exact`, `spdx-dice`, `spdx-near`, `catalog-title`, `catalog-markers`, `title`, `front-matter`, `content`. */
  matcher: string;
}

export type ThresholdComparator = '>' | '>=' | '<' | '<=';

export interface Threshold extends Span {
  metric: string;
  value: number;
  comparator: ThresholdComparator;
  currency?: string;
  period?: string;
  consequence?: string;
}

export type ClauseKind =
  | 'commercial-use'
  | 'non-commercial'
  | 'redistribution'
  | 'attribution'
  | 'naming'
  | 'trademark'
  | 'output-use'
  | 'field-of-use'
  | 'competition'
  | 'share-alike'
  | 'patent-termination'
  | 'license-termination'
  | 'governing-law'
  | 'territory'
  | 'hosted-service';

export interface Clause extends Span {
  kind: ClauseKind;
  summary: string;
  /** Key parameters whose change is material: `prefix` (naming), `territories`, `uses` (field-of-use), `law` (governing-law). */
  params?: Record<string, string | string[]>;
  /** Name of the pattern that found it, so every fact can be explained. */
  rule?: string;
}

export interface Reference extends Span {
  url: string;
  role: 'acceptable-use' | 'referenced';
}

export interface Facts {
  analyzer: string;
  license: LicenseIdentity | null;
  commercialUse: CommercialUse;
  thresholds: Threshold[];
  clauses: Clause[];
  references: Reference[];
  version: string | null;
  effectiveDate: string | null;
  /** Model-card front-matter license fields, when the text has YAML front matter. */
  card?: Record<string, unknown>;
}

export type FactChangeType =
  | 'license-changed'
  | 'commercial-use-changed'
  | 'threshold-added'
  | 'threshold-removed'
  | 'threshold-changed'
  | 'clause-added'
  | 'clause-removed'
  | 'clause-changed'
  | 'reference-added'
  | 'reference-removed'
  | 'version-changed'
  | 'card-field-changed'
  // Document events (terms/events.ts): the document as a whole, not its text.
  | 'document-gone'
  | 'document-unlinked'
  | 'document-reappeared'
  | 'document-relinked'
  | 'document-added'
  | 'finding';

export interface FactChange {
  type: FactChangeType;
  summary: string;
  metric?: string;
  clause?: ClauseKind;
  from?: unknown;
  to?: unknown;
  oldEvidence?: string;
  newEvidence?: string;
}

export interface DiffExcerpt {
  hunks: string;
  truncated: boolean;
  tooDifferent: boolean;
}

export interface Comparison {
  severity: Severity;
  changes: FactChange[];
  excerpt: DiffExcerpt;
}

export interface Finding {
  kind: string;
  summary: string;
  documents: string[];
}
