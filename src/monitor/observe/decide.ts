/**
 * What one observation of a document means, decided once, from what was fetched, what is stored and what the
 * fetched text says: a failure, a confirmation of the current version, a new version, a departure, or nothing.
 * Pure: no clock, no database; tested from a table of situations (test/decide.test.ts). The store writes it.
 */
import { failureCode, type FailureCode } from '../../errors.js';
import { NORMALIZER_VERSION } from '../../normalize/version.js';
import type { FetchedDocument } from '../../sources/types.js';
import type { ChangeDraft, Decision, Snapshot, Validators } from '../../store/observations.js';
import { documentEvent, eventSeverity } from '../../terms/events.js';
import type { FactChange, Severity } from '../../terms/types.js';
import type { Derived, NormalizeFailure } from './derive.js';
import { movedSourceFacts } from './source-facts.js';

export type { Decision } from '../../store/observations.js';

export interface Rules {
  /** A 404/410 on this many consecutive checks means the document is gone (one could be a deploy hiccup). */
  goneAfter: number;
}

export const GONE_AFTER = 2;
export const DEFAULT_RULES: Rules = { goneAfter: GONE_AFTER };

/** A failure of this document; `code` is read by the alert policy, `retryable` says whether to wait for a streak. */
function fail(reason: string, code: FailureCode, retryable: boolean, status: number | null, goneStreak?: number): Decision {
  return { kind: 'fail', reason, code, retryable, status, ...(goneStreak !== undefined ? { goneStreak } : {}) };
}

export function decide(f: FetchedDocument, s: Snapshot, derived: Derived | NormalizeFailure | undefined, rules: Rules = DEFAULT_RULES): Decision {
  const o = f.outcome;
  const { doc, current: cur } = s;
  switch (o.kind) {
    case 'failed':
      return fail(o.reason, failureCode(o), o.retryable, o.status ?? null);

    case 'unlinked': {
      // Nothing of it was ever in the terms (or it already left): nothing to record.
      if (!doc || !cur || doc.gone_at) return { kind: 'ignore', outcome: 'unchanged', reason: 'not linked' };
      const from = doc.discovered_from ?? 'the model';
      const reason = `no longer linked from ${from}`;
      return {
        kind: 'depart',
        as: 'unlinked',
        fromVersion: cur.id,
        goneStreak: 0,
        status: null,
        reason,
        change: event('unlinked', cur.id, documentEvent('document-unlinked', `No document of the model links to it any more (it was linked from ${from})`), `${doc.role} document left the terms: ${reason}`),
      };
    }

    case 'gone': {
      // Never seen: the address is wrong (or the file was never there), which waiting will not mend.
      if (!doc) return fail(`HTTP ${o.status}: not found`, 'not-found', false, o.status);
      const streak = doc.consecutive_gone + 1;
      if (streak < rules.goneAfter || doc.gone_at) {
        const why = doc.gone_at ? ' (still gone)' : ': not found (reported as gone if it persists)';
        return fail(`HTTP ${o.status}${why}`, 'not-found', true, o.status, streak);
      }
      return {
        kind: 'depart',
        as: 'gone',
        fromVersion: cur?.id ?? null,
        goneStreak: streak,
        status: o.status,
        reason: `HTTP ${o.status}`,
        change: event(
          'gone',
          cur?.id ?? null,
          documentEvent('document-gone', `Document no longer available (HTTP ${o.status})`),
          `${f.role} document disappeared: HTTP ${o.status} on ${streak} consecutive checks`,
        ),
      };
    }

    case 'not-modified': {
      if (!doc || !cur) return fail('server answered 304 Not Modified but no version is stored', 'other', true, 304);
      // A document recorded as gone is not brought back by a 304 about something else (a repository head).
      if (doc.gone_at) return { kind: 'ignore', outcome: 'gone', reason: `gone since ${doc.gone_at}`, status: 304 };
      return confirm(f, s, derived, 304);
    }

    case 'content': {
      if (!derived) throw new Error('decide: content without a derivation');
      if (derived.kind === 'normalize-failed') return fail(derived.reason, 'normalize', false, o.status);
      const fresh = derived.fresh!;
      if (fresh.text.trim().length === 0) return fail('no text after normalisation', 'normalize', false, o.status);
      const validators = { etag: o.etag ?? null, last_modified: o.lastModified ?? null };
      if (doc && cur && !doc.gone_at && derived.currentTextSha === fresh.textSha) return confirm(f, s, derived, o.status, validators);

      let change: ChangeDraft | undefined;
      if (cur || doc?.gone_at) {
        const comparison = derived.comparison;
        const back = doc?.gone_at ? comeback(s, f) : undefined;
        const severity: Severity = back ? eventSeverity(back.fact.type as 'document-reappeared') : (comparison?.severity ?? 'cosmetic');
        const reverted = s.versions.find((v) => v.text_sha256 === fresh.textSha);
        change = {
          kind: back?.kind ?? 'text',
          from_version: cur?.id ?? null,
          severity,
          facts_delta_json: JSON.stringify([...(back ? [back.fact] : []), ...(comparison?.changes ?? [])]),
          summary: describeChange(f.role, severity, comparison?.changes ?? [], reverted?.first_seen_at),
          reverted_to: reverted?.id ?? null,
        };
      }
      // derive() analyses every text that is recorded; only a text that confirms the current version goes without.
      if (fresh.analyzer === undefined || fresh.facts_json === undefined) throw new Error('decide: a new version without the facts of its text');
      return {
        kind: 'record',
        version: {
          text: fresh.text,
          raw: o.body,
          text_sha256: fresh.textSha,
          raw_sha256: fresh.rawSha,
          media_type: o.mediaType,
          revision: f.revision ?? null,
          revision_date: f.revisionDate ?? null,
          normalizer: NORMALIZER_VERSION,
          analyzer: fresh.analyzer,
          facts_json: fresh.facts_json,
          derived_with: fresh.derivedWith,
        },
        change,
        // Only a version still in the terms is upgraded in place; one that left stays as it was recorded.
        upgradeCurrent: cur && !doc?.gone_at ? derived.upgrade : undefined,
        validators,
        status: o.status,
      };
    }
  }
}

/** The current version holds: apply today's technical upgrade, and report a source fact that moved. */
function confirm(f: FetchedDocument, s: Snapshot, derived: Derived | NormalizeFailure | undefined, status: number | null, validators?: Validators): Decision {
  const cur = s.current!;
  const upgrade = derived?.kind === 'derived' ? derived.upgrade : undefined;
  // Compared with the facts as stored, before they are re-derived with today's source facts.
  const moved = movedSourceFacts(cur.facts_json, f);
  let facts_json = upgrade?.facts_json;
  if (moved && facts_json === undefined) facts_json = moved.factsJson;
  const finalUpgrade = upgrade || facts_json !== undefined ? { ...upgrade, ...(facts_json !== undefined ? { facts_json } : {}) } : undefined;
  return {
    kind: 'confirm',
    versionId: cur.id,
    upgrade: finalUpgrade,
    moved: moved && moved.changes.length > 0 ? event('source-facts', null, ...moved.changes, `${f.role}: ${moved.changes.map((c) => c.summary).join('; ')}`) : undefined,
    validators,
    status,
  };
}

function event(kind: ChangeDraft['kind'], fromVersion: number | null, ...rest: [...FactChange[], string]): ChangeDraft {
  const summary = rest.pop() as string;
  const facts = rest as FactChange[];
  return {
    kind,
    from_version: fromVersion,
    severity: eventSeverity(facts[0]!.type as 'document-gone'),
    facts_delta_json: JSON.stringify(facts),
    summary,
    reverted_to: null,
  };
}

/** How a document that had left the terms comes back: `relinked` when its link returned, else `reappeared`. */
function comeback(s: Snapshot, f: FetchedDocument): { kind: 'relinked' | 'reappeared'; fact: FactChange } {
  if (s.lastDeparture === 'unlinked') {
    return { kind: 'relinked', fact: documentEvent('document-relinked', `Linked again from ${f.discoveredFrom ?? s.doc?.discovered_from ?? 'the model'}`) };
  }
  return { kind: 'reappeared', fact: documentEvent('document-reappeared', 'Document is available again') };
}

function describeChange(role: string, severity: Severity, changes: FactChange[], revertedTo: string | undefined): string {
  const head = revertedTo ? `${role} reverted to the text first seen on ${revertedTo.slice(0, 10)}` : `${role} changed (${severity})`;
  const facts = changes.slice(0, 3).map((c) => c.summary);
  if (facts.length) return `${head}: ${facts.join('; ')}${changes.length > 3 ? `; and ${changes.length - 3} more` : ''}`;
  // Nothing that binds anyone moved: say so in words, so a reader of the alert need not work it out from the diff.
  if (severity === 'wording') return `${head}: no term changed, only the wording of the text (see the changed passages)`;
  if (severity === 'cosmetic') return `${head}: only layout, punctuation or spacing`;
  return head;
}

