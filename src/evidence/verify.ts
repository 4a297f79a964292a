import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as z from 'zod';
import { sha256 } from '../store/blobs.js';
import type { DB } from '../store/db.js';
import { findDocument } from '../store/documents.js';
import { getModel } from '../store/models.js';
import { getSignoff, signoffVersionIds } from '../store/signoffs.js';
import { listVersions } from '../store/versions.js';
import { versionsByIds } from './asof.js';
import { insideBundle } from './bundle-files.js';
import { checkClaimsAlone, checkClaimsWithDb } from './verify-claims.js';
import { checkDocumentSet } from './verify-set.js';
import { EvidenceError } from './errors.js';
import { BUNDLE_FORMAT } from './manifest.js';

export interface VerifyProblem {
  /** Bundle-relative path of the file at fault (manifest.json when the manifest itself disagrees). */
  file: string;
  problem: string;
}

export interface VerifyResult {
  model: string;
  /** SHA-256 of manifest.json: the one number to write down or sign, since it pins every other file. */
  manifestSha256: string;
  files: number;
  database: 'checked' | 'not-used';
  problems: VerifyProblem[];
  /** Differences that do not make the bundle wrong, e.g. the database's text re-derived by a newer normaliser. */
  notes: VerifyProblem[];
}

// Only what verify relies on; the rest of the manifest is carried, not checked, so newer fields pass.
const fileEntry = z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/), size: z.number().int().nonnegative() });
const docFile = fileEntry.extend({ file: z.string() });
const manifestSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  model: z.object({ id: z.string() }),
  files: z.record(z.string(), fileEntry),
  selection: z.object({ kind: z.enum(['latest', 'as-of', 'signoff']), asOf: z.string().nullable(), signoffId: z.number().int().nullable(), dataUntil: z.string().nullable().optional() }),
  documents: z.array(
    z.object({
      locator: z.string(),
      url: z.string().optional(),
      role: z.string().optional(),
      discoveredFrom: z.string().nullable().optional(),
      documentFirstSeenAt: z.string().optional(),
      signedOff: z.boolean().optional(),
      facts: z.record(z.string(), z.unknown()).optional(),
      version: z.object({
        number: z.number().int(),
        firstSeenAt: z.string(),
        lastConfirmedAt: z.string(),
        normalizer: z.string(),
        supersededAt: z.string().nullable().optional(),
        revision: z.string().nullable().optional(),
        revisionDate: z.string().nullable().optional(),
        mediaType: z.string().optional(),
      }),
      text: docFile,
      raw: docFile,
    }),
  ),
  absent: z.array(z.object({ since: z.string().nullable().optional() })).optional(),
  signoff: z.object({ id: z.number().int(), by: z.string(), at: z.string(), asOf: z.string(), note: z.string().nullable().optional(), versions: z.array(z.object({ locator: z.string(), number: z.number().int() })) }).nullable(),
});
type CheckedManifest = z.infer<typeof manifestSchema>;

/** Re-hash every file of a bundle against its manifest and, given the database, against the stored versions. */
export function verifyBundle(dir: string, db?: DB): VerifyResult {
  const manifestPath = path.join(dir, 'manifest.json');
  if (!existsSync(dir)) throw new EvidenceError('not-found', `${dir} does not exist`);
  if (!existsSync(manifestPath)) throw new EvidenceError('not-found', `${dir} has no manifest.json: it is not a termdrift evidence bundle`);
  const bytes = readFileSync(manifestPath);
  let m: CheckedManifest;
  try {
    m = manifestSchema.parse(JSON.parse(bytes.toString('utf8')));
  } catch (err) {
    const why = err instanceof z.ZodError ? err.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).slice(0, 3).join('; ') : 'not valid JSON';
    return { model: '?', manifestSha256: sha256(bytes), files: 0, database: 'not-used', notes: [], problems: [{ file: 'manifest.json', problem: `not a ${BUNDLE_FORMAT} manifest (${why})` }] };
  }
  const problems: VerifyProblem[] = [...checkFiles(dir, m), ...checkDocuments(m)];
  const notes: VerifyProblem[] = [];
  for (const d of m.documents) problems.push(...checkClaimsAlone(d, () => bundledText(dir, m, d.text), notes));
  if (db) problems.push(...checkDatabase(db, m, notes));
  return { model: m.model.id, manifestSha256: sha256(bytes), files: Object.keys(m.files).length, database: db ? 'checked' : 'not-used', problems, notes };
}

function checkFiles(dir: string, m: CheckedManifest): VerifyProblem[] {
  const out: VerifyProblem[] = [];
  for (const [rel, want] of Object.entries(m.files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    let full: string;
    try {
      full = insideBundle(dir, rel);
    } catch (err) {
      out.push({ file: rel, problem: (err as Error).message.replace(/^"[^"]*": /, '') });
      continue;
    }
    if (!existsSync(full) || !lstatSync(full).isFile()) {
      out.push({ file: rel, problem: 'missing from the bundle' });
      continue;
    }
    const data = readFileSync(full);
    const got = sha256(data);
    if (got !== want.sha256) out.push({ file: rel, problem: `SHA-256 mismatch: manifest says ${want.sha256}, file has ${got} (${data.length} bytes)` });
  }
  for (const rel of walk(dir)) {
    if (rel !== 'manifest.json' && !(rel in m.files)) out.push({ file: rel, problem: 'not listed in the manifest (added to the bundle)' });
  }
  return out;
}

/** The manifest's per-document hashes must agree with its own file list, or one of them was edited. */
function checkDocuments(m: CheckedManifest): VerifyProblem[] {
  const out: VerifyProblem[] = [];
  for (const d of m.documents) {
    for (const f of [d.text, d.raw]) {
      if (m.files[f.file]?.sha256 !== f.sha256) out.push({ file: f.file, problem: `manifest.json disagrees with itself about this file (documents says ${f.sha256})` });
    }
  }
  return out;
}

function checkDatabase(db: DB, m: CheckedManifest, notes: VerifyProblem[]): VerifyProblem[] {
  if (!getModel(db, m.model.id)) return [{ file: 'manifest.json', problem: `model "${m.model.id}" is not in the database` }];
  const out: VerifyProblem[] = [];
  // The versions the bundle's sign-off covers, as the database has them (none when the sign-off is not there).
  const row = m.signoff ? getSignoff(db, m.signoff.id) : undefined;
  const signed = new Set(row && row.model_id === m.model.id ? signoffVersionIds(db, row.id) : []);
  for (const d of m.documents) {
    const doc = findDocument(db, m.model.id, d.locator);
    const v = doc && listVersions(db, doc.id)[d.version.number - 1];
    if (!v) {
      out.push({ file: d.text.file, problem: `the database has no version ${d.version.number} of ${d.locator}` });
      continue;
    }
    // A newer normaliser re-derives the text of the same fetched bytes in place; the bundle's text is still what was compared then.
    const renormalised = v.raw_sha256 === d.raw.sha256 && v.normalizer !== d.version.normalizer;
    if (v.text_sha256 !== d.text.sha256 && renormalised) {
      notes.push({ file: d.text.file, problem: `made by normaliser ${d.version.normalizer}; the database now holds the same fetched bytes normalised by ${v.normalizer}` });
    } else if (v.text_sha256 !== d.text.sha256) out.push({ file: d.text.file, problem: `differs from version ${d.version.number} of ${d.locator} in the database (stored sha256 ${v.text_sha256})` });
    if (v.raw_sha256 !== d.raw.sha256) out.push({ file: d.raw.file, problem: `differs from version ${d.version.number} of ${d.locator} in the database (stored sha256 ${v.raw_sha256})` });
    if (v.first_seen_at !== d.version.firstSeenAt) out.push({ file: 'manifest.json', problem: `${d.locator} version ${d.version.number} was first seen at ${v.first_seen_at}, not ${d.version.firstSeenAt}` });
    out.push(...checkClaimsWithDb(db, d, doc, v, listVersions(db, doc.id)[d.version.number], signed, notes));
  }
  out.push(...checkDocumentSet(db, m));
  if (m.signoff) {
    const s = getSignoff(db, m.signoff.id);
    // Versions by identity (document and number): their bytes are checked above, and may be re-normalised in place.
    const key = (x: { locator: string; number: number }) => `${x.locator} #${x.number}`;
    const stored = s && s.model_id === m.model.id ? versionsByIds(db, s.model_id, signoffVersionIds(db, s.id)).map((x) => key({ locator: x.doc.locator, number: x.number })).sort() : [];
    const claimed = m.signoff.versions.map(key).sort();
    if (!s || s.model_id !== m.model.id) out.push({ file: 'manifest.json', problem: `sign-off #${m.signoff.id} is not in the database` });
    else if (s.by !== m.signoff.by || s.at !== m.signoff.at || s.as_of !== m.signoff.asOf || (m.signoff.note !== undefined && s.note !== m.signoff.note) || stored.join('\n') !== claimed.join('\n')) {
      out.push({ file: 'manifest.json', problem: `sign-off #${s.id} differs from the database (stored: by ${s.by} at ${s.at}, ${stored.length} version(s))` });
    }
  }
  return out;
}

/** A document's bundled text, when it is there and is what the manifest says (else its hash problem is reported). */
function bundledText(dir: string, m: CheckedManifest, f: { file: string; sha256: string }): string | undefined {
  try {
    const data = readFileSync(insideBundle(dir, f.file));
    return sha256(data) === f.sha256 && m.files[f.file]?.sha256 === f.sha256 ? data.toString('utf8') : undefined;
  } catch {
    return undefined;
  }
}

/** Every entry under `dir` as a bundle-relative path; symlinks and other non-files are listed, never followed. */
function walk(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of readdirSync(path.join(dir, prefix)).sort()) {
    const rel = prefix ? `${prefix}/${name}` : name;
    const st = lstatSync(path.join(dir, rel));
    if (st.isDirectory()) out.push(...walk(dir, rel));
    else out.push(rel);
  }
  return out;
}
