/**
 * Document events: what happens to a document as a whole (it disappeared, left the terms, came back, its
 * documents disagree, a source fact moved, the sign-off does not cover it), as opposed to an edit of its text.
 * Their severity is decided here and nowhere else.
 */
import type { FactChange, Severity } from './types.js';

export type DocumentEventType =
  | 'document-gone'
  | 'document-unlinked'
  | 'document-reappeared'
  | 'document-relinked'
  | 'document-added'
  | 'finding'
  | 'card-field-changed';

/**
 * Every document event is material: a page that binds you appearing or disappearing, documents that contradict each
 * other, or gating switched on all change what you may do, whatever the words say.
 */
const SEVERITY: Record<DocumentEventType, Severity> = {
  'document-gone': 'material',
  'document-unlinked': 'material',
  'document-reappeared': 'material',
  'document-relinked': 'material',
  'document-added': 'material',
  finding: 'material',
  'card-field-changed': 'material',
};

export function eventSeverity(type: DocumentEventType): Severity {
  return SEVERITY[type];
}

/** A document event in the shape of a fact change, so every reader of a change's facts sees one list. */
export function documentEvent(type: Exclude<DocumentEventType, 'card-field-changed'>, summary: string): FactChange {
  return { type, summary };
}
