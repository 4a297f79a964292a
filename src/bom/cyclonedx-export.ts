/**
 * The watched models as a CycloneDX 1.6 AI-BOM: one `machine-learning-model` component per model, with the terms in
 * force as its license, hashes and external references, and termdrift's facts and latest sign-off as `termdrift:`
 * properties. Everything comes from the database and the watchlist, none from the clock, so the same data gives the
 * same bytes (the timestamp is the latest moment the data holds; the serial number is derived from the content).
 */
import { createHash } from 'node:crypto';
import spdxList from 'spdx-license-list';
import type { WatchedModel } from '../config/schema.js';
import { buildBundle, type Bundle } from '../evidence/export.js';
import { modelStatus } from '../evidence/status.js';
import type { DB } from '../store/db.js';

export const CYCLONEDX_SPEC = '1.6';
const TOOL_VERSION = '0.1.0';

type Json = Record<string, unknown>;
const SPDX = spdxList as unknown as Record<string, unknown>;

export function huggingfacePurl(repo: string, revision?: string | null): string {
  const [owner, name] = repo.split('/') as [string, string];
  return `pkg:huggingface/${encodeURIComponent(owner)}/${encodeURIComponent(name)}${revision ? `@${encodeURIComponent(revision.toLowerCase())}` : ''}`;
}

export function githubPurl(repo: string, revision?: string | null): string {
  const [owner, name] = repo.split('/') as [string, string];
  return `pkg:github/${encodeURIComponent(owner.toLowerCase())}/${encodeURIComponent(name.toLowerCase())}${revision ? `@${encodeURIComponent(revision)}` : ''}`;
}

const REF_TYPE: Record<string, string> = { license: 'license', 'model-card': 'model-card', 'acceptable-use': 'other', referenced: 'other', other: 'other' };

/** One component. `watched` is the model's watchlist entry (absent for a model removed from the watchlist). */
export function modelComponent(db: DB, modelId: string, watched: WatchedModel | undefined): Json {
  const bundle = buildBundle(db, modelId, {});
  const status = modelStatus(db, modelId);
  const docs = bundle.manifest.documents;
  const revisionOf = (prefix: string) => docs.find((d) => d.locator.startsWith(prefix) && d.version.revision)?.version.revision ?? null;
  const purl = watched?.huggingface
    ? huggingfacePurl(watched.huggingface, revisionOf('hf:'))
    : watched?.github
      ? githubPurl(watched.github, revisionOf('gh:'))
      : undefined;
  const [group, name] = watched?.huggingface?.split('/') ?? watched?.github?.split('/') ?? [undefined, modelId];
  const properties: { name: string; value: string }[] = [
    { name: 'termdrift:model.id', value: modelId },
    { name: 'termdrift:commercialUse', value: status.commercialUse },
  ];
  if (status.license) {
    properties.push({ name: 'termdrift:license.id', value: status.license.id }, { name: 'termdrift:license.family', value: status.license.family });
    properties.push({ name: 'termdrift:license.document', value: status.license.locator });
  }
  for (const t of status.thresholds) properties.push({ name: 'termdrift:threshold', value: t.text });
  for (const d of docs) {
    properties.push({ name: 'termdrift:document', value: `${d.locator} role=${d.role} version=${d.version.number} firstSeenAt=${d.version.firstSeenAt} sha256=${d.text.sha256}` });
  }
  for (const a of bundle.manifest.absent) properties.push({ name: 'termdrift:document.absent', value: `${a.locator} ${a.reason}${a.since ? ` since ${a.since}` : ''}` });
  const s = status.latestSignoff;
  if (s) {
    properties.push(
      { name: 'termdrift:signoff.id', value: String(s.id) },
      { name: 'termdrift:signoff.by', value: s.by },
      { name: 'termdrift:signoff.at', value: s.at },
      { name: 'termdrift:signoff.asOf', value: s.asOf },
    );
    if (s.note) properties.push({ name: 'termdrift:signoff.note', value: s.note });
  }
  properties.push({ name: 'termdrift:drift', value: status.drift.status + (status.drift.severity ? ` ${status.drift.severity}` : '') });
  const component: Json = {
    type: 'machine-learning-model',
    'bom-ref': `termdrift:model/${modelId}`,
    ...(group ? { group } : {}),
    name,
    description: status.name,
    ...(purl ? { purl } : {}),
    licenses: licenseChoice(bundle, status.license),
    hashes: uniqueHashes(docs.map((d) => d.raw.sha256)),
    externalReferences: docs.map((d) => ({
      type: REF_TYPE[d.role] ?? 'other',
      url: d.url,
      comment: `termdrift ${d.locator} (${d.role}), version ${d.version.number}${d.version.revision ? ` at ${d.version.revision}` : ''}`,
      hashes: [{ alg: 'SHA-256', content: d.raw.sha256 }],
    })),
    properties,
  };
  if (!(component.licenses as unknown[]).length) delete component.licenses;
  if (!(component.hashes as unknown[]).length) delete component.hashes;
  return component;
}

/** A standard license by its SPDX id; anything else by name, with the text in force. */
function licenseChoice(bundle: Bundle, license: ReturnType<typeof modelStatus>['license']): Json[] {
  if (!license) return [];
  if (license.spdx && license.spdx in SPDX) return [{ license: { id: license.spdx } }];
  const doc = bundle.manifest.documents.find((d) => d.locator === license.locator);
  const text = doc && bundle.files.find((f) => f.path === doc.text.file)?.bytes.toString('utf8');
  return [
    {
      license: {
        name: license.name ?? license.id,
        ...(text ? { text: { contentType: 'text/plain', content: text } } : {}),
        ...(doc ? { url: doc.url } : {}),
      },
    },
  ];
}

function uniqueHashes(hex: string[]): Json[] {
  return [...new Set(hex)].map((content) => ({ alg: 'SHA-256', content }));
}

/** The whole BOM. `models` in watchlist order; each must have been observed. */
export function aiBom(db: DB, models: { id: string; watched?: WatchedModel }[]): Json {
  const components = models.map((m) => modelComponent(db, m.id, m.watched));
  const body = JSON.stringify(components);
  const digest = createHash('sha256').update(body).digest('hex');
  const times = components.flatMap((c) =>
    ((c.properties as { name: string; value: string }[]) ?? []).flatMap((p) => (p.name === 'termdrift:document' ? [/firstSeenAt=(\S+)/.exec(p.value)?.[1] ?? ''] : [])),
  );
  const latest = times.filter(Boolean).sort().at(-1);
  return {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: CYCLONEDX_SPEC,
    // A UUID-shaped digest of the content: the same terms give the same serial number.
    serialNumber: `urn:uuid:${digest.slice(0, 8)}-${digest.slice(8, 12)}-5${digest.slice(13, 16)}-${((parseInt(digest[16]!, 16) & 3) | 8).toString(16)}${digest.slice(17, 20)}-${digest.slice(20, 32)}`,
    version: 1,
    metadata: {
      ...(latest ? { timestamp: latest } : {}),
      tools: { components: [{ type: 'application', name: 'termdrift', version: TOOL_VERSION, description: 'license-terms monitor for open-weight AI models' }] },
    },
    components,
  };
}
