/**
 * Deriving what a fetched document means: its text (normaliser, select/ignore), its facts (analyser), today's
 * reading of the stored current version (a technical upgrade when the normaliser, the selectors or the analyser
 * changed) and the comparison of the two. Pure and CPU-bound: it runs outside the write lock, and in the worker and
 * `check` on a worker thread (pool.ts), so no document can freeze the process.
 */
import { createHash } from 'node:crypto';
import { normalizeDocument, NormalizeError, NORMALIZER_VERSION } from '../../normalize/index.js';
import type { FetchedDocument } from '../../sources/types.js';
import type { Snapshot, VersionUpgrade } from '../../store/observations.js';
import { analyze, ANALYZER_VERSION, compare, factsFor, type Comparison, type Facts } from '../../terms/index.js';
import { versionFacts } from '../../store/columns.js';

/** What derive() reads: plain data, so it can cross to a worker thread. */
export interface DeriveInput {
  fetched: Pick<FetchedDocument, 'role' | 'url' | 'select' | 'ignore' | 'sourceFacts'> & { body?: Uint8Array; mediaType?: string };
  current?: Pick<NonNullable<Snapshot['current']>, 'text_sha256' | 'raw_sha256' | 'media_type' | 'normalizer' | 'analyzer' | 'facts_json' | 'derived_with'>;
  currentText?: string;
  currentRaw?: Uint8Array;
}

export interface DerivedText {
  text: string;
  textSha: string;
  analyzer: string;
  facts_json: string;
}

export interface Derived {
  kind: 'derived';
  /** The fetched body's text and facts (content only). */
  fresh?: DerivedText & { rawSha: string; derivedWith: string };
  /** Today's reading of the current version, when it differs from what is stored. */
  upgrade?: VersionUpgrade;
  /** The current version's text hash as today reads it. */
  currentTextSha?: string;
  /** Current version against the fetched text, when their texts differ. */
  comparison?: Comparison;
}

export interface NormalizeFailure {
  kind: 'normalize-failed';
  reason: string;
}

/** Runs derive somewhere (inline, or on a worker thread); `signal` ends work that outlives the check's deadline. */
export interface Deriver {
  derive(input: DeriveInput, signal?: AbortSignal): Promise<Derived | NormalizeFailure>;
  /** Get ready before the first check (start a thread), so the first check does not pay for it. */
  warm?(): Promise<void>;
  close?(): Promise<void>;
}

export const inlineDeriver: Deriver = { derive: async (input) => derive(input) };

/** The select/ignore options a text was derived with, as stored with each version. */
export function derivedWith(f: Pick<FetchedDocument, 'select' | 'ignore'>): string {
  return JSON.stringify({ select: f.select ?? null, ignore: f.ignore ?? [] });
}

/** Whether the stored copy must be read again from its bytes: a newer normaliser, or other select/ignore options. */
export function needsRederive(cur: Pick<NonNullable<Snapshot['current']>, 'normalizer' | 'derived_with'>, f: Pick<FetchedDocument, 'select' | 'ignore'>): boolean {
  return cur.normalizer !== NORMALIZER_VERSION || cur.derived_with !== derivedWith(f);
}

/** Which stored blobs derive() needs, so a 304 of an up-to-date version reads none. */
export function contentNeeded(s: Snapshot, f: FetchedDocument): { text: boolean; raw: boolean } {
  const cur = s.current;
  if (!cur) return { text: false, raw: false };
  const rederive = needsRederive(cur, f);
  const sameBytes = f.outcome.kind === 'content' && cur.raw_sha256 === sha256(f.outcome.body);
  return {
    raw: rederive && !sameBytes,
    // To compare with a new text, or to analyse again with today's analyser.
    text: f.outcome.kind === 'content' || cur.analyzer !== ANALYZER_VERSION,
  };
}

export function derive(input: DeriveInput): Derived | NormalizeFailure {
  const f = input.fetched;
  let fresh: Derived['fresh'];
  if (f.body !== undefined) {
    let text: string;
    try {
      text = normalizeDocument(f.body, f.mediaType ?? 'application/octet-stream', { select: f.select, ignore: f.ignore, baseUrl: f.url }).text;
    } catch (err) {
      // Whatever breaks on one document fails that document: a stack overflow on deep nesting, a parser's TypeError.
      // A typed refusal (a selector that matches nothing, nesting too deep) already says what is wrong.
      if (err instanceof NormalizeError) return { kind: 'normalize-failed', reason: err.message };
      return { kind: 'normalize-failed', reason: `cannot read the document's text: ${(err as Error).message ?? String(err)}` };
    }
    fresh = { text, textSha: sha256(text), rawSha: sha256(f.body), derivedWith: derivedWith(f), ...analysis(text, f) };
  }
  const cur = input.current;
  if (!cur) return { kind: 'derived', fresh };

  // Read the stored version as today's normaliser and today's select/ignore would: an edit of either (or a better
  // normaliser) must never read as a change of the terms. Same bytes: today's text is the one just made.
  let today: string | undefined;
  if (fresh && cur.raw_sha256 === fresh.rawSha) today = fresh.text;
  else if (needsRederive(cur, f) && input.currentRaw) today = rederive(input.currentRaw, cur.media_type, f);
  let upgrade: VersionUpgrade | undefined;
  let storedText = input.currentText;
  let storedSha = cur.text_sha256;
  let storedFacts: { facts_json: string | null; analyzer: string | null } = cur;
  if (today !== undefined && sha256(today) !== cur.text_sha256) {
    const a = analysis(today, f);
    upgrade = { text: today, text_sha256: sha256(today), normalizer: NORMALIZER_VERSION, derived_with: derivedWith(f), ...a };
    storedText = today;
    storedSha = upgrade.text_sha256!;
    storedFacts = a;
  } else {
    if (today !== undefined && needsRederive(cur, f)) upgrade = { normalizer: NORMALIZER_VERSION, derived_with: derivedWith(f) };
    // A newer analyser: the facts of the unchanged text are recomputed in place, with today's source facts.
    if (cur.analyzer !== ANALYZER_VERSION && storedText !== undefined) upgrade = { ...upgrade, ...analysis(storedText, f) };
  }
  let comparison: Comparison | undefined;
  if (fresh && fresh.textSha !== storedSha && storedText !== undefined) {
    const old = storedText;
    comparison = compare(old, fresh.text, factsFor(storedFacts, () => old, f.role, f.url), versionFacts(fresh)!);
  }
  return { kind: 'derived', fresh, upgrade, currentTextSha: storedSha, comparison };
}

function rederive(raw: Uint8Array, mediaType: string, f: DeriveInput['fetched']): string | undefined {
  try {
    return normalizeDocument(raw, mediaType, { select: f.select, ignore: f.ignore, baseUrl: f.url }).text;
  } catch {
    return undefined; // e.g. a new selector matches nothing in the old page: keep the version as it was recorded
  }
}

function analysis(text: string, f: Pick<FetchedDocument, 'role' | 'sourceFacts' | 'url'>): { analyzer: string; facts_json: string } {
  // The document's own URL resolves the relative links its text binds the licensee to (./USE_POLICY.md).
  const facts: Facts = analyze(text, { role: f.role, url: f.url });
  if (f.sourceFacts) facts.card = { ...(facts.card ?? {}), ...f.sourceFacts };
  return { analyzer: ANALYZER_VERSION, facts_json: JSON.stringify(facts) };
}

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
