/**
 * Deriving what a fetched document means: its text (normaliser, select/ignore), its facts (analyser), today's
 * reading of the stored current version (a technical upgrade when the normaliser, the selectors or the analyser
 * changed) and the comparison of the two. Pure and CPU-bound: it runs outside the write lock, and in the worker and
 * `check` on a worker thread (pool.ts), so no document can freeze the process.
 */
import { normalizeDocument, NormalizeError, NORMALIZER_VERSION } from '../../normalize/index.js';
import type { FetchedDocument } from '../../sources/types.js';
import type { VersionUpgrade } from '../../store/observations.js';
import type { Comparison, Facts } from '../../terms/types.js';
import { ANALYZER_VERSION } from '../../terms/version.js';
import { derivedWith, needsRederive, sha256, type DeriveInput, type Derived, type NormalizeFailure } from './derive-needs.js';
import { factsFromJson } from '../../store/columns.js';

export * from './derive-needs.js';

// The analyser (and the YAML parser of model cards it uses) is loaded with the first text to analyse: a check whose
// pages' bytes changed but whose texts did not (a rendered footer) only normalises, and its thread is ready sooner.
let terms: Promise<typeof import('../../terms/index.js')> | undefined;
const loadTerms = () => (terms ??= import('../../terms/index.js'));

export async function derive(input: DeriveInput): Promise<Derived | NormalizeFailure> {
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
    fresh = { text, textSha: sha256(text), rawSha: sha256(f.body), derivedWith: derivedWith(f) };
  }
  const cur = input.current;
  if (!cur) return { kind: 'derived', fresh: fresh && { ...fresh, ...(await analysis(fresh.text, f)) } };

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
    const a = await analysis(today, f);
    upgrade = { text: today, text_sha256: sha256(today), normalizer: NORMALIZER_VERSION, derived_with: derivedWith(f), ...a };
    storedText = today;
    storedSha = upgrade.text_sha256!;
    storedFacts = a;
  } else {
    if (today !== undefined && needsRederive(cur, f)) upgrade = { normalizer: NORMALIZER_VERSION, derived_with: derivedWith(f) };
    // A newer analyser: the facts of the unchanged text are recomputed in place, with today's source facts.
    if (cur.analyzer !== ANALYZER_VERSION && storedText !== undefined) upgrade = { ...upgrade, ...(await analysis(storedText, f)) };
  }
  // The fetched text is analysed only when it becomes a version (decide.ts): it differs from the current text as read
  // today, or the document had left the terms. A text equal to the current one only confirms it: nothing to analyse.
  if (fresh && (input.currentGone !== false || fresh.textSha !== storedSha)) fresh = { ...fresh, ...(await analysis(fresh.text, f)) };
  let comparison: Comparison | undefined;
  if (fresh?.facts_json !== undefined && fresh.textSha !== storedSha && storedText !== undefined) {
    const old = storedText;
    const { compare, factsFor } = await loadTerms();
    comparison = compare(old, fresh.text, factsFor(storedFacts, () => old, f.role, f.url), factsFromJson(fresh.facts_json)!);
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

async function analysis(text: string, f: Pick<FetchedDocument, 'role' | 'sourceFacts' | 'url'>): Promise<{ analyzer: string; facts_json: string }> {
  const { analyze } = await loadTerms();
  // The document's own URL resolves the relative links its text binds the licensee to (./USE_POLICY.md).
  const facts: Facts = analyze(text, { role: f.role, url: f.url });
  if (f.sourceFacts) facts.card = { ...(facts.card ?? {}), ...f.sourceFacts };
  return { analyzer: ANALYZER_VERSION, facts_json: JSON.stringify(facts) };
}
