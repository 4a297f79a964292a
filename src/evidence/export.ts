import { existsSync, lstatSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { getBlob, sha256 } from '../store/blobs.js';
import type { DB } from '../store/db.js';
import { getModel } from '../store/models.js';
import { lastRecordedAt } from '../store/versions.js';
import { getSignoff, signoffAt, signoffVersionIds, type SignoffRow } from '../store/signoffs.js';
import { END_OF_TIME, termsAt, versionsByIds, type DocumentVersion, type TermsAt } from './asof.js';
import { canonicalJson, documentFolder, extensionFor, insideBundle } from './bundle-files.js';
import { EvidenceError } from './errors.js';
import { versionFacts } from './facts.js';
import { BUNDLE_FORMAT, type FileEntry, type Manifest, type ManifestDocument, type ManifestSignoff } from './manifest.js';
import { renderReadme } from './readme.js';
import { buildBrief } from './brief.js';
import { briefHtml, briefMarkdown } from './brief-render.js';
import type { Declared } from '../terms/uses.js';

export type Selection = { signoffId: number } | { asOf: string } | Record<string, never>;

export interface Bundle {
  manifest: Manifest;
  /** Every file, manifest.json last; paths are bundle-relative with forward slashes. */
  files: { path: string; bytes: Buffer }[];
}


/** Build the evidence bundle in memory. Everything comes from the database: no clock, so the bytes are repeatable. */
export function buildBundle(db: DB, modelId: string, sel: Selection, declared: Declared = { uses: [] }): Bundle {
  const model = getModel(db, modelId);
  if (!model) throw new EvidenceError('not-found', `unknown model "${modelId}"`);
  const { terms, signoff, selection } = select(db, modelId, sel);
  const signedIds = new Set(signoff ? signoffVersionIds(db, signoff.id) : []);
  const files: Bundle['files'] = [];
  const entry = (file: string, bytes: Buffer, expected: string): FileEntry & { file: string } => {
    const hash = sha256(bytes);
    // A blob that no longer matches its own address means the database itself was altered: never export it.
    if (hash !== expected) throw new EvidenceError('mismatch', `the database blob ${expected} does not match its SHA-256 (got ${hash})`);
    files.push({ path: file, bytes });
    return { file, sha256: hash, size: bytes.length };
  };
  const documents: ManifestDocument[] = terms.documents.map((d, i) => {
    const folder = documentFolder(i, d.doc.role, d.doc.locator);
    const v = d.version;
    return {
      folder,
      locator: d.doc.locator,
      role: d.doc.role,
      url: d.doc.url,
      discoveredFrom: d.doc.discovered_from,
      documentFirstSeenAt: d.doc.first_seen_at,
      version: {
        number: d.number,
        firstSeenAt: v.first_seen_at,
        lastConfirmedAt: v.last_confirmed_at,
        supersededAt: d.supersededAt,
        revision: v.revision,
        revisionDate: v.revision_date,
        mediaType: v.media_type,
        normalizer: v.normalizer,
      },
      text: entry(`${folder}/text.txt`, getBlob(db, v.text_sha256), v.text_sha256),
      raw: entry(`${folder}/raw.${extensionFor(v.media_type)}`, getBlob(db, v.raw_sha256), v.raw_sha256),
      signedOff: signedIds.has(v.id),
      facts: versionFacts(db, v, d.doc),
    };
  });
  const manifest: Manifest = {
    format: BUNDLE_FORMAT,
    model: { id: model.id, name: model.name },
    selection,
    signoff: signoff ? manifestSignoff(db, modelId, signoff) : null,
    documents,
    absent: terms.absent.map((a) => ({ locator: a.doc.locator, role: a.doc.role, url: a.doc.url, reason: a.reason, since: a.since })),
    files: {},
  };
  const readme = Buffer.from(renderReadme(manifest));
  files.push({ path: 'README.txt', bytes: readme });
  // The reviewer's one-page brief of exactly these terms, in the three forms `termdrift brief` prints.
  const brief = buildBrief(db, modelId, declared, selection.kind === 'latest' ? undefined : terms.at);
  files.push({ path: 'brief.md', bytes: Buffer.from(briefMarkdown(brief)) });
  files.push({ path: 'brief.html', bytes: Buffer.from(briefHtml(brief)) });
  files.push({ path: 'brief.json', bytes: Buffer.from(canonicalJson(brief)) });
  for (const f of files) manifest.files[f.path] = { sha256: sha256(f.bytes), size: f.bytes.length };
  files.push({ path: 'manifest.json', bytes: Buffer.from(canonicalJson(manifest)) });
  return { manifest, files };
}

function select(db: DB, modelId: string, sel: Selection): { terms: TermsAt; signoff: SignoffRow | undefined; selection: Manifest['selection'] } {
  if ('signoffId' in sel) {
    const signoff = getSignoff(db, sel.signoffId);
    if (!signoff || signoff.model_id !== modelId) throw new EvidenceError('not-found', `--signoff: "${modelId}" has no sign-off ${sel.signoffId}`);
    const documents = versionsByIds(db, modelId, signoffVersionIds(db, signoff.id));
    return { terms: { at: signoff.as_of, documents, absent: [] }, signoff, selection: { kind: 'signoff', asOf: signoff.as_of, signoffId: signoff.id, dataUntil: lastRecordedAt(db, modelId) } };
  }
  const at = 'asOf' in sel ? sel.asOf : END_OF_TIME;
  const terms = termsAt(db, modelId, at);
  return { terms, signoff: signoffAt(db, modelId, at), selection: { kind: 'asOf' in sel ? 'as-of' : 'latest', asOf: 'asOf' in sel ? at : null, signoffId: null, dataUntil: lastRecordedAt(db, modelId) } };
}

function manifestSignoff(db: DB, modelId: string, s: SignoffRow): ManifestSignoff {
  const versions = versionsByIds(db, modelId, signoffVersionIds(db, s.id)).map((d: DocumentVersion) => ({
    locator: d.doc.locator,
    number: d.number,
    sha256: d.version.text_sha256,
  }));
  return { id: s.id, by: s.by, at: s.at, asOf: s.as_of, note: s.note, versions };
}

/** The names an export owns inside DIR: what `--force` replaces. */
const OWNED = ['documents', 'manifest.json', 'README.txt', 'brief.md', 'brief.html', 'brief.json'];

/**
 * Write a bundle into `dir`. A non-empty `dir` is refused unless `force`, which replaces only the names a bundle
 * owns (never anything else the user keeps there). Returns the other entries left in `dir`, which `verify` reports.
 */
export function writeBundle(dir: string, bundle: Bundle, opts: { force?: boolean } = {}): { foreign: string[] } {
  if (existsSync(dir)) {
    if (!lstatSync(dir).isDirectory()) throw new EvidenceError('refused', `--out: ${dir} exists and is not a directory`);
    const entries = readdirSync(dir);
    if (entries.length > 0 && !opts.force) {
      throw new EvidenceError('refused', `--out: ${dir} is not empty (${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}); choose a new directory or pass --force to replace the bundle in it`);
    }
    for (const name of OWNED) rmSync(path.join(dir, name), { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  for (const f of bundle.files) {
    const full = insideBundle(dir, f.path);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, f.bytes, { flag: 'wx' });
  }
  return { foreign: readdirSync(dir).filter((n) => !OWNED.includes(n)).sort() };
}
