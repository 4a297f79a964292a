import { getModel } from '../store/models.js';
import type { Command } from 'commander';
import type { DB } from '../store/db.js';
import { listChecks, listDocuments } from '../store/documents.js';
import { changeForVersion, departuresOf } from '../store/changes.js';
import { listVersions } from '../store/versions.js';
import { openDb, requireModel } from './context.js';
import { escapeTerminal } from './escape.js';
import type { Cli } from './io.js';

/** The stable JSON shape of `history --json` (documented in the README). */
export function historyJson(db: DB, modelId: string) {
  return {
    model: modelId,
    documents: listDocuments(db, modelId).map((d) => ({
      locator: d.locator,
      role: d.role,
      url: d.url,
      discoveredFrom: d.discovered_from,
      firstSeenAt: d.first_seen_at,
      goneAt: d.gone_at,
      // Why it left the terms at goneAt: gone (404 on consecutive checks) or unlinked (no document links to it any more).
      goneReason: d.gone_at ? (departuresOf(db, d.id).at(-1)?.kind ?? 'gone') : null,
      lastCheckedAt: d.last_checked_at,
      lastOutcome: d.last_outcome,
      lastError: d.last_reason,
      versions: listVersions(db, d.id).map((v, i) => {
        const change = changeForVersion(db, v.id);
        return {
          number: i + 1,
          sha256: v.text_sha256,
          rawSha256: v.raw_sha256,
          size: v.size,
          rawSize: v.raw_size,
          mediaType: v.media_type,
          revision: v.revision,
          revisionDate: v.revision_date,
          firstSeenAt: v.first_seen_at,
          lastConfirmedAt: v.last_confirmed_at,
          severity: change?.severity ?? null,
          summary: change?.summary ?? null,
        };
      }),
      failures: listChecks(db, d.id)
        .filter((c) => c.outcome === 'failed' || c.outcome === 'gone')
        .map((c) => ({ at: c.at, status: c.status, reason: c.reason })),
    })),
  };
}

export function register(program: Command, cli: Cli): void {
  program
    .command('history')
    .description('every stored version of every document of a model')
    .argument('<model>', 'model id from the watchlist')
    .option('--json', 'machine-readable output (stable shape, see README)')
    .action((modelId: string, opts: { json?: boolean }) => {
      const db = openDb(cli.settings(), { readonly: true });
      try {
        requireModel(db, modelId);
        const h = historyJson(db, modelId);
        if (opts.json) {
          cli.out(JSON.stringify(h, null, 2));
          return;
        }
        // Reasons and summaries quote upstream text and server answers: never raw control characters on a terminal.
        const say = (line: string) => cli.out(escapeTerminal(line));
        if (h.documents.length === 0) {
          // Nothing stored for the model at all (e.g. its hub listing failed every time): say so, never print nothing.
          const failed = getModel(db, modelId);
          say(
            failed?.last_failure_at
              ? `no versions yet: the last attempt failed at ${failed.last_failure_at}: ${failed.last_failure_reason ?? 'failed'}`
              : `no versions yet: no document of ${modelId} has been stored (its sources have not answered; \`termdrift check --model ${modelId}\` shows why)`,
          );
          return;
        }
        for (const d of h.documents) {
          say(`${d.locator}  (${d.role})${d.goneAt ? `  ${d.goneReason === 'unlinked' ? 'NO LONGER LINKED' : 'GONE'} since ${d.goneAt}` : ''}`);
          say(`  ${d.url}${d.discoveredFrom ? `  (linked from ${d.discoveredFrom})` : ''}`);
          if (d.versions.length === 0) say(`  no version stored yet${d.lastError ? `: ${d.lastError}` : ''}`);
          for (const v of d.versions) {
            say(
              `  #${v.number}  ${v.firstSeenAt} → ${v.lastConfirmedAt}  sha256 ${v.sha256.slice(0, 12)}  ${v.size} B` +
                `${v.revision ? `  rev ${v.revision.length > 20 ? v.revision.slice(0, 12) : v.revision}` : ''}${v.severity ? `  [${v.severity}]` : ''}`,
            );
            if (v.summary) say(`       ${v.summary}`);
          }
          const recent = d.failures.slice(-3);
          for (const f of recent) say(`  ! ${f.at}  ${f.reason ?? `HTTP ${f.status}`}`);
          say('');
        }
      } finally {
        db.close();
      }
    });
}
