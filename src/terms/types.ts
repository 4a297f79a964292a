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

/** What a provision does to the licensee: grants a right, takes one away, or imposes a duty. */
export type Polarity = 'permits' | 'forbids' | 'requires';

/** Why a provision is (not) operative. Only `operative` provisions make a change material. */
export type ProvisionRole = 'operative' | 'heading' | 'definition' | 'contact' | 'date' | 'toc' | 'notice' | 'prose';

export interface ProvisionAmount {
  value: number;
  currency?: string;
  /** Set when the amount is a scale threshold (see `Threshold`). */
  metric?: string;
  comparator?: ThresholdComparator;
}

/** The parameters a reviewer checks when a provision is reworded; each list sorted, without duplicates. */
export interface ProvisionParams {
  amounts?: ProvisionAmount[];
  territories?: string[];
  /** Prohibited uses in the items' own words ("to generate spam"), for provisions that forbid. */
  uses?: string[];
  parties?: string[];
  law?: string;
  durations?: string[];
  urls?: string[];
}

/** One sentence or list item of the text (a list item read with its lead-in), with what it does. */
export interface Provision extends Span {
  /** Section number ("4", "3.1") or, without a number, the heading text it sits under; null before any heading. */
  section: string | null;
  /** The heading it sits under, as written (without markup); null before any heading. */
  heading: string | null;
  operative: boolean;
  role: ProvisionRole;
  /** Clause kinds (multi-label), from the same rules as `clauses`. */
  kinds: ClauseKind[];
  polarity: Polarity | null;
  params: ProvisionParams;
  /** The lead-in a list item is read with ("You agree not to use the Model:"). */
  lead?: string;
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
  /** Every provision of the text in order (absent in facts stored by analyzers before `terms-2`). */
  provisions?: Provision[];
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
  | 'provision-added'
  | 'provision-removed'
  | 'provision-changed';

export interface FactChange {
  type: FactChangeType;
  summary: string;
  metric?: string;
  clause?: ClauseKind;
  from?: unknown;
  to?: unknown;
  oldEvidence?: string;
  newEvidence?: string;
  /** provision-*: the section number or heading the provision sits under. */
  section?: string | null;
  /** provision-*: its kinds (old and new merged for a change). */
  kinds?: ClauseKind[];
  /** provision-changed: `{ from, to }` when what it does flipped ("permits" → "forbids"). */
  polarity?: { from: Polarity | null; to: Polarity | null };
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
