import type { FailureCode } from '../errors.js';
import type { WatchedModel } from '../config/schema.js';

export type Role = 'license' | 'model-card' | 'acceptable-use' | 'referenced' | 'other';

export type FetchOutcome =
  | { kind: 'content'; body: Uint8Array; mediaType: string; etag?: string; lastModified?: string; status: number }
  | { kind: 'not-modified' } // confirms the current version
  | { kind: 'gone'; status: number }
  | { kind: 'unlinked' } // a linked page that no document of the model links to any more: it leaves the terms
  | { kind: 'failed'; reason: string; retryable: boolean; status?: number; code?: FailureCode };

/** Result of one guarded GET: either a good body, a 304, a definite absence, or a failure with a reason. */
// `unlinked` is a verdict about the model's documents, never an answer from a server.
export type HttpResult = Exclude<FetchOutcome, { kind: 'unlinked' }> & { finalUrl?: string; headers?: ResponseHeaders };

/** A response's headers, read by name (case-insensitive; repeated headers joined with ", " as fetch's Headers does). */
export interface ResponseHeaders {
  get(name: string): string | null;
}

export interface FetchedDocument {
  locator: string; // stable id within the model: "hf:LICENSE", "gh:model_licenses/LICENSE", "url:https://…"
  role: Role;
  url: string; // where a person can see it
  revision?: string; // upstream commit sha, or ETag / Last-Modified
  revisionDate?: string;
  fetchedAt: Date;
  outcome: FetchOutcome;
  discoveredFrom?: string; // locator of the document that linked it
  select?: string;
  ignore?: string[];
  /** Facts the source knows about the document beyond its text (e.g. Hugging Face card fields). */
  sourceFacts?: Record<string, unknown>;
}

/** What the store knows about a model's documents, so a source can ask conditionally. */
export interface KnownDocument {
  locator: string;
  etag?: string | null;
  lastModified?: string | null;
  revision?: string | null;
  /** False when the document exists but no version was ever stored (a 304 could not confirm anything). */
  hasVersion?: boolean;
  goneAt?: string | null;
}

/** A document as stored right now, with the facts of its current version. */
export interface StoredDocument {
  locator: string;
  role: string;
  url: string;
  discoveredFrom: string | null;
  goneAt: string | null;
  /** The current version's facts (JSON as written by check.ts, without its provisions), or null before the first version. */
  factsJson: string | null;
}

export interface KnownState {
  documents: Map<string, KnownDocument>;
  state: Map<string, string>; // per-model source state (e.g. "hf:sha")
  /** Sources call this to persist per-model state once the check commits. */
  setState(key: string, value: string | undefined): void;
  /** Read the store when called, so a source that runs last (references) sees what the others just stored. */
  storedDocuments(): StoredDocument[];
}

/** Answers to GETs of linked pages, shared between the models of a run (LinkedPages, in linked-pages.ts). */
export interface SharedPages {
  get(url: string, validators: { etag?: string | null; lastModified?: string | null }, fetch: () => Promise<HttpResult>, signal?: AbortSignal): Promise<HttpResult>;
}

/** What the models of one check run share: the caller (src/app/) makes a new one for every run. */
export interface RunShare {
  /** Linked pages fetched in this run, shared by every model that links them. */
  linkedPages?: SharedPages;
}

export interface Source {
  readonly name: string;
  applies(model: WatchedModel): boolean;
  fetch(model: WatchedModel, known: KnownState, signal: AbortSignal, run?: RunShare): AsyncIterable<FetchedDocument>;
}
