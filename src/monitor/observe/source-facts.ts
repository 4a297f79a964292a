/**
 * Facts a source reports beside a document's text (Hugging Face's `gated` flag, card fields) can change while the
 * text does not: the hub switches gating on without a new commit, so the one-request confirmation would miss it.
 * A moved fact is recorded as a change of the document without a new version (versions are distinct texts).
 */
import type { FetchedDocument } from '../../sources/types.js';
import type { FactChange } from '../../terms/index.js';
import { factsFromJson } from '../../store/columns.js';

export interface MovedFacts {
  changes: FactChange[];
  /** The version's facts with the source facts of this check, to store in place. */
  factsJson: string;
}

/**
 * Compare the source facts of this check with those stored on the current version. A key the stored version never
 * had (an older termdrift did not record it) is adopted silently: a technical upgrade, never an alert.
 */
export function movedSourceFacts(storedFactsJson: string | null, f: FetchedDocument): MovedFacts | undefined {
  const facts = f.sourceFacts ? factsFromJson(storedFactsJson) : undefined;
  if (!f.sourceFacts || !facts) return undefined;
  const card: Record<string, unknown> = { ...(facts.card ?? {}) };
  const changes: FactChange[] = [];
  let adopted = false;
  for (const [key, value] of Object.entries(f.sourceFacts)) {
    if (!(key in card)) {
      adopted = true;
    } else if (JSON.stringify(card[key] ?? null) !== JSON.stringify(value ?? null)) {
      changes.push({ type: 'card-field-changed', summary: summaryOf(key, card[key], value), from: card[key] ?? null, to: value ?? null });
    } else continue;
    card[key] = value;
  }
  if (changes.length === 0 && !adopted) return undefined;
  return { changes, factsJson: JSON.stringify({ ...facts, card }) };
}

function summaryOf(key: string, from: unknown, to: unknown): string {
  if (key === 'gated') {
    if (!to) return 'Access to the model is no longer gated';
    return `Access to the model is now gated${typeof to === 'string' ? `: ${to}` : ''}${from ? ` (was: ${String(from)})` : ''}`;
  }
  return `Model card ${key}: ${JSON.stringify(from ?? null)} → ${JSON.stringify(to ?? null)}`;
}
