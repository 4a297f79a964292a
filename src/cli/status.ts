import type { Command } from 'commander';
import { modelStatus, type ModelStatus } from '../evidence/status.js';
import { signedOffBy } from '../evidence/signoff.js';
import { listModels } from '../store/models.js';
import { openDb, requireModel, settings } from './context.js';

export function register(program: Command): void {
  program
    .command('status')
    .description('per model: last check, current license, and whether the terms drifted since the latest sign-off')
    .argument('[model]', 'only this model')
    .option('--json', 'machine-readable: {"models":[{...}]}, one object per model (fields are only ever added)')
    .action((modelId: string | undefined, opts: { json?: boolean }) => {
      const db = openDb(settings(), { mustExist: true });
      try {
        if (modelId) requireModel(db, modelId);
        const ids = modelId ? [modelId] : listModels(db).filter((m) => !m.removed_at).map((m) => m.id);
        const models = ids.map((id) => modelStatus(db, id));
        if (opts.json) {
          console.log(JSON.stringify({ models }, null, 2));
          return;
        }
        if (models.length === 0) console.log('No model has been checked yet: run `termdrift check`.');
        console.log(models.map(describe).join('\n\n'));
      } finally {
        db.close();
      }
    });
}

function describe(m: ModelStatus): string {
  const out = [`${m.id}${m.name !== m.id ? ` (${m.name})` : ''}`];
  const checked =
    m.lastOutcome === 'never-checked'
      ? 'never checked'
      : `last check ${m.lastCheckedAt}: ${m.lastOutcome === 'ok' ? 'ok' : `${m.failing.length} failing`} (${m.documents} document(s)${m.gone.length ? `, ${m.gone.length} gone` : ''})`;
  out.push(`  ${checked}`);
  for (const f of m.failing) out.push(`    ${f.locator}: ${f.reason ?? 'failed'}`);
  for (const g of m.gone) out.push(`    ${g.locator}: gone since ${g.goneAt}`);
  const l = m.license;
  out.push(`  license: ${l ? `${l.spdx ?? l.name ?? l.id} (${l.family})` : 'none identified'}; commercial use: ${m.commercialUse}`);
  if (m.thresholds.length) out.push(`  thresholds: ${m.thresholds.map((t) => t.text).join('; ')}`);
  const s = m.latestSignoff;
  if (!s) {
    out.push(`  no sign-off: record one with \`termdrift rely ${m.id} --by NAME\``);
    return out.join('\n');
  }
  out.push(`  sign-off ${s.id}: ${signedOffBy(s)} (terms in force at ${s.asOf})${s.note ? `: "${s.note}"` : ''}`);
  if (m.drift.status === 'none') {
    out.push('  no drift: the current terms are the ones signed off');
    return out.join('\n');
  }
  out.push(`  DRIFT [${m.drift.severity}]: ${m.drift.line}`);
  for (const d of m.drift.documents.filter((x) => x.status !== 'unchanged')) {
    const versions = d.signed && d.current ? `version ${d.signed.number} → ${d.current.number}` : d.status;
    const steps = d.changesRecorded ? `, ${d.changesRecorded} change(s) recorded since` : '';
    out.push(`    ${d.role} ${d.locator}: ${versions} [${d.severity}]${steps}`);
    for (const c of d.changes) out.push(`      ${c.summary}`);
  }
  return out.join('\n');
}
