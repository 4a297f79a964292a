// decide() from a table: each row a situation a document can be in, and the decision it must give. derive() is run
// for real on the fetched and stored texts, so each row goes through the same pure path as a check.
import { describe, expect, it } from 'vitest';
import { decide } from '../src/monitor/observe/decide.js';
import { derive, derivedWith } from '../src/monitor/observe/derive.js';
import { NORMALIZER_VERSION } from '../src/normalize/index.js';
import type { FetchedDocument, FetchOutcome } from '../src/sources/types.js';
import type { DocumentRow } from '../src/store/documents.js';
import type { Snapshot } from '../src/store/observations.js';
import type { VersionRow } from '../src/store/versions.js';
import { analyze, ANALYZER_VERSION } from '../src/terms/index.js';
import { createHash } from 'node:crypto';

const sha = (s: string | Uint8Array) => createHash('sha256').update(s).digest('hex');
const LICENSE = 'Acme License\n\nYou may use the model for any purpose, including commercial use.\n';
const RESEARCH = 'Acme License\n\nYou may use the model for research only. Commercial use is not permitted.\n';

function doc(over: Partial<DocumentRow> = {}): DocumentRow {
  return {
    id: 1, model_id: 'm', locator: 'url:https://x/license', role: 'license', url: 'https://x/license', discovered_from: null,
    first_seen_at: '2026-01-01T00:00:00.000Z', gone_at: null, etag: '"e1"', last_modified: null, consecutive_failures: 0,
    consecutive_gone: 0, last_checked_at: null, last_outcome: 'ok', last_reason: null, last_failure_code: null, ...over,
  };
}

function version(text: string, over: Partial<VersionRow> = {}): VersionRow {
  return {
    id: 7, document_id: 1, text_sha256: sha(text), raw_sha256: sha(text), media_type: 'text/plain', revision: null, revision_date: null,
    normalizer: NORMALIZER_VERSION, analyzer: ANALYZER_VERSION, facts_json: JSON.stringify(analyze(text, { role: 'license' })),
    derived_with: derivedWith({}), first_seen_at: '2026-01-01T00:00:00.000Z', last_confirmed_at: '2026-01-01T00:00:00.000Z', ...over,
  };
}

function snapshot(text?: string, d: Partial<DocumentRow> | null = {}, v: Partial<VersionRow> = {}, extra: Partial<Snapshot> = {}): Snapshot {
  if (d === null) return { versions: [] };
  const cur = text === undefined ? undefined : version(text, v);
  return { doc: doc(d), current: cur, currentText: text, currentRaw: text === undefined ? undefined : Buffer.from(text), versions: cur ? [cur] : [], ...extra };
}

const content = (text: string, mediaType = 'text/plain'): FetchOutcome => ({ kind: 'content', body: Buffer.from(text), mediaType, status: 200, etag: '"e2"' });

function fetched(outcome: FetchOutcome, over: Partial<FetchedDocument> = {}): FetchedDocument {
  return { locator: 'url:https://x/license', role: 'license', url: 'https://x/license', fetchedAt: new Date(), outcome, ...over };
}

async function run(f: FetchedDocument, s: Snapshot) {
  const o = f.outcome;
  const needs = o.kind === 'content' || o.kind === 'not-modified';
  // As observe() passes it: whether the document had left the terms decides whether an unchanged text is analysed.
  const derived = needs && s.current ? await derive({ fetched: { ...f, ...(o.kind === 'content' ? { body: o.body, mediaType: o.mediaType } : {}) }, current: s.current, currentText: s.currentText, currentRaw: s.currentRaw, currentGone: Boolean(s.doc?.gone_at) })
    : o.kind === 'content' ? await derive({ fetched: { ...f, body: o.body, mediaType: o.mediaType } }) : undefined;
  return decide(f, s, derived);
}

const rows: { situation: string; f: FetchedDocument; s: Snapshot; expect: Record<string, unknown>; change?: Record<string, unknown> }[] = [
  { situation: 'first sight', f: fetched(content(LICENSE)), s: snapshot(undefined, null), expect: { kind: 'record', change: undefined } },
  { situation: 'unchanged (304)', f: fetched({ kind: 'not-modified' }), s: snapshot(LICENSE), expect: { kind: 'confirm', versionId: 7, upgrade: undefined, moved: undefined } },
  { situation: 'same text, new bytes', f: fetched(content(LICENSE.replace(/\n/g, '\r\n'))), s: snapshot(LICENSE), expect: { kind: 'confirm', versionId: 7, moved: undefined } },
  { situation: 'changed', f: fetched(content(RESEARCH)), s: snapshot(LICENSE), expect: { kind: 'record' }, change: { kind: 'text', severity: 'material', from_version: 7, reverted_to: null } },
  {
    situation: 'reworded, no term changed',
    f: fetched(content(LICENSE.replace('Acme License', 'Acme License\n\nQuestions: legal@acme.example'))),
    s: snapshot(LICENSE),
    expect: { kind: 'record' },
    change: { kind: 'text', severity: 'wording', summary: 'license changed (wording): no term changed, only the wording of the text (see the changed passages)' },
  },
  {
    situation: 'reverted to an earlier text',
    f: fetched(content(LICENSE)),
    s: snapshot(RESEARCH, {}, { id: 8 }, { versions: [{ id: 7, text_sha256: sha(LICENSE), first_seen_at: '2026-01-01T00:00:00.000Z' }, { id: 8, text_sha256: sha(RESEARCH), first_seen_at: '2026-02-01T00:00:00.000Z' }] }),
    expect: { kind: 'record' },
    change: { kind: 'text', reverted_to: 7, from_version: 8 },
  },
  { situation: '404 once', f: fetched({ kind: 'gone', status: 404 }), s: snapshot(LICENSE), expect: { kind: 'fail', code: 'not-found', retryable: true, goneStreak: 1 } },
  { situation: '404 twice', f: fetched({ kind: 'gone', status: 404 }), s: snapshot(LICENSE, { consecutive_gone: 1 }), expect: { kind: 'depart', as: 'gone', fromVersion: 7, goneStreak: 2 }, change: { kind: 'gone', severity: 'material' } },
  { situation: '404 for an address never seen', f: fetched({ kind: 'gone', status: 404 }), s: snapshot(undefined, null), expect: { kind: 'fail', code: 'not-found', retryable: false } },
  {
    situation: 'back after gone with the same text',
    f: fetched(content(LICENSE)),
    s: snapshot(LICENSE, { gone_at: '2026-03-01T00:00:00.000Z' }, {}, { lastDeparture: 'gone' }),
    expect: { kind: 'record' },
    change: { kind: 'reappeared', severity: 'material', from_version: 7 },
  },
  {
    situation: 'back after gone with other text',
    f: fetched(content(RESEARCH)),
    s: snapshot(LICENSE, { gone_at: '2026-03-01T00:00:00.000Z' }, {}, { lastDeparture: 'gone' }),
    expect: { kind: 'record' },
    change: { kind: 'reappeared', severity: 'material' },
  },
  { situation: 'a 304 for a gone document', f: fetched({ kind: 'not-modified' }), s: snapshot(LICENSE, { gone_at: '2026-03-01T00:00:00.000Z' }), expect: { kind: 'ignore', outcome: 'gone' } },
  { situation: 'unlinked', f: fetched({ kind: 'unlinked' }), s: snapshot(LICENSE, { discovered_from: 'hf:LICENSE' }), expect: { kind: 'depart', as: 'unlinked', fromVersion: 7 }, change: { kind: 'unlinked', severity: 'material' } },
  { situation: 'unlinked, never stored', f: fetched({ kind: 'unlinked' }), s: snapshot(undefined), expect: { kind: 'ignore', outcome: 'unchanged' } },
  {
    situation: 'relinked',
    f: fetched(content(LICENSE), { discoveredFrom: 'hf:LICENSE' }),
    s: snapshot(LICENSE, { gone_at: '2026-03-01T00:00:00.000Z' }, {}, { lastDeparture: 'unlinked' }),
    expect: { kind: 'record' },
    change: { kind: 'relinked', severity: 'material' },
  },
  {
    situation: 'selector matched nothing',
    f: fetched(content('<html><body><main>Acme License</main></body></html>', 'text/html'), { select: '#terms' }),
    s: snapshot(undefined, null),
    expect: { kind: 'fail', code: 'normalize', retryable: false },
  },
  { situation: 'nothing but blanks', f: fetched(content('   \n\n  ')), s: snapshot(undefined, null), expect: { kind: 'fail', code: 'normalize', reason: 'no text after normalisation' } },
  {
    situation: 'normaliser upgrade (304): the stored text is re-derived in place',
    f: fetched({ kind: 'not-modified' }),
    s: { ...snapshot(LICENSE, {}, { normalizer: 'n0', text_sha256: sha('old reading') }), currentText: 'old reading' },
    expect: { kind: 'confirm', moved: undefined },
  },
  {
    situation: 'analyser upgrade: facts recomputed in place, no change',
    f: fetched(content(LICENSE)),
    s: snapshot(LICENSE, {}, { analyzer: 'terms-0', facts_json: '{}' }),
    expect: { kind: 'confirm', moved: undefined },
  },
  { situation: 'fetch failed (timeout)', f: fetched({ kind: 'failed', reason: 'timed out', retryable: true }), s: snapshot(LICENSE), expect: { kind: 'fail', code: 'timeout', retryable: true } },
  { situation: 'fetch failed (gated)', f: fetched({ kind: 'failed', reason: 'gated: set HF_TOKEN with access to acme/m', retryable: false }), s: snapshot(LICENSE), expect: { kind: 'fail', code: 'gated', retryable: false } },
];

describe('decide', () => {
  for (const row of rows) {
    it(row.situation, async () => {
      const d = (await run(row.f, row.s)) as unknown as Record<string, unknown>;
      expect(d).toMatchObject(row.expect);
      if (row.change) expect(d.change).toMatchObject(row.change);
    });
  }

  it('a normaliser upgrade carries the re-derived text and the new normaliser version', async () => {
    const d = await run(fetched({ kind: 'not-modified' }), { ...snapshot(LICENSE, {}, { normalizer: 'n0', text_sha256: sha('old reading') }), currentText: 'old reading' });
    expect(d).toMatchObject({ kind: 'confirm', upgrade: { text_sha256: sha(LICENSE), normalizer: NORMALIZER_VERSION, analyzer: ANALYZER_VERSION } });
  });

  it('an analyser upgrade stores facts of today\'s analyser', async () => {
    const d = await run(fetched(content(LICENSE)), snapshot(LICENSE, {}, { analyzer: 'terms-0', facts_json: '{}' }));
    if (d.kind !== 'confirm') throw new Error(d.kind);
    expect(d.upgrade?.analyzer).toBe(ANALYZER_VERSION);
    expect(JSON.parse(d.upgrade!.facts_json!)).toEqual(analyze(LICENSE, { role: 'license' }));
  });

  it('a page whose bytes changed but not its text is not normalised a second time when its options are unchanged', async () => {
    // The stored bytes are not even given: with the same normaliser and options, the stored text is what they make.
    const s = { ...snapshot(LICENSE), currentRaw: undefined };
    const d = await run(fetched(content(`${LICENSE}\n\n`)), s);
    expect(d).toMatchObject({ kind: 'confirm', upgrade: undefined });
  });

  it('a fetched text equal to the current one is not analysed (the first analysis reads every SPDX text); a new one, or one coming back, is', async () => {
    const current = snapshot(LICENSE).current!;
    const input = (text: string, currentGone: boolean) => ({ fetched: { role: 'license' as const, url: 'https://x/license', body: Buffer.from(text), mediaType: 'text/plain' }, current, currentText: LICENSE, currentGone });
    const same = await derive(input(`${LICENSE}\n\n`, false));
    if (same.kind !== 'derived') throw new Error(same.reason);
    expect(same.fresh).toMatchObject({ text: LICENSE, textSha: sha(LICENSE) });
    expect(same.fresh?.facts_json).toBeUndefined();
    const changed = await derive(input(RESEARCH, false));
    if (changed.kind !== 'derived') throw new Error(changed.reason);
    expect(JSON.parse(changed.fresh!.facts_json!)).toEqual(analyze(RESEARCH, { role: 'license' }));
    const back = await derive(input(LICENSE, true));
    if (back.kind !== 'derived') throw new Error(back.reason);
    expect(JSON.parse(back.fresh!.facts_json!)).toEqual(analyze(LICENSE, { role: 'license' }));
  });
});
