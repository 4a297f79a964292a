import type { Command } from 'commander';
import { absentWords } from '../evidence/asof.js';
import { recordSignoff } from '../evidence/signoff.js';
import { documentFacts } from '../evidence/verdicts.js';
import { setSignoffVerdicts } from '../store/signoffs.js';
import { verdicts } from '../terms/uses.js';
import { openDb, parseWhen } from './context.js';
import { declaredFor } from './declared.js';
import type { Cli } from './io.js';

export function register(program: Command, cli: Cli): void {
  program
    .command('rely')
    .description('record a sign-off: who relied on the exact document versions of a model in force at a moment, and why')
    .argument('<model>', 'model id')
    .requiredOption('--by <name>', 'who signs off (a name or an email address)')
    .option('--note <text>', 'why, e.g. "approved for the support-bot launch"')
    .option('--as-of <date>', 'sign off the versions in force then (default: now)')
    .option('--json', 'the recorded sign-off as one JSON object (docs/json.md)')
    .action((modelId: string, opts: { by: string; note?: string; asOf?: string; json?: boolean }) => {
      const asOf = opts.asOf ? parseWhen(opts.asOf, '--as-of') : undefined;
      const db = openDb(cli.settings(), { mustExist: true });
      try {
        const r = recordSignoff(db, modelId, { by: opts.by, note: opts.note, asOf, now: new Date() });
        if (opts.json) {
          cli.json({
            id: r.id,
            model: modelId,
            by: r.signoff.by,
            note: opts.note ?? null,
            asOf: r.at,
            documents: r.documents.map((d) => ({ locator: d.doc.locator, role: d.doc.role, url: d.doc.url, version: d.number, sha256: d.version.text_sha256, firstSeenAt: d.version.first_seen_at, lastCheckFailed: d.doc.last_outcome === 'error' })),
            absent: r.absent.map((a) => ({ locator: a.doc.locator, role: a.doc.role, url: a.doc.url, reason: a.reason, since: a.since ?? null })),
          });
          return;
        }
        cli.out(`Recorded sign-off ${r.id}: ${r.signoff.by} relied on ${r.documents.length} document version(s) of ${modelId} in force at ${r.at}.`);
        for (const d of r.documents) {
          const failing = d.doc.last_outcome === 'error' ? ` (note: its last check failed: ${d.doc.last_reason}; this is the last good version)` : '';
          cli.out(`  ${d.doc.role.padEnd(14)} version ${d.number}, first seen ${d.version.first_seen_at}, sha256 ${d.version.text_sha256.slice(0, 12)}  ${d.doc.url}${failing}`);
        }
        for (const a of r.absent) cli.out(`  ${a.doc.role.padEnd(14)} not covered: ${absentWords(a.reason)} at that time${a.since ? ` (since ${a.since})` : ''}  ${a.doc.url}`);
        // The answers signed off, with the versions above: `status` and `gate` say which of them moved since.
        const declared = declaredFor(cli, modelId);
        if (declared.uses.length) {
          const vs = verdicts(documentFacts(db, r.documents), declared);
          setSignoffVerdicts(db, r.id, JSON.stringify(vs));
          cli.out(`  verdicts signed off: ${vs.map((v) => `${v.use} ${v.verdict}`).join(', ')}`);
        }
        cli.out(`Export it with: termdrift export ${modelId} --signoff ${r.id} --out DIR`);
      } finally {
        db.close();
      }
    });
}

