/**
 * What the check path knows about derivation without loading the normaliser or the analyser: the shapes that cross
 * to the derive thread, which stored blobs a derivation needs, and whether a stored text must be read again. The
 * main thread of `check` and the worker import this; derive.ts (linkedom, html-to-text, the analyser) is loaded on
 * the derive thread, or on first use by the inline deriver.
 */
import { createHash } from 'node:crypto';
import { NORMALIZER_VERSION } from '../../normalize/version.js';
import type { FetchedDocument } from '../../sources/types.js';
import type { Snapshot, VersionUpgrade } from '../../store/observations.js';
import type { Comparison } from '../../terms/types.js';
import { ANALYZER_VERSION } from '../../terms/version.js';

/** What derive() reads: plain data, so it can cross to a worker thread. */
export interface DeriveInput {
  fetched: Pick<FetchedDocument, 'role' | 'url' | 'select' | 'ignore' | 'sourceFacts'> & { body?: Uint8Array; mediaType?: string };
  current?: Pick<NonNullable<Snapshot['current']>, 'text_sha256' | 'raw_sha256' | 'media_type' | 'normalizer' | 'analyzer' | 'facts_json' | 'derived_with'>;
  currentText?: string;
  currentRaw?: Uint8Array;
  /**
   * false: the document is in the terms, so a fetched text equal to the current one only confirms it and is not
   * analysed (the first analysis of a run reads every SPDX text). Left out, or true (it had left the terms and comes
   * back as a new version): the fetched text is always analysed.
   */
  currentGone?: boolean;
}

export interface DerivedText {
  text: string;
  textSha: string;
  /** The text's facts: absent only when it is the current text of a document in the terms (nothing is recorded). */
  analyzer?: string;
  facts_json?: string;
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

export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
