/** The shapes the check path shares: what one document's check reports, the context a check runs in, its listener. */
import type { WatchedModel } from '../config/schema.js';
import type { FailureCode } from '../errors.js';
import type { SharedPages, Source } from '../sources/types.js';
import type { ChangeRow } from '../store/changes.js';
import type { DB } from '../store/db.js';
import type { DocumentRow } from '../store/documents.js';
import type { FactChange, Severity } from '../terms/types.js';
import type { Deriver } from './observe/derive-needs.js';

export type DocOutcome = 'new' | 'changed' | 'unchanged' | 'error' | 'gone';

export interface DocResult {
  model: string;
  locator: string;
  role: string;
  url: string;
  outcome: DocOutcome;
  severity?: Severity;
  changes?: FactChange[];
  changeId?: number;
  reason?: string;
  /** For an error: which failure (gated, not-found, timeout, normalize...) and whether trying again can help. */
  code?: FailureCode;
  retryable?: boolean;
  status?: number;
  bytes?: number;
  discoveredFrom?: string;
  ms: number;
  /** Part of `ms` spent fetching (network), for the fetch-duration metric. */
  fetchMs?: number;
}

/** The write transaction a listener runs in: the check's database and the run its alerts belong to. */
export interface Tx {
  db: DB;
  /** The check run (check_runs row) this check belongs to: alerts of one run and model go out as one message. */
  runId: number | null;
}

export interface Failure {
  reason: string;
  code: FailureCode;
  retryable: boolean;
}

/**
 * What a check tells the rest of termdrift. The `tx` hooks run inside the write transaction of the observation, so
 * what they write (pending alerts) commits with it or not at all; the others run after it committed.
 */
export interface CheckListener {
  /**
   * Awaited before a transaction that may record a change: a listener loads here what its onChange needs (the alert
   * policy's verdict lines read the terms), so a check that records no change never loads it.
   */
  beforeChange?(): Promise<void>;
  /** A change was recorded (inside its transaction). */
  onChange?(tx: Tx, change: ChangeRow, model: WatchedModel): void;
  /** A document's check failed (inside its transaction); `doc` carries the streak including this failure. */
  onFailure?(tx: Tx, doc: DocumentRow, model: WatchedModel, failure: Failure): void;
  /** The first good check after `failures` failed ones (inside its transaction). */
  onRecovered?(tx: Tx, doc: DocumentRow, model: WatchedModel, failures: number): void;
  /** One document's result, after its transaction committed. */
  onDocument?(result: DocResult): void;
  /** A model's check ended (completed, or cut by its deadline), with every result it gave. */
  onModelChecked?(tx: Tx, model: WatchedModel, results: DocResult[], how: { ms: number; deadline: boolean }): void;
}

/**
 * Everything a check of one model needs. Built per run by the composition root (src/app/): a later feature adds a
 * field here (a per-run cache, a concurrency limit) rather than a parameter to every function.
 */
export interface CheckContext {
  db: DB;
  sources: Source[];
  now?: () => Date;
  runId?: number | null;
  listener?: CheckListener;
  /** Where normalising and analysing run: a worker-thread pool in the worker and `check`, inline when absent. */
  deriver?: Deriver;
  /** Linked pages shared by the models of this run (src/app/ makes one per run); without it each model fetches its own. */
  linkedPages?: SharedPages;
  /**
   * Wraps the wait for the derive thread: a model waiting for its text to be read can lend its concurrency slot to
   * another model's requests meanwhile (`check` does; see cli/check.ts). `bytes`: what the wait keeps in memory (the
   * fetched page and the stored copy read with it). Absent: the wait holds the slot.
   */
  whileDeriving?: <T>(work: () => Promise<T>, bytes: number) => Promise<T>;
}

/** Several listeners as one, called in order. */
export function listeners(...ls: (CheckListener | undefined)[]): CheckListener {
  const all = ls.filter((l): l is CheckListener => l !== undefined);
  return {
    beforeChange: async () => {
      for (const l of all) await l.beforeChange?.();
    },
    onChange: (tx, c, m) => all.forEach((l) => l.onChange?.(tx, c, m)),
    onFailure: (tx, d, m, f) => all.forEach((l) => l.onFailure?.(tx, d, m, f)),
    onRecovered: (tx, d, m, n) => all.forEach((l) => l.onRecovered?.(tx, d, m, n)),
    onDocument: (r) => all.forEach((l) => l.onDocument?.(r)),
    onModelChecked: (tx, m, r, how) => all.forEach((l) => l.onModelChecked?.(tx, m, r, how)),
  };
}
