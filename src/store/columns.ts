/**
 * The JSON columns of the store, parsed in one place and typed with the terms types: callers never JSON.parse a
 * column themselves. How a column is kept may change (versions.facts_json already lost its provisions to a
 * compressed column, see facts-columns.ts); these readers are what callers see.
 * Each call parses afresh (no cache): callers may change what they get (factsFor adds a card) without touching
 * another caller's copy.
 */
import type { FactChange, Facts } from '../terms/types.js';
import type { Verdict } from '../terms/uses-vocabulary.js';


/** JSON written by termdrift itself; a value that does not parse (a hand-edited database) reads as nothing. */
function parsed(json: string | null | undefined): unknown {
  if (json === null || json === undefined || json === '') return undefined;
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A version's facts (versions.facts_json): whole from the whole readers, without `provisions` from the lean ones
 * (versions.ts says which). Undefined for a version with no analysis.
 */
export function versionFacts(row: { facts_json: string | null }): Facts | undefined {
  const v = parsed(row.facts_json);
  return isObject(v) ? (v as unknown as Facts) : undefined;
}

/** The same for facts JSON read under another name (a join's `factsJson`). */
export function factsFromJson<T = Facts>(json: string | null | undefined): T | undefined {
  const v = parsed(json);
  return isObject(v) ? (v as T) : undefined;
}

/** The fact changes a change carries (changes.facts_delta_json, or a decision's draft of one), each with its summary. */
export function factChanges(row: { facts_delta_json: string }): FactChange[] {
  const v = parsed(row.facts_delta_json);
  return Array.isArray(v) ? (v.filter((c) => isObject(c) && typeof c.summary === 'string') as FactChange[]) : [];
}

/** What an alert says beyond its columns (alerts.detail_json): the subject, summary, reverted, verdict lead, … */
export function alertDetail(row: { detail_json: string }): Record<string, unknown> {
  const v = parsed(row.detail_json);
  return isObject(v) ? v : {};
}

/** The locators a finding is about (findings.documents_json). */
export function findingDocuments(row: { documents_json: string }): string[] {
  const v = parsed(row.documents_json);
  return Array.isArray(v) ? v.filter((d): d is string => typeof d === 'string') : [];
}

/** The verdicts `rely` recorded with a sign-off (signoffs.verdicts_json); undefined for older sign-offs. */
export function signoffVerdicts(json: string | null): Verdict[] | undefined {
  const v = parsed(json);
  return Array.isArray(v) ? (v as Verdict[]) : undefined;
}

/** A JSON list of strings kept in a column (documents.last_paths). */
export function stringList(json: string | null | undefined): string[] | undefined {
  const v = parsed(json);
  return Array.isArray(v) ? v.filter((d): d is string => typeof d === 'string') : undefined;
}
