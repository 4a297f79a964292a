import { getText } from '../store/blobs.js';
import type { DB } from '../store/db.js';
import type { VersionRow } from '../store/versions.js';
import { factsFor, type Facts } from '../terms/index.js';

/**
 * The analyser's facts for a stored version (terms' factsFor, reading the stored text only when it is needed). The
 * document's URL resolves relative links the same way the check did, so re-analysis never invents a reference change.
 */
export function versionFacts(db: DB, v: VersionRow, doc: { role: string; url: string }): Facts {
  return factsFor(v, () => getText(db, v.text_sha256), doc.role, doc.url);
}
