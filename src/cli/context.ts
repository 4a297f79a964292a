import { existsSync } from 'node:fs';
import type { Settings } from '../config/settings.js';
import { openDatabase, type DB } from '../store/db.js';
import { migrations } from '../store/migrations/index.js';
import { listDocuments, type DocumentRow } from '../store/documents.js';
import { getModel, listModels } from '../store/models.js';
import { listVersions, type VersionWithSize } from '../store/versions.js';

/** An error the CLI reports as one sentence and an exit code (1 not found / not checked, 2 bad input). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 | 3 = 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * Open the database. `readonly`: for the commands that only read (history, terms, diff, status, brief, gate, alerts, export, verify):
 * they work on a read-only file or a full disk. A database of an older schema is upgraded first when it can be.
 */
export function openDb(s: Settings, opts: { mustExist?: boolean; readonly?: boolean } = {}): DB {
  if ((opts.mustExist || opts.readonly) && !existsSync(s.dbPath)) {
    throw new CliError(`no database at ${s.dbPath} yet: run \`termdrift check\` first (or set TERMDRIFT_DB)`, 1);
  }
  if (!opts.readonly) return openDatabase(s.dbPath);
  const db = openDatabase(s.dbPath, { readonly: true });
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === migrations.length) return db;
  db.close();
  if (version > migrations.length) {
    throw new CliError(`the database ${s.dbPath} has schema version ${version}, newer than this termdrift (${migrations.length}): upgrade termdrift`, 1);
  }
  return openDatabase(s.dbPath); // an older schema: migrate (needs write access once), then read
}

export function requireModel(db: DB, id: string): void {
  if (!getModel(db, id)) {
    const known = listModels(db).map((m) => m.id);
    throw new CliError(`unknown model "${id}"${known.length ? ` (known: ${known.join(', ')})` : ' (nothing has been checked yet)'}`, 1);
  }
}

/**
 * Pick one document of a model by locator, URL or role. Without a choice: the only document, or the only
 * license document.
 */
export function pickDocument(db: DB, modelId: string, choice?: string): DocumentRow {
  const docs = listDocuments(db, modelId);
  if (docs.length === 0) throw new CliError(`model "${modelId}" has no documents yet`, 1);
  let found: DocumentRow[];
  if (choice) {
    found = docs.filter((d) => d.locator === choice || d.url === choice);
    if (found.length === 0) found = docs.filter((d) => d.role === choice);
    if (found.length === 0) found = docs.filter((d) => d.locator.endsWith(choice));
  } else {
    found = docs.length === 1 ? docs : docs.filter((d) => d.role === 'license');
  }
  if (found.length === 1) return found[0]!;
  const list = docs.map((d) => `  ${d.locator} (${d.role})`).join('\n');
  if (found.length === 0 && choice) throw new CliError(`no document of "${modelId}" matches "${choice}"; its documents:\n${list}`, 2);
  throw new CliError(`"${modelId}" has several documents${choice ? ` matching "${choice}"` : ''}; choose one with --doc:\n${list}`, 2);
}

/**
 * A moment given on the command line: a date (00:00 UTC) or a date and time, in UTC unless it carries an offset.
 * Strict: `2026-02-30` or a time without an offset are never read in the machine's local zone or rolled over.
 */
export function parseWhen(value: string, option: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(value.trim());
  const bad = () => new CliError(`${option}: "${value}" is not a date (expected e.g. 2026-03-01 or 2026-03-01T12:00Z)`, 2);
  if (!m) throw bad();
  const [, y, mo, d, h = '00', mi = '00', sec = '00', frac = '', zone = 'Z'] = m;
  const t = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${sec}${frac}${zone.toUpperCase() === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')}`);
  const day = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (Number.isNaN(t) || day.getUTCMonth() !== Number(mo) - 1 || day.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59 || Number(sec) > 59) throw bad();
  return new Date(t).toISOString();
}

/** A version by its number in `history` (1 = oldest), a SHA-256 prefix, or the one in force at a date. */
export function pickVersion(versions: VersionWithSize[], spec: string, option: string): VersionWithSize {
  if (/^\d{1,6}$/.test(spec)) {
    const v = versions[Number(spec) - 1];
    if (!v) throw new CliError(`${option}: there is no version ${spec} (this document has ${versions.length})`, 1);
    return v;
  }
  if (/^[0-9a-f]{6,64}$/i.test(spec)) {
    const matches = versions.filter((v) => v.text_sha256.startsWith(spec.toLowerCase()) || v.raw_sha256.startsWith(spec.toLowerCase()));
    // The same text seen again (a revert) is one text: its latest version. Different texts are ambiguous.
    if (new Set(matches.map((v) => v.text_sha256)).size > 1) throw new CliError(`${option}: ${spec} starts the SHA-256 of ${matches.length} versions (${matches.map((v) => versions.indexOf(v) + 1).join(', ')}); give more digits`, 2);
    if (matches.length >= 1) return matches[matches.length - 1]!;
    throw new CliError(`${option}: no version has a SHA-256 starting with ${spec}`, 1);
  }
  if (/^[0-9a-f]{1,5}$/i.test(spec) && /[a-f]/i.test(spec)) throw new CliError(`${option}: a SHA-256 prefix needs at least 6 hex digits (${spec} has ${spec.length})`, 2);
  const at = parseWhen(spec, option);
  const inForce = versions.filter((v) => v.first_seen_at <= at).at(-1);
  if (!inForce) {
    throw new CliError(`${option}: ${spec} is before the first observation of this document (${versions[0]?.first_seen_at ?? 'never observed'})`, 1);
  }
  return inForce;
}

export function versionsOf(db: DB, doc: DocumentRow): VersionWithSize[] {
  return listVersions(db, doc.id);
}
