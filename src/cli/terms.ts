import type { Command } from 'commander';
import { documentAt, isInForce } from '../evidence/asof.js';
import { getBlob, getText } from '../store/blobs.js';
import type { DB } from '../store/db.js';
import type { DocumentRow } from '../store/documents.js';
import type { VersionWithSize } from '../store/versions.js';
import { CliError, openDb, parseWhen, pickDocument, requireModel, versionsOf } from './context.js';
import type { Cli } from './io.js';

/** Where a text in force comes from: `terms --json` prints it with the text, the dashboard shows it above the text. */
export interface TermsProvenance {
  model: string;
  locator: string;
  role: string;
  url: string;
  asOf: string;
  version: number;
  sha256: string;
  rawSha256: string;
  mediaType: string;
  revision: string | null;
  firstSeenAt: string;
  lastConfirmedAt: string;
  supersededAt: string | null;
}

/** The version of a document in force at `at`, or a CliError saying why there is none (1 = not observed then). */
export function termsInForce(db: DB, modelId: string, doc: DocumentRow, at: string): { version: VersionWithSize; provenance: TermsProvenance } {
  const versions = versionsOf(db, doc);
  if (versions.length === 0) throw new CliError(`${doc.locator} has never been observed successfully`, 1);
  const inForce = documentAt(db, doc, at);
  if (!isInForce(inForce)) {
    if (inForce.reason === 'not-observed-yet') throw new CliError(`no observation of ${doc.locator} at ${at}: termdrift first saw it at ${versions[0]!.first_seen_at}`, 1);
    const why = inForce.reason === 'unlinked' ? `was no longer linked at ${at}: no document of ${modelId} has linked to it since ${inForce.since}` : `was gone at ${at}: it disappeared at ${inForce.since}`;
    throw new CliError(`${doc.locator} ${why} (its last text: --as-of ${inForce.last!.first_seen_at})`, 1);
  }
  const index = inForce.number - 1;
  const v = versions[index]!;
  return {
    version: v,
    provenance: {
      model: modelId,
      locator: doc.locator,
      role: doc.role,
      url: doc.url,
      asOf: at,
      version: index + 1,
      sha256: v.text_sha256,
      rawSha256: v.raw_sha256,
      mediaType: v.media_type,
      revision: v.revision,
      firstSeenAt: v.first_seen_at,
      lastConfirmedAt: v.last_confirmed_at,
      supersededAt: versions[index + 1]?.first_seen_at ?? null,
    },
  };
}

/** The object `terms --json` prints. */
export function termsJson(db: DB, found: ReturnType<typeof termsInForce>, raw: boolean) {
  const v = found.version;
  const text = raw ? getBlob(db, v.raw_sha256).toString('base64') : getText(db, v.text_sha256);
  return { ...found.provenance, encoding: raw ? 'base64' : 'utf8', text };
}

export function register(program: Command, cli: Cli): void {
  program
    .command('terms')
    .description('print the exact text of a document in force at a moment (default: now)')
    .argument('<model>', 'model id')
    .option('--doc <role|url|locator>', 'which document (default: the license)')
    .option('--as-of <date>', 'e.g. 2026-03-01 or 2026-03-01T12:00Z (UTC unless an offset is given)')
    .option('--json', 'text and provenance as one JSON object')
    .option('--raw', 'the bytes exactly as fetched instead of the normalised text')
    .action((modelId: string, opts: { doc?: string; asOf?: string; json?: boolean; raw?: boolean }) => {
      const db = openDb(cli.settings(), { readonly: true });
      try {
        requireModel(db, modelId);
        const doc = pickDocument(db, modelId, opts.doc);
        const at = opts.asOf ? parseWhen(opts.asOf, '--as-of') : new Date().toISOString();
        const found = termsInForce(db, modelId, doc, at);
        if (opts.json) {
          cli.out(JSON.stringify(termsJson(db, found, Boolean(opts.raw)), null, 2));
          return;
        }
        const { version: v, provenance } = found;
        cli.io.stderr.write(
          `# ${modelId} ${doc.locator} as of ${at}\n# version ${provenance.version}, first seen ${v.first_seen_at}, last confirmed ${v.last_confirmed_at}` +
            `${provenance.supersededAt ? `, superseded ${provenance.supersededAt}` : ''}\n# sha256 ${opts.raw ? v.raw_sha256 + ' (raw)' : v.text_sha256}` +
            `${v.revision ? `  revision ${v.revision}` : ''}\n# ${doc.url}\n`,
        );
        cli.io.stdout.write(opts.raw ? getBlob(db, v.raw_sha256) : getText(db, v.text_sha256));
      } finally {
        db.close();
      }
    });
}
